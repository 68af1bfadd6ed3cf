package tfc_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
)

// loadBoth loads data with LoadBytes (which parses a binary GraphDef
// lazily) and through ParseGraphDef and LoadGraph (which decode it
// whole); it returns each one's IR text or error, and warnings.
func loadBoth(t *testing.T, name string, data []byte) (lazy, whole string, lazyWarn, wholeWarn []string) {
	t.Helper()
	text := func(f *ir.Func, err error) string {
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		if err := ir.Print(&b, f, ir.PrintOptions{ElideOver: -1}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	lazy = text(tfc.LoadBytes(name, data, tfc.LoadOptions{Warn: func(s string) { lazyWarn = append(lazyWarn, s) }}))
	g, err := tfpb.ParseGraphDef(data, name)
	if err != nil {
		return lazy, "error: " + err.Error(), lazyWarn, nil
	}
	whole = text(tfc.LoadGraph(name, g, tfc.LoadOptions{Warn: func(s string) { wholeWarn = append(wholeWarn, s) }}))
	return lazy, whole, lazyWarn, wholeWarn
}

// TestLazyLoadSameIR: the lazily parsed import gives the IR, errors and
// warnings of the whole one on the project's graphs.
func TestLazyLoadSameIR(t *testing.T) {
	paths := projectGraphs(t, "models", "cases", "control", "dynamic")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		lazy, whole, lw, ww := loadBoth(t, p, data)
		if lazy != whole {
			t.Errorf("%s: the lazily parsed graph imports differently:\n%.400s\nwhole:\n%.400s", p, lazy, whole)
		}
		if !slices.Equal(lw, ww) {
			t.Errorf("%s: warnings %q, whole %q", p, lw, ww)
		}
	}
}

// TestLazyLoadUndecodable: a node that does not decode (an attribute
// name that is not UTF-8) is ParseGraphDef's error, whether the import
// needs the node or not, and before any error of the import.
func TestLazyLoadUndecodable(t *testing.T) {
	field := func(b []byte, num protowire.Number, v []byte) []byte {
		return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
	}
	node := func(name, op string, attrs ...[]byte) []byte {
		n := field(nil, 1, []byte(name))
		n = field(n, 2, []byte(op))
		for _, a := range attrs {
			n = field(n, 5, a)
		}
		return n
	}
	bad := field(nil, 1, []byte("\xff"))
	for name, nodes := range map[string][][]byte{
		"needed":         {node("x", "Placeholder", bad)},
		"not needed":     {node("x", "Const", bad), node("y", "Unsupported")},
		"after an error": {node("y", "Unsupported"), node("x", "Const", bad)},
	} {
		var data []byte
		for _, n := range nodes {
			data = field(data, 1, n)
		}
		if _, ok := tfpb.ParseLazy(data, "bad.pb"); !ok {
			t.Errorf("%s: ParseLazy does not take the graph (the case tests nothing)", name)
		}
		lazy, whole, _, _ := loadBoth(t, "bad.pb", data)
		if !strings.HasPrefix(whole, "error: bad.pb: not a TensorFlow GraphDef") || lazy != whole {
			t.Errorf("%s: LoadBytes: %s\nParseGraphDef: %s", name, lazy, whole)
		}
	}
}
