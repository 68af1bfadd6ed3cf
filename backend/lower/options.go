package lower

import "fmt"

// Options are lowering strategies; the zero value is the default lowering.
type Options struct {
	// TF32x3 computes each float32 Convolution, Deconvolution,
	// MatrixMultiply and Einsum layer as the sum of three TF32-exact
	// products, in one layer over operands concatenated along the
	// contracted axis (see tf32x3.go), for a builder with
	// BuilderFlag::kTF32: FP32 accuracy on TF32 tensor cores.
	TF32x3 bool
	// TF32x3Split is how TF32x3 splits tensors computed at run time:
	// SplitF16 (or "", the default) or SplitBF16, EXPERIMENTAL (exact
	// over the whole float32 range, for more tensor-core work); see
	// tf32x3.go.
	TF32x3Split string
	// Consume lets the lowering release the Func as it goes: each op
	// leaves f.Ops once it is lowered, so a large program and its network
	// are never both whole in memory (a million-op function peaks at
	// about the larger of the two instead of their sum). The Func must
	// not be used afterwards: its Ops are gone. For callers that only
	// want the network (tfc compile); the static path only (LowerDynamic
	// validates the network at several shapes and keeps the Func).
	Consume bool
}

// Options.TF32x3Split values.
const (
	SplitF16  = "f16"  // float32(float16(clamp(x, ±65504))) and the rest
	SplitBF16 = "bf16" // three parts by bfloat16 round trips
)

// check reports options that name no strategy.
func (o Options) check() error {
	switch o.TF32x3Split {
	case "", SplitF16, SplitBF16:
		return nil
	}
	return fmt.Errorf("lower: unknown TF32x3 split %q (want %q or %q)", o.TF32x3Split, SplitF16, SplitBF16)
}
