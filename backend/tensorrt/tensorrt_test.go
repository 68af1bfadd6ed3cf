//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tfc-dev/tfc/backend/trt"
)

// targets are the compute capabilities the tests build for: explicit ones
// need no GPU with TensorRT-RTX; TensorRT builds for the GPU present.
func testOptions(t *testing.T) BuildOptions {
	opts := BuildOptions{Log: func(s Severity, msg string) {
		if s <= SeverityWarning {
			t.Logf("TensorRT %v: %s", s, msg)
		}
	}}
	if isRTX {
		opts.ComputeCapabilities = []string{"SM89"}
	}
	return opts
}

func TestVersion(t *testing.T) {
	needLibrary(t)
	v := Version()
	t.Logf("%s", v)
	if !strings.HasPrefix(v, libraryName()+" ") || strings.Contains(v, "headers") {
		t.Errorf("Version() = %q: want the library name and one version (headers and library agree)", v)
	}
}

// TestTinyEngine builds input → convolution → ReLU → output, stores it and
// loads it back (which needs a GPU: without one the error must say so).
func TestTinyEngine(t *testing.T) {
	needLibrary(t)
	opts := testOptions(t)
	var phases []string
	opts.Progress = func(ev ProgressEvent) bool {
		if ev.Kind == PhaseStart {
			phases = append(phases, ev.Phase)
		}
		return true
	}
	start := time.Now()
	plan, err := Optimize(tinyNetwork, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d-byte plan for %v in %v; progress phases %q", Version(), len(plan), opts.ComputeCapabilities, time.Since(start), phases)

	rec := trt.NewRecorder()
	if err := tinyNetwork(rec); err != nil {
		t.Fatal(err)
	}
	checkEngineIO(t, plan, rec.Description())
	sc := NewSidecar(rec.Description())
	sc.Library = Version()
	sc.ComputeCapabilities = opts.ComputeCapabilities
	path := filepath.Join(t.TempDir(), "tiny.plan")
	if err := Store(path, plan, sc); err != nil {
		t.Fatal(err)
	}
	e, err := Load(path)
	if err != nil {
		if _, cerr := cudaDevices(); cerr == nil {
			t.Fatalf("Load with a CUDA device: %v", err)
		}
		if !strings.Contains(err.Error(), "CUDA") {
			t.Errorf("Load without a GPU: %v: want an error naming CUDA", err)
		}
		t.Logf("Load without a GPU, as expected: %v", err)
		return
	}
	defer e.Close()
	ins, outs := e.IO()
	if len(ins) != 1 || ins[0].Name != "x" || len(outs) != 1 || outs[0].Name != "y" || !trt.Dims(outs[0].Shape).Equal(trt.Dims{1, 4, 8, 8}) {
		t.Errorf("engine I/O = %+v, %+v", ins, outs)
	}
	res, err := e.Infer(map[string][]byte{"x": make([]byte, 4*3*8*8)})
	if err != nil {
		t.Fatal(err)
	}
	if len(res["y"]) != 4*4*8*8 {
		t.Errorf("output y has %d bytes", len(res["y"]))
	}
}

// TestDescriptionEngine builds a recorded network through Build.
func TestDescriptionEngine(t *testing.T) {
	needLibrary(t)
	rec := trt.NewRecorder()
	if err := richNetwork(rec); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	plan, err := OptimizeDescription(rec.Description(), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d layers: %d-byte plan in %v", len(rec.Description().Layers), len(plan), time.Since(start))
	checkEngineIO(t, plan, rec.Description())
}

// TestNetworkErrors: a rejected call is recorded by Err with TensorRT's
// message, and the build never starts.
func TestNetworkErrors(t *testing.T) {
	needLibrary(t)
	_, err := Optimize(func(net trt.Network) error {
		x := net.AddInput("x", trt.Float, trt.Dims{1, 3, 8, 8})
		// 5 kernel values where 4×3×3×3 are needed.
		c := net.AddConvolutionNd(x, trt.Convolution{NbOutputMaps: 4, KernelSize: trt.Dims{3, 3}, Kernel: ramp(5)})
		r := net.AddActivation(c.Output(0), trt.Activation{Type: trt.ActivationRelu})
		net.MarkOutput(r.Output(0))
		return nil
	}, testOptions(t))
	if err == nil || !strings.Contains(err.Error(), "AddConvolutionNd") {
		t.Errorf("bad kernel: %v, want an AddConvolutionNd error", err)
	} else {
		t.Logf("bad kernel: %v", err)
	}

	other := trt.NewRecorder()
	foreign := other.AddInput("z", trt.Float, trt.Dims{1})
	_, err = Optimize(func(net trt.Network) error {
		net.AddActivation(foreign, trt.Activation{})
		return nil
	}, testOptions(t))
	if err == nil || !strings.Contains(err.Error(), "another network") {
		t.Errorf("foreign tensor: %v", err)
	}

	_, err = Optimize(func(net trt.Network) error {
		x := net.AddInput("x", trt.Float, trt.Dims{2, 3})
		net.MarkOutput(net.AddUnary(x, trt.UnaryAbs).Output(0))
		return nil
	}, BuildOptions{ComputeCapabilities: []string{"Hopper"}})
	if err == nil || !strings.Contains(err.Error(), "Hopper") {
		t.Errorf("bad compute capability: %v", err)
	}

	sentinel := errors.New("from build")
	if _, err := Optimize(func(trt.Network) error { return sentinel }, BuildOptions{}); !errors.Is(err, sentinel) {
		t.Errorf("build error: %v", err)
	}
}

// TestTargetOptions: each target refuses the other's options.
func TestTargetOptions(t *testing.T) {
	needLibrary(t)
	opts := testOptions(t)
	opts.FP16 = true
	_, err := Optimize(tinyNetwork, opts)
	if isRTX && (err == nil || !strings.Contains(err.Error(), "strongly typed")) {
		t.Errorf("TensorRT-RTX with FP16: %v, want a strongly-typed refusal", err)
	}
	if isRTX {
		return
	}
	opts = testOptions(t)
	opts.ComputeCapabilities = []string{"SM89"}
	if _, err := Optimize(tinyNetwork, opts); err == nil || !strings.Contains(err.Error(), "TensorRT-RTX option") {
		t.Errorf("TensorRT with compute capabilities: %v", err)
	}
}

// TestCancel: a Progress func returning false cancels the build.
func TestCancel(t *testing.T) {
	needLibrary(t)
	opts := testOptions(t)
	steps := 0
	opts.Progress = func(ev ProgressEvent) bool {
		if ev.Kind == StepDone {
			steps++
			return false
		}
		return true
	}
	plan, err := Optimize(tinyNetwork, opts)
	if err == nil {
		t.Fatalf("cancelled build returned a %d-byte plan", len(plan))
	}
	t.Logf("after %d step: %v", steps, err)
}
