package interp

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// liveHook, set by tests, sees the number of live values after each op.
var liveHook func(n int)

// Options adjust RunWithOptions.
type Options struct {
	// Trace, if set, is called after every op (inputs and constants
	// included) with its results. The tensors must not be modified or
	// retained past the call unless cloned.
	Trace func(op *ir.Op, results []*tensor.Tensor)
	// NoVerify skips ir.Verify (for callers that have just verified f).
	NoVerify bool
}

// Run executes f on inputs, keyed by input op name (the TensorFlow tensor
// name, e.g. "x:0"), and returns the values of f.Outputs in order. Every
// input must be present with exactly its input op's dtype and shape, and
// there may be no other entries. Intermediate values are released after
// their last use. Returned tensors never share storage with inputs or
// constants.
func Run(f *ir.Func, inputs map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	return RunWithOptions(f, inputs, Options{})
}

// RunWithOptions is Run with options.
func RunWithOptions(f *ir.Func, inputs map[string]*tensor.Tensor, opts Options) ([]*tensor.Tensor, error) {
	if f == nil {
		return nil, fmt.Errorf("interp: nil Func")
	}
	if !opts.NoVerify {
		if err := ir.Verify(f); err != nil {
			return nil, fmt.Errorf("interp: %w", err)
		}
	}
	if f.HasSymbolicInputs() {
		// Run the program at the sizes the inputs give its symbols.
		shapes := make(map[string]tensor.Shape, len(inputs))
		for name, t := range inputs {
			if t != nil {
				shapes[name] = t.Shape
			}
		}
		bind, err := ir.BindInputs(f, shapes)
		if err != nil {
			return nil, fmt.Errorf("interp: %v", err)
		}
		if err := checkInputs(f, inputs, false); err != nil {
			return nil, err
		}
		if f, err = ir.Specialize(f, bind); err != nil {
			return nil, fmt.Errorf("interp: %v", err)
		}
	}
	if err := checkInputs(f, inputs, true); err != nil {
		return nil, err
	}
	// lastUse[v] is the index of the last op reading v; outputs live to
	// the end.
	lastUse := make(map[*ir.Value]int)
	for i, op := range f.Ops {
		for _, a := range op.Args {
			lastUse[a] = i
		}
	}
	for _, o := range f.Outputs {
		lastUse[o.Value] = len(f.Ops)
	}
	if err := checkMemory(f, lastUse); err != nil {
		return nil, err
	}
	// Data symbols (nonzero counts) get their values as the ops run.
	data := map[string]int64{}
	vals := make(map[*ir.Value]*tensor.Tensor)
	var args []*tensor.Tensor
	for i, op := range f.Ops {
		var res []*tensor.Tensor
		if op.Opcode == ir.OpInput {
			res = []*tensor.Tensor{inputs[op.Str("name")]}
		} else {
			args = args[:0]
			for _, a := range op.Args {
				args = append(args, vals[a])
			}
			var err error
			res, err = EvalOp(op, args)
			if err != nil {
				return nil, fmt.Errorf("interp: %w", err)
			}
			if op.Opcode == ir.OpNonZero && len(res) == 1 && res[0] != nil && len(res[0].Shape) == 2 {
				data[op.Str("count")] = int64(res[0].Shape[0])
			}
			if err := checkResults(op, res, data); err != nil {
				return nil, fmt.Errorf("interp: %s loc(%q): %v", op.Opcode, op.Loc, err)
			}
		}
		if opts.Trace != nil {
			opts.Trace(op, res)
		}
		for j, r := range op.Results {
			if _, used := lastUse[r]; used {
				vals[r] = res[j]
			}
		}
		for _, a := range op.Args {
			if lastUse[a] == i {
				delete(vals, a)
			}
		}
		if liveHook != nil {
			liveHook(len(vals))
		}
	}
	outs := make([]*tensor.Tensor, len(f.Outputs))
	aliased := make(map[*tensor.Tensor]bool)
	for i, o := range f.Outputs {
		t := vals[o.Value]
		// Inputs, constants and values already returned are copied, so
		// that no two results and no result and input share storage.
		// (A reshape shares its operand's storage; copying the outputs
		// whose producers are reshapes of those would need alias
		// tracking, so every output that is a reshape is copied too.)
		if op := o.Value.Op; op.Opcode == ir.OpInput || op.Opcode == ir.OpConst || op.Opcode == ir.OpReshape || aliased[t] {
			t = t.Clone()
		}
		aliased[t] = true
		outs[i] = t
	}
	return outs, nil
}

// checkInputs checks that inputs holds exactly one tensor for every input
// op of f (of the input's type, when checkTypes), and nothing else.
func checkInputs(f *ir.Func, inputs map[string]*tensor.Tensor, checkTypes bool) error {
	want := make(map[string]bool)
	for _, op := range f.Inputs() {
		name := op.Str("name")
		want[name] = true
		t, ok := inputs[name]
		if !ok || t == nil {
			return fmt.Errorf("interp: input %q (%v) is missing", name, op.Result().Type)
		}
		if !checkTypes {
			continue
		}
		typ := op.Result().Type
		if t.DType != typ.DType || !t.Shape.Equal(typ.Shape) {
			return fmt.Errorf("interp: input %q: expected %v, got %v", name, typ, t)
		}
		if err := t.Check(); err != nil {
			return fmt.Errorf("interp: input %q: %v", name, err)
		}
	}
	var extra []string
	for name := range inputs {
		if !want[name] {
			extra = append(extra, fmt.Sprintf("%q", name))
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("interp: unknown inputs %s", strings.Join(extra, ", "))
	}
	return nil
}

// checkResults checks that a kernel's results have the op's result types,
// whose data symbols have the values in data.
func checkResults(op *ir.Op, res []*tensor.Tensor, data map[string]int64) error {
	if len(res) != len(op.Results) {
		return fmt.Errorf("kernel gave %d results, want %d", len(res), len(op.Results))
	}
	for i, r := range res {
		want := op.Results[i].Type
		if r == nil || r.DType != want.DType || !sameShape(r.Shape, want, data) {
			return fmt.Errorf("kernel result %d is %v, want %v", i, r, want)
		}
	}
	return nil
}

// sameShape reports whether s is t's shape at the values of its symbols.
func sameShape(s tensor.Shape, t ir.Type, data map[string]int64) bool {
	if !t.Symbolic() {
		return s.Equal(t.Shape)
	}
	if len(s) != t.Rank() {
		return false
	}
	for i, d := range t.Dims {
		v, err := d.Eval(func(sym string) (int64, bool) { v, ok := data[sym]; return v, ok })
		if err != nil || v != int64(s[i]) {
			return false
		}
	}
	return true
}
