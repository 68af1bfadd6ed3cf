package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

func runVerify(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("verify", "[-backend B[,B2...] | -engine FILE.plan] [-tf-outputs DIR] [-rtol R] [-atol A] MODEL|DIR...",
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
			"1e-2, bf16: 6.25e-2, relative and absolute) or the case's, if larger.\n"+
			"With several backends (-backend interp,trt-ref,trt) verify compares them with\n"+
			"each other instead, as polygraphy does, and needs no TensorFlow outputs: each\n"+
			"model runs on a case's inputs or on seeded random ones (-seed), and every backend\n"+
			"after the first is compared with the first (default -rtol and -atol 1e-4).\n"+
			"-backend=trt builds and runs strict FP32 engines and keeps the case's tolerance;\n"+
			"with -tf32 (TF32 convolutions and matrix products) it is at least fp16's, 1e-2;\n"+
			"-tf32x3 (FP32-accurate products on TF32 tensor cores) keeps the case's. On\n"+
			"-backend=trt-ref both round those products' inputs to TF32 as the GPU may.\n"+
			"-engine FILE.plan runs one engine built before on every case instead (a dynamic\n"+
			"engine at each case's input shapes, inside its optimization profiles).", stderr)
	addMemoryFlag(fs)
	backend := fs.String("backend", "interp", backendUsage+", or trt (a TensorRT engine on the GPU); several, comma-separated, are compared with each other")
	markAll := fs.Bool("mark-all", false, "with -backend trt-ref,trt (either order): mark every layer's output as a network output, compare each, and name the first that differs (polygraphy's --trt-outputs mark all); the engine is built with those outputs, which may change its fusions")
	var markPatterns listFlag
	fs.Var(&markPatterns, "mark", "like -mark-all, for the layers whose names match `patterns` only (path.Match syntax, comma-separated, repeatable; names as compile -emit=network prints them): fewer marked outputs change fewer fusions")
	seed := fs.Uint64("seed", 1, "seed for the random inputs of a MODEL compared across backends")
	tfOut := fs.String("tf-outputs", "", "`DIR` holding case.json and TensorFlow's outputs for a MODEL argument")
	var rtolF, atolF optFloat
	fs.Var(&rtolF, "rtol", "relative tolerance `R` (default: from case.json)")
	fs.Var(&atolF, "atol", "absolute tolerance `A` (default: from case.json)")
	rtol, atol := rtolF.orElse(-1), atolF.orElse(-1)
	engine := fs.String("engine", "", "verify this serialized TensorRT engine (`FILE.plan`, from compile -emit=engine) instead of compiling each case: one engine runs every case, a dynamic one at each case's input shapes (needs -tags tensorrt_rtx and a GPU)")
	prec := addPrecisionFlags(fs)
	profiles := &profileFlags{}
	profiles.add(fs)
	format := addFormatFlag(fs)
	quiet := addQuietFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return &exitError{code: 2, msg: "want at least one MODEL or DIR"}
	}
	if err := profiles.collectProfiles(nil); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	backendList, err := parseBackends(*backend)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	var mark *markSpec
	if *markAll || len(markPatterns) > 0 {
		if len(backendList) < 2 || slices.Contains(backendList, "interp") {
			return &exitError{code: 2, msg: "-mark-all and -mark compare TensorRT networks layer by layer: they need -backend trt-ref,trt (or trt,trt-ref)"}
		}
		if mark, err = newMarkSpec(*markAll, markPatterns); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	var eng *tensorrt.Engine
	if *engine != "" {
		if len(backendList) > 1 || *backend != "interp" && *backend != "trt" || profiles.dynamic() || prec.reduced() || prec.calibration != "" || engineAllowsTF32() || mark != nil {
			return &exitError{code: 2, msg: "-engine verifies the engine as it was built (its FP32 maths is the .plan.json's fp32_math): it takes no -backend other than trt, no profile, precision, -tf32, -tf32x3 or -mark flags"}
		}
		if eng, err = tensorrt.Load(*engine); err != nil {
			return err
		}
		defer eng.Close()
		*backend = "trt"
	}
	if len(backendList) > 1 {
		return runCompare(pos, backendList, *seed, rtol(), atol(), prec, profiles, mark, format, *quiet, stdout, stderr)
	}
	var cases []*golden.Case
	for _, arg := range pos {
		cs, err := findCases(arg, *tfOut)
		if err != nil {
			return err
		}
		cases = append(cases, cs...)
	}
	rep := verifyReport{Schema: schemaVersion, Backend: *backend, Cases: []*caseResult{}}
	bar := newProgress(stderr, *quiet, len(cases), "verify")
	for _, c := range cases {
		res := verifyCase(c, *backend, rtol(), atol(), prec, profiles, eng, stderr)
		bar.clear()
		if !format.json {
			res.writeText(stdout)
			if !res.OK && res.Error == "" && *backend != "interp" && c.TRTDiffers != "" {
				fmt.Fprintf(stdout, "  note: a documented difference of TensorRT's semantics: %s\n", c.TRTDiffers)
			}
		}
		rep.Cases = append(rep.Cases, res)
		if res.OK {
			rep.Passed++
		} else {
			rep.Failed++
		}
		bar.step()
	}
	bar.done()
	rep.OK = rep.Failed == 0
	failed := rep.Failed
	if format.json {
		if err := writeJSON(stdout, rep); err != nil {
			return err
		}
		if failed > 0 {
			return &exitError{code: 1}
		}
		return nil
	}
	fmt.Fprintf(stdout, "%d/%d cases match TensorFlow (backend %s)\n", len(cases)-failed, len(cases), *backend)
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d case(s) failed", failed)}
	}
	return nil
}

// verifyReport is verify's -format=json document.
type verifyReport struct {
	Schema  string `json:"schema"`
	Backend string `json:"backend"`
	// Reference is the first of several backends, which the others are
	// compared with.
	Reference string        `json:"reference,omitempty"`
	OK        bool          `json:"ok"`
	Passed    int           `json:"passed"`
	Failed    int           `json:"failed"`
	Cases     []*caseResult `json:"cases"`
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

// caseResult is one case of verify (-format=json prints them).
type caseResult struct {
	Name    string `json:"name"`
	Model   string `json:"model"`
	Backend string `json:"backend"`
	// Reference is the backend compared with (several -backend), absent
	// when the comparison is with TensorFlow's outputs.
	Reference string `json:"reference,omitempty"`
	Precision string `json:"precision,omitempty"` // fp16 or bf16; absent for fp32
	TF32      bool   `json:"tf32,omitempty"`      // -tf32 on the trt or trt-ref backend
	TF32x3    bool   `json:"tf32x3,omitempty"`    // -tf32x3 on the trt or trt-ref backend
	// OK: every output within tolerance.
	OK             bool           `json:"ok"`
	Error          string         `json:"error,omitempty"` // the case could not run
	CompileSeconds float64        `json:"compile_seconds"`
	RunSeconds     float64        `json:"run_seconds"`
	Outputs        []outputResult `json:"outputs"`
	// FirstDiffering is, with -mark-all, the first tensor in layer order
	// outside the tolerance (the layer where the backends part).
	FirstDiffering string `json:"first_differing,omitempty"`

	tLoad, tRun time.Duration
}

// outputResult compares one output with the expected tensor.
type outputResult struct {
	Name     string `json:"name"`
	Shape    []int  `json:"shape"`
	Elements int    `json:"elements"`
	// MaxAbsErr is the largest |got-want|, MaxRelErr the largest
	// |got-want|/|want| (over want ≠ 0), ErrOverTolerance the largest
	// |got-want|/(atol+rtol·|want|): at most 1 passes.
	MaxAbsErr        number `json:"max_abs_err"`
	MaxRelErr        number `json:"max_rel_err"`
	ErrOverTolerance number `json:"err_over_tolerance"`
	Mismatches       int    `json:"mismatches"` // elements outside the tolerance
	RTol             number `json:"rtol"`
	ATol             number `json:"atol"`
	OK               bool   `json:"ok"`
	// Note explains an ok that may surprise: "within atol where rel err >
	// rtol" when elements near zero have a large relative error.
	Note          string    `json:"note,omitempty"`
	FirstMismatch *mismatch `json:"first_mismatch,omitempty"`
	// VsFP32 is the error against tfc's own fp32 run (-precision).
	VsFP32 *errPair `json:"vs_fp32,omitempty"`
	Error  string   `json:"error,omitempty"` // dtype or shape differ
}

type mismatch struct {
	Index int    `json:"index"` // flat, row-major
	Got   number `json:"got"`
	Want  number `json:"want"`
}

type errPair struct {
	MaxAbsErr number `json:"max_abs_err"`
	MaxRelErr number `json:"max_rel_err"`
}

// compareOutput compares got with want at a tolerance.
func compareOutput(name string, got, want *tensor.Tensor, rtol, atol float64) outputResult {
	r := outputResult{Name: name, Shape: shapeJSON(want.Shape), Elements: want.Len(), RTol: number(rtol), ATol: number(atol)}
	g := got
	if g.DType != want.DType && g.DType.IsFloat() && want.DType.IsFloat() {
		var err error
		if g, err = kernels.Cast(g, want.DType); err != nil { // -io-precision
			r.Error = err.Error()
			return r
		}
	}
	d, err := golden.Compare(g, want, rtol, atol)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	r.MaxAbsErr, r.MaxRelErr, r.ErrOverTolerance, r.Mismatches = number(d.MaxAbs), number(d.MaxRel), number(d.MaxRatio), d.Bad
	r.OK = d.Bad == 0
	if d.MaxRel > rtol && d.Bad == 0 {
		// Elements near zero: their relative error is large but their
		// absolute error is within atol.
		r.Note = "within atol where rel err > rtol"
	}
	if d.Bad > 0 {
		r.FirstMismatch = &mismatch{Index: d.FirstBad, Got: number(g.Float64At(d.FirstBad)), Want: number(want.Float64At(d.FirstBad))}
	}
	return r
}

// verdict is the result column of a row.
func (r *outputResult) verdict() string {
	switch {
	case r.Error != "":
		return "FAIL: " + r.Error
	case r.FirstMismatch != nil:
		m := r.FirstMismatch
		return fmt.Sprintf("FAIL (first at %d: got %g, want %g)", m.Index, float64(m.Got), float64(m.Want))
	case r.Note != "":
		return "ok (" + r.Note + ")"
	}
	return "ok"
}

// verifyCase runs one case against TensorFlow's outputs.
func verifyCase(c *golden.Case, backend string, rtolFlag, atolFlag float64, prec *precisionFlags, prof *profileFlags, eng *tensorrt.Engine, stderr io.Writer) *caseResult {
	res := &caseResult{Name: c.Name, Model: c.Model(), Backend: backend, Outputs: []outputResult{}}
	if err := verifyCaseErr(c, res, rtolFlag, atolFlag, prec, prof, eng, stderr); err != nil {
		res.OK, res.Error = false, oneLine(err.Error())
	}
	return res
}

func verifyCaseErr(c *golden.Case, res *caseResult, rtolFlag, atolFlag float64, prec *precisionFlags, prof *profileFlags, eng *tensorrt.Engine, stderr io.Writer) error {
	var cfg passes.Config
	if err := prec.config(&cfg, stderr); err != nil {
		return err
	}
	reduced := prec.reduced()
	if reduced {
		res.Precision = prec.precision
		if cfg.Calibration != nil {
			res.Precision = prec.quantType
			if prec.precision != "fp32" {
				res.Precision += "+" + prec.precision
			}
		}
	}
	trtBackend := res.Backend == "trt" || res.Backend == "trt-ref"
	res.TF32, res.TF32x3 = trtBackend && engineTF32, trtBackend && engineTF32x3
	in, err := c.ReadInputs()
	if err != nil {
		return err
	}
	want, err := c.ReadOutputs()
	if err != nil {
		return err
	}
	var got []*tensor.Tensor
	var tLoad, tRun time.Duration
	if eng != nil {
		res.Model = "" // the engine's, not the case's model
		res.TF32 = eng.Sidecar() != nil && eng.Sidecar().FP32Math == tensorrt.FP32MathTF32
		res.TF32x3 = eng.Sidecar() != nil && eng.Sidecar().FP32Math == tensorrt.FP32MathTF32x3
		t0 := time.Now()
		got, err = runEngineCase(eng, c, in)
		tRun = time.Since(t0)
	} else {
		got, tLoad, tRun, err = runCase(c, res.Backend, cfg, prof, in)
	}
	if err != nil {
		return err
	}
	res.tLoad, res.tRun = tLoad, tRun
	res.CompileSeconds, res.RunSeconds = tLoad.Seconds(), tRun.Seconds()
	var ref []*tensor.Tensor // tfc's own fp32 outputs
	if reduced {
		if ref, _, _, err = runCase(c, res.Backend, passes.Config{}, prof, in); err != nil {
			return fmt.Errorf("fp32 run: %v", err)
		}
	}
	res.OK = true
	for i := range want {
		rtol, atol := c.Tolerance(i)
		if reduced {
			t := passes.PrecisionTolerance(cfg.Precision) // INT8: the case's, unless -rtol/-atol
			rtol, atol = max(rtol, t), max(atol, t)
		}
		if res.TF32 { // TF32 rounds multiplicands to fp16's 10-bit mantissa
			t := passes.PrecisionTolerance(tensor.Float16)
			rtol, atol = max(rtol, t), max(atol, t)
		}
		if rtolFlag >= 0 {
			rtol = rtolFlag
		}
		if atolFlag >= 0 {
			atol = atolFlag
		}
		r := compareOutput(c.Outputs[i].Name, got[i], want[i], rtol, atol)
		if reduced && r.Error == "" {
			vs := compareOutput(c.Outputs[i].Name, got[i], ref[i], 0, 0)
			if vs.Error != "" {
				return fmt.Errorf("output %s: against fp32: %v", c.Outputs[i].Name, vs.Error)
			}
			r.VsFP32 = &errPair{vs.MaxAbsErr, vs.MaxRelErr}
		}
		res.OK = res.OK && r.OK
		res.Outputs = append(res.Outputs, r)
	}
	return nil
}

// writeText prints a case's table.
func (res *caseResult) writeText(w io.Writer) {
	if res.Error != "" {
		fmt.Fprintf(w, "FAIL %s: %s\n", res.Name, res.Error)
		return
	}
	title := fmt.Sprintf("%s (backend %s", res.Name, res.Backend)
	if res.Reference != "" {
		title = fmt.Sprintf("%s (backend %s vs %s", res.Name, res.Backend, res.Reference)
	}
	if res.Precision != "" {
		title += ", precision " + res.Precision
	}
	if res.TF32 {
		title += ", tf32"
	}
	if res.TF32x3 {
		title += ", tf32x3"
	}
	fmt.Fprintf(w, "%s): compile %s, run %s\n", title, duration(res.tLoad), duration(res.tRun))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if res.Precision != "" {
		fmt.Fprintln(tw, "  output\tshape\tmax abs err\tmax rel err\tvs tfc fp32: abs\trel\terr/tolerance\tmismatches\trtol\tatol\tresult")
	} else {
		fmt.Fprintln(tw, "  output\tshape\tmax abs err\tmax rel err\terr/tolerance\tmismatches\trtol\tatol\tresult")
	}
	for _, r := range res.Outputs {
		if r.Error != "" {
			fmt.Fprintf(tw, "  %s\t\t\t\t\t\t\t\t%s\n", r.Name, r.verdict())
			continue
		}
		vsRef := ""
		if r.VsFP32 != nil {
			vsRef = fmt.Sprintf("%.3g\t%.3g\t", float64(r.VsFP32.MaxAbsErr), float64(r.VsFP32.MaxRelErr))
		}
		fmt.Fprintf(tw, "  %s\t%v\t%.3g\t%.3g\t%s%.3g\t%d/%d\t%g\t%g\t%s\n", r.Name, tensor.Shape(r.Shape), float64(r.MaxAbsErr), float64(r.MaxRelErr), vsRef, float64(r.ErrOverTolerance), r.Mismatches, r.Elements, float64(r.RTol), float64(r.ATol), r.verdict())
	}
	tw.Flush()
	if res.FirstDiffering != "" {
		fmt.Fprintf(w, "  first tensor that differs, in layer order: %s\n", res.FirstDiffering)
	}
}

// runEngineCase runs a case on a loaded engine: its inputs are cast to the
// engine's input types, and the engine's outputs are matched to the case's
// by name.
func runEngineCase(e *tensorrt.Engine, c *golden.Case, in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	_, types, err := engineInputs(e)
	if err != nil {
		return nil, err
	}
	feed := make(map[string]*tensor.Tensor, len(in))
	for name, x := range in {
		dt, ok := types[name]
		if !ok {
			return nil, fmt.Errorf("the case's input %s is not an input of the engine", name)
		}
		if feed[name], err = kernels.Cast(x, dt); err != nil {
			return nil, err
		}
	}
	outs, err := e.InferTensors(feed)
	if err != nil {
		return nil, err
	}
	_, infos := e.IO()
	byName := map[string]*tensor.Tensor{}
	var names []string
	for i, o := range infos {
		byName[o.Name] = outs[i]
		names = append(names, o.Name)
	}
	got := make([]*tensor.Tensor, len(c.Outputs))
	for i, o := range c.Outputs {
		t, ok := byName[o.Name]
		if !ok {
			return nil, fmt.Errorf("the engine has no output %s (outputs: %s)", o.Name, strings.Join(names, ", "))
		}
		got[i] = t
	}
	return got, nil
}

// runCase compiles a case for backend with cfg and runs it on in (cast to
// the compiled inputs' types where -io-precision changed them).
//
// With profiles (prof.dynamic()), the case's model is compiled with its
// unknown input dimensions symbolic, checked against the profiles, and run
// at the case's input shapes, which must lie inside one profile.
func runCase(c *golden.Case, backend string, cfg passes.Config, prof *profileFlags, in map[string]*tensor.Tensor) (out []*tensor.Tensor, tLoad, tRun time.Duration, err error) {
	out, _, tLoad, tRun, err = runCaseMarked(c, backend, cfg, prof, in, nil)
	return out, tLoad, tRun, err
}

// runCaseMarked is runCase; with a mark (trt-ref and trt only) it also
// returns the layer outputs it marks, all in the order of names.
func runCaseMarked(c *golden.Case, backend string, cfg passes.Config, prof *profileFlags, in map[string]*tensor.Tensor, mark *markSpec) (out []*tensor.Tensor, names []string, tLoad, tRun time.Duration, err error) {
	t0 := time.Now()
	opts := tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes(), Signature: c.Signature}
	if prof.dynamic() {
		opts.InputShapes, opts.Symbolic, opts.Profiles = nil, true, prof.profiles
	}
	f, err := tfc.Load(c.Model(), opts)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	if prof.dynamic() {
		if err := ir.CheckProfiles(f, prof.profiles); err != nil {
			return nil, nil, 0, 0, err
		}
		if err := prof.contains(in); err != nil {
			return nil, nil, 0, 0, err
		}
	}
	run, names, err := prepareMarked(backend, f, cfg, prof.profiles, mark)
	if err != nil {
		return nil, nil, 0, 0, err
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
				return nil, nil, 0, 0, err
			}
		}
	}
	t1 := time.Now()
	out, err = run(feed)
	return out, names, tLoad, time.Since(t1), err
}
