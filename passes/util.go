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
