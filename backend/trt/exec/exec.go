// Package exec runs a TensorRT network description on the CPU following
// TensorRT's documented layer semantics.
//
// It is the reference against which tfc's lowering (package
// backend/lower) is checked: the lowering turns IR into TensorRT layers,
// Run executes those layers as TensorRT defines them (NvInfer.h and the
// TensorRT operator documentation), and the outputs are compared with
// TensorFlow's. Semantics are therefore TensorRT's, not tfc IR's, wherever
// the two differ: ElementWise needs equal ranks, Shuffle's reshape treats 0
// as a placeholder, Slice has out-of-bounds sample modes, Gather wraps
// negative indices and stores 0 out of bounds, Resize rounds nearest
// coordinates per NearestRounding, Scale and Activation take TensorRT's
// alpha/beta/weights, Reduce, SoftMax and TopK take axis bitmasks, and so
// on. Kernels of package kernels are reused where the semantics agree
// exactly (convolution, matrix product, elementwise arithmetic, casts,
// concatenation, softmax, ...); the rest is written here.
//
// Data types: kFLOAT (tensor.Float32), kHALF (tensor.Float16: computed in
// float32 and rounded to half after each layer), kBF16 (tensor.BFloat16,
// likewise), kINT32, kINT64, kBOOL and kINT8 (between Quantize and
// Dequantize). kUINT8 and the FP8/FP4/INT4 types are rejected.
//
// Every layer's results are checked against the types and dimensions the
// Description records for its outputs, so a shape or type the recorder
// inferred differently from what the layer computes is an error naming
// the layer.
//
// Layers and modes: Convolution and Deconvolution (KCRS / CKRS weights,
// groups, dilation, bias, every PaddingMode, batch dimensions before
// [C, spatial...]); Pooling (kMAX, kAVERAGE with or without
// AverageCountExcludesPadding, kMAX_AVERAGE_BLEND, every PaddingMode);
// Activation (all 14 types); ElementWise (all 14 operations); Unary (all
// 25); Reduce (all 5); SoftMax; TopK (kMAX, kMIN, kINT32/kINT64 indices);
// Shuffle; Slice (all 5 sample modes); Concatenation; Gather (kDEFAULT,
// kELEMENT, kND); MatrixMultiply (kNONE, kTRANSPOSE, kVECTOR); Einsum
// (explicit and implicit, ellipsis, diagonals); Resize (kNEAREST with all
// 4 roundings, kLINEAR, kCUBIC; all coordinate transformations and
// selectors); Constant; Identity; Cast; Select; Scale (all 3 modes);
// Normalization (with groups); Padding; Fill (kLINSPACE; the random fills
// are rejected as not reproducible); Shape; Scatter (kND, kELEMENT; two
// writes to one element, undefined in TensorRT, are an error); Cumulative
// (kSUM, exclusive, reverse); NMS (kCORNER_PAIRS; equal scores taken by
// class, then box index, one of the orders TensorRT allows; see nms.go).
package exec

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// liveHook, set by tests, sees the number of live tensors after each layer.
var liveHook func(n int)

// Run executes d on inputs, keyed by network input name, and returns the
// values of d.Outputs in order. Every network input must be present with
// exactly its recorded type and dimensions, and there may be no other
// entries. Intermediate tensors are released after their last use.
// Returned tensors never share storage with inputs or with each other.
// To run one Description several times, Prepare it once.
//
// Errors name the layer: `exec: layer 3 "conv1" (Convolution): ...`.
func Run(d *trt.Description, inputs map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	if d == nil {
		return nil, errors.New("exec: nil Description")
	}
	return (&Program{d: d}).Run(inputs)
}

// Program is a Description prepared for repeated runs: what Run derives
// from the Description alone (the tensors' last uses, the memory check,
// the activation fusion plan) is computed once, and convolution kernels
// are kept in the layout their products read, packed on the first run.
// The Description must not change while the Program is in use. A
// Program may run concurrently.
type Program struct {
	d      *trt.Description
	cfg    Config
	once   sync.Once
	plan   *plan
	err    error
	arenas sync.Pool // *arena: storage of the planned outputs
}

// plan is what a Program derives from its Description.
type plan struct {
	// lastUse[t] is the index of the last layer reading t; outputs live
	// to the end.
	lastUse map[*trt.TensorDesc]int
	fz      fusion
	packs   []*kernels.ConvPack // by layer: a Convolution's weights
	convs   []*convCache        // by layer: a Convolution's setup
	consts  []*constCache       // by layer: a Constant decoded once
	bufs    bufferPlan
}

// Prepare checks d as Run does before running any layer and returns it
// as a Program. A Description with dynamic dimensions is specialized at
// each run's input dimensions and prepared then.
func Prepare(d *trt.Description) (*Program, error) {
	return PrepareConfig(d, Config{})
}

// PrepareConfig is Prepare for a builder configured with cfg (tf32.go).
func PrepareConfig(d *trt.Description, cfg Config) (*Program, error) {
	if d == nil {
		return nil, errors.New("exec: nil Description")
	}
	p := &Program{d: d, cfg: cfg}
	if !d.Dynamic() {
		if _, err := p.prepared(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Program) prepared() (*plan, error) {
	p.once.Do(func() { p.plan, p.err = newPlan(p.d) })
	return p.plan, p.err
}

func newPlan(d *trt.Description) (*plan, error) {
	lastUse := make(map[*trt.TensorDesc]int)
	for i, l := range d.Layers {
		if l == nil {
			return nil, fmt.Errorf("exec: layer %d is nil", i)
		}
		for _, t := range l.Inputs {
			if t != nil {
				lastUse[t] = i
			}
		}
	}
	for i, o := range d.Outputs {
		if o == nil {
			return nil, fmt.Errorf("exec: output %d is nil", i)
		}
		lastUse[o] = len(d.Layers)
	}
	if err := checkMemory(d, lastUse); err != nil {
		return nil, err
	}
	packs := make([]*kernels.ConvPack, len(d.Layers))
	convs := make([]*convCache, len(d.Layers))
	for i, l := range d.Layers {
		if _, ok := l.Params.(trt.Convolution); ok && (len(l.Inputs) < 2 || l.Inputs[1] == nil) {
			packs[i] = new(kernels.ConvPack) // weights, not a kernel tensor
			convs[i] = new(convCache)
		}
	}
	pl := &plan{lastUse: lastUse, fz: planFusion(d, lastUse), packs: packs, convs: convs, consts: planConstants(d)}
	if trt.ControlFlow(d) == nil {
		pl.bufs = planBuffers(d, lastUse)
	}
	return pl, nil
}

// Run executes the Program's Description on inputs, as Run does.
func (p *Program) Run(inputs map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	d := p.d
	if d.Dynamic() {
		// Run the static instance at the inputs' dimensions, which must
		// lie inside one of the optimization profiles.
		dims := make(map[string]trt.Dims, len(inputs))
		for name, t := range inputs {
			if t != nil {
				x := make(trt.Dims, len(t.Shape))
				for i, v := range t.Shape {
					x[i] = int64(v)
				}
				dims[name] = x
			}
		}
		if _, err := trt.ProfileFor(d, dims); err != nil {
			return nil, fmt.Errorf("exec: %v", err)
		}
		inst, err := trt.Specialize(d, dims)
		if err != nil {
			return nil, fmt.Errorf("exec: %v", err)
		}
		return (&Program{d: inst, cfg: p.cfg}).Run(inputs)
	}
	vals := make(map[*trt.TensorDesc]*tensor.Tensor)
	if err := bindInputs(d, inputs, vals); err != nil {
		return nil, err
	}
	pl, err := p.prepared()
	if err != nil {
		return nil, err
	}
	lastUse, fz := pl.lastUse, pl.fz
	for t := range vals {
		if _, used := lastUse[t]; !used {
			delete(vals, t)
		}
	}
	layers := d.Layers
	if cs := trt.ControlFlow(d); cs != nil {
		// Loops and conditionals (controlflow.go): no fusion, no early
		// release.
		if err := runControlFlow(d, cs, vals, p.cfg); err != nil {
			return nil, err
		}
		layers = nil
	}
	var ar *arena
	if len(pl.bufs.sizes) > 0 {
		ar, _ = p.arenas.Get().(*arena)
		if ar == nil {
			ar = &arena{bufs: make([][]float32, len(pl.bufs.sizes))}
		}
		defer p.arenas.Put(ar)
	}
	args := make([]*tensor.Tensor, 0, 8)
	for i, l := range layers {
		args = args[:0]
		for j, t := range l.Inputs {
			if t == nil {
				args = append(args, nil)
				continue
			}
			v, ok := vals[t]
			if !ok {
				return nil, layerErr(i, l, fmt.Errorf("input %d (tensor %q) has not been computed: it is not a network input or an output of an earlier layer", j, t.Name))
			}
			args = append(args, v)
		}
		var res []*tensor.Tensor
		switch {
		case fz.done[i]:
			res = []*tensor.Tensor{args[0]} // its Convolution applied it
		case fz.inPlace[i] != nil:
			fz.inPlace[i](args[0].F32, args[0].F32)
			res = []*tensor.Tensor{args[0]}
		case pl.consts[i] != nil:
			res, err = pl.consts[i].get(l)
		default:
			opts := layerOpts{epi: fz.epi[i], pack: pl.packs[i], conv: pl.convs[i], tf32: p.cfg.TF32}
			if ar != nil {
				opts.out = ar.buf(&pl.bufs, i)
			}
			res, err = runLayer(l, args, opts)
		}
		if err == nil {
			err = checkResults(l, res)
		}
		if err != nil {
			return nil, layerErr(i, l, err)
		}
		for j, o := range l.Outputs {
			if _, used := lastUse[o]; used {
				vals[o] = res[j]
			}
		}
		for _, t := range l.Inputs {
			if t != nil && lastUse[t] == i {
				delete(vals, t)
			}
		}
		if liveHook != nil {
			liveHook(len(vals))
		}
	}
	outs := make([]*tensor.Tensor, len(d.Outputs))
	seen := make(map[*tensor.Tensor]bool)
	for i, o := range d.Outputs {
		v, ok := vals[o]
		if !ok {
			return nil, fmt.Errorf("exec: output %d (tensor %q) is not computed by any layer", i, o.Name)
		}
		// Network inputs and outputs listed twice are copied; layers
		// never return storage shared with their inputs.
		if o.Producer == nil || seen[v] {
			v = v.Clone()
		}
		seen[v] = true
		outs[i] = v
	}
	return outs, nil
}

func layerErr(i int, l *trt.LayerDesc, err error) error {
	return fmt.Errorf("exec: layer %d %q (%v): %w", i, l.Name, l.Type, err)
}

// bindInputs checks inputs against d.Inputs and stores them in vals.
func bindInputs(d *trt.Description, inputs map[string]*tensor.Tensor, vals map[*trt.TensorDesc]*tensor.Tensor) error {
	want := make(map[string]bool)
	for i, in := range d.Inputs {
		if in == nil {
			return fmt.Errorf("exec: network input %d is nil", i)
		}
		want[in.Name] = true
		t, ok := inputs[in.Name]
		if !ok || t == nil {
			return fmt.Errorf("exec: network input %q (%v%v) is missing", in.Name, in.Type, in.Dims)
		}
		dt, err := DType(in.Type)
		if err != nil {
			return fmt.Errorf("exec: network input %q: %v", in.Name, err)
		}
		if err := t.Check(); err != nil {
			return fmt.Errorf("exec: network input %q: %v", in.Name, err)
		}
		if t.DType != dt || !sameDims(t.Shape, in.Dims) {
			return fmt.Errorf("exec: network input %q: expected %v%v, got %v", in.Name, dt, in.Dims, t)
		}
		vals[in] = t
	}
	var extra []string
	for name := range inputs {
		if !want[name] {
			extra = append(extra, fmt.Sprintf("%q", name))
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return fmt.Errorf("exec: unknown inputs %s", strings.Join(extra, ", "))
	}
	return nil
}

// checkResults checks a layer's results against its recorded outputs.
func checkResults(l *trt.LayerDesc, res []*tensor.Tensor) error {
	if len(res) != len(l.Outputs) {
		return fmt.Errorf("computed %d outputs, the description has %d", len(res), len(l.Outputs))
	}
	for j, o := range l.Outputs {
		if o == nil {
			return fmt.Errorf("output %d is nil in the description", j)
		}
		dt, err := DType(o.Type)
		if err != nil {
			return fmt.Errorf("output %d (tensor %q): %v", j, o.Name, err)
		}
		r := res[j]
		if r == nil || r.DType != dt || !sameDims(r.Shape, o.Dims) {
			return fmt.Errorf("output %d (tensor %q) is %v, the description says %v%v", j, o.Name, r, dt, o.Dims)
		}
	}
	return nil
}

// DType maps a TensorRT data type to the tensor package's element type.
// Only the types the executor computes with are accepted: kFLOAT, kHALF,
// kBF16, kINT32, kINT64, kBOOL, kINT8 and kFP8 (Quantize's outputs; FP8
// E4M3 values are held in float32 tensors).
func DType(t trt.DataType) (tensor.DType, error) {
	switch t {
	case trt.Int8:
		return tensor.Int8, nil
	case trt.FP8:
		return tensor.Float32, nil // E4M3 values held as float32
	case trt.Float:
		return tensor.Float32, nil
	case trt.Half:
		return tensor.Float16, nil
	case trt.BF16:
		return tensor.BFloat16, nil
	case trt.Int32:
		return tensor.Int32, nil
	case trt.Int64:
		return tensor.Int64, nil
	case trt.Bool:
		return tensor.Bool, nil
	}
	return tensor.Invalid, fmt.Errorf("data type %v is not supported by the reference executor", t)
}

// sameDims reports whether a tensor shape equals TensorRT dimensions (a
// DataDependent dimension matches any size).
func sameDims(s tensor.Shape, d trt.Dims) bool {
	if len(s) != len(d) {
		return false
	}
	for i := range s {
		if int64(s[i]) != d[i] && d[i] != trt.DataDependent {
			return false
		}
	}
	return true
}

// layerOpts are a layer's prepared extras (all optional): a
// Convolution's fused activation (see fusion), its weights' packed form
// and its setup (convCache), and the storage of the output of a layer that writesInto (see
// bufferPlan), and Config.TF32 (the inputs and weights of float32
// Convolution, Deconvolution, MatrixMultiply and Einsum layers rounded to
// TF32, see tf32.go).
type layerOpts struct {
	epi  func([]float32)
	pack *kernels.ConvPack
	conv *convCache
	out  []float32
	tf32 bool
}

// runLayer checks the inputs against the layer kind's arity and runs its
// kernel with opts. A panic in a layer (a malformed description the
// checks missed) becomes an error.
func runLayer(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) (res []*tensor.Tensor, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("internal error: %v", p)
		}
	}()
	if l.Params == nil {
		return nil, errors.New("the layer has no parameters")
	}
	run, ok := layerKernels[l.Params.Kind()]
	if !ok {
		return nil, fmt.Errorf("parameters of type %T are not supported", l.Params)
	}
	min, max := l.Params.Arity()
	if err := wantInputs(in, min, max); err != nil {
		return nil, err
	}
	if opts.tf32 {
		in = tf32Inputs(l, in)
	}
	return run(l, in, opts)
}

// layerKernel runs one layer on its inputs, already checked against the
// kind's Arity; opts matter to Convolution, Deconvolution, ElementWise and
// Shuffle only (and their tf32 to runLayer, which rounds the inputs).
type layerKernel func(l *trt.LayerDesc, in []*tensor.Tensor, opts layerOpts) ([]*tensor.Tensor, error)

// layerKernels holds the kernel of every layer kind, each set in the init
// of the file that computes it (TestKernelsComplete checks it against
// trt.LayerKinds).
var layerKernels = map[trt.LayerType]layerKernel{}

// one is the result list of a kernel with one output.
func one(t *tensor.Tensor, err error) ([]*tensor.Tensor, error) {
	if err != nil {
		return nil, err
	}
	return []*tensor.Tensor{t}, nil
}

// wantInputs checks the number of inputs (max < 0: no limit) and that the
// first min of them are present.
func wantInputs(in []*tensor.Tensor, min, max int) error {
	if len(in) < min || (max >= 0 && len(in) > max) {
		if min == max {
			return fmt.Errorf("has %d inputs, want %d", len(in), min)
		}
		return fmt.Errorf("has %d inputs, want %d to %d", len(in), min, max)
	}
	for i := range min {
		if in[i] == nil {
			return fmt.Errorf("input %d is missing", i)
		}
	}
	return nil
}
