package ir

import (
	"fmt"
	"slices"
)

// Clone returns a deep copy of f: new ops and values (regions included),
// the same attribute values (tensors are shared, not copied).
func (f *Func) Clone() *Func {
	g := NewFunc(f.Name)
	m := make(map[*Value]*Value, len(f.Ops))
	for _, op := range f.Ops {
		g.appendCopy(op, m)
	}
	for _, o := range f.Outputs {
		g.AddOutput(o.Name, m[o.Value])
	}
	return g
}

// AppendCopy appends a copy of op (its regions deep-copied) whose
// operands are mapped through m (a value missing from m is kept), and
// records op's results' copies in m. Building a region from a Func
// translated elsewhere uses it.
func (f *Func) AppendCopy(op *Op, m map[*Value]*Value) *Op { return f.appendCopy(op, m) }

func (f *Func) appendCopy(op *Op, m map[*Value]*Value) *Op {
	c := &Op{Opcode: op.Opcode, Args: make([]*Value, len(op.Args)), Attrs: slices.Clone(op.Attrs), Loc: op.Loc}
	for i, a := range op.Args {
		if v, ok := m[a]; ok {
			a = v
		}
		c.Args[i] = a
	}
	for i, a := range c.Attrs {
		if ints, ok := a.Value.([]int); ok {
			c.Attrs[i].Value = append([]int(nil), ints...)
		}
	}
	for _, r := range op.Regions {
		c.Regions = append(c.Regions, r.Clone())
	}
	types := make([]Type, len(op.Results))
	for i, r := range op.Results {
		types[i] = r.Type
	}
	f.Append(c, types)
	for i, r := range op.Results {
		m[r] = c.Results[i]
	}
	return c
}

// Inline appends to f copies of region r's ops (but its inputs), with r's
// inputs replaced by args in order, and returns the values of r's outputs
// in f. The copies come at the end of f.Ops: a pass that inlines into the
// middle of a Func calls TopoSort afterwards. args must have the types of
// r's inputs.
func (f *Func) Inline(r *Func, args []*Value) ([]*Value, error) {
	in := r.Inputs()
	if len(in) != len(args) {
		return nil, fmt.Errorf("inline @%s: %d arguments for %d inputs", r.Name, len(args), len(in))
	}
	m := make(map[*Value]*Value, len(r.Ops))
	for i, op := range in {
		if !op.Results[0].Type.Equal(args[i].Type) {
			return nil, fmt.Errorf("inline @%s: argument %d is %v, input %q is %v", r.Name, i, args[i].Type, op.Str("name"), op.Results[0].Type)
		}
		m[op.Results[0]] = args[i]
	}
	for _, op := range r.Ops {
		if op.Opcode != OpInput {
			f.appendCopy(op, m)
		}
	}
	out := make([]*Value, len(r.Outputs))
	for i, o := range r.Outputs {
		out[i] = m[o.Value]
	}
	return out, nil
}
