//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
)

// TestControlFlowEngines builds a real engine for every TensorFlow
// control-flow case (testdata/control: TensorRT loops and conditionals),
// directly and replayed from the recorded Description.
func TestControlFlowEngines(t *testing.T) {
	needLibrary(t)
	dirs, err := os.ReadDir(filepath.Join("..", "..", "testdata", "control"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range dirs {
		if !e.IsDir() {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			f, err := tfc.Load(filepath.Join("..", "..", "testdata", "control", e.Name(), "model.pb"), tfc.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			plan, err := Optimize(func(net trt.Network) error { return lower.Lower(f, net) }, testOptions(t))
			if isRTX && strings.HasSuffix(e.Name(), "_where") {
				// A Where in the body: INonZeroLayer, which TensorRT-RTX cannot build.
				if err == nil || !strings.Contains(err.Error(), "TensorRT-RTX has no implementation of INonZeroLayer") {
					t.Fatalf("TensorRT-RTX build: %v, want AddNonZero's refusal", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rec := trt.NewRecorder()
			if err := lower.Lower(f, rec); err != nil {
				t.Fatal(err)
			}
			plan2, err := OptimizeDescription(rec.Description(), testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d-byte plan, replayed %d bytes", len(plan), len(plan2))
			checkEngineIO(t, plan, rec.Description())
		})
	}
	if n == 0 {
		t.Fatal("no control-flow cases")
	}
}
