package main

import (
	"fmt"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt"
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
	run, _, err := prepareMarked(backend, f, cfg, profiles, nil)
	return run, err
}

// prepareMarked is prepare; with a mark (verify -mark-all, -mark), on
// trt-ref and trt, the network has the chosen layers' outputs marked as
// outputs too (trt.Mark), and the run returns them all, in the order of
// names: the producing layers' names (with ":i" for output i of a layer
// of several), which say where in the network a difference is (tfc
// compile -emit=network lists them).
func prepareMarked(backend string, f *ir.Func, cfg passes.Config, profiles []ir.Profile, mark *markSpec) (run func(map[string]*tensor.Tensor) ([]*tensor.Tensor, error), names []string, err error) {
	if mark != nil && backend == "interp" {
		return nil, nil, &exitError{code: 2, msg: "-mark-all and -mark compare TensorRT networks: the backends must be trt-ref and trt"}
	}
	var tensors []string // with a mark, the marked tensors' names
	lowered := func() (*trt.Description, error) {
		if _, err := tfc.Optimize(f, passes.Options{Config: cfg}); err != nil {
			return nil, err
		}
		d, err := tfc.LowerWith(f, lowerOptions(), profiles...)
		if err != nil {
			return nil, err
		}
		if mark != nil {
			if d, err = mark.apply(d); err != nil {
				return nil, err
			}
			for _, t := range d.Outputs {
				tensors = append(tensors, t.Name)
				names = append(names, outputLabel(t))
			}
		}
		return d, nil
	}
	switch backend {
	case "interp":
		if cfg.Calibration != nil {
			if _, err := tfc.Optimize(f, passes.Options{Config: cfg}); err != nil {
				return nil, nil, err
			}
		} else if cfg.Precision != tensor.Invalid && cfg.Precision != tensor.Float32 {
			if _, err := tfc.Optimize(f, passes.Options{Config: cfg, Passes: []string{"precision"}}); err != nil {
				return nil, nil, err
			}
		}
		return func(in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) { return interp.Run(f, in) }, nil, nil
	case "trt-ref":
		d, err := lowered()
		if err != nil {
			return nil, nil, err
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
		}, names, nil
	case "trt":
		if !tensorrt.Available() {
			return nil, nil, tensorrt.ErrNotBuilt
		}
		d, err := lowered()
		if err != nil {
			return nil, nil, err
		}
		plan, err := tensorrt.OptimizeDescription(d, tensorrt.BuildOptions{TF32: engineAllowsTF32()})
		if err != nil {
			return nil, nil, err
		}
		load := tensorrt.LoadPlan // strict FP32 unless -tf32 or -tf32x3
		if engineAllowsTF32() {
			load = tensorrt.LoadPlanTF32
		}
		e, err := load(plan)
		if err != nil {
			return nil, nil, err
		}
		if mark == nil {
			return e.InferTensors, nil, nil
		}
		return func(in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
			return byName(e, in, tensors)
		}, names, nil
	}
	return nil, nil, &exitError{code: 2, msg: fmt.Sprintf("unknown -backend=%s (want interp, trt-ref or trt)", backend)}
}

// byName runs engine e and returns its outputs in the order of names
// (the engine lists its outputs in an order of its own).
func byName(e *tensorrt.Engine, in map[string]*tensor.Tensor, names []string) ([]*tensor.Tensor, error) {
	got, err := e.InferTensors(in)
	if err != nil {
		return nil, err
	}
	_, outs := e.IO()
	at := make(map[string]*tensor.Tensor, len(outs))
	for i, o := range outs {
		at[o.Name] = got[i]
	}
	res := make([]*tensor.Tensor, len(names))
	for i, n := range names {
		if res[i] = at[n]; res[i] == nil {
			return nil, fmt.Errorf("the engine has no output %q", n)
		}
	}
	return res, nil
}

// outputLabel names a marked tensor by the layer computing it.
func outputLabel(t *trt.TensorDesc) string {
	if t.Producer == nil || t.Producer.Name == "" {
		return t.Name
	}
	if len(t.Producer.Outputs) > 1 {
		return fmt.Sprintf("%s:%d", t.Producer.Name, t.Index)
	}
	return t.Producer.Name
}
