package interp

import (
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

const symbolicProgram = `func @f {
  %0 = input {name="x:0"} : f32[N,S,4]
  %1 = input {name="m:0"} : f32[N,1,4]
  %2 = reduce(%0) {kind="mean", axes=[2], keep_dims=true} : f32[N,S,1] loc("mean")
  %3 = sub(%0, %2) : f32[N,S,4] loc("center")
  %4 = mul(%3, %1) : f32[N,S,4] loc("scale")
  %5 = matmul(%4, %4) {transpose_a=false, transpose_b=true} : f32[N,S,S] loc("scores")
  %6 = softmax(%5) {axis=2} : f32[N,S,S] loc("softmax")
  %7 = transpose(%6) {perm=[2,0,1]} : f32[S,N,S] loc("t")
  return "y" = %7, "c" = %4
}
`

// TestRunSymbolic runs a program with symbolic dimensions at several sizes
// and checks it computes exactly what the same program written with those
// sizes does.
func TestRunSymbolic(t *testing.T) {
	f, err := ir.Parse("sym.tfir", []byte(symbolicProgram))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range [][2]int{{1, 1}, {3, 5}, {8, 2}} {
		n, s := size[0], size[1]
		static := strings.NewReplacer("N", strconv.Itoa(n), "S", strconv.Itoa(s)).Replace(symbolicProgram)
		g, err := ir.Parse("static.tfir", []byte(static))
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]*tensor.Tensor{
			"x:0": randomF32(rng, tensor.Shape{n, s, 4}),
			"m:0": randomF32(rng, tensor.Shape{n, 1, 4}),
		}
		got, err := Run(f, in)
		if err != nil {
			t.Fatalf("N=%d S=%d: %v", n, s, err)
		}
		want, err := Run(g, in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !got[i].Shape.Equal(want[i].Shape) || !equalF32(got[i].F32, want[i].F32) {
				t.Errorf("N=%d S=%d: output %d = %v %v, want %v %v", n, s, i, got[i].Shape, got[i].F32, want[i].Shape, want[i].F32)
			}
		}
	}
}

func TestRunSymbolicErrors(t *testing.T) {
	f, err := ir.Parse("sym.tfir", []byte(symbolicProgram))
	if err != nil {
		t.Fatal(err)
	}
	x := func(s ...int) *tensor.Tensor {
		return tensor.FromF32(tensor.Shape(s), make([]float32, tensor.Shape(s).Size()))
	}
	for _, c := range []struct {
		in   map[string]*tensor.Tensor
		want string
	}{
		{map[string]*tensor.Tensor{"x:0": x(2, 3, 4), "m:0": x(3, 1, 4)}, `input "m:0" has shape [3,1,4]: N is 3 there, but 2 in another input`},
		{map[string]*tensor.Tensor{"x:0": x(2, 3), "m:0": x(2, 1, 4)}, `input "x:0" has shape [2,3], want rank 3 (f32[N,S,4])`},
		{map[string]*tensor.Tensor{"x:0": x(2, 3, 5), "m:0": x(2, 1, 4)}, `input "x:0" has shape [2,3,5], want f32[N,S,4]`},
		{map[string]*tensor.Tensor{"x:0": x(2, 3, 4)}, `input "m:0" (f32[N,1,4]) is missing`},
		{map[string]*tensor.Tensor{"x:0": x(2, 3, 4), "m:0": x(2, 1, 4), "z": x(1)}, `unknown inputs "z"`},
	} {
		_, err := Run(f, c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want an error containing %q", err, c.want)
		}
	}
}

func randomF32(rng *rand.Rand, s tensor.Shape) *tensor.Tensor {
	v := make([]float32, s.Size())
	for i := range v {
		v[i] = rng.Float32()*2 - 1
	}
	return tensor.FromF32(s, v)
}

func equalF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRunShapeValues runs the IR's shape-value program (symbolic
// reshapes and broadcasts computed from shape) at several sizes: each
// output has the shape its symbolic type gives at those sizes and the
// values of the static program TensorFlow would run (a reshape keeps the
// elements in order, a fill of zeros is zeros, a broadcast repeats rows,
// a slice reads its window from the start or from the end).
func TestRunShapeValues(t *testing.T) {
	src, err := os.ReadFile("../ir/testdata/shape_values.tfir")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ir.Parse("shape_values.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	// The elided row constant gets data.
	for _, op := range f.Ops {
		if op.Opcode == ir.OpConst && ir.IsElided(op.Tensor("value")) {
			op.Attrs.Set("value", randomF32(rand.New(rand.NewPCG(1, 2)), tensor.Shape{64}))
		}
	}
	row := f.Ops[21].Tensor("value")
	rng := rand.New(rand.NewPCG(5, 6))
	for _, size := range [][2]int{{1, 1}, {3, 5}, {4, 2}} {
		n, s := size[0], size[1]
		x := randomF32(rng, tensor.Shape{n, s, 64})
		got, err := Run(f, map[string]*tensor.Tensor{"x:0": x})
		if err != nil {
			t.Fatalf("N=%d S=%d: %v", n, s, err)
		}
		wantShapes := []tensor.Shape{{n * s, 64}, {n, s, 4, 16}, {3}, {n, s, 64}, {2}, {n, s, 64}}
		for i, w := range wantShapes {
			if !got[i].Shape.Equal(w) {
				t.Errorf("N=%d S=%d: output %d has shape %v, want %v", n, s, i, got[i].Shape, w)
			}
		}
		if !equalF32(got[0].F32, x.F32) || !equalF32(got[1].F32, x.F32) {
			t.Errorf("N=%d S=%d: reshapes changed the elements", n, s)
		}
		if want := []int64{int64(n / 2 * 2), int64(s / 2 * 2), 64}; !slices.Equal(got[2].I64, want) {
			t.Errorf("N=%d S=%d: even = %v, want %v", n, s, got[2].I64, want)
		}
		if !slices.Equal(got[4].I64, []int64{int64(n * s), 64}) {
			t.Errorf("N=%d S=%d: shape = %v", n, s, got[4].I64)
		}
		for i, v := range got[3].F32 {
			if v != 0 || got[5].F32[i] != row.F32[i%64] {
				t.Fatalf("N=%d S=%d: fill/broadcast element %d = %v, %v", n, s, i, v, got[5].F32[i])
			}
		}
		// dynamic_slice: x[:, 1:], x[:, ::-1] and x[:, -1:].
		at := func(v *tensor.Tensor, b, j, c int) float32 { return v.F32[(b*v.Shape[1]+j)*64+c] }
		for k, w := range []struct {
			shape tensor.Shape
			from  func(j int) int
		}{{tensor.Shape{n, s - 1, 64}, func(j int) int { return j + 1 }}, {tensor.Shape{n, s, 64}, func(j int) int { return s - 1 - j }}, {tensor.Shape{n, 1, 64}, func(int) int { return s - 1 }}} {
			g := got[9+k]
			if !g.Shape.Equal(w.shape) {
				t.Errorf("N=%d S=%d: slice output %d has shape %v, want %v", n, s, 9+k, g.Shape, w.shape)
				continue
			}
			for b := range n {
				for j := range w.shape[1] {
					for c := range 64 {
						if at(g, b, j, c) != at(x, b, w.from(j), c) {
							t.Fatalf("N=%d S=%d: slice output %d [%d,%d,%d] = %v, want x[%d,%d,%d]", n, s, 9+k, b, j, c, at(g, b, j, c), b, w.from(j), c)
						}
					}
				}
			}
		}
	}
}

// TestRunNonZero runs ir/testdata/nonzero.tfir (Where, GatherNd and sum,
// boolean_mask, a Where of a data-dependent vector) and checks each
// output against its definition computed here: the row-major coordinates
// of the positive elements, their sum, the masked rows.
func TestRunNonZero(t *testing.T) {
	src, err := os.ReadFile("../ir/testdata/nonzero.tfir")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ir.Parse("nonzero.tfir", src)
	if err != nil {
		t.Fatal(err)
	}
	x := tensor.FromF32(tensor.Shape{4, 3}, []float32{-1, 2, 0, 3.5, -0.5, 1, 0, 0, 0, 4, -2, 0.25})
	mask := tensor.FromBool(tensor.Shape{4}, []bool{true, false, false, true})
	outs, err := Run(f, map[string]*tensor.Tensor{"x:0": x, "mask:0": mask})
	if err != nil {
		t.Fatal(err)
	}
	var sum float32
	var pos []float32
	for _, v := range x.F32 {
		if v > 0 {
			sum += v
			pos = append(pos, v)
		}
	}
	if got := outs[0].F32[0]; got != sum {
		t.Errorf("sum = %v, want %v", got, sum)
	}
	masked := append(append([]float32{}, x.F32[0:3]...), x.F32[9:12]...)
	if !outs[1].Shape.Equal(tensor.Shape{2, 3}) || !slices.Equal(outs[1].F32, masked) {
		t.Errorf("masked = %v %v, want [2 3] %v", outs[1].Shape, outs[1].F32, masked)
	}
	// Where of the gathered positive values: every one is nonzero.
	if !outs[2].Shape.Equal(tensor.Shape{len(pos), 1}) || outs[2].I64[len(pos)-1] != int64(len(pos)-1) {
		t.Errorf("where = %v %v, want [%d 1] 0..%d", outs[2].Shape, outs[2].I64, len(pos), len(pos)-1)
	}
	if !outs[3].Shape.Equal(tensor.Shape{3, 2}) || outs[3].F32[1] != masked[3] {
		t.Errorf("transpose = %v %v", outs[3].Shape, outs[3].F32)
	}
}
