package exec

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// Loops and conditionals, as trt/controlflow.go states TensorRT's
// semantics: a loop runs at its first output layer (in Description order
// every tensor it reads from outside is computed by then): its
// recurrences start at their initial values; each iteration first
// computes the layers its kWHILE limit depends on and stops when that is
// false (or when a kCOUNT limit is reached), then computes the rest of
// its interior and moves every recurrence to its next value. kLAST_VALUE
// outputs are the recurrences' final values. A conditional runs at its
// first output layer too: only the layers the taken branch's outputs
// depend on run. Constructs nest: a construct inside another runs when
// the enclosing one reaches its trigger.

func init() {
	// The control-flow boundaries: a conditional's input passes its
	// value in; the others are run by their loop or conditional
	// (controlflow.go), never as a single layer.
	layerKernels[trt.LayerConditionalInput] = func(_ *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return []*tensor.Tensor{in[0]}, nil
	}
	layerKernels[trt.LayerRecurrence] = boundaryKernel
	layerKernels[trt.LayerTripLimit] = boundaryKernel
	layerKernels[trt.LayerLoopOutput] = boundaryKernel
	layerKernels[trt.LayerCondition] = boundaryKernel
	layerKernels[trt.LayerConditionalOutput] = boundaryKernel
}

// MaxIterations bounds one execution of a loop: more is an error naming
// the loop, not a hang.
const MaxIterations = 1 << 20

// boundaryKernel is the kernel of a boundary layer that only its loop or
// conditional runs.
func boundaryKernel(l *trt.LayerDesc, _ []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
	return nil, fmt.Errorf("a %v layer runs only as part of its loop or conditional", l.Type)
}

type cfRun struct {
	d    *trt.Description
	cs   *trt.Constructs
	vals map[*trt.TensorDesc]*tensor.Tensor
	idx  map[*trt.LayerDesc]int
	tf32 bool // Config.TF32
}

// runControlFlow runs a Description that has loops or conditionals. No
// tensor is released early: a loop reads its interior tensors again on
// every iteration.
func runControlFlow(d *trt.Description, cs *trt.Constructs, vals map[*trt.TensorDesc]*tensor.Tensor, cfg Config) error {
	r := &cfRun{d: d, cs: cs, vals: vals, idx: map[*trt.LayerDesc]int{}, tf32: cfg.TF32}
	for i, l := range d.Layers {
		r.idx[l] = i
	}
	return r.run(nil, nil)
}

// run computes, in order, the layers owned by construct k (nil: the
// network outside every construct), restricted to only when it is not
// nil, and the constructs nested in k at their triggers.
func (r *cfRun) run(k *trt.Construct, only map[*trt.LayerDesc]bool) error {
	for i, l := range r.d.Layers {
		if only != nil && !only[l] {
			continue
		}
		owner := r.cs.Owner[l]
		if owner != k {
			if owner != nil && owner.Parent == k && owner.Trigger() == l {
				if err := r.construct(owner); err != nil {
					return err
				}
			}
			continue
		}
		switch l.Params.(type) {
		case trt.Recurrence, trt.TripLimit, trt.LoopOutput, trt.Condition, trt.ConditionalOutput:
			if k != nil {
				continue // boundary layers of k: construct handles them
			}
		}
		if err := r.layer(i, l); err != nil {
			return err
		}
	}
	return nil
}

// layer computes one layer from the current values.
func (r *cfRun) layer(i int, l *trt.LayerDesc) error {
	args := make([]*tensor.Tensor, len(l.Inputs))
	for j, t := range l.Inputs {
		if t == nil {
			continue
		}
		v, ok := r.vals[t]
		if !ok {
			return layerErr(i, l, fmt.Errorf("input %d (tensor %q) has not been computed", j, t.Name))
		}
		args[j] = v
	}
	res, err := runLayer(l, args, layerOpts{tf32: r.tf32})
	if err == nil {
		err = checkResults(l, res)
	}
	if err != nil {
		return layerErr(i, l, err)
	}
	for j, o := range l.Outputs {
		r.vals[o] = res[j]
	}
	return nil
}

func (r *cfRun) value(l *trt.LayerDesc, j int) (*tensor.Tensor, error) {
	t := l.Inputs[j]
	v, ok := r.vals[t]
	if !ok {
		return nil, layerErr(r.idx[l], l, fmt.Errorf("input %d (tensor %q) has not been computed", j, t.Name))
	}
	return v, nil
}

func (r *cfRun) construct(k *trt.Construct) error {
	if k.Loop {
		return r.loop(k)
	}
	return r.conditional(k)
}

func (r *cfRun) loop(k *trt.Construct) error {
	var recs, outs []*trt.LayerDesc
	var count int64 = -1
	var while *trt.TensorDesc
	for _, b := range k.Boundary {
		switch p := b.Params.(type) {
		case trt.Recurrence:
			recs = append(recs, b)
		case trt.LoopOutput:
			outs = append(outs, b)
		case trt.TripLimit:
			if p.Limit == trt.TripLimitWhile {
				while = b.Inputs[0]
				continue
			}
			v, err := r.value(b, 0)
			if err != nil {
				return err
			}
			count = int64(v.Float64At(0))
		}
	}
	for _, rec := range recs {
		v, err := r.value(rec, 0)
		if err != nil {
			return err
		}
		r.vals[rec.Outputs[0]] = v
	}
	condSet := r.closure(k, while)
	bodySet := map[*trt.LayerDesc]bool{}
	for l := range k.Interior {
		if !condSet[l] {
			bodySet[l] = true
		}
	}
	for it := int64(0); ; it++ {
		if count >= 0 && it >= count {
			break
		}
		if while != nil {
			if err := r.run(k, condSet); err != nil {
				return err
			}
			c, ok := r.vals[while]
			if !ok {
				return fmt.Errorf("exec: %v: the kWHILE limit %q was not computed", k, while.Name)
			}
			if !c.B[0] {
				break
			}
		}
		if it == MaxIterations {
			return fmt.Errorf("exec: %v still running after %d iterations", k, MaxIterations)
		}
		if err := r.run(k, bodySet); err != nil {
			return err
		}
		next := make([]*tensor.Tensor, len(recs))
		for i, rec := range recs {
			if len(rec.Inputs) < 2 || rec.Inputs[1] == nil {
				return layerErr(r.idx[rec], rec, fmt.Errorf("recurrence has no next value"))
			}
			v, err := r.value(rec, 1)
			if err != nil {
				return err
			}
			next[i] = v
		}
		for i, rec := range recs {
			r.vals[rec.Outputs[0]] = next[i]
		}
	}
	for _, o := range outs {
		v, err := r.value(o, 0)
		if err != nil {
			return err
		}
		r.vals[o.Outputs[0]] = v.Clone()
	}
	return nil
}

// closure is k.BackwardClosure(ts...) with what the constructs nested in
// k that it reaches need to run: the layers computing their boundary
// layers' inputs (a nested conditional's condition and inputs, a nested
// loop's initial values and trip limit) and their whole interiors.
func (r *cfRun) closure(k *trt.Construct, ts ...*trt.TensorDesc) map[*trt.LayerDesc]bool {
	out := k.BackwardClosure(ts...)
	done := map[*trt.Construct]bool{}
	for {
		var next *trt.Construct
		for l := range out {
			kk := r.cs.Owner[l]
			for kk != nil && kk != k && kk.Parent != k {
				kk = kk.Parent
			}
			if kk != nil && kk != k && !done[kk] {
				next = kk
				break
			}
		}
		if next == nil {
			return out
		}
		done[next] = true
		var need []*trt.TensorDesc
		for l := range next.Interior {
			out[l] = true
			need = append(need, l.Inputs...)
		}
		for l := range k.BackwardClosure(need...) {
			out[l] = true
		}
	}
}

func (r *cfRun) conditional(k *trt.Construct) error {
	var cond *trt.LayerDesc
	var outs []*trt.LayerDesc
	for _, b := range k.Boundary {
		switch b.Params.(type) {
		case trt.Condition:
			cond = b
		case trt.ConditionalOutput:
			outs = append(outs, b)
		}
	}
	if cond == nil {
		return fmt.Errorf("exec: %v has no condition", k)
	}
	c, err := r.value(cond, 0)
	if err != nil {
		return err
	}
	side := 1
	if c.B[0] {
		side = 0
	}
	var ts []*trt.TensorDesc
	for _, o := range outs {
		ts = append(ts, o.Inputs[side])
	}
	if err := r.run(k, r.closure(k, ts...)); err != nil {
		return err
	}
	for _, o := range outs {
		v, err := r.value(o, side)
		if err != nil {
			return err
		}
		r.vals[o.Outputs[0]] = v.Clone()
	}
	return nil
}
