package tfc_test

import (
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
)

// TestPassesIdempotent: every pass runs to its own fixed point (the
// pipeline skips a pass that made the last change; see Pass.Run). On
// each of the project's graphs, after every pass run that changed the
// IR, the same pass run again on a copy changes nothing.
func TestPassesIdempotent(t *testing.T) {
	paths := projectGraphs(t, "models", "cases", "control", "dynamic")
	changes := map[string]int{}
	cfg := &passes.Config{FoldLimit: passes.DefaultFoldLimit}
	for _, p := range paths {
		f, err := tfc.Load(p, tfc.LoadOptions{})
		if err != nil {
			continue // graphs the import refuses are other tests' business
		}
		opts := passes.Options{AfterPass: func(run passes.PassRun, g *ir.Func) error {
			if !run.Changed {
				return nil
			}
			changes[run.Name]++
			pass, _ := passes.Lookup(run.Name)
			again, err := pass.Run(g.Clone(), cfg)
			if err != nil {
				t.Errorf("%s: %s run again: %v", p, run.Name, err)
			} else if again {
				t.Errorf("%s: %s changes the IR again right after its own run", p, run.Name)
			}
			return nil
		}}
		tfc.Optimize(f, opts) // errors are other tests' business
	}
	for _, name := range []string{"fold", "simplify", "cse", "keepdims", "layout", "fuse-bn", "fuse-bias", "fuse-activation"} {
		if changes[name] == 0 {
			t.Errorf("no graph exercised %s (no run changed anything)", name)
		}
	}
	t.Logf("changing runs checked: %v", changes)
}
