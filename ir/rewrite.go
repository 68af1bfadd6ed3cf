package ir

import "fmt"

// Tools for passes. Every one of them is linear in the size of the Func,
// so a pass that calls each a bounded number of times stays linear.

// ReplaceValues makes every use of a key of m (operands and outputs) use
// its value instead. Chains are followed (a→b, b→c replaces a with c); a
// cycle in m is a bug and panics.
func (f *Func) ReplaceValues(m map[*Value]*Value) {
	if len(m) == 0 {
		return
	}
	resolve := func(v *Value) *Value {
		for i := 0; ; i++ {
			r, ok := m[v]
			if !ok {
				return v
			}
			if i > len(m) {
				panic("ir: ReplaceValues: cycle in replacements")
			}
			v = r
		}
	}
	for _, op := range f.Ops {
		for i, a := range op.Args {
			op.Args[i] = resolve(a)
		}
	}
	for i := range f.Outputs {
		f.Outputs[i].Value = resolve(f.Outputs[i].Value)
	}
}

// TopoSort reorders f.Ops so that every op comes after the ops defining its
// operands, keeping the existing order wherever it already satisfies that
// (a stable topological sort). Passes may append new ops at the end with
// NewOp and call TopoSort once. It fails if an operand is defined by an op
// not in f, or if the ops form a cycle.
func (f *Func) TopoSort() error {
	index := make(map[*Op]int, len(f.Ops))
	for i, op := range f.Ops {
		index[op] = i
	}
	// Fast path: already sorted.
	sorted := true
	for i, op := range f.Ops {
		for _, a := range op.Args {
			j, ok := index[a.Op]
			if !ok {
				return fmt.Errorf("op %s (%q) uses a value defined outside the function", op.Opcode, op.Loc)
			}
			if j >= i {
				sorted = false
			}
		}
	}
	if sorted {
		return nil
	}
	// Depth-first, in original order, emitting an op after its operands.
	const (
		unseen = iota
		active
		done
	)
	state := make([]uint8, len(f.Ops))
	out := make([]*Op, 0, len(f.Ops))
	type frame struct{ i, next int }
	for root := range f.Ops {
		if state[root] != unseen {
			continue
		}
		stack := []frame{{i: root}}
		state[root] = active
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			op := f.Ops[top.i]
			if top.next < len(op.Args) {
				j := index[op.Args[top.next].Op]
				top.next++
				switch state[j] {
				case unseen:
					state[j] = active
					stack = append(stack, frame{i: j})
				case active:
					return fmt.Errorf("op %s (%q) is part of a cycle", op.Opcode, op.Loc)
				}
				continue
			}
			state[top.i] = done
			out = append(out, op)
			stack = stack[:len(stack)-1]
		}
	}
	f.Ops = out
	return nil
}
