package passes

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
)

// inferShapes recomputes every result type with the opcode's type rule,
// in program order, so that a Func whose input shapes changed (for example
// IR text edited by hand, or -inputs) gets consistent types everywhere.
// The frontend already produces static types, so on imported graphs this
// changes nothing; a dimension that cannot be inferred is an error naming
// the value's op and origin.
func inferShapes(f *ir.Func, _ *Config) (bool, error) {
	changed := false
	for _, op := range f.Ops {
		if op.Opcode == ir.OpInput {
			if t := op.Results[0].Type; !t.Shape.Known() && !t.Symbolic() {
				return false, fmt.Errorf("input %q has unknown dimensions %v; set its shape with -inputs", op.Str("name"), op.Results[0].Type.Shape)
			}
			continue
		}
		types, err := ir.InferTypes(op)
		if err != nil {
			return false, fmt.Errorf("%s loc(%q): %v", op.Opcode, op.Loc, err)
		}
		for i, t := range types {
			if !op.Results[i].Type.Equal(t) {
				op.Results[i].Type = t
				changed = true
			}
		}
	}
	return changed, nil
}
