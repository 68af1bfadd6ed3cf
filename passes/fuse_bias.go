package passes

import "github.com/tfc-dev/tfc/ir"

// fuse-bias is the affine chain analysis of fuse-bn (see fuse_bn.go)
// restricted to adds and subs of per-channel constants:
//
//	add(conv(x, w[, b]), c)   → conv(x, w, b + c)
//	sub(conv(x, w[, b]), c)   → conv(x, w, b - c)
//	add(transpose(conv), c)   → transpose(conv(x, w, b + c')), c' along the moved channel axis
//
// for f32 conv and conv_transpose whose result has a single use; the
// weights need not be constant, an existing bias must be. A matmul
// followed by the add of a [N] constant is left alone: the IR's matmul
// has no bias operand, and TensorRT adds it with an elementwise layer
// either way.

// fuseBias runs the affine chain analysis for adds and subs only.
func fuseBias(f *ir.Func, _ *Config) (bool, error) { return fuseAffine(f, false) }
