package tensorrt

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	tfctensor "github.com/tfc-dev/tfc/tensor"
)

// HostBuffers converts tensors, by input name, to the little-endian bytes
// in TensorRT's layout that Infer and InferTimed take.
func HostBuffers(in map[string]*tfctensor.Tensor) (map[string][]byte, error) {
	feed := make(map[string][]byte, len(in))
	for name, t := range in {
		w, err := trt.WeightsFromTensor(t)
		if err != nil {
			return nil, fmt.Errorf("input %s: %v", name, err)
		}
		feed[name] = w.Values
	}
	return feed, nil
}

// InferTensors is Infer on tensors: the inputs are converted with
// HostBuffers, and the outputs come back as tensors, in the order of IO's
// outputs.
func (e *Engine) InferTensors(in map[string]*tfctensor.Tensor) ([]*tfctensor.Tensor, error) {
	feed, err := HostBuffers(in)
	if err != nil {
		return nil, err
	}
	got, err := e.Infer(feed)
	if err != nil {
		return nil, err
	}
	_, outputs := e.IO()
	outs := make([]*tfctensor.Tensor, 0, len(outputs))
	for _, o := range outputs {
		b, ok := got[o.Name]
		if !ok {
			return nil, fmt.Errorf("engine returned no output %s", o.Name)
		}
		w := trt.Weights{Type: o.Type, Count: trt.Dims(o.Shape).Volume(), Values: b}
		t, err := w.Tensor(trt.Dims(o.Shape))
		if err != nil {
			return nil, fmt.Errorf("output %s: %v", o.Name, err)
		}
		outs = append(outs, t)
	}
	return outs, nil
}
