package ir

func init() {
	register(OpCast, OpInfo{
		Name: "cast", Family: "cast", Summary: "convert element type",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{{Name: "to", Kind: AttrDType}},
		Infer: inferCast,
	})
}

// cast: element type conversion.
//
//	%r = cast(%x) {to=i32} : i32[...]
//
// The result has x's shape and element type `to` (any of f32, f16, bf16, i32,
// i64, bool). Conversions:
//   - float → integer truncates toward zero; NaN and values out of range
//     are implementation-defined (TensorFlow and TensorRT differ), so
//     graphs must not rely on them;
//   - float → f16 or bf16 rounds to nearest even; integer → float rounds to nearest;
//   - i64 → i32 keeps the low 32 bits (two's complement wrap);
//   - x → bool is x != 0; bool → number is 0 or 1;
//   - an f32 denormal casts to false (and to 0 wherever the target cannot
//     hold it), as TensorFlow's CPU kernels flush denormals. TensorRT does
//     not document what its Cast does with one; the reference executor
//     shares the interpreter's kernel (it flushes), a GPU may not.
func inferCast(op *Op) ([]Type, error) {
	t := op.Args[0].Type
	to := op.DType("to")
	if err := requireDType(t.DType, "operand", interpDTypes...); err != nil {
		return nil, err
	}
	if err := requireDType(to, "target", interpDTypes...); err != nil {
		return nil, err
	}
	return []Type{{DType: to, Shape: t.Shape.Clone()}}, nil
}
