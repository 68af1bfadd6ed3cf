package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Gather selects slices of x along axis by index:
//
//	r[b..., p..., i..., q...] = x[b..., p..., idx[b..., i...], q...]
//
// with b the first batchDims dimensions (shared by x and idx), p x's other
// dimensions before axis and q those after. idx is i32 or i64; an index
// outside [0, x.shape[axis]) is an error.
func Gather(x, idx *tensor.Tensor, axis, batchDims int) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, fmt.Errorf("gather: %v", err)
	}
	if err := checkTensor("indices", idx); err != nil {
		return nil, fmt.Errorf("gather: %v", err)
	}
	if err := checkDType("indices", idx, indexTypes...); err != nil {
		return nil, fmt.Errorf("gather: %v", err)
	}
	if axis < 0 || axis >= len(x.Shape) {
		return nil, fmt.Errorf("gather: axis %d out of range for rank %d", axis, len(x.Shape))
	}
	bd := batchDims
	if bd < 0 || bd > axis || bd > len(idx.Shape) {
		return nil, fmt.Errorf("gather: batch_dims=%d: want 0 ≤ batch_dims ≤ axis (%d) and ≤ indices rank (%d)", bd, axis, len(idx.Shape))
	}
	for i := range bd {
		if x.Shape[i] != idx.Shape[i] {
			return nil, fmt.Errorf("gather: batch dimension %d: input has %d, indices have %d", i, x.Shape[i], idx.Shape[i])
		}
	}
	shape := append(tensor.Shape{}, x.Shape[:axis]...)
	shape = append(shape, idx.Shape[bd:]...)
	shape = append(shape, x.Shape[axis+1:]...)
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("gather: %v", err)
	}
	prod := func(s tensor.Shape) int {
		n := 1
		for _, d := range s {
			n *= d
		}
		return n
	}
	g := gatherDims{
		batch: prod(x.Shape[:bd]),
		outer: prod(x.Shape[bd:axis]),
		n:     prod(idx.Shape[bd:]),
		dim:   x.Shape[axis],
		inner: prod(x.Shape[axis+1:]),
	}
	ix := make([]int, idx.Len())
	for i := range ix {
		v := idx.Int64At(i)
		if v < 0 || v >= int64(g.dim) {
			return nil, fmt.Errorf("gather: index %d out of range [0,%d)", v, g.dim)
		}
		ix[i] = int(v)
	}
	switch x.DType.Storage() {
	case tensor.StoreF32:
		gatherT(out.F32, x.F32, ix, g)
	case tensor.StoreF64:
		gatherT(out.F64, x.F64, ix, g)
	case tensor.StoreI32:
		gatherT(out.I32, x.I32, ix, g)
	case tensor.StoreI64:
		gatherT(out.I64, x.I64, ix, g)
	case tensor.StoreBool:
		gatherT(out.B, x.B, ix, g)
	}
	return out, nil
}

type gatherDims struct{ batch, outer, n, dim, inner int }

func gatherT[T any](dst, src []T, ix []int, g gatherDims) {
	o := 0
	for b := range g.batch {
		idx := ix[b*g.n : (b+1)*g.n]
		for p := range g.outer {
			base := (b*g.outer + p) * g.dim * g.inner
			for _, i := range idx {
				s := base + i*g.inner
				copy(dst[o:o+g.inner], src[s:s+g.inner])
				o += g.inner
			}
		}
	}
}
