package codegen

// enumNames maps each TensorRT enum value to the name of its constant in
// package trt, so generated code reads trt.ActivationRelu, not
// trt.ActivationType(0). TestEnumNames checks it against backend/trt.

import (
	"reflect"

	"github.com/tfc-dev/tfc/backend/trt"
)

var enumNames = map[reflect.Type]map[int64]string{
	reflect.TypeFor[trt.ActivationType](): {
		0:  "ActivationRelu",
		1:  "ActivationSigmoid",
		2:  "ActivationTanh",
		3:  "ActivationLeakyRelu",
		4:  "ActivationElu",
		5:  "ActivationSelu",
		6:  "ActivationSoftsign",
		7:  "ActivationSoftplus",
		8:  "ActivationClip",
		9:  "ActivationHardSigmoid",
		10: "ActivationScaledTanh",
		11: "ActivationThresholdedRelu",
		12: "ActivationGeluErf",
		13: "ActivationGeluTanh",
	},
	reflect.TypeFor[trt.DataType](): {
		0: "Float",
		1: "Half",
		2: "Int8",
		3: "Int32",
		4: "Bool",
		5: "Uint8",
		6: "FP8",
		7: "BF16",
		8: "Int64",
	},
	reflect.TypeFor[trt.ElementWiseOperation](): {
		0:  "ElementWiseSum",
		1:  "ElementWiseProd",
		2:  "ElementWiseMax",
		3:  "ElementWiseMin",
		4:  "ElementWiseSub",
		5:  "ElementWiseDiv",
		6:  "ElementWisePow",
		7:  "ElementWiseFloorDiv",
		8:  "ElementWiseAnd",
		9:  "ElementWiseOr",
		10: "ElementWiseXor",
		11: "ElementWiseEqual",
		12: "ElementWiseGreater",
		13: "ElementWiseLess",
	},
	reflect.TypeFor[trt.FillOperation](): {
		0: "FillLinspace",
		1: "FillRandomUniform",
		2: "FillRandomNormal",
	},
	reflect.TypeFor[trt.ScatterMode](): {
		0: "ScatterElement",
		1: "ScatterND",
	},
	reflect.TypeFor[trt.CumulativeOperation](): {
		0: "CumulativeSum",
	},
	reflect.TypeFor[trt.GatherMode](): {
		0: "GatherDefault",
		1: "GatherElement",
		2: "GatherND",
	},
	reflect.TypeFor[trt.InterpolationMode](): {
		0: "InterpolationNearest",
		1: "InterpolationLinear",
		2: "InterpolationCubic",
	},
	reflect.TypeFor[trt.MatrixOperation](): {
		0: "MatrixNone",
		1: "MatrixTranspose",
		2: "MatrixVector",
	},
	reflect.TypeFor[trt.PaddingMode](): {
		0: "PaddingExplicitRoundDown",
		1: "PaddingExplicitRoundUp",
		2: "PaddingSameUpper",
		3: "PaddingSameLower",
	},
	reflect.TypeFor[trt.PoolingType](): {
		0: "PoolingMax",
		1: "PoolingAverage",
		2: "PoolingMaxAverageBlend",
	},
	reflect.TypeFor[trt.ReduceOperation](): {
		0: "ReduceSum",
		1: "ReduceProd",
		2: "ReduceMax",
		3: "ReduceMin",
		4: "ReduceAvg",
	},
	reflect.TypeFor[trt.ResizeCoordinateTransformation](): {
		0: "ResizeAlignCorners",
		1: "ResizeAsymmetric",
		2: "ResizeHalfPixel",
	},
	reflect.TypeFor[trt.ResizeRoundMode](): {
		0: "ResizeRoundHalfUp",
		1: "ResizeRoundHalfDown",
		2: "ResizeRoundFloor",
		3: "ResizeRoundCeil",
	},
	reflect.TypeFor[trt.ResizeSelector](): {
		0: "ResizeSelectorFormula",
		1: "ResizeSelectorUpper",
	},
	reflect.TypeFor[trt.SampleMode](): {
		0: "SampleStrictBounds",
		1: "SampleWrap",
		2: "SampleClamp",
		3: "SampleFill",
		4: "SampleReflect",
	},
	reflect.TypeFor[trt.ScaleMode](): {
		0: "ScaleUniform",
		1: "ScaleChannel",
		2: "ScaleElementwise",
	},
	reflect.TypeFor[trt.TopKOperation](): {
		0: "TopKMax",
		1: "TopKMin",
	},
	reflect.TypeFor[trt.UnaryOperation](): {
		0:  "UnaryExp",
		1:  "UnaryLog",
		2:  "UnarySqrt",
		3:  "UnaryRecip",
		4:  "UnaryAbs",
		5:  "UnaryNeg",
		6:  "UnarySin",
		7:  "UnaryCos",
		8:  "UnaryTan",
		9:  "UnarySinh",
		10: "UnaryCosh",
		11: "UnaryAsin",
		12: "UnaryAcos",
		13: "UnaryAtan",
		14: "UnaryAsinh",
		15: "UnaryAcosh",
		16: "UnaryAtanh",
		17: "UnaryCeil",
		18: "UnaryFloor",
		19: "UnaryErf",
		20: "UnaryNot",
		21: "UnarySign",
		22: "UnaryRound",
		23: "UnaryIsInf",
		24: "UnaryIsNan",
	},
}
