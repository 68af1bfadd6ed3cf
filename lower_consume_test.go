package tfc_test

import (
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/synth"
	"github.com/tfc-dev/tfc/ir"
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

// TestLowerConsumeReleases: after the consuming lowering of a long chain
// (the synthetic graph of the scaling benchmark), the ops still reachable
// from the Func's outputs through operands are a handful, not the chain:
// the IR was let go as the network grew.
func TestLowerConsumeReleases(t *testing.T) {
	data, err := proto.Marshal(synth.Graph(3000))
	if err != nil {
		t.Fatal(err)
	}
	f, err := tfc.LoadBytes("synth.pb", data, tfc.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
		t.Fatal(err)
	}
	n := len(f.Ops)
	if _, err := tfc.LowerWith(f, lower.Options{Consume: true}); err != nil {
		t.Fatal(err)
	}
	seen := map[*ir.Op]bool{}
	var walk func(v *ir.Value)
	walk = func(v *ir.Value) {
		if seen[v.Op] {
			return
		}
		seen[v.Op] = true
		for _, a := range v.Op.Args {
			walk(a)
		}
	}
	for _, o := range f.Outputs {
		walk(o.Value)
	}
	if len(seen) > 8 {
		t.Errorf("%d of %d ops still reachable from the outputs after the consuming lowering", len(seen), n)
	}
}
