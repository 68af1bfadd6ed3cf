package tensorrt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/backend/trt"
)

// ErrNotBuilt is returned by every entry point of a tfc built without a
// TensorRT build tag.
var ErrNotBuilt = errors.New("tfc was built without TensorRT; build with -tags tensorrt_rtx (see scripts/trt-setup.sh)")

// Severity is nvinfer1::ILogger::Severity.
type Severity int32

const (
	SeverityInternalError Severity = 0 // kINTERNAL_ERROR
	SeverityError         Severity = 1 // kERROR
	SeverityWarning       Severity = 2 // kWARNING
	SeverityInfo          Severity = 3 // kINFO
	SeverityVerbose       Severity = 4 // kVERBOSE
)

func (s Severity) String() string {
	switch s {
	case SeverityInternalError:
		return "internal error"
	case SeverityError:
		return "error"
	case SeverityWarning:
		return "warning"
	case SeverityInfo:
		return "info"
	case SeverityVerbose:
		return "verbose"
	}
	return "Severity(" + strconv.Itoa(int(s)) + ")"
}

// ProgressKind says which IProgressMonitor call a ProgressEvent is.
type ProgressKind int

const (
	PhaseStart  ProgressKind = iota // phaseStart: Steps is the phase's number of steps
	StepDone                        // stepComplete: Step is the step just finished
	PhaseFinish                     // phaseFinish
)

// ProgressEvent is one call of TensorRT's IProgressMonitor.
type ProgressEvent struct {
	Kind   ProgressKind
	Phase  string
	Parent string // PhaseStart only; "" for a top-level phase
	Step   int    // StepDone only
	Steps  int    // PhaseStart only
}

// BuildOptions are the builder settings of Optimize. The zero value keeps
// TensorRT's defaults.
type BuildOptions struct {
	// WorkspaceBytes limits the kWORKSPACE memory pool (0: TensorRT's default).
	WorkspaceBytes int64
	// OptimizationLevel is the builder optimization level: 1-5 set it,
	// 0 keeps TensorRT's default (3), a negative value selects level 0.
	OptimizationLevel int
	// ComputeCapabilities are the GPU targets of a TensorRT-RTX engine:
	// "SM75", "SM80", "SM86", "SM89", "SM120", "SM121" or "current" (the
	// GPU present; needs one). Empty keeps TensorRT-RTX's default. Setting
	// explicit targets lets a machine without a GPU build the engine.
	// TensorRT (the tensorrt tag) rejects them.
	ComputeCapabilities []string
	// FP16 and BF16 allow those precisions (TensorRT 10's builder flags).
	// TensorRT-RTX and TensorRT 11 reject them: their networks are
	// strongly typed, precision comes from tensor types and casts.
	FP16, BF16 bool
	// TF32 keeps TensorRT's BuilderFlag::kTF32, which lets FP32
	// convolutions and matrix products round their inputs to TF32's 10-bit
	// mantissa. Off (the default), tfc clears the flag: FP32 layers compute
	// in strict FP32. The sidecar records the choice (Sidecar.FP32Math).
	TF32 bool
	// Profiles are the optimization profiles of a network with dynamic
	// inputs (dimensions of -1): one IOptimizationProfile each, with
	// kMIN/kOPT/kMAX of every dynamic input.
	Profiles []trt.Profile
	// TimingCache is a file holding TensorRT's timing cache: read before
	// the build when it exists, written after it. Ignored by TensorRT-RTX,
	// which has no timing cache.
	TimingCache string
	// Progress, if set, receives TensorRT's progress-monitor calls; returning
	// false cancels the build.
	Progress func(ProgressEvent) bool
	// Log, if set, receives TensorRT's log messages of severity Info and
	// more severe (Verbose too when Verbose is set). Errors are also part
	// of the returned error.
	Log     func(severity Severity, msg string)
	Verbose bool
}

// computeCapability parses "SM89" (also "sm_89", "kSM89", "89", "current")
// to nvinfer1::ComputeCapability's value.
func computeCapability(s string) (int32, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	t = strings.TrimPrefix(t, "K")
	if t == "CURRENT" {
		return 1, nil
	}
	t = strings.TrimPrefix(strings.TrimPrefix(t, "SM"), "_")
	n, err := strconv.Atoi(t)
	if err != nil || n < 10 || n > 999 {
		return 0, fmt.Errorf("compute capability %q: want SM<major><minor> such as SM89 or SM120, or current", s)
	}
	return int32(n), nil
}

// RuntimeOptions configure an Engine's execution contexts (Engine.SetRuntimeOptions).
type RuntimeOptions struct {
	// RuntimeCache is a file holding TensorRT-RTX's runtime cache: the
	// kernels it compiles just in time when an execution context is made.
	// It is read before the first context is made, if it exists (a cache
	// from another library version, GPU or driver is ignored and replaced),
	// and written by Engine.SaveRuntimeCache. TensorRT has no runtime cache.
	RuntimeCache string
	// CUDAGraph sets TensorRT-RTX's CudaGraphStrategy to
	// kWHOLE_GRAPH_CAPTURE: each inference is captured as one CUDA graph
	// and replayed (TensorRT-RTX falls back to plain launches where it
	// cannot capture).
	CUDAGraph bool
}

// Timing is one inference measured with CUDA events on its stream.
type Timing struct {
	H2D     time.Duration // host-to-device copies of the inputs
	Compute time.Duration // the engine's kernels (enqueueV3)
	D2H     time.Duration // device-to-host copies of the outputs
}
