package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// UnaryOp is an elementwise operation of one operand.
type UnaryOp uint8

// The operations of Unary. Not takes bool; Neg, Abs and Sign also take
// i32 and i64; the others take floats. Float results are computed in
// float64 with the Go math library and rounded to the tensor's dtype.
const (
	Not UnaryOp = iota
	Neg
	Abs
	Sign // -1, 0 or 1; NaN for NaN
	Exp
	Expm1
	Log
	Log1p
	Sqrt
	Rsqrt
	Reciprocal
	Sin
	Cos
	Tan
	Asin
	Acos
	Atan
	Sinh
	Cosh
	Asinh
	Acosh
	Atanh
	Erf
	Erfc // 1 - erf(x), accurate for large x
	Floor
	Ceil
	Round // half to even
	Tanh
	Sigmoid
	Softplus
	Softsign
	Relu
	Clamp       // UnaryParams.Min, Max
	LeakyRelu   // Alpha
	Elu         // Alpha
	Selu        // Alpha, Gamma
	HardSigmoid // Alpha, Beta
	Gelu        // x * Φ(x) = 0.5*x*erfc(-x/√2)
	GeluTanh    // 0.5*x*(1 + tanh(√(2/π)*(x + 0.044715*x³)))
	numUnary
)

var unaryNames = [...]string{"not", "neg", "abs", "sign", "exp", "expm1", "log", "log1p", "sqrt", "rsqrt",
	"reciprocal", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
	"erf", "erfc", "floor", "ceil", "round", "tanh", "sigmoid", "softplus", "softsign", "relu", "clamp",
	"leaky_relu", "elu", "selu", "hard_sigmoid", "gelu", "gelu_tanh"}

func (op UnaryOp) String() string {
	if int(op) < len(unaryNames) {
		return unaryNames[op]
	}
	return fmt.Sprintf("UnaryOp(%d)", uint8(op))
}

// UnaryParams holds the parameters of the parameterised unary ops; the
// others ignore it.
type UnaryParams struct {
	Min, Max           float64 // Clamp
	Alpha, Beta, Gamma float64 // LeakyRelu, Elu, Selu, HardSigmoid
}

// softplusThreshold is TensorFlow's: log(epsilon) + 2, with the machine
// epsilon of the tensor's dtype.
func softplusThreshold(dt tensor.DType) float64 {
	eps := 0x1p-23
	switch dt {
	case tensor.Float16:
		eps = 0x1p-10
	case tensor.BFloat16:
		eps = 0x1p-7
	}
	return math.Log(eps) + 2
}

// Unary applies op elementwise.
func Unary(op UnaryOp, x *tensor.Tensor, p UnaryParams) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("%v: %v", op, err)
	}
	if op >= numUnary {
		return nil, fmt.Errorf("unknown unary op %d", op)
	}
	switch op {
	case Not:
		if err := checkDType("operand", x, boolTypes...); err != nil {
			return nil, fmt.Errorf("%v: %v", op, err)
		}
		out := tensor.MustNew(tensor.Bool, x.Shape)
		for i, v := range x.B {
			out.B[i] = !v
		}
		return out, nil
	case Neg, Abs, Sign:
		if err := checkDType("operand", x, numericTypes...); err != nil {
			return nil, fmt.Errorf("%v: %v", op, err)
		}
		switch x.DType.Storage() {
		case tensor.StoreI32:
			out := tensor.MustNew(x.DType, x.Shape)
			intUnary(op, out.I32, x.I32)
			return out, nil
		case tensor.StoreI64:
			out := tensor.MustNew(x.DType, x.Shape)
			intUnary(op, out.I64, x.I64)
			return out, nil
		}
	default:
		if err := checkDType("operand", x, floatTypes...); err != nil {
			return nil, fmt.Errorf("%v: %v", op, err)
		}
	}
	out := tensor.MustNew(x.DType, x.Shape)
	const chunk = 1 << 14
	n := len(x.F32)
	parallelFor((n+chunk-1)/chunk, chunk, func(lo, hi int) {
		floatUnaryRange(op, p, x.DType, out.F32[lo*chunk:min(hi*chunk, n)], x.F32[lo*chunk:min(hi*chunk, n)])
	})
	return finish(out), nil
}

// floatUnaryRange applies op to src, writing dst.
func floatUnaryRange(op UnaryOp, p UnaryParams, dt tensor.DType, dst, src []float32) {
	switch op {
	case Relu:
		for i, v := range src {
			if v < 0 {
				v = 0
			}
			dst[i] = v
		}
	case Neg:
		for i, v := range src {
			dst[i] = -v
		}
	case Abs:
		for i, v := range src {
			dst[i] = float32(math.Abs(float64(v)))
		}
	case Clamp:
		lo, hi := float32(p.Min), float32(p.Max)
		for i, v := range src {
			if v < lo {
				v = lo
			}
			if v > hi {
				v = hi
			}
			dst[i] = v
		}
	case LeakyRelu:
		a := float32(p.Alpha)
		for i, v := range src {
			if v < 0 {
				v *= a
			}
			dst[i] = v
		}
	default:
		f := floatUnary(op, p, dt)
		for i, v := range src {
			dst[i] = float32(f(float64(v)))
		}
	}
}

func intUnary[T integer](op UnaryOp, dst, src []T) {
	for i, v := range src {
		switch op {
		case Neg:
			v = -v
		case Abs:
			if v < 0 {
				v = -v
			}
		case Sign:
			switch {
			case v > 0:
				v = 1
			case v < 0:
				v = -1
			}
		}
		dst[i] = v
	}
}

func floatUnary(op UnaryOp, p UnaryParams, dt tensor.DType) func(float64) float64 {
	switch op {
	case Sign:
		return func(x float64) float64 {
			switch {
			case x > 0:
				return 1
			case x < 0:
				return -1
			}
			return x - x // 0 for ±0, NaN for NaN
		}
	case Exp:
		return math.Exp
	case Expm1:
		return math.Expm1
	case Log:
		return math.Log
	case Log1p:
		return math.Log1p
	case Sqrt:
		return math.Sqrt
	case Rsqrt:
		return func(x float64) float64 { return 1 / math.Sqrt(x) }
	case Reciprocal:
		return func(x float64) float64 { return 1 / x }
	case Sin:
		return math.Sin
	case Cos:
		return math.Cos
	case Tan:
		return math.Tan
	case Asin:
		return math.Asin
	case Acos:
		return math.Acos
	case Atan:
		return math.Atan
	case Sinh:
		return math.Sinh
	case Cosh:
		return math.Cosh
	case Asinh:
		return math.Asinh
	case Acosh:
		return math.Acosh
	case Atanh:
		return math.Atanh
	case Erf:
		return math.Erf
	case Erfc:
		return math.Erfc
	case Floor:
		return math.Floor
	case Ceil:
		return math.Ceil
	case Round:
		return math.RoundToEven
	case Tanh:
		return math.Tanh
	case Sigmoid:
		return sigmoid
	case Softplus:
		th := softplusThreshold(dt)
		return func(x float64) float64 {
			switch {
			case x > -th:
				return x
			case x < th:
				return math.Exp(x)
			}
			return math.Log1p(math.Exp(x))
		}
	case Softsign:
		return func(x float64) float64 { return x / (1 + math.Abs(x)) }
	case Elu:
		return func(x float64) float64 {
			if x > 0 {
				return x
			}
			return p.Alpha * math.Expm1(x)
		}
	case Selu:
		return func(x float64) float64 {
			if x > 0 {
				return p.Gamma * x
			}
			return p.Gamma * p.Alpha * math.Expm1(x)
		}
	case HardSigmoid:
		return func(x float64) float64 { return math.Max(0, math.Min(1, p.Alpha*x+p.Beta)) }
	case Gelu:
		// As TensorFlow's gelu(approximate=False): erfc keeps the
		// result accurate for very negative x, where 1 + erf cancels.
		return func(x float64) float64 { return 0.5 * x * math.Erfc(-x/math.Sqrt2) }
	case GeluTanh:
		k := math.Sqrt(2 / math.Pi)
		return func(x float64) float64 { return 0.5 * x * (1 + math.Tanh(k*(x+0.044715*x*x*x))) }
	}
	panic("unreachable: " + op.String())
}

// sigmoid is 1/(1+e^-x), computed without overflow for either sign.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
