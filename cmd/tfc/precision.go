package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// precisionFlags are -precision, -io-precision and -keep-fp32 (compile,
// run, verify): the precision pass's configuration.
type precisionFlags struct {
	precision, io string
	keep          listFlag
	calibration   string
	quantType     string
}

// engineTF32 is -tf32 (compile -emit=engine, run and verify with
// -backend=trt): TensorRT engines may compute FP32 convolutions and matrix
// products in TF32. It is one setting per process, as TensorRT-RTX's is
// (see tensorrt.LoadPlanTF32).
var engineTF32 bool

// engineTF32x3 is -tf32x3 (the same commands): FP32-accurate convolutions
// and matrix products on TF32 tensor cores. The network computes each
// float32 product as three TF32-exact ones summed in one layer
// (lower.Options.TF32x3) and the
// engine is built with TF32 allowed, so verify keeps the case's
// tolerance. The trt-ref backend rounds those layers' inputs to TF32
// under -tf32 and -tf32x3 alike (exec.Config.TF32).
var engineTF32x3 bool

// tf32x3SplitEnv names the environment variable that chooses how
// -tf32x3 splits tensors computed at run time (lower.Options.TF32x3Split):
// "f16" (unset or empty: the default) or "bf16" (three bfloat16 parts,
// exact over the whole float32 range, with more tensor-core work).
// EXPERIMENTAL: a way to compare the splits on a GPU before either
// becomes a flag; it changes nothing without -tf32x3.
const tf32x3SplitEnv = "TFC_TF32X3_SPLIT"

// lowerOptions are the lowering strategies of the precision flags.
func lowerOptions() lower.Options {
	o := lower.Options{TF32x3: engineTF32x3}
	if engineTF32x3 {
		o.TF32x3Split = os.Getenv(tf32x3SplitEnv)
	}
	return o
}

// engineAllowsTF32 reports whether engines are built and run with TF32
// allowed (BuilderFlag::kTF32 kept): -tf32 or -tf32x3.
func engineAllowsTF32() bool { return engineTF32 || engineTF32x3 }

// fp32Math is the .plan.json sidecar's fp32_math of the precision flags.
func fp32Math() string {
	switch {
	case engineTF32x3:
		return tensorrt.FP32MathTF32x3
	case engineTF32:
		return tensorrt.FP32MathTF32
	}
	return tensorrt.FP32MathStrict
}

func addPrecisionFlags(fs *flag.FlagSet) *precisionFlags {
	p := &precisionFlags{}
	fs.StringVar(&p.precision, "precision", "fp32", "compute precision: fp32, fp16 or bf16 (the precision pass; see -keep-fp32)")
	fs.StringVar(&p.io, "io-precision", "", "type of the network's float inputs and outputs: fp32 or the -precision type (default: the graph's)")
	fs.StringVar(&p.calibration, "calibration", "", "quantize conv and matmul inputs and weights to INT8 with the ranges in `FILE` (from tfc calibrate)")
	fs.StringVar(&p.quantType, "quantize-to", "int8", "-calibration: int8, or fp8 (E4M3, TensorRT's kFP8; scale amax/448)")
	fs.BoolVar(&engineTF32, "tf32", false, "TensorRT engines: let FP32 convolutions and matrix products round their inputs to TF32 (default: strict FP32; verify then uses the fp16 tolerance, 1e-2; -backend=trt-ref rounds them too)")
	fs.BoolVar(&engineTF32x3, "tf32x3", false, "TensorRT engines: FP32-accurate convolutions and matrix products on TF32 tensor cores (3xTF32: each computed as three TF32-exact products; verify keeps the case's tolerance). On an H100 with TensorRT-RTX 1.6.1 its engines matched TensorFlow at the strict tolerances in 1097 of 1121 cases (DESIGN.md)")
	fs.Var(&p.keep, "keep-fp32", "`patterns` of ops kept in f32 besides the default rule (softmax, log_softmax, reduce, exp, expm1, log, log1p, pow): opcode or TF node name, path.Match syntax, a leading ! removes; repeatable")
	return p
}

// parsePrecision maps fp32/fp16/bf16 (or f32/f16/bf16) to a dtype.
func parsePrecision(flagName, s string) (tensor.DType, error) {
	switch s {
	case "fp32", "f32", "float32":
		return tensor.Float32, nil
	case "fp16", "f16", "float16", "half":
		return tensor.Float16, nil
	case "bf16", "bfloat16":
		return tensor.BFloat16, nil
	}
	return tensor.Invalid, &exitError{code: 2, msg: fmt.Sprintf("unknown -%s=%s (want fp32, fp16 or bf16)", flagName, s)}
}

// config fills the precision fields of a pass configuration; warnings go
// to stderr.
func (p *precisionFlags) config(cfg *passes.Config, stderr io.Writer) error {
	dt, err := parsePrecision("precision", p.precision)
	if err != nil {
		return err
	}
	cfg.Precision = dt
	if engineTF32 && engineTF32x3 {
		return &exitError{code: 2, msg: "-tf32 and -tf32x3 exclude each other (-tf32x3: FP32 accuracy on TF32 tensor cores; -tf32: TF32's)"}
	}
	if s := os.Getenv(tf32x3SplitEnv); engineTF32x3 && s != "" && s != lower.SplitF16 && s != lower.SplitBF16 {
		return &exitError{code: 2, msg: fmt.Sprintf("%s=%s: want %s or %s", tf32x3SplitEnv, s, lower.SplitF16, lower.SplitBF16)}
	}
	if p.io != "" {
		io, err := parsePrecision("io-precision", p.io)
		if err != nil {
			return err
		}
		if io != tensor.Float32 && io != dt {
			return &exitError{code: 2, msg: fmt.Sprintf("-io-precision=%s must be fp32 or the -precision type (%s)", p.io, p.precision)}
		}
		cfg.IOPrecision = io
	}
	if len(p.keep) > 0 && dt == tensor.Float32 {
		return &exitError{code: 2, msg: "-keep-fp32 needs -precision fp16 or bf16"}
	}
	cfg.KeepFP32 = p.keep
	if p.calibration != "" {
		r, err := readRanges(p.calibration)
		if err != nil {
			return err
		}
		cfg.Calibration = r
	}
	switch p.quantType {
	case "int8":
	case "fp8":
		cfg.CalibrationFP8 = true
	default:
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -quantize-to=%s (want int8 or fp8)", p.quantType)}
	}
	cfg.Warn = func(s string) { fmt.Fprintf(stderr, "tfc: warning: %s\n", s) }
	return nil
}

// reduced reports whether -precision asks for f16 or bf16, or
// -calibration for INT8.
func (p *precisionFlags) reduced() bool {
	dt, err := parsePrecision("precision", p.precision)
	return err == nil && dt != tensor.Float32 || p.calibration != ""
}
