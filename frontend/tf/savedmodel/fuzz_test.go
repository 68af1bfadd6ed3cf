package savedmodel_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/tensor"
)

// FuzzSavedModel: any bytes as saved_model.pb, next to the variables of
// testdata's keras_cnn, open and freeze without a panic or a hang, and
// errors are one line.
func FuzzSavedModel(f *testing.F) {
	for _, m := range []string{"keras_cnn", "tf1_builder", "module_two_sigs"} {
		if data, err := os.ReadFile(filepath.Join(root, m, "model", "saved_model.pb")); err == nil {
			f.Add(data)
		}
	}
	vars, err := filepath.Abs(filepath.Join(root, "keras_cnn", "model", "variables"))
	if err != nil {
		f.Fatal(err)
	}
	defer tensor.SetMaxBytes(tensor.SetMaxBytes(64 << 20))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "saved_model.pb"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(vars, filepath.Join(dir, "variables")); err != nil {
			t.Fatal(err)
		}
		fr, err := savedmodel.Freeze(dir, savedmodel.Options{})
		if err != nil {
			if s := err.Error(); s == "" || strings.Contains(s, "\n") {
				t.Fatalf("error is not one line: %q", s)
			}
			return
		}
		if fr.Graph == nil {
			t.Fatal("no graph and no error")
		}
	})
}
