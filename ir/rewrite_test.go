package ir

import (
	"slices"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestTopoSortAndReplace(t *testing.T) {
	f := NewFunc("f")
	x := f.Input("x", TensorType(tensor.Float32, 2))
	a, _ := f.Emit(OpExp, []*Value{x}, nil, "a")
	f.AddOutput("y", a)
	// A new op appended at the end, used by an earlier op after replacement.
	b, _ := f.Emit(OpNeg, []*Value{x}, nil, "b")
	a.Op.Args[0] = b
	if err := Verify(f); err == nil {
		t.Fatal("use before definition verified")
	}
	if err := f.TopoSort(); err != nil {
		t.Fatal(err)
	}
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	c, _ := f.Emit(OpAbs, []*Value{x}, nil, "c")
	f.ReplaceValues(map[*Value]*Value{a: b, b: c})
	if f.Outputs[0].Value != c {
		t.Fatal("chain not followed")
	}
	f.RemoveDead()
	if err := Verify(f); err != nil {
		t.Fatal(err)
	}
	if len(f.Ops) != 2 {
		t.Fatalf("want input and abs, got\n%s", f)
	}
}

// Uses lists each value's users in program order, once per operand
// slot, by value ID.
func TestUses(t *testing.T) {
	f, err := Parse("t", []byte(`func @f {
  %0 = input {name="x:0"} : f32[2]
  %1 = relu(%0) : f32[2]
  %2 = add(%1, %1) : f32[2]
  %3 = add(%0, %2) : f32[2]
  return "y:0" = %3
}
`))
	if err != nil {
		t.Fatal(err)
	}
	u := f.Uses()
	ops := f.Ops
	want := map[*Value][]*Op{
		ops[0].Results[0]: {ops[1], ops[3]},
		ops[1].Results[0]: {ops[2], ops[2]},
		ops[2].Results[0]: {ops[3]},
		ops[3].Results[0]: nil,
	}
	for v, w := range want {
		got := u.Of(v)
		if len(got) != len(w) {
			t.Fatalf("%%%d: %d uses, want %d", v.ID, len(got), len(w))
		}
		for i := range w {
			if got[i] != w[i] {
				t.Errorf("%%%d: use %d is %s, want %s", v.ID, i, got[i].Opcode, w[i].Opcode)
			}
		}
	}
	if got := u.Of(&Value{ID: 99}); got != nil {
		t.Errorf("a value made after Uses has uses %v", got)
	}
}

// RemoveDead keeps what the outputs use, in order, whether or not the
// ops are in topological order (a pass may append an op after its users
// and sort later); the backward sweep that sorted functions take must
// agree with the worklist the others take.
func TestRemoveDeadOrder(t *testing.T) {
	build := func() (*Func, []*Op) {
		f := NewFunc("f")
		x := f.Input("x", TensorType(tensor.Float32, 2))
		a, _ := f.Emit(OpExp, []*Value{x}, nil, "a")
		f.Emit(OpNeg, []*Value{a}, nil, "dead")
		b, _ := f.Emit(OpAbs, []*Value{a}, nil, "b")
		f.Emit(OpRelu, []*Value{b}, nil, "dead too")
		f.AddOutput("y", b)
		return f, slices.Clone(f.Ops) // RemoveDead compacts f.Ops in place
	}
	f, ops := build()
	if removed, ok := f.removeDeadBackward(); !ok || removed != 2 || len(f.Ops) != 3 || f.Ops[1] != ops[1] || f.Ops[2] != ops[3] {
		t.Fatalf("sorted: removeDeadBackward %d %v, left\n%s", removed, ok, f)
	}
	// b's operand defined after b: the backward sweep gives up, the
	// worklist keeps both.
	f, ops = build()
	c, _ := f.Emit(OpSqrt, []*Value{ops[1].Results[0]}, nil, "c")
	ops[3].Args[0] = c
	if _, ok := f.removeDeadBackward(); ok {
		t.Fatal("removeDeadBackward took an unsorted function")
	}
	if removed := f.RemoveDead(); removed != 2 || len(f.Ops) != 4 || f.Ops[3] != c.Op {
		t.Fatalf("unsorted: removed %d, left\n%s", removed, f)
	}
}
