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

// f16Max is the clamp of splitTensor: float16's largest finite value.
const f16Max = 65504

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

// splitTensor adds the layers splitting the float32 tensor t (a round
// trip through float16, clamped; see above), named after op and suffix.
func (l *lowerer) splitTensor(op *ir.Op, suffix string, t trt.Tensor) (hi, lo trt.Tensor) {
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
