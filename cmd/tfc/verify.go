package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "[-backend B] [-tf-outputs DIR] [-rtol R] [-atol A] MODEL|DIR...",
		"Verify runs models and compares tfc's results with TensorFlow's own, printing a\n"+
			"table per output: largest absolute and relative error, elements outside the\n"+
			"tolerance, and the verdict. Each argument is a case directory (case.json,\n"+
			"model.pb, and the inputs and TensorFlow's outputs as .npy, as written by\n"+
			"testdata/gen/generate.sh), a directory of such cases, or a MODEL file whose\n"+
			"case.json is beside it or in -tf-outputs DIR. Tolerances come from case.json\n"+
			"unless -rtol/-atol are given. The exit status is 0 only if everything matches.\n"+
			"With -precision fp16 or bf16 the model is also run at fp32 on the same backend,\n"+
			"and the table shows each output's error against TensorFlow's float32 output and\n"+
			"against tfc's own fp32 run; the tolerance is then the precision's default (fp16:\n"+
			"1e-2, bf16: 6.25e-2, relative and absolute) or the case's, if larger.", stderr)
	backend := fs.String("backend", "interp", backendUsage+", or trt (a TensorRT engine on the GPU)")
	tfOut := fs.String("tf-outputs", "", "`DIR` holding case.json and TensorFlow's outputs for a MODEL argument")
	var rtolF, atolF optFloat
	fs.Var(&rtolF, "rtol", "relative tolerance `R` (default: from case.json)")
	fs.Var(&atolF, "atol", "absolute tolerance `A` (default: from case.json)")
	rtol, atol := rtolF.orElse(-1), atolF.orElse(-1)
	prec := addPrecisionFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &exitError{code: 2, msg: "want at least one MODEL or DIR"}
	}
	if _, ok := backends[*backend]; !ok {
		return &exitError{code: 2, msg: fmt.Sprintf("unknown -backend=%s (want interp, trt-ref or trt)", *backend)}
	}
	var cases []*golden.Case
	for _, arg := range pos {
		cs, err := findCases(arg, *tfOut)
		if err != nil {
			return err
		}
		cases = append(cases, cs...)
	}
	failed := 0
	for _, c := range cases {
		ok, err := verifyCase(c, *backend, rtol(), atol(), prec, stdout, stderr)
		if err != nil {
			fmt.Fprintf(stdout, "FAIL %s: %v\n", c.Name, err)
		}
		if err != nil || !ok {
			failed++
		}
	}
	fmt.Fprintf(stdout, "%d/%d cases match TensorFlow (backend %s)\n", len(cases)-failed, len(cases), *backend)
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d case(s) failed", failed)}
	}
	return nil
}

// findCases resolves one argument of verify.
func findCases(arg, tfOut string) ([]*golden.Case, error) {
	st, err := os.Stat(arg)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() || tfc.IsSavedModel(arg) {
		dir := filepath.Dir(arg)
		if tfOut != "" {
			dir = tfOut
		}
		c, err := golden.Load(dir)
		if err != nil {
			return nil, fmt.Errorf("%s: no TensorFlow outputs to compare with (%v); give -tf-outputs DIR", arg, err)
		}
		c.ModelPath = arg
		return []*golden.Case{c}, nil
	}
	cs, err := golden.Find(arg)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("%s: no case.json here or in its subdirectories", arg)
	}
	return cs, nil
}

// verifyCase runs one case and prints its table. ok reports whether every
// output is within tolerance.
func verifyCase(c *golden.Case, backend string, rtolFlag, atolFlag float64, prec *precisionFlags, stdout, stderr io.Writer) (ok bool, err error) {
	var cfg passes.Config
	if err := prec.config(&cfg, stderr); err != nil {
		return false, err
	}
	reduced := prec.reduced()
	in, err := c.ReadInputs()
	if err != nil {
		return false, err
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return false, err
	}
	got, tLoad, tRun, err := runCase(c, backend, cfg, in)
	if err != nil {
		return false, err
	}
	var ref []*tensor.Tensor // tfc's own fp32 outputs
	if reduced {
		if ref, _, _, err = runCase(c, backend, passes.Config{}, in); err != nil {
			return false, fmt.Errorf("fp32 run: %v", err)
		}
	}
	title := fmt.Sprintf("%s (backend %s", c.Name, backend)
	if reduced {
		title += ", precision " + prec.precision
	}
	fmt.Fprintf(stdout, "%s): compile %s, run %s\n", title, duration(tLoad), duration(tRun))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	if reduced {
		fmt.Fprintln(tw, "  output\tshape\tmax abs err\tmax rel err\tvs tfc fp32: abs\trel\terr/tolerance\tmismatches\trtol\tatol\tresult")
	} else {
		fmt.Fprintln(tw, "  output\tshape\tmax abs err\tmax rel err\terr/tolerance\tmismatches\trtol\tatol\tresult")
	}
	ok = true
	for i := range want {
		rtol, atol := c.Tolerance(i)
		if reduced {
			t := passes.PrecisionTolerance(cfg.Precision)
			rtol, atol = max(rtol, t), max(atol, t)
		}
		if rtolFlag >= 0 {
			rtol = rtolFlag
		}
		if atolFlag >= 0 {
			atol = atolFlag
		}
		g := got[i]
		if g.DType != want[i].DType && g.DType.IsFloat() && want[i].DType.IsFloat() {
			if g, err = kernels.Cast(g, want[i].DType); err != nil { // -io-precision
				return false, err
			}
		}
		d, err := golden.Compare(g, want[i], rtol, atol)
		if err != nil {
			fmt.Fprintf(tw, "  %s\t\t\t\t\t\t\t\tFAIL: %v\n", c.Outputs[i].Name, err)
			ok = false
			continue
		}
		verdict := "ok"
		if d.MaxRel > rtol && d.Bad == 0 {
			// Elements near zero: their relative error is large but
			// their absolute error is within atol.
			verdict = "ok (within atol where rel err > rtol)"
		}
		if d.Bad > 0 {
			verdict = fmt.Sprintf("FAIL (first at %d: got %g, want %g)", d.FirstBad, g.Float64At(d.FirstBad), want[i].Float64At(d.FirstBad))
			ok = false
		}
		vsRef := ""
		if reduced {
			r, err := golden.Compare(g, ref[i], 0, 0)
			if err != nil {
				return false, fmt.Errorf("output %s: against fp32: %v", c.Outputs[i].Name, err)
			}
			vsRef = fmt.Sprintf("%.3g\t%.3g\t", r.MaxAbs, r.MaxRel)
		}
		fmt.Fprintf(tw, "  %s\t%v\t%.3g\t%.3g\t%s%.3g\t%d/%d\t%g\t%g\t%s\n", c.Outputs[i].Name, want[i].Shape, d.MaxAbs, d.MaxRel, vsRef, d.MaxRatio, d.Bad, want[i].Len(), rtol, atol, verdict)
	}
	tw.Flush()
	return ok, nil
}

// runCase compiles a case for backend with cfg and runs it on in (cast to
// the compiled inputs' types where -io-precision changed them).
func runCase(c *golden.Case, backend string, cfg passes.Config, in map[string]*tensor.Tensor) (out []*tensor.Tensor, tLoad, tRun time.Duration, err error) {
	t0 := time.Now()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes(), Signature: c.Signature})
	if err != nil {
		return nil, 0, 0, err
	}
	run, err := prepare(backend, f, cfg)
	if err != nil {
		return nil, 0, 0, err
	}
	tLoad = time.Since(t0)
	feed := make(map[string]*tensor.Tensor, len(in))
	for name, x := range in {
		feed[name] = x
	}
	for _, op := range f.Inputs() {
		name := op.Str("name")
		if x, ok := feed[name]; ok && x.DType != op.Result().Type.DType {
			if feed[name], err = kernels.Cast(x, op.Result().Type.DType); err != nil {
				return nil, 0, 0, err
			}
		}
	}
	t1 := time.Now()
	out, err = run(feed)
	return out, tLoad, time.Since(t1), err
}
