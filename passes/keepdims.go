package passes

import (
	"github.com/tfc-dev/tfc/ir"
)

// keepDims puts reductions in the form TensorRT's reduce (and top-k, for
// argmax/argmin) layers compute: dimensions kept. A reduce, argmax or
// argmin with keep_dims=false becomes the same op with keep_dims=true
// followed by a reshape to the old result shape; both carry the op's Loc.
// A reduce over no axes only has its flag set (its result type does not
// change). The reshape that drops the kept 1-dimensions is the canonical
// pair; simplify merges it with reshapes that follow (so a
// reduce-squeeze-expand_dims chain ends as the kept reduce alone) and
// never turns the pair back into keep_dims=false.
//
// One walk; the new ops are appended and sorted into place once.
func keepDims(f *ir.Func, _ *Config) (bool, error) {
	repl := make(map[*ir.Value]*ir.Value)
	changed := false
	ops := f.Ops // NewOp appends; walk the original ops
	for _, op := range ops {
		switch op.Opcode {
		case ir.OpReduce, ir.OpArgMax, ir.OpArgMin:
		default:
			continue
		}
		if op.Bool("keep_dims") || op.Result().Type.Symbolic() {
			// A symbolic result would need a reshape to symbolic dimensions,
			// which the IR cannot express yet; keep_dims=false stays.
			continue
		}
		changed = true
		if op.Opcode == ir.OpReduce && len(op.Ints("axes")) == 0 {
			setAttr(op, "keep_dims", true)
			continue
		}
		attrs := op.Attrs.Map()
		attrs["keep_dims"] = true
		kept, err := f.Emit(op.Opcode, append([]*ir.Value(nil), op.Args...), attrs, op.Loc)
		if err != nil {
			return false, err
		}
		shape := append(make([]int, 0, op.Result().Type.Rank()), op.Result().Type.Shape...)
		r, err := f.Emit(ir.OpReshape, []*ir.Value{kept}, ir.Attrs{"shape": shape}, op.Loc)
		if err != nil {
			return false, err
		}
		repl[op.Result()] = r
	}
	if !changed {
		return false, nil
	}
	f.ReplaceValues(repl)
	if err := f.TopoSort(); err != nil {
		return true, err
	}
	f.RemoveDead() // after sorting: it sweeps backward in program order
	return true, nil
}
