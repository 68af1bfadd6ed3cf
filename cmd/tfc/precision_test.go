package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor/npy"
)

// TestPrecisionFlags: -precision on compile (-emit=ir, network, go), run
// and verify; bad values are usage errors.
func TestPrecisionFlags(t *testing.T) {
	model := filepath.Join(models, "encoder", "model.pb")
	code, stdout, stderr := runTFC(t, nil, "verify", "-backend=trt-ref", "-precision", "fp16", model)
	if code != 0 || !strings.Contains(stdout, "precision fp16") || !strings.Contains(stdout, "vs tfc fp32") {
		t.Errorf("verify -precision fp16: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runTFC(t, nil, "compile", "-emit=network", "-precision", "bf16", model)
	if code != 0 || !strings.Contains(stdout, "kBF16") || !strings.Contains(stdout, `SoftMax "encoder_1/layer0_attention_1/Softmax" (%`) {
		t.Errorf("compile -emit=network -precision bf16: exit %d\n%.2000s%s", code, stdout, stderr)
	}
	// The softmax stays kFLOAT under the default rule, and not with !softmax.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "SoftMax") && !strings.HasSuffix(strings.Fields(strings.SplitN(line, "->", 2)[1])[2], "kFLOAT") {
			t.Errorf("softmax not kept in f32: %s", line)
		}
	}
	code, stdout, _ = runTFC(t, nil, "compile", "-emit=network", "-precision", "fp16", "-keep-fp32", "!softmax", model)
	if code != 0 || strings.Contains(stdout, "SoftMax") && !strings.Contains(stdout, "] kHALF  axes") {
		t.Errorf("-keep-fp32 !softmax: exit %d\n%.3000s", code, stdout)
	}
	code, stdout, _ = runTFC(t, nil, "compile", "-emit=ir", "-precision", "fp16", "-io-precision", "fp16", model)
	if code != 0 || !strings.Contains(stdout, `input {name="x:0"} : f16[`) {
		t.Errorf("-io-precision fp16: exit %d\n%.500s", code, stdout)
	}
	dir := t.TempDir()
	if code, _, stderr = runTFC(t, nil, "compile", "-emit=go", "-precision", "fp16", "-o", filepath.Join(dir, "b.go"), model); code != 0 {
		t.Fatalf("-emit=go -precision fp16: exit %d: %s", code, stderr)
	}
	if src, _ := os.ReadFile(filepath.Join(dir, "b.go")); !strings.Contains(string(src), "trt.Half") {
		t.Errorf("generated builder has no kHALF tensor")
	}
	if code, stdout, stderr = runTFC(t, nil, "run", "-backend=trt-ref", "-precision", "bf16", model); code != 0 || !strings.Contains(stdout, "Identity:0: f32[") {
		t.Errorf("run -precision bf16: exit %d %s %s", code, stdout, stderr)
	}
	for _, args := range [][]string{
		{"compile", "-precision", "fp8", model},
		{"compile", "-precision", "fp16", "-io-precision", "bf16", model},
		{"compile", "-keep-fp32", "softmax", model},
		{"compile", "-precision", "fp16", "-keep-fp32", "[", model},
		{"compile", "-precision", "fp16", "-passes", "shapes,fold", model},
	} {
		if code, _, stderr := runTFC(t, nil, args...); code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, want an error", args, code)
		}
	}
}

// TestCalibrate: tfc calibrate writes ranges for every conv and matmul of
// resnet_small from sample inputs; verify -calibration runs the INT8
// network (Q/DQ layers on trt-ref) within a few steps of TensorFlow; a
// ranges file naming an unknown op is an error.
func TestCalibrate(t *testing.T) {
	model := filepath.Join(models, "resnet_small", "model.pb")
	dir := t.TempDir()
	x, err := npy.ReadFile(filepath.Join(models, "resnet_small", "input_0.npy"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		y := x.Clone()
		for j := range y.F32 {
			y.F32[j] *= float32(i+1) / 2
		}
		if err := npy.WriteFile(filepath.Join(dir, fmt.Sprintf("s%d.npy", i)), y); err != nil {
			t.Fatal(err)
		}
	}
	ranges := filepath.Join(dir, "ranges.json")
	for _, method := range []string{"max", "percentile", "entropy"} {
		code, _, stderr := runTFC(t, nil, "calibrate", "-data", dir, "-method", method, "-o", ranges, model)
		if code != 0 || !strings.Contains(stderr, "23 ranges from 3 samples") {
			t.Fatalf("calibrate -method %s: exit %d: %s", method, code, stderr)
		}
	}
	code, stdout, stderr := runTFC(t, nil, "verify", "-backend=trt-ref", "-calibration", ranges, "-rtol", "0.5", "-atol", "0.5", model)
	if code != 0 || !strings.Contains(stdout, "int8") {
		t.Errorf("verify -calibration: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, _ = runTFC(t, nil, "compile", "-emit=network", "-calibration", ranges, model)
	if code != 0 || !strings.Contains(stdout, "Quantize") || !strings.Contains(stdout, "kINT8") {
		t.Errorf("compile -emit=network -calibration: exit %d, no kINT8 Quantize layer", code)
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"ranges": {"no/such/conv": 1}}`), 0o644)
	if code, _, stderr := runTFC(t, nil, "compile", "-calibration", bad, model); code == 0 || !strings.Contains(stderr, "no/such/conv") {
		t.Errorf("an unknown op in the ranges: exit %d, %s", code, stderr)
	}
	if code, _, _ := runTFC(t, nil, "calibrate", "-data", dir, "-method", "kl", "-o", ranges, model); code == 0 {
		t.Error("an unknown method was accepted")
	}
}
