package interp

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TestFreesIntermediates runs a long chain and checks that only a few
// values are ever live at once.
func TestFreesIntermediates(t *testing.T) {
	f := ir.NewFunc("chain")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 4))
	one := f.Const(tensor.FromF32(tensor.Shape{}, []float32{1}), "one")
	v := x
	var mid *ir.Value
	for i := range 200 {
		var err error
		v, err = f.Emit(ir.OpAdd, []*ir.Value{v, one}, nil, "add")
		if err != nil {
			t.Fatal(err)
		}
		if i == 50 {
			mid = v
		}
	}
	f.AddOutput("y", v)
	f.AddOutput("mid", mid)
	peak := 0
	liveHook = func(n int) { peak = max(peak, n) }
	defer func() { liveHook = nil }()
	outs, err := Run(f, map[string]*tensor.Tensor{"x:0": tensor.FromF32(tensor.Shape{4}, []float32{0, 1, 2, 3})})
	if err != nil {
		t.Fatal(err)
	}
	if outs[0].F32[3] != 203 || outs[1].F32[0] != 51 {
		t.Errorf("got %v and %v", outs[0].F32, outs[1].F32)
	}
	// one, the current value, and the output mid.
	if peak > 3 {
		t.Errorf("%d values live at once, want ≤ 3", peak)
	}
}
