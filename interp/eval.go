package interp

import (
	"fmt"
	"slices"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// EvalOp evaluates one op on concrete arguments, one per operand, and
// returns its results. The op's attributes must be valid for its opcode
// (as ir.InferTypes checks); the arguments must have the operand types
// the op was built with. Errors name the op and its location.
func EvalOp(op *ir.Op, args []*tensor.Tensor) (res []*tensor.Tensor, err error) {
	if op == nil {
		return nil, fmt.Errorf("interp: nil op")
	}
	// A missing or mistyped attribute makes the accessors panic (the op
	// was not built by ir.Func.NewOp or checked by ir.Verify); report
	// that as an error naming the op.
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("%s loc(%q): %v", op.Opcode, op.Loc, r)
		}
	}()
	info := op.Opcode.Info()
	if info.Name == "" {
		return nil, fmt.Errorf("%s loc(%q): invalid opcode", op.Opcode, op.Loc)
	}
	if n := len(args); n < info.MinArgs || (info.MaxArgs >= 0 && n > info.MaxArgs) {
		return nil, fmt.Errorf("%s loc(%q): %d arguments, want %d to %d", op.Opcode, op.Loc, n, info.MinArgs, info.MaxArgs)
	}
	for i, a := range args {
		if a == nil {
			return nil, fmt.Errorf("%s loc(%q): argument %d is nil", op.Opcode, op.Loc, i)
		}
	}
	res, err = evalOp(op, args)
	if err != nil {
		return nil, fmt.Errorf("%s loc(%q): %w", op.Opcode, op.Loc, err)
	}
	return res, nil
}

// Tables from ir opcodes to kernel operations.
var (
	binaryOps = map[ir.Opcode]kernels.BinaryOp{
		ir.OpAdd: kernels.Add, ir.OpSub: kernels.Sub, ir.OpMul: kernels.Mul, ir.OpDiv: kernels.Div,
		ir.OpFloorDiv: kernels.FloorDiv, ir.OpFloorMod: kernels.FloorMod, ir.OpPow: kernels.Pow,
		ir.OpMax: kernels.Max, ir.OpMin: kernels.Min,
	}
	compareOps = map[ir.Opcode]kernels.CompareOp{
		ir.OpEqual: kernels.Equal, ir.OpNotEqual: kernels.NotEqual, ir.OpLess: kernels.Less,
		ir.OpLessEqual: kernels.LessEqual, ir.OpGreater: kernels.Greater, ir.OpGreaterEqual: kernels.GreaterEqual,
	}
	logicOps = map[ir.Opcode]kernels.LogicOp{ir.OpAnd: kernels.And, ir.OpOr: kernels.Or, ir.OpXor: kernels.Xor}
	unaryOps = map[ir.Opcode]kernels.UnaryOp{
		ir.OpNot: kernels.Not, ir.OpNeg: kernels.Neg, ir.OpAbs: kernels.Abs, ir.OpSign: kernels.Sign,
		ir.OpExp: kernels.Exp, ir.OpExpm1: kernels.Expm1, ir.OpLog: kernels.Log, ir.OpLog1p: kernels.Log1p,
		ir.OpSqrt: kernels.Sqrt, ir.OpRsqrt: kernels.Rsqrt, ir.OpReciprocal: kernels.Reciprocal,
		ir.OpSin: kernels.Sin, ir.OpCos: kernels.Cos, ir.OpTan: kernels.Tan, ir.OpAsin: kernels.Asin,
		ir.OpAcos: kernels.Acos, ir.OpAtan: kernels.Atan, ir.OpSinh: kernels.Sinh, ir.OpCosh: kernels.Cosh,
		ir.OpAsinh: kernels.Asinh, ir.OpAcosh: kernels.Acosh, ir.OpAtanh: kernels.Atanh, ir.OpErf: kernels.Erf, ir.OpErfc: kernels.Erfc,
		ir.OpFloor: kernels.Floor, ir.OpCeil: kernels.Ceil, ir.OpRound: kernels.Round, ir.OpTanh: kernels.Tanh,
		ir.OpSigmoid: kernels.Sigmoid, ir.OpSoftplus: kernels.Softplus, ir.OpSoftsign: kernels.Softsign,
		ir.OpRelu: kernels.Relu, ir.OpClamp: kernels.Clamp, ir.OpLeakyRelu: kernels.LeakyRelu,
		ir.OpElu: kernels.Elu, ir.OpSelu: kernels.Selu, ir.OpHardSigmoid: kernels.HardSigmoid,
	}
	resizeModes = map[string]kernels.ResizeMode{"nearest": kernels.ResizeNearest, "linear": kernels.ResizeLinear}
	coordModes  = map[string]kernels.CoordMode{
		"asymmetric": kernels.CoordAsymmetric, "align_corners": kernels.CoordAlignCorners,
		"half_pixel": kernels.CoordHalfPixel, "tf_half_pixel_for_nn": kernels.CoordTFHalfPixelForNN,
	}
	roundings = map[string]kernels.NearestRounding{
		"floor": kernels.RoundFloor, "ceil": kernels.RoundCeil,
		"round_prefer_floor": kernels.RoundPreferFloor, "round_prefer_ceil": kernels.RoundPreferCeil,
	}
	padModes = map[string]kernels.PadMode{
		"constant": kernels.PadConstant, "reflect": kernels.PadReflect,
		"symmetric": kernels.PadSymmetric, "edge": kernels.PadEdge,
	}
)

// floatAttr returns a float attribute, or 0 if the op does not have it.
func floatAttr(op *ir.Op, name string) float64 {
	v, _ := op.Attrs.Value(name).(float64)
	return v
}

func one(t *tensor.Tensor, err error) ([]*tensor.Tensor, error) {
	if err != nil {
		return nil, err
	}
	return []*tensor.Tensor{t}, nil
}

func evalOp(op *ir.Op, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	if k, ok := binaryOps[op.Opcode]; ok {
		return one(kernels.Binary(k, args[0], args[1]))
	}
	if k, ok := compareOps[op.Opcode]; ok {
		return one(kernels.Compare(k, args[0], args[1]))
	}
	if k, ok := logicOps[op.Opcode]; ok {
		return one(kernels.Logic(k, args[0], args[1]))
	}
	if op.Opcode == ir.OpGelu {
		k := kernels.Gelu
		if op.Str("approximate") == "tanh" {
			k = kernels.GeluTanh
		}
		return one(kernels.Unary(k, args[0], kernels.UnaryParams{}))
	}
	if k, ok := unaryOps[op.Opcode]; ok {
		p := kernels.UnaryParams{
			Min: floatAttr(op, "min"), Max: floatAttr(op, "max"),
			Alpha: floatAttr(op, "alpha"), Beta: floatAttr(op, "beta"), Gamma: floatAttr(op, "gamma"),
		}
		return one(kernels.Unary(k, args[0], p))
	}
	switch op.Opcode {
	case ir.OpWhile:
		return evalWhile(op, args)
	case ir.OpIf:
		return evalIf(op, args)
	case ir.OpInput:
		return nil, fmt.Errorf("input %q has no value", op.Str("name"))
	case ir.OpConst:
		t := op.Tensor("value")
		if ir.IsElided(t) {
			return nil, fmt.Errorf("constant elided in text form (it was printed with -elide-consts)")
		}
		return []*tensor.Tensor{t}, nil
	case ir.OpSelect:
		return one(kernels.Select(args[0], args[1], args[2]))
	case ir.OpPRelu:
		return one(kernels.PRelu(args[0], args[1]))
	case ir.OpL2Normalize:
		return one(kernels.L2Normalize(args[0], op.Ints("axes"), float32(op.Float("epsilon"))))
	case ir.OpCast:
		return one(kernels.Cast(args[0], op.DType("to")))
	case ir.OpReduce:
		kind, ok := kernels.ParseReduceKind(op.Str("kind"))
		if !ok {
			return nil, fmt.Errorf("unknown reduce kind %q", op.Str("kind"))
		}
		return one(kernels.Reduce(args[0], kind, op.Ints("axes"), op.Bool("keep_dims")))
	case ir.OpArgMax:
		return one(kernels.ArgMax(args[0], op.Int("axis"), op.Bool("keep_dims"), op.DType("index_type")))
	case ir.OpArgMin:
		return one(kernels.ArgMin(args[0], op.Int("axis"), op.Bool("keep_dims"), op.DType("index_type")))
	case ir.OpTopK:
		v, i, err := kernels.TopK(args[0], op.Int("axis"), op.Int("k"))
		if err != nil {
			return nil, err
		}
		return []*tensor.Tensor{v, i}, nil
	case ir.OpSoftmax:
		return one(kernels.Softmax(args[0], op.Int("axis")))
	case ir.OpLogSoftmax:
		return one(kernels.LogSoftmax(args[0], op.Int("axis")))
	case ir.OpReshape:
		return one(kernels.Reshape(args[0], tensor.Shape(op.Ints("shape"))))
	case ir.OpShape:
		return one(shapeOf(args[0].Shape, op.DType("dtype")))
	case ir.OpDynamicReshape:
		s, err := resolveReshape(args[0].Shape, args[1])
		if err != nil {
			return nil, err
		}
		return one(kernels.Reshape(args[0], s))
	case ir.OpDynamicBroadcast:
		s, err := shapeOperand(args[1])
		if err != nil {
			return nil, err
		}
		return one(kernels.Broadcast(args[0], s))
	case ir.OpDynamicTile:
		m, err := shapeOperand(args[1])
		if err != nil {
			return nil, err
		}
		return one(kernels.Tile(args[0], m))
	case ir.OpDynamicSlice:
		size, err := shapeOperand(args[1])
		if err != nil {
			return nil, err
		}
		// A negative start counts from the end (the type rule keeps
		// every index read on its side of 0).
		start := slices.Clone(op.Ints("start"))
		for i, s := range start {
			if s < 0 {
				start[i] += args[0].Shape[i]
			}
		}
		return one(kernels.Slice(args[0], start, size, op.Ints("stride")))
	case ir.OpRange:
		return one(intRange(args[0], args[1], args[2]))
	case ir.OpTranspose:
		return one(kernels.Transpose(args[0], op.Ints("perm")))
	case ir.OpConcat:
		return one(kernels.Concat(op.Int("axis"), args...))
	case ir.OpSlice:
		return one(kernels.Slice(args[0], op.Ints("start"), op.Ints("size"), op.Ints("stride")))
	case ir.OpPad:
		mode, ok := padModes[op.Str("mode")]
		if !ok {
			return nil, fmt.Errorf("unknown pad mode %q", op.Str("mode"))
		}
		return one(kernels.Pad(args[0], mode, op.Ints("pads"), op.Float("value")))
	case ir.OpTile:
		return one(kernels.Tile(args[0], op.Ints("multiples")))
	case ir.OpBroadcast:
		return one(kernels.Broadcast(args[0], tensor.Shape(op.Ints("shape"))))
	case ir.OpGather:
		return one(kernels.Gather(args[0], args[1], op.Int("axis"), op.Int("batch_dims")))
	case ir.OpGatherND:
		return one(kernels.GatherND(args[0], args[1], op.Int("batch_dims")))
	case ir.OpCumulative:
		return one(kernels.Cumulative(args[0], op.Int("axis"), op.Str("kind") == "prod", op.Bool("exclusive"), op.Bool("reverse")))
	case ir.OpNonZero:
		return one(kernels.NonZero(args[0]))
	case ir.OpScatterND:
		return one(kernels.ScatterND(args[0], args[1], tensor.Shape(op.Ints("shape"))))
	case ir.OpConv, ir.OpConvTranspose:
		var b *tensor.Tensor
		if len(args) == 3 {
			b = args[2]
		}
		pads := op.Ints("pads")
		s := len(pads) / 2
		p := kernels.ConvParams{
			Strides: op.Ints("strides"), Dilations: op.Ints("dilations"),
			PadsBegin: pads[:s], PadsEnd: pads[s:], Groups: op.Int("groups"),
		}
		if op.Opcode == ir.OpConv {
			return one(kernels.Conv(args[0], args[1], b, p))
		}
		return one(kernels.ConvTranspose(args[0], args[1], b, p))
	case ir.OpMatMul:
		return one(kernels.MatMul(args[0], args[1], op.Bool("transpose_a"), op.Bool("transpose_b")))
	case ir.OpEinsum:
		return one(kernels.Einsum(op.Str("equation"), args...))
	case ir.OpPool:
		pads := op.Ints("pads")
		s := len(pads) / 2
		p := kernels.PoolParams{
			Kind: kernels.PoolMax, Window: op.Ints("window"), Strides: op.Ints("strides"),
			PadsBegin: pads[:s], PadsEnd: pads[s:], CountIncludePad: op.Bool("count_include_pad"),
		}
		switch op.Str("kind") {
		case "avg":
			p.Kind = kernels.PoolAvg
		case "max_skip_nan":
			p.Kind = kernels.PoolMaxSkipNaN
		}
		return one(kernels.Pool(args[0], p))
	case ir.OpResize, ir.OpDynamicResize:
		var p kernels.ResizeParams
		if op.Opcode == ir.OpResize {
			p.Shape = tensor.Shape(op.Ints("shape"))
		} else {
			s, err := shapeOperand(args[1])
			if err != nil {
				return nil, err
			}
			p.Shape = s
		}
		var ok1, ok2, ok3 bool
		p.Mode, ok1 = resizeModes[op.Str("mode")]
		p.Coord, ok2 = coordModes[op.Str("coord")]
		p.Rounding, ok3 = roundings[op.Str("nearest_rounding")]
		if !ok1 || !ok2 || !ok3 {
			return nil, fmt.Errorf("unknown resize mode %q, coord %q or rounding %q", op.Str("mode"), op.Str("coord"), op.Str("nearest_rounding"))
		}
		return one(kernels.Resize(args[0], p))
	case ir.OpCropAndResize:
		cs := op.Ints("crop_size")
		return one(kernels.CropAndResize(args[0], args[1], args[2], kernels.CropParams{Nearest: op.Str("mode") == "nearest",
			CropSize: [2]int{cs[0], cs[1]}, Extrapolation: float32(op.Float("extrapolation_value"))}))
	case ir.OpNonMaxSuppression:
		sel, n, err := kernels.NonMaxSuppression(args[0], args[1], nmsParams(op))
		if err != nil {
			return nil, err
		}
		return []*tensor.Tensor{sel, n}, nil
	case ir.OpCombinedNonMaxSuppression:
		return kernels.CombinedNonMaxSuppression(args[0], args[1], nmsParams(op))
	case ir.OpQuantize:
		return one(kernels.Quantize(args[0], kernels.QuantParams{Scale: args[1], ZeroPoint: args[2], Axis: op.Int("axis"),
			QMin: int64(op.Int("qmin")), QMax: int64(op.Int("qmax")), HalfUp: op.Str("round") == "half_up", FP8: op.Str("type") == "f8e4m3"}))
	case ir.OpDequantize:
		return one(kernels.Dequantize(args[0], kernels.QuantParams{Scale: args[1], ZeroPoint: args[2], Axis: op.Int("axis")}))
	}
	return nil, fmt.Errorf("interp: op %s not implemented", op.Opcode)
}

// nmsParams are the kernel parameters of a non_max_suppression or
// combined_non_max_suppression op.
func nmsParams(op *ir.Op) kernels.NMSParams {
	p := kernels.NMSParams{IoUThreshold: float32(op.Float("iou_threshold")), ScoreThreshold: float32(op.Float("score_threshold"))}
	if op.Opcode == ir.OpNonMaxSuppression {
		p.MaxOutput = op.Int("max_output_size")
		return p
	}
	p.MaxOutput, p.MaxTotal = op.Int("max_per_class"), op.Int("max_total")
	p.PadPerClass, p.ClipBoxes = op.Bool("pad_per_class"), op.Bool("clip_boxes")
	return p
}
