package main

import (
	"fmt"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// backends are the ways tfc can run a model on this machine.
var backends = map[string]string{
	"interp":  "the IR reference interpreter, on the IR as imported",
	"trt-ref": "the TensorRT network tfc builds (after the pass pipeline), run by the CPU reference executor that follows TensorRT's layer semantics",
	"trt":     "a TensorRT engine built for the GPU present (needs -tags tensorrt_rtx and an NVIDIA GPU)",
}

const backendUsage = "`backend`: interp (the IR interpreter) or trt-ref (the TensorRT network on the CPU reference executor)"

// prepare returns a function running f on the named backend. Outputs come
// in f.Outputs order. cfg configures the passes; with a reduced
// cfg.Precision the interp backend runs the precision pass alone (the IR
// as imported, computed in that precision), with cfg.Calibration the
// whole pipeline (the ranges name the optimised function's ops).
func prepare(backend string, f *ir.Func, cfg passes.Config, profiles []ir.Profile) (func(map[string]*tensor.Tensor) ([]*tensor.Tensor, error), error) {
	switch backend {
	case "interp":
		if cfg.Calibration != nil {
			if _, err := tfc.Optimize(f, passes.Options{Config: cfg}); err != nil {
				return nil, err
			}
		} else if cfg.Precision != tensor.Invalid && cfg.Precision != tensor.Float32 {
			if _, err := tfc.Optimize(f, passes.Options{Config: cfg, Passes: []string{"precision"}}); err != nil {
				return nil, err
			}
		}
		return func(in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) { return interp.Run(f, in) }, nil
	case "trt-ref":
		if _, err := tfc.Optimize(f, passes.Options{Config: cfg}); err != nil {
			return nil, err
		}
		d, err := tfc.LowerWith(f, lowerOptions(), profiles...)
		if err != nil {
			return nil, err
		}
		// Prepared once for every run; a Description that does not
		// prepare fails in each run as exec.Run does. -tf32 and -tf32x3
		// round the products' inputs to TF32, as the engine's may.
		prog, perr := exec.PrepareConfig(d, exec.Config{TF32: engineAllowsTF32()})
		return func(in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
			if perr != nil {
				return exec.Run(d, in) // fails, with the run's own message
			}
			return prog.Run(in)
		}, nil
	case "trt":
		if !tensorrt.Available() {
			return nil, tensorrt.ErrNotBuilt
		}
		if _, err := tfc.Optimize(f, passes.Options{Config: cfg}); err != nil {
			return nil, err
		}
		d, err := tfc.LowerWith(f, lowerOptions(), profiles...)
		if err != nil {
			return nil, err
		}
		plan, err := tensorrt.OptimizeDescription(d, tensorrt.BuildOptions{TF32: engineAllowsTF32()})
		if err != nil {
			return nil, err
		}
		load := tensorrt.LoadPlan // strict FP32 unless -tf32 or -tf32x3
		if engineAllowsTF32() {
			load = tensorrt.LoadPlanTF32
		}
		e, err := load(plan)
		if err != nil {
			return nil, err
		}
		return e.InferTensors, nil
	}
	return nil, &exitError{code: 2, msg: fmt.Sprintf("unknown -backend=%s (want interp, trt-ref or trt)", backend)}
}
