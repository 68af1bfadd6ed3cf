package interp

import (
	"errors"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TestMemoryLimit: a broadcast or tile to 10^12 elements, and a chain
// whose live tensors exceed a small limit, are refused before anything
// runs, naming the op.
func TestMemoryLimit(t *testing.T) {
	for _, tc := range []struct{ src, loc string }{
		{`func @f {
  %0 = input {name="x:0"} : f32[2]
  %1 = broadcast(%0) {shape=[500000,2]} : f32[500000,2] loc("small")
  %2 = broadcast(%0) {shape=[500000,1000000,2]} : f32[500000,1000000,2] loc("huge")
  return "y:0" = %2
}`, "huge"},
		{`func @f {
  %0 = input {name="x:0"} : f32[1000,1000]
  %1 = tile(%0) {multiples=[1000,1000]} : f32[1000000,1000000] loc("tile")
  return "y:0" = %1
}`, "tile"},
	} {
		f, err := ir.Parse("t", []byte(tc.src))
		if err != nil {
			t.Fatal(err)
		}
		_, err = Run(f, map[string]*tensor.Tensor{"x:0": tensor.MustNew(tensor.Float32, f.Ops[0].Results[0].Type.Shape)})
		var me *tensor.MemoryError
		if !errors.As(err, &me) || !strings.Contains(err.Error(), `loc("`+tc.loc+`")`) {
			t.Errorf("%s: %v", tc.loc, err)
		}
	}
	// Live tensors: three 4 KiB values alive at once exceed 10 KiB,
	// though each fits.
	defer tensor.SetMaxBytes(tensor.SetMaxBytes(10 << 10))
	f, err := ir.Parse("t", []byte(`func @f {
  %0 = input {name="x:0"} : f32[1024]
  %1 = relu(%0) : f32[1024] loc("a")
  %2 = relu(%1) : f32[1024] loc("b")
  %3 = relu(%2) : f32[1024] loc("c")
  %4 = add(%1, %2) : f32[1024] loc("d")
  %5 = add(%4, %3) : f32[1024] loc("e")
  return "y:0" = %5
}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(f, map[string]*tensor.Tensor{"x:0": tensor.MustNew(tensor.Float32, tensor.Shape{1024})})
	if err == nil || !strings.Contains(err.Error(), `the run, at relu loc("c"), needs 12.0 KiB`) {
		t.Errorf("live tensors: %v", err)
	}
	// A chain that frees as it goes fits.
	f, _ = ir.Parse("t", []byte(`func @f {
  %0 = input {name="x:0"} : f32[1024]
  %1 = relu(%0) : f32[1024] loc("a")
  %2 = relu(%1) : f32[1024] loc("b")
  %3 = relu(%2) : f32[1024] loc("c")
  return "y:0" = %3
}`))
	if _, err := Run(f, map[string]*tensor.Tensor{"x:0": tensor.MustNew(tensor.Float32, tensor.Shape{1024})}); err != nil {
		t.Errorf("chain: %v", err)
	}
}
