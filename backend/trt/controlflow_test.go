package trt

import (
	"strings"
	"testing"
)

// loopNet builds: x f32[2], n i32[]; i := 0; while i < n { i++, x = x*x };
// outputs the last x. It returns the layers by kind.
func loopNet(t *testing.T, mutate func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor) (*Recorder, map[LayerType]Layer) {
	t.Helper()
	n := NewRecorder()
	x := n.AddInput("x", Float, Dims{2})
	lim := n.AddInput("n", Int32, Dims{})
	zero := n.AddConstant(Dims{}, i32Vals(0)).Output(0)
	one := n.AddConstant(Dims{}, i32Vals(1)).Output(0)
	loop := n.AddLoop("loop")
	ri := loop.AddRecurrence(zero)
	rx := loop.AddRecurrence(x)
	less := n.AddElementWise(ri.Output(0), lim, ElementWiseLess).Output(0)
	tl := loop.AddTripLimit(less, TripLimitWhile)
	loop.SetRecurrenceNext(ri, n.AddElementWise(ri.Output(0), one, ElementWiseSum).Output(0))
	sq := n.AddElementWise(rx.Output(0), rx.Output(0), ElementWiseProd).Output(0)
	out := rx.Output(0)
	if mutate != nil {
		out = mutate(n, loop, rx, sq)
	} else {
		loop.SetRecurrenceNext(rx, sq)
	}
	lo := loop.AddLoopOutput(out, LoopOutputLastValue, 0)
	n.MarkOutput(lo.Output(0))
	return n, map[LayerType]Layer{LayerRecurrence: rx, LayerTripLimit: tl, LayerLoopOutput: lo}
}

// condNet builds: p bool[], x f32[3]; y = p ? x*x : x.
func condNet(t *testing.T) (*Recorder, map[LayerType]Layer) {
	t.Helper()
	n := NewRecorder()
	p := n.AddInput("p", Bool, Dims{})
	x := n.AddInput("x", Float, Dims{3})
	c := n.AddIfConditional("cond")
	cl := c.SetCondition(p)
	in := c.AddInput(x)
	sq := n.AddElementWise(in.Output(0), in.Output(0), ElementWiseProd).Output(0)
	out := c.AddOutput(sq, in.Output(0))
	n.MarkOutput(out.Output(0))
	return n, map[LayerType]Layer{LayerCondition: cl, LayerConditionalInput: in, LayerConditionalOutput: out}
}

// TestControlFlowLayers checks the outputs of every control-flow boundary
// kind and that whole loops and conditionals validate (TestOutputDims
// leaves these kinds to it: a boundary layer alone is no valid network).
func TestControlFlowLayers(t *testing.T) {
	ln, ll := loopNet(t, nil)
	cn, cl := condNet(t)
	for _, n := range []*Recorder{ln, cn} {
		if err := n.Err(); err != nil {
			t.Fatal(err)
		}
		if err := Validate(n.Description()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[LayerType]struct {
		n    int
		typ  DataType
		dims Dims
	}{
		LayerRecurrence: {1, Float, Dims{2}}, LayerTripLimit: {0, 0, nil}, LayerLoopOutput: {1, Float, Dims{2}},
		LayerCondition: {0, 0, nil}, LayerConditionalInput: {1, Float, Dims{3}}, LayerConditionalOutput: {1, Float, Dims{3}},
	}
	for typ, w := range want {
		l, ok := ll[typ]
		if !ok {
			l = cl[typ]
		}
		if l.NbOutputs() != w.n {
			t.Errorf("%v: %d outputs, want %d", typ, l.NbOutputs(), w.n)
			continue
		}
		if w.n == 1 && (l.Output(0).Type() != w.typ || !l.Output(0).Dimensions().Equal(w.dims)) {
			t.Errorf("%v: output %v%v, want %v%v", typ, l.Output(0).Type(), l.Output(0).Dimensions(), w.typ, w.dims)
		}
	}
	for _, k := range controlFlowKinds {
		if _, ok := want[k]; !ok {
			t.Errorf("no case for %v", k)
		}
	}
	var b strings.Builder
	if err := Print(&b, ln.Description()); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`loop 0 "loop"`, "Recurrence", "loop=0 kWHILE", "loop=0 kLAST_VALUE"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("printed network lacks %q:\n%s", s, b.String())
		}
	}
}

// TestControlFlowRules checks that the validator and the Recorder refuse
// what TensorRT's loop and conditional rules forbid.
func TestControlFlowRules(t *testing.T) {
	for _, c := range []struct {
		name   string
		mutate func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor
		want   string
	}{
		{"no next value", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor { return rec.Output(0) },
			"has no next value"},
		{"next of another shape", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor {
			loop.SetRecurrenceNext(rec, n.AddConcatenation([]Tensor{next, next}, 0).Output(0))
			return rec.Output(0)
		}, "next value is kFLOAT[4], the initial value kFLOAT[2]"},
		{"last value of a non-recurrence", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor {
			loop.SetRecurrenceNext(rec, next)
			return next
		}, "must read a recurrence of the same loop"},
		{"data leaving the loop", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor {
			loop.SetRecurrenceNext(rec, next)
			n.MarkOutput(n.AddUnary(next, UnaryExp).Output(0))
			return rec.Output(0)
		}, "is computed inside loop 0"},
		{"two while limits", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor {
			loop.SetRecurrenceNext(rec, next)
			b := n.AddConstant(Dims{}, i32Vals(1)).Output(0)
			loop.AddTripLimit(n.AddCast(b, Bool).Output(0), TripLimitWhile)
			return rec.Output(0)
		}, "at most one of each"},
		{"count computed inside", func(n *Recorder, loop Loop, rec Layer, next Tensor) Tensor {
			loop.SetRecurrenceNext(rec, next)
			s := n.AddReduce(rec.Output(0), Reduce{Operation: ReduceSum, ReduceAxes: 1}).Output(0)
			loop.AddTripLimit(n.AddCast(s, Int32).Output(0), TripLimitCount)
			return rec.Output(0)
		}, "is computed inside the loop"},
	} {
		n, _ := loopNet(t, c.mutate)
		err := n.Err()
		if err == nil {
			err = Validate(n.Description())
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	// A trip limit of the wrong type, a condition that is not 0-D bool.
	n := NewRecorder()
	f := n.AddInput("f", Float, Dims{})
	n.AddLoop("l").AddTripLimit(f, TripLimitWhile)
	n.AddIfConditional("c").SetCondition(f)
	if err := n.Err(); err == nil || !strings.Contains(err.Error(), "kWHILE trip limit") {
		t.Errorf("trip limit of f32: %v", err)
	}
	if errs := n.Errs(); len(errs) < 2 || !strings.Contains(errs[1].Error(), "want a 0-D kBOOL") {
		t.Errorf("condition of f32: %v", errs)
	}
}
