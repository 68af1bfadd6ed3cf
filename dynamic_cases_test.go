package tfc_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// shapeSuffix is the part of a dynamic case's name that gives its input
// shapes (_2x3, or _1x3_2x3 for two inputs).
var shapeSuffix = regexp.MustCompile(`(_[0-9]+(x[0-9]+)*)+$`)

// TestDynamicOpCases checks the op cases of testdata/dynamic (dynop_*):
// the cases of one graph (the same model.pb, fed at several input shapes)
// are compiled once with symbolic dimensions and a profile whose min and
// max are the smallest and largest shapes among them (opt: the first
// case's), and every case is run on the interpreter and, lowered with
// that profile, on the TensorRT reference executor, against TensorFlow's
// outputs.
func TestDynamicOpCases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/dynamic/dynop_*")
	if err != nil {
		t.Fatal(err)
	}
	groups := map[[32]byte][]*golden.Case{}
	var order [][32]byte
	for _, dir := range dirs {
		c, err := golden.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		pb, err := os.ReadFile(c.Model())
		if err != nil {
			t.Fatal(err)
		}
		k := sha256.Sum256(pb)
		if groups[k] == nil {
			order = append(order, k)
		}
		groups[k] = append(groups[k], c)
	}
	if len(order) < 20 {
		t.Errorf("%d dynamic op graphs, want at least 20", len(order))
	}
	for _, k := range order {
		cases := groups[k]
		name := shapeSuffix.ReplaceAllString(cases[0].Name, "")
		t.Run(name, func(t *testing.T) {
			if len(cases) < 2 {
				t.Fatalf("%d shapes, want several", len(cases))
			}
			profile := ir.Profile{}
			for _, c := range cases {
				for _, in := range c.Inputs {
					if in.PlaceholderShape == nil {
						t.Fatalf("%s: input %s has no unknown dimension", c.Name, in.Name)
					}
					s := tensor.Shape(in.Shape)
					r, ok := profile[in.Name]
					if !ok {
						profile[in.Name] = ir.ShapeRange{Min: s.Clone(), Opt: s.Clone(), Max: s.Clone()}
						continue
					}
					for i, d := range s {
						r.Min[i], r.Max[i] = min(r.Min[i], d), max(r.Max[i], d)
					}
				}
			}
			f, err := tfc.Load(cases[0].Model(), tfc.LoadOptions{Symbolic: true, Profiles: []ir.Profile{profile}})
			if err != nil {
				t.Fatal(err)
			}
			if !f.Symbolic() {
				t.Fatalf("the program is not symbolic")
			}
			if _, err := tfc.Optimize(f, passes.Options{VerifyEach: true}); err != nil {
				t.Fatal(err)
			}
			d, err := tfc.Lower(f, profile)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Dynamic() {
				t.Errorf("the network has no dynamic input")
			}
			for _, c := range cases {
				in, err := c.ReadInputs()
				if err != nil {
					t.Fatal(err)
				}
				want, err := c.ReadOutputs()
				if err != nil {
					t.Fatal(err)
				}
				got, err := interp.Run(f, in)
				if err != nil {
					t.Fatalf("%s on interp: %v", c.Name, err)
				}
				ref, err := exec.Run(d, in)
				if err != nil {
					t.Fatalf("%s on trt-ref: %v", c.Name, err)
				}
				for i := range want {
					rtol, atol := c.Tolerance(i)
					for _, b := range []struct {
						name string
						out  []*tensor.Tensor
					}{{"interp", got}, {"trt-ref", ref}} {
						o := b.out[i]
						if o.DType != want[i].DType && slices.Contains([]tensor.DType{tensor.Int32, tensor.Int64}, want[i].DType) {
							t.Errorf("%s on %s: output %d has type %v, want %v", c.Name, b.name, i, o.DType, want[i].DType)
							continue
						}
						if d, err := golden.Compare(o, want[i], rtol, atol); err != nil || d.Bad > 0 {
							t.Errorf("%s on %s: output %d against TensorFlow: %v, %d bad", c.Name, b.name, i, err, d.Bad)
						}
					}
				}
			}
		})
	}
}
