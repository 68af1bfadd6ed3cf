package tfc_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
)

// TestLoadSavedModel loads SavedModels and a checkpoint directly (frozen
// in memory) and runs them against TensorFlow's outputs.
func TestLoadSavedModel(t *testing.T) {
	for _, tc := range []struct {
		model, caseDir, signature string
		byName                    bool // outputs given by tensor name (a checkpoint)
	}{
		{"keras_cnn/model", "keras_cnn/serving_default", "", false},
		{"keras_cnn/model/saved_model.pb", "keras_cnn/serving_default", "serving_default", false},
		{"module_two_sigs/model", "module_two_sigs/second", "second", false},
		{"tf1_builder/model", "tf1_builder/logits", "logits", false},
		{"tf1_checkpoint/ckpt/model", "tf1_checkpoint/default", "", true},
		{"tf1_checkpoint/ckpt/model.index", "tf1_checkpoint/default", "", true},
	} {
		t.Run(tc.model, func(t *testing.T) {
			root := "testdata/savedmodels"
			c, err := golden.Load(filepath.Join(root, tc.caseDir))
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(root, tc.model)
			if !tfc.IsSavedModel(path) {
				t.Fatalf("IsSavedModel(%s) = false", path)
			}
			opts := tfc.LoadOptions{Signature: tc.signature, InputShapes: c.InputShapes()}
			if tc.byName {
				opts.Outputs = c.OutputNames()
			}
			f, err := tfc.Load(path, opts)
			if err != nil {
				t.Fatal(err)
			}
			var outs []string
			for _, o := range f.Outputs {
				outs = append(outs, o.Name)
			}
			if strings.Join(outs, ",") != strings.Join(c.OutputNames(), ",") {
				t.Fatalf("outputs %q, want %q", outs, c.OutputNames())
			}
			in, _ := c.ReadInputs()
			want, _ := c.ReadOutputs()
			got, err := interp.Run(f, in)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				rtol, atol := c.Tolerance(i)
				if d, err := golden.Compare(got[i], want[i], rtol, atol); err != nil || d.Bad > 0 {
					t.Errorf("output %s: %v, %d bad", outs[i], err, d.Bad)
				}
			}
		})
	}
	if tfc.IsSavedModel("testdata/models/mobilenetv2/model.pb") || tfc.IsSavedModel("-") {
		t.Error("a frozen graph or stdin taken for a SavedModel")
	}
}
