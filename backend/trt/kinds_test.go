package trt

import (
	"fmt"
	"testing"
)

// TestLayerKinds checks LayerKinds against the layer types: one kind per
// LayerType, in LayerType order, each Arity sane, and each AddTo making the
// add call of its own kind with the inputs it is given.
func TestLayerKinds(t *testing.T) {
	seen := map[LayerType]bool{}
	var last LayerType = -1
	for _, p := range LayerKinds() {
		k := p.Kind()
		if _, ok := layerTypeNames[k]; !ok {
			t.Errorf("%T: kind %v has no name in layerTypeNames", p, k)
		}
		if seen[k] {
			t.Errorf("%T: kind %v listed twice", p, k)
		}
		seen[k] = true
		if k <= last {
			t.Errorf("%T: kind %v listed after %v", p, k, last)
		}
		last = k
		min, max := p.Arity()
		if min < 0 || (max >= 0 && max < min) {
			t.Errorf("%T: Arity %d, %d", p, min, max)
		}
		// AddTo with the fewest inputs (two for a variadic kind) records
		// one layer of kind k reading exactly those inputs.
		n := min
		if max < 0 {
			n = 2
		}
		r := NewRecorder()
		ins := make([]Tensor, n)
		for i := range ins {
			ins[i] = r.AddInput(fmt.Sprintf("in%d", i), Float, Dims{1, 2, 3, 4})
		}
		p.AddTo(r, ins)
		d := r.Description()
		if len(d.Layers) != 1 {
			t.Errorf("%T: AddTo recorded %d layers, want 1", p, len(d.Layers))
			continue
		}
		l := d.Layers[0]
		if l.Type != k {
			t.Errorf("%T: AddTo recorded a %v layer, want %v", p, l.Type, k)
		}
		if len(l.Inputs) != n {
			t.Errorf("%T: AddTo recorded %d inputs, want %d", p, len(l.Inputs), n)
		}
		for i, in := range l.Inputs {
			if in != d.Inputs[i] {
				t.Errorf("%T: AddTo recorded input %d from %v, want %q", p, i, in, d.Inputs[i].Name)
			}
		}
	}
	for k := range layerTypeNames {
		if !seen[k] {
			t.Errorf("layer type %v has no parameters in LayerKinds", k)
		}
	}
}
