package passes

import (
	"fmt"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
)

func loadCases(t *testing.T) []*golden.Case {
	var all []*golden.Case
	for _, r := range []string{"../testdata/cases", "../testdata/models", "../testdata/control"} {
		cs, err := golden.LoadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	if len(all) == 0 {
		t.Fatal("no cases")
	}
	return all
}

func importCase(c *golden.Case) (*ir.Func, error) {
	g, err := tfpb.ReadGraphDef(c.Model())
	if err != nil {
		return nil, err
	}
	return tf.Import(g, tf.Options{Name: c.Name, Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
}

// TestPipelineMatchesTensorFlow runs the default pipeline, verifying after
// every pass, on every TensorFlow-generated case and model, and checks the
// outputs still match TensorFlow's (within the case's tolerance plus the
// reassociation Tolerance of the non-exact passes).
func TestPipelineMatchesTensorFlow(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			f, err := importCase(c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Run(f, Options{VerifyEach: true}); err != nil {
				t.Fatal(err)
			}
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
				t.Fatal(err)
			}
			for i := range want {
				rtol, atol := c.Tolerance(i)
				if rtol > 0 || atol > 0 {
					rtol, atol = rtol+Tolerance, atol+Tolerance/10
				}
				d, err := golden.Compare(got[i], want[i], rtol, atol)
				if err == nil && d.Bad > 0 {
					err = fmt.Errorf("%d elements differ, first at %d: got %g want %g", d.Bad, d.FirstBad, got[i].Float64At(d.FirstBad), want[i].Float64At(d.FirstBad))
				}
				if err != nil {
					t.Errorf("output %s: %v", c.Outputs[i].Name, err)
				}
			}
		})
	}
}

// TestPipelineIdempotent: running the pipeline on its own output changes nothing.
func TestPipelineIdempotent(t *testing.T) {
	for _, c := range loadCases(t) {
		f, err := importCase(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Run(f, Options{VerifyEach: true}); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		once := f.String()
		rep, err := Run(f, Options{VerifyEach: true})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for _, r := range rep.Runs {
			if r.Changed {
				t.Errorf("%s: pass %s changed an already optimised function", c.Name, r.Name)
			}
		}
		if twice := f.String(); twice != once {
			t.Errorf("%s: second run changed the text", c.Name)
		}
	}
}

// TestPipelineSkipsCleanPasses: a later round runs a pass only if some
// pass changed the function since that pass last ran, or its last run
// changed it; the round confirming the fixed point skips the rest (its
// soundness is TestPipelineIdempotent's: a skipped pass that had work
// would change the function on the second Run).
func TestPipelineSkipsCleanPasses(t *testing.T) {
	skipped := 0
	for _, c := range loadCases(t) {
		f, err := importCase(c)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Run(f, Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		last := map[string]int{} // pass → index of its last run
		perRound := map[int]int{}
		for i, r := range rep.Runs {
			perRound[r.Round]++
			if j, ok := last[r.Name]; ok && r.Round > 1 {
				changedSince := rep.Runs[j].Changed
				for _, s := range rep.Runs[j+1 : i] {
					changedSince = changedSince || s.Changed
				}
				if !changedSince {
					t.Errorf("%s: pass %s ran in round %d with no change since its last run", c.Name, r.Name, r.Round)
				}
			}
			last[r.Name] = i
		}
		if rep.Rounds > 1 && perRound[rep.Rounds] < perRound[1] {
			skipped++
		}
	}
	if skipped == 0 {
		t.Error("no case skipped a pass in its last round")
	}
}
