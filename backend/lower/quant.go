package lower

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// A quantize whose uses are all dequantizes with the same scale, zero
// point and axis (a Q/DQ pair, as TensorFlow's QuantizeAndDequantize
// becomes) → IQuantizeLayer (kINT8) and IDequantizeLayers, when TensorRT
// computes it exactly as the IR: round half_even, zero points 0, [qmin,
// qmax] ⊆ [-128, 127], scales > 0, and per channel only for a constant
// (TensorRT quantizes activations per tensor only). A narrow range
// (qmin > -128 or qmax < 127) clamps the data first with an ElementWise
// kMAX/kMIN against qmin·s and qmax·s, since IQuantizeLayer clamps to the
// full [-128, 127]: round((qmin·s)/s) = qmin. The pair is exact: Q is
// clamp(round(x/s)), DQ is q·s, both in float32.
//
// Other quantize and dequantize ops (FakeQuant's half_up rounding and
// zero points, wider ranges) → float32 ElementWise/Unary layers computing
// the IR's formula exactly:
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

// planQDQ marks the quantize results lowered as kINT8 Q/DQ pairs.
func planQDQ(l *lowerer, f *ir.Func) {
	users := map[*ir.Value][]*ir.Op{}
	for _, op := range f.Ops {
		for _, a := range op.Args {
			if a.Op.Opcode == ir.OpQuantize {
				users[a] = append(users[a], op)
			}
		}
	}
	for _, op := range f.Ops {
		if op.Opcode != ir.OpQuantize || checkQuant(op) != nil || l.outs[op.Result()] {
			continue
		}
		q := op.Result()
		fp8 := op.Str("type") == "f8e4m3"
		ok := op.Str("round") == "half_even" && (fp8 || op.Int("qmin") >= -128 && op.Int("qmax") <= 127) && len(users[q]) > 0
		ok = ok && (op.Int("axis") < 0 || isConst(op.Args[0]))
		for _, z := range op.Args[2].Op.Tensor("value").I32 {
			ok = ok && z == 0
		}
		for _, s := range op.Args[1].Op.Tensor("value").F32 {
			ok = ok && s > 0 && !math.IsInf(float64(s), 0)
		}
		for _, u := range users[q] {
			ok = ok && u.Opcode == ir.OpDequantize && u.Args[0] == q && u.Args[1] == op.Args[1] && u.Args[2] == op.Args[2] && u.Int("axis") == op.Int("axis")
		}
		if ok {
			l.int8[q] = true
		}
	}
}

// qdqAxis is the Q/DQ layer axis of op: its own, or 0 per tensor.
func qdqAxis(op *ir.Op) int32 { return int32(max(op.Int("axis"), 0)) }

// lowerQDQ adds the IQuantizeLayer of a planned pair.
func lowerQDQ(l *lowerer, op *ir.Op) {
	x := op.Args[0]
	s := op.Args[1].Op.Tensor("value")
	t := l.tensor(x)
	if op.Str("type") == "f8e4m3" { // kFP8 saturates at ±448 itself
		st := l.constant(op, "scale", s, dims(s.Shape))
		l.set(op.Result(), l.named(op, "", l.net.AddQuantize(t, st, trt.Quantize{Axis: qdqAxis(op), ToType: trt.FP8})))
		return
	}
	for _, b := range []struct {
		q   int
		e   trt.ElementWiseOperation
		off bool
	}{{op.Int("qmin"), trt.ElementWiseMax, op.Int("qmin") == -128}, {op.Int("qmax"), trt.ElementWiseMin, op.Int("qmax") == 127}} {
		if b.off {
			continue
		}
		bound := tensor.MustNew(tensor.Float32, s.Shape)
		for i, v := range s.F32 {
			bound.F32[i] = float32(b.q) * v
		}
		t = l.elementwise(op, b.e.String(), t, l.paramConst(op, b.e.String()+"/c", x, bound), b.e)
	}
	st := l.constant(op, "scale", s, dims(s.Shape))
	l.set(op.Result(), l.named(op, "", l.net.AddQuantize(t, st, trt.Quantize{Axis: qdqAxis(op), ToType: trt.Int8})))
}

func lowerQuantize(l *lowerer, op *ir.Op) error {
	if l.int8[op.Result()] {
		lowerQDQ(l, op)
		return nil
	}
	if op.Str("type") == "f8e4m3" {
		return fmt.Errorf("an f8e4m3 quantize lowers only as a quantize/dequantize pair with positive scales (kFP8 IQuantizeLayer/IDequantizeLayer)")
	}
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
	if l.int8[q] && q.Type.DType == tensor.Float32 { // kFP8
		st := l.constant(op, "scale", op.Args[1].Op.Tensor("value"), dims(op.Args[1].Type.Shape))
		l.set(op.Result(), l.named(op, "", l.net.AddDequantize(l.tensor(q), st, trt.Dequantize{Axis: qdqAxis(op), ToType: trt.Float})))
		return nil
	}
	if l.int8[q] {
		st := l.constant(op, "scale", op.Args[1].Op.Tensor("value"), dims(op.Args[1].Type.Shape))
		l.set(op.Result(), l.named(op, "", l.net.AddDequantize(l.tensor(q), st, trt.Dequantize{Axis: qdqAxis(op), ToType: trt.Float})))
		return nil
	}
	s, z := quantParams(op)
	v := l.cast(op, "float", l.tensor(q), trt.Float)
	v = l.elementwise(op, "shift", v, l.paramConst(op, "zero_point", q, z), trt.ElementWiseSub)
	l.set(op.Result(), l.elementwise(op, "", v, l.paramConst(op, "scale", q, s), trt.ElementWiseProd))
	return nil
}
