package trt

import "strconv"

// The enums of TensorRT's layer parameters. Values are TensorRT's, so the
// cgo binding converts by a plain cast.

// ActivationType is nvinfer1::ActivationType.
type ActivationType int32

const (
	ActivationRelu            ActivationType = 0  // kRELU: max(x, 0)
	ActivationSigmoid         ActivationType = 1  // kSIGMOID
	ActivationTanh            ActivationType = 2  // kTANH
	ActivationLeakyRelu       ActivationType = 3  // kLEAKY_RELU: x ≥ 0 ? x : alpha*x
	ActivationElu             ActivationType = 4  // kELU: x ≥ 0 ? x : alpha*(exp(x)-1)
	ActivationSelu            ActivationType = 5  // kSELU: beta * (x > 0 ? x : alpha*(exp(x)-1))
	ActivationSoftsign        ActivationType = 6  // kSOFTSIGN: x / (1+|x|)
	ActivationSoftplus        ActivationType = 7  // kSOFTPLUS: alpha*log(exp(beta*x)+1)
	ActivationClip            ActivationType = 8  // kCLIP: max(alpha, min(beta, x))
	ActivationHardSigmoid     ActivationType = 9  // kHARD_SIGMOID: max(0, min(1, alpha*x+beta))
	ActivationScaledTanh      ActivationType = 10 // kSCALED_TANH: alpha*tanh(beta*x)
	ActivationThresholdedRelu ActivationType = 11 // kTHRESHOLDED_RELU: x > alpha ? x : 0
	ActivationGeluErf         ActivationType = 12 // kGELU_ERF: 0.5*x*(1+erf(x/sqrt(2)))
	ActivationGeluTanh        ActivationType = 13 // kGELU_TANH: 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))
)

var activationNames = []string{"kRELU", "kSIGMOID", "kTANH", "kLEAKY_RELU", "kELU", "kSELU", "kSOFTSIGN", "kSOFTPLUS", "kCLIP", "kHARD_SIGMOID", "kSCALED_TANH", "kTHRESHOLDED_RELU", "kGELU_ERF", "kGELU_TANH"}

func (a ActivationType) String() string { return enumName(activationNames, int32(a), "ActivationType") }

// ElementWiseOperation is nvinfer1::ElementWiseOperation.
type ElementWiseOperation int32

const (
	ElementWiseSum      ElementWiseOperation = 0  // kSUM
	ElementWiseProd     ElementWiseOperation = 1  // kPROD
	ElementWiseMax      ElementWiseOperation = 2  // kMAX
	ElementWiseMin      ElementWiseOperation = 3  // kMIN
	ElementWiseSub      ElementWiseOperation = 4  // kSUB
	ElementWiseDiv      ElementWiseOperation = 5  // kDIV
	ElementWisePow      ElementWiseOperation = 6  // kPOW
	ElementWiseFloorDiv ElementWiseOperation = 7  // kFLOOR_DIV
	ElementWiseAnd      ElementWiseOperation = 8  // kAND
	ElementWiseOr       ElementWiseOperation = 9  // kOR
	ElementWiseXor      ElementWiseOperation = 10 // kXOR
	ElementWiseEqual    ElementWiseOperation = 11 // kEQUAL
	ElementWiseGreater  ElementWiseOperation = 12 // kGREATER
	ElementWiseLess     ElementWiseOperation = 13 // kLESS
)

var elementWiseNames = []string{"kSUM", "kPROD", "kMAX", "kMIN", "kSUB", "kDIV", "kPOW", "kFLOOR_DIV", "kAND", "kOR", "kXOR", "kEQUAL", "kGREATER", "kLESS"}

func (o ElementWiseOperation) String() string {
	return enumName(elementWiseNames, int32(o), "ElementWiseOperation")
}

// UnaryOperation is nvinfer1::UnaryOperation.
type UnaryOperation int32

const (
	UnaryExp   UnaryOperation = 0  // kEXP
	UnaryLog   UnaryOperation = 1  // kLOG
	UnarySqrt  UnaryOperation = 2  // kSQRT
	UnaryRecip UnaryOperation = 3  // kRECIP
	UnaryAbs   UnaryOperation = 4  // kABS
	UnaryNeg   UnaryOperation = 5  // kNEG
	UnarySin   UnaryOperation = 6  // kSIN
	UnaryCos   UnaryOperation = 7  // kCOS
	UnaryTan   UnaryOperation = 8  // kTAN
	UnarySinh  UnaryOperation = 9  // kSINH
	UnaryCosh  UnaryOperation = 10 // kCOSH
	UnaryAsin  UnaryOperation = 11 // kASIN
	UnaryAcos  UnaryOperation = 12 // kACOS
	UnaryAtan  UnaryOperation = 13 // kATAN
	UnaryAsinh UnaryOperation = 14 // kASINH
	UnaryAcosh UnaryOperation = 15 // kACOSH
	UnaryAtanh UnaryOperation = 16 // kATANH
	UnaryCeil  UnaryOperation = 17 // kCEIL
	UnaryFloor UnaryOperation = 18 // kFLOOR
	UnaryErf   UnaryOperation = 19 // kERF
	UnaryNot   UnaryOperation = 20 // kNOT
	UnarySign  UnaryOperation = 21 // kSIGN
	UnaryRound UnaryOperation = 22 // kROUND: to nearest, ties to even
	UnaryIsInf UnaryOperation = 23 // kISINF
	UnaryIsNan UnaryOperation = 24 // kISNAN
)

var unaryNames = []string{"kEXP", "kLOG", "kSQRT", "kRECIP", "kABS", "kNEG", "kSIN", "kCOS", "kTAN", "kSINH", "kCOSH", "kASIN", "kACOS", "kATAN", "kASINH", "kACOSH", "kATANH", "kCEIL", "kFLOOR", "kERF", "kNOT", "kSIGN", "kROUND", "kISINF", "kISNAN"}

func (o UnaryOperation) String() string { return enumName(unaryNames, int32(o), "UnaryOperation") }

// ReduceOperation is nvinfer1::ReduceOperation.
type ReduceOperation int32

const (
	ReduceSum  ReduceOperation = 0 // kSUM
	ReduceProd ReduceOperation = 1 // kPROD
	ReduceMax  ReduceOperation = 2 // kMAX
	ReduceMin  ReduceOperation = 3 // kMIN
	ReduceAvg  ReduceOperation = 4 // kAVG
)

var reduceNames = []string{"kSUM", "kPROD", "kMAX", "kMIN", "kAVG"}

func (o ReduceOperation) String() string { return enumName(reduceNames, int32(o), "ReduceOperation") }

// PoolingType is nvinfer1::PoolingType.
type PoolingType int32

const (
	PoolingMax             PoolingType = 0 // kMAX
	PoolingAverage         PoolingType = 1 // kAVERAGE
	PoolingMaxAverageBlend PoolingType = 2 // kMAX_AVERAGE_BLEND
)

var poolingNames = []string{"kMAX", "kAVERAGE", "kMAX_AVERAGE_BLEND"}

func (t PoolingType) String() string { return enumName(poolingNames, int32(t), "PoolingType") }

// PaddingMode is nvinfer1::PaddingMode. tfc always uses explicit padding
// (kEXPLICIT_ROUND_DOWN with pre/post padding).
type PaddingMode int32

const (
	PaddingExplicitRoundDown PaddingMode = 0 // kEXPLICIT_ROUND_DOWN
	PaddingExplicitRoundUp   PaddingMode = 1 // kEXPLICIT_ROUND_UP
	PaddingSameUpper         PaddingMode = 2 // kSAME_UPPER
	PaddingSameLower         PaddingMode = 3 // kSAME_LOWER
)

var paddingNames = []string{"kEXPLICIT_ROUND_DOWN", "kEXPLICIT_ROUND_UP", "kSAME_UPPER", "kSAME_LOWER"}

func (m PaddingMode) String() string { return enumName(paddingNames, int32(m), "PaddingMode") }

// SampleMode is nvinfer1::SampleMode (ISliceLayer's out-of-bounds rule).
type SampleMode int32

const (
	SampleStrictBounds SampleMode = 0 // kSTRICT_BOUNDS: every sampled index must be in bounds
	SampleWrap         SampleMode = 1 // kWRAP: index modulo the dimension
	SampleClamp        SampleMode = 2 // kCLAMP: index clamped to the dimension
	SampleFill         SampleMode = 3 // kFILL: out-of-bounds reads give the fill value (input 4, default 0)
	SampleReflect      SampleMode = 4 // kREFLECT: reflected (like numpy "reflect")
)

var sampleNames = []string{"kSTRICT_BOUNDS", "kWRAP", "kCLAMP", "kFILL", "kREFLECT"}

func (m SampleMode) String() string { return enumName(sampleNames, int32(m), "SampleMode") }

// InterpolationMode is nvinfer1::InterpolationMode (IResizeLayer).
type InterpolationMode int32

const (
	InterpolationNearest InterpolationMode = 0 // kNEAREST
	InterpolationLinear  InterpolationMode = 1 // kLINEAR
	InterpolationCubic   InterpolationMode = 2 // kCUBIC
)

var interpolationNames = []string{"kNEAREST", "kLINEAR", "kCUBIC"}

func (m InterpolationMode) String() string {
	return enumName(interpolationNames, int32(m), "InterpolationMode")
}

// ResizeCoordinateTransformation is nvinfer1::ResizeCoordinateTransformation.
type ResizeCoordinateTransformation int32

const (
	ResizeAlignCorners ResizeCoordinateTransformation = 0 // kALIGN_CORNERS: x_in = x_out*(in-1)/(out-1)
	ResizeAsymmetric   ResizeCoordinateTransformation = 1 // kASYMMETRIC: x_in = x_out*in/out
	ResizeHalfPixel    ResizeCoordinateTransformation = 2 // kHALF_PIXEL: x_in = (x_out+0.5)*in/out - 0.5
)

var coordNames = []string{"kALIGN_CORNERS", "kASYMMETRIC", "kHALF_PIXEL"}

func (c ResizeCoordinateTransformation) String() string {
	return enumName(coordNames, int32(c), "ResizeCoordinateTransformation")
}

// ResizeSelector is nvinfer1::ResizeSelector: the rule for a 1-pixel output.
type ResizeSelector int32

const (
	ResizeSelectorFormula ResizeSelector = 0 // kFORMULA
	ResizeSelectorUpper   ResizeSelector = 1 // kUPPER: use the upper-left pixel
)

func (s ResizeSelector) String() string {
	return enumName([]string{"kFORMULA", "kUPPER"}, int32(s), "ResizeSelector")
}

// ResizeRoundMode is nvinfer1::ResizeRoundMode (nearest-neighbour rounding).
type ResizeRoundMode int32

const (
	ResizeRoundHalfUp   ResizeRoundMode = 0 // kHALF_UP
	ResizeRoundHalfDown ResizeRoundMode = 1 // kHALF_DOWN
	ResizeRoundFloor    ResizeRoundMode = 2 // kFLOOR
	ResizeRoundCeil     ResizeRoundMode = 3 // kCEIL
)

func (m ResizeRoundMode) String() string {
	return enumName([]string{"kHALF_UP", "kHALF_DOWN", "kFLOOR", "kCEIL"}, int32(m), "ResizeRoundMode")
}

// MatrixOperation is nvinfer1::MatrixOperation.
type MatrixOperation int32

const (
	MatrixNone      MatrixOperation = 0 // kNONE
	MatrixTranspose MatrixOperation = 1 // kTRANSPOSE: transpose the last two dimensions
	MatrixVector    MatrixOperation = 2 // kVECTOR: the last dimension is a vector
)

func (o MatrixOperation) String() string {
	return enumName([]string{"kNONE", "kTRANSPOSE", "kVECTOR"}, int32(o), "MatrixOperation")
}

// TopKOperation is nvinfer1::TopKOperation.
type TopKOperation int32

const (
	TopKMax TopKOperation = 0 // kMAX
	TopKMin TopKOperation = 1 // kMIN
)

func (o TopKOperation) String() string {
	return enumName([]string{"kMAX", "kMIN"}, int32(o), "TopKOperation")
}

// GatherMode is nvinfer1::GatherMode.
type GatherMode int32

const (
	GatherDefault GatherMode = 0 // kDEFAULT
	GatherElement GatherMode = 1 // kELEMENT
	GatherND      GatherMode = 2 // kND
)

func (m GatherMode) String() string {
	return enumName([]string{"kDEFAULT", "kELEMENT", "kND"}, int32(m), "GatherMode")
}

// ScatterMode is nvinfer1::ScatterMode.
type ScatterMode int32

const (
	ScatterElement ScatterMode = 0 // kELEMENT
	ScatterND      ScatterMode = 1 // kND
)

func (m ScatterMode) String() string {
	return enumName([]string{"kELEMENT", "kND"}, int32(m), "ScatterMode")
}

// BoundingBoxFormat is nvinfer1::BoundingBoxFormat (INMSLayer's boxes).
type BoundingBoxFormat int32

const (
	BoxCornerPairs BoundingBoxFormat = 0 // kCORNER_PAIRS: (x1, y1, x2, y2), any two diagonal corners
	BoxCenterSizes BoundingBoxFormat = 1 // kCENTER_SIZES: (x_center, y_center, width, height)
)

func (f BoundingBoxFormat) String() string {
	return enumName([]string{"kCORNER_PAIRS", "kCENTER_SIZES"}, int32(f), "BoundingBoxFormat")
}

// CumulativeOperation is nvinfer1::CumulativeOperation (TensorRT-RTX 1.6
// and TensorRT 10 define only kSUM).
type CumulativeOperation int32

const (
	CumulativeSum CumulativeOperation = 0 // kSUM
)

func (o CumulativeOperation) String() string {
	return enumName([]string{"kSUM"}, int32(o), "CumulativeOperation")
}

// ScaleMode is nvinfer1::ScaleMode.
type ScaleMode int32

const (
	ScaleUniform     ScaleMode = 0 // kUNIFORM
	ScaleChannel     ScaleMode = 1 // kCHANNEL
	ScaleElementwise ScaleMode = 2 // kELEMENTWISE
)

func (m ScaleMode) String() string {
	return enumName([]string{"kUNIFORM", "kCHANNEL", "kELEMENTWISE"}, int32(m), "ScaleMode")
}

// FillOperation is nvinfer1::FillOperation.
type FillOperation int32

const (
	FillLinspace      FillOperation = 0 // kLINSPACE
	FillRandomUniform FillOperation = 1 // kRANDOM_UNIFORM
	FillRandomNormal  FillOperation = 2 // kRANDOM_NORMAL
)

func (o FillOperation) String() string {
	return enumName([]string{"kLINSPACE", "kRANDOM_UNIFORM", "kRANDOM_NORMAL"}, int32(o), "FillOperation")
}

func enumName(names []string, v int32, typ string) string {
	if v >= 0 && int(v) < len(names) {
		return names[v]
	}
	return typ + "(" + strconv.Itoa(int(v)) + ")"
}
