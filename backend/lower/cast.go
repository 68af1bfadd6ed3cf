package lower

import "github.com/tfc-dev/tfc/ir"

// cast → ICastLayer; a cast to the operand's own type adds nothing.
// TensorRT's conversions are the IR's: float → integer truncates toward
// zero, float → f16 rounds to nearest even, x → bool is x != 0, bool →
// number is 0 or 1. (Out-of-range and NaN conversions are unspecified in
// both.)
func init() {
	register(ir.OpCast, rule{lower: func(l *lowerer, op *ir.Op) error {
		x := op.Args[0]
		to := op.DType("to")
		if x.Type.DType == to {
			l.alias(op)
			return nil
		}
		l.set(op.Result(), l.cast(op, "", l.tensor(x), mustType(to)))
		return nil
	}})
}
