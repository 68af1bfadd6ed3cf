package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
)

// Canonical IR. Lower takes the output of the pass pipeline (passes.Run;
// passes.Required() alone suffices), whose required passes establish the
// form the lowering relies on, so that it selects layers and does not
// redo their work:
//
//   - Weights: an operand the lowering needs as data (passes.WeightOperands:
//     conv and conv_transpose kernels and biases, scatter_nd indices) is a
//     const, a kernel that is an FP8 weight pair (passes.IsFP8WeightPair),
//     or computed from an input; never a constant expression, which the
//     weights pass folds.
//
// canonicalErrs returns, for each op of f that breaks the form, the rule
// it breaks.
func canonicalErrs(f *ir.Func) map[*ir.Op]error {
	// constant[v]: v is computed from constants alone.
	constant := ir.NewValueMap[bool](f)
	var errs map[*ir.Op]error
	for _, op := range f.Ops {
		c := op.Opcode != ir.OpInput && len(op.Regions) == 0
		for _, a := range op.Args {
			c = c && constant.At(a)
		}
		for _, r := range op.Results {
			constant.Set(r, c)
		}
		for _, i := range passes.WeightOperands(op) {
			v := op.Args[i]
			if !constant.At(v) || isConst(v) || i == 1 && passes.IsFP8WeightPair(v) {
				continue
			}
			if errs == nil {
				errs = map[*ir.Op]error{}
			}
			errs[op] = fmt.Errorf("operand %d is a constant expression (%s), not a constant: the IR is not canonical (run the pass pipeline; its required weights pass folds it)", i, v.Op.Opcode)
			break
		}
	}
	return errs
}
