package lower

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// Unary ops.
//
// IUnaryLayer, one layer: not, abs, sign, exp, log, sqrt, reciprocal (kRECIP),
// sin, cos, tan, asin, acos, atan, sinh, cosh, asinh, acosh, atanh, erf,
// floor, ceil, and round (kROUND rounds half to even, as the IR) — and neg
// on floats. TensorRT's kABS and kSIGN accept integers; kNEG does not, so
// integer neg is 0 - x (a constant and a kSUB; wraps like two's complement
// negation).
//
// IActivationLayer, one layer, with TensorRT's alpha/beta:
//
//	relu          kRELU
//	sigmoid       kSIGMOID
//	tanh          kTANH
//	leaky_relu    kLEAKY_RELU alpha
//	elu           kELU alpha (TensorRT tests x ≥ 0, the IR x > 0: equal at 0)
//	selu          kSELU alpha=alpha, beta=gamma
//	softplus      kSOFTPLUS alpha=1, beta=1: log(exp(x)+1)
//	softsign      kSOFTSIGN
//	clamp         kCLIP alpha=min, beta=max
//	hard_sigmoid  kHARD_SIGMOID alpha, beta
//	gelu          kGELU_ERF (approximate="none") or kGELU_TANH ("tanh")
//
// Compositions (TensorRT has no such unary op):
//
//	rsqrt   kRECIP(kSQRT(x)): two roundings, within an ulp of 1/sqrt.
//	expm1   kEXP(x) - 1: absolute error about an ulp of 1 (1.2e-7 in f32),
//	        so the relative error is large for |x| ≪ 1 where expm1 exists to
//	        be accurate (expm1(1e-8) = 1e-8 becomes 0).
//	log1p   kLOG(1 + x): likewise absolute error about 1.2e-7 for small |x|.
//	erfc    1 - kERF(x): absolute error about 1.2e-7; erfc's tail (x ≳ 4,
//	        erfc < 1e-8) becomes 0.
func init() {
	direct := map[ir.Opcode]trt.UnaryOperation{
		ir.OpNot:        trt.UnaryNot,
		ir.OpAbs:        trt.UnaryAbs,
		ir.OpSign:       trt.UnarySign,
		ir.OpExp:        trt.UnaryExp,
		ir.OpLog:        trt.UnaryLog,
		ir.OpSqrt:       trt.UnarySqrt,
		ir.OpReciprocal: trt.UnaryRecip,
		ir.OpSin:        trt.UnarySin,
		ir.OpCos:        trt.UnaryCos,
		ir.OpTan:        trt.UnaryTan,
		ir.OpAsin:       trt.UnaryAsin,
		ir.OpAcos:       trt.UnaryAcos,
		ir.OpAtan:       trt.UnaryAtan,
		ir.OpSinh:       trt.UnarySinh,
		ir.OpCosh:       trt.UnaryCosh,
		ir.OpAsinh:      trt.UnaryAsinh,
		ir.OpAcosh:      trt.UnaryAcosh,
		ir.OpAtanh:      trt.UnaryAtanh,
		ir.OpErf:        trt.UnaryErf,
		ir.OpFloor:      trt.UnaryFloor,
		ir.OpCeil:       trt.UnaryCeil,
		ir.OpRound:      trt.UnaryRound,
	}
	for opc, u := range direct {
		register(opc, rule{lower: func(l *lowerer, op *ir.Op) error {
			l.set(op.Result(), l.unary(op, "", l.tensor(op.Args[0]), u))
			return nil
		}})
	}
	register(ir.OpNeg, rule{lower: lowerNeg})

	act := func(opc ir.Opcode, typ trt.ActivationType, params func(op *ir.Op) (alpha, beta float64)) {
		register(opc, rule{lower: func(l *lowerer, op *ir.Op) error {
			p := trt.Activation{Type: typ}
			if params != nil {
				a, b := params(op)
				p.Alpha, p.Beta = float32(a), float32(b)
			}
			l.set(op.Result(), l.named(op, "", l.net.AddActivation(l.tensor(op.Args[0]), p)))
			return nil
		}})
	}
	attr := func(a, b string) func(op *ir.Op) (float64, float64) {
		return func(op *ir.Op) (float64, float64) {
			var x, y float64
			if a != "" {
				x = op.Float(a)
			}
			if b != "" {
				y = op.Float(b)
			}
			return x, y
		}
	}
	act(ir.OpRelu, trt.ActivationRelu, nil)
	act(ir.OpSigmoid, trt.ActivationSigmoid, nil)
	act(ir.OpTanh, trt.ActivationTanh, nil)
	act(ir.OpLeakyRelu, trt.ActivationLeakyRelu, attr("alpha", ""))
	act(ir.OpElu, trt.ActivationElu, attr("alpha", ""))
	act(ir.OpSelu, trt.ActivationSelu, attr("alpha", "gamma"))
	act(ir.OpSoftplus, trt.ActivationSoftplus, func(*ir.Op) (float64, float64) { return 1, 1 })
	act(ir.OpSoftsign, trt.ActivationSoftsign, nil)
	act(ir.OpClamp, trt.ActivationClip, attr("min", "max"))
	act(ir.OpHardSigmoid, trt.ActivationHardSigmoid, attr("alpha", "beta"))
	register(ir.OpGelu, rule{lower: func(l *lowerer, op *ir.Op) error {
		typ := trt.ActivationGeluErf
		if op.Str("approximate") == "tanh" {
			typ = trt.ActivationGeluTanh
		}
		l.set(op.Result(), l.named(op, "", l.net.AddActivation(l.tensor(op.Args[0]), trt.Activation{Type: typ})))
		return nil
	}})

	register(ir.OpRsqrt, rule{lower: func(l *lowerer, op *ir.Op) error {
		s := l.unary(op, "sqrt", l.tensor(op.Args[0]), trt.UnarySqrt)
		l.set(op.Result(), l.unary(op, "", s, trt.UnaryRecip))
		return nil
	}})
	register(ir.OpExpm1, rule{lower: func(l *lowerer, op *ir.Op) error {
		x := op.Args[0]
		e := l.unary(op, "exp", l.tensor(x), trt.UnaryExp)
		one := l.scalar(op, "one", x.Type.DType, 1, x.Type.Rank())
		l.set(op.Result(), l.elementwise(op, "", e, one, trt.ElementWiseSub))
		return nil
	}})
	register(ir.OpLog1p, rule{lower: func(l *lowerer, op *ir.Op) error {
		x := op.Args[0]
		one := l.scalar(op, "one", x.Type.DType, 1, x.Type.Rank())
		s := l.elementwise(op, "add", l.tensor(x), one, trt.ElementWiseSum)
		l.set(op.Result(), l.unary(op, "", s, trt.UnaryLog))
		return nil
	}})
	register(ir.OpErfc, rule{lower: func(l *lowerer, op *ir.Op) error {
		x := op.Args[0]
		e := l.unary(op, "erf", l.tensor(x), trt.UnaryErf)
		one := l.scalar(op, "one", x.Type.DType, 1, x.Type.Rank())
		l.set(op.Result(), l.elementwise(op, "", one, e, trt.ElementWiseSub))
		return nil
	}})
}

func lowerNeg(l *lowerer, op *ir.Op) error {
	x := op.Args[0]
	if x.Type.DType.IsFloat() {
		l.set(op.Result(), l.unary(op, "", l.tensor(x), trt.UnaryNeg))
		return nil
	}
	zero := l.scalar(op, "zero", x.Type.DType, 0, x.Type.Rank())
	l.set(op.Result(), l.elementwise(op, "", zero, l.tensor(x), trt.ElementWiseSub))
	return nil
}
