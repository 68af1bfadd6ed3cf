package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpQuantize, OpInfo{
		Name: "quantize", Family: "quant", Summary: "affine quantization to integers (scale, zero point, per tensor or per axis)",
		MinArgs: 3, MaxArgs: 3, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "axis", Kind: AttrInt},
			{Name: "qmin", Kind: AttrInt},
			{Name: "qmax", Kind: AttrInt},
			{Name: "round", Kind: AttrString, Enum: []string{"half_even", "half_up"}},
			{Name: "type", Kind: AttrString, Enum: []string{"int", "f8e4m3"}},
		},
		Infer: inferQuantize,
	})
	register(OpDequantize, OpInfo{
		Name: "dequantize", Family: "quant", Summary: "affine dequantization of integers to f32",
		MinArgs: 3, MaxArgs: 3, NumResults: 1,
		Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}},
		Infer: inferDequantize,
	})
}

// quantize: affine quantization, as TensorRT's IQuantizeLayer, ONNX's
// QuantizeLinear and MLIR's quant dialect define it.
//
//	%q = quantize(%x, %scale, %zero_point) {axis=-1, qmin=-128, qmax=127, round="half_even", type="int"} : i32[...]
//
// x: f32. scale: f32, zero_point: i32, both of shape [] (per tensor, axis
// = -1) or both [C] with C = x's dimension axis (per channel, 0 ≤ axis <
// rank). qmin ≤ qmax, both within [-2^31, 2^31). The result has x's shape,
// element type i32, and holds integers in [qmin, qmax]. With c the index
// along axis, s = scale[c], z = zero_point[c], and arithmetic in float32:
//
//	q = clamp(round(x / s) + z, qmin, qmax)
//
// round(v) is "half_even" (to nearest, ties to even; TensorRT's Q/DQ and
// TF's QuantizeAndDequantize default) or "half_up" = floor(v + 0.5) with
// the addition in float32 (TF's FakeQuant* kernels, QuantizeAndDequantize
// round_mode=HALF_UP). No value is promised for NaN (TensorRT leaves it
// unspecified); ±inf clamp to the range. The integer range is an
// attribute, so narrow ranges (-127..127, 1..255) and bit widths up to 32
// are representable; TensorRT's INT8 Q/DQ layers need zero_point = 0 and
// [qmin, qmax] ⊆ [-128, 127] (see backend/lower).
//
// type="f8e4m3" quantizes to FP8 E4M3 (TensorRT's kFP8) instead: the
// result is f32 holding E4M3 values, q = e4m3(x / s) rounded to nearest
// even and saturated to ±448 (E4M3 has no infinities; NaN stays NaN). It
// requires qmin = -448, qmax = 448, round = "half_even" and zero points 0
// (checked when constant).
func inferQuantize(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "input", tensor.Float32); err != nil {
		return nil, err
	}
	if err := checkQuantParams(op, x); err != nil {
		return nil, err
	}
	lo, hi := op.Int("qmin"), op.Int("qmax")
	if op.Str("type") == "f8e4m3" {
		if lo != -448 || hi != 448 || op.Str("round") != "half_even" {
			return nil, fmt.Errorf("type f8e4m3 needs qmin=-448, qmax=448 and round=\"half_even\"")
		}
		if z := op.Args[2]; z.Op != nil && z.Op.Opcode == OpConst && !IsElided(z.Op.Tensor("value")) {
			for _, v := range z.Op.Tensor("value").I32 {
				if v != 0 {
					return nil, fmt.Errorf("type f8e4m3 needs zero points 0, has %d", v)
				}
			}
		}
		return []Type{{DType: tensor.Float32, Shape: x.Shape.Clone()}}, nil
	}
	if lo > hi || lo < -1<<31 || hi >= 1<<31 {
		return nil, fmt.Errorf("integer range [%d, %d] is empty or outside 32 bits", lo, hi)
	}
	return []Type{{DType: tensor.Int32, Shape: x.Shape.Clone()}}, nil
}

// dequantize: the inverse affine map, as TensorRT's IDequantizeLayer.
//
//	%y = dequantize(%q, %scale, %zero_point) {axis=-1} : f32[...]
//
// q: i32, or f32 holding the E4M3 values of a type="f8e4m3" quantize;
// scale (f32) and zero_point (i32) as for quantize. The result has
// q's shape and element type f32:
//
//	y = float32(q - z) * s
//
// (the integer difference is exact, then one float32 multiplication).
func inferDequantize(op *Op) ([]Type, error) {
	q := op.Args[0].Type
	if err := requireDType(q.DType, "input", tensor.Int32, tensor.Float32); err != nil {
		return nil, err
	}
	if err := checkQuantParams(op, q); err != nil {
		return nil, err
	}
	return []Type{{DType: tensor.Float32, Shape: q.Shape.Clone()}}, nil
}

// checkQuantParams checks the scale and zero point operands against x and
// axis.
func checkQuantParams(op *Op, x Type) error {
	s, z := op.Args[1].Type, op.Args[2].Type
	if err := requireDType(s.DType, "scale", tensor.Float32); err != nil {
		return err
	}
	if err := requireDType(z.DType, "zero point", tensor.Int32); err != nil {
		return err
	}
	if !s.Shape.Equal(z.Shape) {
		return fmt.Errorf("scale %v and zero point %v differ in shape", s.Shape, z.Shape)
	}
	axis := op.Int("axis")
	switch {
	case axis == -1:
		if s.Rank() != 0 {
			return fmt.Errorf("per-tensor (axis=-1) scale must be a scalar, has shape %v", s.Shape)
		}
	case axis < 0 || axis >= x.Rank():
		return fmt.Errorf("axis %d out of range [-1, %d)", axis, x.Rank())
	default:
		if s.Rank() != 1 || s.Shape[0] != x.Shape[axis] {
			return fmt.Errorf("per-channel scale must have shape [%d] (dimension %d of %v), has %v", x.Shape[axis], axis, x.Shape, s.Shape)
		}
	}
	return nil
}
