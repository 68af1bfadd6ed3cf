package tensorrt

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
)

// Build replays a recorded network into net: the same inputs, layers (in
// order, with their names and parameters), tensor names and outputs. It
// then checks that every tensor net reports has the type and dimensions
// the Description recorded. net is usually a *Network of this package; any
// trt.Network works (replaying into a trt.Recorder gives back an equal
// Description).
func Build(net trt.Network, d *trt.Description) error {
	if d == nil {
		return fmt.Errorf("tensorrt.Build: nil Description")
	}
	tensors := map[int]trt.Tensor{}
	type pair struct {
		desc *trt.TensorDesc
		got  trt.Tensor
	}
	var check []pair
	for _, in := range d.Inputs {
		t := net.AddInput(in.Name, in.Type, in.Dims)
		tensors[in.ID] = t
		check = append(check, pair{in, t})
	}
	get := func(ld *trt.LayerDesc, i int) (trt.Tensor, error) {
		if i >= len(ld.Inputs) || ld.Inputs[i] == nil {
			return nil, fmt.Errorf("layer %d %q (%v): missing input %d", ld.ID, ld.Name, ld.Type, i)
		}
		t, ok := tensors[ld.Inputs[i].ID]
		if !ok {
			return nil, fmt.Errorf("layer %d %q (%v): input %d is tensor %d, not defined before the layer", ld.ID, ld.Name, ld.Type, i, ld.Inputs[i].ID)
		}
		return t, nil
	}
	for _, name := range d.Loops {
		net.AddLoop(name)
	}
	for _, name := range d.Conditionals {
		net.AddIfConditional(name)
	}
	type backEdge struct {
		rec trt.Layer
		ld  *trt.LayerDesc
	}
	var backEdges []backEdge // recurrences' next values, set once every layer is added
	for _, ld := range d.Layers {
		ins := make([]trt.Tensor, len(ld.Inputs))
		_, rec := ld.Params.(trt.Recurrence)
		for i, in := range ld.Inputs {
			if in == nil || rec && i == 1 {
				continue
			}
			t, err := get(ld, i)
			if err != nil {
				return err
			}
			ins[i] = t
		}
		if ld.Params == nil {
			return fmt.Errorf("layer %d %q (%v): no parameters", ld.ID, ld.Name, ld.Type)
		}
		min, max := ld.Params.Arity()
		if max < 0 {
			min = len(ins)
		}
		if len(ins) < min {
			return fmt.Errorf("layer %d %q (%v): %d inputs, want %d", ld.ID, ld.Name, ld.Type, len(ins), min)
		}
		for i := range min {
			if ins[i] == nil {
				return fmt.Errorf("layer %d %q (%v): missing input %d", ld.ID, ld.Name, ld.Type, i)
			}
		}
		if p, ok := ld.Params.(trt.Recurrence); ok && (p.Loop < 0 || p.Loop >= len(d.Loops)) {
			return fmt.Errorf("layer %d %q (%v): loop %d does not exist", ld.ID, ld.Name, ld.Type, p.Loop)
		}
		l := ld.Params.AddTo(net, ins)
		if rec && len(ld.Inputs) > 1 && ld.Inputs[1] != nil {
			backEdges = append(backEdges, backEdge{l, ld})
		}
		if ld.Name != "" {
			l.SetName(ld.Name)
		}
		if l.NbOutputs() != len(ld.Outputs) {
			if err := net.Err(); err != nil {
				return err
			}
			return fmt.Errorf("layer %d %q (%v): %d outputs, recorded %d", ld.ID, ld.Name, ld.Type, l.NbOutputs(), len(ld.Outputs))
		}
		for i, od := range ld.Outputs {
			t := l.Output(i)
			if od.Name != "" {
				t.SetName(od.Name)
			}
			tensors[od.ID] = t
			check = append(check, pair{od, t})
		}
	}
	for _, e := range backEdges {
		t, ok := tensors[e.ld.Inputs[1].ID]
		if !ok {
			return fmt.Errorf("layer %d %q (%v): next value is tensor %d, which no layer defines", e.ld.ID, e.ld.Name, e.ld.Type, e.ld.Inputs[1].ID)
		}
		net.LoopAt(e.ld.Params.(trt.Recurrence).Loop).SetRecurrenceNext(e.rec, t)
	}
	for _, od := range d.Outputs {
		t, ok := tensors[od.ID]
		if !ok {
			return fmt.Errorf("output %q is tensor %d, which no layer defines", od.Name, od.ID)
		}
		net.MarkOutput(t)
	}
	if err := net.Err(); err != nil {
		return err
	}
	for _, c := range check {
		if c.got.Type() != c.desc.Type || !c.got.Dimensions().Equal(c.desc.Dims) {
			return fmt.Errorf("tensor %d %q: the network gives %v%v, the description records %v%v",
				c.desc.ID, c.desc.Name, c.got.Type(), c.got.Dimensions(), c.desc.Type, c.desc.Dims)
		}
	}
	return nil
}
