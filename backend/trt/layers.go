package trt

// The parameters of each layer kind: exactly what TensorRT's add call and
// the layer's setters accept. A nil Dims or Permutation field means
// TensorRT's default; the Recorder stores every layer with its defaults
// filled in, so a Description is always explicit.

// LayerType is nvinfer1::LayerType for the layers tfc builds.
type LayerType int32

const (
	LayerConvolution   LayerType = 0  // kCONVOLUTION
	LayerCast          LayerType = 1  // kCAST
	LayerActivation    LayerType = 2  // kACTIVATION
	LayerPooling       LayerType = 3  // kPOOLING
	LayerScale         LayerType = 5  // kSCALE
	LayerSoftMax       LayerType = 6  // kSOFTMAX
	LayerDeconvolution LayerType = 7  // kDECONVOLUTION
	LayerConcatenation LayerType = 8  // kCONCATENATION
	LayerElementWise   LayerType = 9  // kELEMENTWISE
	LayerUnary         LayerType = 11 // kUNARY
	LayerPadding       LayerType = 12 // kPADDING
	LayerShuffle       LayerType = 13 // kSHUFFLE
	LayerReduce        LayerType = 14 // kREDUCE
	LayerTopK          LayerType = 15 // kTOPK
	LayerGather        LayerType = 16 // kGATHER
	LayerMatrixMult    LayerType = 17 // kMATRIX_MULTIPLY
	LayerConstant      LayerType = 19 // kCONSTANT
	LayerIdentity      LayerType = 20 // kIDENTITY
	LayerSlice         LayerType = 22 // kSLICE
	LayerShape         LayerType = 23 // kSHAPE
	LayerResize        LayerType = 25 // kRESIZE
	LayerSelect        LayerType = 30 // kSELECT
	LayerFill          LayerType = 31 // kFILL
	LayerScatter       LayerType = 37 // kSCATTER
	LayerQuantize      LayerType = 32 // kQUANTIZE
	LayerDequantize    LayerType = 33 // kDEQUANTIZE
	LayerEinsum        LayerType = 38 // kEINSUM
	LayerNormalization LayerType = 45 // kNORMALIZATION
	LayerCumulative    LayerType = 49 // kCUMULATIVE
)

var layerTypeNames = map[LayerType]string{
	LayerConvolution: "Convolution", LayerCast: "Cast", LayerActivation: "Activation",
	LayerPooling: "Pooling", LayerScale: "Scale", LayerSoftMax: "SoftMax",
	LayerDeconvolution: "Deconvolution", LayerConcatenation: "Concatenation",
	LayerElementWise: "ElementWise", LayerUnary: "Unary", LayerPadding: "Padding",
	LayerShuffle: "Shuffle", LayerReduce: "Reduce", LayerTopK: "TopK", LayerGather: "Gather",
	LayerMatrixMult: "MatrixMultiply", LayerConstant: "Constant", LayerIdentity: "Identity",
	LayerSlice: "Slice", LayerShape: "Shape", LayerResize: "Resize", LayerSelect: "Select",
	LayerFill: "Fill", LayerEinsum: "Einsum", LayerQuantize: "Quantize", LayerDequantize: "Dequantize", LayerNormalization: "Normalization",
	LayerScatter: "Scatter", LayerCumulative: "Cumulative",
}

func (t LayerType) String() string {
	if s, ok := layerTypeNames[t]; ok {
		return s
	}
	return enumName(nil, int32(t), "LayerType")
}

// Convolution is IConvolutionLayer (addConvolutionNd + setters). Input:
// [N, C, spatial...] with 2 or 3 spatial dimensions (NvInfer.h: a 4- or
// 5-dimensional tensor; only 2D and 3D convolution). Kernel: NbOutputMaps ×
// C/NbGroups × KernelSize values, KCRS order. Bias: NbOutputMaps values or
// empty. KernelTensor, when set, is the kernel as a tensor computed by the
// network, [NbOutputMaps, C/NbGroups, KernelSize...] of the input's type
// (setInput(1, kernel) with empty Kernel weights, as NvInfer.h describes);
// it becomes the layer's input 1 (the Description's params have it nil).
type Convolution struct {
	NbOutputMaps int64
	KernelSize   Dims
	Kernel       Weights
	Bias         Weights
	Stride       Dims // default 1 per spatial dimension
	PrePadding   Dims // default 0
	PostPadding  Dims // default 0
	PaddingMode  PaddingMode
	NbGroups     int64 // default 1 (0 means 1)
	Dilation     Dims  // default 1
	KernelTensor Tensor
}

// Deconvolution is IDeconvolutionLayer (addDeconvolutionNd + setters).
// Kernel: C × NbOutputMaps/NbGroups × KernelSize values (CKRS order).
// Pre/post padding crop the full output; output size per spatial
// dimension: (in-1)*stride + dilation*(k-1) + 1 - pre - post.
type Deconvolution struct {
	NbOutputMaps int64
	KernelSize   Dims
	Kernel       Weights
	Bias         Weights
	Stride       Dims
	PrePadding   Dims
	PostPadding  Dims
	PaddingMode  PaddingMode
	NbGroups     int64
	Dilation     Dims
	KernelTensor Tensor // not supported for deconvolution (must be nil)
}

// Activation is IActivationLayer. Alpha and Beta as ActivationType says.
type Activation struct {
	Type  ActivationType
	Alpha float32
	Beta  float32
}

// Pooling is IPoolingLayer (addPoolingNd + setters).
type Pooling struct {
	Type                        PoolingType
	WindowSize                  Dims
	Stride                      Dims // default 1
	PrePadding                  Dims
	PostPadding                 Dims
	PaddingMode                 PaddingMode
	BlendFactor                 float32 // kMAX_AVERAGE_BLEND only
	AverageCountExcludesPadding bool    // TensorRT's default is true
}

// Reduce is IReduceLayer: ReduceAxes is a bitmask (bit i reduces dimension i).
type Reduce struct {
	Operation      ReduceOperation
	ReduceAxes     uint32
	KeepDimensions bool
}

// Shuffle is IShuffleLayer: out = transpose(reshape(transpose(in,
// FirstTranspose), ReshapeDimensions), SecondTranspose). A nil
// ReshapeDimensions means no reshape; ZeroIsPlaceholder (TensorRT's
// default true) makes a 0 in ReshapeDimensions copy the input dimension;
// tfc sets it false and writes real sizes.
//
// ReshapeTensor, when set, is setInput(1): a 1-D Int32/Int64 shape tensor
// whose values are the reshape dimensions (read when the network runs,
// with the same 0 and -1 rules; ReshapeDimensions must then be nil). It
// becomes the layer's input 1 (the Description's params have it nil).
type Shuffle struct {
	FirstTranspose    Permutation
	ReshapeDimensions Dims
	SecondTranspose   Permutation
	ZeroIsPlaceholder bool
	ReshapeTensor     Tensor
}

// Slice is ISliceLayer: out[i] = in[Start + i*Stride] per dimension, with
// out-of-bounds indices handled by Mode. Fill is the kFILL value (input 4;
// nil means 0). SizeTensor, when set, is setInput(2): a 1-D Int32/Int64
// shape tensor whose values are the size (Size must then be nil). In a
// Description, Inputs[1] is the fill value (or nil) and Inputs[2] the
// size tensor; the params have both nil. A stride of 0 reads one index
// throughout (a broadcast, as onnx-tensorrt's Expand).
type Slice struct {
	Start      Dims
	Size       Dims
	Stride     Dims
	Mode       SampleMode
	Fill       Tensor
	SizeTensor Tensor
}

// Gather is IGatherLayer (addGatherV2 with setGatherAxis / setNbElementWiseDims).
type Gather struct {
	Axis              int32
	NbElementWiseDims int32
	Mode              GatherMode
}

// Scatter is IScatterLayer (addScatter(data, indices, updates, mode) and
// setAxis, which only kELEMENT reads): the output is data with updates
// written at indices; writes to one element twice are undefined
// (NvInfer.h), so a lowering needing sums must combine them first.
type Scatter struct {
	Mode ScatterMode
	Axis int32
}

// Cumulative is ICumulativeLayer (addCumulative(input, axis, operation,
// exclusive, reverse)). TensorRT takes the axis as a build-time constant
// 0-D shape tensor; the binding makes that Constant layer itself, so the
// description keeps the axis here (in [0, rank)).
type Cumulative struct {
	Axis      int32
	Operation CumulativeOperation
	Exclusive bool
	Reverse   bool
}

// Resize is IResizeLayer with explicit output dimensions.
type Resize struct {
	OutputDimensions         Dims
	ResizeMode               InterpolationMode
	CoordinateTransformation ResizeCoordinateTransformation
	SelectorForSinglePixel   ResizeSelector
	NearestRounding          ResizeRoundMode
	CubicCoeff               float32
	ExcludeOutside           bool
}

// TopK is ITopKLayer.
type TopK struct {
	Operation   TopKOperation
	K           int32
	ReduceAxes  uint32
	IndicesType DataType // kINT32 or kINT64
}

// Scale is IScaleLayer (addScaleNd): out = (in*scale + shift)^power per
// Mode, along ChannelAxis for kCHANNEL.
type Scale struct {
	Mode        ScaleMode
	Shift       Weights
	Scale       Weights
	Power       Weights
	ChannelAxis int32
}

// Normalization is INormalizationLayer (inputs: data, scale, bias).
type Normalization struct {
	Epsilon  float32
	Axes     uint32
	NbGroups int64
}

// Fill is IFillLayer.
type Fill struct {
	Dimensions Dims
	Operation  FillOperation
	ToType     DataType
	Alpha      float64
	Beta       float64
}

// The remaining layers' parameters are the arguments of their add calls;
// these structs are how a Description records them.

// ElementWise is IElementWiseLayer (inputs a, b; equal ranks, each
// dimension equal or 1 in one of them).
type ElementWise struct{ Operation ElementWiseOperation }

// Unary is IUnaryLayer.
type Unary struct{ Operation UnaryOperation }

// SoftMax is ISoftMaxLayer: Axes is a bitmask with exactly one bit.
type SoftMax struct{ Axes uint32 }

// Concatenation is IConcatenationLayer.
type Concatenation struct{ Axis int32 }

// MatrixMultiply is IMatrixMultiplyLayer (inputs a, b).
type MatrixMultiply struct{ Op0, Op1 MatrixOperation }

// Constant is IConstantLayer.
type Constant struct {
	Dimensions Dims
	Weights    Weights
}

// Cast is ICastLayer.
type Cast struct{ ToType DataType }

// Quantize is IQuantizeLayer (addQuantize(input, scale, ToType),
// setAxis): q = clamp(round_half_even(x / scale), -128, 127) for kINT8,
// the E4M3 value of x / scale (ties to even, saturated to ±448) for kFP8;
// zero point 0. Inputs: the data (kFLOAT, kHALF or kBF16, not a scalar)
// and the scale (a build-time constant of the data's type or kFLOAT, all
// coefficients > 0): a scalar (per tensor) or a vector of the size of
// dimension Axis (per channel, for weights only).
type Quantize struct {
	Axis   int32
	ToType DataType
}

// Dequantize is IDequantizeLayer (addDequantize(input, scale, ToType),
// setAxis): y = float(q) * scale, zero point 0. Inputs: the kINT8 or kFP8 data and
// the scale, as for Quantize; ToType is kFLOAT, kHALF or kBF16.
type Dequantize struct {
	Axis   int32
	ToType DataType
}

// Einsum is IEinsumLayer.
type Einsum struct{ Equation string }

// Padding is IPaddingLayer (addPaddingNd): zero padding of the last two
// dimensions; negative values crop.
type Padding struct{ PrePadding, PostPadding Dims }

// Identity is IIdentityLayer.
type Identity struct{}

// Select is ISelectLayer (inputs condition, then, else).
type Select struct{}

// Shape is IShapeLayer.
type Shape struct{}
