package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpResize, OpInfo{
		Name: "resize", Family: "resize", Summary: "nearest or (multi)linear resampling to a shape",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "mode", Kind: AttrString, Enum: []string{"nearest", "linear"}},
			{Name: "coord", Kind: AttrString, Enum: []string{"asymmetric", "align_corners", "half_pixel", "tf_half_pixel_for_nn"}},
			{Name: "nearest_rounding", Kind: AttrString, Enum: []string{"floor", "ceil", "round_prefer_floor", "round_prefer_ceil"}},
			{Name: "shape", Kind: AttrInts},
		},
		Infer: inferResize,
	})
}

// resize: resample x to a new shape.
//
//	%r = resize(%x) {mode="linear", coord="half_pixel", nearest_rounding="floor", shape=[1,3,8,8]} : T
//
// x: f32, f16 or bf16 (any element type for mode=nearest), rank ≥ 1, no empty
// dimension. shape: the result's dimensions, same rank, all ≥ 1. Each axis
// is resampled independently; for output index o on an axis of input size
// in and output size out, the source coordinate is
//
//	asymmetric:           c = o * in/out
//	align_corners:        c = o * (in-1)/(out-1)    (0 when out = 1)
//	half_pixel:           c = (o + 0.5) * in/out - 0.5
//	tf_half_pixel_for_nn: c = (o + 0.5) * in/out
//
// (scales computed in f32 as in/out). An axis whose size is unchanged is
// copied: the rules above give c = o there.
//
// nearest: index = rounding(c) with nearest_rounding floor, ceil,
// round_prefer_floor (halves down) or round_prefer_ceil (halves up),
// clamped to [0, in-1].
// linear: with c clamped below at 0, i0 = floor(c), i1 = min(i0+1, in-1),
// i0 = min(i0, in-1), t = c - floor(c); value = x[i0] + (x[i1]-x[i0])*t,
// applied axis after axis from the last resized axis to the first (so
// for images: along width first, then height, as TensorFlow's bilinear).
// nearest_rounding is "floor" for mode=linear.
func inferResize(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if op.Str("mode") == "linear" {
		if err := requireDType(x.DType, "operand", floatDTypes...); err != nil {
			return nil, err
		}
		if op.Str("nearest_rounding") != "floor" {
			return nil, fmt.Errorf("nearest_rounding=%q with mode=\"linear\"", op.Str("nearest_rounding"))
		}
	}
	s := tensor.Shape(op.Ints("shape"))
	if len(s) != x.Rank() {
		return nil, fmt.Errorf("shape=%v has rank %d, input has %d", []int(s), len(s), x.Rank())
	}
	for i := range s {
		if s[i] < 1 || x.Shape[i] < 1 {
			return nil, fmt.Errorf("resize of %v to %v: dimensions must be ≥ 1", x.Shape, s)
		}
	}
	return []Type{{DType: x.DType, Shape: s.Clone()}}, nil
}
