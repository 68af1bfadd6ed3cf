package main

import (
	"encoding/json"
	"os"
	"strings"
	"syscall"
)

// tf32Env is the variable through which NVIDIA's libraries let a process
// forbid TF32 ("0").
const tf32Env = "NVIDIA_TF32_OVERRIDE"

// strictFP32Env makes TensorRT engines strict FP32 by default: when tfc is
// built with TensorRT, NVIDIA_TF32_OVERRIDE is unset and the command asks
// for no TF32 (-tf32 or -tf32x3, or run -engine of a plan whose sidecar
// says tf32 or tf32x3), tfc runs itself again with
// NVIDIA_TF32_OVERRIDE=0. -tf32x3 needs TF32: its networks are FP32
// accurate because the products run on TF32 tensor cores as three.
//
// Setting the variable from inside the process is not enough: on the H200,
// TensorRT-RTX kept using TF32 when tfc set it before building (the library
// had read it already), and only a process started with it ran strict FP32
// (the TensorFlow cases then match). backend/tensorrt still sets it itself,
// for programs that use the package directly before any TensorRT call.
func strictFP32Env(args []string) {
	if !tensorrtBuilt {
		return
	}
	if _, set := os.LookupEnv(tf32Env); set || wantsTF32(args) {
		return
	}
	exe, err := os.Executable()
	if err != nil {
		return // run as we are: the package sets the variable as early as it can
	}
	env := append(os.Environ(), tf32Env+"=0")
	_ = syscall.Exec(exe, append([]string{os.Args[0]}, args...), env) // returns only on failure
}

// wantsTF32 reports whether the command line asks for engines with TF32
// allowed (-tf32, -tf32x3).
func wantsTF32(args []string) bool {
	for i, a := range args {
		name, val, hasVal := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") {
			continue
		}
		switch name {
		case "tf32", "tf32x3":
			if !hasVal || val == "true" || val == "1" {
				return true
			}
		case "engine":
			if !hasVal && i+1 < len(args) {
				val = args[i+1]
			}
			var side struct {
				FP32Math string `json:"fp32_math"`
			}
			if b, err := os.ReadFile(val + ".json"); err == nil && json.Unmarshal(b, &side) == nil && (side.FP32Math == "tf32" || side.FP32Math == "tf32x3") {
				return true
			}
		}
	}
	return false
}
