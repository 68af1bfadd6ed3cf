package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt"
)

// engineFlags are the TensorRT builder flags of compile -emit=engine.
type engineFlags struct {
	workspace int64
	optLevel  int
	targets   string
	fp16      bool
	bf16      bool
	cache     string
	verbose   bool
	quiet     bool   // no spinner (-q)
	tf32      bool   // -tf32 or -tf32x3, precision flags: kTF32 kept
	fp32Math  string // the sidecar's fp32_math
}

func addEngineFlags(fs *flag.FlagSet) *engineFlags {
	e := &engineFlags{}
	fs.Var((*bytesFlag)(&e.workspace), "workspace", "-emit=engine: workspace memory limit, `size` in bytes or with a unit (512MiB, 2GiB; 0: TensorRT's default)")
	fs.IntVar(&e.optLevel, "opt-level", 0, "-emit=engine: builder optimization `level` 1-5 (0: TensorRT's default)")
	fs.StringVar(&e.targets, "compute-capability", "", "-emit=engine (TensorRT-RTX): GPU `targets` such as SM89,SM120; explicit targets build without a GPU")
	fs.BoolVar(&e.fp16, "fp16", false, "-emit=engine (TensorRT 10): allow FP16 kernels")
	fs.BoolVar(&e.bf16, "bf16", false, "-emit=engine (TensorRT 10): allow BF16 kernels")
	fs.StringVar(&e.cache, "timing-cache", "", "-emit=engine: timing cache `file` (read if present, written after)")
	fs.BoolVar(&e.verbose, "v", false, "-emit=engine: show TensorRT's informational messages")
	return e
}

func (e *engineFlags) build(d *trt.Description, out string, stderr io.Writer) error {
	opts := tensorrt.BuildOptions{
		WorkspaceBytes:    e.workspace,
		OptimizationLevel: e.optLevel,
		FP16:              e.fp16,
		BF16:              e.bf16,
		TimingCache:       e.cache,
		TF32:              e.tf32,
	}
	for _, t := range strings.Split(e.targets, ",") {
		if t = strings.TrimSpace(t); t != "" {
			opts.ComputeCapabilities = append(opts.ComputeCapabilities, t)
		}
	}
	opts.Log = func(s tensorrt.Severity, msg string) {
		if s <= tensorrt.SeverityWarning || e.verbose {
			fmt.Fprintf(stderr, "tensorrt %s: %s\n", s, msg)
		}
	}
	t0 := time.Now()
	// TensorRT's IProgressMonitor drives a bar per build phase.
	var mon *trtProgress
	if showProgress(stderr, e.quiet) {
		mon = newTRTProgress(stderr)
		opts.Progress = mon.event
	}
	plan, err := tensorrt.OptimizeDescription(d, opts)
	if mon != nil {
		mon.done()
	}
	if err != nil {
		return err
	}
	side := tensorrt.NewSidecar(d)
	side.ComputeCapabilities = opts.ComputeCapabilities
	side.TFCVersion = version() // the same as tfc version and generated code say
	side.FP32Math = tensorrt.FP32MathOf(opts)
	if e.fp32Math != "" {
		side.FP32Math = e.fp32Math // -tf32x3: its network, built with TF32
	}
	if err := tensorrt.Store(out, plan, side); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "tfc compile: wrote %s (%s, %s) in %s\n", out, byteSize(int64(len(plan))), count(len(d.Layers), "layer"), duration(time.Since(t0)))
	return nil
}
