package interp

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// MaxIterations bounds the iterations of one execution of a while op: a
// loop whose condition stays true longer is an error of the run (the
// program does not terminate on these inputs, or not soon enough), not
// a hang.
const MaxIterations = 1 << 20

// evalWhile runs a while op (ir/ops_control.go) with TensorFlow's
// semantics: the condition on the carried values, then the body, until
// the condition is false.
func evalWhile(op *ir.Op, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	cond, body := op.Regions[0], op.Regions[1]
	vals := args
	for it := 0; ; it++ {
		c, err := runRegion(cond, vals)
		if err != nil {
			return nil, fmt.Errorf("iteration %d: cond: %w", it, err)
		}
		if !c[0].B[0] {
			break
		}
		if it == MaxIterations {
			return nil, fmt.Errorf("loop still running after %d iterations", MaxIterations)
		}
		if vals, err = runRegion(body, vals); err != nil {
			return nil, fmt.Errorf("iteration %d: body: %w", it, err)
		}
	}
	return cloneArgs(vals, args), nil
}

// evalIf runs the branch of an if op that its predicate selects.
func evalIf(op *ir.Op, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	branch := op.Regions[1]
	if args[0].B[0] {
		branch = op.Regions[0]
	}
	res, err := runRegion(branch, args[1:])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", branch.Name, err)
	}
	return res, nil
}

// runRegion runs a region on its arguments, in the order of its inputs.
// Its results never share storage with the arguments (Run copies outputs
// that are inputs).
func runRegion(r *ir.Func, args []*tensor.Tensor) ([]*tensor.Tensor, error) {
	in := r.Inputs()
	m := make(map[string]*tensor.Tensor, len(in))
	for i, op := range in {
		m[op.Str("name")] = args[i]
	}
	res, err := RunWithOptions(r, m, Options{NoVerify: true})
	if err != nil {
		// Run's errors start with "interp: "; the caller adds its own.
		return nil, unwrapInterp(err)
	}
	return res, nil
}

// cloneArgs copies the results that are one of the operands (a zero-trip
// loop returns its operands), so that results never alias operands.
func cloneArgs(res, args []*tensor.Tensor) []*tensor.Tensor {
	out := make([]*tensor.Tensor, len(res))
	for i, t := range res {
		out[i] = t
		for _, a := range args {
			if t == a {
				out[i] = t.Clone()
				break
			}
		}
	}
	return out
}

// regionError is an error of a region's run without Run's "interp: "
// prefix (the enclosing op's error already has it); it wraps the original.
type regionError struct {
	msg string
	err error
}

func (e *regionError) Error() string { return e.msg }
func (e *regionError) Unwrap() error { return e.err }

func unwrapInterp(err error) error {
	if s, ok := strings.CutPrefix(err.Error(), "interp: "); ok {
		return &regionError{s, err}
	}
	return err
}
