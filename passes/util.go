package passes

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Helpers shared by the passes.

// constOf returns the tensor of a value defined by a const op with data,
// or nil.
func constOf(v *ir.Value) *tensor.Tensor {
	if v.Op.Opcode != ir.OpConst {
		return nil
	}
	t := v.Op.Tensor("value")
	if ir.IsElided(t) {
		return nil
	}
	return t
}

// isSplat reports whether v is a constant whose elements all equal x
// (compared as float64; bools as 0/1). An empty constant is not a splat.
func isSplat(v *ir.Value, x float64) bool {
	t := constOf(v)
	if t == nil || t.Len() == 0 {
		return false
	}
	for i := range t.Len() {
		if t.Float64At(i) != x {
			return false
		}
	}
	return true
}

// useCounts counts, for every value, its uses as an operand plus its uses
// as a function output.
func useCounts(f *ir.Func) map[*ir.Value]int {
	n := make(map[*ir.Value]int, len(f.Ops))
	for _, op := range f.Ops {
		for _, a := range op.Args {
			n[a]++
		}
	}
	for _, o := range f.Outputs {
		n[o.Value]++
	}
	return n
}

// isOutput reports the values that are function outputs.
func outputSet(f *ir.Func) map[*ir.Value]bool {
	m := make(map[*ir.Value]bool, len(f.Outputs))
	for _, o := range f.Outputs {
		m[o.Value] = true
	}
	return m
}
