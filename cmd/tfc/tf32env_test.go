package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWantsTF32: -tf32 in its forms, and run -engine of a plan whose
// sidecar says tf32, ask for TF32; everything else is strict.
func TestWantsTF32(t *testing.T) {
	dir := t.TempDir()
	tf32Plan, strictPlan := filepath.Join(dir, "t.plan"), filepath.Join(dir, "s.plan")
	os.WriteFile(tf32Plan+".json", []byte(`{"fp32_math": "tf32"}`), 0o644)
	os.WriteFile(strictPlan+".json", []byte(`{"fp32_math": "fp32"}`), 0o644)
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"verify", "-backend=trt", "-tf32", "m.pb"}, true},
		{[]string{"verify", "--tf32=true", "m.pb"}, true},
		{[]string{"verify", "-tf32=false", "m.pb"}, false},
		{[]string{"verify", "-backend=trt", "m.pb"}, false},
		{[]string{"run", "-engine", tf32Plan}, true},
		{[]string{"run", "-engine=" + tf32Plan}, true},
		{[]string{"run", "-engine", strictPlan}, false},
		{[]string{"run", "-engine", filepath.Join(dir, "none.plan")}, false},
	} {
		if got := wantsTF32(c.args); got != c.want {
			t.Errorf("wantsTF32(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}
