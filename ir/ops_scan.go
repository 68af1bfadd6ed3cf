package ir

import "fmt"

func init() {
	register(OpCumulative, OpInfo{Name: "cumulative", Family: "scan",
		Summary: "running sums or products along an axis", MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "kind", Kind: AttrString, Enum: []string{"sum", "prod"}},
			{Name: "axis", Kind: AttrInt},
			{Name: "exclusive", Kind: AttrBool},
			{Name: "reverse", Kind: AttrBool},
		}, Infer: inferCumulative})
}

// cumulative: running sums (kind "sum") or products ("prod") along an
// axis.
//
//	%r = cumulative(%x) {kind="sum", axis=1, exclusive=false, reverse=false} : T
//
// x is f32, f16, bf16, i32 or i64 of rank ≥ 1; 0 ≤ axis < rank(x);
// r.shape = x.shape. Along axis, with n = x.shape[axis] and ⊕ the kind's
// operation and e its identity (0 or 1), each line is accumulated in
// order from e:
//
//	          forward                     reverse
//	inclusive r[j] = e ⊕ x[0] ⊕ … ⊕ x[j]   r[j] = e ⊕ x[n-1] ⊕ … ⊕ x[j]
//	exclusive r[j] = e ⊕ x[0] ⊕ … ⊕ x[j-1] r[j] = e ⊕ x[n-1] ⊕ … ⊕ x[j+1]
//
// (TensorFlow's Cumsum and Cumprod). Every partial result is rounded to the
// element type (f16, bf16); integers wrap.
func inferCumulative(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "operand", numericDTypes...); err != nil {
		return nil, err
	}
	if x.Rank() < 1 {
		return nil, fmt.Errorf("operand %v: want rank ≥ 1", x)
	}
	if err := checkAxes([]int{op.Int("axis")}, x.Rank(), "axis"); err != nil {
		return nil, err
	}
	return []Type{x}, nil
}
