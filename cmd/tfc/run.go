package main

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/passes"
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

// ioSpec is what run needs to know of a model, whatever runs it.
type ioSpec struct {
	inputs  []string // names, in order
	types   map[string]tensor.DType
	shapes  map[string]tensor.Shape // tensor.Unknown where a dimension is symbolic
	random  map[string]tensor.Shape // shapes of random inputs where shapes has unknowns (profile 0's opt)
	outputs []string
	run     func(map[string]*tensor.Tensor) ([]*tensor.Tensor, error)
	engine  *tensorrt.Engine // -engine: the engine, for its GPU timings
	info    engineRunInfo    // -engine: its load and first-context times
}

func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("run", "[-backend B] [-input NAME=FILE.npy]... [-o DIR] MODEL | -engine FILE.plan",
		"Run executes a model: with the IR reference interpreter (-backend=interp), as the\n"+
			"TensorRT network tfc builds on the CPU reference executor (-backend=trt-ref), or\n"+
			"as a TensorRT engine on the GPU (-backend=trt, or -engine FILE.plan; needs tfc\n"+
			"built with -tags tensorrt_rtx and an NVIDIA GPU). Inputs come from .npy files;\n"+
			"inputs not given are filled with seeded random data (uniform in [-1,1) for floats,\n"+
			"[0,10) for integers) and, with -o, saved beside the outputs as input_<name>.npy.\n"+
			"Each output is written to DIR as <name>.npy (name with / and : replaced by _),\n"+
			"and summarised on standard output. With -iterations, latency percentiles follow.", stderr)
	ins := inputFiles{}
	fs.Var(ins, "input", "an input, `NAME=FILE.npy` (repeatable); its shape sets the input's shape")
	outDir := fs.String("o", "", "write outputs (and generated inputs) to `DIR`")
	seed := fs.Uint64("seed", 1, "seed for generated inputs")
	backend := fs.String("backend", "interp", backendUsage+", or trt (a TensorRT engine)")
	engine := fs.String("engine", "", "run this serialized TensorRT engine (`FILE.plan`, from compile -emit=engine)")
	warmup := fs.Int("warmup", 0, "untimed runs before the timed ones")
	iterations := fs.Int("iterations", 1, "timed runs; more than 1 prints latency percentiles")
	rtCache := fs.String("runtime-cache", "", "-engine (TensorRT-RTX): runtime cache `FILE` of JIT-compiled kernels, read if present and written after the runs")
	cudaGraph := fs.Bool("cuda-graph", false, "-engine (TensorRT-RTX): capture each inference as one CUDA graph")
	m := addModelFlags(fs)
	prec := addPrecisionFlags(fs)
	format := addFormatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *engine == "" && len(pos) != 1 || *engine != "" && len(pos) != 0 {
		return &exitError{code: 2, msg: "want exactly one MODEL argument, or -engine FILE.plan"}
	}
	if *engine == "" && (*rtCache != "" || *cudaGraph) {
		return &exitError{code: 2, msg: "-runtime-cache and -cuda-graph need -engine FILE.plan"}
	}
	if *iterations < 1 || *warmup < 0 {
		return &exitError{code: 2, msg: "-iterations must be ≥ 1 and -warmup ≥ 0"}
	}
	given := map[string]*tensor.Tensor{}
	for name, file := range ins {
		t, err := npy.ReadFile(file)
		if err != nil {
			return err
		}
		given[name] = t
		if _, set := m.inputs[name]; !set && !m.dynamic() {
			// With profiles the file's shape must not pin the input: the
			// program stays symbolic and runs at that shape.
			m.inputs[name] = t.Shape
		}
	}
	var spec *ioSpec
	if *engine != "" {
		spec, err = engineSpec(*engine, tensorrt.RuntimeOptions{RuntimeCache: *rtCache, CUDAGraph: *cudaGraph}, stderr)
	} else {
		spec, err = modelSpec(pos[0], *backend, m, prec, stderr)
	}
	if err != nil {
		return err
	}
	if *outDir != "" {
		if err := os.MkdirAll(*outDir, 0o755); err != nil {
			return err
		}
	}
	model := *engine
	if model == "" {
		model = pos[0]
	}
	rep := runReport{Schema: schemaVersion, Model: model, Backend: *backend, Inputs: []runTensor{}, Outputs: []runTensor{}}
	if *engine != "" {
		rep.Backend = "trt"
	}
	feed := map[string]*tensor.Tensor{}
	rng := rand.New(rand.NewPCG(*seed, 0x7466632d72756e))
	for _, name := range spec.inputs {
		dt, shape := spec.types[name], spec.shapes[name]
		if t, ok := given[name]; ok {
			if t.DType != dt || !shapeFits(t.Shape, shape) {
				return fmt.Errorf("input %s from %s is %v%v, the model wants %v%v", name, ins[name], t.DType, t.Shape, dt, shape)
			}
			feed[name] = t
			rep.Inputs = append(rep.Inputs, runTensor{Name: name, DType: t.DType.String(), Shape: shapeJSON(t.Shape), File: ins[name]})
			continue
		}
		if r, ok := spec.random[name]; ok {
			shape = r
		}
		t, err := randomTensor(rng, dt, shape)
		if err != nil {
			return fmt.Errorf("input %s: %v", name, err)
		}
		feed[name] = t
		in := runTensor{Name: name, DType: dt.String(), Shape: shapeJSON(shape), Random: true}
		msg := fmt.Sprintf("input %s: random %v%v", name, dt, shape)
		if *outDir != "" {
			p := filepath.Join(*outDir, "input_"+sanitize(name)+".npy")
			if err := npy.WriteFile(p, t); err != nil {
				return err
			}
			msg += " saved to " + p
			in.File = p
		}
		rep.Inputs = append(rep.Inputs, in)
		if !format.json {
			fmt.Fprintln(stderr, "tfc run: "+msg)
		}
	}
	for name := range given {
		if _, ok := spec.types[name]; !ok {
			return fmt.Errorf("-input %s: the model has no input named %s", name, name)
		}
	}
	outs, err := spec.run(feed)
	if err != nil {
		return err
	}
	for i, name := range spec.outputs {
		t := outs[i]
		line := fmt.Sprintf("%s: %v %s", name, t, summary(t))
		o := runTensor{Name: name, DType: t.DType.String(), Shape: shapeJSON(t.Shape), Stats: stats(t)}
		if *outDir != "" {
			p := filepath.Join(*outDir, sanitize(name)+".npy")
			if err := npy.WriteFile(p, t); err != nil {
				return err
			}
			line += " -> " + p
			o.File = p
		}
		rep.Outputs = append(rep.Outputs, o)
		if !format.json {
			fmt.Fprintln(stdout, line)
		}
	}
	timed := *iterations > 1 || *warmup > 0
	if spec.engine != nil {
		return finishEngine(spec, feed, &rep, timed, *warmup, *iterations, *rtCache, format.json, stdout, stderr)
	}
	if !format.json {
		if timed {
			return timeRuns(func() error { _, err := spec.run(feed); return err }, *warmup, *iterations, stdout)
		}
		return nil
	}
	if timed {
		if rep.Latency, err = measureRuns(func() error { _, err := spec.run(feed); return err }, *warmup, *iterations); err != nil {
			return err
		}
	}
	return writeJSON(stdout, rep)
}

// modelSpec loads a model for a CPU or TensorRT backend.
func modelSpec(path, backend string, m *modelFlags, prec *precisionFlags, stderr io.Writer) (*ioSpec, error) {
	var cfg passes.Config
	if err := prec.config(&cfg, stderr); err != nil {
		return nil, err
	}
	f, err := m.load(path, stderr)
	if err != nil {
		return nil, err
	}
	run, err := prepare(backend, f, cfg, m.profiles)
	if err != nil {
		return nil, err
	}
	if m.dynamic() {
		// A symbolic program runs at any input shapes inside a profile.
		static := run
		run = func(in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
			if err := m.contains(in); err != nil {
				return nil, err
			}
			return static(in)
		}
	}
	spec := &ioSpec{run: run, types: map[string]tensor.DType{}, shapes: map[string]tensor.Shape{}, random: map[string]tensor.Shape{}}
	for _, op := range f.Inputs() {
		name := op.Str("name")
		spec.inputs = append(spec.inputs, name)
		spec.types[name] = op.Results[0].Type.DType
		spec.shapes[name] = op.Results[0].Type.Shape
		if op.Results[0].Type.Symbolic() {
			spec.random[name] = m.profiles[0][name].Opt
		}
	}
	for _, o := range f.Outputs {
		spec.outputs = append(spec.outputs, o.Name)
	}
	return spec, nil
}

// engineSpec loads a serialized engine.
// It makes the first execution context at once and reports how long the
// load and that took (TensorRT-RTX compiles its kernels there, unless the
// runtime cache holds them).
func engineSpec(path string, ro tensorrt.RuntimeOptions, stderr io.Writer) (*ioSpec, error) {
	t0 := time.Now()
	e, err := tensorrt.Load(path)
	if err != nil {
		return nil, err
	}
	tLoad := time.Since(t0)
	if err := e.SetRuntimeOptions(ro); err != nil {
		return nil, err
	}
	tCtx, err := e.Prepare()
	if err != nil {
		e.Close()
		return nil, err
	}
	info := engineRunInfo{LoadMS: ms(tLoad), FirstContextMS: ms(tCtx), CUDAGraph: ro.CUDAGraph}
	msg := ""
	if ro.RuntimeCache != "" {
		info.RuntimeCache = "new"
		msg = ", runtime cache " + ro.RuntimeCache + " not used (absent or not for this library, GPU and driver)"
		if e.RuntimeCacheLoaded() {
			info.RuntimeCache = "loaded"
			msg = ", runtime cache " + ro.RuntimeCache + " loaded"
		}
	}
	fmt.Fprintf(stderr, "tfc run: engine loaded in %.1f ms, first execution context in %.1f ms%s\n",
		info.LoadMS, info.FirstContextMS, msg)
	shapes, types, err := engineInputs(e)
	if err != nil {
		return nil, err
	}
	spec := &ioSpec{types: types, shapes: shapes, random: map[string]tensor.Shape{}, run: e.InferTensors, engine: e, info: info}
	for _, p := range e.Profiles() {
		// A dynamic engine runs at its inputs' shapes (the .npy files');
		// random inputs take profile 0's opt.
		if p.Profile == 0 {
			opt := make(tensor.Shape, len(p.Opt))
			for i, d := range p.Opt {
				opt[i] = int(d)
			}
			spec.random[p.Input] = opt
		}
	}
	for name := range types {
		spec.inputs = append(spec.inputs, name)
	}
	sort.Strings(spec.inputs)
	_, outputs := e.IO()
	for _, o := range outputs {
		spec.outputs = append(spec.outputs, o.Name)
	}
	return spec, nil
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

// runReport is run's -format=json document.
type runReport struct {
	Schema  string         `json:"schema"`
	Model   string         `json:"model"` // MODEL, or the -engine plan
	Backend string         `json:"backend"`
	Inputs  []runTensor    `json:"inputs"`
	Outputs []runTensor    `json:"outputs"`
	Latency *latency       `json:"latency,omitempty"` // with -iterations or -warmup
	Engine  *engineRunInfo `json:"engine,omitempty"`  // -engine
}

// runTensor is an input or output of run.
type runTensor struct {
	Name   string       `json:"name"`
	DType  string       `json:"dtype"`
	Shape  []int        `json:"shape"`
	Random bool         `json:"random,omitempty"` // an input tfc generated (-seed)
	File   string       `json:"file,omitempty"`   // the .npy read or written
	Stats  *tensorStats `json:"stats,omitempty"`  // outputs
}

// tensorStats summarises a tensor's values; NaNs are counted and left
// out of min, max and mean.
type tensorStats struct {
	Min  number `json:"min"`
	Max  number `json:"max"`
	Mean number `json:"mean"`
	NaN  int    `json:"nan"`
}

func stats(t *tensor.Tensor) *tensorStats {
	n := t.Len()
	if n == 0 {
		return nil
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
	return &tensorStats{Min: number(lo), Max: number(hi), Mean: number(sum / float64(n-nan)), NaN: nan}
}

// summary gives min, max and mean of a tensor.
func summary(t *tensor.Tensor) string {
	s := stats(t)
	if s == nil {
		return "(empty)"
	}
	out := fmt.Sprintf("min=%.6g max=%.6g mean=%.6g", float64(s.Min), float64(s.Max), float64(s.Mean))
	if s.NaN > 0 {
		out += fmt.Sprintf(" nan=%d", s.NaN)
	}
	return out
}

// shapeFits reports whether a tensor of shape s can feed an input of shape
// want, whose tensor.Unknown dimensions are symbolic (any size; the
// optimization profiles bound them).
func shapeFits(s, want tensor.Shape) bool {
	if len(s) != len(want) {
		return false
	}
	for i, d := range want {
		if d >= 0 && s[i] != d {
			return false
		}
	}
	return true
}
