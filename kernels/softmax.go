package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// Softmax computes exp(x - m) / Σ exp(x - m) along axis, m the maximum
// along axis (in float64, rounded to x's dtype).
func Softmax(x *tensor.Tensor, axis int) (*tensor.Tensor, error) {
	return softmax(x, axis, false)
}

// LogSoftmax computes (x - m) - log(Σ exp(x - m)) along axis.
func LogSoftmax(x *tensor.Tensor, axis int) (*tensor.Tensor, error) {
	return softmax(x, axis, true)
}

func softmax(x *tensor.Tensor, axis int, log bool) (*tensor.Tensor, error) {
	name := "softmax"
	if log {
		name = "log_softmax"
	}
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := checkDType("operand", x, floatTypes...); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if axis < 0 || axis >= len(x.Shape) {
		return nil, fmt.Errorf("%s: axis %d out of range for rank %d", name, axis, len(x.Shape))
	}
	outer, n, inner := axisView(x.Shape, axis)
	out := tensor.MustNew(x.DType, x.Shape)
	e := make([]float64, n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			m := math.Inf(-1)
			for j := range n {
				v := float64(x.F32[base+j*inner])
				if v > m || v != v {
					m = v
				}
			}
			var s float64
			for j := range n {
				e[j] = math.Exp(float64(x.F32[base+j*inner]) - m)
				s += e[j]
			}
			ls := math.Log(s)
			for j := range n {
				if log {
					out.F32[base+j*inner] = float32(float64(x.F32[base+j*inner]) - m - ls)
				} else {
					out.F32[base+j*inner] = float32(e[j] / s)
				}
			}
		}
	}
	return finish(out), nil
}
