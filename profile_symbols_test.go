package tfc

import (
	"reflect"
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TestProfileSymbols: inputs share a position's symbol when every profile
// gives them one range; varying ranges take the plain names first, so a
// fixed dimension (the graph's, or a dynamic one pinned by the profiles)
// never takes it from a dynamic one.
func TestProfileSymbols(t *testing.T) {
	r := func(min, opt, max tensor.Shape) ir.ShapeRange { return ir.ShapeRange{Min: min, Opt: opt, Max: max} }
	p := ir.Profile{
		"a:0": r(tensor.Shape{1, 4}, tensor.Shape{2, 4}, tensor.Shape{8, 4}),  // N, and a fixed 4 (S_3, unused if the graph fixes it)
		"b:0": r(tensor.Shape{1, 2}, tensor.Shape{2, 5}, tensor.Shape{8, 9}),  // N, S
		"c:0": r(tensor.Shape{1, 1}, tensor.Shape{1, 3}, tensor.Shape{1, 16}), // N_3 (pinned, after the varying ones), S_2
		"d:0": r(tensor.Shape{2, 2}, tensor.Shape{4, 5}, tensor.Shape{16, 9}), // N_2, S
	}
	got := profileSymbols([]ir.Profile{p})
	want := map[string][]string{
		"a:0": {"", "S_3"},
		"c:0": {"N_3", "S_2"},
		"d:0": {"N_2", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("profileSymbols = %v, want %v", got, want)
	}
	if got := profileSymbols(nil); got != nil {
		t.Errorf("no profiles: %v", got)
	}
}
