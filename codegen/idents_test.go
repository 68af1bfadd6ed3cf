package codegen

import (
	"go/token"
	"testing"
)

func TestIdentifiers(t *testing.T) {
	n := newNamer()
	seen := map[string]bool{}
	for _, in := range []string{
		"conv1/Conv2D", "x:0", "type", "func", "1x1/conv", "a-b.c", "a_b_c", "a/b/c",
		"", "///", "日本語", "net", "err", "len", "_", "conv1/Conv2D", "__x__",
	} {
		got := n.name(in, "layer")
		if !token.IsIdentifier(got) {
			t.Errorf("%q → %q is not an identifier", in, got)
		}
		if seen[got] {
			t.Errorf("%q → %q collides", in, got)
		}
		seen[got] = true
	}
	if got := sanitize("conv1/Conv2D", "l"); got != "conv1_Conv2D" {
		t.Errorf("sanitize = %q", got)
	}
	if got := sanitize("2nd", "l"); got != "l_2nd" {
		t.Errorf("sanitize = %q", got)
	}
	if got := sanitize("range", "l"); got != "range_" {
		t.Errorf("sanitize = %q", got)
	}
}
