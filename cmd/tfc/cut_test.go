package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// TestInputNames checks that -inputs, -input and -outputs name real
// tensors: an unknown name is an error with close matches, a shape that
// contradicts the graph's fixed dimensions is an error, and any other
// tensor cuts the graph.
func TestInputNames(t *testing.T) {
	model := filepath.Join(models, "resnet_small", "model.pb")
	dir := t.TempDir()
	wrong := filepath.Join(dir, "wrong.npy")
	if err := npy.WriteFile(wrong, tensor.MustNew(tensor.Float32, tensor.Shape{1, 32, 32, 3})); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compile", "-emit=ir", "-inputs", "nosuch:0[1]", model}, `input "nosuch:0": the graph has no node named "nosuch"`},
		{[]string{"compile", "-emit=ir", "-outputs", "Identty:0", model}, `close matches: "Identity"`},
		{[]string{"compile", "-emit=ir", "-inputs", "x:0[2,64,64,3]", model}, "dimension 0 is fixed at 1"},
		{[]string{"run", "-input", "x:0=" + wrong, model}, "dimension 1 is fixed at 64"},
	} {
		code, _, stderr := runTFC(t, nil, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("tfc %s: exit %d, stderr %q, want %q", strings.Join(tc.args, " "), code, stderr, tc.want)
		}
	}
}

func TestInspectFrozenGraph(t *testing.T) {
	code, stdout, stderr := runTFC(t, nil, "inspect", filepath.Join(models, "resnet_small", "model.pb"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"frozen graph", "inputs", "x:0  f32  [1,64,64,3]  Placeholder", "outputs", "Identity:0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
}

// TestIteratorGraph lists a tf.data iterator's outputs with inspect and
// runs the graph cut there from an .npy file.
func TestIteratorGraph(t *testing.T) {
	model := "../../testdata/cases/iterator_two_components/model.pb"
	code, stdout, stderr := runTFC(t, nil, "inspect", model)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"IteratorGetNext:0", "IteratorGetNext:1", "i32", "[2,2]"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, stderr = runTFC(t, nil, "run", "-backend=trt-ref",
		"-input", "IteratorGetNext:0=../../testdata/cases/iterator_two_components/input_0.npy",
		"-input", "IteratorGetNext:1=../../testdata/cases/iterator_two_components/input_1.npy", model)
	if code != 0 || !strings.Contains(stdout, "Identity:0: f32[2,5]") {
		t.Fatalf("run: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = runTFC(t, nil, "check", model)
	if code == 0 || !strings.Contains(stderr, "tf.data iterator") {
		t.Errorf("check without a cut: exit %d, stderr %q", code, stderr)
	}
}
