package lower

import "github.com/tfc-dev/tfc/ir"

// Options.Consume: releasing the Func behind the lowering.
//
// The lowerer keeps network tensors by value ID, not IR values, so once
// an op is lowered only two things still reach it: f.Ops, and the
// operand lists of the ops that read its results (every op of a
// connected program is reachable from the outputs through operands).
// The releaser cuts both. After op i is lowered it leaves f.Ops, and
// each of its operands loses a pending use; an op none of whose results
// has a pending use (nor is a Func output) has its operand list cut, so
// the ops it read become unreachable once their other readers are done
// too. A lowering rule reads its operands, their producers' operands
// (a.Op.Args[0]: the input of a reduce or transpose absorbed into its
// consumer, see layout.go), and through absorbed ops one level more (a
// transpose, reshape, transpose chain is one Shuffle). So an op that is
// absorbed (l.skip) only leaves f.Ops at its turn: its operands keep
// their pending use, and their own operands, until the op absorbing it
// is lowered; every other op with no pending use is reached, if at all,
// as an operand's operand, whose operand list is not read.
type releaser struct {
	l       *lowerer
	fn      *ir.Func
	pending []int32 // uses not yet lowered, by value ID
}

func newReleaser(l *lowerer) *releaser {
	l.indexOps() // layerName reads positions from f.Ops, which empties
	return &releaser{l: l, fn: l.fn, pending: append([]int32(nil), l.uses...)}
}

// drop releases op, the i-th of f.Ops, once it is lowered, or passed
// over when absorbed is set (another op's lowering absorbs it): it leaves
// f.Ops, and unless absorbed, it and the producers of its operands lose
// their operand lists where none of their results is still to be read.
func (r *releaser) drop(i int, op *ir.Op, absorbed bool) {
	r.fn.Ops[i] = nil
	if absorbed {
		return
	}
	for _, a := range op.Args {
		if a.ID < 0 || a.ID >= len(r.pending) {
			continue
		}
		r.pending[a.ID]--
		if r.pending[a.ID] == 0 && r.done(a.Op) {
			a.Op.Args = nil
		}
	}
	if r.done(op) {
		op.Args = nil // no later op reads op (a dead op, or an output's)
	}
}

// done reports whether no result of op has a pending use or is an
// output of the Func.
func (r *releaser) done(op *ir.Op) bool {
	for _, v := range op.Results {
		if v.ID < 0 || v.ID >= len(r.pending) || r.pending[v.ID] > 0 || r.l.outs[v] {
			return false
		}
	}
	return true
}
