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
