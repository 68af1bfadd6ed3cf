package passes

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Helpers shared by the passes.

// constOf returns the tensor of a value defined by a const op with data,
// or nil.
func constOf(v *ir.Value) *tensor.Tensor {
	if v.Op.Opcode != ir.OpConst {
		return nil
	}
	t := v.Op.Tensor("value")
	if ir.IsElided(t) {
		return nil
	}
	return t
}

// useCounts counts, for every value, its uses as an operand plus its uses
// as a function output.
func useCounts(f *ir.Func) useCount {
	n := make(useCount, f.NumValueIDs())
	add := func(v *ir.Value) {
		if v.ID < 0 {
			return
		}
		for v.ID >= len(n) { // a value assembled by hand
			n = append(n, 0)
		}
		n[v.ID]++
	}
	for _, op := range f.Ops {
		for _, a := range op.Args {
			add(a)
		}
	}
	for _, o := range f.Outputs {
		add(o.Value)
	}
	return n
}

// useCount is useCounts' result, indexed by value ID.
type useCount []int32

// of returns v's count.
func (u useCount) of(v *ir.Value) int {
	if v.ID < 0 || v.ID >= len(u) {
		return 0
	}
	return int(u[v.ID])
}

// isOutput reports the values that are function outputs.
func outputSet(f *ir.Func) map[*ir.Value]bool {
	m := make(map[*ir.Value]bool, len(f.Outputs))
	for _, o := range f.Outputs {
		m[o.Value] = true
	}
	return m
}

// valueSet is a set of values kept by value ID (see ir.Func.NumValueIDs):
// no map entry per value on million-op functions.
type valueSet []bool

func newValueSet(f *ir.Func) valueSet { return make(valueSet, f.NumValueIDs()) }

func (s valueSet) has(v *ir.Value) bool { return v.ID >= 0 && v.ID < len(s) && s[v.ID] }

func (s *valueSet) add(v *ir.Value) {
	if v.ID < 0 {
		panic("passes: valueSet: negative value ID")
	}
	for v.ID >= len(*s) { // a value made after the set (or by hand)
		*s = append(*s, false)
	}
	(*s)[v.ID] = true
}
