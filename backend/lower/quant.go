package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// quantize and dequantize with constant scale and zero point → float32
// ElementWise/Unary layers computing the IR's formula exactly:
//
//	quantize:   q = Cast<kINT32>(min(max(round(x / s) + z, qmin), qmax))
//	            round: Unary kROUND (ties to even) or, for half_up,
//	            Unary kFLOOR of x/s + 0.5
//	dequantize: y = (Cast<kFLOAT>(q) - z) * s
//
// s and z are Constants shaped to broadcast along the axis. Every
// intermediate integer is below 2^24 in magnitude (checked: |qmin|, |qmax|,
// |z| ≤ 2^24), so float32 holds it exactly and the result is the IR's bit
// for bit.
func init() {
	register(ir.OpQuantize, rule{check: checkQuant, lower: lowerQuantize})
	register(ir.OpDequantize, rule{check: checkQuant, lower: lowerDequantize})
}

const maxExactInt = 1 << 24

func checkQuant(op *ir.Op) error {
	for i, what := range []string{"scale", "zero point"} {
		if !isConst(op.Args[i+1]) || ir.IsElided(op.Args[i+1].Op.Tensor("value")) {
			return fmt.Errorf("the %s must be a constant", what)
		}
	}
	for _, z := range op.Args[2].Op.Tensor("value").I32 {
		if z > maxExactInt || z < -maxExactInt {
			return fmt.Errorf("zero point %d is beyond 2^24", z)
		}
	}
	if op.Opcode == ir.OpQuantize {
		if lo, hi := op.Int("qmin"), op.Int("qmax"); lo < -maxExactInt || hi > maxExactInt {
			return fmt.Errorf("integer range [%d, %d] is beyond ±2^24", lo, hi)
		}
	}
	return nil
}

// quantParams returns op's scale and its zero point as float32.
func quantParams(op *ir.Op) (s, z *tensor.Tensor) {
	s = op.Args[1].Op.Tensor("value")
	zi := op.Args[2].Op.Tensor("value")
	z = tensor.MustNew(tensor.Float32, zi.Shape)
	for i, v := range zi.I32 {
		z.F32[i] = float32(v)
	}
	return s, z
}

// paramConst adds a Constant holding t (one value or one per channel)
// shaped to broadcast against x along op's axis.
func (l *lowerer) paramConst(op *ir.Op, suffix string, x *ir.Value, t *tensor.Tensor) trt.Tensor {
	d := make(trt.Dims, x.Type.Rank())
	for i := range d {
		d[i] = 1
	}
	if axis := op.Int("axis"); axis >= 0 {
		d[axis] = int64(x.Type.Shape[axis])
	}
	return l.constant(op, suffix, t, d)
}

// roundLayers rounds v as op's round attribute says.
func (l *lowerer) roundLayers(op *ir.Op, v trt.Tensor, rank int) trt.Tensor {
	if op.Str("round") == "half_up" {
		v = l.elementwise(op, "half", v, l.scalar(op, "half/c", tensor.Float32, 0.5, rank), trt.ElementWiseSum)
		return l.unary(op, "round", v, trt.UnaryFloor)
	}
	return l.unary(op, "round", v, trt.UnaryRound)
}

func lowerQuantize(l *lowerer, op *ir.Op) error {
	x := op.Args[0]
	r := x.Type.Rank()
	s, z := quantParams(op)
	v := l.elementwise(op, "div", l.tensor(x), l.paramConst(op, "scale", x, s), trt.ElementWiseDiv)
	v = l.roundLayers(op, v, r)
	v = l.elementwise(op, "shift", v, l.paramConst(op, "zero_point", x, z), trt.ElementWiseSum)
	v = l.elementwise(op, "qmin", v, l.scalar(op, "qmin/c", tensor.Float32, float64(op.Int("qmin")), r), trt.ElementWiseMax)
	v = l.elementwise(op, "qmax", v, l.scalar(op, "qmax/c", tensor.Float32, float64(op.Int("qmax")), r), trt.ElementWiseMin)
	l.set(op.Result(), l.cast(op, "", v, trt.Int32))
	return nil
}

func lowerDequantize(l *lowerer, op *ir.Op) error {
	q := op.Args[0]
	s, z := quantParams(op)
	v := l.cast(op, "float", l.tensor(q), trt.Float)
	v = l.elementwise(op, "shift", v, l.paramConst(op, "zero_point", q, z), trt.ElementWiseSub)
	l.set(op.Result(), l.elementwise(op, "", v, l.paramConst(op, "scale", q, s), trt.ElementWiseProd))
	return nil
}
