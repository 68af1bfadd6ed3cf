package tfc_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

var updatePrecision = flag.Bool("update-precision", false, "rewrite testdata/models/precision.json with the measured errors")

// precisionFile records, per model, precision and backend, each output's
// largest absolute and relative error against TensorFlow's float32
// outputs, as measured by TestModelPrecision (-update-precision).
const precisionFile = "testdata/models/precision.json"

// precisionErr is one output's measured error.
type precisionErr struct {
	MaxAbs float64 `json:"max_abs"`
	MaxRel float64 `json:"max_rel"`
}

// TestModelPrecision runs the shipped models at fp16 and bf16 on the
// interpreter and on the TensorRT reference executor and compares each
// output with TensorFlow's float32 output. Every output must be within the
// precision's default tolerance (passes.PrecisionTolerance, the README's
// table), and the error must be the one recorded in precision.json, which
// the test itself wrote from the measurement (-update-precision), within
// 1% or 1e-6: a change of numerics shows up as a diff of that file.
func TestModelPrecision(t *testing.T) {
	cases, err := golden.LoadAll("testdata/models")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]precisionErr{}
	if !*updatePrecision {
		data, err := os.ReadFile(precisionFile)
		if err != nil {
			t.Fatalf("%v (run go test -run TestModelPrecision -update-precision .)", err)
		}
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]precisionErr{}
	for _, c := range cases {
		in, err := c.ReadInputs()
		if err != nil {
			t.Fatal(err)
		}
		ref, err := c.ReadOutputs()
		if err != nil {
			t.Fatal(err)
		}
		for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
			for _, backend := range []string{"interp", "trt-ref"} {
				outs, err := runPrecision(c, backend, dt, in)
				if err != nil {
					t.Fatalf("%s %v %s: %v", c.Name, dt, backend, err)
				}
				tol := passes.PrecisionTolerance(dt)
				for i, o := range outs {
					d, err := golden.Compare(o, ref[i], tol, tol)
					if err != nil {
						t.Fatal(err)
					}
					key := fmt.Sprintf("%s/%v/%s/%s", c.Name, dt, backend, c.Outputs[i].Name)
					got[key] = precisionErr{d.MaxAbs, d.MaxRel}
					if d.Bad > 0 {
						t.Errorf("%s: %d elements beyond the default tolerance %g (max abs %g)", key, d.Bad, tol, d.MaxAbs)
					}
					if *updatePrecision {
						continue
					}
					w, ok := want[key]
					if !ok {
						t.Errorf("%s: not in %s (run with -update-precision)", key, precisionFile)
						continue
					}
					if !near(d.MaxAbs, w.MaxAbs) || !near(d.MaxRel, w.MaxRel) {
						t.Errorf("%s: measured max abs %g, rel %g; %s records %g, %g", key, d.MaxAbs, d.MaxRel, precisionFile, w.MaxAbs, w.MaxRel)
					}
				}
			}
		}
	}
	if *updatePrecision {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(precisionFile, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for key := range want {
		if _, ok := got[key]; !ok {
			t.Errorf("%s: recorded but not measured (a model or output is gone; run with -update-precision)", key)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= max(1e-6, 0.01*math.Abs(b)) }

// runPrecision compiles a model case for backend at precision dt and runs it.
func runPrecision(c *golden.Case, backend string, dt tensor.DType, in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		return nil, err
	}
	cfg := passes.Config{Precision: dt}
	if backend == "interp" {
		if _, err := tfc.Optimize(f, passes.Options{Config: cfg, Passes: []string{"precision"}, VerifyEach: true}); err != nil {
			return nil, err
		}
		return interp.Run(f, in)
	}
	if _, err := tfc.Optimize(f, passes.Options{Config: cfg, VerifyEach: true}); err != nil {
		return nil, err
	}
	d, err := tfc.Lower(f)
	if err != nil {
		return nil, err
	}
	return exec.Run(d, in)
}
