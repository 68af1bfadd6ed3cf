package passes

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Large constants (hashed, beyond the printer's element lists) merge when
// every element's bits agree and stay apart when the last one differs.
func TestCSELargeConstants(t *testing.T) {
	f := ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 1000))
	mk := func(last float32) *ir.Value {
		d := make([]float32, 1000)
		for i := range d {
			d[i] = float32(i) / 7
		}
		d[999] = last
		return f.Const(tensor.FromF32(tensor.Shape{1000}, d), "")
	}
	a, b, c := mk(1), mk(1), mk(2)
	sum := x
	for _, k := range []*ir.Value{a, b, c} {
		var err error
		if sum, err = f.Emit(ir.OpAdd, []*ir.Value{sum, k}, nil, ""); err != nil {
			t.Fatal(err)
		}
	}
	f.AddOutput("y:0", sum)
	changed, err := cse(f, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	if !changed {
		t.Fatal("no change")
	}
	consts := OpCounts(f)["const"]
	if consts != 2 {
		t.Errorf("%d constants after cse, want 2:\n%s", consts, f)
	}
	if changed, _ := cse(f, &Config{}); changed {
		t.Error("second run reported a change")
	}
}

// An op that is the only user of its operands is left out of CSE's table
// until something is replaced: abs(relu(x)) must still merge with a later
// abs(relu(x)) whose relu merges first.
func TestCSESoleUserMergesAfterReplacement(t *testing.T) {
	f := ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 4))
	var outs []*ir.Value
	for range 2 {
		r, err := f.Emit(ir.OpRelu, []*ir.Value{x}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		a, err := f.Emit(ir.OpAbs, []*ir.Value{r}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, a)
	}
	f.AddOutput("y:0", outs[0])
	f.AddOutput("z:0", outs[1])
	changed, err := cse(f, &Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	if !changed || len(f.Ops) != 3 || f.Outputs[0].Value != f.Outputs[1].Value {
		t.Errorf("changed %v, %d ops, outputs %p %p: want one relu and one abs", changed, len(f.Ops), f.Outputs[0].Value, f.Outputs[1].Value)
	}
}
