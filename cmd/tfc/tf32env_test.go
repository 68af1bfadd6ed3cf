package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWantsTF32: -tf32 and -tf32x3 in their forms, and run -engine of a
// plan whose sidecar says tf32 or tf32x3, ask for TF32; everything else
// is strict.
func TestWantsTF32(t *testing.T) {
	dir := t.TempDir()
	tf32Plan, strictPlan := filepath.Join(dir, "t.plan"), filepath.Join(dir, "s.plan")
	x3Plan := filepath.Join(dir, "x3.plan")
	os.WriteFile(tf32Plan+".json", []byte(`{"fp32_math": "tf32"}`), 0o644)
	os.WriteFile(x3Plan+".json", []byte(`{"fp32_math": "tf32x3"}`), 0o644)
	os.WriteFile(strictPlan+".json", []byte(`{"fp32_math": "fp32"}`), 0o644)
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"verify", "-backend=trt", "-tf32", "m.pb"}, true},
		{[]string{"verify", "--tf32=true", "m.pb"}, true},
		{[]string{"verify", "-tf32=false", "m.pb"}, false},
		{[]string{"verify", "-backend=trt", "m.pb"}, false},
		{[]string{"verify", "-backend=trt", "-tf32x3", "m.pb"}, true},
		{[]string{"compile", "-emit=engine", "--tf32x3=1", "m.pb"}, true},
		{[]string{"verify", "-tf32x3=false", "m.pb"}, false},
		{[]string{"run", "-engine", x3Plan}, true},
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
