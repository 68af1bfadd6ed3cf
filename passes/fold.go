package passes

import (
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// fold is constant folding. Every op other than input, const and an FP8
// quantize (kept so that TensorRT sees FP8 weights) whose
// operands are all constants with data (not elided) is evaluated with
// interp.EvalOp, the interpreter's own kernels, so the folded constant is
// bit for bit what the op would compute at run time. Its results replace
// it as new const ops carrying its Loc, provided each result holds at most
// cfg.FoldLimit bytes (element size × elements); larger results stay as
// computation. An op whose evaluation fails (an integer division by zero,
// say) is left alone: the error belongs to run time.
//
// In a program with symbolic dimensions, a shape value (ir.ShapeValue)
// whose elements are all constants — a static dimension read from the
// shape of a symbolic value — folds to that constant too.
//
// One forward walk: operands are resolved to the constants folded before
// them as the walk goes, so whole constant subgraphs fold at once. New
// constants are appended and sorted into place once at the end; the ops
// they replace (and constants no longer used) are removed.
func fold(f *ir.Func, cfg *Config) (bool, error) {
	repl := make(map[*ir.Value]*ir.Value)
	var args []*tensor.Tensor
	ops := f.Ops // f.Const appends to f.Ops; walk the original ops only
	symbolic := f.Symbolic()
	inPlace := soleConsts{f: f, firstNew: f.NumValueIDs()}
	var scratch []float32
	for _, op := range ops {
		resolveArgs(op, repl)
		if op.Opcode == ir.OpInput || op.Opcode == ir.OpConst || op.Opcode == ir.OpQuantize && op.Str("type") == "f8e4m3" {
			continue // FP8 weights reach the backend as Q/DQ (TensorRT's FP8 convolutions)
		}
		if len(op.Regions) > 0 {
			continue // a loop of constants may run long; its regions are folded inside
		}
		args = args[:0]
		for _, a := range op.Args {
			t := constOf(a)
			if t == nil {
				break
			}
			args = append(args, t)
		}
		if len(args) != len(op.Args) {
			if symbolic {
				if c := constShapeValue(op); c != nil {
					repl[op.Results[0]] = f.Const(c, op.Loc)
				}
			}
			continue
		}
		if !foldFits(op, cfg.FoldLimit) {
			continue
		}
		if op.Opcode == ir.OpTranspose && inPlace.sole(op.Args[0]) {
			if cap(scratch) < inPlace.largest {
				// Sized once for every transpose of the walk: one
				// allocation, not one per larger kernel met.
				scratch = tensor.MustNew(tensor.Float32, tensor.Shape{inPlace.largest}).F32
			}
			t, s, err := kernels.TransposeInPlace(args[0], op.Ints("perm"), scratch)
			scratch = s
			if err == nil && resultsMatch(op, []*tensor.Tensor{t}) {
				repl[op.Results[0]] = f.Const(t, op.Loc)
				continue
			}
			// An error leaves the operand as it was.
		}
		res, err := interp.EvalOp(op, args)
		if err != nil || !resultsMatch(op, res) {
			continue
		}
		for i, r := range res {
			if sharesStorage(r, args) {
				r = r.Clone() // reshape returns a view of its operand
			}
			repl[op.Results[i]] = f.Const(r, op.Loc)
		}
	}
	if len(repl) == 0 {
		return false, nil
	}
	f.ReplaceValues(repl)
	if err := f.TopoSort(); err != nil {
		return true, err
	}
	f.RemoveDead() // after sorting: it sweeps backward in program order
	return true, nil
}

// inPlaceMinBytes is the size from which a folded transpose of a
// constant nothing else reads is done in place.
const inPlaceMinBytes = 64 << 10

// soleConsts finds the large float constants that one op alone reads, so
// that folding it may overwrite them: a model's weights are transposed
// (HWIO → OIHW) where they lie instead of into a second copy. A constant
// qualifies when it was in f before the walk (ID below firstNew), has one
// use and is no output, and no other const op holds its tensor. The
// counts are taken at the first candidate: the walk resolves operands to
// new constants only, so an old constant's uses stay as counted.
type soleConsts struct {
	f        *ir.Func
	firstNew int
	counted  bool
	uses     []int32                // by value ID
	holders  map[*tensor.Tensor]int // large tensors: const ops holding each
	largest  int                    // elements of the largest large constant a transpose reads
}

func (s *soleConsts) sole(v *ir.Value) bool {
	t := constOf(v)
	if t == nil || t.DType.Storage() != tensor.StoreF32 || len(t.F32)*4 < inPlaceMinBytes || v.ID < 0 || v.ID >= s.firstNew {
		return false
	}
	if !s.counted {
		s.count()
	}
	return v.ID < len(s.uses) && s.uses[v.ID] == 1 && s.holders[t] == 1
}

func (s *soleConsts) count() {
	s.counted = true
	s.uses = make([]int32, s.firstNew)
	s.holders = map[*tensor.Tensor]int{}
	use := func(v *ir.Value) {
		if v.ID >= 0 && v.ID < len(s.uses) {
			s.uses[v.ID]++
		}
	}
	for _, op := range s.f.Ops {
		for _, a := range op.Args {
			use(a)
		}
		if op.Opcode == ir.OpTranspose && len(op.Args) == 1 {
			if t := constOf(op.Args[0]); t != nil && len(t.F32)*4 >= inPlaceMinBytes {
				s.largest = max(s.largest, len(t.F32))
			}
		}
		if op.Opcode == ir.OpConst {
			if t := op.Tensor("value"); t != nil && len(t.F32)*4 >= inPlaceMinBytes {
				s.holders[t]++
			}
		}
	}
	for _, o := range s.f.Outputs {
		use(o.Value)
		use(o.Value) // an output is never overwritten
	}
}

// resolveArgs replaces op's operands by their replacements in repl. The
// passes that walk forward keep repl fully resolved (a value maps to a
// value that is not itself replaced), so one lookup per operand suffices.
func resolveArgs(op *ir.Op, repl map[*ir.Value]*ir.Value) {
	if len(repl) == 0 {
		return
	}
	for i, a := range op.Args {
		if r, ok := repl[a]; ok {
			op.Args[i] = r
		}
	}
}

// foldFits reports whether each of op's results is at most limit bytes.
func foldFits(op *ir.Op, limit int64) bool {
	for _, r := range op.Results {
		n, err := r.Type.Shape.NumElements()
		if err != nil || int64(n)*int64(r.Type.DType.Size()) > limit {
			return false
		}
	}
	return true
}

// resultsMatch reports whether the evaluated tensors have op's result
// types (a kernel that disagreed with the type rule would be a bug; such
// an op is not folded, and the interpreter reports it at run time).
func resultsMatch(op *ir.Op, res []*tensor.Tensor) bool {
	if len(res) != len(op.Results) {
		return false
	}
	for i, r := range res {
		t := op.Results[i].Type
		if r == nil || r.DType != t.DType || !r.Shape.Equal(t.Shape) || r.Check() != nil {
			return false
		}
	}
	return true
}

// sharesStorage reports whether t's data is (part of) one of args' data.
func sharesStorage(t *tensor.Tensor, args []*tensor.Tensor) bool {
	for _, a := range args {
		switch {
		case len(t.F32) > 0 && len(a.F32) > 0 && &t.F32[0] == &a.F32[0],
			len(t.F64) > 0 && len(a.F64) > 0 && &t.F64[0] == &a.F64[0],
			len(t.I32) > 0 && len(a.I32) > 0 && &t.I32[0] == &a.I32[0],
			len(t.I64) > 0 && len(a.I64) > 0 && &t.I64[0] == &a.I64[0],
			len(t.B) > 0 && len(a.B) > 0 && &t.B[0] == &a.B[0]:
			return true
		}
	}
	return false
}

// constShapeValue returns the value of op's only result when it is a
// shape value whose elements are all constants, else nil.
func constShapeValue(op *ir.Op) *tensor.Tensor {
	if len(op.Results) != 1 {
		return nil
	}
	v := op.Results[0]
	if v.Type.DType != tensor.Int32 && v.Type.DType != tensor.Int64 || v.Type.Rank() > 1 {
		return nil
	}
	dims, err := ir.ShapeValue(v)
	if err != nil {
		return nil
	}
	t := tensor.MustNew(v.Type.DType, v.Type.Shape)
	for i, d := range dims {
		k, ok := d.Value()
		if !ok {
			return nil
		}
		if t.DType == tensor.Int32 {
			t.I32[i] = int32(k)
		} else {
			t.I64[i] = k
		}
	}
	return t
}
