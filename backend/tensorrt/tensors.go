package tensorrt

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	tfctensor "github.com/tfc-dev/tfc/tensor"
)

// HostTensors converts tensors, by input name, to the shapes and
// little-endian bytes in TensorRT's layout that InferShaped takes.
func HostTensors(in map[string]*tfctensor.Tensor) (map[string]HostTensor, error) {
	feed := make(map[string]HostTensor, len(in))
	for name, t := range in {
		w, err := trt.WeightsFromTensor(t)
		if err != nil {
			return nil, fmt.Errorf("input %s: %v", name, err)
		}
		shape := make([]int64, len(t.Shape))
		for i, d := range t.Shape {
			shape[i] = int64(d)
		}
		feed[name] = HostTensor{Shape: shape, Data: w.Values}
	}
	return feed, nil
}

// InferTensors is InferShaped on tensors: the inputs are converted with
// HostTensors, and the outputs come back as tensors, in the order of IO's
// outputs. A dynamic engine runs at the inputs' shapes.
func (e *Engine) InferTensors(in map[string]*tfctensor.Tensor) ([]*tfctensor.Tensor, error) {
	feed, err := HostTensors(in)
	if err != nil {
		return nil, err
	}
	got, _, err := e.InferShaped(feed)
	if err != nil {
		return nil, err
	}
	_, outputs := e.IO()
	outs := make([]*tfctensor.Tensor, 0, len(outputs))
	for _, o := range outputs {
		h, ok := got[o.Name]
		if !ok {
			return nil, fmt.Errorf("engine returned no output %s", o.Name)
		}
		shape := trt.Dims(h.Shape)
		w := trt.Weights{Type: o.Type, Count: shape.Volume(), Values: h.Data}
		t, err := w.Tensor(shape)
		if err != nil {
			return nil, fmt.Errorf("output %s: %v", o.Name, err)
		}
		outs = append(outs, t)
	}
	return outs, nil
}
