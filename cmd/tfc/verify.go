package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
)

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "DIR...",
		"Verify runs TensorFlow-generated test cases and compares tfc's results with\n"+
			"TensorFlow's own. DIR is a case (a directory with case.json, model.pb and .npy\n"+
			"inputs and outputs, as written by testdata/gen/generate.sh) or a directory of\n"+
			"cases. Tolerances come from case.json. The exit status is 0 only if all match.", stderr)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return &exitError{code: 2, msg: "want at least one DIR"}
	}
	var cases []*golden.Case
	for _, dir := range pos {
		if _, err := os.Stat(filepath.Join(dir, "case.json")); err == nil {
			c, err := golden.Load(dir)
			if err != nil {
				return err
			}
			cases = append(cases, c)
			continue
		}
		if _, err := os.Stat(dir); err != nil {
			return err
		}
		cs, err := golden.LoadAll(dir)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return fmt.Errorf("%s: no case.json here or in its subdirectories", dir)
		}
		cases = append(cases, cs...)
	}
	failed := 0
	for _, c := range cases {
		if err := verifyCase(c, stdout); err != nil {
			failed++
			fmt.Fprintf(stdout, "FAIL %s: %v\n", c.Name, err)
		}
	}
	fmt.Fprintf(stdout, "%d/%d cases match TensorFlow\n", len(cases)-failed, len(cases))
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d case(s) failed", failed)}
	}
	return nil
}

func verifyCase(c *golden.Case, stdout io.Writer) error {
	t0 := time.Now()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		return err
	}
	tLoad := time.Since(t0)
	in, err := c.ReadInputs()
	if err != nil {
		return err
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return err
	}
	t1 := time.Now()
	got, err := interp.Run(f, in)
	if err != nil {
		return err
	}
	tRun := time.Since(t1)
	var maxAbs, maxRatio float64
	for i := range want {
		rtol, atol := c.Tolerance(i)
		d, err := golden.Compare(got[i], want[i], rtol, atol)
		if err != nil {
			return fmt.Errorf("output %s: %v", c.Outputs[i].Name, err)
		}
		if d.Bad > 0 {
			return fmt.Errorf("output %s: %d of %d elements outside rtol=%g atol=%g (first at %d: got %g, want %g; max abs error %.3g)",
				c.Outputs[i].Name, d.Bad, want[i].Len(), rtol, atol, d.FirstBad, got[i].Float64At(d.FirstBad), want[i].Float64At(d.FirstBad), d.MaxAbs)
		}
		maxAbs, maxRatio = max(maxAbs, d.MaxAbs), max(maxRatio, d.MaxRatio)
	}
	fmt.Fprintf(stdout, "ok   %-40s %5d IR ops  load %-9v run %-9v max abs err %.3g = %.2g of tolerance (rtol %g, atol %g)\n",
		c.Name, len(f.Ops), tLoad.Round(time.Millisecond), tRun.Round(time.Millisecond), maxAbs, maxRatio, c.RTol, c.ATol)
	return nil
}
