package exec

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// Config is the part of TensorRT's builder configuration (IBuilderConfig)
// that changes what a network computes; the zero value is tfc's default
// engine, strict FP32.
type Config struct {
	// TF32 is BuilderFlag::kTF32: TensorRT may compute kFLOAT
	// convolutions and matrix products on tensor cores, which read their
	// operands as TF32 (float32 with 10 of its 23 fraction bits) and
	// accumulate in float32. The executor computes what such a kernel
	// does, the worst case the flag allows: every element of the float32
	// inputs of Convolution, Deconvolution, MatrixMultiply and Einsum
	// layers (and of their kernel weights, not their bias) rounded to the
	// nearest TF32 value, ties to even (tensor.RoundTF32), before the
	// products, which then accumulate as without it. So `tfc verify
	// -backend=trt-ref -tf32` shows TF32's errors on the CPU, and the
	// networks of lower.Options.TF32x3 show that they do not have them.
	TF32 bool
}

// tf32Inputs returns in with the float32 tensors rounded to TF32 for a
// layer that multiplies on tensor cores under kTF32; other layers' inputs
// are returned as they are. The rounded tensors are copies.
func tf32Inputs(l *trt.LayerDesc, in []*tensor.Tensor) []*tensor.Tensor {
	switch l.Params.(type) {
	case trt.Convolution, trt.Deconvolution, trt.MatrixMultiply, trt.Einsum:
	default:
		return in
	}
	out := make([]*tensor.Tensor, len(in))
	for i, t := range in {
		out[i] = t
		if t != nil && t.DType == tensor.Float32 {
			out[i] = roundedTF32(t)
		}
	}
	return out
}

// roundedTF32 returns a float32 tensor with every element rounded to TF32.
func roundedTF32(t *tensor.Tensor) *tensor.Tensor {
	r := tensor.MustNew(tensor.Float32, t.Shape)
	for i, x := range t.F32 {
		r.F32[i] = tensor.RoundTF32(x)
	}
	return r
}
