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
		op.Attrs["value"] = t
	}
	return nil
}

// sameOutputs runs two functions with the same inputs on seeded random
// data and compares their outputs. Elided constants get seeded data
// (fillElided). With staleTypes, a's printed types are stale on purpose so
// a cannot run: b must run, every kernel result having its declared type.
func sameOutputs(a, b *ir.Func, tol float64, staleTypes bool) error {
	for _, fn := range []*ir.Func{a, b} {
		if err := fillElided(fn); err != nil {
			return err
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	in := map[string]*tensor.Tensor{}
	for _, op := range a.Inputs() {
		typ := op.Results[0].Type
		t := tensor.MustNew(typ.DType, typ.Shape)
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
