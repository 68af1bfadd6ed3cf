package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

const models = "../../testdata/models"

// tfc runs the command in-process and returns its exit code and output.
func runTFC(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if stdin != nil {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		go func() { w.Write(stdin); w.Close() }()
		old := os.Stdin
		os.Stdin = r
		defer func() { os.Stdin = old }()
	}
	code = realMain(args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestBadInputs checks that each malformed input gives one clear error
// line naming what is wrong, a non-zero exit, and no output file.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	truncated := filepath.Join(dir, "truncated.pb")
	full, err := os.ReadFile(filepath.Join(models, "resnet_small", "model.pb"))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(truncated, full[:len(full)/3], 0o644)
	random := filepath.Join(dir, "random.pb")
	rnd := make([]byte, 4096)
	for i := range rnd {
		rnd[i] = byte(i*7919 + i/13)
	}
	os.WriteFile(random, rnd, 0o644)
	empty := filepath.Join(dir, "empty.pb")
	os.WriteFile(empty, nil, 0o644)

	tests := []struct {
		model string
		want  []string // substrings of the single error line
	}{
		{"../../testdata/bad/unsupported3.pb", []string{"3 unsupported TensorFlow ops", "ListDiff", "MatrixInverse", "MatrixDeterminant"}},
		{"../../testdata/bad/cycle.pbtxt", []string{"cycle", `"a"`, `"b"`}},
		{"../../testdata/bad/missing_input.pbtxt", []string{`node "add"`, "does_not_exist"}},
		{"../../testdata/bad/dup_names.pbtxt", []string{`"y"`, "duplicate node name"}},
		{"../../testdata/bad/bad_attr.pbtxt", []string{`node "conv" (Conv2D)`, `"strides"`, "want list(int), have string"}},
		{"../../testdata/bad/negative_dim.pbtxt", []string{"-5"}},
		{"../../testdata/bad/zero_channel_conv.pbtxt", []string{`node "conv" (Conv2D)`, "no channels"}},
		{truncated, []string{"truncated.pb"}},
		{random, []string{"random.pb"}},
		{empty, []string{"empty.pb", "empty"}},
		{filepath.Join(dir, "does-not-exist.pb"), []string{"does-not-exist.pb", "no such file"}},
	}
	for _, tc := range tests {
		t.Run(filepath.Base(tc.model), func(t *testing.T) {
			out := filepath.Join(dir, "out-"+filepath.Base(tc.model)+".tfir")
			code, stdout, stderr := runTFC(t, nil, "compile", "-emit=ir", "-o", out, tc.model)
			if code == 0 {
				t.Fatalf("exit 0; stdout %q", stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 {
				t.Errorf("want one error line, got %d:\n%s", len(lines), stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("error %q does not mention %q", stderr, w)
				}
			}
			if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
				t.Errorf("stack trace in output: %s", stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("output file %s was written", out)
			}
			// check says the same, with a non-zero exit.
			if code, _, _ := runTFC(t, nil, "check", tc.model); code == 0 {
				t.Errorf("check exits 0")
			}
		})
	}
}

// TestRoundTripThroughStdin: compile -emit=ir m.pb | compile -emit=ir - gives the same text.
func TestRoundTripThroughStdin(t *testing.T) {
	for _, m := range []string{"mobilenetv2", "resnet_small", "encoder"} {
		t.Run(m, func(t *testing.T) {
			model := filepath.Join(models, m, "model.pb")
			for _, flags := range [][]string{nil, {"-elide-consts"}} {
				args := append(append([]string{"compile", "-emit=ir"}, flags...), model)
				code, first, stderr := runTFC(t, nil, args...)
				if code != 0 {
					t.Fatalf("compile: exit %d: %s", code, stderr)
				}
				args = append(append([]string{"compile", "-emit=ir"}, flags...), "-")
				code, second, stderr := runTFC(t, []byte(first), args...)
				if code != 0 {
					t.Fatalf("compile -: exit %d: %s", code, stderr)
				}
				if first != second {
					t.Errorf("%v: text differs after a round trip through stdin", flags)
				}
			}
		})
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(models, "resnet_small", "model.pb")
	code, stdout, stderr := runTFC(t, nil, "run", "-o", dir, model)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Identity:0: f32[1,") || !strings.Contains(stdout, "mean=") {
		t.Errorf("unexpected summary %q", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "Identity_0.npy")); err != nil {
		t.Errorf("output not written: %v", err)
	}
	in := filepath.Join(dir, "input_x_0.npy")
	if _, err := os.Stat(in); err != nil {
		t.Fatalf("generated input not saved: %v", err)
	}
	// Running again on the saved input reproduces the output exactly.
	dir2 := t.TempDir()
	if code, _, stderr := runTFC(t, nil, "run", "-input", "x:0="+in, "-o", dir2, model); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "Identity_0.npy"))
	b, _ := os.ReadFile(filepath.Join(dir2, "Identity_0.npy"))
	if !bytes.Equal(a, b) {
		t.Error("same input, different output")
	}
}

func TestRunBadNpy(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(models, "resnet_small", "model.pb")
	bad := filepath.Join(dir, "bad.npy")
	if err := npy.WriteFile(bad, tensor.MustNew(tensor.Int32, tensor.Shape{1, 64, 64, 3})); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	code, _, stderr := runTFC(t, nil, "run", "-input", "x:0="+bad, "-o", out, model)
	if code == 0 || !strings.Contains(stderr, "x:0") || !strings.Contains(stderr, "i32") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "Identity_0.npy")); err == nil {
		t.Error("output written despite the error")
	}
	code, _, stderr = runTFC(t, nil, "run", "-input", "nope:0="+bad, model)
	if code == 0 || !strings.Contains(stderr, "nope:0") {
		t.Errorf("unknown input: exit %d, stderr %q", code, stderr)
	}
}

func TestOpsAndHelp(t *testing.T) {
	code, stdout, _ := runTFC(t, nil, "ops")
	if code != 0 || !strings.Contains(stdout, "Conv2D") {
		t.Errorf("ops: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runTFC(t, nil, "ops", "-markdown")
	if code != 0 || !strings.Contains(stdout, "\n| TensorFlow op | tfc IR |") || !strings.Contains(stdout, "| `RandomStandardNormal` | it draws") {
		t.Errorf("ops -markdown: exit %d", code)
	}
	code, stdout, _ = runTFC(t, nil, "ops", "-refused")
	if code != 0 || !strings.Contains(stdout, "FFT ") || !strings.Contains(stdout, "TensorFlow ops refused\n") {
		t.Errorf("ops -refused: exit %d, %q", code, stdout)
	}
	if code, _, _ = runTFC(t, nil, "ops", "-refused", "-markdown"); code != 2 {
		t.Errorf("ops -refused -markdown: exit %d, want 2", code)
	}
	if code, stdout, _ = runTFC(t, nil, "-h"); code != 0 || !strings.Contains(stdout, "compile") {
		t.Errorf("-h: exit %d", code)
	}
	for _, c := range []string{"compile", "run", "check", "verify", "ops", "passes"} {
		code, stdout, _ := runTFC(t, nil, c, "-h")
		if code != 0 || !strings.Contains(stdout, "Usage: tfc "+c) {
			t.Errorf("%s -h: exit %d, %q", c, code, stdout)
		}
	}
	if code, _, _ = runTFC(t, nil, "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestCheckAndVerify(t *testing.T) {
	code, stdout, stderr := runTFC(t, nil, "check", filepath.Join(models, "mobilenetv2", "model.pb"))
	if code != 0 || !strings.Contains(stdout, "OK") {
		t.Errorf("check: exit %d: %s %s", code, stdout, stderr)
	}
	code, stdout, stderr = runTFC(t, nil, "verify", models)
	if code != 0 || !strings.Contains(stdout, "3/3 cases match") {
		t.Errorf("verify: exit %d: %s %s", code, stdout, stderr)
	}
}

func TestBackendsAndEmit(t *testing.T) {
	model := filepath.Join(models, "mobilenetv2", "model.pb")
	code, stdout, stderr := runTFC(t, nil, "verify", "-backend=trt-ref", filepath.Join(models, "mobilenetv2"), filepath.Join(models, "encoder", "model.pb"))
	if code != 0 || !strings.Contains(stdout, "2/2 cases match TensorFlow (backend trt-ref)") || !strings.Contains(stdout, "max abs err") {
		t.Errorf("verify trt-ref: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr = runTFC(t, nil, "run", "-backend=trt-ref", model); code != 0 || !strings.Contains(stdout, "Identity:0: f32[1,10]") {
		t.Errorf("run trt-ref: exit %d %s %s", code, stdout, stderr)
	}
	if code, stdout, _ = runTFC(t, nil, "compile", "-emit=network", model); code != 0 || !strings.Contains(stdout, "Convolution") {
		t.Errorf("-emit=network: exit %d", code)
	}
	if code, stdout, _ = runTFC(t, nil, "compile", "-emit=network", "-format=json", model); code != 0 || !strings.HasPrefix(stdout, "{") {
		t.Errorf("-emit=network -format=json: exit %d", code)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "b.go")
	if code, _, stderr = runTFC(t, nil, "compile", "-emit=go", "-package", "mnet", "-o", out, model); code != 0 {
		t.Fatalf("-emit=go: exit %d: %s", code, stderr)
	}
	src, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(src), "// Code generated by tfc. DO NOT EDIT.") || !strings.Contains(string(src), "package mnet") {
		t.Errorf("unexpected generated code header:\n%.300s", src)
	}
	if _, err := os.Stat(filepath.Join(dir, "b.weights")); err != nil {
		t.Error(err)
	}
	// Without a TensorRT build tag, -emit=engine says how to get one.
	code, _, stderr = runTFC(t, nil, "compile", "-emit=engine", "-o", filepath.Join(dir, "m.plan"), model)
	if code == 0 && !strings.Contains(stderr, "wrote") {
		t.Errorf("-emit=engine: exit 0 without an engine: %s", stderr)
	}
	if code != 0 && !strings.Contains(stderr, "tensorrt_rtx") {
		t.Errorf("-emit=engine error does not say how to build with TensorRT: %s", stderr)
	}
}

// TestUsageErrors checks every command's answer to missing arguments and
// to an unknown flag: one "tfc CMD: ..." line and the hint, exit 2, no
// usage dump.
func TestUsageErrors(t *testing.T) {
	noArgs := map[string]bool{"ops": true, "passes": true, "version": true}
	for _, c := range commands {
		var calls [][]string
		calls = append(calls, []string{c.name, "-no-such-flag"})
		if !noArgs[c.name] {
			calls = append(calls, []string{c.name})
		}
		for _, args := range calls {
			code, stdout, stderr := runTFC(t, nil, args...)
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if code != 2 || stdout != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], "tfc "+c.name+": ") || lines[1] != `run "tfc help `+c.name+`" for usage` {
				t.Errorf("%v: exit %d, stdout %q, stderr:\n%s", args, code, stdout, stderr)
			}
		}
	}
}
