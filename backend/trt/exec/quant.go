package exec

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerQuantize] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Quantize)
		return one(quantize(in[0], in[1], p))
	}
	layerKernels[trt.LayerDequantize] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Dequantize)
		return one(dequantize(in[0], in[1], p))
	}
}

// quantParams converts a Q/DQ layer's scale input into the kernels'
// parameters: float32 scales, zero points 0, per tensor (a scalar scale)
// or along axis.
func quantParams(x, scale *tensor.Tensor, axis int32) (kernels.QuantParams, error) {
	s, err := kernels.Cast(scale, tensor.Float32)
	if err != nil {
		return kernels.QuantParams{}, err
	}
	for _, v := range s.F32 {
		if !(v > 0) {
			return kernels.QuantParams{}, fmt.Errorf("scale %v is not positive (TensorRT requires scale > 0)", v)
		}
	}
	p := kernels.QuantParams{Scale: s, ZeroPoint: tensor.MustNew(tensor.Int32, s.Shape), Axis: -1, QMin: -128, QMax: 127}
	if s.Shape.Rank() == 1 {
		p.Axis = int(axis)
	}
	return p, nil
}

// quantize is IQuantizeLayer to kINT8: q = clamp(round(x / scale), -128,
// 127), the division in float32, ties to even.
func quantize(x, scale *tensor.Tensor, l trt.Quantize) (*tensor.Tensor, error) {
	if l.ToType != trt.Int8 && l.ToType != trt.FP8 {
		return nil, fmt.Errorf("quantize to %v is not supported (kINT8 and kFP8 only)", l.ToType)
	}
	p, err := quantParams(x, scale, l.Axis)
	if err != nil {
		return nil, err
	}
	p.FP8 = l.ToType == trt.FP8
	xf, err := kernels.Cast(x, tensor.Float32)
	if err != nil {
		return nil, err
	}
	q, err := kernels.Quantize(xf, p)
	if err != nil {
		return nil, err
	}
	if !p.FP8 {
		q.DType = tensor.Int8 // values in [-128, 127], i32 storage
	}
	return q, nil
}

// dequantize is IDequantizeLayer from kINT8: y = float32(q) * scale,
// rounded to the output type.
func dequantize(q, scale *tensor.Tensor, l trt.Dequantize) (*tensor.Tensor, error) {
	if q.DType != tensor.Int8 && q.DType != tensor.Float32 {
		return nil, fmt.Errorf("dequantize input is %v, want kINT8 or kFP8", q.DType)
	}
	p, err := quantParams(q, scale, l.Axis)
	if err != nil {
		return nil, err
	}
	qi := *q
	if q.DType == tensor.Int8 {
		qi.DType = tensor.Int32
	}
	y, err := kernels.Dequantize(&qi, p)
	if err != nil {
		return nil, err
	}
	dt, err := DType(l.ToType)
	if err != nil {
		return nil, err
	}
	return kernels.Cast(y, dt)
}
