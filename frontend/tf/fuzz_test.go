package tf_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
)

// FuzzImport feeds arbitrary bytes through the GraphDef reader and the
// importer: it must never panic, and whatever it accepts must verify.
// Seeds: the malformed graphs in testdata/bad, a few small cases and
// control-flow cases (TF1 frames and conditionals, TensorLists, Case), plus
// the corpus in testdata/fuzz/FuzzImport.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/bad/*.pb*")
	for _, c := range []string{"binary_add", "conv2d_nhwc_same_s1", "reduce_sum_keepdims", "stridedslice_masks",
		"call_xla_nested", "cond_learning_phase_const_pred", "dropout_v1_keep_prob1", "scatter_nd_repeated", "maxpool_argmax_valid"} {
		seeds = append(seeds, "../../testdata/cases/"+c+"/model.pb")
	}
	for _, c := range []string{"control_tf1_while_tensorarray", "control_tf1_cond_in_while", "control_cond_lowered_nested",
		"control_map_fn", "control_case_1", "control_tf1_while_nested"} {
		seeds = append(seeds, "../../testdata/control/"+c+"/model.pb")
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := tfpb.ParseGraphDef(data, "fuzz.pb")
		if err != nil {
			return
		}
		fn, err := tf.Import(g, tf.Options{UnknownDim: 1})
		if err != nil {
			return
		}
		if err := ir.Verify(fn); err != nil {
			t.Fatalf("imported IR does not verify: %v", err)
		}
	})
}
