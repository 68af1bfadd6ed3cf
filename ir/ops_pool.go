package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpPool, OpInfo{
		Name: "pool", Family: "pool", Summary: "N-D max or average pooling, channels first",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "kind", Kind: AttrString, Enum: []string{"max", "max_skip_nan", "avg"}},
			{Name: "window", Kind: AttrInts},
			{Name: "strides", Kind: AttrInts},
			{Name: "pads", Kind: AttrInts},
			{Name: "count_include_pad", Kind: AttrBool},
		},
		Infer: inferPool,
	})
}

// pool: N-D max or average pooling, channels first.
//
//	%r = pool(%x) {kind="max", window=[3,3], strides=[2,2], pads=[0,0,1,1], count_include_pad=false} : T
//
//	x: [N, C, i_1..i_s]  (s ≥ 1; f32, f16 or bf16)
//	r: [N, C, o_1..o_s]  o_j = floor((i_j + p0_j + p1_j - k_j) / s_j) + 1 ≥ 1
//
// window, strides: s values ≥ 1; pads: 2s values ≥ 0 (begins then ends),
// each smaller than the window.
// max: the maximum over the window's positions inside x (padding never
// wins; NaN propagates: TensorFlow's MaxPool3D). max_skip_nan: the largest
// non-NaN element of those positions, but at least the element type's
// lowest finite value, so a window of only NaN and -Inf gives that value
// (TensorFlow's 2-D MaxPool CPU kernel, which starts from the lowest value
// and keeps it against NaN). avg: the sum over positions inside x divided by the number of
// positions inside x (count_include_pad=false, TensorFlow's rule) or by
// the window size (count_include_pad=true). count_include_pad is false
// for the max kinds.
func inferPool(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "input", floatDTypes...); err != nil {
		return nil, err
	}
	if x.Rank() < 3 {
		return nil, fmt.Errorf("input %v: want rank ≥ 3 (N, C, spatial...)", x.Shape)
	}
	s := x.Rank() - 2
	win, err := checkPositive(op, "window", s)
	if err != nil {
		return nil, err
	}
	strides, err := checkPositive(op, "strides", s)
	if err != nil {
		return nil, err
	}
	pads, err := checkLen(op, "pads", 2*s)
	if err != nil {
		return nil, err
	}
	if op.Str("kind") != "avg" && op.Bool("count_include_pad") {
		return nil, fmt.Errorf("count_include_pad=true with kind=\"max\"")
	}
	out := tensor.Shape{x.Shape[0], x.Shape[1]}
	for j := range s {
		p0, p1 := pads[j], pads[s+j]
		if p0 < 0 || p1 < 0 || p0 >= win[j] || p1 >= win[j] {
			return nil, fmt.Errorf("pads=%v: each must be in [0, window)", pads)
		}
		span := x.Shape[2+j] + p0 + p1 - win[j]
		if span < 0 {
			return nil, fmt.Errorf("spatial dimension %d: padded input %d is smaller than the window %d", j, x.Shape[2+j]+p0+p1, win[j])
		}
		out = append(out, span/strides[j]+1)
	}
	return []Type{{DType: x.DType, Shape: out}}, nil
}
