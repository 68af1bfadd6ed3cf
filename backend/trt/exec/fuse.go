package exec

import (
	"github.com/tfc-dev/tfc/backend/trt"
)

// Activation fusion. Run computes a float32 Activation layer in place, on
// the tensor its input layer has just produced, when that tensor has no
// other reader, is not a network output, and comes from a layer whose
// outputs are always new storage (never weights or a network input):
// Convolution, ElementWise, MatrixMultiply, Scale or another
// Activation. A Convolution applies it inside its kernel, to each output
// plane right after the bias while the plane is in cache (the
// convolution's epilogue), and the Activation layer then passes the
// tensor on. Results are the unfused layers' exactly: the activation is
// elementwise and computed by the same function (activationFunc); only
// the copy and the pass over memory are saved.

// fusion is Run's plan, by layer index.
type fusion struct {
	epi     []func([]float32)          // Convolution: the fused activation
	done    []bool                     // Activation: applied by its input's Convolution
	inPlace []func(dst, src []float32) // Activation: computed in place
}

// planFusion finds the fusable Activation layers of d; lastUse is Run's.
func planFusion(d *trt.Description, lastUse map[*trt.TensorDesc]int) fusion {
	n := len(d.Layers)
	f := fusion{epi: make([]func([]float32), n), done: make([]bool, n), inPlace: make([]func(dst, src []float32), n)}
	index := make(map[*trt.LayerDesc]int, n)
	readers := make(map[*trt.TensorDesc]int)
	for i, l := range d.Layers {
		index[l] = i
		for _, t := range l.Inputs {
			if t != nil {
				readers[t]++
			}
		}
	}
	for j, l := range d.Layers {
		p, ok := l.Params.(trt.Activation)
		if !ok || len(l.Inputs) != 1 || len(l.Outputs) != 1 {
			continue
		}
		in, out := l.Inputs[0], l.Outputs[0]
		if in == nil || out == nil || in.Producer == nil || readers[in] != 1 || lastUse[in] != j ||
			in.Type != trt.Float || out.Type != trt.Float || !sameDimsDims(in.Dims, out.Dims) {
			continue
		}
		i, ok := index[in.Producer]
		if !ok || i >= j {
			continue
		}
		apply, err := activationFunc(p)
		if err != nil {
			continue
		}
		switch in.Producer.Params.(type) {
		case trt.Convolution:
			if len(in.Producer.Outputs) == 1 && f.epi[i] == nil {
				f.epi[i] = func(plane []float32) { apply(plane, plane) }
				f.done[j] = true
			}
		case trt.ElementWise, trt.MatrixMultiply, trt.Scale, trt.Activation:
			f.inPlace[j] = apply
		}
	}
	return f
}

// sameDimsDims reports whether two TensorRT dimension lists are equal.
func sameDimsDims(a, b trt.Dims) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
