package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const savedModels = "../../testdata/savedmodels"

// TestFreeze freezes every SavedModel and checkpoint form to .pb and
// .pbtxt and checks the frozen graphs against TensorFlow's outputs with
// tfc verify; then it runs compile, check and verify on the models
// directly.
func TestFreeze(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		model, caseDir string
		flags          []string
	}{
		{"keras_cnn/model", "keras_cnn/serving_default", nil},
		{"module_two_sigs/model", "module_two_sigs/serving_default", nil},
		{"module_two_sigs/model", "module_two_sigs/second", []string{"-signature", "second"}},
		{"module_two_sigs/model", "module_two_sigs/lookup", []string{"-signature", "lookup"}},
		{"tf1_builder/model", "tf1_builder/logits", []string{"-signature", "logits", "-tags", "serve"}},
		{"tf1_checkpoint/ckpt/model", "tf1_checkpoint/default", []string{"-outputs", "output:0"}},
		{"tf1_checkpoint/ckpt/model.meta", "tf1_checkpoint/default", []string{"-outputs", "output"}},
	} {
		for _, ext := range []string{".pb", ".pbtxt"} {
			name := strings.ReplaceAll(tc.caseDir, "/", "_") + ext
			t.Run(name, func(t *testing.T) {
				out := filepath.Join(dir, name)
				args := append(append([]string{"freeze"}, tc.flags...), "-o", out, filepath.Join(savedModels, tc.model))
				code, stdout, stderr := runTFC(t, nil, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if !strings.HasPrefix(stdout, "wrote "+out+": ") {
					t.Errorf("stdout %q", stdout)
				}
				data, _ := os.ReadFile(out)
				if isText := strings.HasPrefix(string(data), "node {"); isText != (ext == ".pbtxt") {
					t.Errorf("%s: text format %v", out, isText)
				}
				code, stdout, stderr = runTFC(t, nil, "verify", "-tf-outputs", filepath.Join(savedModels, tc.caseDir), out)
				if code != 0 || !strings.Contains(stdout, "1/1 cases match TensorFlow") {
					t.Errorf("verify frozen graph: exit %d\n%s%s", code, stdout, stderr)
				}
			})
		}
	}

	model := filepath.Join(savedModels, "module_two_sigs/model")
	code, stdout, stderr := runTFC(t, nil, "compile", "-emit=ir", "-signature", "second", model)
	if code != 0 || !strings.Contains(stdout, `return "s:0" = `) {
		t.Errorf("compile a SavedModel: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runTFC(t, nil, "check", "-signature", "second", model)
	if code != 0 || !strings.Contains(stdout, "Unpack") || !strings.Contains(stdout, "OK: every op is supported") {
		t.Errorf("check a SavedModel: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runTFC(t, nil, "verify", "-tf-outputs", filepath.Join(savedModels, "keras_cnn/serving_default"), filepath.Join(savedModels, "keras_cnn/model"))
	if code != 0 || !strings.Contains(stdout, "1/1 cases match TensorFlow") {
		t.Errorf("verify a SavedModel: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runTFC(t, nil, "run", "-o", filepath.Join(dir, "run"), "-outputs", "output:0", filepath.Join(savedModels, "tf1_checkpoint/ckpt/model"))
	if code != 0 || !strings.Contains(stdout, "output:0: f32[2,3]") {
		t.Errorf("run a checkpoint: exit %d\n%s%s", code, stdout, stderr)
	}

	// -o - writes the binary graph to standard output and the summary to
	// standard error.
	code, stdout, stderr = runTFC(t, nil, "freeze", "-o", "-", model)
	if code != 0 || !strings.Contains(stdout, "Placeholder") || !strings.HasPrefix(stderr, "wrote -: ") {
		t.Errorf("freeze -o -: exit %d, stderr %q", code, stderr)
	}
}

// TestFreezeBadInputs: each broken model is one error line naming the
// file and what is wrong, exit 1, and nothing written.
func TestFreezeBadInputs(t *testing.T) {
	dir := t.TempDir()
	copyTree := func(src string) string {
		dst := filepath.Join(t.TempDir(), filepath.Base(src))
		filepath.Walk(src, func(p string, info os.FileInfo, err error) error {
			rel, _ := filepath.Rel(src, p)
			if info.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, _ := os.ReadFile(p)
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		return dst
	}
	module := filepath.Join(savedModels, "module_two_sigs/model")

	flipped := copyTree(module)
	data, _ := os.ReadFile(filepath.Join(flipped, "variables/variables.data-00000-of-00001"))
	data[20] ^= 1
	os.WriteFile(filepath.Join(flipped, "variables/variables.data-00000-of-00001"), data, 0o644)
	noShard := copyTree(filepath.Join(savedModels, "tf1_checkpoint/ckpt"))
	os.Remove(filepath.Join(noShard, "model.data-00000-of-00002"))
	extra := copyTree(module)
	os.WriteFile(filepath.Join(extra, "variables/variables.data-00001-of-00002"), nil, 0o644)
	truncated := copyTree(module)
	data, _ = os.ReadFile(filepath.Join(truncated, "variables/variables.index"))
	os.WriteFile(filepath.Join(truncated, "variables/variables.index"), data[:len(data)-10], 0o644)

	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"unknown signature", []string{"-signature", "nope", module}, []string{"saved_model.pb: ", `no signature "nope" (available: "lookup", "second", "serving_default")`}},
		{"flipped byte", []string{flipped}, []string{"variables.data-00000-of-00001: ", "checksum mismatch"}},
		{"missing shard", []string{"-outputs", "output:0", filepath.Join(noShard, "model")}, []string{"model.data-00000-of-00002: missing"}},
		{"extra shard", []string{extra}, []string{"variables.data-00001-of-00002: unexpected data shard"}},
		{"truncated index", []string{truncated}, []string{"variables.index: ", "bad table magic"}},
		{"checkpoint without outputs", []string{filepath.Join(savedModels, "tf1_checkpoint/ckpt/model")}, []string{"model.meta: ", "no signatures; give the outputs"}},
		{"not a model", []string{filepath.Join(models, "mobilenetv2/model.pb")}, []string{"model.pb: not a SavedModel directory"}},
		{"no such model", []string{filepath.Join(dir, "nope")}, []string{"nope: no such file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "_")+".pb")
			args := append([]string{"freeze", "-o", out}, tc.args...)
			code, stdout, stderr := runTFC(t, nil, args...)
			if code != 1 {
				t.Errorf("exit %d, want 1; stdout %q", code, stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 {
				t.Errorf("want one error line, got:\n%s", stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("error %q does not say %q", stderr, w)
				}
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if code, _, _ := runTFC(t, nil, "freeze", module); code != 2 {
		t.Errorf("freeze without -o: exit %d, want 2", code)
	}
}

func TestInspect(t *testing.T) {
	code, stdout, stderr := runTFC(t, nil, "inspect", "-variables", "-checksums", filepath.Join(savedModels, "module_two_sigs/model"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"SavedModel", "[serve] (selected)",
		`signature_def["second"]:`, `inputs["a"]`, "f32", "[2,3]", "tensor second_a:0", `outputs["t"]`, "[2]",
		`signature_def["serving_default"]:`, "[?,3]", "frozen: 20 nodes, 2 variables, 96 B of weights",
		"variables restored by the saver: 4 (280 B)", "5 tensors in 1 shard",
		`signature_def["lookup"]:`, `inputs["ids"]`, "i32", "frozen: 10 nodes, 1 variable, 160 B of weights",
		`w (VarHandleOp) <- "w/.ATTRIBUTES/VARIABLE_VALUE"  f32 [3,6]`,
		"checksums: every checkpoint tensor matches its CRC32C",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("inspect output lacks %q:\n%s", want, stdout)
		}
	}
	code, stdout, _ = runTFC(t, nil, "inspect", filepath.Join(savedModels, "tf1_checkpoint/ckpt/model.index"))
	if code != 0 || !strings.Contains(stdout, "TF1 checkpoint") || !strings.Contains(stdout, "4 tensors in 2 shards") || !strings.Contains(stdout, "no signatures") {
		t.Errorf("inspect checkpoint: exit %d\n%s", code, stdout)
	}
	code, _, stderr = runTFC(t, nil, "inspect", "-tags", "gpu", filepath.Join(savedModels, "tf1_builder/model"))
	if code != 1 || !strings.Contains(stderr, `no meta graph tagged "gpu" (available tag sets: "serve", "train")`) {
		t.Errorf("inspect -tags gpu: exit %d, %q", code, stderr)
	}
}
