package exec

import (
	"errors"
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerActivation] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Activation)
		return one(activation(in[0], p))
	}
	layerKernels[trt.LayerElementWise] = func(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.ElementWise)
		return one(elementWiseInto(in[0], in[1], p.Operation, opts.out))
	}
	layerKernels[trt.LayerUnary] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Unary)
		return one(unary(in[0], p.Operation))
	}
	layerKernels[trt.LayerIdentity] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		if len(l.Outputs) != 1 || l.Outputs[0] == nil {
			return nil, errors.New("want exactly one output")
		}
		return one(identity(in[0], l.Outputs[0].Type))
	}
	layerKernels[trt.LayerCast] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Cast)
		return one(cast(in[0], p.ToType))
	}
	layerKernels[trt.LayerParametricReLU] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return one(parametricReLU(in[0], in[1]))
	}
	layerKernels[trt.LayerSelect] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return one(selectLayer(in[0], in[1], in[2]))
	}
}

// activation is IActivationLayer, with NvInfer.h's formulas and alpha and
// beta meanings, computed in float64 and rounded to the tensor's type.
func activation(x *tensor.Tensor, p trt.Activation) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	apply, err := activationFunc(p)
	if err != nil {
		return nil, err
	}
	y := tensor.MustNew(x.DType, x.Shape)
	apply(y.F32, x.F32)
	y.RoundToDType()
	return y, nil
}

// activationFunc returns the function that sets dst[i] to the activation
// of src[i] (float32 values; dst may be src): the layer's values before
// rounding to a 16-bit type, and a float32 layer's exactly. Run also
// applies it in place, fused into the layer that computes the input.
func activationFunc(p trt.Activation) (func(dst, src []float32), error) {
	a, b := float64(p.Alpha), float64(p.Beta)
	// The common cases without a call per element, computing exactly
	// what the general path below computes.
	switch p.Type {
	case trt.ActivationRelu: // x < 0 ? 0 : x (NaN and -0 pass through)
		return kernels.ReluF32, nil
	case trt.ActivationClip: // max(alpha, min(beta, x)) with math.Max/Min's NaN and signed zeros
		lo, hi := p.Alpha, p.Beta
		return func(dst, src []float32) { kernels.ClampF32(dst, src, lo, hi) }, nil
	}
	var f func(x float64) float64
	switch p.Type {
	case trt.ActivationRelu:
		f = func(x float64) float64 {
			if x < 0 {
				return 0
			}
			return x
		}
	case trt.ActivationSigmoid:
		f = sigmoid
	case trt.ActivationTanh:
		f = math.Tanh
	case trt.ActivationLeakyRelu: // x ≥ 0 ? x : alpha*x
		f = func(x float64) float64 {
			if x >= 0 {
				return x
			}
			return a * x
		}
	case trt.ActivationElu: // x ≥ 0 ? x : alpha*(exp(x)-1)
		f = func(x float64) float64 {
			if x >= 0 {
				return x
			}
			return a * math.Expm1(x)
		}
	case trt.ActivationSelu: // x > 0 ? beta*x : beta*(alpha*exp(x) - alpha)
		f = func(x float64) float64 {
			if x > 0 {
				return b * x
			}
			return b * a * math.Expm1(x)
		}
	case trt.ActivationSoftsign: // x / (1+|x|)
		f = func(x float64) float64 { return x / (1 + math.Abs(x)) }
	case trt.ActivationSoftplus: // alpha*log(exp(beta*x)+1)
		f = func(x float64) float64 { return a * softplus(b*x) }
	case trt.ActivationClip: // max(alpha, min(beta, x))
		f = func(x float64) float64 { return math.Max(a, math.Min(b, x)) }
	case trt.ActivationHardSigmoid: // max(0, min(1, alpha*x+beta))
		f = func(x float64) float64 { return math.Max(0, math.Min(1, a*x+b)) }
	case trt.ActivationScaledTanh: // alpha*tanh(beta*x)
		f = func(x float64) float64 { return a * math.Tanh(b*x) }
	case trt.ActivationThresholdedRelu: // x > alpha ? x : 0
		f = func(x float64) float64 {
			if x > a {
				return x
			}
			return 0
		}
	case trt.ActivationGeluErf: // 0.5*x*(1+erf(x/√2)), as erfc to stay accurate for x ≪ 0
		f = func(x float64) float64 { return 0.5 * x * math.Erfc(-x/math.Sqrt2) }
	case trt.ActivationGeluTanh: // 0.5*x*(1+tanh(√(2/π)*(0.044715*x³ + x)))
		k := math.Sqrt(2 / math.Pi)
		f = func(x float64) float64 { return 0.5 * x * (1 + math.Tanh(k*(0.044715*x*x*x+x))) }
	default:
		return nil, fmt.Errorf("unknown activation type %v", p.Type)
	}
	return func(dst, src []float32) {
		dst = dst[:len(src)]
		for i, v := range src {
			dst[i] = float32(f(float64(v)))
		}
	}, nil
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// softplus is log(exp(x)+1) without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

// unary is IUnaryLayer. Per NvInfer.h, kNOT takes bool; kABS and kSIGN
// take floats, kINT32 or kINT64; kISINF, kISNAN and everything else take
// floats. kISINF and kISNAN give bool; kROUND rounds half to even.
func unary(x *tensor.Tensor, op trt.UnaryOperation) (*tensor.Tensor, error) {
	switch op {
	case trt.UnaryNot:
		if x.DType != tensor.Bool {
			return nil, fmt.Errorf("%v: input has type %v, want bool", op, x.DType)
		}
		return kernels.Unary(kernels.Not, x, kernels.UnaryParams{})
	case trt.UnaryAbs, trt.UnarySign:
		if !isFloat(x) && x.DType != tensor.Int32 && x.DType != tensor.Int64 {
			return nil, fmt.Errorf("%v: input has type %v, want a float, int32 or int64 type", op, x.DType)
		}
		k := kernels.Abs
		if op == trt.UnarySign {
			k = kernels.Sign
		}
		return kernels.Unary(k, x, kernels.UnaryParams{})
	case trt.UnaryIsInf, trt.UnaryIsNan:
		if err := needFloat(op.String()+": input", x); err != nil {
			return nil, err
		}
		y := tensor.MustNew(tensor.Bool, x.Shape)
		for i, v := range x.F32 {
			if op == trt.UnaryIsInf {
				y.B[i] = math.IsInf(float64(v), 0)
			} else {
				y.B[i] = v != v
			}
		}
		return y, nil
	}
	k, ok := unaryKernels[op]
	if !ok {
		return nil, fmt.Errorf("unknown unary operation %v", op)
	}
	if err := needFloat(op.String()+": input", x); err != nil {
		return nil, err
	}
	return kernels.Unary(k, x, kernels.UnaryParams{})
}

// unaryKernels are the float unary operations whose kernels compute
// exactly TensorRT's function.
var unaryKernels = map[trt.UnaryOperation]kernels.UnaryOp{
	trt.UnaryExp: kernels.Exp, trt.UnaryLog: kernels.Log, trt.UnarySqrt: kernels.Sqrt,
	trt.UnaryRecip: kernels.Reciprocal, trt.UnaryNeg: kernels.Neg,
	trt.UnarySin: kernels.Sin, trt.UnaryCos: kernels.Cos, trt.UnaryTan: kernels.Tan,
	trt.UnarySinh: kernels.Sinh, trt.UnaryCosh: kernels.Cosh,
	trt.UnaryAsin: kernels.Asin, trt.UnaryAcos: kernels.Acos, trt.UnaryAtan: kernels.Atan,
	trt.UnaryAsinh: kernels.Asinh, trt.UnaryAcosh: kernels.Acosh, trt.UnaryAtanh: kernels.Atanh,
	trt.UnaryCeil: kernels.Ceil, trt.UnaryFloor: kernels.Floor, trt.UnaryErf: kernels.Erf,
	trt.UnaryRound: kernels.Round,
}

// elementWise is IElementWiseLayer: both inputs have one type and the same
// rank, and each pair of dimensions is equal or one of them is 1. kAND,
// kOR and kXOR take bool; the others take floats, kINT32 or kINT64;
// kEQUAL, kGREATER and kLESS give bool. Integer kDIV truncates toward zero
// and kFLOOR_DIV rounds toward -inf; integer division by zero and integer
// kPOW with a negative exponent are errors (TensorRT leaves them
// undefined).
func elementWise(a, b *tensor.Tensor, op trt.ElementWiseOperation) (*tensor.Tensor, error) {
	return elementWiseInto(a, b, op, nil)
}

// elementWiseInto is elementWise with a float32 arithmetic result written
// into dst as kernels.BinaryInto does.
func elementWiseInto(a, b *tensor.Tensor, op trt.ElementWiseOperation, dst []float32) (*tensor.Tensor, error) {
	if a.DType != b.DType {
		return nil, fmt.Errorf("%v: inputs have types %v and %v", op, a.DType, b.DType)
	}
	if err := broadcastable(a.Shape, b.Shape); err != nil {
		return nil, fmt.Errorf("%v: %v", op, err)
	}
	switch op {
	case trt.ElementWiseAnd, trt.ElementWiseOr, trt.ElementWiseXor:
		if a.DType != tensor.Bool {
			return nil, fmt.Errorf("%v: inputs have type %v, want bool", op, a.DType)
		}
		k := map[trt.ElementWiseOperation]kernels.LogicOp{
			trt.ElementWiseAnd: kernels.And, trt.ElementWiseOr: kernels.Or, trt.ElementWiseXor: kernels.Xor,
		}[op]
		return kernels.Logic(k, a, b)
	}
	if !isFloat(a) && a.DType != tensor.Int32 && a.DType != tensor.Int64 {
		return nil, fmt.Errorf("%v: inputs have type %v, want a float, int32 or int64 type", op, a.DType)
	}
	switch op {
	case trt.ElementWiseEqual:
		return kernels.Compare(kernels.Equal, a, b)
	case trt.ElementWiseGreater:
		return kernels.Compare(kernels.Greater, a, b)
	case trt.ElementWiseLess:
		return kernels.Compare(kernels.Less, a, b)
	}
	k, ok := binaryOps[op]
	if !ok {
		return nil, fmt.Errorf("unknown elementwise operation %v", op)
	}
	return kernels.BinaryInto(k, a, b, dst)
}

// binaryOps are the kernels of ElementWise's arithmetic operations.
var binaryOps = map[trt.ElementWiseOperation]kernels.BinaryOp{
	trt.ElementWiseSum: kernels.Add, trt.ElementWiseProd: kernels.Mul,
	trt.ElementWiseMax: kernels.Max, trt.ElementWiseMin: kernels.Min,
	trt.ElementWiseSub: kernels.Sub, trt.ElementWiseDiv: kernels.Div,
	trt.ElementWisePow: kernels.Pow, trt.ElementWiseFloorDiv: kernels.FloorDiv,
}

// broadcastable checks TensorRT's broadcast rule: equal ranks, each pair
// of dimensions equal or one of them 1.
func broadcastable(shapes ...tensor.Shape) error {
	for _, s := range shapes[1:] {
		if len(s) != len(shapes[0]) {
			return fmt.Errorf("inputs %v have different ranks", shapes)
		}
	}
	for i := range shapes[0] {
		d := 1
		for _, s := range shapes {
			if s[i] != 1 {
				if d != 1 && s[i] != d {
					return fmt.Errorf("inputs %v: dimension %d is neither equal nor 1", shapes, i)
				}
				d = s[i]
			}
		}
	}
	return nil
}

// parametricReLU is IParametricReLULayer: x ≥ 0 ? x : slope*x, the slope
// of x's type and rank broadcasting to x (kernels.PRelu, in float32 rounded
// to the type once).
func parametricReLU(x, slope *tensor.Tensor) (*tensor.Tensor, error) {
	if len(slope.Shape) != len(x.Shape) {
		return nil, fmt.Errorf("slope %v and input %v have different ranks", slope.Shape, x.Shape)
	}
	return kernels.PRelu(x, slope)
}

// selectLayer is ISelectLayer: a bool condition and two inputs of one
// type, all of the same rank with TensorRT's broadcast rule.
func selectLayer(c, a, b *tensor.Tensor) (*tensor.Tensor, error) {
	if c.DType != tensor.Bool {
		return nil, fmt.Errorf("condition has type %v, want bool", c.DType)
	}
	if a.DType != b.DType {
		return nil, fmt.Errorf("then and else inputs have types %v and %v", a.DType, b.DType)
	}
	if err := broadcastable(c.Shape, a.Shape, b.Shape); err != nil {
		return nil, err
	}
	return kernels.Select(c, a, b)
}

// cast is ICastLayer. Conversions are kernels.Cast's, which agree with
// TensorRT's: floats to integers truncate toward zero (the TensorRT Cast
// operator example maps 5.6 to 5), to half round to nearest even,
// to bool test ≠ 0; bool converts to 0 or 1.
func cast(x *tensor.Tensor, to trt.DataType) (*tensor.Tensor, error) {
	dt, err := DType(to)
	if err != nil {
		return nil, err
	}
	return kernels.Cast(x, dt)
}

// identity is IIdentityLayer: a copy, converted to the output's recorded
// type if that differs (TensorRT allows conversions among kFLOAT, kHALF,
// kINT32 and kBOOL there).
func identity(x *tensor.Tensor, to trt.DataType) (*tensor.Tensor, error) {
	dt, err := DType(to)
	if err != nil {
		return nil, err
	}
	if dt == x.DType {
		return x.Clone(), nil
	}
	ok := func(d tensor.DType) bool {
		return d == tensor.Float32 || d == tensor.Float16 || d == tensor.Int32 || d == tensor.Bool
	}
	if !ok(x.DType) || !ok(dt) {
		return nil, fmt.Errorf("identity cannot convert %v to %v", x.DType, dt)
	}
	return kernels.Cast(x, dt)
}
