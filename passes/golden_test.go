package passes

import (
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

var update = flag.Bool("update", false, "rewrite the want.tfir section of the golden files")

// TestGoldenText runs every testdata/passes/<pass>/*.txtar: the input IR
// goes through the pass (or the pipeline named by a "passes:" line in the
// file's comment) and must print as the want IR. The test also runs both
// versions on seeded random inputs (elided constants filled with seeded
// data keyed by their loc) and checks the outputs agree (bit for bit for
// exact passes).
func TestGoldenText(t *testing.T) {
	files, err := filepath.Glob("../testdata/passes/*/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skip("no golden files yet")
	}
	for _, file := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "../testdata/passes/"), ".txtar")
		t.Run(name, func(t *testing.T) { runGoldenFile(t, file) })
	}
}

func runGoldenFile(t *testing.T, file string) {
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	list := []string{filepath.Base(filepath.Dir(file))}
	verifyInput := true
	tolerance := -1.0 // from a "tolerance:" line; else by the passes' kind
	var cfg Config
	for _, line := range strings.Split(string(ar.Comment), "\n") {
		line = strings.TrimSpace(line)
		if rest, ok := strings.CutPrefix(line, "precision:"); ok {
			cfg.Precision, _ = tensor.ParseDType(strings.TrimSpace(rest))
		}
		if rest, ok := strings.CutPrefix(line, "io-precision:"); ok {
			cfg.IOPrecision, _ = tensor.ParseDType(strings.TrimSpace(rest))
		}
		if rest, ok := strings.CutPrefix(line, "keep-fp32:"); ok {
			cfg.KeepFP32 = ParseList(rest)
		}
		if line == "calibration-fp8: true" {
			cfg.CalibrationFP8 = true
		}
		if rest, ok := strings.CutPrefix(line, "calibration:"); ok {
			cfg.Calibration = map[string]float64{}
			for _, kv := range ParseList(rest) {
				name, v, _ := strings.Cut(kv, "=")
				amax, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("calibration %q: %v", kv, err)
				}
				cfg.Calibration[name] = amax
			}
		}
		if rest, ok := strings.CutPrefix(line, "passes:"); ok {
			list = ParseList(rest)
		}
		if rest, ok := strings.CutPrefix(line, "tolerance:"); ok {
			v, err := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			if err != nil {
				t.Fatalf("tolerance: %v", err)
			}
			tolerance = v
		}
		if line == "stale-types: true" {
			verifyInput = false // the input's printed types are stale on purpose (shapes tests)
		}
	}
	var input, want []byte
	wantIdx := -1
	for i, f := range ar.Files {
		switch f.Name {
		case "input.tfir":
			input = f.Data
		case "want.tfir":
			want, wantIdx = f.Data, i
		default:
			t.Fatalf("unknown section %q (want input.tfir and want.tfir)", f.Name)
		}
	}
	if input == nil {
		t.Fatal("no input.tfir section")
	}
	f, err := ir.Parse(file, input)
	if err != nil {
		t.Fatal(err)
	}
	if err := ir.Verify(f); err != nil && verifyInput {
		t.Fatalf("input does not verify: %v", err)
	}
	before, err := ir.Parse(file, input)
	if err != nil {
		t.Fatal(err)
	}
	exact := true
	for _, name := range list {
		p, ok := Lookup(name)
		if !ok {
			t.Fatalf("unknown pass %q", name)
		}
		exact = exact && p.Exact
	}
	var warnings []string
	cfg.Warn = func(s string) { warnings = append(warnings, s) }
	if _, err := Run(f, Options{Passes: list, VerifyEach: true, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		t.Logf("warning: %s", w)
	}
	got := f.String()
	if *update {
		if wantIdx < 0 {
			ar.Files = append(ar.Files, txtar.File{Name: "want.tfir"})
			wantIdx = len(ar.Files) - 1
		}
		ar.Files[wantIdx].Data = []byte(got)
		if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want == nil {
		t.Fatalf("no want.tfir section (run with -update to create it); got:\n%s", got)
	} else if got != string(want) {
		t.Errorf("after %v:\n%s\nwant:\n%s", list, got, want)
	}
	tol := 0.0
	if !exact {
		tol = Tolerance
	}
	if cfg.Precision == tensor.Float16 || cfg.Precision == tensor.BFloat16 {
		tol = PrecisionTolerance(cfg.Precision)
	}
	if cfg.Calibration != nil {
		tol = 0.1 // INT8: a few quantization steps of the ranges the files give
	}
	if tolerance >= 0 {
		tol = tolerance
	}
	if err := sameOutputs(before, f, tol, !verifyInput); err != nil {
		t.Errorf("outputs changed: %v", err)
	}
}

// fillElided gives every elided constant of f seeded random data: the
// seed is the constant's loc and type, so the same constant before and
// after a pass gets the same data and two different ones (different locs)
// get different data.
func fillElided(f *ir.Func) error {
	for _, op := range f.Ops {
		if op.Opcode != ir.OpConst || !ir.IsElided(op.Tensor("value")) {
			continue
		}
		if op.Loc == "" {
			return fmt.Errorf("elided constant of type %v has no loc to seed its data", op.Result().Type)
		}
		typ := op.Result().Type
		h := fnv.New64a()
		fmt.Fprintf(h, "%s %v %v", op.Loc, typ.DType, typ.Shape)
		rng := rand.New(rand.NewPCG(h.Sum64(), 21))
		t := tensor.MustNew(typ.DType, typ.Shape)
		for i := range t.F32 {
			t.F32[i] = float32(rng.Float64()*4 - 2)
		}
		t.RoundToDType()
		for i := range t.I32 {
			t.I32[i] = int32(rng.IntN(7)) - 3
		}
		for i := range t.I64 {
			t.I64[i] = int64(rng.IntN(7)) - 3
		}
		for i := range t.B {
			t.B[i] = rng.IntN(2) == 0
		}
		op.Attrs.Set("value", t)
	}
	return nil
}

// sameOutputs runs two functions with the same inputs on seeded random
// data and compares their outputs. Elided constants get seeded data
// (fillElided). With staleTypes, a's printed types are stale on purpose so
// a cannot run: b must run, every kernel result having its declared type.
// A function with symbolic input dimensions runs at each of
// symbolicSizes: the k-th binds every symbol to a size of its own.
func sameOutputs(a, b *ir.Func, tol float64, staleTypes bool) error {
	for _, fn := range []*ir.Func{a, b} {
		if err := fillElided(fn); err != nil {
			return err
		}
	}
	symbols := map[string]int{}
	for _, op := range a.Inputs() {
		for _, d := range op.Results[0].Type.Dims {
			for _, s := range d.Symbols() {
				if _, ok := symbols[s]; !ok {
					symbols[s] = len(symbols)
				}
			}
		}
	}
	if len(symbols) == 0 {
		return sameOutputsAt(a, b, tol, staleTypes, nil)
	}
	for _, base := range symbolicSizes {
		bind := map[string]int64{}
		for s, i := range symbols {
			bind[s] = base + int64(i)
		}
		if err := sameOutputsAt(a, b, tol, staleTypes, bind); err != nil {
			return fmt.Errorf("at %v: %v", bind, err)
		}
	}
	return nil
}

// symbolicSizes are the sizes symbolic dimensions take in the semantic
// check (the i-th symbol of a function adds i): 1, where broadcasting and
// size-1 special cases live, and two others.
var symbolicSizes = []int64{1, 3, 6}

// sameOutputsAt is sameOutputs at one binding of the symbols (nil for a
// static function).
func sameOutputsAt(a, b *ir.Func, tol float64, staleTypes bool, bind map[string]int64) error {
	rng := rand.New(rand.NewPCG(1, 2))
	in := map[string]*tensor.Tensor{}
	for _, op := range a.Inputs() {
		typ := op.Results[0].Type
		shape := typ.Shape
		if typ.Symbolic() {
			shape = make(tensor.Shape, typ.Rank())
			for i, d := range typ.Dims {
				v, err := d.Eval(func(s string) (int64, bool) { v, ok := bind[s]; return v, ok })
				if err != nil {
					return err
				}
				shape[i] = int(v)
			}
		}
		t := tensor.MustNew(typ.DType, shape)
		for i := range t.F32 {
			t.F32[i] = float32(rng.Float64()*4 - 2)
		}
		t.RoundToDType()
		for i := range t.I32 {
			t.I32[i] = int32(rng.IntN(7)) + 1
		}
		for i := range t.I64 {
			t.I64[i] = int64(rng.IntN(7)) + 1
		}
		for i := range t.B {
			t.B[i] = rng.IntN(2) == 0
		}
		in[op.Str("name")] = t
	}
	if staleTypes {
		// a cannot run; b must, with every kernel result of its declared
		// type (interp checks that), which is what re-inferring types is
		// for.
		if _, err := interp.Run(b, in); err != nil {
			return fmt.Errorf("after: %v", err)
		}
		return nil
	}
	ra, err := interp.Run(a, in)
	if err != nil {
		return fmt.Errorf("before: %v", err)
	}
	inB := map[string]*tensor.Tensor{} // io-precision changes input types
	for _, op := range b.Inputs() {
		name := op.Str("name")
		x, err := kernels.Cast(in[name], op.Result().Type.DType)
		if err != nil {
			return err
		}
		inB[name] = x
	}
	rb, err := interp.Run(b, inB)
	if err != nil {
		return fmt.Errorf("after: %v", err)
	}
	if len(ra) != len(rb) {
		return fmt.Errorf("%d outputs before, %d after", len(ra), len(rb))
	}
	for i := range ra {
		x, err := kernels.Cast(rb[i], ra[i].DType) // io-precision changes output types
		if err != nil {
			return err
		}
		d, err := golden.Compare(x, ra[i], tol, tol)
		if err != nil {
			return fmt.Errorf("output %s: %v", a.Outputs[i].Name, err)
		}
		if d.Bad > 0 {
			return fmt.Errorf("output %s: %d elements differ (max abs %g)", a.Outputs[i].Name, d.Bad, d.MaxAbs)
		}
	}
	return nil
}

// TestSameOutputsSymbolicSizes: the semantic check runs a symbolic
// function at several sizes, so two functions that agree only at N=1 (a
// sum and a max over the batch) are told apart.
func TestSameOutputsSymbolicSizes(t *testing.T) {
	parse := func(kind string) *ir.Func {
		f, err := ir.Parse(kind, []byte(`func @f {
  %0 = input {name="x:0"} : f32[N,2]
  %1 = reduce(%0) {kind="`+kind+`", axes=[0], keep_dims=true} : f32[1,2]
  return "y:0" = %1
}
`))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	if err := sameOutputs(parse("sum"), parse("sum"), 0, false); err != nil {
		t.Errorf("sum vs sum: %v", err)
	}
	err := sameOutputs(parse("sum"), parse("max"), 0, false)
	if err == nil || !strings.Contains(err.Error(), "at map[N:3]") {
		t.Errorf("sum vs max: %v, want a difference at N=3", err)
	}
}

// TestEveryPassSymbolic: every pass of the table has a golden case with
// symbolic dimensions (testdata/passes/<pass>/symbolic.txtar).
func TestEveryPassSymbolic(t *testing.T) {
	for _, p := range Passes() {
		if _, err := os.Stat("../testdata/passes/" + p.Name + "/symbolic.txtar"); err != nil {
			t.Errorf("pass %s: no golden case with symbolic dimensions: %v", p.Name, err)
		}
	}
}
