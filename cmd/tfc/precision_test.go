package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
	} {
		if code, _, stderr := runTFC(t, nil, args...); code == 0 || stderr == "" {
			t.Errorf("%v: exit %d, want an error", args, code)
		}
	}
}
