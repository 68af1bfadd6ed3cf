package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	convAttrs := []AttrSpec{
		{Name: "strides", Kind: AttrInts},
		{Name: "dilations", Kind: AttrInts},
		{Name: "pads", Kind: AttrInts},
		{Name: "groups", Kind: AttrInt},
	}
	register(OpConv, OpInfo{
		Name: "conv", Family: "conv", Summary: "N-D grouped convolution, channels first",
		MinArgs: 2, MaxArgs: 3, NumResults: 1, Attrs: convAttrs,
		Infer: inferConv,
	})
	register(OpConvTranspose, OpInfo{
		Name: "conv_transpose", Family: "conv", Summary: "N-D grouped transposed convolution, channels first",
		MinArgs: 2, MaxArgs: 3, NumResults: 1, Attrs: convAttrs,
		Infer: inferConvTranspose,
	})
}

// conv: N-D grouped cross-correlation (what deep-learning frameworks call
// convolution), channels first.
//
//	%r = conv(%x, %w[, %b]) {strides=[sh,sw], dilations=[dh,dw], pads=[ph0,pw0,ph1,pw1], groups=g} : T
//
// With s spatial dimensions (s ≥ 1):
//
//	x: [N, C, i_1..i_s]          the input
//	w: [O, C/g, k_1..k_s]        the kernel
//	b: [O]                       optional bias
//	r: [N, O, o_1..o_s]          o_j = floor((i_j + p0_j + p1_j - d_j*(k_j-1) - 1) / s_j) + 1
//
// strides, dilations: s values ≥ 1. pads: 2s values ≥ 0, all the leading
// (begin) pads then all the trailing (end) pads, as in ONNX. groups ≥ 1
// divides both C and O. Every o_j must be ≥ 1. All operands share one float
// element type (f32, f16, bf16; accumulated in f32, rounded once).
//
//	r[n, o, y] = b[o] + Σ_{c<C/g} Σ_{k} x[n, G*C/g + c, y*s + k*d - p0] * w[o, c, k]
//
// where G = o / (O/g) is the output's group and x is zero outside its
// bounds (the padding).
func inferConv(op *Op) ([]Type, error) {
	x, w, s, err := convCommon(op)
	if err != nil {
		return nil, err
	}
	g := op.Int("groups")
	if x.Shape[1]%g != 0 || w.Shape[0]%g != 0 {
		return nil, fmt.Errorf("groups=%d does not divide input channels %d and output channels %d", g, x.Shape[1], w.Shape[0])
	}
	if w.Shape[1]*g != x.Shape[1] {
		return nil, fmt.Errorf("kernel %v has %d input channels per group, input has %d channels in %d groups", w.Shape, w.Shape[1], x.Shape[1], g)
	}
	strides, dil, pads := op.Ints("strides"), op.Ints("dilations"), op.Ints("pads")
	out := tensor.Shape{x.Shape[0], w.Shape[0]}
	for j := range s {
		if pads[j] < 0 || pads[s+j] < 0 {
			return nil, fmt.Errorf("pads=%v: values must be ≥ 0", pads)
		}
		eff, err := mulDims(dil[j], w.Shape[2+j]-1)
		if err != nil {
			return nil, err
		}
		eff++
		span := x.Shape[2+j] + pads[j] + pads[s+j] - eff
		if span < 0 {
			return nil, fmt.Errorf("spatial dimension %d: padded input %d is smaller than the dilated kernel %d", j, x.Shape[2+j]+pads[j]+pads[s+j], eff)
		}
		out = append(out, span/strides[j]+1)
	}
	return []Type{{DType: x.DType, Shape: out}}, nil
}

// conv_transpose: the transpose (gradient with respect to the input) of
// conv, channels first.
//
//	%r = conv_transpose(%x, %w[, %b]) {strides, dilations, pads, groups} : T
//
//	x: [N, C, i_1..i_s]
//	w: [C, O/g, k_1..k_s]        (note: input channels first, as in ONNX and TensorRT)
//	b: [O]                       optional bias
//	r: [N, O, o_1..o_s]          o_j = (i_j - 1)*s_j + d_j*(k_j - 1) + 1 - p0_j - p1_j
//
// Semantics: form the full output F of size (i_j-1)*s_j + d_j*(k_j-1) + 1
// by scattering, for every input position y and kernel tap k,
// x[n, c, y] * w[c, o', k] into F[n, G*O/g + o', y*s + k*d], where c is in
// group G; then crop p0_j from the start and p1_j from the end of each
// spatial dimension, and add b. A negative pad extends that side with
// positions no tap reaches (they hold only the bias): this is how an output
// size larger than the full size (TensorFlow's output_shape) is expressed.
// groups divides C and O. Every o_j must be ≥ 1.
func inferConvTranspose(op *Op) ([]Type, error) {
	x, w, s, err := convCommon(op)
	if err != nil {
		return nil, err
	}
	g := op.Int("groups")
	if x.Shape[1] != w.Shape[0] {
		return nil, fmt.Errorf("kernel %v has %d input channels, input has %d", w.Shape, w.Shape[0], x.Shape[1])
	}
	if x.Shape[1]%g != 0 {
		return nil, fmt.Errorf("groups=%d does not divide input channels %d", g, x.Shape[1])
	}
	strides, dil, pads := op.Ints("strides"), op.Ints("dilations"), op.Ints("pads")
	out := tensor.Shape{x.Shape[0], w.Shape[1] * g}
	for j := range s {
		span, err := mulDims(x.Shape[2+j]-1, strides[j])
		if err != nil {
			return nil, err
		}
		eff, err := mulDims(dil[j], w.Shape[2+j]-1)
		if err != nil {
			return nil, err
		}
		o := span + eff + 1 - pads[j] - pads[s+j]
		if o < 1 {
			return nil, fmt.Errorf("spatial dimension %d: output size %d < 1", j, o)
		}
		out = append(out, o)
	}
	return []Type{{DType: x.DType, Shape: out}}, nil
}

// convCommon checks what conv and conv_transpose share and returns the
// input and kernel types and the number of spatial dimensions.
func convCommon(op *Op) (x, w Type, s int, err error) {
	x, w = op.Args[0].Type, op.Args[1].Type
	if _, err = sameDTypes(op); err != nil {
		return
	}
	if err = requireDType(x.DType, "input", floatDTypes...); err != nil {
		return
	}
	if x.Rank() < 3 {
		err = fmt.Errorf("input %v: want rank ≥ 3 (N, C, spatial...)", x.Shape)
		return
	}
	s = x.Rank() - 2
	if w.Rank() != x.Rank() {
		err = fmt.Errorf("kernel %v: want rank %d like the input", w.Shape, x.Rank())
		return
	}
	for _, d := range w.Shape {
		if d < 1 {
			err = fmt.Errorf("kernel %v has an empty dimension", w.Shape)
			return
		}
	}
	if _, err = checkPositive(op, "strides", s); err != nil {
		return
	}
	if _, err = checkPositive(op, "dilations", s); err != nil {
		return
	}
	if _, err = checkLen(op, "pads", 2*s); err != nil {
		return
	}
	if op.Int("groups") < 1 {
		err = fmt.Errorf("groups=%d, want ≥ 1", op.Int("groups"))
		return
	}
	if len(op.Args) == 3 {
		b := op.Args[2].Type
		o := w.Shape[0]
		if op.Opcode == OpConvTranspose {
			o = w.Shape[1] * op.Int("groups")
		}
		if b.Rank() != 1 || b.Shape[0] != o {
			err = fmt.Errorf("bias %v: want [%d]", b.Shape, o)
			return
		}
	}
	return
}
