package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Broadcasting and strided data movement helpers shared by the kernels.

// broadcastStrides returns the element strides with which an operand of
// shape s is read when broadcast to out: s's row-major strides, aligned at
// the last dimension, with 0 on broadcast (size-1 or missing) dimensions.
func broadcastStrides(s, out tensor.Shape) []int {
	st := make([]int, len(out))
	n := 1
	for i := len(s) - 1; i >= 0; i-- {
		j := len(out) - len(s) + i
		if s[i] != 1 {
			st[j] = n
		}
		n *= s[i]
	}
	return st
}

// rowIter walks an output of some shape row by row, together with
// operands read through strides: dimensions are coalesced where every
// operand allows, and fn is called once per innermost row with the
// output offset, each operand's offset and the row length; along the row
// operand k advances by inner[k] (0 or 1 for broadcasting operands).
type rowIter struct {
	dims    []int
	strides [][]int // per operand, per dim
	inner   []int
	size    int
}

func newRowIter(out tensor.Shape, strides ...[]int) *rowIter {
	it := &rowIter{size: out.Size()}
	// Drop size-1 dimensions, then merge dim i into i+1 where every
	// operand (and the dense output) is contiguous across the pair.
	var dims []int
	var idx []int
	for i, d := range out {
		if d != 1 {
			dims = append(dims, d)
			idx = append(idx, i)
		}
	}
	st := make([][]int, len(strides))
	for k, s := range strides {
		st[k] = make([]int, len(idx))
		for j, i := range idx {
			st[k][j] = s[i]
		}
	}
	var md []int
	mst := make([][]int, len(strides))
	for j, d := range dims {
		if len(md) > 0 {
			last := len(md) - 1
			ok := true
			for k := range st {
				if mst[k][last] != st[k][j]*d {
					ok = false
					break
				}
			}
			if ok {
				md[last] *= d
				for k := range st {
					mst[k][last] = st[k][j]
				}
				continue
			}
		}
		md = append(md, d)
		for k := range st {
			mst[k] = append(mst[k], st[k][j])
		}
	}
	if len(md) == 0 {
		md = []int{1}
		for k := range mst {
			mst[k] = []int{0}
		}
	}
	it.dims = md
	it.strides = mst
	it.inner = make([]int, len(strides))
	for k := range mst {
		it.inner[k] = mst[k][len(md)-1]
	}
	return it
}

// run calls fn for every row, in order. offs is reused between calls.
func (it *rowIter) run(fn func(o int, offs []int, n int)) {
	if it.size == 0 {
		return
	}
	n := it.dims[len(it.dims)-1]
	it.rows(0, it.size/n, n, fn)
}

// runParallel is run with rows (or, for a single row, chunks of it)
// spread over goroutines; fn must be safe for concurrent use on disjoint
// rows.
func (it *rowIter) runParallel(fn func(o int, offs []int, n int)) {
	if it.size == 0 {
		return
	}
	n := it.dims[len(it.dims)-1]
	rows := it.size / n
	if rows == 1 {
		const chunk = 1 << 14
		parallelFor((n+chunk-1)/chunk, chunk, func(lo, hi int) {
			offs := make([]int, len(it.inner))
			for c := lo; c < hi; c++ {
				o := c * chunk
				for k := range offs {
					offs[k] = o * it.inner[k]
				}
				fn(o, offs, min(chunk, n-o))
			}
		})
		return
	}
	parallelFor(rows, n, func(lo, hi int) { it.rows(lo, hi, n, fn) })
}

// rows calls fn for rows [lo, hi) of length n.
func (it *rowIter) rows(lo, hi, n int, fn func(o int, offs []int, n int)) {
	r := len(it.dims)
	offs := make([]int, len(it.strides))
	idx := make([]int, r-1)
	rest := lo
	for d := r - 2; d >= 0; d-- {
		idx[d] = rest % it.dims[d]
		rest /= it.dims[d]
		for k := range offs {
			offs[k] += idx[d] * it.strides[k][d]
		}
	}
	for row := lo; row < hi; row++ {
		fn(row*n, offs, n)
		for d := r - 2; d >= 0; d-- {
			idx[d]++
			for k := range offs {
				offs[k] += it.strides[k][d]
			}
			if idx[d] < it.dims[d] {
				break
			}
			for k := range offs {
				offs[k] -= it.strides[k][d] * it.dims[d]
			}
			idx[d] = 0
		}
	}
}

// take fills dst, laid out row-major over len(maps) dimensions of sizes
// len(maps[k]), with src[Σ_k maps[k][i_k]]: maps hold element offsets
// into src per output coordinate. Transpose, slice, broadcast, tile,
// non-constant pad and nearest resize are all take with suitable maps.
func take[T any](dst, src []T, maps [][]int) {
	r := len(maps)
	if r == 0 {
		dst[0] = src[0]
		return
	}
	for _, m := range maps {
		if len(m) == 0 {
			return
		}
	}
	last := maps[r-1]
	n := len(last)
	contiguous := true
	for i := 1; i < n; i++ {
		if last[i] != last[0]+i {
			contiguous = false
			break
		}
	}
	idx := make([]int, r-1)
	base := 0
	for k := 0; k < r-1; k++ {
		base += maps[k][0]
	}
	for o := 0; o < len(dst); o += n {
		row := dst[o : o+n]
		if contiguous {
			copy(row, src[base+last[0]:base+last[0]+n])
		} else {
			for i, m := range last {
				row[i] = src[base+m]
			}
		}
		for k := r - 2; k >= 0; k-- {
			base -= maps[k][idx[k]]
			idx[k]++
			if idx[k] < len(maps[k]) {
				base += maps[k][idx[k]]
				break
			}
			idx[k] = 0
			base += maps[k][0]
		}
	}
}

// takeFill is take where a negative map entry selects fill instead of an
// element of src (constant padding).
func takeFill[T any](dst, src []T, maps [][]int, fill T) {
	r := len(maps)
	if r == 0 {
		dst[0] = src[0]
		return
	}
	for _, m := range maps {
		if len(m) == 0 {
			return
		}
	}
	last := maps[r-1]
	n := len(last)
	idx := make([]int, r-1)
	base, neg := 0, 0
	for k := 0; k < r-1; k++ {
		if maps[k][0] < 0 {
			neg++
		} else {
			base += maps[k][0]
		}
	}
	for o := 0; o < len(dst); o += n {
		row := dst[o : o+n]
		if neg > 0 {
			for i := range row {
				row[i] = fill
			}
		} else {
			for i, m := range last {
				if m < 0 {
					row[i] = fill
				} else {
					row[i] = src[base+m]
				}
			}
		}
		for k := r - 2; k >= 0; k-- {
			if m := maps[k][idx[k]]; m < 0 {
				neg--
			} else {
				base -= m
			}
			idx[k]++
			if idx[k] == len(maps[k]) {
				idx[k] = 0
			}
			if m := maps[k][idx[k]]; m < 0 {
				neg++
			} else {
				base += m
			}
			if idx[k] != 0 {
				break
			}
		}
	}
}

// takeTensor applies take to any storage class; dst must have src's dtype.
func takeTensor(dst, src *tensor.Tensor, maps [][]int) {
	switch src.DType.Storage() {
	case tensor.StoreF32:
		take(dst.F32, src.F32, maps)
	case tensor.StoreF64:
		take(dst.F64, src.F64, maps)
	case tensor.StoreI32:
		take(dst.I32, src.I32, maps)
	case tensor.StoreI64:
		take(dst.I64, src.I64, maps)
	case tensor.StoreBool:
		take(dst.B, src.B, maps)
	}
}

// stridedMaps returns maps reading src dimension by dimension with the
// given element strides: maps[k][i] = (start[k] + i*step[k]) * stride[k].
func stridedMaps(size, start, step, stride []int) [][]int {
	maps := make([][]int, len(size))
	for k := range size {
		m := make([]int, size[k])
		for i := range m {
			m[i] = (start[k] + i*step[k]) * stride[k]
		}
		maps[k] = m
	}
	return maps
}

// Broadcast returns x broadcast to shape (numpy broadcast_to): shape has
// rank ≥ x's; aligned at the last dimension, every dimension of x equals
// the target's or is 1.
func Broadcast(x *tensor.Tensor, shape tensor.Shape) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, err
	}
	if len(shape) < len(x.Shape) {
		return nil, fmt.Errorf("broadcast: cannot broadcast %v to lower rank %v", x.Shape, shape)
	}
	off := len(shape) - len(x.Shape)
	for i, d := range x.Shape {
		if d != shape[off+i] && d != 1 {
			return nil, fmt.Errorf("broadcast: cannot broadcast %v to %v", x.Shape, shape)
		}
	}
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("broadcast: %v", err)
	}
	st := broadcastStrides(x.Shape, shape)
	zero := make([]int, len(shape))
	one := make([]int, len(shape))
	for i := range one {
		one[i] = 1
	}
	takeTensor(out, x, stridedMaps(shape, zero, one, st))
	return out, nil
}
