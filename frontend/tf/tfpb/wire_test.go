package tfpb

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
)

// TestWireNumbers checks every declared field and DataType value against
// TensorFlow's numbering (tensorflow/core/framework/*.proto, TF 2.x), so
// that a renumbering here cannot go unnoticed.
func TestWireNumbers(t *testing.T) {
	seen := map[string]bool{}
	var walk func(md protoreflect.MessageDescriptor)
	walk = func(md protoreflect.MessageDescriptor) {
		if md.IsMapEntry() {
			return
		}
		fs := md.Fields()
		for i := range fs.Len() {
			fd := fs.Get(i)
			name := string(fd.FullName())
			want, ok := tfFieldNumbers[name]
			if !ok {
				t.Errorf("field %s is not a TensorFlow field", name)
				continue
			}
			seen[name] = true
			if got := int32(fd.Number()); got != want {
				t.Errorf("field %s has number %d, TensorFlow uses %d", name, got, want)
			}
		}
		for i := range md.Messages().Len() {
			walk(md.Messages().Get(i))
		}
	}
	n := 0
	protoregistry.GlobalFiles.RangeFilesByPackage("tensorflow", func(fd protoreflect.FileDescriptor) bool {
		if !strings.HasPrefix(fd.Path(), "frontend/tf/tfpb/") {
			return true
		}
		n++
		for i := range fd.Messages().Len() {
			walk(fd.Messages().Get(i))
		}
		return true
	})
	if n != 19 {
		t.Errorf("found %d proto files of package tensorflow, want 19", n)
	}
	for name := range tfFieldNumbers {
		if !seen[name] {
			t.Errorf("TensorFlow field %s is not declared", name)
		}
	}

	values := DataType(0).Descriptor().Values()
	if values.Len() != len(tfDataTypes) {
		t.Errorf("DataType has %d values, TensorFlow %d", values.Len(), len(tfDataTypes))
	}
	for name, num := range tfDataTypes {
		v := values.ByName(protoreflect.Name(name))
		if v == nil {
			t.Errorf("DataType lacks %s", name)
		} else if int32(v.Number()) != num {
			t.Errorf("DataType %s = %d, TensorFlow uses %d", name, v.Number(), num)
		}
	}
}

var tfFieldNumbers = map[string]int32{
	"tensorflow.TensorShapeProto.dim":                              2,
	"tensorflow.TensorShapeProto.unknown_rank":                     3,
	"tensorflow.TensorShapeProto.Dim.size":                         1,
	"tensorflow.TensorShapeProto.Dim.name":                         2,
	"tensorflow.SerializedDType.datatype":                          1,
	"tensorflow.ResourceHandleProto.device":                        1,
	"tensorflow.ResourceHandleProto.container":                     2,
	"tensorflow.ResourceHandleProto.name":                          3,
	"tensorflow.ResourceHandleProto.hash_code":                     4,
	"tensorflow.ResourceHandleProto.maybe_type_name":               5,
	"tensorflow.ResourceHandleProto.dtypes_and_shapes":             6,
	"tensorflow.ResourceHandleProto.DtypeAndShape.dtype":           1,
	"tensorflow.ResourceHandleProto.DtypeAndShape.shape":           2,
	"tensorflow.TensorProto.dtype":                                 1,
	"tensorflow.TensorProto.tensor_shape":                          2,
	"tensorflow.TensorProto.version_number":                        3,
	"tensorflow.TensorProto.tensor_content":                        4,
	"tensorflow.TensorProto.half_val":                              13,
	"tensorflow.TensorProto.float_val":                             5,
	"tensorflow.TensorProto.double_val":                            6,
	"tensorflow.TensorProto.int_val":                               7,
	"tensorflow.TensorProto.string_val":                            8,
	"tensorflow.TensorProto.scomplex_val":                          9,
	"tensorflow.TensorProto.int64_val":                             10,
	"tensorflow.TensorProto.bool_val":                              11,
	"tensorflow.TensorProto.dcomplex_val":                          12,
	"tensorflow.TensorProto.resource_handle_val":                   14,
	"tensorflow.TensorProto.variant_val":                           15,
	"tensorflow.TensorProto.uint32_val":                            16,
	"tensorflow.TensorProto.uint64_val":                            17,
	"tensorflow.TensorProto.float8_val":                            18,
	"tensorflow.VariantTensorDataProto.type_name":                  1,
	"tensorflow.VariantTensorDataProto.metadata":                   2,
	"tensorflow.VariantTensorDataProto.tensors":                    3,
	"tensorflow.AttrValue.s":                                       2,
	"tensorflow.AttrValue.i":                                       3,
	"tensorflow.AttrValue.f":                                       4,
	"tensorflow.AttrValue.b":                                       5,
	"tensorflow.AttrValue.type":                                    6,
	"tensorflow.AttrValue.shape":                                   7,
	"tensorflow.AttrValue.tensor":                                  8,
	"tensorflow.AttrValue.list":                                    1,
	"tensorflow.AttrValue.func":                                    10,
	"tensorflow.AttrValue.placeholder":                             9,
	"tensorflow.AttrValue.ListValue.s":                             2,
	"tensorflow.AttrValue.ListValue.i":                             3,
	"tensorflow.AttrValue.ListValue.f":                             4,
	"tensorflow.AttrValue.ListValue.b":                             5,
	"tensorflow.AttrValue.ListValue.type":                          6,
	"tensorflow.AttrValue.ListValue.shape":                         7,
	"tensorflow.AttrValue.ListValue.tensor":                        8,
	"tensorflow.AttrValue.ListValue.func":                          9,
	"tensorflow.NameAttrList.name":                                 1,
	"tensorflow.NameAttrList.attr":                                 2,
	"tensorflow.FullTypeDef.type_id":                               1,
	"tensorflow.FullTypeDef.args":                                  2,
	"tensorflow.FullTypeDef.s":                                     3,
	"tensorflow.FullTypeDef.i":                                     4,
	"tensorflow.NodeDef.name":                                      1,
	"tensorflow.NodeDef.op":                                        2,
	"tensorflow.NodeDef.input":                                     3,
	"tensorflow.NodeDef.device":                                    4,
	"tensorflow.NodeDef.attr":                                      5,
	"tensorflow.NodeDef.experimental_debug_info":                   6,
	"tensorflow.NodeDef.experimental_type":                         7,
	"tensorflow.NodeDef.ExperimentalDebugInfo.original_node_names": 1,
	"tensorflow.NodeDef.ExperimentalDebugInfo.original_func_names": 2,
	"tensorflow.OpDef.name":                                        1,
	"tensorflow.OpDef.input_arg":                                   2,
	"tensorflow.OpDef.output_arg":                                  3,
	"tensorflow.OpDef.control_output":                              20,
	"tensorflow.OpDef.attr":                                        4,
	"tensorflow.OpDef.deprecation":                                 8,
	"tensorflow.OpDef.summary":                                     5,
	"tensorflow.OpDef.description":                                 6,
	"tensorflow.OpDef.is_commutative":                              18,
	"tensorflow.OpDef.is_aggregate":                                16,
	"tensorflow.OpDef.is_stateful":                                 17,
	"tensorflow.OpDef.allows_uninitialized_input":                  19,
	"tensorflow.OpDef.is_distributed_communication":                21,
	"tensorflow.OpDef.ArgDef.name":                                 1,
	"tensorflow.OpDef.ArgDef.description":                          2,
	"tensorflow.OpDef.ArgDef.type":                                 3,
	"tensorflow.OpDef.ArgDef.type_attr":                            4,
	"tensorflow.OpDef.ArgDef.number_attr":                          5,
	"tensorflow.OpDef.ArgDef.type_list_attr":                       6,
	"tensorflow.OpDef.ArgDef.handle_data":                          7,
	"tensorflow.OpDef.ArgDef.is_ref":                               16,
	"tensorflow.OpDef.ArgDef.experimental_full_type":               17,
	"tensorflow.OpDef.AttrDef.name":                                1,
	"tensorflow.OpDef.AttrDef.type":                                2,
	"tensorflow.OpDef.AttrDef.default_value":                       3,
	"tensorflow.OpDef.AttrDef.description":                         4,
	"tensorflow.OpDef.AttrDef.has_minimum":                         5,
	"tensorflow.OpDef.AttrDef.minimum":                             6,
	"tensorflow.OpDef.AttrDef.allowed_values":                      7,
	"tensorflow.OpDeprecation.version":                             1,
	"tensorflow.OpDeprecation.explanation":                         2,
	"tensorflow.OpList.op":                                         1,
	"tensorflow.FunctionDefLibrary.function":                       1,
	"tensorflow.FunctionDefLibrary.gradient":                       2,
	"tensorflow.FunctionDefLibrary.registered_gradients":           3,
	"tensorflow.FunctionDef.signature":                             1,
	"tensorflow.FunctionDef.attr":                                  5,
	"tensorflow.FunctionDef.arg_attr":                              7,
	"tensorflow.FunctionDef.resource_arg_unique_id":                8,
	"tensorflow.FunctionDef.node_def":                              3,
	"tensorflow.FunctionDef.ret":                                   4,
	"tensorflow.FunctionDef.control_ret":                           6,
	"tensorflow.FunctionDef.ArgAttrs.attr":                         1,
	"tensorflow.GradientDef.function_name":                         1,
	"tensorflow.GradientDef.gradient_func":                         2,
	"tensorflow.RegisteredGradient.gradient_func":                  1,
	"tensorflow.RegisteredGradient.registered_op_type":             2,
	"tensorflow.GraphDebugInfo.files":                              1,
	"tensorflow.GraphDebugInfo.frames_by_id":                       4,
	"tensorflow.GraphDebugInfo.traces_by_id":                       6,
	"tensorflow.GraphDebugInfo.traces":                             2,
	"tensorflow.GraphDebugInfo.name_to_trace_id":                   5,
	"tensorflow.GraphDebugInfo.FileLineCol.file_index":             1,
	"tensorflow.GraphDebugInfo.FileLineCol.line":                   2,
	"tensorflow.GraphDebugInfo.FileLineCol.col":                    3,
	"tensorflow.GraphDebugInfo.FileLineCol.func":                   4,
	"tensorflow.GraphDebugInfo.FileLineCol.code":                   5,
	"tensorflow.GraphDebugInfo.StackTrace.file_line_cols":          1,
	"tensorflow.GraphDebugInfo.StackTrace.frame_id":                2,
	"tensorflow.VersionDef.producer":                               1,
	"tensorflow.VersionDef.min_consumer":                           2,
	"tensorflow.VersionDef.bad_consumers":                          3,
	"tensorflow.GraphDef.node":                                     1,
	"tensorflow.GraphDef.versions":                                 4,
	"tensorflow.GraphDef.version":                                  3,
	"tensorflow.GraphDef.library":                                  2,
	"tensorflow.GraphDef.debug_info":                               5,
	// SavedModel, MetaGraphDef and checkpoint protos (TensorFlow 2.21's
	// tensorflow/core/protobuf/*.proto and framework/tensor_slice.proto).
	"tensorflow.MetaGraphDef.meta_info_def":                                                           1,
	"tensorflow.MetaGraphDef.graph_def":                                                               2,
	"tensorflow.MetaGraphDef.saver_def":                                                               3,
	"tensorflow.MetaGraphDef.collection_def":                                                          4,
	"tensorflow.MetaGraphDef.signature_def":                                                           5,
	"tensorflow.MetaGraphDef.asset_file_def":                                                          6,
	"tensorflow.MetaGraphDef.object_graph_def":                                                        7,
	"tensorflow.MetaGraphDef.MetaInfoDef.meta_graph_version":                                          1,
	"tensorflow.MetaGraphDef.MetaInfoDef.stripped_op_list":                                            2,
	"tensorflow.MetaGraphDef.MetaInfoDef.tags":                                                        4,
	"tensorflow.MetaGraphDef.MetaInfoDef.tensorflow_version":                                          5,
	"tensorflow.MetaGraphDef.MetaInfoDef.tensorflow_git_version":                                      6,
	"tensorflow.MetaGraphDef.MetaInfoDef.stripped_default_attrs":                                      7,
	"tensorflow.MetaGraphDef.MetaInfoDef.function_aliases":                                            8,
	"tensorflow.CollectionDef.node_list":                                                              1,
	"tensorflow.CollectionDef.bytes_list":                                                             2,
	"tensorflow.CollectionDef.int64_list":                                                             3,
	"tensorflow.CollectionDef.float_list":                                                             4,
	"tensorflow.CollectionDef.NodeList.value":                                                         1,
	"tensorflow.CollectionDef.BytesList.value":                                                        1,
	"tensorflow.CollectionDef.Int64List.value":                                                        1,
	"tensorflow.CollectionDef.FloatList.value":                                                        1,
	"tensorflow.TensorInfo.name":                                                                      1,
	"tensorflow.TensorInfo.coo_sparse":                                                                4,
	"tensorflow.TensorInfo.dtype":                                                                     2,
	"tensorflow.TensorInfo.tensor_shape":                                                              3,
	"tensorflow.TensorInfo.CooSparse.values_tensor_name":                                              1,
	"tensorflow.TensorInfo.CooSparse.indices_tensor_name":                                             2,
	"tensorflow.TensorInfo.CooSparse.dense_shape_tensor_name":                                         3,
	"tensorflow.SignatureDef.inputs":                                                                  1,
	"tensorflow.SignatureDef.outputs":                                                                 2,
	"tensorflow.SignatureDef.method_name":                                                             3,
	"tensorflow.SignatureDef.defaults":                                                                4,
	"tensorflow.AssetFileDef.tensor_info":                                                             1,
	"tensorflow.AssetFileDef.filename":                                                                2,
	"tensorflow.SavedModel.saved_model_schema_version":                                                1,
	"tensorflow.SavedModel.meta_graphs":                                                               2,
	"tensorflow.SavedObjectGraph.nodes":                                                               1,
	"tensorflow.SavedObjectGraph.concrete_functions":                                                  2,
	"tensorflow.SavedObject.children":                                                                 1,
	"tensorflow.SavedObject.dependencies":                                                             15,
	"tensorflow.SavedObject.slot_variables":                                                           3,
	"tensorflow.SavedObject.user_object":                                                              4,
	"tensorflow.SavedObject.asset":                                                                    5,
	"tensorflow.SavedObject.function":                                                                 6,
	"tensorflow.SavedObject.variable":                                                                 7,
	"tensorflow.SavedObject.bare_concrete_function":                                                   8,
	"tensorflow.SavedObject.constant":                                                                 9,
	"tensorflow.SavedObject.resource":                                                                 10,
	"tensorflow.SavedObject.captured_tensor":                                                          12,
	"tensorflow.SavedObject.saveable_objects":                                                         11,
	"tensorflow.SavedObject.registered_name":                                                          13,
	"tensorflow.SavedObject.registered_saver":                                                         16,
	"tensorflow.SavedUserObject.identifier":                                                           1,
	"tensorflow.SavedUserObject.version":                                                              2,
	"tensorflow.SavedUserObject.metadata":                                                             3,
	"tensorflow.SavedAsset.asset_file_def_index":                                                      1,
	"tensorflow.SavedFunction.concrete_functions":                                                     1,
	"tensorflow.CapturedTensor.name":                                                                  1,
	"tensorflow.CapturedTensor.concrete_function":                                                     2,
	"tensorflow.SavedConcreteFunction.bound_inputs":                                                   2,
	"tensorflow.SavedBareConcreteFunction.concrete_function_name":                                     1,
	"tensorflow.SavedBareConcreteFunction.argument_keywords":                                          2,
	"tensorflow.SavedBareConcreteFunction.allowed_positional_arguments":                               3,
	"tensorflow.SavedConstant.operation":                                                              1,
	"tensorflow.SavedVariable.dtype":                                                                  1,
	"tensorflow.SavedVariable.shape":                                                                  2,
	"tensorflow.SavedVariable.trainable":                                                              3,
	"tensorflow.SavedVariable.name":                                                                   6,
	"tensorflow.SavedVariable.device":                                                                 7,
	"tensorflow.SavedVariable.experimental_distributed_variable_components":                           8,
	"tensorflow.SavedResource.device":                                                                 1,
	"tensorflow.SaveableObject.save_function":                                                         2,
	"tensorflow.SaveableObject.restore_function":                                                      3,
	"tensorflow.SaverDef.filename_tensor_name":                                                        1,
	"tensorflow.SaverDef.save_tensor_name":                                                            2,
	"tensorflow.SaverDef.restore_op_name":                                                             3,
	"tensorflow.SaverDef.max_to_keep":                                                                 4,
	"tensorflow.SaverDef.sharded":                                                                     5,
	"tensorflow.SaverDef.keep_checkpoint_every_n_hours":                                               6,
	"tensorflow.SaverDef.version":                                                                     7,
	"tensorflow.BundleHeaderProto.num_shards":                                                         1,
	"tensorflow.BundleHeaderProto.endianness":                                                         2,
	"tensorflow.BundleHeaderProto.version":                                                            3,
	"tensorflow.BundleEntryProto.dtype":                                                               1,
	"tensorflow.BundleEntryProto.shape":                                                               2,
	"tensorflow.BundleEntryProto.shard_id":                                                            3,
	"tensorflow.BundleEntryProto.offset":                                                              4,
	"tensorflow.BundleEntryProto.size":                                                                5,
	"tensorflow.BundleEntryProto.crc32c":                                                              6,
	"tensorflow.BundleEntryProto.slices":                                                              7,
	"tensorflow.TensorSliceProto.extent":                                                              1,
	"tensorflow.TensorSliceProto.Extent.start":                                                        1,
	"tensorflow.TensorSliceProto.Extent.length":                                                       2,
	"tensorflow.TrackableObjectGraph.nodes":                                                           1,
	"tensorflow.TrackableObjectGraph.TrackableObject.children":                                        1,
	"tensorflow.TrackableObjectGraph.TrackableObject.attributes":                                      2,
	"tensorflow.TrackableObjectGraph.TrackableObject.slot_variables":                                  3,
	"tensorflow.TrackableObjectGraph.TrackableObject.registered_saver":                                4,
	"tensorflow.TrackableObjectGraph.TrackableObject.ObjectReference.node_id":                         1,
	"tensorflow.TrackableObjectGraph.TrackableObject.ObjectReference.local_name":                      2,
	"tensorflow.TrackableObjectGraph.TrackableObject.SerializedTensor.name":                           1,
	"tensorflow.TrackableObjectGraph.TrackableObject.SerializedTensor.full_name":                      2,
	"tensorflow.TrackableObjectGraph.TrackableObject.SerializedTensor.checkpoint_key":                 3,
	"tensorflow.TrackableObjectGraph.TrackableObject.SlotVariableReference.original_variable_node_id": 1,
	"tensorflow.TrackableObjectGraph.TrackableObject.SlotVariableReference.slot_name":                 2,
	"tensorflow.TrackableObjectGraph.TrackableObject.SlotVariableReference.slot_variable_node_id":     3,
	"tensorflow.RegisteredSaver.name":                                                                 1,
	"tensorflow.RegisteredSaver.object_name":                                                          2,
}

var tfDataTypes = map[string]int32{
	"DT_INVALID":                0,
	"DT_FLOAT":                  1,
	"DT_DOUBLE":                 2,
	"DT_INT32":                  3,
	"DT_UINT8":                  4,
	"DT_INT16":                  5,
	"DT_INT8":                   6,
	"DT_STRING":                 7,
	"DT_COMPLEX64":              8,
	"DT_INT64":                  9,
	"DT_BOOL":                   10,
	"DT_QINT8":                  11,
	"DT_QUINT8":                 12,
	"DT_QINT32":                 13,
	"DT_BFLOAT16":               14,
	"DT_QINT16":                 15,
	"DT_QUINT16":                16,
	"DT_UINT16":                 17,
	"DT_COMPLEX128":             18,
	"DT_HALF":                   19,
	"DT_RESOURCE":               20,
	"DT_VARIANT":                21,
	"DT_UINT32":                 22,
	"DT_UINT64":                 23,
	"DT_FLOAT8_E5M2":            24,
	"DT_FLOAT8_E4M3FN":          25,
	"DT_FLOAT8_E4M3FNUZ":        26,
	"DT_FLOAT8_E4M3B11FNUZ":     27,
	"DT_FLOAT8_E5M2FNUZ":        28,
	"DT_INT4":                   29,
	"DT_UINT4":                  30,
	"DT_INT2":                   31,
	"DT_UINT2":                  32,
	"DT_FLOAT4_E2M1FN":          33,
	"DT_FLOAT_REF":              101,
	"DT_DOUBLE_REF":             102,
	"DT_INT32_REF":              103,
	"DT_UINT8_REF":              104,
	"DT_INT16_REF":              105,
	"DT_INT8_REF":               106,
	"DT_STRING_REF":             107,
	"DT_COMPLEX64_REF":          108,
	"DT_INT64_REF":              109,
	"DT_BOOL_REF":               110,
	"DT_QINT8_REF":              111,
	"DT_QUINT8_REF":             112,
	"DT_QINT32_REF":             113,
	"DT_BFLOAT16_REF":           114,
	"DT_QINT16_REF":             115,
	"DT_QUINT16_REF":            116,
	"DT_UINT16_REF":             117,
	"DT_COMPLEX128_REF":         118,
	"DT_HALF_REF":               119,
	"DT_RESOURCE_REF":           120,
	"DT_VARIANT_REF":            121,
	"DT_UINT32_REF":             122,
	"DT_UINT64_REF":             123,
	"DT_FLOAT8_E5M2_REF":        124,
	"DT_FLOAT8_E4M3FN_REF":      125,
	"DT_FLOAT8_E4M3FNUZ_REF":    126,
	"DT_FLOAT8_E4M3B11FNUZ_REF": 127,
	"DT_FLOAT8_E5M2FNUZ_REF":    128,
	"DT_INT4_REF":               129,
	"DT_UINT4_REF":              130,
	"DT_INT2_REF":               131,
	"DT_UINT2_REF":              132,
	"DT_FLOAT4_E2M1FN_REF":      133,
}
