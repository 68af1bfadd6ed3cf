package trt

import (
	"errors"
	"fmt"
	"strconv"
)

// Recorder is the pure-Go Network: it records every call as a Description
// (plain data), computing each layer's output types and dimensions by
// TensorRT's rules and checking TensorRT's documented restrictions (the
// same rule functions Validate applies).
//
// Names are TensorRT's: an unnamed layer is "(Unnamed Layer* 12)
// [Convolution]" (its index and kind), its outputs "<layer name>_output"
// (or "_output_0", "_output_1" for TopK), fixed when the layer is added:
// renaming a layer later does not rename its outputs.
//
// Every error (see Err, Errs) names the layer's index, default name and
// kind and the rule broken; an invalid layer is still recorded with
// best-effort outputs. Parameters are stored with TensorRT's defaults filled
// in and their Dims and Permutations copied; Weights are kept by
// reference, not copied: a caller must not modify the Values of Weights
// after passing them to the Recorder.
//
// A Recorder is not safe for concurrent use.
type Recorder struct {
	desc    Description
	tensors []*recTensor
	errs    []error
	outputs map[*TensorDesc]bool
}

var _ Network = (*Recorder)(nil)

// NewRecorder returns an empty network.
func NewRecorder() *Recorder {
	return &Recorder{outputs: map[*TensorDesc]bool{}}
}

// Description returns the recorded network. It is the Recorder's own data,
// not a copy; later Add calls extend it.
func (r *Recorder) Description() *Description { return &r.desc }

// Err returns the first error recorded, or nil.
func (r *Recorder) Err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return r.errs[0]
}

// Errs returns every error recorded, in order.
func (r *Recorder) Errs() []error { return r.errs }

func (r *Recorder) errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Errorf("trt: "+format, args...))
}

// recTensor is a Recorder's Tensor.
type recTensor struct {
	net *Recorder
	d   *TensorDesc
}

func (t *recTensor) Name() string        { return t.d.Name }
func (t *recTensor) SetName(name string) { t.d.Name = name }
func (t *recTensor) Type() DataType      { return t.d.Type }
func (t *recTensor) Dimensions() Dims    { return clone(t.d.Dims) }

// Desc returns the tensor's record.
func (t *recTensor) Desc() *TensorDesc { return t.d }

// recLayer is a Recorder's Layer.
type recLayer struct {
	net  *Recorder
	d    *LayerDesc
	outs []*recTensor
}

func (l *recLayer) Name() string        { return l.d.Name }
func (l *recLayer) SetName(name string) { l.d.Name = name }
func (l *recLayer) NbOutputs() int      { return len(l.outs) }

// Output returns output i, or nil when i is out of range (like TensorRT's
// getOutput).
func (l *recLayer) Output(i int) Tensor {
	if i < 0 || i >= len(l.outs) {
		return nil
	}
	return l.outs[i]
}

// Desc returns the layer's record.
func (l *recLayer) Desc() *LayerDesc { return l.d }

func (r *Recorder) newTensor(name string, typ DataType, dims Dims, producer *LayerDesc, index int) *recTensor {
	d := &TensorDesc{ID: len(r.tensors), Name: name, Type: typ, Dims: dims, Producer: producer, Index: index}
	t := &recTensor{net: r, d: d}
	r.tensors = append(r.tensors, t)
	return t
}

// AddInput adds a network input.
func (r *Recorder) AddInput(name string, typ DataType, dims Dims) Tensor {
	dims = clone(dims)
	if dims == nil {
		dims = Dims{}
	}
	if name == "" {
		r.errorf("input %d: empty name", len(r.desc.Inputs))
	}
	for _, in := range r.desc.Inputs {
		if in.Name == name {
			r.errorf("input %q: duplicate input name", name)
			break
		}
	}
	if !knownType(typ) {
		r.errorf("input %q: unknown type %v", name, typ)
	}
	if len(dims) > MaxDims {
		r.errorf("input %q: rank %d > MaxDims %d", name, len(dims), MaxDims)
	}
	for _, d := range dims {
		if d < 0 {
			r.errorf("input %q: dimensions %v have a negative value (tfc uses static shapes)", name, dims)
			break
		}
	}
	t := r.newTensor(name, typ, dims, nil, 0)
	r.desc.Inputs = append(r.desc.Inputs, t.d)
	return t
}

// MarkOutput marks t as a network output.
func (r *Recorder) MarkOutput(t Tensor) {
	d, ok := r.own(t)
	if !ok {
		r.errorf("MarkOutput: tensor %s does not belong to this network", tensorLabel(t))
		return
	}
	if d.Producer == nil {
		r.errorf("MarkOutput: tensor %q is a network input; marking an input as an output is an error", d.Name)
		return
	}
	if r.outputs[d] {
		r.errorf("MarkOutput: tensor %q is already an output", d.Name)
		return
	}
	r.outputs[d] = true
	r.desc.Outputs = append(r.desc.Outputs, d)
}

func tensorLabel(t Tensor) string {
	if t == nil {
		return "<nil>"
	}
	return strconv.Quote(t.Name())
}

// own returns the record of t when t belongs to this network.
func (r *Recorder) own(t Tensor) (*TensorDesc, bool) {
	rt, ok := t.(*recTensor)
	if !ok || rt == nil || rt.net != r {
		return nil, false
	}
	return rt.d, true
}

// defaultLayerKind is the bracketed kind in TensorRT's default layer names.
var defaultLayerKind = map[LayerType]string{
	LayerMatrixMult: "Matrix Multiply",
	LayerSoftMax:    "Softmax",
}

// DefaultLayerName is TensorRT's name for the unnamed layer at index i:
// "(Unnamed Layer* 12) [Convolution]".
func DefaultLayerName(i int, t LayerType) string { return defaultName(i, t, "") }

// defaultName is DefaultLayerName(i, t) + suffix, made in one allocation.
func defaultName(i int, t LayerType, suffix string) string {
	kind, ok := defaultLayerKind[t]
	if !ok {
		kind = t.String()
	}
	var buf [96]byte
	b := append(buf[:0], "(Unnamed Layer* "...)
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ") ["...)
	b = append(b, kind...)
	b = append(b, ']')
	b = append(b, suffix...)
	return string(b)
}

// addLayer records a layer: it resolves the inputs (nil tensors stay nil
// only where optional is true), applies the kind's rule, and creates the
// outputs.
func (r *Recorder) addLayer(typ LayerType, inputs []Tensor, optional []bool, params LayerParams) *recLayer {
	idx := len(r.desc.Layers)
	b := &layerBlock{}
	ld := &b.desc
	// The default name and its output's, one string: the layer's name is
	// the output's without "_output" (one allocation, not two).
	const outSuffix = "_output"
	outName := defaultName(idx, typ, outSuffix)
	*ld = LayerDesc{ID: idx, Name: outName[:len(outName)-len(outSuffix)], Type: typ}
	var problems []string
	var ins []*TensorDesc
	if len(inputs) <= len(b.ins) {
		ins = b.ins[:len(inputs):len(inputs)]
	} else {
		ins = make([]*TensorDesc, len(inputs))
	}
	for i, t := range inputs {
		if t == nil || isNilTensor(t) {
			if i < len(optional) && optional[i] {
				continue
			}
			problems = append(problems, fmt.Sprintf("input %d is nil", i))
			ins[i] = &TensorDesc{ID: -1, Name: "<nil>", Type: Float, Dims: Dims{}}
			continue
		}
		d, ok := r.own(t)
		if !ok {
			problems = append(problems, fmt.Sprintf("input %d %s does not belong to this network", i, tensorLabel(t)))
			// Keep going with a detached copy so dims are best effort.
			d = &TensorDesc{ID: -1, Name: t.Name(), Type: t.Type(), Dims: t.Dimensions()}
		}
		ins[i] = d
	}
	c := &checker{msgs: problems}
	params, outs := inferLayer(c, typ, ins, params)
	var values [][]int64
	if len(c.msgs) == 0 {
		values = shapeValues(typ, ins, params, outs)
	}
	ld.Inputs = ins
	ld.Params = params
	for _, m := range c.msgs {
		r.errs = append(r.errs, &LayerError{Index: idx, Name: ld.Name, Type: typ, Rule: m})
	}
	l := &b.layer
	*l = recLayer{net: r, d: ld}
	for i, o := range outs {
		name := outName
		if len(outs) > 1 {
			name += "_" + strconv.Itoa(i)
		}
		dims := o.Dims
		if dims == nil {
			dims = Dims{}
		}
		var t *recTensor
		if len(outs) == 1 {
			b.out = TensorDesc{ID: len(r.tensors), Name: name, Type: o.Type, Dims: dims, Producer: ld, Index: i}
			b.tensor = recTensor{net: r, d: &b.out}
			t = &b.tensor
			r.tensors = append(r.tensors, t)
			ld.Outputs, l.outs = b.outDescs[:0:1], b.outs[:0:1]
		} else {
			t = r.newTensor(name, o.Type, dims, ld, i)
		}
		if i < len(values) {
			t.d.ShapeValues = values[i]
		}
		ld.Outputs = append(ld.Outputs, t.d)
		l.outs = append(l.outs, t)
	}
	r.desc.Layers = append(r.desc.Layers, ld)
	return l
}

// A layerBlock is a layer with its record, its first two inputs' slots
// and, for a layer of one output (nearly all), that output: one
// allocation instead of seven, for networks of a million layers.
type layerBlock struct {
	desc     LayerDesc
	layer    recLayer
	ins      [2]*TensorDesc
	out      TensorDesc
	tensor   recTensor
	outDescs [1]*TensorDesc
	outs     [1]*recTensor
}

func isNilTensor(t Tensor) bool {
	rt, ok := t.(*recTensor)
	return ok && rt == nil
}

// LayerError is a violated rule of one layer.
type LayerError struct {
	Index int
	Name  string
	Type  LayerType
	Rule  string
}

func (e *LayerError) Error() string {
	return fmt.Sprintf("trt: layer %d %q (%v): %s", e.Index, e.Name, e.Type, e.Rule)
}

// IsLayerError reports whether err is a LayerError of layer index.
func IsLayerError(err error, index int) bool {
	var le *LayerError
	return errors.As(err, &le) && le.Index == index
}

// AddLoop records a loop.
func (r *Recorder) AddLoop(name string) Loop {
	r.desc.Loops = append(r.desc.Loops, name)
	return &recLoop{r: r, id: len(r.desc.Loops) - 1}
}

// AddIfConditional records a conditional.
func (r *Recorder) AddIfConditional(name string) IfConditional {
	r.desc.Conditionals = append(r.desc.Conditionals, name)
	return &recCond{r: r, id: len(r.desc.Conditionals) - 1}
}

// LoopAt returns loop i (an invalid index gives a loop whose calls fail).
func (r *Recorder) LoopAt(i int) Loop {
	if i < 0 || i >= len(r.desc.Loops) {
		r.errorf("LoopAt: no loop %d (%d added)", i, len(r.desc.Loops))
	}
	return &recLoop{r: r, id: i}
}

// ConditionalAt returns conditional i (likewise).
func (r *Recorder) ConditionalAt(i int) IfConditional {
	if i < 0 || i >= len(r.desc.Conditionals) {
		r.errorf("ConditionalAt: no conditional %d (%d added)", i, len(r.desc.Conditionals))
	}
	return &recCond{r: r, id: i}
}

type recLoop struct {
	r  *Recorder
	id int
}

func (l *recLoop) AddRecurrence(initial Tensor) Layer {
	return l.r.addLayer(LayerRecurrence, []Tensor{initial}, nil, Recurrence{Loop: l.id})
}

func (l *recLoop) SetRecurrenceNext(rec Layer, next Tensor) {
	rl, ok := rec.(*recLayer)
	if !ok || rl == nil || rl.net != l.r {
		l.r.errorf("SetRecurrenceNext: layer is not a recurrence of this network")
		return
	}
	p, ok := rl.d.Params.(Recurrence)
	if !ok || p.Loop != l.id {
		l.r.errorf("SetRecurrenceNext: layer %q is not a recurrence of loop %d", rl.d.Name, l.id)
		return
	}
	d, ok := l.r.own(next)
	if !ok {
		l.r.errorf("SetRecurrenceNext: tensor %s does not belong to this network", tensorLabel(next))
		return
	}
	rl.d.Inputs = append(rl.d.Inputs[:1], d)
	c := &checker{}
	inferRecurrence(c, rl.d.Inputs, &p)
	for _, m := range c.msgs {
		l.r.errs = append(l.r.errs, &LayerError{Index: rl.d.ID, Name: rl.d.Name, Type: LayerRecurrence, Rule: m})
	}
}

func (l *recLoop) AddTripLimit(t Tensor, kind TripLimitKind) Layer {
	return l.r.addLayer(LayerTripLimit, []Tensor{t}, nil, TripLimit{Loop: l.id, Limit: kind})
}

func (l *recLoop) AddLoopOutput(t Tensor, kind LoopOutputKind, axis int32) Layer {
	return l.r.addLayer(LayerLoopOutput, []Tensor{t}, nil, LoopOutput{Loop: l.id, Output: kind, Axis: axis})
}

type recCond struct {
	r  *Recorder
	id int
}

func (c *recCond) SetCondition(t Tensor) Layer {
	return c.r.addLayer(LayerCondition, []Tensor{t}, nil, Condition{Conditional: c.id})
}

func (c *recCond) AddInput(t Tensor) Layer {
	return c.r.addLayer(LayerConditionalInput, []Tensor{t}, nil, ConditionalInput{Conditional: c.id})
}

func (c *recCond) AddOutput(then, els Tensor) Layer {
	return c.r.addLayer(LayerConditionalOutput, []Tensor{then, els}, nil, ConditionalOutput{Conditional: c.id})
}

// TensorDescOf returns the record behind a Tensor of a Recorder, or nil.
func TensorDescOf(t Tensor) *TensorDesc {
	if rt, ok := t.(*recTensor); ok && rt != nil {
		return rt.d
	}
	return nil
}

// LayerDescOf returns the record behind a Layer of a Recorder, or nil.
func LayerDescOf(l Layer) *LayerDesc {
	if rl, ok := l.(*recLayer); ok && rl != nil {
		return rl.d
	}
	return nil
}
