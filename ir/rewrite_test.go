package ir

import (
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
