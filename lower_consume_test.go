package tfc_test

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
)

// TestLowerConsumeSameNetwork: lowering with lower.Options.Consume (the
// Func released behind the lowering, as tfc compile does) gives the
// network of the plain lowering, or its error, on every graph of the
// project with static inputs, and leaves the Func without ops.
func TestLowerConsumeSameNetwork(t *testing.T) {
	paths := projectGraphs(t, "models", "cases", "control")
	text := func(d *trt.Description, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		if err := trt.Print(&b, d); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	lowered := 0
	for _, p := range paths {
		f, err := tfc.Load(p, tfc.LoadOptions{})
		if err != nil || f.HasSymbolicInputs() {
			continue
		}
		if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
			continue
		}
		g := f.Clone()
		plain := text(tfc.Lower(f))
		consumed := text(tfc.LowerWith(g, lower.Options{Consume: true}))
		if consumed != plain {
			t.Errorf("%s: the consuming lowering differs:\n%.600s\nplain:\n%.600s", p, consumed, plain)
		}
		if !strings.HasPrefix(plain, "error: ") {
			lowered++
			if g.Ops != nil {
				t.Errorf("%s: %d ops left after the consuming lowering", p, len(g.Ops))
			}
		}
	}
	if lowered < 100 {
		t.Errorf("only %d graphs lowered", lowered)
	}
}
