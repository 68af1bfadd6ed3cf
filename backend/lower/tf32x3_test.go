package lower_test

import (
	"fmt"
	"math/rand"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/passes"
	"golang.org/x/tools/txtar"
)

// randomDense returns the IR text of n random weights in [-3, 3).
func randomDense(rng *rand.Rand, n int) string {
	v := make([]string, n)
	for i := range v {
		v[i] = fmt.Sprint(float32(rng.Float64()*6 - 3))
	}
	return "dense<[" + strings.Join(v, ", ") + "]>"
}

// TestTF32x3Layouts checks each layout of the concatenated 3xTF32 form
// (tf32x3.go) that the TensorFlow cases may not reach: grouped
// convolutions and deconvolutions with constant and computed kernels, a
// 1-D depthwise convolution, matmuls with transposes, broadcasting and two
// computed operands, and IEinsumLayers with a shared contracted letter
// and without one (a new letter), and one whose equation uses every
// letter (a layer per term). On the reference executor with TF32 rounding
// each matches the interpreter (float32) at float32-sized tolerances with
// one product layer (but the last), where the plain lowering under TF32
// does not match; with either split of run-time tensors
// (Options.TF32x3Split).
func TestTF32x3Layouts(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	w := func(n int) string { return randomDense(rng, n) }
	type layout struct {
		name, src string
		layers    map[string]int // product layers by split, if not 1
	}
	cases := []layout{
		{"conv_grouped_bias", `func @f {
  %0 = input {name="x:0"} : f32[2,6,5,5]
  %1 = const {value=` + w(4*3*9) + `} : f32[4,3,3,3]
  %2 = const {value=` + w(4) + `} : f32[4]
  %3 = conv(%0, %1, %2) {strides=[1,1], dilations=[1,1], pads=[1,0,1,0], groups=2} : f32[2,4,5,3]
  return "y:0" = %3
}`, nil},
		{"conv_runtime_kernel", `func @f {
  %0 = input {name="x:0"} : f32[1,3,5,5]
  %1 = input {name="w:0"} : f32[2,3,3,3]
  %2 = conv(%0, %1) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,2,3,3]
  return "y:0" = %2
}`, nil},
		{"conv_grouped_runtime_kernel", `func @f {
  %0 = input {name="x:0"} : f32[1,4,5,5]
  %1 = input {name="w:0"} : f32[4,2,3,3]
  %2 = conv(%0, %1) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=2} : f32[1,4,3,3]
  return "y:0" = %2
}`, nil},
		{"conv1d_depthwise", `func @f {
  %0 = input {name="x:0"} : f32[2,4,9]
  %1 = const {value=` + w(4*3) + `} : f32[4,1,3]
  %2 = conv(%0, %1) {strides=[1], dilations=[1], pads=[0,0], groups=4} : f32[2,4,7]
  return "y:0" = %2
}`, nil},
		{"conv_transpose_grouped", `func @f {
  %0 = input {name="x:0"} : f32[1,4,3,3]
  %1 = const {value=` + w(4*3*4) + `} : f32[4,3,2,2]
  %2 = const {value=` + w(6) + `} : f32[6]
  %3 = conv_transpose(%0, %1, %2) {strides=[2,2], dilations=[1,1], pads=[0,0,0,0], groups=2} : f32[1,6,6,6]
  return "y:0" = %3
}`, nil},
		{"conv_transpose_runtime_kernel", `func @f {
  %0 = input {name="x:0"} : f32[1,2,3,3]
  %1 = input {name="w:0"} : f32[2,3,2,2]
  %2 = conv_transpose(%0, %1) {strides=[2,2], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,3,6,6]
  return "y:0" = %2
}`, nil},
		{"matmul_transposed_broadcast_const", `func @f {
  %0 = input {name="a:0"} : f32[2,1,4,3]
  %1 = const {value=` + w(5*4) + `} : f32[5,4]
  %2 = matmul(%0, %1) {transpose_a=true, transpose_b=true} : f32[2,1,3,5]
  return "c:0" = %2
}`, nil},
		{"matmul_runtime_broadcast", `func @f {
  %0 = input {name="a:0"} : f32[2,3,4]
  %1 = input {name="b:0"} : f32[4,5]
  %2 = matmul(%0, %1) {transpose_a=false, transpose_b=false} : f32[2,3,5]
  return "c:0" = %2
}`, nil},
		{"einsum_matmul_const", `func @f {
  %0 = input {name="a:0"} : f32[2,5,3,4]
  %1 = const {value=` + w(4*3*6) + `} : f32[4,3,6]
  %2 = einsum(%0, %1) {equation="btnh,hns->bts"} : f32[2,5,6]
  return "c:0" = %2
}`, nil},
		{"einsum_shared_letter", `func @f {
  %0 = input {name="a:0"} : f32[3,4,2]
  %1 = const {value=` + w(4*5) + `} : f32[4,5]
  %2 = einsum(%0, %1) {equation="ijk,jl->il"} : f32[3,5]
  return "c:0" = %2
}`, nil},
		{"einsum_no_shared_letter_const", `func @f {
  %0 = input {name="a:0"} : f32[3,4]
  %1 = const {value=` + w(4*5) + `} : f32[4,5]
  %2 = einsum(%0, %1) {equation="ij,jk->i"} : f32[3]
  return "y:0" = %2
}`, nil},
	}
	for _, p := range tf32x3Layouts(t) {
		c := layout{name: p.Name, src: p.Src}
		if p.Name == "einsum_all_letters" { // every letter taken: a layer per term
			c.layers = map[string]int{lower.SplitF16: 5, lower.SplitBF16: 15}
		}
		cases = append(cases, c)
	}
	for _, c := range cases {
		for _, split := range []string{lower.SplitF16, lower.SplitBF16} {
			t.Run(c.name+"/"+split, func(t *testing.T) {
				f := parse(t, c.src)
				if _, err := passes.Run(f, passes.Options{Passes: passes.Required(), VerifyEach: true}); err != nil {
					t.Fatal(err)
				}
				in := randomInputs(f, 7)
				want, err := interp.Run(f, in)
				if err != nil {
					t.Fatal(err)
				}
				run := func(opts lower.Options) (*trt.Description, int) {
					rec := trt.NewRecorder()
					if err := lower.LowerWith(f, rec, opts); err != nil {
						t.Fatal(err)
					}
					d := rec.Description()
					if err := trt.Validate(d); err != nil {
						t.Fatal(err)
					}
					prog, err := exec.PrepareConfig(d, exec.Config{TF32: true})
					if err != nil {
						t.Fatal(err)
					}
					got, err := prog.Run(in)
					if err != nil {
						t.Fatal(err)
					}
					bad := 0
					for i := range want {
						diff, err := golden.Compare(got[i], want[i], 1e-5, 1e-5)
						if err != nil {
							t.Fatal(err)
						}
						bad += diff.Bad
					}
					return d, bad
				}
				d, bad := run(lower.Options{TF32x3: true, TF32x3Split: split})
				if bad > 0 {
					t.Errorf("tf32x3: %d elements differ from float32 beyond 1e-5", bad)
				}
				layers := 1
				if n, ok := c.layers[split]; ok {
					layers = n
				}
				if n := len(regexp.MustCompile(`Convolution|Deconvolution|MatrixMultiply|Einsum`).FindAllString(kinds(d), -1)); n != layers {
					t.Errorf("tf32x3: %d product layers, want %d: %s", n, layers, kinds(d))
				}
				if _, bad := run(lower.Options{}); bad == 0 {
					t.Errorf("plain lowering under TF32 matches float32 at 1e-5: the test does not see TF32's rounding")
				}
			})
		}
	}
}

// TestTF32x3UnknownSplit: a split that names no strategy is an error.
func TestTF32x3UnknownSplit(t *testing.T) {
	f := parse(t, `func @f {
  %0 = input {name="a:0"} : f32[2,3]
  %1 = input {name="b:0"} : f32[3,4]
  %2 = matmul(%0, %1) {transpose_a=false, transpose_b=false} : f32[2,4]
  return "c:0" = %2
}`)
	err := lower.LowerWith(f, trt.NewRecorder(), lower.Options{TF32x3: true, TF32x3Split: "veltkamp"})
	if err == nil || !strings.Contains(err.Error(), `unknown TF32x3 split "veltkamp"`) {
		t.Errorf("got %v, want an unknown split error", err)
	}
}

// A namedProgram is an IR program of a test archive.
type namedProgram struct{ Name, Src string }

// tf32x3Layouts reads the TF32x3 layouts shared with backend/tensorrt's
// engine test (testdata/network/tf32x3_layouts.txtar), in archive order.
func tf32x3Layouts(t *testing.T) []namedProgram {
	t.Helper()
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "network", "tf32x3_layouts.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	var ps []namedProgram
	for _, f := range a.Files {
		ps = append(ps, namedProgram{strings.TrimSuffix(f.Name, ".ir"), string(f.Data)})
	}
	if len(ps) == 0 {
		t.Fatal("tf32x3_layouts.txtar holds no program")
	}
	return ps
}
