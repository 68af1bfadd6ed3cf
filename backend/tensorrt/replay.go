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
	for _, ld := range d.Layers {
		ins := make([]trt.Tensor, len(ld.Inputs))
		for i, in := range ld.Inputs {
			if in == nil {
				continue
			}
			t, err := get(ld, i)
			if err != nil {
				return err
			}
			ins[i] = t
		}
		need := func(n int) error {
			if len(ins) < n {
				return fmt.Errorf("layer %d %q (%v): %d inputs, want %d", ld.ID, ld.Name, ld.Type, len(ins), n)
			}
			for i := 0; i < n; i++ {
				if ins[i] == nil {
					return fmt.Errorf("layer %d %q (%v): missing input %d", ld.ID, ld.Name, ld.Type, i)
				}
			}
			return nil
		}
		var l trt.Layer
		var err error
		switch p := ld.Params.(type) {
		case trt.Convolution:
			if err = need(1); err == nil {
				if len(ins) > 1 && ins[1] != nil {
					p.KernelTensor = ins[1]
				}
				l = net.AddConvolutionNd(ins[0], p)
			}
		case trt.Deconvolution:
			if err = need(1); err == nil {
				l = net.AddDeconvolutionNd(ins[0], p)
			}
		case trt.Activation:
			if err = need(1); err == nil {
				l = net.AddActivation(ins[0], p)
			}
		case trt.Pooling:
			if err = need(1); err == nil {
				l = net.AddPoolingNd(ins[0], p)
			}
		case trt.ElementWise:
			if err = need(2); err == nil {
				l = net.AddElementWise(ins[0], ins[1], p.Operation)
			}
		case trt.Unary:
			if err = need(1); err == nil {
				l = net.AddUnary(ins[0], p.Operation)
			}
		case trt.Reduce:
			if err = need(1); err == nil {
				l = net.AddReduce(ins[0], p)
			}
		case trt.SoftMax:
			if err = need(1); err == nil {
				l = net.AddSoftMax(ins[0], p.Axes)
			}
		case trt.TopK:
			if err = need(1); err == nil {
				l = net.AddTopK(ins[0], p)
			}
		case trt.Shuffle:
			if err = need(1); err == nil {
				if len(ins) > 1 && ins[1] != nil {
					p.ReshapeTensor = ins[1]
				}
				l = net.AddShuffle(ins[0], p)
			}
		case trt.Slice:
			if err = need(1); err == nil {
				if len(ins) > 1 && ins[1] != nil {
					p.Fill = ins[1]
				}
				if len(ins) > 2 && ins[2] != nil {
					p.SizeTensor = ins[2]
				}
				l = net.AddSlice(ins[0], p)
			}
		case trt.Concatenation:
			if err = need(len(ins)); err == nil {
				l = net.AddConcatenation(ins, p.Axis)
			}
		case trt.Gather:
			if err = need(2); err == nil {
				l = net.AddGather(ins[0], ins[1], p)
			}
		case trt.MatrixMultiply:
			if err = need(2); err == nil {
				l = net.AddMatrixMultiply(ins[0], p.Op0, ins[1], p.Op1)
			}
		case trt.Einsum:
			if err = need(len(ins)); err == nil {
				l = net.AddEinsum(ins, p.Equation)
			}
		case trt.Resize:
			if err = need(1); err == nil {
				l = net.AddResize(ins[0], p)
			}
		case trt.Constant:
			l = net.AddConstant(p.Dimensions, p.Weights)
		case trt.Identity:
			if err = need(1); err == nil {
				l = net.AddIdentity(ins[0])
			}
		case trt.Cast:
			if err = need(1); err == nil {
				l = net.AddCast(ins[0], p.ToType)
			}
		case trt.Quantize:
			if err = need(2); err == nil {
				l = net.AddQuantize(ins[0], ins[1], p)
			}
		case trt.Dequantize:
			if err = need(2); err == nil {
				l = net.AddDequantize(ins[0], ins[1], p)
			}
		case trt.Select:
			if err = need(3); err == nil {
				l = net.AddSelect(ins[0], ins[1], ins[2])
			}
		case trt.Scale:
			if err = need(1); err == nil {
				l = net.AddScaleNd(ins[0], p)
			}
		case trt.Normalization:
			if err = need(3); err == nil {
				l = net.AddNormalization(ins[0], ins[1], ins[2], p)
			}
		case trt.Padding:
			if err = need(1); err == nil {
				l = net.AddPaddingNd(ins[0], p.PrePadding, p.PostPadding)
			}
		case trt.Fill:
			l = net.AddFill(p)
		case trt.Shape:
			if err = need(1); err == nil {
				l = net.AddShape(ins[0])
			}
		case trt.Scatter:
			if err = need(3); err == nil {
				l = net.AddScatter(ins[0], ins[1], ins[2], p)
			}
		case trt.Cumulative:
			if err = need(1); err == nil {
				l = net.AddCumulative(ins[0], p)
			}
		default:
			return fmt.Errorf("layer %d %q (%v): parameters of type %T are not a layer tfc builds", ld.ID, ld.Name, ld.Type, ld.Params)
		}
		if err != nil {
			return err
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
