package lower

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Control flow (ir/ops_control.go): while becomes an ILoop, if an
// IIfConditional (backend/trt/controlflow.go states both semantics).
//
// while: one IRecurrenceLayer per carried value that the body changes,
// its initial value the operand; a loop-invariant carried value (the
// body yields it unchanged) is the operand's tensor itself, used inside
// the loop directly (TensorRT allows any interior layer to read tensors
// from outside). The cond region is lowered on the recurrences' outputs
// and its bool becomes a kWHILE trip limit, evaluated before every
// iteration as TensorFlow evaluates cond (a counted loop, i < n with i
// stepped by 1, gets a kCOUNT limit max(n - i0, 0) instead: tripCount); the body region is lowered on
// the same tensors and its outputs become the recurrences' next values.
// Each result is a kLAST_VALUE loop output of its recurrence: the final
// value, or the operand when the loop runs zero times.
//
// if: an IConditionLayer on the predicate, one IIfConditionalInputLayer
// per operand passed to the branches, both regions lowered on the input
// layers' outputs, and one IIfConditionalOutputLayer per result.
//
// Regions are lowered by a lowerer of their own (uses and fusion plans are
// per region) that shares the network and the layer names of the
// enclosing one, so names stay unique across the network. Check checks
// each region, canonical form included.

func init() {
	register(ir.OpWhile, rule{check: checkRegions, lower: lowerWhile})
	register(ir.OpIf, rule{check: checkRegions, lower: lowerIf})
}

// checkRegions reports the ops of an op's regions that cannot be lowered.
func checkRegions(op *ir.Op) error {
	var why []string
	for _, r := range op.Regions {
		if err := Check(r); err != nil {
			why = append(why, fmt.Sprintf("region @%s: %v", r.Name, err))
		}
	}
	if len(why) > 0 {
		return fmt.Errorf("%s", strings.Join(why, "; "))
	}
	return nil
}

func lowerWhile(l *lowerer, op *ir.Op) error {
	loop := l.net.AddLoop(l.layerName(op, "loop"))
	inv := ir.LoopInvariant(op)
	state := make([]trt.Tensor, len(op.Args))
	recs := make([]trt.Layer, len(op.Args))
	cu, bu := inputsUsed(op.Regions[0], false), inputsUsed(op.Regions[1], true)
	for i, a := range op.Args {
		if inv[i] {
			if cu[i] || bu[i] || l.used(op.Results[i]) {
				state[i] = l.tensor(a)
			}
			continue
		}
		recs[i] = loop.AddRecurrence(l.tensor(a))
		state[i] = l.named(op, fmt.Sprintf("recurrence%d", i), recs[i])
	}
	if count, ok := l.tripCount(op); ok {
		loop.AddTripLimit(count, trt.TripLimitCount).SetName(l.layerName(op, "trip_limit"))
	} else {
		cond, err := l.lowerRegion(op.Regions[0], state)
		if err != nil {
			return fmt.Errorf("cond: %v", err)
		}
		loop.AddTripLimit(cond[0], trt.TripLimitWhile).SetName(l.layerName(op, "trip_limit"))
	}
	next, err := l.lowerRegion(op.Regions[1], state)
	if err != nil {
		return fmt.Errorf("body: %v", err)
	}
	for i, r := range op.Results {
		if inv[i] {
			l.set(r, state[i])
			continue
		}
		loop.SetRecurrenceNext(recs[i], next[i])
		if l.used(r) {
			l.set(r, l.named(op, fmt.Sprintf("output%d", i), loop.AddLoopOutput(state[i], trt.LoopOutputLastValue, 0)))
		}
	}
	return nil
}

func lowerIf(l *lowerer, op *ir.Op) error {
	cond := l.net.AddIfConditional(l.layerName(op, "if"))
	cond.SetCondition(l.tensor(op.Args[0])).SetName(l.layerName(op, "condition"))
	args := make([]trt.Tensor, len(op.Args)-1)
	tu, eu := inputsUsed(op.Regions[0], false), inputsUsed(op.Regions[1], false)
	for i, a := range op.Args[1:] {
		if tu[i] || eu[i] {
			args[i] = l.named(op, fmt.Sprintf("input%d", i), cond.AddInput(l.tensor(a)))
		}
	}
	then, err := l.lowerRegion(op.Regions[0], args)
	if err != nil {
		return fmt.Errorf("then: %v", err)
	}
	els, err := l.lowerRegion(op.Regions[1], args)
	if err != nil {
		return fmt.Errorf("else: %v", err)
	}
	for i, r := range op.Results {
		if l.used(r) {
			l.set(r, l.named(op, fmt.Sprintf("output%d", i), cond.AddOutput(then[i], els[i])))
		}
	}
	return nil
}

// used reports whether v is an operand or an output of the Func being lowered.
func (l *lowerer) used(v *ir.Value) bool { return l.useCount(v) > 0 || l.outs[v] }

// inputsUsed reports, per input of r, whether an op or output of r reads
// it; with carried, output i yielding input i does not count (a loop
// body passing an invariant through).
func inputsUsed(r *ir.Func, carried bool) []bool {
	in := r.Inputs()
	pos := make(map[*ir.Value]int, len(in))
	for i, op := range in {
		pos[op.Results[0]] = i
	}
	used := make([]bool, len(in))
	for _, op := range r.Ops {
		for _, a := range op.Args {
			if i, ok := pos[a]; ok {
				used[i] = true
			}
		}
	}
	for j, o := range r.Outputs {
		if i, ok := pos[o.Value]; ok && !(carried && i == j) {
			used[i] = true
		}
	}
	return used
}

// lowerRegion lowers region r with its inputs bound to args and returns
// the tensors of its outputs.
func (l *lowerer) lowerRegion(r *ir.Func, args []trt.Tensor) ([]trt.Tensor, error) {
	sub := newLowerer(r, l.net)
	sub.names, sub.nextSuffix = l.names, l.nextSuffix
	sub.opts = l.opts
	for i, in := range r.Inputs() {
		sub.set(in.Results[0], args[i])
	}
	for _, op := range r.Ops {
		if op.Opcode == ir.OpInput || sub.skip[op] {
			continue
		}
		if err := rules[op.Opcode].lower(sub, op); err != nil {
			return nil, fmt.Errorf("%s: %v", describe(op), err)
		}
		if err := l.net.Err(); err != nil {
			return nil, fmt.Errorf("%s: %v", describe(op), err)
		}
	}
	outs := make([]trt.Tensor, len(r.Outputs))
	for i, o := range r.Outputs {
		outs[i] = sub.tensor(o.Value)
	}
	return outs, nil
}

// tripCount recognises a counted loop: cond is less(i, n) on a carried
// int32 or int64 scalar i that the body steps by add(i, 1), n a
// loop-invariant carried value or a constant of cond. The loop then runs
// max(n - i0, 0) times (i0 the counter's operand), a kCOUNT trip limit
// computed before the loop, instead of a kWHILE condition; the two agree
// while n - i0 does not overflow, which a loop counting to n from i0
// cannot do before its counter does.
func (l *lowerer) tripCount(op *ir.Op) (trt.Tensor, bool) {
	cond, body := op.Regions[0], op.Regions[1]
	cin, bin := cond.Inputs(), body.Inputs()
	pos := func(ins []*ir.Op, v *ir.Value) int {
		for i, in := range ins {
			if in.Results[0] == v {
				return i
			}
		}
		return -1
	}
	less := cond.Outputs[0].Value.Op
	if less.Opcode != ir.OpLess {
		return nil, false
	}
	i := pos(cin, less.Args[0])
	if i < 0 {
		return nil, false
	}
	t := op.Args[i].Type
	if t.Rank() != 0 || (t.DType != tensor.Int32 && t.DType != tensor.Int64) {
		return nil, false
	}
	inv := ir.LoopInvariant(op)
	var n trt.Tensor
	switch b := less.Args[1]; {
	case isConst(b):
		n = l.constant(op, "trip_count/limit", b.Op.Tensor("value"), trt.Dims{})
	case pos(cin, b) >= 0 && inv[pos(cin, b)]:
		n = l.tensor(op.Args[pos(cin, b)])
	default:
		return nil, false
	}
	step := body.Outputs[i].Value.Op
	if step.Opcode != ir.OpAdd {
		return nil, false
	}
	one := func(v *ir.Value) bool {
		c := constValue(v)
		return c != nil && c.Len() == 1 && c.Float64At(0) == 1
	}
	if !(pos(bin, step.Args[0]) == i && one(step.Args[1]) || pos(bin, step.Args[1]) == i && one(step.Args[0])) {
		return nil, false
	}
	d := l.elementwise(op, "trip_count", n, l.tensor(op.Args[i]), trt.ElementWiseSub)
	zero := l.scalar(op, "trip_count/zero", t.DType, 0, 0)
	return l.elementwise(op, "trip_count/max", d, zero, trt.ElementWiseMax), true
}
