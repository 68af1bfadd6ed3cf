package tf_test

import (
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
)

var large = flag.Bool("large", false, "also check the generated models under testdata/large (make them with testdata/gen/generate.sh --resnet50)")

// TestGolden imports every TensorFlow-generated case, runs it with the
// interpreter and compares with TensorFlow's own outputs.
func TestGolden(t *testing.T) {
	roots := []string{"../../testdata/cases", "../../testdata/models", "../../testdata/control"}
	if *large {
		roots = append(roots, "../../testdata/large")
	}
	var all []*golden.Case
	for _, r := range roots {
		cs, err := golden.LoadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	if len(all) == 0 {
		t.Fatal("no golden cases found under testdata; run testdata/gen/generate.sh")
	}
	var worst float64
	var worstCase string
	passed := 0
	for _, c := range all {
		ok := t.Run(c.Name, func(t *testing.T) {
			rel, err := runCase(c)
			if err != nil {
				t.Fatal(err)
			}
			if rel > worst {
				worst, worstCase = rel, c.Name
			}
		})
		if ok {
			passed++
		}
	}
	t.Logf("%d/%d golden cases match TensorFlow; worst error %.3g of tolerance (%s)", passed, len(all), worst, worstCase)
}

func runCase(c *golden.Case) (maxRel float64, err error) {
	g, err := tfpb.ReadGraphDef(c.Model())
	if err != nil {
		return 0, err
	}
	f, err := tf.Import(g, tf.Options{Name: c.Name, Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		return 0, fmt.Errorf("import: %v", err)
	}
	if err := ir.Verify(f); err != nil {
		return 0, err
	}
	in, err := c.ReadInputs()
	if err != nil {
		return 0, err
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return 0, err
	}
	got, err := interp.Run(f, in)
	if err != nil {
		return 0, fmt.Errorf("run: %v", err)
	}
	var problems []string
	for i := range want {
		rtol, atol := c.Tolerance(i)
		d, err := golden.Compare(got[i], want[i], rtol, atol)
		if err != nil {
			problems = append(problems, fmt.Sprintf("output %s: %v", c.Outputs[i].Name, err))
			continue
		}
		maxRel = max(maxRel, d.MaxRatio)
		if d.Bad > 0 {
			problems = append(problems, fmt.Sprintf("output %s: %d of %d elements differ (first at %d: got %v, want %v; max abs err %.3g, rtol %g atol %g)",
				c.Outputs[i].Name, d.Bad, want[i].Len(), d.FirstBad, got[i].Float64At(d.FirstBad), want[i].Float64At(d.FirstBad), d.MaxAbs, rtol, atol))
		}
	}
	if len(problems) > 0 {
		return maxRel, fmt.Errorf("%s (%s):\n%s", c.Name, filepath.Base(c.Dir), strings.Join(problems, "\n"))
	}
	return maxRel, nil
}
