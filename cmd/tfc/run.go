package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// inputFiles collects -input NAME=FILE.npy flags.
type inputFiles map[string]string

func (m inputFiles) String() string { return "" }

func (m inputFiles) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	if !ok || name == "" || file == "" {
		return fmt.Errorf("%q: want NAME=FILE.npy", v)
	}
	m[tensorName(name)] = file
	return nil
}

func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "[-input NAME=FILE.npy]... [-o DIR] MODEL",
		"Run executes MODEL on the CPU: with the IR reference interpreter (-backend=interp),\n"+
			"or as the TensorRT network tfc builds, on the reference executor (-backend=trt-ref). Inputs come from .npy files;\n"+
			"inputs not given are filled with seeded random data (uniform in [-1,1) for floats,\n"+
			"[0,10) for integers) and, with -o, saved beside the outputs as input_<name>.npy.\n"+
			"Each output is written to DIR as <name>.npy (name with / and : replaced by _),\n"+
			"and summarised on standard output.", stderr)
	ins := inputFiles{}
	fs.Var(ins, "input", "an input, `NAME=FILE.npy` (repeatable); its shape sets the input's shape")
	outDir := fs.String("o", "", "write outputs (and generated inputs) to `DIR`")
	seed := fs.Uint64("seed", 1, "seed for generated inputs")
	backend := fs.String("backend", "interp", backendUsage)
	m := addModelFlags(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &exitError{code: 2, msg: "want exactly one MODEL argument"}
	}
	given := map[string]*tensor.Tensor{}
	for name, file := range ins {
		t, err := npy.ReadFile(file)
		if err != nil {
			return err
		}
		given[name] = t
		if _, set := m.inputs[name]; !set {
			m.inputs[name] = t.Shape
		}
	}
	f, err := m.load(pos[0], stderr)
	if err != nil {
		return err
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
	}
	feed := map[string]*tensor.Tensor{}
	rng := rand.New(rand.NewPCG(*seed, 0x7466632d72756e))
	known := map[string]bool{}
	for _, op := range f.Inputs() {
		name := op.Str("name")
		known[name] = true
		want := op.Results[0].Type
		if t, ok := given[name]; ok {
			if t.DType != want.DType || !t.Shape.Equal(want.Shape) {
				return fmt.Errorf("input %s from %s is %v%v, the model wants %v", name, ins[name], t.DType, t.Shape, want)
			}
			feed[name] = t
			continue
		}
		t, err := randomTensor(rng, want.DType, want.Shape)
		if err != nil {
			return fmt.Errorf("input %s: %v", name, err)
		}
		feed[name] = t
		msg := fmt.Sprintf("input %s: random %v", name, want)
		if *outDir != "" {
			p := filepath.Join(*outDir, "input_"+sanitize(name)+".npy")
			if err := npy.WriteFile(p, t); err != nil {
				return err
			}
			msg += " saved to " + p
		}
		fmt.Fprintln(stderr, "tfc run: "+msg)
	}
	for name := range given {
		if !known[name] {
			return fmt.Errorf("-input %s: the model has no input named %s", name, name)
		}
	}
	run, err := prepare(*backend, f)
	if err != nil {
		return err
	}
	outs, err := run(feed)
	if err != nil {
		return err
	}
	for i, o := range f.Outputs {
		t := outs[i]
		line := fmt.Sprintf("%s: %v %s", o.Name, t, summary(t))
		if *outDir != "" {
			p := filepath.Join(*outDir, sanitize(o.Name)+".npy")
			if err := npy.WriteFile(p, t); err != nil {
				return err
			}
			line += " -> " + p
		}
		fmt.Fprintln(stdout, line)
	}
	return nil
}

// randomTensor makes seeded random data of a type.
func randomTensor(rng *rand.Rand, dt tensor.DType, shape tensor.Shape) (*tensor.Tensor, error) {
	t, err := tensor.New(dt, shape)
	if err != nil {
		return nil, err
	}
	for i := range t.F32 {
		t.F32[i] = float32(rng.Float64()*2 - 1)
	}
	t.RoundToDType()
	for i := range t.I32 {
		t.I32[i] = int32(rng.IntN(10))
	}
	for i := range t.I64 {
		t.I64[i] = int64(rng.IntN(10))
	}
	for i := range t.B {
		t.B[i] = rng.IntN(2) == 1
	}
	return t, nil
}

// summary gives min, max and mean of a tensor.
func summary(t *tensor.Tensor) string {
	n := t.Len()
	if n == 0 {
		return "(empty)"
	}
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	nan := 0
	for i := range n {
		v := t.Float64At(i)
		if math.IsNaN(v) {
			nan++
			continue
		}
		lo, hi, sum = min(lo, v), max(hi, v), sum+v
	}
	s := fmt.Sprintf("min=%.6g max=%.6g mean=%.6g", lo, hi, sum/float64(n-nan))
	if nan > 0 {
		s += fmt.Sprintf(" nan=%d", nan)
	}
	return s
}
