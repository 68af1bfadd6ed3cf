package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Cumulative computes running sums (prod false) or products along axis,
// each line in order from the identity; exclusive leaves out the element
// itself, reverse runs from the end. Partial results are rounded to f16
// or bf16 for those types; integers wrap.
func Cumulative(x *tensor.Tensor, axis int, prod, exclusive, reverse bool) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, fmt.Errorf("cumulative: %v", err)
	}
	if axis < 0 || axis >= len(x.Shape) {
		return nil, fmt.Errorf("cumulative: axis %d out of range for rank %d", axis, len(x.Shape))
	}
	out, err := tensor.New(x.DType, x.Shape)
	if err != nil {
		return nil, fmt.Errorf("cumulative: %v", err)
	}
	outer, n, inner := x.Shape[:axis].Size(), x.Shape[axis], x.Shape[axis+1:].Size()
	// line calls f(e) for the elements of each line in scan order.
	line := func(f func(e int, first bool)) {
		for o := range outer {
			for i := range inner {
				base := o*n*inner + i
				for t := range n {
					j := t
					if reverse {
						j = n - 1 - t
					}
					f(base+j*inner, t == 0)
				}
			}
		}
	}
	switch x.DType.Storage() {
	case tensor.StoreF32:
		round := func(v float32) float32 { return v }
		switch x.DType {
		case tensor.Float16:
			round = tensor.RoundF16
		case tensor.BFloat16:
			round = tensor.RoundBF16
		}
		scan(x.F32, out.F32, line, prod, exclusive, round)
	case tensor.StoreI32:
		scan(x.I32, out.I32, line, prod, exclusive, func(v int32) int32 { return v })
	case tensor.StoreI64:
		scan(x.I64, out.I64, line, prod, exclusive, func(v int64) int64 { return v })
	default:
		return nil, fmt.Errorf("cumulative: input of type %v is not numeric", x.DType)
	}
	return out, nil
}

// scan writes the running sums or products of in to out, line by line in
// the order line gives, each line starting from the identity (0 or 1);
// round rounds every partial result (integers wrap).
func scan[T float32 | int32 | int64](in, out []T, line func(f func(e int, first bool)), prod, exclusive bool, round func(T) T) {
	var acc T
	line(func(e int, first bool) {
		if first {
			acc = 0
			if prod {
				acc = 1
			}
		}
		if exclusive {
			out[e] = acc
		}
		if prod {
			acc = round(acc * in[e])
		} else {
			acc = round(acc + in[e])
		}
		if !exclusive {
			out[e] = acc
		}
	})
}
