package lower

import "github.com/tfc-dev/tfc/ir"

// Options.Consume: releasing the Func behind the lowering.
//
// The lowerer keeps network tensors by value ID, not IR values, so once
// an op is lowered only two things still reach it: f.Ops, and the
// operand lists of the ops that read its results (every op of a
// connected program is reachable from the outputs through operands).
// The releaser cuts both. Each op leaves f.Ops at its turn (lowered, or
// passed over when another op's lowering absorbs it). An op is done when
// it has had its turn and no op still to come reads its results (nor is
// one a Func output); its operand list is cut once every op reading its
// results is done too, so the ops it read become unreachable as the
// lowering moves on.
//
// Lowering rules look back through operands: an op's operands, their
// producers' operands (the input of a reduce or transpose absorbed into
// its consumer: a.Op.Args[0]), and along a transpose, reshape, transpose
// chain that is one Shuffle, one level more. All three levels stay: the
// op being lowered is not done, so its operands' producers are not done
// and keep their operand lists; those lists' producers are read by an op
// that is not done, so they keep theirs. Only a fourth level, the
// operand list of an op three operands back, may be gone.
type releaser struct {
	l  *lowerer
	fn *ir.Func
	// By value ID: pending counts the reads by ops that have not had
	// their turn; waiting, the reads by ops that are not done.
	pending, waiting []int32
}

func newReleaser(l *lowerer) *releaser {
	l.indexOps() // layerName reads positions from f.Ops, which empties
	return &releaser{l: l, fn: l.fn,
		pending: append([]int32(nil), l.uses...),
		waiting: append([]int32(nil), l.uses...)}
}

// drop releases op, the i-th of f.Ops, once it has had its turn.
func (r *releaser) drop(i int, op *ir.Op) {
	r.fn.Ops[i] = nil
	for _, a := range op.Args {
		if r.in(a) {
			r.pending[a.ID]--
			if r.pending[a.ID] == 0 && r.done(a.Op) {
				r.finish(a.Op)
			}
		}
	}
	if r.done(op) {
		r.finish(op)
	}
}

// finish records that op is done: the producers of its operands lose a
// waiting read, and those left with none, and op itself, are cut.
func (r *releaser) finish(op *ir.Op) {
	for _, a := range op.Args {
		if r.in(a) {
			r.waiting[a.ID]--
			r.cut(a.Op)
		}
	}
	r.cut(op)
}

// cut drops op's operand list if op is done and every op reading its
// results is done.
func (r *releaser) cut(op *ir.Op) {
	if op.Args == nil || !r.done(op) {
		return
	}
	for _, v := range op.Results {
		if r.waiting[v.ID] > 0 {
			return
		}
	}
	op.Args = nil
}

// done reports whether no result of op is still to be read or is an
// output of the Func (op has had its turn: its readers come after it).
func (r *releaser) done(op *ir.Op) bool {
	for _, v := range op.Results {
		if !r.in(v) || r.pending[v.ID] > 0 || r.l.outs[v] {
			return false
		}
	}
	return true
}

// in reports whether v has a slot in the counts (a value assembled by
// hand may not; its producer is then never cut).
func (r *releaser) in(v *ir.Value) bool { return v.ID >= 0 && v.ID < len(r.pending) }
