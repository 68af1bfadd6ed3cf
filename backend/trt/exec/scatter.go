package exec

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerScatter] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Scatter)
		return one(scatter(in[0], in[1], in[2], p))
	}
	layerKernels[trt.LayerCumulative] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Cumulative)
		return one(cumulative(in[0], p))
	}
}

// scatter is IScatterLayer: a copy of data with updates written at
// indices.
//
//	kND:      out[idx[n..., :], s...] = upd[n..., s...]
//	kELEMENT: out[J with J[Axis] = idx[J]] = upd[J]
//
// NvInfer.h leaves two writes to one element undefined; the reference
// executor reports them as an error, as it does an index outside its
// dimension (negative indices are not documented for scatter).
func scatter(data, idx, upd *tensor.Tensor, p trt.Scatter) (*tensor.Tensor, error) {
	if idx.DType != tensor.Int32 {
		return nil, fmt.Errorf("indices have type %v, want int32", idx.DType)
	}
	if upd.DType != data.DType {
		return nil, fmt.Errorf("updates have type %v, data %v", upd.DType, data.DType)
	}
	out := data.Clone()
	cp := elems(out, upd)
	written := make([]bool, out.Len())
	write := func(o, i int) error {
		if written[o] {
			return fmt.Errorf("element %d is written twice (undefined in TensorRT)", o)
		}
		written[o] = true
		cp(o, i)
		return nil
	}
	r := len(data.Shape)
	switch p.Mode {
	case trt.ScatterND:
		q := len(idx.Shape)
		if q < 1 || idx.Shape[q-1] > r {
			return nil, fmt.Errorf("kND: indices %v for data %v", idx.Shape, data.Shape)
		}
		k := idx.Shape[q-1]
		inner := data.Shape[k:].Size()
		n := idx.Shape[:q-1].Size()
		if upd.Len() != n*inner {
			return nil, fmt.Errorf("kND: updates %v for indices %v and data %v", upd.Shape, idx.Shape, data.Shape)
		}
		strides := data.Shape.Strides()
		for j := range n {
			off := 0
			for i := range k {
				v := int(idx.I32[j*k+i])
				if v < 0 || v >= data.Shape[i] {
					return nil, fmt.Errorf("kND: index %d outside [0, %d) in tuple %d", v, data.Shape[i], j)
				}
				off += v * strides[i]
			}
			for e := range inner {
				if err := write(off+e, j*inner+e); err != nil {
					return nil, err
				}
			}
		}
	case trt.ScatterElement:
		ax := int(p.Axis)
		if len(idx.Shape) != r || !idx.Shape.Equal(upd.Shape) || ax < 0 || ax >= r {
			return nil, fmt.Errorf("kELEMENT: data %v, indices %v, updates %v, axis %d", data.Shape, idx.Shape, upd.Shape, ax)
		}
		ist, ost := idx.Shape.Strides(), data.Shape.Strides()
		c := make([]int, r)
		for j := range idx.Len() {
			unravel(j, ist, c)
			v := int(idx.I32[j])
			if v < 0 || v >= data.Shape[ax] {
				return nil, fmt.Errorf("kELEMENT: index %d outside [0, %d)", v, data.Shape[ax])
			}
			c[ax] = v
			off := 0
			for i := range c {
				if c[i] >= data.Shape[i] {
					return nil, fmt.Errorf("kELEMENT: indices %v exceed data %v", idx.Shape, data.Shape)
				}
				off += c[i] * ost[i]
			}
			if err := write(off, j); err != nil {
				return nil, err
			}
		}
	default:
		return nil, fmt.Errorf("unknown scatter mode %v", p.Mode)
	}
	return out, nil
}

// cumulative is ICumulativeLayer with kSUM: along Axis,
//
//	          forward    reverse
//	inclusive 0..j       j..n-1
//	exclusive 0..j-1     j+1..n-1
//
// summed in that order from +0 (0 for integers), each partial sum rounded
// to the element type (kHALF, kBF16); integers wrap.
func cumulative(x *tensor.Tensor, p trt.Cumulative) (*tensor.Tensor, error) {
	if p.Operation != trt.CumulativeSum {
		return nil, fmt.Errorf("unknown cumulative operation %v", p.Operation)
	}
	ax := int(p.Axis)
	if ax < 0 || ax >= len(x.Shape) {
		return nil, fmt.Errorf("axis %d outside [0, %d)", ax, len(x.Shape))
	}
	out, err := tensor.New(x.DType, x.Shape)
	if err != nil {
		return nil, err
	}
	outer, n, inner := x.Shape[:ax].Size(), x.Shape[ax], x.Shape[ax+1:].Size()
	round := func(v float32) float32 { return v }
	switch x.DType {
	case tensor.Float16:
		round = tensor.RoundF16
	case tensor.BFloat16:
		round = tensor.RoundBF16
	}
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			var fs float32
			var is int64
			for t := range n {
				j := t
				if p.Reverse {
					j = n - 1 - t
				}
				e := base + j*inner
				if p.Exclusive {
					switch x.DType.Storage() {
					case tensor.StoreF32:
						out.F32[e] = fs
					case tensor.StoreI32:
						out.I32[e] = int32(is)
					case tensor.StoreI64:
						out.I64[e] = is
					}
				}
				switch x.DType.Storage() {
				case tensor.StoreF32:
					fs = round(fs + x.F32[e])
				case tensor.StoreI32:
					is = int64(int32(is) + x.I32[e])
				case tensor.StoreI64:
					is += x.I64[e]
				default:
					return nil, fmt.Errorf("input type %v is not supported", x.DType)
				}
				if !p.Exclusive {
					switch x.DType.Storage() {
					case tensor.StoreF32:
						out.F32[e] = fs
					case tensor.StoreI32:
						out.I32[e] = int32(is)
					case tensor.StoreI64:
						out.I64[e] = is
					}
				}
			}
		}
	}
	return out, nil
}
