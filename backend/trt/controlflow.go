package trt

import (
	"fmt"
	"strings"
)

// Control flow: TensorRT's loops (ILoop and its boundary layers
// IRecurrenceLayer, ITripLimitLayer, ILoopOutputLayer) and conditionals
// (IIfConditional: IConditionLayer, IIfConditionalInputLayer,
// IIfConditionalOutputLayer), as NvInfer.h and TensorRT's "Working with
// Loops" and "Working with Conditionals" define them.
//
// A loop or conditional is a handle (Loop, IfConditional) whose methods add
// its boundary layers; the layers between them are ordinary layers, inside
// the construct by dataflow: a layer is in loop L when it depends on a
// recurrence of L (not through one of L's outputs), in conditional C when
// it depends on an input layer of C (not through one of C's outputs).
// Layers that depend on neither are outside, computed once. A Description
// records each construct by index (Description.Loops, .Conditionals) and
// each boundary layer's params name it.
//
// Semantics (what the reference executor does):
//
//	loop:  R := initial values of the recurrences
//	       repeat: if a kCOUNT limit is reached, or a kWHILE limit's
//	               tensor (computed from R) is false, stop;
//	               compute the interior layers; R := their next values
//	       each kLAST_VALUE output is its recurrence's final value (the
//	       initial value when the loop ran zero times)
//	if:    the outputs are the then inputs of the output layers when the
//	       condition is true, else the else inputs; only the taken
//	       branch's interior layers run.
//
// tfc builds kLAST_VALUE outputs only (kCONCATENATE and kREVERSE need a
// length input, not built yet).

// TripLimitKind is nvinfer1::TripLimit.
type TripLimitKind int32

const (
	TripLimitCount TripLimitKind = 0 // kCOUNT: a 0-D kINT32/kINT64 trip count, computed before the loop
	TripLimitWhile TripLimitKind = 1 // kWHILE: a 0-D kBOOL; the loop ends when it is false
)

var tripLimitNames = []string{"kCOUNT", "kWHILE"}

func (k TripLimitKind) String() string { return enumName(tripLimitNames, int32(k), "TripLimit") }

// LoopOutputKind is nvinfer1::LoopOutput.
type LoopOutputKind int32

const (
	LoopOutputLastValue   LoopOutputKind = 0 // kLAST_VALUE: the recurrence's final value
	LoopOutputConcatenate LoopOutputKind = 1 // kCONCATENATE: every iteration's value, in order
	LoopOutputReverse     LoopOutputKind = 2 // kREVERSE: likewise, in reverse order
)

var loopOutputNames = []string{"kLAST_VALUE", "kCONCATENATE", "kREVERSE"}

func (k LoopOutputKind) String() string { return enumName(loopOutputNames, int32(k), "LoopOutput") }

// Loop is nvinfer1::ILoop.
type Loop interface {
	// AddRecurrence adds an IRecurrenceLayer whose input 0 is the
	// initial value (from outside the loop).
	AddRecurrence(initial Tensor) Layer
	// SetRecurrenceNext sets input 1 of a recurrence of this loop, the
	// value of the next iteration (IRecurrenceLayer::setInput(1, next)):
	// the one back edge of a network.
	SetRecurrenceNext(recurrence Layer, next Tensor)
	// AddTripLimit adds an ITripLimitLayer (no outputs).
	AddTripLimit(t Tensor, kind TripLimitKind) Layer
	// AddLoopOutput adds an ILoopOutputLayer of kind kLAST_VALUE (axis
	// is ignored for it).
	AddLoopOutput(t Tensor, kind LoopOutputKind, axis int32) Layer
}

// IfConditional is nvinfer1::IIfConditional.
type IfConditional interface {
	// SetCondition adds the IConditionLayer (no outputs) of a 0-D kBOOL.
	SetCondition(cond Tensor) Layer
	// AddInput adds an IIfConditionalInputLayer: its output is the input,
	// for the branches to use.
	AddInput(t Tensor) Layer
	// AddOutput adds an IIfConditionalOutputLayer: then's value when the
	// condition is true, else els's.
	AddOutput(then, els Tensor) Layer
}

// The boundary layer kinds.
const (
	LayerTripLimit         LayerType = 26 // kTRIP_LIMIT
	LayerRecurrence        LayerType = 27 // kRECURRENCE
	LayerLoopOutput        LayerType = 29 // kLOOP_OUTPUT
	LayerCondition         LayerType = 34 // kCONDITION
	LayerConditionalInput  LayerType = 35 // kCONDITIONAL_INPUT
	LayerConditionalOutput LayerType = 36 // kCONDITIONAL_OUTPUT
)

func init() {
	registerKinds(Recurrence{}, TripLimit{}, LoopOutput{}, Condition{}, ConditionalInput{}, ConditionalOutput{})
}

// The parameters of the boundary layers: the construct they belong to.
type (
	// Recurrence is IRecurrenceLayer: inputs initial value, next value.
	Recurrence struct{ Loop int }
	// TripLimit is ITripLimitLayer.
	TripLimit struct {
		Loop  int
		Limit TripLimitKind
	}
	// LoopOutput is ILoopOutputLayer.
	LoopOutput struct {
		Loop   int
		Output LoopOutputKind
		Axis   int32
	}
	// Condition is IConditionLayer.
	Condition struct{ Conditional int }
	// ConditionalInput is IIfConditionalInputLayer.
	ConditionalInput struct{ Conditional int }
	// ConditionalOutput is IIfConditionalOutputLayer: inputs then, else.
	ConditionalOutput struct{ Conditional int }
)

// controlFlowKinds are the boundary layer kinds.
var controlFlowKinds = []LayerType{LayerRecurrence, LayerTripLimit, LayerLoopOutput, LayerCondition, LayerConditionalInput, LayerConditionalOutput}

// The LayerParams methods of the boundary layers (see layers.go). AddTo
// finds the construct by index (Network.LoopAt, ConditionalAt); a
// recurrence's input 1 is its back edge, which a replay sets with
// SetRecurrenceNext once every layer is added, so AddTo uses input 0 only.

func (Recurrence) Kind() LayerType       { return LayerRecurrence }
func (Recurrence) Arity() (min, max int) { return 1, 2 }
func (p Recurrence) AddTo(net Network, in []Tensor) Layer {
	return net.LoopAt(p.Loop).AddRecurrence(in[0])
}
func (p Recurrence) text() string { return fmt.Sprintf("loop=%d", p.Loop) }
func (p Recurrence) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferRecurrence, c, in)
}

func (TripLimit) Kind() LayerType       { return LayerTripLimit }
func (TripLimit) Arity() (min, max int) { return 1, 1 }
func (p TripLimit) AddTo(net Network, in []Tensor) Layer {
	return net.LoopAt(p.Loop).AddTripLimit(in[0], p.Limit)
}
func (p TripLimit) text() string { return fmt.Sprintf("loop=%d %v", p.Loop, p.Limit) }
func (p TripLimit) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferTripLimit, c, in)
}

func (LoopOutput) Kind() LayerType       { return LayerLoopOutput }
func (LoopOutput) Arity() (min, max int) { return 1, 1 }
func (p LoopOutput) AddTo(net Network, in []Tensor) Layer {
	return net.LoopAt(p.Loop).AddLoopOutput(in[0], p.Output, p.Axis)
}
func (p LoopOutput) text() string {
	if p.Output != LoopOutputLastValue {
		return fmt.Sprintf("loop=%d %v axis=%d", p.Loop, p.Output, p.Axis)
	}
	return fmt.Sprintf("loop=%d %v", p.Loop, p.Output)
}
func (p LoopOutput) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferLoopOutput, c, in)
}

func (Condition) Kind() LayerType       { return LayerCondition }
func (Condition) Arity() (min, max int) { return 1, 1 }
func (p Condition) AddTo(net Network, in []Tensor) Layer {
	return net.ConditionalAt(p.Conditional).SetCondition(in[0])
}
func (p Condition) text() string { return fmt.Sprintf("conditional=%d", p.Conditional) }
func (p Condition) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferCondition, c, in)
}

func (ConditionalInput) Kind() LayerType       { return LayerConditionalInput }
func (ConditionalInput) Arity() (min, max int) { return 1, 1 }
func (p ConditionalInput) AddTo(net Network, in []Tensor) Layer {
	return net.ConditionalAt(p.Conditional).AddInput(in[0])
}
func (p ConditionalInput) text() string { return fmt.Sprintf("conditional=%d", p.Conditional) }
func (p ConditionalInput) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferConditionalInput, c, in)
}

func (ConditionalOutput) Kind() LayerType       { return LayerConditionalOutput }
func (ConditionalOutput) Arity() (min, max int) { return 2, 2 }
func (p ConditionalOutput) AddTo(net Network, in []Tensor) Layer {
	return net.ConditionalAt(p.Conditional).AddOutput(in[0], in[1])
}
func (p ConditionalOutput) text() string { return fmt.Sprintf("conditional=%d", p.Conditional) }
func (p ConditionalOutput) rule(c *checker, in []*TensorDesc) (LayerParams, []outSpec) {
	return ruleOf(p, inferConditionalOutput, c, in)
}

// Rules of the boundary layers (see rules.go).

func inferRecurrence(c *checker, in []*TensorDesc, _ *Recurrence) []outSpec {
	c.nInputs(in, 1, 2)
	init := c.input(in, 0, "initial value")
	if len(in) == 2 && in[1] != nil {
		if next := in[1]; next.Type != init.Type || !next.Dims.Equal(init.Dims) {
			c.failf("next value is %v%v, the initial value %v%v (they must agree)", next.Type, next.Dims, init.Type, init.Dims)
		}
	}
	return []outSpec{{init.Type, clone(init.Dims)}}
}

func inferTripLimit(c *checker, in []*TensorDesc, p *TripLimit) []outSpec {
	c.nInputs(in, 1, 1)
	t := c.input(in, 0, "limit")
	if len(t.Dims) != 0 {
		c.failf("trip limit is %v%v, want a 0-D tensor", t.Type, t.Dims)
	}
	switch p.Limit {
	case TripLimitCount:
		c.typeIn("kCOUNT trip limit", t.Type, Int32, Int64)
	case TripLimitWhile:
		c.typeIn("kWHILE trip limit", t.Type, Bool)
	default:
		c.failf("unknown trip limit kind %v", p.Limit)
	}
	return nil
}

func inferLoopOutput(c *checker, in []*TensorDesc, p *LoopOutput) []outSpec {
	c.nInputs(in, 1, 1)
	t := c.input(in, 0, "value")
	if p.Output != LoopOutputLastValue {
		c.failf("loop output kind %v needs a length input, which tfc does not build", p.Output)
	}
	return []outSpec{{t.Type, clone(t.Dims)}}
}

func inferCondition(c *checker, in []*TensorDesc, _ *Condition) []outSpec {
	c.nInputs(in, 1, 1)
	t := c.input(in, 0, "condition")
	if len(t.Dims) != 0 || t.Type != Bool {
		c.failf("condition is %v%v, want a 0-D kBOOL", t.Type, t.Dims)
	}
	return nil
}

func inferConditionalInput(c *checker, in []*TensorDesc, _ *ConditionalInput) []outSpec {
	c.nInputs(in, 1, 1)
	t := c.input(in, 0, "input")
	return []outSpec{{t.Type, clone(t.Dims)}}
}

func inferConditionalOutput(c *checker, in []*TensorDesc, _ *ConditionalOutput) []outSpec {
	c.nInputs(in, 2, 2)
	a, b := c.input(in, 0, "then value"), c.input(in, 1, "else value")
	if a.Type != b.Type || !a.Dims.Equal(b.Dims) {
		// NvInfer.h allows different dimensions of one rank (the output
		// then has unknown dimensions); tfc's networks are static.
		c.failf("then value is %v%v, else value %v%v (tfc needs them equal)", a.Type, a.Dims, b.Type, b.Dims)
	}
	return []outSpec{{a.Type, clone(a.Dims)}}
}

// Constructs describes the loops and conditionals of a Description: for
// each, its boundary layers and its interior (the layers inside it by
// dataflow, boundary layers included), computed by ControlFlow.
type Constructs struct {
	Loops        []*Construct
	Conditionals []*Construct
	// Owner is the innermost construct holding each layer (nil: none).
	Owner map[*LayerDesc]*Construct
}

// Construct is one loop or conditional.
type Construct struct {
	Loop     bool
	Index    int
	Name     string
	Boundary []*LayerDesc // in Description order
	Interior map[*LayerDesc]bool
	// Parent is the innermost other construct holding this one's boundary
	// layers (nil: none).
	Parent *Construct
}

func (k *Construct) String() string {
	if k.Loop {
		return fmt.Sprintf("loop %d %q", k.Index, k.Name)
	}
	return fmt.Sprintf("conditional %d %q", k.Index, k.Name)
}

// ControlFlow returns the constructs of d (nil when d has none).
func ControlFlow(d *Description) *Constructs {
	if len(d.Loops) == 0 && len(d.Conditionals) == 0 {
		return nil
	}
	cs := &Constructs{Owner: map[*LayerDesc]*Construct{}}
	for i, name := range d.Loops {
		cs.Loops = append(cs.Loops, &Construct{Loop: true, Index: i, Name: name, Interior: map[*LayerDesc]bool{}})
	}
	for i, name := range d.Conditionals {
		cs.Conditionals = append(cs.Conditionals, &Construct{Index: i, Name: name, Interior: map[*LayerDesc]bool{}})
	}
	consumers := map[*TensorDesc][]*LayerDesc{}
	for _, l := range d.Layers {
		if l == nil {
			continue
		}
		for _, t := range l.Inputs {
			if t != nil {
				consumers[t] = append(consumers[t], l)
			}
		}
		if k := cs.of(l); k != nil {
			k.Boundary = append(k.Boundary, l)
		}
	}
	for _, k := range append(append([]*Construct(nil), cs.Loops...), cs.Conditionals...) {
		var work []*LayerDesc
		for _, b := range k.Boundary {
			k.Interior[b] = true
			switch b.Params.(type) {
			case Recurrence, ConditionalInput:
				work = append(work, b)
			}
		}
		for len(work) > 0 {
			l := work[len(work)-1]
			work = work[:len(work)-1]
			if k.ends(l) {
				continue // an output layer: its output is outside
			}
			for _, o := range l.Outputs {
				for _, u := range consumers[o] {
					if !k.Interior[u] {
						k.Interior[u] = true
						work = append(work, u)
					}
				}
			}
		}
	}
	all := append(append([]*Construct(nil), cs.Loops...), cs.Conditionals...)
	// A construct one of whose boundary layers is inside another is nested in it
	// and runs as a whole inside it: its whole interior joins the
	// other's (to a fixed point, for deeper nesting).
	for changed := true; changed; {
		changed = false
		for _, k := range all {
			for _, o := range all {
				if o == k || !o.holdsBoundaryOf(k) || o.contains(k) {
					continue
				}
				for l := range k.Interior {
					if !o.Interior[l] {
						o.Interior[l] = true
						changed = true
					}
				}
			}
		}
	}
	innermost := func(l *LayerDesc, not *Construct) *Construct {
		var best *Construct
		for _, k := range all {
			if k != not && k.Interior[l] && (best == nil || len(k.Interior) < len(best.Interior)) {
				best = k
			}
		}
		return best
	}
	for _, l := range d.Layers {
		if k := innermost(l, nil); k != nil {
			cs.Owner[l] = k
		}
	}
	for _, k := range all {
		if len(k.Boundary) > 0 {
			k.Parent = innermost(k.Boundary[0], k)
		}
	}
	return cs
}

// holdsBoundaryOf reports whether one of o's boundary layers is in k's interior.
func (k *Construct) holdsBoundaryOf(o *Construct) bool {
	for _, b := range o.Boundary {
		if k.Interior[b] {
			return true
		}
	}
	return false
}

// contains reports whether k's interior holds every layer of o's.
func (k *Construct) contains(o *Construct) bool {
	for l := range o.Interior {
		if !k.Interior[l] {
			return false
		}
	}
	return true
}

// of returns the construct a boundary layer belongs to.
func (cs *Constructs) of(l *LayerDesc) *Construct {
	get := func(list []*Construct, i int) *Construct {
		if i >= 0 && i < len(list) {
			return list[i]
		}
		return nil
	}
	switch p := l.Params.(type) {
	case Recurrence:
		return get(cs.Loops, p.Loop)
	case TripLimit:
		return get(cs.Loops, p.Loop)
	case LoopOutput:
		return get(cs.Loops, p.Loop)
	case Condition:
		return get(cs.Conditionals, p.Conditional)
	case ConditionalInput:
		return get(cs.Conditionals, p.Conditional)
	case ConditionalOutput:
		return get(cs.Conditionals, p.Conditional)
	}
	return nil
}

// ends reports whether l is an output layer of k (its output leaves k).
func (k *Construct) ends(l *LayerDesc) bool {
	switch p := l.Params.(type) {
	case LoopOutput:
		return k.Loop && p.Loop == k.Index
	case ConditionalOutput:
		return !k.Loop && p.Conditional == k.Index
	}
	return false
}

// Trigger returns k's first output layer: where, in Description order, an
// executor runs k (every tensor k reads from outside is computed by then).
func (k *Construct) Trigger() *LayerDesc {
	for _, b := range k.Boundary {
		if k.ends(b) {
			return b
		}
	}
	return nil
}

// BackwardClosure returns the layers of k's interior that the tensors ts
// depend on (through k's interior only).
func (k *Construct) BackwardClosure(ts ...*TensorDesc) map[*LayerDesc]bool {
	out := map[*LayerDesc]bool{}
	var work []*LayerDesc
	for _, t := range ts {
		if t != nil && t.Producer != nil && k.Interior[t.Producer] && !out[t.Producer] {
			out[t.Producer] = true
			work = append(work, t.Producer)
		}
	}
	for len(work) > 0 {
		l := work[len(work)-1]
		work = work[:len(work)-1]
		if _, rec := l.Params.(Recurrence); rec {
			continue // its value is the iteration's state
		}
		if _, in := l.Params.(ConditionalInput); in {
			continue
		}
		for _, t := range l.Inputs {
			if t != nil && t.Producer != nil && k.Interior[t.Producer] && !out[t.Producer] {
				out[t.Producer] = true
				work = append(work, t.Producer)
			}
		}
	}
	return out
}

// validateControlFlow checks TensorRT's loop and conditional rules on a
// Description whose layers are otherwise valid.
func (v *validator) validateControlFlow(d *Description) {
	cs := ControlFlow(d)
	if cs == nil {
		return
	}
	index := map[*LayerDesc]int{}
	for i, l := range d.Layers {
		index[l] = i
	}
	for _, k := range cs.Loops {
		var counts, whiles, outs int
		for _, b := range k.Boundary {
			switch p := b.Params.(type) {
			case Recurrence:
				if len(b.Inputs) != 2 || b.Inputs[1] == nil {
					v.layerf(b, index[b], "recurrence of %v has no next value (IRecurrenceLayer::setInput(1, ...) was never called)", k)
				}
				if t := b.Inputs[0]; t != nil && t.Producer != nil && k.Interior[t.Producer] {
					v.layerf(b, index[b], "the initial value of a recurrence of %v comes from inside the loop", k)
				}
			case TripLimit:
				if p.Limit == TripLimitCount {
					counts++
					if t := b.Inputs[0]; t != nil && t.Producer != nil && k.Interior[t.Producer] {
						v.layerf(b, index[b], "the kCOUNT trip limit of %v is computed inside the loop (it must be available before the loop starts)", k)
					}
				} else {
					whiles++
				}
			case LoopOutput:
				outs++
				t := b.Inputs[0]
				if p.Output == LoopOutputLastValue && (t == nil || t.Producer == nil || t.Producer.Params != LayerParams(Recurrence{Loop: k.Index})) {
					v.layerf(b, index[b], "a kLAST_VALUE output of %v must read a recurrence of the same loop", k)
				}
			}
		}
		if counts+whiles == 0 {
			v.errorf("%v has no trip limit", k)
		}
		if counts > 1 || whiles > 1 {
			v.errorf("%v has %d kCOUNT and %d kWHILE trip limits, at most one of each", k, counts, whiles)
		}
	}
	for _, k := range cs.Conditionals {
		conds, outs := 0, 0
		for _, b := range k.Boundary {
			switch b.Params.(type) {
			case Condition:
				conds++
				if t := b.Inputs[0]; t != nil && t.Producer != nil && k.Interior[t.Producer] {
					v.layerf(b, index[b], "the condition of %v is computed inside it", k)
				}
			case ConditionalOutput:
				outs++
			}
		}
		if conds != 1 {
			v.errorf("%v has %d conditions, want 1 (IIfConditional::setCondition)", k, conds)
		}
		if outs == 0 {
			v.errorf("%v has no outputs", k)
		}
	}
	// Data leaves a construct only through its output layers.
	all := append(append([]*Construct(nil), cs.Loops...), cs.Conditionals...)
	for i, l := range d.Layers {
		for j, t := range l.Inputs {
			if t == nil || t.Producer == nil {
				continue
			}
			for _, k := range all {
				if k.Interior[t.Producer] && !k.Interior[l] && !k.ends(t.Producer) {
					v.layerf(l, i, "input %d %q comes from inside %v, which it is outside of (data leaves a loop or conditional only through its output layers)", j, t.Name, k)
				}
			}
		}
	}
	for _, o := range d.Outputs {
		if o == nil || o.Producer == nil {
			continue
		}
		for _, k := range all {
			if k.Interior[o.Producer] && !k.ends(o.Producer) {
				v.errorf("network output %q is computed inside %v", o.Name, k)
			}
		}
	}
}

// describeConstructs lists the constructs for printing.
func describeConstructs(d *Description) string {
	var b strings.Builder
	for i, n := range d.Loops {
		fmt.Fprintf(&b, "loop %d %q\n", i, n)
	}
	for i, n := range d.Conditionals {
		fmt.Fprintf(&b, "conditional %d %q\n", i, n)
	}
	return b.String()
}
