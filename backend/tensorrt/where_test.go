//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
)

// TestWhereEngines builds an engine for every TensorFlow case of Where on a
// run-time input (testdata/cases/where_runtime_*, where_boolean_mask*,
// where_gather_nd_sum: INonZeroLayer). TensorRT-RTX declares the layer but
// its builder has no implementation of it, so there AddNonZero must refuse
// it with that reason; TensorRT 10/11 build it.
func TestWhereEngines(t *testing.T) {
	needLibrary(t)
	var cases []string
	for _, pat := range []string{"where_runtime_*", "where_boolean_mask*", "where_gather_nd_sum"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "testdata", "cases", pat))
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, m...)
	}
	if len(cases) < 6 {
		t.Fatalf("found %d Where cases, want at least 6", len(cases))
	}
	for _, dir := range cases {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			f, err := tfc.Load(filepath.Join(dir, "model.pb"), tfc.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			rec := trt.NewRecorder()
			if err := lower.Lower(f, rec); err != nil {
				t.Fatal(err)
			}
			plan, err := OptimizeDescription(rec.Description(), testOptions(t))
			if isRTX {
				if err == nil || !strings.Contains(err.Error(), "TensorRT-RTX has no implementation of INonZeroLayer") {
					t.Fatalf("TensorRT-RTX build: %v, want AddNonZero's refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d-byte plan", len(plan))
			checkEngineIO(t, plan, rec.Description())
		})
	}
}
