package trt

// The parameters of each layer kind: exactly what TensorRT's add call and
// the layer's setters accept. A nil Dims or Permutation field means
// TensorRT's default; the Recorder stores every layer with its defaults
// filled in, so a Description is always explicit.

// LayerParams is the parameter struct of one layer kind (Convolution,
// Activation, ...) as a LayerDesc records it. Its methods are what every
// consumer of a Description needs of the kind, so that a kind is written
// in one place, beside its struct:
//
//   - Kind is its LayerType.
//   - Arity is how many inputs its add call takes: at least min, which
//     must be present, and at most max (-1: any number, all present);
//     inputs from min on are optional (nil when absent).
//   - AddTo makes its add call on net, with the layer's inputs and these
//     parameters: package tensorrt replays a Description through it, and
//     package codegen writes it out as Go through a Network that renders
//     each call.
//   - text is its key parameters for Print.
//   - rule is its shape and type rule (rules_*.go), which the Recorder
//     and Validate apply.
//
// The reference executor's kernels (package exec) are the one per-kind
// table outside this package; a test there checks it against LayerKinds.
type LayerParams interface {
	Kind() LayerType
	Arity() (min, max int)
	AddTo(net Network, in []Tensor) Layer
	text() string
	rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec)
}

// LayerKinds returns the zero parameters of every layer kind tfc builds,
// one per LayerType, in LayerType order.
func LayerKinds() []LayerParams {
	return []LayerParams{
		Convolution{}, Cast{}, Activation{}, Pooling{}, Scale{}, SoftMax{},
		Deconvolution{}, Concatenation{}, ElementWise{}, Unary{}, Padding{},
		Shuffle{}, Reduce{}, TopK{}, Gather{}, MatrixMultiply{}, Constant{},
		Identity{}, Slice{}, Shape{}, ParametricReLU{}, Resize{}, TripLimit{}, Recurrence{}, LoopOutput{},
		Select{}, Fill{}, Quantize{}, Dequantize{}, Condition{}, ConditionalInput{},
		ConditionalOutput{}, Scatter{}, Einsum{}, NonZero{}, NMS{}, Normalization{}, Cumulative{},
	}
}

// LayerType is nvinfer1::LayerType for the layers tfc builds.
type LayerType int32

const (
	LayerConvolution    LayerType = 0  // kCONVOLUTION
	LayerCast           LayerType = 1  // kCAST
	LayerActivation     LayerType = 2  // kACTIVATION
	LayerPooling        LayerType = 3  // kPOOLING
	LayerScale          LayerType = 5  // kSCALE
	LayerSoftMax        LayerType = 6  // kSOFTMAX
	LayerDeconvolution  LayerType = 7  // kDECONVOLUTION
	LayerConcatenation  LayerType = 8  // kCONCATENATION
	LayerElementWise    LayerType = 9  // kELEMENTWISE
	LayerUnary          LayerType = 11 // kUNARY
	LayerPadding        LayerType = 12 // kPADDING
	LayerShuffle        LayerType = 13 // kSHUFFLE
	LayerReduce         LayerType = 14 // kREDUCE
	LayerTopK           LayerType = 15 // kTOPK
	LayerGather         LayerType = 16 // kGATHER
	LayerMatrixMult     LayerType = 17 // kMATRIX_MULTIPLY
	LayerConstant       LayerType = 19 // kCONSTANT
	LayerIdentity       LayerType = 20 // kIDENTITY
	LayerSlice          LayerType = 22 // kSLICE
	LayerShape          LayerType = 23 // kSHAPE
	LayerParametricReLU LayerType = 24 // kPARAMETRIC_RELU
	LayerResize         LayerType = 25 // kRESIZE
	LayerSelect         LayerType = 30 // kSELECT
	LayerFill           LayerType = 31 // kFILL
	LayerScatter        LayerType = 37 // kSCATTER
	LayerQuantize       LayerType = 32 // kQUANTIZE
	LayerDequantize     LayerType = 33 // kDEQUANTIZE
	LayerEinsum         LayerType = 38 // kEINSUM
	LayerNormalization  LayerType = 45 // kNORMALIZATION
	LayerNonZero        LayerType = 41 // kNON_ZERO
	LayerNMS            LayerType = 43 // kNMS
	LayerCumulative     LayerType = 49 // kCUMULATIVE

	// Control flow (controlflow.go).
	LayerTripLimit         LayerType = 26 // kTRIP_LIMIT
	LayerRecurrence        LayerType = 27 // kRECURRENCE
	LayerLoopOutput        LayerType = 29 // kLOOP_OUTPUT
	LayerCondition         LayerType = 34 // kCONDITION
	LayerConditionalInput  LayerType = 35 // kCONDITIONAL_INPUT
	LayerConditionalOutput LayerType = 36 // kCONDITIONAL_OUTPUT
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
	LayerScatter: "Scatter", LayerCumulative: "Cumulative", LayerNMS: "NMS", LayerNonZero: "NonZero", LayerParametricReLU: "ParametricReLU",
	LayerTripLimit: "TripLimit", LayerRecurrence: "Recurrence", LayerLoopOutput: "LoopOutput",
	LayerCondition: "Condition", LayerConditionalInput: "ConditionalInput", LayerConditionalOutput: "ConditionalOutput",
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

func (Convolution) Kind() LayerType       { return LayerConvolution }
func (Convolution) Arity() (min, max int) { return 1, 2 }
func (p Convolution) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.KernelTensor = in[1]
	}
	return net.AddConvolutionNd(in[0], p)
}
func (p Convolution) text() string {
	var f fields
	f.add("k=%v s=%v pre=%v post=%v d=%v groups=%d", p.KernelSize, p.Stride, p.PrePadding, p.PostPadding, p.Dilation, p.NbGroups)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	f.add("weights=%s bias=%s", weightsText(p.Kernel, false), weightsText(p.Bias, false))
	return f.String()
}

// Deconvolution is IDeconvolutionLayer (addDeconvolutionNd + setters).
// Kernel: C × NbOutputMaps/NbGroups × KernelSize values (CKRS order).
// Pre/post padding crop the full output; output size per spatial
// dimension: (in-1)*stride + dilation*(k-1) + 1 - pre - post.
// KernelTensor, when set, is the kernel as a tensor computed by the
// network, [C, NbOutputMaps/NbGroups, KernelSize...] of the input's type
// (setInput(1, kernel) with empty Kernel weights, NvInfer.h's
// IDeconvolutionLayer::setInput); it becomes the layer's input 1.
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
	KernelTensor Tensor
}

func (Deconvolution) Kind() LayerType       { return LayerDeconvolution }
func (Deconvolution) Arity() (min, max int) { return 1, 2 }
func (p Deconvolution) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.KernelTensor = in[1]
	}
	return net.AddDeconvolutionNd(in[0], p)
}
func (p Deconvolution) text() string {
	var f fields
	f.add("k=%v s=%v pre=%v post=%v d=%v groups=%d", p.KernelSize, p.Stride, p.PrePadding, p.PostPadding, p.Dilation, p.NbGroups)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	f.add("weights=%s bias=%s", weightsText(p.Kernel, false), weightsText(p.Bias, false))
	return f.String()
}

// Activation is IActivationLayer. Alpha and Beta as ActivationType says.
type Activation struct {
	Type  ActivationType
	Alpha float32
	Beta  float32
}

func (Activation) Kind() LayerType       { return LayerActivation }
func (Activation) Arity() (min, max int) { return 1, 1 }
func (p Activation) AddTo(net Network, in []Tensor) Layer {
	return net.AddActivation(in[0], p)
}
func (p Activation) text() string {
	var f fields
	f.add("%v", p.Type)
	if p.Alpha != 0 || p.Beta != 0 {
		f.add("alpha=%s beta=%s", f32(p.Alpha), f32(p.Beta))
	}
	return f.String()
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

func (Pooling) Kind() LayerType       { return LayerPooling }
func (Pooling) Arity() (min, max int) { return 1, 1 }
func (p Pooling) AddTo(net Network, in []Tensor) Layer {
	return net.AddPoolingNd(in[0], p)
}
func (p Pooling) text() string {
	var f fields
	f.add("%v window=%v s=%v pre=%v post=%v", p.Type, p.WindowSize, p.Stride, p.PrePadding, p.PostPadding)
	if p.PaddingMode != PaddingExplicitRoundDown {
		f.add("mode=%v", p.PaddingMode)
	}
	if p.Type == PoolingMaxAverageBlend {
		f.add("blend=%s", f32(p.BlendFactor))
	}
	if p.Type != PoolingMax {
		f.add("excludePadding=%t", p.AverageCountExcludesPadding)
	}
	return f.String()
}

// Reduce is IReduceLayer: ReduceAxes is a bitmask (bit i reduces dimension i).
type Reduce struct {
	Operation      ReduceOperation
	ReduceAxes     uint32
	KeepDimensions bool
}

func (Reduce) Kind() LayerType       { return LayerReduce }
func (Reduce) Arity() (min, max int) { return 1, 1 }
func (p Reduce) AddTo(net Network, in []Tensor) Layer {
	return net.AddReduce(in[0], p)
}
func (p Reduce) text() string {
	var f fields
	f.add("%v axes=%s keep=%t", p.Operation, axesText(p.ReduceAxes), p.KeepDimensions)
	return f.String()
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

func (Shuffle) Kind() LayerType       { return LayerShuffle }
func (Shuffle) Arity() (min, max int) { return 1, 2 }
func (p Shuffle) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.ReshapeTensor = in[1]
	}
	return net.AddShuffle(in[0], p)
}
func (p Shuffle) text() string {
	var f fields
	if !isIdentity(p.FirstTranspose) {
		f.add("first=%s", permText(p.FirstTranspose))
	}
	if p.ReshapeDimensions != nil {
		f.add("reshape=%v", p.ReshapeDimensions)
		if p.ZeroIsPlaceholder {
			f.add("zeroIsPlaceholder")
		}
	}
	if !isIdentity(p.SecondTranspose) {
		f.add("second=%s", permText(p.SecondTranspose))
	}
	return f.String()
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

func (Slice) Kind() LayerType       { return LayerSlice }
func (Slice) Arity() (min, max int) { return 1, 3 }
func (p Slice) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.Fill = in[1]
	}
	if len(in) > 2 && in[2] != nil {
		p.SizeTensor = in[2]
	}
	return net.AddSlice(in[0], p)
}
func (p Slice) text() string {
	var f fields
	if p.Size == nil {
		f.add("start=%v size=(input 2) stride=%v", p.Start, p.Stride)
	} else {
		f.add("start=%v size=%v stride=%v", p.Start, p.Size, p.Stride)
	}
	if p.Mode != SampleStrictBounds {
		f.add("mode=%v", p.Mode)
	}
	return f.String()
}

// Gather is IGatherLayer (addGatherV2 with setGatherAxis / setNbElementWiseDims).
type Gather struct {
	Axis              int32
	NbElementWiseDims int32
	Mode              GatherMode
}

func (Gather) Kind() LayerType       { return LayerGather }
func (Gather) Arity() (min, max int) { return 2, 2 }
func (p Gather) AddTo(net Network, in []Tensor) Layer {
	return net.AddGather(in[0], in[1], p)
}
func (p Gather) text() string {
	var f fields
	f.add("%v", p.Mode)
	if p.Mode != GatherND {
		f.add("axis=%d", p.Axis)
	}
	if p.NbElementWiseDims != 0 {
		f.add("elementWiseDims=%d", p.NbElementWiseDims)
	}
	return f.String()
}

// Scatter is IScatterLayer (addScatter(data, indices, updates, mode) and
// setAxis, which only kELEMENT reads): the output is data with updates
// written at indices; writes to one element twice are undefined
// (NvInfer.h), so a lowering needing sums must combine them first.
type Scatter struct {
	Mode ScatterMode
	Axis int32
}

func (Scatter) Kind() LayerType       { return LayerScatter }
func (Scatter) Arity() (min, max int) { return 3, 3 }
func (p Scatter) AddTo(net Network, in []Tensor) Layer {
	return net.AddScatter(in[0], in[1], in[2], p)
}
func (p Scatter) text() string {
	var f fields
	f.add("%v", p.Mode)
	if p.Mode == ScatterElement {
		f.add("axis=%d", p.Axis)
	}
	return f.String()
}

// NMS is INMSLayer (addNMS(boxes, scores, maxOutputBoxesPerClass,
// indicesType), setBoundingBoxFormat, setTopKBoxLimit; optional inputs 3
// IoUThreshold and 4 ScoreThreshold, 0-D kFLOAT, default 0). Per batch
// item and class, boxes are visited by decreasing score; a box is selected
// if its score exceeds ScoreThreshold and its IoU with every box of its
// class selected before is ≤ IoUThreshold, at most MaxOutputBoxesPerClass
// per class; only the TopKBoxLimit highest-scoring boxes of a batch item
// are considered. Output 0, SelectedIndices, is [NumOutputBoxes, 3]
// (batch, class, box) rows sorted by batch, then by decreasing score;
// the order of equal scores is unspecified (NvInfer.h). NumOutputBoxes is
// data-dependent: the Description records it as -1 (DataDependent), and
// output 1 is that count, a 0-D kINT32. TensorRT-RTX declares the layer
// but cannot build it (NVIDIA/TensorRT-RTX issue 5).
type NMS struct {
	BoundingBoxFormat BoundingBoxFormat
	TopKBoxLimit      int32    // default and maximum NMSTopKLimit
	IndicesType       DataType // kINT32 (default) or kINT64
}

// NMSTopKLimit is INMSLayer's default and largest TopK box limit on the
// GPUs TensorRT-RTX supports (NvInfer.h: 2000 on SM 5.3 and 6.2 only).
const NMSTopKLimit = 5000

// DataDependent is the dimension of a tensor whose size is known only when
// the network runs (INMSLayer's NumOutputBoxes, INonZeroLayer's count,
// and the dimensions computed from them).
const DataDependent = -1

// NonZero is INonZeroLayer (addNonZero(input, indicesType)): the
// coordinates of the input's nonzero elements (true, or ≠ 0), one column
// each, columns in lexical (row-major) order. The input is kFLOAT, kHALF,
// kINT32 or kBOOL of rank ≥ 1 (NvInfer.h); the output is [rank, count] of
// IndicesType (kINT32, the default, or kINT64), the count data-dependent
// (DataDependent). TensorRT-RTX 1.6 declares the layer but its builder
// has no implementation ("has no runners that implement it"), so the
// binding refuses it there.
type NonZero struct {
	IndicesType DataType
}

func (NonZero) Kind() LayerType       { return LayerNonZero }
func (NonZero) Arity() (min, max int) { return 1, 1 }
func (p NonZero) AddTo(net Network, in []Tensor) Layer {
	return net.AddNonZero(in[0], p)
}
func (p NonZero) text() string {
	var f fields
	f.add("indices=%v", p.IndicesType)
	return f.String()
}

func (NMS) Kind() LayerType       { return LayerNMS }
func (NMS) Arity() (min, max int) { return 3, 5 }
func (p NMS) AddTo(net Network, in []Tensor) Layer {
	var iou, score Tensor
	if len(in) > 3 && in[3] != nil {
		iou = in[3]
	}
	if len(in) > 4 && in[4] != nil {
		score = in[4]
	}
	return net.AddNMS(in[0], in[1], in[2], iou, score, p)
}
func (p NMS) text() string {
	var f fields
	f.add("%v topk=%d indices=%v", p.BoundingBoxFormat, p.TopKBoxLimit, p.IndicesType)
	return f.String()
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

func (Cumulative) Kind() LayerType       { return LayerCumulative }
func (Cumulative) Arity() (min, max int) { return 1, 1 }
func (p Cumulative) AddTo(net Network, in []Tensor) Layer {
	return net.AddCumulative(in[0], p)
}
func (p Cumulative) text() string {
	var f fields
	f.add("%v axis=%d", p.Operation, p.Axis)
	if p.Exclusive {
		f.add("exclusive")
	}
	if p.Reverse {
		f.add("reverse")
	}
	return f.String()
}

// Resize is IResizeLayer with explicit output dimensions. OutputTensor,
// when set, is setInput(1): a 1-D Int32/Int64 shape tensor whose values
// are the output dimensions (OutputDimensions must then be nil); it
// becomes the layer's input 1 (the Description's params have it nil).
type Resize struct {
	OutputDimensions         Dims
	ResizeMode               InterpolationMode
	CoordinateTransformation ResizeCoordinateTransformation
	SelectorForSinglePixel   ResizeSelector
	NearestRounding          ResizeRoundMode
	CubicCoeff               float32
	ExcludeOutside           bool
	OutputTensor             Tensor
}

func (Resize) Kind() LayerType       { return LayerResize }
func (Resize) Arity() (min, max int) { return 1, 2 }
func (p Resize) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 1 && in[1] != nil {
		p.OutputTensor = in[1]
	}
	return net.AddResize(in[0], p)
}
func (p Resize) text() string {
	var f fields
	out := p.OutputDimensions.String()
	if p.OutputDimensions == nil {
		out = "(input 1)"
	}
	f.add("%v out=%s coord=%v", p.ResizeMode, out, p.CoordinateTransformation)
	switch p.ResizeMode {
	case InterpolationNearest:
		f.add("round=%v", p.NearestRounding)
	case InterpolationCubic:
		f.add("cubic=%s", f32(p.CubicCoeff))
	}
	if p.SelectorForSinglePixel != ResizeSelectorFormula {
		f.add("selector=%v", p.SelectorForSinglePixel)
	}
	if p.ExcludeOutside {
		f.add("excludeOutside")
	}
	return f.String()
}

// TopK is ITopKLayer.
type TopK struct {
	Operation   TopKOperation
	K           int32
	ReduceAxes  uint32
	IndicesType DataType // kINT32 or kINT64
}

func (TopK) Kind() LayerType       { return LayerTopK }
func (TopK) Arity() (min, max int) { return 1, 1 }
func (p TopK) AddTo(net Network, in []Tensor) Layer {
	return net.AddTopK(in[0], p)
}
func (p TopK) text() string {
	var f fields
	f.add("%v k=%d axes=%s indices=%v", p.Operation, p.K, axesText(p.ReduceAxes), p.IndicesType)
	return f.String()
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

func (Scale) Kind() LayerType       { return LayerScale }
func (Scale) Arity() (min, max int) { return 1, 1 }
func (p Scale) AddTo(net Network, in []Tensor) Layer {
	return net.AddScaleNd(in[0], p)
}
func (p Scale) text() string {
	var f fields
	f.add("%v axis=%d shift=%s scale=%s power=%s", p.Mode, p.ChannelAxis,
		weightsText(p.Shift, true), weightsText(p.Scale, true), weightsText(p.Power, true))
	return f.String()
}

// Normalization is INormalizationLayer (inputs: data, scale, bias).
type Normalization struct {
	Epsilon  float32
	Axes     uint32
	NbGroups int64
}

func (Normalization) Kind() LayerType       { return LayerNormalization }
func (Normalization) Arity() (min, max int) { return 3, 3 }
func (p Normalization) AddTo(net Network, in []Tensor) Layer {
	return net.AddNormalization(in[0], in[1], in[2], p)
}
func (p Normalization) text() string {
	var f fields
	f.add("axes=%s eps=%s groups=%d", axesText(p.Axes), f32(p.Epsilon), p.NbGroups)
	return f.String()
}

// Fill is IFillLayer. DimensionsTensor, when set, is setInput(0): a 1-D
// Int32/Int64 shape tensor whose values are the output dimensions
// (Dimensions must then be nil); it becomes the layer's input 0 (the
// Description's params have it nil).
type Fill struct {
	Dimensions       Dims
	Operation        FillOperation
	ToType           DataType
	Alpha            float64
	Beta             float64
	DimensionsTensor Tensor
}

func (Fill) Kind() LayerType       { return LayerFill }
func (Fill) Arity() (min, max int) { return 0, 1 }
func (p Fill) AddTo(net Network, in []Tensor) Layer {
	if len(in) > 0 && in[0] != nil {
		p.DimensionsTensor = in[0]
	}
	return net.AddFill(p)
}
func (p Fill) text() string {
	var f fields
	dims := p.Dimensions.String()
	if p.Dimensions == nil {
		dims = "(input 0)"
	}
	f.add("%v dims=%s type=%v alpha=%s beta=%s", p.Operation, dims, p.ToType, fmtFloat(p.Alpha, 64), fmtFloat(p.Beta, 64))
	return f.String()
}

// The remaining layers' parameters are the arguments of their add calls;
// these structs are how a Description records them.

// ElementWise is IElementWiseLayer (inputs a, b; equal ranks, each
// dimension equal or 1 in one of them).
type ElementWise struct{ Operation ElementWiseOperation }

func (ElementWise) Kind() LayerType       { return LayerElementWise }
func (ElementWise) Arity() (min, max int) { return 2, 2 }
func (p ElementWise) AddTo(net Network, in []Tensor) Layer {
	return net.AddElementWise(in[0], in[1], p.Operation)
}
func (p ElementWise) text() string {
	var f fields
	f.add("%v", p.Operation)
	return f.String()
}

// Unary is IUnaryLayer.
type Unary struct{ Operation UnaryOperation }

func (Unary) Kind() LayerType       { return LayerUnary }
func (Unary) Arity() (min, max int) { return 1, 1 }
func (p Unary) AddTo(net Network, in []Tensor) Layer {
	return net.AddUnary(in[0], p.Operation)
}
func (p Unary) text() string {
	var f fields
	f.add("%v", p.Operation)
	return f.String()
}

// SoftMax is ISoftMaxLayer: Axes is a bitmask with exactly one bit.
type SoftMax struct{ Axes uint32 }

func (SoftMax) Kind() LayerType       { return LayerSoftMax }
func (SoftMax) Arity() (min, max int) { return 1, 1 }
func (p SoftMax) AddTo(net Network, in []Tensor) Layer {
	return net.AddSoftMax(in[0], p.Axes)
}
func (p SoftMax) text() string {
	var f fields
	f.add("axes=%s", axesText(p.Axes))
	return f.String()
}

// Concatenation is IConcatenationLayer.
type Concatenation struct{ Axis int32 }

func (Concatenation) Kind() LayerType       { return LayerConcatenation }
func (Concatenation) Arity() (min, max int) { return 1, -1 }
func (p Concatenation) AddTo(net Network, in []Tensor) Layer {
	return net.AddConcatenation(in, p.Axis)
}
func (p Concatenation) text() string {
	var f fields
	f.add("axis=%d", p.Axis)
	return f.String()
}

// MatrixMultiply is IMatrixMultiplyLayer (inputs a, b).
type MatrixMultiply struct{ Op0, Op1 MatrixOperation }

func (MatrixMultiply) Kind() LayerType       { return LayerMatrixMult }
func (MatrixMultiply) Arity() (min, max int) { return 2, 2 }
func (p MatrixMultiply) AddTo(net Network, in []Tensor) Layer {
	return net.AddMatrixMultiply(in[0], p.Op0, in[1], p.Op1)
}
func (p MatrixMultiply) text() string {
	var f fields
	f.add("%v %v", p.Op0, p.Op1)
	return f.String()
}

// Constant is IConstantLayer.
type Constant struct {
	Dimensions Dims
	Weights    Weights
}

func (Constant) Kind() LayerType       { return LayerConstant }
func (Constant) Arity() (min, max int) { return 0, 0 }
func (p Constant) AddTo(net Network, in []Tensor) Layer {
	return net.AddConstant(p.Dimensions, p.Weights)
}
func (p Constant) text() string {
	var f fields
	f.add("weights=%s", weightsText(p.Weights, true))
	return f.String()
}

// Cast is ICastLayer.
type Cast struct{ ToType DataType }

func (Cast) Kind() LayerType       { return LayerCast }
func (Cast) Arity() (min, max int) { return 1, 1 }
func (p Cast) AddTo(net Network, in []Tensor) Layer {
	return net.AddCast(in[0], p.ToType)
}
func (p Cast) text() string {
	var f fields
	f.add("to=%v", p.ToType)
	return f.String()
}

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

func (Quantize) Kind() LayerType       { return LayerQuantize }
func (Quantize) Arity() (min, max int) { return 2, 2 }
func (p Quantize) AddTo(net Network, in []Tensor) Layer {
	return net.AddQuantize(in[0], in[1], p)
}
func (p Quantize) text() string {
	var f fields
	f.add("to=%v axis=%d", p.ToType, p.Axis)
	return f.String()
}

// Dequantize is IDequantizeLayer (addDequantize(input, scale, ToType),
// setAxis): y = float(q) * scale, zero point 0. Inputs: the kINT8 or kFP8 data and
// the scale, as for Quantize; ToType is kFLOAT, kHALF or kBF16.
type Dequantize struct {
	Axis   int32
	ToType DataType
}

func (Dequantize) Kind() LayerType       { return LayerDequantize }
func (Dequantize) Arity() (min, max int) { return 2, 2 }
func (p Dequantize) AddTo(net Network, in []Tensor) Layer {
	return net.AddDequantize(in[0], in[1], p)
}
func (p Dequantize) text() string {
	var f fields
	f.add("to=%v axis=%d", p.ToType, p.Axis)
	return f.String()
}

// Einsum is IEinsumLayer.
type Einsum struct{ Equation string }

func (Einsum) Kind() LayerType       { return LayerEinsum }
func (Einsum) Arity() (min, max int) { return 1, -1 }
func (p Einsum) AddTo(net Network, in []Tensor) Layer {
	return net.AddEinsum(in, p.Equation)
}
func (p Einsum) text() string {
	var f fields
	f.add("%q", p.Equation)
	return f.String()
}

// Padding is IPaddingLayer (addPaddingNd): zero padding of the last two
// dimensions; negative values crop.
type Padding struct{ PrePadding, PostPadding Dims }

func (Padding) Kind() LayerType       { return LayerPadding }
func (Padding) Arity() (min, max int) { return 1, 1 }
func (p Padding) AddTo(net Network, in []Tensor) Layer {
	return net.AddPaddingNd(in[0], p.PrePadding, p.PostPadding)
}
func (p Padding) text() string {
	var f fields
	f.add("pre=%v post=%v", p.PrePadding, p.PostPadding)
	return f.String()
}

// Identity is IIdentityLayer.
type Identity struct{}

func (Identity) Kind() LayerType       { return LayerIdentity }
func (Identity) Arity() (min, max int) { return 1, 1 }
func (p Identity) AddTo(net Network, in []Tensor) Layer {
	return net.AddIdentity(in[0])
}
func (Identity) text() string { return "" }

// ParametricReLU is IParametricReLULayer (addParametricReLU(input, slope)):
// y = x ≥ 0 ? x : slope*x, the slope tensor of the input's type and rank
// broadcasting to the input (unidirectionally: the output has the input's
// dimensions).
type ParametricReLU struct{}

func (ParametricReLU) Kind() LayerType       { return LayerParametricReLU }
func (ParametricReLU) Arity() (min, max int) { return 2, 2 }
func (p ParametricReLU) AddTo(net Network, in []Tensor) Layer {
	return net.AddParametricReLU(in[0], in[1])
}
func (ParametricReLU) text() string { return "" }

// Select is ISelectLayer (inputs condition, then, else).
type Select struct{}

func (Select) Kind() LayerType       { return LayerSelect }
func (Select) Arity() (min, max int) { return 3, 3 }
func (p Select) AddTo(net Network, in []Tensor) Layer {
	return net.AddSelect(in[0], in[1], in[2])
}
func (Select) text() string { return "" }

// Shape is IShapeLayer.
type Shape struct{}

func (Shape) Kind() LayerType       { return LayerShape }
func (Shape) Arity() (min, max int) { return 1, 1 }
func (p Shape) AddTo(net Network, in []Tensor) Layer {
	return net.AddShape(in[0])
}
func (Shape) text() string { return "" }
