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
)

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "[-backend B] [-tf-outputs DIR] [-rtol R] [-atol A] MODEL|DIR...",
		"Verify runs models and compares tfc's results with TensorFlow's own, printing a\n"+
			"table per output: largest absolute and relative error, elements outside the\n"+
			"tolerance, and the verdict. Each argument is a case directory (case.json,\n"+
			"model.pb, and the inputs and TensorFlow's outputs as .npy, as written by\n"+
			"testdata/gen/generate.sh), a directory of such cases, or a MODEL file whose\n"+
			"case.json is beside it or in -tf-outputs DIR. Tolerances come from case.json\n"+
			"unless -rtol/-atol are given. The exit status is 0 only if everything matches.", stderr)
	backend := fs.String("backend", "interp", backendUsage+", or trt (a TensorRT engine on the GPU)")
	tfOut := fs.String("tf-outputs", "", "`DIR` holding case.json and TensorFlow's outputs for a MODEL argument")
	rtol := fs.Float64("rtol", -1, "relative tolerance (default: from case.json)")
	atol := fs.Float64("atol", -1, "absolute tolerance (default: from case.json)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
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
		ok, err := verifyCase(c, *backend, *rtol, *atol, stdout)
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
	if _, err := os.Stat(filepath.Join(arg, "case.json")); err == nil {
		c, err := golden.Load(arg)
		if err != nil {
			return nil, err
		}
		return []*golden.Case{c}, nil
	}
	cs, err := golden.LoadAll(arg)
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
func verifyCase(c *golden.Case, backend string, rtolFlag, atolFlag float64, stdout io.Writer) (ok bool, err error) {
	t0 := time.Now()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		return false, err
	}
	run, err := prepare(backend, f)
	if err != nil {
		return false, err
	}
	tLoad := time.Since(t0)
	in, err := c.ReadInputs()
	if err != nil {
		return false, err
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return false, err
	}
	t1 := time.Now()
	got, err := run(in)
	if err != nil {
		return false, err
	}
	tRun := time.Since(t1)
	fmt.Fprintf(stdout, "%s (backend %s): compile %v, run %v\n", c.Name, backend, tLoad.Round(time.Millisecond), tRun.Round(time.Millisecond))
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  output\tshape\tmax abs err\tmax rel err\terr/tolerance\tmismatches\trtol\tatol\tresult")
	ok = true
	for i := range want {
		rtol, atol := c.Tolerance(i)
		if rtolFlag >= 0 {
			rtol = rtolFlag
		}
		if atolFlag >= 0 {
			atol = atolFlag
		}
		d, err := golden.Compare(got[i], want[i], rtol, atol)
		if err != nil {
			fmt.Fprintf(tw, "  %s\t\t\t\t\t\t\t\tFAIL: %v\n", c.Outputs[i].Name, err)
			ok = false
			continue
		}
		verdict := "ok"
		if d.Bad > 0 {
			verdict = fmt.Sprintf("FAIL (first at %d: got %g, want %g)", d.FirstBad, got[i].Float64At(d.FirstBad), want[i].Float64At(d.FirstBad))
			ok = false
		}
		fmt.Fprintf(tw, "  %s\t%v\t%.3g\t%.3g\t%.3g\t%d/%d\t%g\t%g\t%s\n", c.Outputs[i].Name, want[i].Shape, d.MaxAbs, d.MaxRel, d.MaxRatio, d.Bad, want[i].Len(), rtol, atol, verdict)
	}
	tw.Flush()
	return ok, nil
}
