package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// GatherND gathers slices of x addressed by the tuples in the last
// dimension of idx (K long), after batchDims dimensions x and idx share:
//
//	r[b..., n..., s...] = x[b..., idx[b..., n..., 0..K-1], s...]
//
// An index outside its dimension is an error.
func GatherND(x, idx *tensor.Tensor, batchDims int) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, fmt.Errorf("gather_nd: %v", err)
	}
	if err := checkTensor("indices", idx); err != nil {
		return nil, fmt.Errorf("gather_nd: %v", err)
	}
	if err := checkDType("indices", idx, indexTypes...); err != nil {
		return nil, fmt.Errorf("gather_nd: %v", err)
	}
	q, bd := len(idx.Shape), batchDims
	if q < 1 || bd < 0 || bd >= q {
		return nil, fmt.Errorf("gather_nd: indices %v with batch_dims %d", idx.Shape, bd)
	}
	k := idx.Shape[q-1]
	if bd+k > len(x.Shape) {
		return nil, fmt.Errorf("gather_nd: index tuples of length %d after %d batch dimensions, input %v", k, bd, x.Shape)
	}
	for i := range bd {
		if x.Shape[i] != idx.Shape[i] {
			return nil, fmt.Errorf("gather_nd: batch dimension %d: input has %d, indices have %d", i, x.Shape[i], idx.Shape[i])
		}
	}
	shape := append(tensor.Shape{}, idx.Shape[:q-1]...)
	shape = append(shape, x.Shape[bd+k:]...)
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("gather_nd: %v", err)
	}
	batch := x.Shape[:bd].Size()
	inner := x.Shape[bd+k:].Size()
	block := x.Shape[bd:].Size() // elements of x per batch entry
	n := idx.Shape[bd : q-1].Size()
	dims := x.Shape[bd : bd+k]
	strides := make([]int, k)
	for i, s := k-1, inner; i >= 0; i-- {
		strides[i] = s
		s *= dims[i]
	}
	cp := copier(out, x)
	for b := range batch {
		for j := range n {
			t := (b*n + j) * k
			off := b * block
			for i := range k {
				v := idx.Int64At(t + i)
				if v < 0 || v >= int64(dims[i]) {
					return nil, fmt.Errorf("gather_nd: index %d (position %d of tuple %d) out of range [0,%d)", v, i, b*n+j, dims[i])
				}
				off += int(v) * strides[i]
			}
			cp((b*n+j)*inner, off, inner)
		}
	}
	return out, nil
}

// ScatterND adds updates u into a zero tensor of the given shape at the
// index tuples in the last dimension of idx, in order, so updates at a
// repeated tuple are summed:
//
//	r = 0; r[idx[n..., :], s...] += u[n..., s...]
//
// An index outside its dimension is an error.
func ScatterND(idx, u *tensor.Tensor, shape tensor.Shape) (*tensor.Tensor, error) {
	if err := checkTensor("indices", idx); err != nil {
		return nil, fmt.Errorf("scatter_nd: %v", err)
	}
	if err := checkTensor("updates", u); err != nil {
		return nil, fmt.Errorf("scatter_nd: %v", err)
	}
	if err := checkDType("indices", idx, indexTypes...); err != nil {
		return nil, fmt.Errorf("scatter_nd: %v", err)
	}
	q := len(idx.Shape)
	if q < 1 || idx.Shape[q-1] > len(shape) {
		return nil, fmt.Errorf("scatter_nd: indices %v for shape %v", idx.Shape, shape)
	}
	k := idx.Shape[q-1]
	want := append(tensor.Shape{}, idx.Shape[:q-1]...)
	want = append(want, shape[k:]...)
	if !want.Equal(u.Shape) {
		return nil, fmt.Errorf("scatter_nd: updates %v, want %v", u.Shape, want)
	}
	out, err := tensor.New(u.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("scatter_nd: %v", err)
	}
	inner := shape[k:].Size()
	n := idx.Shape[:q-1].Size()
	strides := make([]int, k)
	for i, s := k-1, inner; i >= 0; i-- {
		strides[i] = s
		s *= shape[i]
	}
	var add func(o, i, n int)
	switch u.DType.Storage() {
	case tensor.StoreF32:
		round := func(v float32) float32 { return v }
		switch u.DType {
		case tensor.Float16:
			round = tensor.RoundF16 // each sum in the element type, as TensorFlow adds
		case tensor.BFloat16:
			round = tensor.RoundBF16
		}
		add = func(o, i, n int) {
			for j := range n {
				out.F32[o+j] = round(out.F32[o+j] + u.F32[i+j])
			}
		}
	case tensor.StoreF64:
		add = func(o, i, n int) {
			for j := range n {
				out.F64[o+j] += u.F64[i+j]
			}
		}
	case tensor.StoreI32:
		add = func(o, i, n int) {
			for j := range n {
				out.I32[o+j] += u.I32[i+j]
			}
		}
	case tensor.StoreI64:
		add = func(o, i, n int) {
			for j := range n {
				out.I64[o+j] += u.I64[i+j]
			}
		}
	default:
		return nil, fmt.Errorf("scatter_nd: updates of type %v are not numeric", u.DType)
	}
	for j := range n {
		off := 0
		for i := range k {
			v := idx.Int64At(j*k + i)
			if v < 0 || v >= int64(shape[i]) {
				return nil, fmt.Errorf("scatter_nd: index %d (position %d of tuple %d) out of range [0,%d)", v, i, j, shape[i])
			}
			off += int(v) * strides[i]
		}
		add(off, j*inner, inner)
	}
	return out, nil
}

// copier returns cp(o, i, n): out[o:o+n] = in[i:i+n], for tensors of one
// storage.
func copier(out, in *tensor.Tensor) func(o, i, n int) {
	switch in.DType.Storage() {
	case tensor.StoreF32:
		return func(o, i, n int) { copy(out.F32[o:o+n], in.F32[i:i+n]) }
	case tensor.StoreF64:
		return func(o, i, n int) { copy(out.F64[o:o+n], in.F64[i:i+n]) }
	case tensor.StoreI32:
		return func(o, i, n int) { copy(out.I32[o:o+n], in.I32[i:i+n]) }
	case tensor.StoreI64:
		return func(o, i, n int) { copy(out.I64[o:o+n], in.I64[i:i+n]) }
	}
	return func(o, i, n int) { copy(out.B[o:o+n], in.B[i:i+n]) }
}

// NonZero returns the coordinates of x's nonzero elements as an int64
// [count, rank] tensor in row-major order: true, or a number that is not
// 0 (NaN counts, -0 does not). TensorFlow's Where with one operand.
func NonZero(x *tensor.Tensor) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, fmt.Errorf("nonzero: %v", err)
	}
	nonzero := func(i int) bool { return x.Float64At(i) != 0 } // NaN != 0
	switch x.DType.Storage() {
	case tensor.StoreBool:
		nonzero = func(i int) bool { return x.B[i] }
	case tensor.StoreI32, tensor.StoreI64:
		nonzero = func(i int) bool { return x.Int64At(i) != 0 }
	}
	n := x.Len()
	count := 0
	for i := range n {
		if nonzero(i) {
			count++
		}
	}
	r := len(x.Shape)
	out, err := tensor.New(tensor.Int64, tensor.Shape{count, r})
	if err != nil {
		return nil, fmt.Errorf("nonzero: %v", err)
	}
	st := x.Shape.Strides()
	j := 0
	for i := range n {
		if !nonzero(i) {
			continue
		}
		rest := i
		for k, s := range st {
			out.I64[j*r+k] = int64(rest / s)
			rest %= s
		}
		j++
	}
	return out, nil
}
