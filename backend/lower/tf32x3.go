package lower

import (
	"math"

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
// TF32x3 each such product y = op(x, w) of float32 operands is computed as
//
//	y = op(x_hi, w_hi) + (op(x_lo, w_hi) + op(x_hi, w_lo))
//
// where each operand is split exactly, x = x_hi + x_lo, into a TF32 value
// x_hi and the rest x_lo (the technique of CUTLASS's 3xTF32 GEMMs). The
// products of the hi parts are exact in TF32; x_lo and w_lo are at most
// 2^-11 of their operands and are themselves rounded to TF32, and the
// dropped op(x_lo, w_lo) is at most 2^-22 of the product, so the result
// has float32's accuracy (errors of the order of 2^-21 of the terms'
// magnitudes, like a float32 sum in another order). The sum runs in float32
// (two ElementWise kSUM), the small terms first; a bias is added once, by
// the op(x_hi, w_hi) layer. Every such product is split this way, grouped
// and depthwise convolutions included, as three layers of the kind and two
// sums: one form for every case (the simplest correct one; TensorRT may
// fuse the sums into the layers' epilogues).
//
// Weights (a Convolution's or Deconvolution's kernel Weights, a constant
// operand of a matrix product) are split on the host (splitWeights): x_hi
// is x rounded to TF32, ties to even, and x_lo = x - x_hi, exact in
// float32. Tensors computed at run time are split in the network by
// Veltkamp's splitting with ElementWise layers only (splitTensor):
//
//	c = min(max(x, -2^114), 2^114)
//	t = c * 8193
//	x_hi = t - (t - c)
//	x_lo = x - x_hi
//
// Why x_hi has at most 11 significant bits and x_lo is exact (for |x| ≤
// 2^114, so c = x; u = ulp(x); x ≥ 0 by symmetry): 8193x ≥ 2^13 x, so
// t = fl(8193x) and 8192x are multiples of 2^13 u, and t = 8193x + d with
// |d| ≤ ulp(t)/2 ≤ 2^13 u. This is Veltkamp's splitting with the constant
// 2^s + 1, s = 13, for which Dekker (1971) and Boldo (2006, with
// gradual underflow) proved that x_hi = fl(t - fl(t - x)) fits in 24 - s =
// 11 bits and x = x_hi + x_lo with x_lo exact; when the GPU contracts t - x
// into a fused multiply-add, fl(t - x) is fl(8193x - x) = 8192x exactly,
// and x_hi = t - 8192x = x + d is a multiple of 2^13 u below 2^24 u + 2^13
// u (|x| ≤ (2^24 - 1) u), so at most 2^11 of them: 11 bits, exact, and
// x_lo = -d is a multiple of u below 2^13 u, exact too. An x_hi of a
// normal x is then a TF32 value (2^13 u ≥ 2^-136, TF32's least step);
// for a subnormal x, x_hi may hold bits below 2^-136, whose loss when the
// GPU rounds it is below 2^-137 in absolute value (TestSplitTensor
// checks all of this on every float32 of one binade and every subnormal).
//
// The clamp keeps 8193x finite: f32 max / 8193 is about 4.2e34 (2^114 =
// 2.1e34). Beyond it, x_hi = ±2^114 (one bit) and x_lo = x ∓ 2^114, still
// an exact split, but x_lo then keeps more than 11 bits and its product
// is only TF32-accurate: elements above 2^114 in magnitude get TF32's
// relative error (no NaN); ±inf gives x_lo = ±inf, so infinities
// propagate as in float32; min and max propagate NaN.
//
// Products of other types (f16, bf16, integer) and the exact 0/1 matrix
// products of nms_static.go are left alone.

// Options are lowering strategies; the zero value is the default lowering.
type Options struct {
	// TF32x3 computes float32 Convolution, Deconvolution, MatrixMultiply
	// and Einsum layers as three TF32-exact products (see tf32x3.go), for
	// a builder with BuilderFlag::kTF32: FP32 accuracy on TF32 tensor
	// cores.
	TF32x3 bool
}

// tf32Bound is the clamp of splitTensor: 2^114 ≤ f32 max / 8193.
const tf32Bound = 0x1p114

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

// splitTensor adds the layers splitting the float32 tensor t (Veltkamp's
// splitting, clamped; see above), named after op and suffix.
func (l *lowerer) splitTensor(op *ir.Op, suffix string, t trt.Tensor) (hi, lo trt.Tensor) {
	rank := len(t.Dimensions())
	s := func(x float64, name string) trt.Tensor {
		return l.scalar(op, suffix+"/"+name, tensor.Float32, x, rank)
	}
	c := l.elementwise(op, suffix+"/clamp_lo", t, s(-tf32Bound, "min_value"), trt.ElementWiseMax)
	c = l.elementwise(op, suffix+"/clamp", c, s(tf32Bound, "max_value"), trt.ElementWiseMin)
	p := l.elementwise(op, suffix+"/scaled", c, s(8193, "splitter"), trt.ElementWiseProd)
	d := l.elementwise(op, suffix+"/diff", p, c, trt.ElementWiseSub)
	hi = l.elementwise(op, suffix+"/hi", p, d, trt.ElementWiseSub)
	lo = l.elementwise(op, suffix+"/lo", t, hi, trt.ElementWiseSub)
	return hi, lo
}

// splitValue splits operand v of op: a constant on the host, as two
// Constant layers of dimensions d (v's own shape or that shape with
// leading 1s), anything else (its tensor t, of dimensions d) in the
// network.
func (l *lowerer) splitValue(op *ir.Op, suffix string, v *ir.Value, d trt.Dims, t func() trt.Tensor) (hi, lo trt.Tensor) {
	if c := constValue(v); c != nil && c.DType == tensor.Float32 {
		h, w := splitWeights(c)
		return l.constant(op, suffix+"/hi", h, d), l.constant(op, suffix+"/lo", w, d)
	}
	return l.splitTensor(op, suffix, t())
}

// sum3 adds the three products of a split product, the small ones first;
// the layer computing the result is named after op and suffix.
func (l *lowerer) sum3(op *ir.Op, suffix string, hh, lh, hl trt.Tensor) trt.Tensor {
	small := l.elementwise(op, join(suffix, "tf32x3/lo_sum"), lh, hl, trt.ElementWiseSum)
	return l.elementwise(op, suffix, hh, small, trt.ElementWiseSum)
}

// join appends a name part to a suffix.
func join(suffix, part string) string {
	if suffix == "" {
		return part
	}
	return suffix + "/" + part
}
