package passes

import (
	"reflect"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
)

// The pass table obeys passOrder; every name's first row has a summary
// and its other rows the same function and flags.
func TestPassTable(t *testing.T) {
	if err := checkOrder(passes[:], passOrder[:]); err != nil {
		t.Error(err)
	}
	first := map[string]Pass{}
	for _, p := range passes {
		if p.Run == nil {
			t.Errorf("%s: no function", p.Name)
			continue
		}
		f, ok := first[p.Name]
		if !ok {
			first[p.Name] = p
			if strings.TrimSpace(p.Summary) == "" {
				t.Errorf("%s: first row has no summary", p.Name)
			}
			continue
		}
		if p.Summary != "" || p.Required != f.Required || p.Exact != f.Exact ||
			reflect.ValueOf(p.Run).Pointer() != reflect.ValueOf(f.Run).Pointer() {
			t.Errorf("%s: a repeated row differs from the first (it repeats only name, function and flags)", p.Name)
		}
	}
}

// checkOrder finds a table that breaks a constraint or names an unknown pass.
func TestCheckOrderRejects(t *testing.T) {
	swapped := append([]Pass(nil), passes[:]...)
	swapped[0], swapped[len(swapped)-1] = swapped[len(swapped)-1], swapped[0] // dce first, shapes last
	if err := checkOrder(swapped, passOrder[:]); err == nil || !strings.Contains(err.Error(), "out of order") {
		t.Errorf("swapped table: err = %v, want out of order", err)
	}
	if err := checkOrder(passes[:], []constraint{{"shapes", "no-such-pass"}}); err == nil {
		t.Error("constraint naming an unknown pass accepted")
	}
}

// Unknown names in -passes, -disable and -print-after are errors.
func TestUnknownPassNames(t *testing.T) {
	for _, opts := range []Options{
		{Passes: []string{"fold", "flod"}},
		{Disable: []string{"flod"}},
		{PrintAfter: []string{"flod"}},
	} {
		_, err := Run(&ir.Func{}, opts)
		if err == nil || !strings.Contains(err.Error(), `unknown pass "flod"`) {
			t.Errorf("%+v: err = %v, want unknown pass", opts, err)
		}
	}
}
