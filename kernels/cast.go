package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// Cast converts x to element type to. Floats → integers truncate toward
// zero, saturating out-of-range values and mapping NaN to 0 (the IR leaves
// both implementation-defined); floats → f16/bf16 round to nearest even;
// integers → floats round to nearest; wider → narrower integers keep the
// low bits (two's complement wrap); x → bool is x != 0; bool → number is
// 0 or 1. Any dtype with storage (including f64 and the narrow integers)
// is accepted on either side. As TensorFlow's CPU kernels (which run with
// denormals flushed to zero), an f32 denormal casts to false and to a zero
// f64; other conversions of one give what they give of zero anyway, except
// to bf16, which holds it (TensorFlow converts bf16 in software).
func Cast(x *tensor.Tensor, to tensor.DType) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("cast: %v", err)
	}
	out, err := tensor.New(to, x.Shape)
	if err != nil {
		return nil, fmt.Errorf("cast: %v", err)
	}
	n := x.Len()
	switch to.Storage() {
	case tensor.StoreF32:
		switch {
		case to == tensor.Float16 || to == tensor.BFloat16:
			// Round once, from the exact value (integers above 2^24
			// would otherwise be rounded twice).
			for i := range n {
				out.F32[i] = roundFloat(to, x.Float64At(i))
			}
		case x.DType.Storage() == tensor.StoreF32:
			copy(out.F32, x.F32)
		case x.DType.Storage() == tensor.StoreI32:
			for i, v := range x.I32 {
				out.F32[i] = float32(v)
			}
		case x.DType.Storage() == tensor.StoreI64:
			for i, v := range x.I64 {
				out.F32[i] = float32(v)
			}
		default:
			for i := range n {
				out.F32[i] = float32(x.Float64At(i))
			}
		}
	case tensor.StoreF64:
		for i := range n {
			out.F64[i] = x.Float64At(i)
			if x.DType == tensor.Float32 && isDenormal32(x.F32[i]) {
				out.F64[i] = math.Copysign(0, out.F64[i])
			}
		}
	case tensor.StoreI32, tensor.StoreI64:
		for i := range n {
			var v int64
			switch x.DType.Storage() {
			case tensor.StoreF32, tensor.StoreF64:
				v = floatToInt(x.Float64At(i), to)
			default:
				v = x.Int64At(i)
			}
			v = wrapInt(v, to)
			if out.I32 != nil {
				out.I32[i] = int32(v)
			} else {
				out.I64[i] = v
			}
		}
	case tensor.StoreBool:
		for i := range n {
			if isFloat(x) || x.DType == tensor.Float64 {
				out.B[i] = x.Float64At(i) != 0 && !(x.DType == tensor.Float32 && isDenormal32(x.F32[i]))
			} else {
				out.B[i] = x.Int64At(i) != 0
			}
		}
	}
	return out, nil
}

// isDenormal32 reports whether v is a nonzero float32 below the smallest
// normal magnitude.
func isDenormal32(v float32) bool {
	return v != 0 && math.Abs(float64(v)) < 0x1p-126
}

// roundFloat rounds v to dt's precision (f16 or bf16) with one rounding.
func roundFloat(dt tensor.DType, v float64) float32 {
	f := float32(v)
	if float64(f) != v && !math.IsInf(v, 0) && !math.IsNaN(v) {
		// v is between two float32s; step f toward v's side by the
		// smallest amount so that the second rounding sees the true
		// side of the halfway point (round to odd).
		if math.Float32bits(f)&1 == 0 {
			if float64(f) < v {
				f = math.Nextafter32(f, float32(math.Inf(1)))
			} else {
				f = math.Nextafter32(f, float32(math.Inf(-1)))
			}
		}
	}
	if dt == tensor.Float16 {
		return tensor.RoundF16(f)
	}
	return tensor.RoundBF16(f)
}

// floatToInt truncates toward zero, saturating at dt's range; NaN is 0.
func floatToInt(v float64, dt tensor.DType) int64 {
	if v != v {
		return 0
	}
	lo, hi := dt.IntRange()
	v = math.Trunc(v)
	if v <= float64(lo) {
		return lo
	}
	if v >= float64(hi) {
		return hi
	}
	return int64(v)
}

// wrapInt keeps the low bits of v that fit dt (two's complement).
func wrapInt(v int64, dt tensor.DType) int64 {
	switch dt {
	case tensor.Int8:
		return int64(int8(v))
	case tensor.Int16:
		return int64(int16(v))
	case tensor.Int32:
		return int64(int32(v))
	case tensor.Uint8:
		return int64(uint8(v))
	case tensor.Uint16:
		return int64(uint16(v))
	case tensor.Uint32:
		return int64(uint32(v))
	}
	return v
}
