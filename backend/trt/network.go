package trt

// Network is nvinfer1::INetworkDefinition, for the layers tfc builds. Each
// method is one TensorRT call (plus the layer's setters, given as the
// parameter struct).
//
//go:generate go run ./internal/gennetwork
type Network interface {
	AddInput(name string, typ DataType, dims Dims) Tensor
	MarkOutput(t Tensor)

	// The add call of each layer kind (network_gen.go): the Recorder's
	// methods in layers_*.go, one per kind, with TensorRT's arguments and
	// the kind's parameter struct for its setters.
	layerAdders

	// AddLoop and AddIfConditional create a loop and a conditional,
	// whose methods add their boundary layers (controlflow.go).
	AddLoop(name string) Loop
	AddIfConditional(name string) IfConditional
	// LoopAt and ConditionalAt return the i-th loop and conditional
	// added (a boundary layer's params name its construct by index).
	// Out of range, they return a construct whose every call is an
	// error of the network.
	LoopAt(i int) Loop
	ConditionalAt(i int) IfConditional

	// Err returns the first error of any call (an invalid parameter, a
	// tensor from another network, ...), or nil.
	Err() error
}

// Description is a recorded network as plain data: what the validator,
// the printer, the code generator and the reference executor read.
// Layers are in the order they were added, which is topological.
type Description struct {
	Inputs  []*TensorDesc
	Outputs []*TensorDesc
	Layers  []*LayerDesc
	// Profiles are the optimization profiles of a network with dynamic
	// inputs (dims of -1); nil for a static network (see dynamic.go).
	Profiles []Profile
	// Loops and Conditionals name the network's loops and conditionals,
	// by index: the boundary layers' params refer to them
	// (controlflow.go). A Recurrence layer's input 1 is the one input
	// that may come from a later layer.
	Loops        []string
	Conditionals []string
}

// TensorDesc is one tensor of a Description.
type TensorDesc struct {
	ID       int // index in creation order, unique in the Description
	Name     string
	Type     DataType
	Dims     Dims
	Producer *LayerDesc // nil for network inputs
	Index    int        // which output of Producer
	// ShapeValues are the contents of a shape tensor, known when the
	// network is built at these dimensions (shapetensor.go); nil for
	// other tensors. Not part of the printed network.
	ShapeValues []int64
}

// LayerDesc is one layer of a Description.
type LayerDesc struct {
	ID      int
	Name    string
	Type    LayerType
	Inputs  []*TensorDesc // nil entries are absent optional inputs
	Outputs []*TensorDesc
	// Params is the layer's parameter struct, by value: Convolution,
	// Deconvolution, Activation, Pooling, ElementWise, Unary, Reduce,
	// SoftMax, TopK, Shuffle, Slice (its Fill field is nil; the fill
	// value is Inputs[1] when present), Concatenation, Gather,
	// MatrixMultiply, Einsum, Resize, Constant, Identity, Cast, Select,
	// Scale, Normalization, Padding, Fill, Shape, Scatter, Cumulative, NonZero or NMS, or
	// a control-flow boundary (Recurrence, TripLimit, LoopOutput,
	// Condition, ConditionalInput, ConditionalOutput) — with TensorRT's
	// defaults filled in.
	Params LayerParams
}
