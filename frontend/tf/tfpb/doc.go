// Package tfpb is tfc's own, wire-compatible subset of TensorFlow's
// framework protocol buffers, and the readers that turn a frozen TensorFlow
// model file into Go values.
//
// # The protos
//
// The *.proto files in this directory re-declare, in proto3 and in package
// "tensorflow", the messages a frozen graph is made of: GraphDef, NodeDef,
// AttrValue and NameAttrList, TensorProto, TensorShapeProto, the DataType
// enum (with its _REF values), VersionDef, FunctionDefLibrary, FunctionDef,
// GradientDef, RegisteredGradient, OpDef with ArgDef and AttrDef, and what
// those refer to (ResourceHandleProto, VariantTensorDataProto, FullTypeDef,
// GraphDebugInfo); and, for SavedModels and checkpoints
// (tensorflow/core/protobuf/*.proto), SavedModel, MetaGraphDef with
// SignatureDef, TensorInfo, CollectionDef and AssetFileDef, SaverDef,
// SavedObjectGraph and the SavedObject kinds, TrackableObjectGraph, and the
// tensor bundle's BundleHeaderProto and BundleEntryProto (with
// TensorSliceProto). Message, field and enum names and numbers are exactly
// TensorFlow 2.x's (tensorflow/core/framework/*.proto; TestWireNumbers
// checks every one), so both the binary wire format and the text format of
// TensorFlow's GraphDefs decode unchanged. Binary fields that are not
// declared here are kept as unknown fields and written back on encoding.
//
// The generated *.pb.go files are committed. To regenerate them after
// editing a .proto file:
//
//	scripts/install-protoc.sh         # protoc from Debian's protobuf-compiler (3.21.12)
//	go generate ./frontend/tf/tfpb/
//
// go generate runs protoc with protoc-gen-go from go.mod's tool directive
// (google.golang.org/protobuf v1.36.12, through protoc-gen-go.sh, which
// calls `go tool protoc-gen-go`). With the same protoc version the output
// is byte-identical to the committed files.
//
// # The readers
//
// ReadGraphDef and ParseGraphDef decode a GraphDef from binary (.pb) or
// text (.pbtxt) data. The content decides the format first (text-format
// data named .pb is read as text, binary data named .pbtxt as binary), the
// file name only breaks ties, and the other format is tried when the first
// fails. Errors are one line and start with the file name, for example
// "model.pb: not a TensorFlow GraphDef (binary parse: ...)" or
// "model.pb: empty file"; they wrap ErrNotGraphDef or ErrEmpty.
//
// ParseLazy is ParseGraphDef for a binary GraphDef whose nodes are left
// encoded, for an importer that decodes each node when it needs it
// (DecodeNode) and reads a plain node's attributes from its encoding
// (NodeAttr; lazy_attr.go), so that a large graph is never held decoded.
//
// DecodeTensor turns a TensorProto (a Const node's "value" attr) into a
// tensor.Tensor, from tensor_content or from the dtype's typed value field
// with TensorFlow's rule that a short field is filled up with its last
// value. DTypeFromProto and ShapeFromProto convert dtypes and shapes. None
// of these functions panics on any input; anything tfc cannot represent
// (string, complex, quantized, resource and variant tensors, unknown
// dimensions in a constant, oversized tensors) is an error that says what
// was wrong.
package tfpb
