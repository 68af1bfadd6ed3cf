package tfc_test

import (
	"path/filepath"
	"testing"
)

// projectGraphs returns the GraphDefs testdata/DIR/*/model.pb of the
// given folders (models, cases, control, dynamic), in order; the test is
// skipped where there are none.
func projectGraphs(t *testing.T, dirs ...string) []string {
	t.Helper()
	var paths []string
	for _, dir := range dirs {
		p, err := filepath.Glob(filepath.Join("testdata", dir, "*", "model.pb"))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p...)
	}
	if len(paths) == 0 {
		t.Skip("no graphs under testdata")
	}
	return paths
}
