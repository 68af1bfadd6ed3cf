package interp

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// checkMemory refuses, before anything is allocated, a run whose tensors
// would exceed tensor.MaxBytes: a single result over the limit, or, at
// some op, the results still to be used (released after their last use,
// as Run does) plus that op's new results. Inputs and constants are the
// caller's and the model's memory, not the run's, and are not counted.
// Kernel scratch space is not counted either. The error names the op.
//
// A value with data-dependent dimensions (nonzero counts) is counted at
// its largest (ir.DataBounds, ir.MaxShape).
func checkMemory(f *ir.Func, lastUse map[*ir.Value]int) error {
	limit := tensor.MaxBytes()
	var bounds map[string]int64
	if f.Symbolic() {
		var err error
		if bounds, err = ir.DataBounds(f, nil); err != nil {
			return fmt.Errorf("interp: %v", err)
		}
	}
	bytes := func(v *ir.Value) (int64, error) {
		if op := v.Op; op.Opcode == ir.OpInput || op.Opcode == ir.OpConst {
			return 0, nil
		}
		s, err := ir.MaxShape(v.Type, bounds)
		if err != nil {
			return 0, err
		}
		return tensor.StorageBytes(v.Type.DType, s)
	}
	var live int64
	for i, op := range f.Ops {
		for _, r := range op.Results {
			b, err := bytes(r)
			if err != nil {
				return fmt.Errorf("interp: %s: %v", describe(op), err)
			}
			if b > limit {
				return &tensor.MemoryError{What: fmt.Sprintf("%s (result %v)", describe(op), r.Type), Bytes: b, Limit: limit}
			}
			live += b
		}
		if live > limit {
			return &tensor.MemoryError{What: fmt.Sprintf("the run, at %s,", describe(op)), Bytes: live, Limit: limit}
		}
		for _, r := range op.Results {
			if _, used := lastUse[r]; !used {
				b, _ := bytes(r)
				live -= b
			}
		}
		for k, a := range op.Args {
			if lastUse[a] != i || repeated(op.Args, k) {
				continue
			}
			b, _ := bytes(a)
			live -= b
		}
	}
	return nil
}

// repeated reports whether args[k] occurs earlier in args.
func repeated(args []*ir.Value, k int) bool {
	for _, a := range args[:k] {
		if a == args[k] {
			return true
		}
	}
	return false
}

// describe names an op in errors: its opcode and TF node.
func describe(op *ir.Op) string {
	return fmt.Sprintf("%s loc(%q)", op.Opcode, op.Loc)
}
