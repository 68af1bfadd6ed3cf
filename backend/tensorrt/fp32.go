//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"fmt"
	"os"
	"sync"
)

// tf32Env is the environment variable through which NVIDIA's libraries,
// TensorRT-RTX among them, let a process forbid TF32: "0" forbids it.
const tf32Env = "NVIDIA_TF32_OVERRIDE"

// fp32Math is the process's FP32 mode for running engines, fixed by the
// first engine loaded.
//
// Clearing BuilderFlag::kTF32 is not enough for TensorRT-RTX: it compiles
// its kernels just in time, on the GPU that runs them, and on the H200 an
// engine built with kTF32 cleared still ran its convolutions and matrix
// products with TF32's errors (about 1e-3 relative; 80 TensorFlow cases
// failed). The library follows NVIDIA_TF32_OVERRIDE=0 (then the cases
// match), and it records the variable's value when it builds a plan and
// refuses to make an execution context under another value ("Inconsistent
// setting of NVIDIA_TF32_OVERRIDE env var at build -1 and at execution 0").
// The final H200 run showed more: the library had read the variable before
// tfc set it, and kept using TF32; only a process started with
// NVIDIA_TF32_OVERRIDE=0 ran strict FP32. cmd/tfc therefore runs itself
// again with it (tf32env.go), and programs using this package must set it in
// their environment. What follows is the in-process part.
//
// So a strict build or load sets it to 0 first (a strict plan is built and
// run with 0, a TF32 plan with it unset), and that is one setting for the
// whole process: a build or engine of the other mode is then refused, with
// an error saying so. A value the user set is left alone and decides for
// every engine of the process.
var fp32Math struct {
	sync.Mutex
	fixed bool
	tf32  bool
	user  bool // the user set NVIDIA_TF32_OVERRIDE: it decides, for every engine
}

// useFP32Math fixes (or checks) the process's FP32 mode for an engine.
func useFP32Math(tf32 bool) error {
	m := &fp32Math
	m.Lock()
	defer m.Unlock()
	if !m.fixed {
		m.fixed = true
		if v, set := os.LookupEnv(tf32Env); set {
			m.tf32, m.user = v != "0", true
			return nil
		}
		m.tf32 = tf32
		if !tf32 {
			return os.Setenv(tf32Env, "0")
		}
		return nil
	}
	if m.tf32 != tf32 && !m.user {
		mode := func(t bool) string {
			if t {
				return "TF32"
			}
			return "strict FP32"
		}
		return fmt.Errorf("tensorrt: this process runs its engines in %s (%s=%q) and TensorRT-RTX reads that once for the process: run a %s engine in another process",
			mode(m.tf32), tf32Env, os.Getenv(tf32Env), mode(tf32))
	}
	return nil
}
