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
// failed). The library does read NVIDIA_TF32_OVERRIDE, so a strict engine
// also sets it to 0, before the first engine is deserialized. That is one
// setting for the whole process: an engine of the other mode is then
// refused, with an error saying so. A value the user set is left alone.
var fp32Math struct {
	sync.Mutex
	fixed bool
	tf32  bool
}

// useFP32Math fixes (or checks) the process's FP32 mode for an engine.
func useFP32Math(tf32 bool) error {
	m := &fp32Math
	m.Lock()
	defer m.Unlock()
	if !m.fixed {
		m.fixed = true
		if v, set := os.LookupEnv(tf32Env); set {
			m.tf32 = v != "0"
			return nil // the user's choice
		}
		m.tf32 = tf32
		if !tf32 {
			return os.Setenv(tf32Env, "0")
		}
		return nil
	}
	if m.tf32 != tf32 {
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
