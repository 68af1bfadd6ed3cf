package passes

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Running a fusion pass on its own golden output changes nothing: every
// rule's result is outside the patterns it matches.
func TestFuseGoldenIdempotent(t *testing.T) {
	for _, pass := range []string{"fuse-bn", "fuse-bias", "fuse-pad", "fuse-activation", "fuse-norm"} {
		files, err := filepath.Glob("../testdata/passes/" + pass + "/*.txtar")
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			t.Fatalf("no golden files for %s", pass)
		}
		for _, file := range files {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			for _, sec := range ar.Files {
				if sec.Name != "want.tfir" {
					continue
				}
				f, err := ir.Parse(file, sec.Data)
				if err != nil {
					t.Fatal(err)
				}
				p, _ := Lookup(pass)
				changed, err := p.Run(f, &Config{})
				if err != nil {
					t.Fatalf("%s: %v", file, err)
				}
				if changed || f.String() != string(sec.Data) {
					t.Errorf("%s: %s changed its own output:\n%s", file, pass, f)
				}
			}
		}
	}
}

// emit appends an op or fails the test.
func emit(t *testing.T, f *ir.Func, opc ir.Opcode, args []*ir.Value, attrs ir.Attrs) *ir.Value {
	t.Helper()
	v, err := f.Emit(opc, args, attrs, "")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func scalar(f *ir.Func, x float32) *ir.Value {
	return f.Const(tensor.FromF32(tensor.Shape{}, []float32{x}), "")
}

// The fusion passes stay linear on long chains: 100k bias adds after one
// conv fold into a single bias in one pass; 100k alternating min/max ops
// with disjoint bounds (so no chain composes past two ops) and 100k muls
// by constants (products flattened as far as the match bound) are walked
// without quadratic work.
func TestFuseLongChains(t *testing.T) {
	const n = 100_000
	f := ir.NewFunc("chains")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, 1, 2, 2, 2))
	w := f.Const(tensor.FromF32(tensor.Shape{2, 2, 1, 1}, []float32{1, 2, 3, 4}), "")
	v := emit(t, f, ir.OpConv, []*ir.Value{x, w}, ir.Attrs{"strides": []int{1, 1}, "dilations": []int{1, 1}, "pads": []int{0, 0, 0, 0}, "groups": 1})
	c := f.Const(tensor.FromF32(tensor.Shape{2, 1, 1}, []float32{1, -1}), "")
	for range n {
		v = emit(t, f, ir.OpAdd, []*ir.Value{v, c}, nil)
	}
	f.AddOutput("bias:0", v)
	m := x
	lo, hi := scalar(f, 2), scalar(f, 1)
	for i := range n {
		opc, k := ir.OpMax, lo
		if i%2 == 1 {
			opc, k = ir.OpMin, hi
		}
		m = emit(t, f, opc, []*ir.Value{m, k}, nil)
	}
	f.AddOutput("minmax:0", m)
	p := x
	half := scalar(f, 0.5)
	for range n {
		p = emit(t, f, ir.OpMul, []*ir.Value{p, half}, nil)
	}
	f.AddOutput("mul:0", p)

	for _, name := range []string{"fuse-bias", "fuse-bn", "fuse-pad", "fuse-activation", "fuse-norm"} {
		pass, _ := Lookup(name)
		start := time.Now()
		if _, err := pass.Run(f, &Config{}); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v on %d ops", name, d, len(f.Ops))
		}
		t.Logf("%s: %v", name, time.Since(start))
		if err := ir.Verify(f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	counts := OpCounts(f)
	if counts["add"] != 0 || counts["conv"] != 1 {
		t.Errorf("bias chain not folded: %v", counts)
	}
	bias := f.Outputs[0].Value.Op.Args[2].Op.Tensor("value")
	if got := bias.F32; got[0] != n || got[1] != -n {
		t.Errorf("bias = %v, want [%d %d]", got, n, -n)
	}
	if counts["min"]+counts["max"] != n || counts["mul"] != n {
		t.Errorf("min/max or mul chains changed: %v", counts)
	}
}

// The pass table lists the fusion passes with a summary.
func TestFusePassesRegistered(t *testing.T) {
	for _, name := range []string{"fuse-bn", "fuse-bias", "fuse-pad", "fuse-activation", "fuse-norm"} {
		p, ok := Lookup(name)
		if !ok || strings.TrimSpace(p.Summary) == "" || p.Run == nil {
			t.Errorf("%s: not registered with a summary", name)
		}
	}
}
