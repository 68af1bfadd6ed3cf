package interp

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func parseFile(t *testing.T, path string) *ir.Func {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := ir.Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestWhileIf runs ../ir/testdata/control.tfir: a loop of n iterations
// whose body applies tanh to x when sum(x*x) > 0 (an if).
func TestWhileIf(t *testing.T) {
	f := parseFile(t, "../ir/testdata/control.tfir")
	for _, n := range []int32{0, 1, 3} {
		x := &tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{2}, F32: []float32{0.5, -2}}
		nt := &tensor.Tensor{DType: tensor.Int32, Shape: tensor.Shape{}, I32: []int32{n}}
		out, err := Run(f, map[string]*tensor.Tensor{"x:0": x, "n:0": nt})
		if err != nil {
			t.Fatal(err)
		}
		want := []float64{0.5, -2}
		for range n {
			for i := range want {
				want[i] = float64(float32(math.Tanh(want[i])))
			}
		}
		for i, w := range want {
			if got := float64(out[0].F32[i]); math.Abs(got-w) > 1e-6 {
				t.Errorf("n=%d: y[%d] = %v, want %v", n, i, got, w)
			}
		}
		if got := out[1].I32[0]; got != n {
			t.Errorf("n=%d: i = %d", n, got)
		}
		if n == 0 && &out[0].F32[0] == &x.F32[0] {
			t.Error("a zero-trip loop's result shares storage with its operand")
		}
	}
	// All zeros: the if takes its else branch, x stays.
	x := &tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{2}, F32: []float32{0, 0}}
	nt := &tensor.Tensor{DType: tensor.Int32, Shape: tensor.Shape{}, I32: []int32{5}}
	out, err := Run(f, map[string]*tensor.Tensor{"x:0": x, "n:0": nt})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].F32[0] != 0 || out[0].F32[1] != 0 || out[1].I32[0] != 5 {
		t.Errorf("zeros: got %v %v", out[0].F32, out[1].I32)
	}
}

func TestWhileErrorNamesIteration(t *testing.T) {
	src := `func @f {
  %0 = input {name="x"} : i32[]
  %1 = while(%0) : i32[] loc("w") {
    func @cond {
      %0 = input {name="x"} : i32[]
      %1 = const {value=dense<[10]>} : i32[]
      %2 = less(%0, %1) : bool[]
      return "c" = %2
    }
    func @body {
      %0 = input {name="x"} : i32[]
      %1 = const {value=dense<[3]>} : i32[]
      %2 = sub(%1, %0) : i32[]
      %3 = floor_div(%1, %2) : i32[] loc("w/div")
      %4 = add(%0, %3) : i32[]
      return "x" = %4
    }
  }
  return "y" = %1
}
`
	f, err := ir.Parse("f.tfir", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// x: 0 → 1 → 2 → 5 → 3 (iterations 0 to 3); iteration 4 divides by zero.
	_, err = Run(f, map[string]*tensor.Tensor{"x": {DType: tensor.Int32, Shape: tensor.Shape{}, I32: []int32{0}}})
	if err == nil || !strings.Contains(err.Error(), `while loc("w"): iteration 4: body: floor_div loc("w/div")`) {
		t.Errorf("error %v", err)
	}
}
