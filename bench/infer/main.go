// Command infer measures tfc's CPU executors in steady state: it loads a
// TensorFlow-generated case (a directory with case.json, model.pb, the
// inputs and TensorFlow's outputs) once, prepares the backend, runs
// -warmup untimed inferences, then times -runs inferences one by one, and
// prints one JSON object (bench/internal/results.InferRun) with the times
// and the largest absolute difference from TensorFlow's outputs.
//
//	go run ./bench/infer -backend trt-ref -runs 10 testdata/large/resnet50
//
// The backends are those of "tfc run": interp runs the IR as imported
// with the reference interpreter; trt-ref runs the TensorRT network that
// tfc compile builds (after the pass pipeline) on the reference executor.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/bench/internal/results"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

func main() {
	backend := flag.String("backend", "trt-ref", "interp or trt-ref")
	warmup := flag.Int("warmup", 2, "untimed runs before timing")
	runs := flag.Int("runs", 10, "timed runs")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: infer [-backend interp|trt-ref] [-warmup N] [-runs N] CASE_DIR")
		os.Exit(2)
	}
	r := measure(flag.Arg(0), *backend, *warmup, *runs)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, "infer:", err)
		os.Exit(1)
	}
}

func measure(dir, backend string, warmup, runs int) (r results.InferRun) {
	r = results.InferRun{Engine: "tfc-" + backend, Threads: runtime.GOMAXPROCS(0), Warmup: warmup}
	fail := func(status string, err error) results.InferRun {
		r.Status, r.Error = status, err.Error()
		return r
	}
	c, err := golden.Load(dir)
	if err != nil {
		return fail("failed", err)
	}
	in, err := c.ReadInputs()
	if err != nil {
		return fail("failed", err)
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return fail("failed", err)
	}
	t0 := time.Now()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{InputShapes: c.InputShapes(), Outputs: c.OutputNames()})
	if err != nil {
		return fail("unsupported", err)
	}
	var run func() ([]*tensor.Tensor, error)
	switch backend {
	case "interp":
		r.Note = "IR as imported, reference interpreter"
		run = func() ([]*tensor.Tensor, error) { return interp.Run(f, in) }
	case "trt-ref":
		r.Note = "pass pipeline, lowered TensorRT network, reference executor"
		if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
			return fail("unsupported", err)
		}
		d, err := tfc.Lower(f)
		if err != nil {
			return fail("unsupported", err)
		}
		prog, err := exec.Prepare(d)
		if err != nil {
			return fail("unsupported", err)
		}
		run = func() ([]*tensor.Tensor, error) { return prog.Run(in) }
	default:
		return fail("failed", fmt.Errorf("unknown backend %q", backend))
	}
	r.PrepareS = time.Since(t0).Seconds()
	var got []*tensor.Tensor
	for range warmup {
		if got, err = run(); err != nil {
			return fail("unsupported", err)
		}
	}
	for range runs {
		runtime.GC() // the previous run's garbage is not this run's cost
		t := time.Now()
		got, err = run()
		r.TimesS = append(r.TimesS, time.Since(t).Seconds())
		if err != nil {
			return fail("unsupported", err)
		}
	}
	if len(got) != len(want) {
		return fail("failed", fmt.Errorf("%d outputs, TensorFlow has %d", len(got), len(want)))
	}
	for i := range want {
		d, err := golden.Compare(got[i], want[i], 0, 0)
		if err != nil {
			return fail("failed", fmt.Errorf("output %s: %v", c.Outputs[i].Name, err))
		}
		r.MaxAbsErr = max(r.MaxAbsErr, d.MaxAbs)
	}
	r.Status = "ok"
	return r
}
