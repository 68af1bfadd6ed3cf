package interp

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// EvalOp evaluates one op on concrete arguments, one per operand, and
// returns its results. The op's attributes must be valid for its opcode
// (as ir.InferTypes checks); the arguments must have the operand types
// the op was built with. Errors name the op and its location.
func EvalOp(op *ir.Op, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	res, err := evalOp(op, args)
	if err != nil {
		return nil, fmt.Errorf("%s loc(%q): %w", op.Opcode, op.Loc, err)
	}
	return res, nil
}

func evalOp(op *ir.Op, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	switch op.Opcode {
	case ir.OpInput:
		return nil, fmt.Errorf("input %q has no value", op.Str("name"))
	case ir.OpConst:
		t := op.Tensor("value")
		if ir.IsElided(t) {
			return nil, fmt.Errorf("constant elided in text form; print with -print-consts")
		}
		return []*tensor.Tensor{t}, nil
	}
	return nil, fmt.Errorf("interp: op %s not implemented yet", op.Opcode)
}
