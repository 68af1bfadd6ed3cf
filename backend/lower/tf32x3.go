package lower

import (
	"fmt"
	"math"
	"slices"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// 3xTF32: FP32-accurate convolutions and matrix products on TF32 tensor
// cores (Options.TF32x3), for engines built with BuilderFlag::kTF32.
//
// With kTF32, TensorRT may round both operands of every kFLOAT
// Convolution, Deconvolution, MatrixMultiply and Einsum to TF32 (11
// significant bits) and accumulate in float32: about 7 times faster than
// float32's SIMT kernels on an H100, with errors of about 1e-3. Under
// TF32x3 each operand of such a product y = op(x, w) of float32 operands
// is split exactly into parts that are TF32 values, x = x_hi + x_lo (the
// technique of CUTLASS's 3xTF32 GEMMs), and the product is
//
//	y = op(x_hi, w_hi) + op(x_lo, w_hi) + op(x_hi, w_lo)
//
// computed as ONE layer of the kind over operands concatenated along the
// contracted axis: op([x_hi, x_lo, x_hi], [w_hi, w_hi, w_lo]), a sum over
// three times the contracted length. The products of TF32 parts are exact
// in TF32; x_lo and w_lo are at most 2^-11 of their operands (their own
// TF32 rounding costs at most 2^-22), and the dropped op(x_lo, w_lo) is at
// most 2^-22 of the product, so the result has float32's accuracy (errors
// of the order of 2^-21 of the terms' magnitudes, like a float32 sum in
// another order). The sum runs in the layer's float32 accumulator; a bias
// is added once.
//
// Why one layer and not three layers and two sums (the first form):
// op(x_hi, W) + op(x_lo, W) of one W is op(x_hi + x_lo, W) = op(x, W) by
// linearity, a rewrite a builder may make and which undoes the split as
// surely as folding the split itself (below); a single layer over
// concatenated operands has no such sum to merge, and it is cheaper (one
// kernel instead of three plus two sums: ResNet50 at batch 1 ran the
// first form in 2.34 ms on the H200, plain TF32 in 0.72 ms). In general an operand is split
// into parts with bounds |part_i| ≤ 2^m_i |x| (largest first), and the
// layer sums the products of one part per operand whose bound 2^(Σ m)
// exceeds 2^-22 of the product (terms): 3 for two operands split in two,
// n+1 for n operands; the concatenation order is the terms' order.
//
// Where the parts go, per kind:
//   - Convolution, kernel [O, C/g, k...]: the input's parts are
//     concatenated along channels and the kernel's along its input-channel
//     axis 1 (on the host for constant weights). With groups g > 1 each
//     group must see its own channels' parts, contiguously: each part,
//     [N, C, S...], is viewed as [N, g, C/g, S'] (a reshape, no data
//     movement: batch as placeholder 0, the spatial dimensions as one -1),
//     the parts are concatenated along axis 2 (the copy a concatenation
//     makes anyway, now also interleaving the groups), and the result is
//     viewed as [N, n·C, S...]: group j reads [part_0 of its channels,
//     part_1 of them, ...], matching a kernel whose n·C/g input channels
//     are the kernel parts in the same order. That is the cheapest correct
//     layout: one concatenation, as for g = 1, and no transpose (a kernel
//     interleaved instead cannot work: a group reads contiguous input
//     channels, and the parts of one group are C apart in a plain
//     concatenation). The bias is the layer's, added once.
//   - Deconvolution, kernel [C, O/g, k...]: the same input; the kernel's
//     parts are concatenated along its axis 0 per group ([g, C/g, ...]
//     viewed, concatenated along axis 1, viewed as [n·C, O/g, k...]).
//   - MatrixMultiply: along the contraction axis K of each operand (the
//     last or second-last axis, as the transpose flags say): [x parts] @
//     [w parts]; batch dimensions broadcast as before, since the parts of
//     one operand share its shape. When both operands are computed at run
//     time both are split in the network.
//   - Einsum lowered as a matrix product (einsum_matmul.go): the same,
//     after each operand's Shuffle to [batch, M, K] and [batch, K, N].
//   - IEinsumLayer: along a contracted letter (absent from the output)
//     that every operand has (the first such; any one will do, the sum
//     runs over all of them), or else along a new letter, a unit axis
//     appended to every part by a reshape and to every input term of the
//     equation; n operands give n+1 terms. Only an equation that already
//     uses all 26 letters keeps one IEinsumLayer per term, summed in
//     float32 by ElementWise kSUM layers, the small terms first, exposed
//     to the linearity rewrite.
//
// Weights (a Convolution's or Deconvolution's kernel Weights, a constant
// operand of a matrix product) are split on the host (splitWeights): x_hi
// is x rounded to TF32, ties to even, and x_lo = x - x_hi, exact in
// float32. Tensors computed at run time are split in the network by a
// round trip through float16, which has TF32's 11 significant bits
// (splitTensor):
//
//	c = min(max(x, -65504), 65504)
//	x_hi = float32(float16(c))
//	x_lo = x - x_hi
//
// For 2^-14 ≤ |x| ≤ 65504 (float16's normal range), x_hi is x rounded to
// 11 bits, a TF32 value, and x_lo = x - x_hi is exact, at most 2^-11 |x|:
// the split is as exact as on the host. Below 2^-14, x_hi is a float16
// subnormal (a multiple of 2^-24, fewer bits) and x_lo, still exact, is
// below 2^-25 in magnitude, so rounding it to TF32 costs at most 2^-36:
// an absolute error far below any product's float32 rounding unless every
// element of the operand is that small. Above 65504, x_hi is ±65504 and
// x_lo = fl(x ∓ 65504) the rest, which keeps up to 24 bits: such elements
// get TF32's relative error (about 2^-11) on their part above 65504.
// ±inf gives x_lo = ±inf, so infinities propagate as in float32; NaN
// propagates through the cast and the sums.
//
// Why casts and not arithmetic: the first form split run-time tensors by
// Veltkamp's splitting, x_hi = t - (t - x) with t = 8193x, in ElementWise
// layers. On an H100, TensorRT-RTX 1.6.1 simplified it algebraically:
// verify -backend trt-ref,trt -mark-all -tf32x3 showed x_hi = x and x_lo =
// 0 (tfc 0fa3264, conv2d_nchw_bias_relu and matmul_plain), so every
// product was plain TF32. A float conversion is not an identity a
// compiler may remove.
//
// The float16 split leaves TF32's relative error on elements above 65504
// (their excess) and an absolute 2^-36 below 2^-14. Options.TF32x3Split =
// SplitBF16 (EXPERIMENTAL; cmd/tfc reads it from TFC_TF32X3_SPLIT) splits
// with casts over the whole float32 range instead, into three parts of at
// most 8 significant bits (bfloat16 has 8 and float32's exponent range;
// splitTensorBF16):
//
//	c = min(max(x, -b), b)              b = 0x1.fep127, bfloat16's largest
//	x_hi = float32(bfloat16(c))
//	l = x - x_hi
//	x_mid = float32(bfloat16(min(max(l, -b), b)))
//	x_lo = l - x_mid
//
// For a normal x in [2^e, 2^(e+1)) (and below b; x ≥ 0 by symmetry): x_hi
// is x rounded to 8 bits, a multiple of 2^(e-7), so l = x - x_hi is a
// multiple of ulp(x) = 2^(e-23) with |l| ≤ 2^(e-8): 16 bits, exact, |l| ≤
// 2^-8 |x|. x_mid is l rounded to 8 bits: with 2^p ≤ |l|, |x_mid| ≤
// 2^(e-8) and x_lo = l - x_mid is a multiple of 2^(e-23) below 2^(p-8) ≤
// 2^(e-16): at most 8 bits, exact, |x_lo| ≤ 2^-16 |x|. So x = x_hi +
// x_mid + x_lo exactly, each part with at most 8 significant bits, a TF32
// value, for |x| ≥ 2^-110 (there an l below float32's normal range is a
// multiple of 2^-133, bfloat16's subnormal step, with at most 7 bits:
// x_mid = l, x_lo = 0). Below 2^-110, x_mid rounds at that step and x_lo,
// still exact, is at most 2^-134 (or 2^-16 |x|): a TF32 value while its
// bits lie at or above 2^-136, TF32's least step, that is for |x| ≥
// 2^-113, and below that its TF32 rounding costs at most 2^-137
// (TestSplitTensorBF16 checks all of this on whole binades). Above b (up
// to float32's largest), x_hi = ±b and l = x ∓ b is exact (Sterbenz),
// |l| < 2^-7 |x|, split on as above. ±inf gives x_hi = x_mid = ±b and x_lo
// = ±inf (infinities propagate); NaN propagates.
//
// The parts' bounds 1, 2^-8, 2^-16 make more terms exceed 2^-22 of a
// product (terms): with constant weights split on the host (w_hi, w_lo ≤
// 2^-11) five, x_hi·w_hi, x_mid·w_hi, x_hi·w_lo, x_lo·w_hi and
// x_mid·w_lo, dropping x_lo·w_lo (≤ 2^-27), the error then being w_lo's
// own TF32 rounding, 2^-22 of the terms' magnitudes, as with the float16
// split; with both operands split in the network six, dropping two terms
// of 2^-24 and one of 2^-32 (all parts exact): 5/3 or twice the
// tensor-core work of the float16 split. A split into two bfloat16 parts
// (x_hi, l) would keep three terms, but l has 16 bits, and its TF32
// rounding alone costs 2^-19 of the product (2^-18 with the dropped
// l·w_lo): too coarse for FP32 accuracy.
//
// Products of other types (f16, bf16, integer) and the exact 0/1 matrix
// products of nms_static.go are left alone.

// f16Max is the clamp of splitTensor: float16's largest finite value.
const f16Max = 65504

// bf16Max is the clamp of splitTensorBF16: bfloat16's largest finite
// value.
const bf16Max = 0x1.fep127

// splitsF32 reports whether products of a value of type dt are split
// under TF32x3.
func (l *lowerer) splitsF32(dt tensor.DType) bool {
	return l.opts.TF32x3 && dt == tensor.Float32
}

// splitWeights splits float32 weights on the host: hi is each value
// rounded to TF32 (ties to even; truncated where rounding would overflow
// to inf), lo = w - hi (exact). Infinities and NaN are their own hi, with
// lo 0.
func splitWeights(w *tensor.Tensor) (hi, lo *tensor.Tensor) {
	hi, lo = tensor.MustNew(tensor.Float32, w.Shape), tensor.MustNew(tensor.Float32, w.Shape)
	for i, x := range w.F32 {
		h := tensor.RoundTF32(x)
		switch {
		case x-x != 0: // inf, NaN
			h = x
		case math.IsInf(float64(h), 0): // rounded past the largest TF32 value
			h = math.Float32frombits(math.Float32bits(x) &^ 0x1fff)
		}
		hi.F32[i] = h
		if x-x == 0 {
			lo.F32[i] = x - h
		}
	}
	return hi, lo
}

// materialized returns t as the first half of a Concatenation [t, t]
// along axis 0 (a Slice of it), a copy that a layer writes to memory, for
// the split to read. The split reads its operand twice (the round trip
// and x - x_hi), and TensorRT-RTX 1.6.1 on an H100 got that wrong when the
// operand came from a layer it fuses with pointwise ones: verify -mark-all
// showed a MaxPool's output read as 0 by x - x_hi (resnet_small, tfc
// 5bda3b2), and MobileNetV2 and resnet_small failed at -tf32x3 while every
// product case passed. Through this copy both pass, as they do when the
// operand is copied by a Gather; an Identity layer, which the builder
// removes, did not help. The copy costs a read and a write of t, no more
// time than the Gather on ResNet50 (batch 1: 1.69 ms with it, 1.66 ms
// without; batch 32: 8.45 ms and 8.93 ms).
func (l *lowerer) materialized(op *ir.Op, suffix string, t trt.Tensor) trt.Tensor {
	d := t.Dimensions()
	if len(d) == 0 {
		return t
	}
	both := l.named(op, suffix+"/copy_pair", l.net.AddConcatenation([]trt.Tensor{t, t}, 0))
	p := trt.Slice{Start: make(trt.Dims, len(d)), Size: d, Stride: ones(len(d))}
	if s := l.sym[op]; s != nil && slices.ContainsFunc(s.Args, func(v *ir.Value) bool { return v.Type.Symbolic() }) {
		// Dynamic dimensions: the size is t's shape when the network runs.
		p.Size, p.SizeTensor = nil, l.named(op, suffix+"/copy_size", l.net.AddShape(t))
	}
	return l.named(op, suffix+"/copy", l.net.AddSlice(both, p))
}

// splitTensor adds the layers splitting the float32 tensor t (a round
// trip through float16, clamped; see above), named after op and suffix.
func (l *lowerer) splitTensor(op *ir.Op, suffix string, t trt.Tensor) (hi, lo trt.Tensor) {
	t = l.materialized(op, suffix, t)
	rank := len(t.Dimensions())
	s := func(x float64, name string) trt.Tensor {
		return l.scalar(op, suffix+"/"+name, tensor.Float32, x, rank)
	}
	c := l.elementwise(op, suffix+"/clamp_lo", t, s(-f16Max, "min_value"), trt.ElementWiseMax)
	c = l.elementwise(op, suffix+"/clamp", c, s(f16Max, "max_value"), trt.ElementWiseMin)
	hi = l.cast(op, suffix+"/hi", l.cast(op, suffix+"/hi_f16", c, trt.Half), trt.Float)
	lo = l.elementwise(op, suffix+"/lo", t, hi, trt.ElementWiseSub)
	return hi, lo
}

// splitTensorBF16 adds the layers splitting the float32 tensor t into
// three parts by bfloat16 round trips (see above), named after op and
// suffix.
func (l *lowerer) splitTensorBF16(op *ir.Op, suffix string, t trt.Tensor) (hi, mid, lo trt.Tensor) {
	t = l.materialized(op, suffix, t)
	rank := len(t.Dimensions())
	lower := l.scalar(op, suffix+"/min_value", tensor.Float32, -bf16Max, rank)
	upper := l.scalar(op, suffix+"/max_value", tensor.Float32, bf16Max, rank)
	round := func(x trt.Tensor, name string) trt.Tensor {
		c := l.elementwise(op, suffix+"/"+name+"_clamp_lo", x, lower, trt.ElementWiseMax)
		c = l.elementwise(op, suffix+"/"+name+"_clamp", c, upper, trt.ElementWiseMin)
		return l.cast(op, suffix+"/"+name, l.cast(op, suffix+"/"+name+"_bf16", c, trt.BF16), trt.Float)
	}
	hi = round(t, "hi")
	rest := l.elementwise(op, suffix+"/rest", t, hi, trt.ElementWiseSub)
	mid = round(rest, "mid")
	lo = l.elementwise(op, suffix+"/lo", rest, mid, trt.ElementWiseSub)
	return hi, mid, lo
}

// factor is an operand of a split product, split into parts whose sum
// is the operand, each a TF32 value (within the bounds of tf32x3.go),
// largest first, with bounds |part_i| ≤ 2^mags[i] |x| elementwise: parts
// computed in the network (net), or on the host (host, whose Constant
// layers would have dimensions d).
type factor struct {
	net  []trt.Tensor
	host []*tensor.Tensor
	d    trt.Dims
	mags []int
}

// loMag bounds the lo part of an operand split in two (on the host, or
// in the network within float16's normal range): |x_lo| ≤ 2^-11 |x|.
const loMag = -11

// keptAbove: a split product keeps the terms whose bound exceeds 2^-22
// of the product (tf32x3.go).
const keptAbove = -22

// splitRun splits the float32 tensor t, computed at run time, in the
// network as Options.TF32x3Split says, named after op and suffix.
func (l *lowerer) splitRun(op *ir.Op, suffix string, t trt.Tensor) factor {
	if l.opts.TF32x3Split == SplitBF16 {
		hi, mid, lo := l.splitTensorBF16(op, suffix, t)
		return factor{net: []trt.Tensor{hi, mid, lo}, mags: []int{0, -8, -16}}
	}
	hi, lo := l.splitTensor(op, suffix, t)
	return factor{net: []trt.Tensor{hi, lo}, mags: []int{0, loMag}}
}

// splitHost splits constant float32 weights w on the host (splitWeights),
// parts of dimensions d.
func splitHost(w *tensor.Tensor, d trt.Dims) factor {
	hi, lo := splitWeights(w)
	return factor{host: []*tensor.Tensor{hi, lo}, d: d, mags: []int{0, loMag}}
}

// splitValue splits operand v of op: a float32 constant on the host (parts
// of dimensions d: v's own shape or that shape with leading 1s), anything
// else (its tensor t(), of dimensions d) in the network.
func (l *lowerer) splitValue(op *ir.Op, suffix string, v *ir.Value, d trt.Dims, t func() trt.Tensor) factor {
	if c := constValue(v); c != nil && c.DType == tensor.Float32 {
		return splitHost(c, d)
	}
	return l.splitRun(op, suffix, t())
}

// concatFactors returns the operands of the one layer computing a split
// product of factors fs: factor k's parts concatenated along axes[k] as
// the terms take them, in the terms' order (a Constant of parts
// concatenated on the host, or a Concatenation), named after op and
// suffix/in<k>.
func (l *lowerer) concatFactors(op *ir.Op, suffix string, fs []factor, axes []int) []trt.Tensor {
	mags := make([][]int, len(fs))
	for k, f := range fs {
		mags[k] = f.mags
	}
	ts := terms(mags...)
	out := make([]trt.Tensor, len(fs))
	for k, f := range fs {
		name := fmt.Sprintf("%s/in%d", suffix, k)
		if f.host == nil {
			out[k] = l.concatParts(op, name, f, ts, k, axes[k])
			continue
		}
		a := 1
		for _, n := range f.d[:axes[k]] {
			a *= int(n)
		}
		d := slices.Clone(f.d)
		d[axes[k]] *= int64(len(ts))
		out[k] = l.constant(op, name, concatHost(f.host, ts, k, a), d)
	}
	return out
}

// terms returns the products of parts a split product computes, given
// each operand's part bounds: one part index per operand, every choice
// whose bound 2^(Σ mags) exceeds 2^keptAbove, the largest first (for two
// operands split in two: (hi, hi), (lo, hi), (hi, lo)).
func terms(mags ...[]int) [][]int {
	type term struct {
		idx []int
		mag int
	}
	var all []term
	idx := make([]int, len(mags))
	var rec func(k, sum int)
	rec = func(k, sum int) {
		if k < 0 {
			if sum > keptAbove {
				all = append(all, term{append([]int(nil), idx...), sum})
			}
			return
		}
		for i, m := range mags[k] {
			idx[k] = i
			rec(k-1, sum+m)
		}
	}
	rec(len(mags)-1, 0) // the first operand's part varies fastest
	slices.SortStableFunc(all, func(a, b term) int { return b.mag - a.mag })
	out := make([][]int, len(all))
	for i, t := range all {
		out[i] = t.idx
	}
	return out
}

// concatParts concatenates along axis the network parts of factor k
// that the terms take, in the terms' order (a Concatenation named after
// op and suffix).
func (l *lowerer) concatParts(op *ir.Op, suffix string, f factor, ts [][]int, k, axis int) trt.Tensor {
	in := make([]trt.Tensor, len(ts))
	for s, t := range ts {
		in[s] = f.net[t[k]]
	}
	return l.named(op, suffix, l.net.AddConcatenation(in, int32(axis)))
}

// concatHost is concatParts on the host: the parts ws, each viewed as
// [a, rest], concatenated along rest (for a concatenation along axis j,
// a is the product of the dimensions before j).
func concatHost(ws []*tensor.Tensor, ts [][]int, k, a int) *tensor.Tensor {
	n := len(ws[0].F32)
	row := n / a
	out := make([]float32, 0, n*len(ts))
	for i := range a {
		for _, t := range ts {
			out = append(out, ws[t[k]].F32[i*row:(i+1)*row]...)
		}
	}
	return tensor.FromF32(tensor.Shape{a, len(ts) * row}, out)
}

// sumTerms adds the products of a split product, given largest first,
// the small ones first; the layer computing the result is named after op
// and suffix.
func (l *lowerer) sumTerms(op *ir.Op, suffix string, ys []trt.Tensor) trt.Tensor {
	sum := ys[len(ys)-1]
	for i := len(ys) - 2; i >= 0; i-- {
		name := suffix
		if i > 0 {
			name = join(suffix, fmt.Sprintf("tf32x3/sum%d", i))
		}
		sum = l.elementwise(op, name, ys[i], sum, trt.ElementWiseSum)
	}
	return sum
}

// join appends a name part to a suffix.
func join(suffix, part string) string {
	if suffix == "" {
		return part
	}
	return suffix + "/" + part
}
