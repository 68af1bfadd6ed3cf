package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// A Func is one tensor program in SSA form: a list of operations in
// program (topological) order and the named outputs it returns.
//
// Invariants (checked by Verify):
//   - every Value is defined by exactly one Op of the Func, before any Op uses it;
//   - Ops appear in topological order, so the Func is acyclic;
//   - every Op's result types are those its Opcode's type rule infers from
//     its operands and attributes;
//   - input ops have unique names;
//   - Outputs have unique names and refer to Values of the Func.
type Func struct {
	Name    string
	Ops     []*Op
	Outputs []Output

	nextID int
}

// Output is a named result of a Func. Name is the TensorFlow tensor name it
// came from (e.g. "dense/Softmax:0").
type Output struct {
	Name  string
	Value *Value
}

// A Value is a tensor computed by an Op: its Index-th result.
type Value struct {
	ID    int // unique within the Func; not printed (the printer numbers values in order)
	Type  Type
	Op    *Op // the defining op
	Index int // which result of Op
}

// An Op is one operation: an Opcode applied to operand Values with
// attributes, defining one or more result Values.
type Op struct {
	Opcode  Opcode
	Args    []*Value
	Results []*Value
	Attrs   AttrList
	// Regions are the nested Funcs of a control-flow op (while: cond and
	// body; if: then and else), nil for other ops. Each is isolated: its
	// ops use only its own values; see ops_control.go.
	Regions []*Func
	// Loc is the name of the source node this op was translated from
	// (a TensorFlow node name), so every op and every TensorRT layer
	// can be traced back to the model. It may be empty.
	Loc string
}

// NewFunc returns an empty Func.
func NewFunc(name string) *Func { return &Func{Name: name} }

// Result returns the op's only result; it panics if the op has several.
func (op *Op) Result() *Value {
	if len(op.Results) != 1 {
		panic(fmt.Sprintf("ir: %s has %d results", op.Opcode, len(op.Results)))
	}
	return op.Results[0]
}

// Info returns the op's static description.
func (op *Op) Info() *OpInfo { return op.Opcode.Info() }

// Inputs returns the Func's input ops in order.
func (f *Func) Inputs() []*Op {
	var in []*Op
	for _, op := range f.Ops {
		if op.Opcode == OpInput {
			in = append(in, op)
		}
	}
	return in
}

// NewOp creates an op, checks its operands and attributes against the
// opcode's rules, infers its result types and appends it to f. On error
// nothing is appended. The error does not name loc; callers add context.
func (f *Func) NewOp(opc Opcode, args []*Value, attrs Attrs, loc string) (*Op, error) {
	b := &opBlock{op: Op{Opcode: opc, Args: args, Attrs: attrs.List(), Loc: loc}}
	op := &b.op
	types, err := InferTypes(op)
	if err != nil {
		return nil, err
	}
	if len(types) == 1 {
		f.appendBlock(b, types[0])
	} else {
		f.Append(op, types)
	}
	return op, nil
}

// An opBlock is an op of one result with its result, allocated together
// (one object instead of three: a million-op function is built, and
// collected, in a third of the allocations, and an op's value is next to
// it in memory).
type opBlock struct {
	op      Op
	result  Value
	results [1]*Value
}

// appendBlock appends b's op with a result of type t.
func (f *Func) appendBlock(b *opBlock, t Type) {
	b.result = Value{ID: f.nextID, Type: t, Op: &b.op}
	f.nextID++
	b.results[0] = &b.result
	b.op.Results = b.results[:]
	f.Ops = append(f.Ops, &b.op)
}

// NewRegionOp is NewOp for ops with regions (while, if): the regions are
// the op's nested Funcs, which it then owns.
func (f *Func) NewRegionOp(opc Opcode, args []*Value, regions []*Func, loc string) (*Op, error) {
	op := &Op{Opcode: opc, Args: args, Regions: regions, Loc: loc}
	types, err := InferTypes(op)
	if err != nil {
		return nil, err
	}
	f.Append(op, types)
	return op, nil
}

// Emit is NewOp for single-result ops; it returns the result Value.
func (f *Func) Emit(opc Opcode, args []*Value, attrs Attrs, loc string) (*Value, error) {
	op, err := f.NewOp(opc, args, attrs, loc)
	if err != nil {
		return nil, err
	}
	return op.Results[0], nil
}

// Append appends op with results of the given types, without checking.
// It is for parsers and passes that have already established the types;
// Verify checks them afterwards.
func (f *Func) Append(op *Op, types []Type) {
	if len(types) == 1 { // the result and its slice in one allocation
		b := &struct {
			v  Value
			rs [1]*Value
		}{v: Value{ID: f.nextID, Type: types[0], Op: op}}
		f.nextID++
		b.rs[0] = &b.v
		op.Results = b.rs[:]
		f.Ops = append(f.Ops, op)
		return
	}
	op.Results = make([]*Value, len(types))
	for i, t := range types {
		op.Results[i] = &Value{ID: f.nextID, Type: t, Op: op, Index: i}
		f.nextID++
	}
	f.Ops = append(f.Ops, op)
}

// Input appends an input op named name (a TensorFlow tensor name such as
// "input_1:0") of type t and returns its value.
func (f *Func) Input(name string, t Type) *Value {
	b := &opBlock{op: Op{Opcode: OpInput, Attrs: AttrList{{Name: "name", Value: name}}, Loc: ""}}
	f.appendBlock(b, t)
	return &b.result
}

// Const appends a constant op holding t and returns its value.
func (f *Func) Const(t *tensor.Tensor, loc string) *Value {
	b := &opBlock{op: Op{Opcode: OpConst, Attrs: AttrList{{Name: "value", Value: t}}, Loc: loc}}
	f.appendBlock(b, Type{DType: t.DType, Shape: t.Shape.Clone()})
	return &b.result
}

// NumValueIDs returns the ID the next value appended to f will get: the
// values f made (Append, NewOp, Const, Input, Parse) have IDs in
// [0, NumValueIDs()), so passes index slices by Value.ID instead of
// keying maps by *Value. A value assembled by hand may lie outside; such
// users grow their slices.
func (f *Func) NumValueIDs() int { return f.nextID }

// AddOutput appends a named output.
func (f *Func) AddOutput(name string, v *Value) {
	f.Outputs = append(f.Outputs, Output{Name: name, Value: v})
}

// Uses returns, for every value, the ops that use it as an operand (in
// program order, an op listed once per operand slot). Outputs are not
// included. The lists are indexed by value ID, in two allocations, so a
// pass over a million ops does not build a million-entry map.
func (f *Func) Uses() Uses {
	n := f.nextID
	for _, op := range f.Ops { // values assembled by hand may lie outside
		for _, a := range op.Args {
			n = max(n, a.ID+1)
		}
	}
	start := make([]int32, n+1)
	total := 0
	for _, op := range f.Ops {
		for _, a := range op.Args {
			if a.ID >= 0 {
				start[a.ID+1]++
				total++
			}
		}
	}
	for i := 1; i <= n; i++ {
		start[i] += start[i-1]
	}
	ops := make([]*Op, total)
	next := make([]int32, n)
	for _, op := range f.Ops {
		for _, a := range op.Args {
			if a.ID >= 0 {
				ops[start[a.ID]+next[a.ID]] = op
				next[a.ID]++
			}
		}
	}
	return Uses{start: start, ops: ops}
}

// Uses lists the users of each value of a Func when Func.Uses was called
// (it does not follow later changes).
type Uses struct {
	start []int32 // the users of the value with ID i are ops[start[i]:start[i+1]]
	ops   []*Op
}

// Of returns the ops that use v as an operand, in program order, an op
// once per operand slot. The slice must not be modified.
func (u Uses) Of(v *Value) []*Op {
	if v.ID < 0 || v.ID+1 >= len(u.start) {
		return nil
	}
	return u.ops[u.start[v.ID]:u.start[v.ID+1]:u.start[v.ID+1]]
}

// ReplaceUses makes every use of old (operands and outputs) use new instead.
func (f *Func) ReplaceUses(old, new *Value) {
	for _, op := range f.Ops {
		for i, a := range op.Args {
			if a == old {
				op.Args[i] = new
			}
		}
	}
	for i := range f.Outputs {
		if f.Outputs[i].Value == old {
			f.Outputs[i].Value = new
		}
	}
}

// RemoveDead deletes ops none of whose results is used (transitively) by
// an output, keeping input ops. It returns the number removed.
func (f *Func) RemoveDead() int {
	if removed, ok := f.removeDeadBackward(); ok {
		return removed
	}
	// A worklist from the outputs: it does not rely on f.Ops being in
	// topological order (a pass may have appended ops after their users
	// and not yet called TopoSort). Ops are identified by their first result's ID (dense, below
	// f.nextID), so liveness is a slice, not a map: this runs after most
	// passes and must stay cheap on million-op functions.
	// An ID outside [0, nextID) (a Func assembled by hand) grows the slice.
	live := make([]bool, f.nextID)
	isLive := func(op *Op) bool {
		id := op.Results[0].ID
		return id >= 0 && id < len(live) && live[id]
	}
	mark := func(op *Op) {
		id := op.Results[0].ID
		if id < 0 {
			panic("ir: RemoveDead: negative value ID")
		}
		for id >= len(live) {
			live = append(live, false)
		}
		live[id] = true
	}
	var work []*Op
	for _, o := range f.Outputs {
		if !isLive(o.Value.Op) {
			mark(o.Value.Op)
			work = append(work, o.Value.Op)
		}
	}
	for len(work) > 0 {
		op := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range op.Args {
			if !isLive(a.Op) {
				mark(a.Op)
				work = append(work, a.Op)
			}
		}
	}
	return f.retain(func(_ int, op *Op) bool { return op.Opcode == OpInput || len(op.Results) > 0 && isLive(op) })
}

// retain keeps the ops of f for which keep (given each op's position)
// holds, in order, and returns how many it dropped.
func (f *Func) retain(keep func(i int, op *Op) bool) (removed int) {
	kept := f.Ops[:0]
	for i, op := range f.Ops {
		if keep(i, op) {
			kept = append(kept, op)
		} else {
			removed++
		}
	}
	clear(f.Ops[len(kept):]) // no dead op stays reachable from the array
	f.Ops = kept
	return removed
}

// removeDeadBackward is RemoveDead for a Func in topological order, which
// it checks as it goes (ok false: f is not, or has a value ID outside
// [0, NumValueIDs()), and nothing was changed): one sweep from the last
// op to the first, an op live if a result is used by a live op after it
// or by an output, then one forward pass keeping the live ops. It reads
// the ops in the order they are listed instead of chasing operands from
// the outputs, which on a million-op function is most of the cost.
func (f *Func) removeDeadBackward() (removed int, ok bool) {
	n := f.nextID
	inRange := func(v *Value) bool { return v.ID >= 0 && v.ID < n }
	live := make([]bool, n)  // by value ID: used by a live op or an output
	swept := make([]bool, n) // by value ID: its op has been swept
	for _, o := range f.Outputs {
		if !inRange(o.Value) {
			return 0, false
		}
		live[o.Value.ID] = true
	}
	keep := make([]bool, len(f.Ops))
	for i := len(f.Ops) - 1; i >= 0; i-- {
		op := f.Ops[i]
		k := op.Opcode == OpInput
		for _, r := range op.Results {
			if !inRange(r) {
				return 0, false
			}
			k = k || live[r.ID]
			swept[r.ID] = true
		}
		if !k {
			continue
		}
		keep[i] = true
		for _, a := range op.Args {
			if !inRange(a) || swept[a.ID] {
				return 0, false // defined after its use (or by op itself)
			}
			live[a.ID] = true
		}
	}
	return f.retain(func(i int, _ *Op) bool { return keep[i] }), true
}
