package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// QuantParams are the parameters of Quantize and Dequantize: Scale (f32)
// and ZeroPoint (i32), scalars for per-tensor quantization (Axis -1) or
// one per index of dimension Axis; the integer range [QMin, QMax]; and for
// Quantize whether ties round up (floor(v + 0.5) in float32, TensorFlow's
// FakeQuant) rather than to even.
type QuantParams struct {
	Scale, ZeroPoint *tensor.Tensor
	Axis             int
	QMin, QMax       int64
	HalfUp           bool
	// FP8 quantizes to E4M3 values (f32 result) instead of integers.
	FP8 bool
}

// RoundE4M3 rounds v to the nearest FP8 E4M3 value (ties to even),
// saturating at ±448, the largest finite one (E4M3 has no infinities);
// NaN stays NaN. Below 2^-6 the values are the subnormal multiples of
// 2^-9.
func RoundE4M3(v float32) float32 {
	if v != v {
		return v
	}
	a := math.Abs(float64(v))
	var r float64
	switch {
	case a >= 448:
		r = 448
	case a >= 0x1p-6: // normal: keep 3 of the 23 fraction bits
		b := math.Float32bits(float32(a))
		b += 0x7ffff + (b>>20)&1
		r = float64(math.Float32frombits(b &^ 0xfffff))
		r = math.Min(r, 448)
	default:
		r = math.RoundToEven(a*0x1p9) * 0x1p-9
	}
	return float32(math.Copysign(r, float64(v)))
}

// channel returns the number of channels and the stride of Axis in x.
func (p *QuantParams) channel(x *tensor.Tensor) (n, inner int, err error) {
	if p.Scale == nil || p.ZeroPoint == nil || p.Scale.DType != tensor.Float32 || p.ZeroPoint.DType != tensor.Int32 {
		return 0, 0, fmt.Errorf("scale must be f32 and zero point i32")
	}
	if p.Scale.Len() != p.ZeroPoint.Len() {
		return 0, 0, fmt.Errorf("%d scales, %d zero points", p.Scale.Len(), p.ZeroPoint.Len())
	}
	if p.Axis == -1 {
		if p.Scale.Len() != 1 {
			return 0, 0, fmt.Errorf("per-tensor quantization needs one scale, has %d", p.Scale.Len())
		}
		return 1, max(x.Len(), 1), nil
	}
	if p.Axis < 0 || p.Axis >= x.Shape.Rank() || p.Scale.Len() != x.Shape[p.Axis] {
		return 0, 0, fmt.Errorf("axis %d and %d scales do not fit shape %v", p.Axis, p.Scale.Len(), x.Shape)
	}
	inner = 1
	for _, d := range x.Shape[p.Axis+1:] {
		inner *= d
	}
	return x.Shape[p.Axis], inner, nil
}

// Quantize computes q = clamp(round(x / scale[c]) + zero_point[c], QMin,
// QMax) into an i32 tensor; see ir's quantize.
func Quantize(x *tensor.Tensor, p QuantParams) (*tensor.Tensor, error) {
	if err := checkDType("input", x, tensor.Float32); err != nil {
		return nil, fmt.Errorf("quantize: %v", err)
	}
	n, inner, err := p.channel(x)
	if err != nil {
		return nil, fmt.Errorf("quantize: %v", err)
	}
	if p.FP8 {
		out := tensor.MustNew(tensor.Float32, x.Shape)
		for i, v := range x.F32 {
			out.F32[i] = RoundE4M3(v / p.Scale.F32[(i/inner)%n])
		}
		return out, nil
	}
	out := tensor.MustNew(tensor.Int32, x.Shape)
	round := func(r float32) float64 {
		if p.HalfUp {
			return math.Floor(float64(r + 0.5)) // the addition in float32
		}
		return math.RoundToEven(float64(r))
	}
	for i, v := range x.F32 {
		c := (i / inner) % n
		q := round(v/p.Scale.F32[c]) + float64(p.ZeroPoint.I32[c]) // float32 division
		q = math.Max(float64(p.QMin), math.Min(float64(p.QMax), q))
		if q != q { // NaN: unspecified; take qmin
			q = float64(p.QMin)
		}
		out.I32[i] = int32(q)
	}
	return out, nil
}

// Dequantize computes y = float32(q - zero_point[c]) * scale[c] (an f32
// q, FP8 values, is multiplied by the scale).
func Dequantize(q *tensor.Tensor, p QuantParams) (*tensor.Tensor, error) {
	if err := checkDType("input", q, tensor.Int32, tensor.Float32); err != nil {
		return nil, fmt.Errorf("dequantize: %v", err)
	}
	n, inner, err := p.channel(q)
	if err != nil {
		return nil, fmt.Errorf("dequantize: %v", err)
	}
	out := tensor.MustNew(tensor.Float32, q.Shape)
	if q.DType == tensor.Float32 {
		for i, v := range q.F32 {
			out.F32[i] = v * p.Scale.F32[(i/inner)%n]
		}
		return out, nil
	}
	for i, v := range q.I32 {
		c := (i / inner) % n
		out.F32[i] = float32(int64(v)-int64(p.ZeroPoint.I32[c])) * p.Scale.F32[c]
	}
	return out, nil
}
