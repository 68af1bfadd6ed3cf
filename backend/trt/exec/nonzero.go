package exec

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerNonZero] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return one(nonZero(in[0], l.Params.(trt.NonZero)))
	}
}

// nonZero is INonZeroLayer: the coordinates of the nonzero elements, one
// column each in lexical order, [rank, count] of the indices type. Where
// NvInfer.h leaves a choice (a float NaN or -0, which tfc's lowering never
// gives the layer: it compares with 0 first), the executor takes
// kernels.NonZero's (NaN nonzero, -0 zero).
func nonZero(x *tensor.Tensor, p trt.NonZero) (*tensor.Tensor, error) {
	rows, err := kernels.NonZero(x) // [count, rank] int64
	if err != nil {
		return nil, err
	}
	cols, err := kernels.Transpose(rows, []int{1, 0})
	if err != nil {
		return nil, err
	}
	if p.IndicesType == trt.Int32 {
		return kernels.Cast(cols, tensor.Int32)
	}
	return cols, nil
}
