package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// Comparing backends with each other (verify -backend interp,trt-ref,...),
// as polygraphy run --trt --onnxrt does: no TensorFlow outputs needed.
// Each model runs on seeded random inputs (or a case's own inputs) on
// every backend, and each backend after the first is compared with the
// first, the reference.

// Default tolerances between two backends at fp32: the passes reassociate
// floats (batch-norm folding, fused reductions), so results differ in the
// last bits; 1e-4 relative and absolute is TF's own assert_allclose-style
// margin for such rewrites.
const compareRTol, compareATol = 1e-4, 1e-4

// compareArgs resolves verify's arguments for a comparison: case folders
// (their model and inputs) or MODEL files (seeded random inputs).
func compareArgs(args []string) ([]*golden.Case, error) {
	var cases []*golden.Case
	for _, arg := range args {
		st, err := os.Stat(arg)
		if err != nil {
			return nil, fileError(arg, err)
		}
		if st.IsDir() && !tfc.IsSavedModel(arg) {
			cs, err := golden.Find(arg)
			if err != nil {
				return nil, err
			}
			if len(cs) == 0 {
				return nil, fmt.Errorf("%s: no case.json here or in its subdirectories", arg)
			}
			cases = append(cases, cs...)
			continue
		}
		cases = append(cases, &golden.Case{Name: filepath.ToSlash(arg), ModelPath: arg})
	}
	return cases, nil
}

// compareCase runs c on every backend and compares each with the first.
// With a mark (-mark-all, -mark) the marked layer outputs are compared
// too, in layer order, and the first that differs is named.
func compareCase(c *golden.Case, backendList []string, seed uint64, rtolFlag, atolFlag float64, prec *precisionFlags, prof *profileFlags, mark *markSpec, stderr io.Writer) []*caseResult {
	ref := backendList[0]
	fail := func(err error) []*caseResult {
		var out []*caseResult
		for _, b := range backendList[1:] {
			out = append(out, &caseResult{Name: c.Name, Model: c.Model(), Backend: b, Reference: ref, Outputs: []outputResult{}, Error: oneLine(err.Error())})
		}
		return out
	}
	var cfg passes.Config
	if err := prec.config(&cfg, stderr); err != nil {
		return fail(err)
	}
	rtol, atol := compareRTol, compareATol
	if prec.reduced() {
		t := passes.PrecisionTolerance(cfg.Precision)
		rtol, atol = max(rtol, t), max(atol, t)
	}
	if rtolFlag >= 0 {
		rtol = rtolFlag
	}
	if atolFlag >= 0 {
		atol = atolFlag
	}
	in, names, err := compareInputs(c, seed)
	if err != nil {
		return fail(err)
	}
	want, marked, _, _, err := runCaseMarked(c, ref, cfg, prof, in, mark)
	if err != nil {
		return fail(fmt.Errorf("%s: %v", ref, err))
	}
	if mark != nil {
		names = marked
	}
	var out []*caseResult
	for _, b := range backendList[1:] {
		res := &caseResult{Name: c.Name, Model: c.Model(), Backend: b, Reference: ref, Outputs: []outputResult{}}
		if prec.reduced() {
			res.Precision = prec.precision
		}
		got, gotNames, tLoad, tRun, err := runCaseMarked(c, b, cfg, prof, in, mark)
		if err == nil && mark != nil && !slices.Equal(gotNames, names) {
			err = fmt.Errorf("marked outputs: %s marked %d tensors, %s %d", b, len(gotNames), ref, len(names))
		}
		if err != nil {
			res.Error = oneLine(err.Error())
			out = append(out, res)
			continue
		}
		res.tLoad, res.tRun = tLoad, tRun
		res.CompileSeconds, res.RunSeconds = tLoad.Seconds(), tRun.Seconds()
		res.OK = true
		for i := range want {
			r := compareOutput(names[i], got[i], want[i], rtol, atol)
			if mark != nil && !r.OK && res.FirstDiffering == "" {
				res.FirstDiffering = names[i]
			}
			res.OK = res.OK && r.OK
			res.Outputs = append(res.Outputs, r)
		}
		out = append(out, res)
	}
	return out
}

// compareInputs returns a case's inputs, or seeded random ones for a bare
// model, and the model's output names.
func compareInputs(c *golden.Case, seed uint64) (map[string]*tensor.Tensor, []string, error) {
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes(), Signature: c.Signature})
	if err != nil {
		return nil, nil, err
	}
	var names []string
	for _, o := range f.Outputs {
		names = append(names, o.Name)
	}
	if len(c.Inputs) > 0 {
		in, err := c.ReadInputs()
		return in, names, err
	}
	rng := rand.New(rand.NewPCG(seed, 0x7466632d72756e))
	in := map[string]*tensor.Tensor{}
	for _, op := range f.Inputs() {
		t := op.Results[0].Type
		x, err := randomTensor(rng, t.DType, t.Shape)
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %v", op.Str("name"), err)
		}
		in[op.Str("name")] = x
	}
	return in, names, nil
}

// parseBackends splits -backend a,b,c and checks each name.
func parseBackends(s string) ([]string, error) {
	var list []string
	seen := map[string]bool{}
	for _, b := range strings.Split(s, ",") {
		b = strings.TrimSpace(b)
		if _, ok := backends[b]; !ok {
			return nil, fmt.Errorf("unknown -backend=%s (want interp, trt-ref or trt, or a comma-separated list of them)", b)
		}
		if seen[b] {
			return nil, fmt.Errorf("-backend=%s names %s twice", s, b)
		}
		seen[b] = true
		list = append(list, b)
	}
	return list, nil
}

// runCompare is verify with several backends.
func runCompare(args, backendList []string, seed uint64, rtol, atol float64, prec *precisionFlags, prof *profileFlags, mark *markSpec, format *formatFlag, quiet bool, stdout, stderr io.Writer) error {
	cases, err := compareArgs(args)
	if err != nil {
		return err
	}
	rep := verifyReport{Schema: schemaVersion, Backend: strings.Join(backendList, ","), Reference: backendList[0], Cases: []*caseResult{}}
	failed := 0
	bar := newProgress(stderr, quiet, len(cases), "compare")
	for _, c := range cases {
		ok := true
		results := compareCase(c, backendList, seed, rtol, atol, prec, prof, mark, stderr)
		bar.clear()
		for _, res := range results {
			if !format.json {
				res.writeText(stdout)
			}
			rep.Cases = append(rep.Cases, res)
			ok = ok && res.OK
		}
		if ok {
			rep.Passed++
		} else {
			failed++
		}
		bar.step()
	}
	bar.done()
	rep.Failed, rep.OK = failed, failed == 0
	if format.json {
		if err := writeJSON(stdout, rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(stdout, "%d/%d models agree on backends %s (reference %s)\n", len(cases)-failed, len(cases), strings.Join(backendList[1:], ", "), backendList[0])
	}
	if failed > 0 {
		verb := "differ"
		if failed == 1 {
			verb = "differs"
		}
		return &exitError{code: 1, msg: fmt.Sprintf("%s %s across backends", count(failed, "model"), verb)}
	}
	return nil
}
