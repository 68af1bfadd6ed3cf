package passes

import (
	"errors"
	"testing"

	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/ir"
)

// TestAfterPass checks that the hook sees every pass run, in order, with
// the op count the run recorded, and that its error stops the pipeline.
func TestAfterPass(t *testing.T) {
	c, err := golden.Load("../testdata/models/resnet_small")
	if err != nil {
		t.Fatal(err)
	}
	f, err := importCase(c)
	if err != nil {
		t.Fatal(err)
	}
	var seen []PassRun
	rep, err := Run(f, Options{AfterPass: func(run PassRun, g *ir.Func) error {
		if g != f || len(g.Ops) != run.OpsAfter {
			t.Errorf("%s: hook got %d ops, the run recorded %d", run.Name, len(g.Ops), run.OpsAfter)
		}
		seen = append(seen, run)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(rep.Runs) || len(seen) == 0 {
		t.Fatalf("hook called %d times for %d runs", len(seen), len(rep.Runs))
	}
	for i := range seen {
		if seen[i].Name != rep.Runs[i].Name || seen[i].Round != rep.Runs[i].Round {
			t.Errorf("call %d: %s round %d, run %s round %d", i, seen[i].Name, seen[i].Round, rep.Runs[i].Name, rep.Runs[i].Round)
		}
	}
	g, _ := importCase(c)
	stop := errors.New("stop")
	if _, err := Run(g, Options{AfterPass: func(PassRun, *ir.Func) error { return stop }}); !errors.Is(err, stop) {
		t.Errorf("hook error: got %v", err)
	}
}
