//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"path/filepath"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
)

// TestMarkAllEngines: networks with every layer output marked
// (trt.MarkAll, verify -mark-all) build, with their outputs as the
// description lists them: the static NMS lowering (0/1 masks, bool
// comparisons, int32 picks), a convolution, and a loop (whose inside
// stays unmarked).
func TestMarkAllEngines(t *testing.T) {
	needLibrary(t)
	for _, c := range []string{"cases/nms_v4_equal_scores", "cases/conv2d_nchw_bias_relu", "control/control_while_rnn"} {
		t.Run(filepath.Base(c), func(t *testing.T) {
			f, err := tfc.Load(filepath.Join("..", "..", "testdata", c, "model.pb"), tfc.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			d, err := tfc.Lower(f)
			if err != nil {
				t.Fatal(err)
			}
			m := trt.MarkAll(d)
			if len(m.Outputs) <= len(d.Outputs) {
				t.Fatalf("MarkAll marked %d tensors, the network has %d outputs", len(m.Outputs), len(d.Outputs))
			}
			plan, err := OptimizeDescription(m, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			checkEngineIO(t, plan, m)
		})
	}
}
