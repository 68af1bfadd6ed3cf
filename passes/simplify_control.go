package passes

import (
	"github.com/tfc-dev/tfc/ir"
)

// simplifyControl applies the exact rewrites of ops with regions:
//
//   - an if whose predicate is a constant becomes the taken branch, its
//     ops inlined where the if was (the other branch is dropped);
//   - a while result whose carried value the body yields unchanged
//     (ir.LoopInvariant) is the loop's operand: its uses read the operand.
//
// It records replacements in repl (only for results that are used: used
// is the set of values read by an op or an output) and reports whether it
// inlined ops (appended at the end of f: the caller sorts).
func simplifyControl(f *ir.Func, op *ir.Op, repl map[*ir.Value]*ir.Value, used map[*ir.Value]bool) (inlined bool, err error) {
	switch op.Opcode {
	case ir.OpIf:
		t := constOf(op.Args[0])
		if t == nil || ir.IsElided(t) {
			return false, nil
		}
		branch := op.Regions[1]
		if t.B[0] {
			branch = op.Regions[0]
		}
		out, err := f.Inline(branch, op.Args[1:])
		if err != nil {
			return false, err
		}
		for i, r := range op.Results {
			repl[r] = out[i]
		}
		return true, nil
	case ir.OpWhile:
		for i, inv := range ir.LoopInvariant(op) {
			if inv && used[op.Results[i]] {
				repl[op.Results[i]] = op.Args[i]
			}
		}
	}
	return false, nil
}

// usedValues returns the values of f that an op or an output reads.
func usedValues(f *ir.Func) map[*ir.Value]bool {
	used := make(map[*ir.Value]bool, len(f.Ops))
	for _, op := range f.Ops {
		for _, a := range op.Args {
			used[a] = true
		}
	}
	for _, o := range f.Outputs {
		used[o.Value] = true
	}
	return used
}
