//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"os"
	"strings"
	"testing"
)

// TestFP32MathProcessWide: the first engine fixes the process's FP32 mode
// (strict sets NVIDIA_TF32_OVERRIDE=0), an engine of the other mode is
// refused, and a value the user set is left alone.
func TestFP32MathProcessWide(t *testing.T) {
	old, had := os.LookupEnv(tf32Env)
	defer func() {
		if had {
			os.Setenv(tf32Env, old)
		} else {
			os.Unsetenv(tf32Env)
		}
		fp32Math.fixed, fp32Math.tf32, fp32Math.user = false, false, false
	}()

	os.Unsetenv(tf32Env)
	fp32Math.fixed, fp32Math.user = false, false
	if err := useFP32Math(false); err != nil {
		t.Fatal(err)
	}
	if v := os.Getenv(tf32Env); v != "0" {
		t.Errorf("strict engine: %s=%q, want 0", tf32Env, v)
	}
	if err := useFP32Math(false); err != nil {
		t.Errorf("second strict engine: %v", err)
	}
	if err := useFP32Math(true); err == nil || !strings.Contains(err.Error(), "another process") {
		t.Errorf("TF32 engine after a strict one: %v, want a refusal", err)
	}

	os.Setenv(tf32Env, "1")
	fp32Math.fixed, fp32Math.user = false, false
	if err := useFP32Math(false); err != nil {
		t.Fatal(err)
	}
	if v := os.Getenv(tf32Env); v != "1" {
		t.Errorf("the user's %s=1 became %q", tf32Env, v)
	}
	if err := useFP32Math(true); err != nil {
		t.Errorf("TF32 engine where the user set %s: %v", tf32Env, err)
	}
	if err := useFP32Math(false); err != nil {
		t.Errorf("strict engine where the user set %s: %v", tf32Env, err)
	}
}

// TestBuildTF32: a strict build sets the process's mode, and a TF32 build
// in the same process is then refused (and the other way round).
func TestBuildTF32(t *testing.T) {
	needLibrary(t)
	old, had := os.LookupEnv(tf32Env)
	defer func() {
		if had {
			os.Setenv(tf32Env, old)
		} else {
			os.Unsetenv(tf32Env)
		}
		fp32Math.fixed, fp32Math.tf32, fp32Math.user = false, false, false
	}()
	for _, first := range []bool{false, true} {
		os.Unsetenv(tf32Env)
		fp32Math.fixed, fp32Math.user = false, false
		opts := testOptions(t)
		opts.TF32 = first
		if _, err := Optimize(tinyNetwork, opts); err != nil {
			t.Fatalf("TF32=%v: %v", first, err)
		}
		opts.TF32 = !first
		if _, err := Optimize(tinyNetwork, opts); err == nil || !strings.Contains(err.Error(), "another process") {
			t.Errorf("TF32=%v after TF32=%v: %v, want a refusal", !first, first, err)
		}
		want := map[bool]string{false: FP32MathStrict, true: FP32MathTF32}[first]
		if got := FP32MathOf(BuildOptions{TF32: first}); got != want {
			t.Errorf("FP32MathOf(TF32=%v) = %q, want %q", first, got, want)
		}
	}
}

// TestParallelCopy: large copies split across cores give the same bytes.
func TestParallelCopy(t *testing.T) {
	for _, n := range []int{0, 7, 1 << 20, 5<<20 + 13} {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(i*7 + i>>11)
		}
		dst := make([]byte, n)
		parallelCopy(dst, src)
		for i := range src {
			if dst[i] != src[i] {
				t.Fatalf("n=%d: byte %d is %d, want %d", n, i, dst[i], src[i])
			}
		}
	}
}
