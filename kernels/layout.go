package kernels

import (
	"fmt"
	"sort"
	"unsafe"

	"github.com/tfc-dev/tfc/tensor"
)

// Data movement kernels. They accept every dtype that has storage.

// Reshape returns x's elements, in row-major order, with a new shape of
// the same element count. The result shares x's data.
func Reshape(x *tensor.Tensor, shape tensor.Shape) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("reshape: %v", err)
	}
	r, err := x.Reshape(shape)
	if err != nil {
		return nil, fmt.Errorf("reshape: %v", err)
	}
	return r, nil
}

// Transpose permutes x's dimensions: result dimension i is x's dimension
// perm[i].
func Transpose(x *tensor.Tensor, perm []int) (*tensor.Tensor, error) {
	return TransposeInto(x, perm, nil)
}

// TransposeInto is Transpose with the result written into dst when x is
// float32 and dst has its number of elements (otherwise, and when dst is
// nil, into new storage). dst must not overlap x.
func TransposeInto(x *tensor.Tensor, perm []int, dst []float32) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("transpose: %v", err)
	}
	if err := checkPerm(perm, len(x.Shape)); err != nil {
		return nil, fmt.Errorf("transpose: %v", err)
	}
	shape := make(tensor.Shape, len(perm))
	for i, p := range perm {
		shape[i] = x.Shape[p]
	}
	out, err := newOut(x.DType, shape, dst)
	if err != nil {
		return nil, fmt.Errorf("transpose: %v", err)
	}
	transposeInto(out, x, perm)
	return out, nil
}

// TransposeInPlace is Transpose for a float32 x that is not needed
// afterwards: the result is written over x's storage (and shares it), so
// a model's weights are not copied when their layout changes. It works
// through scratch, a buffer it grows as needed and returns for the next
// call. Other dtypes are transposed into new storage.
func TransposeInPlace(x *tensor.Tensor, perm []int, scratch []float32) (*tensor.Tensor, []float32, error) {
	if x.DType.Storage() != tensor.StoreF32 {
		t, err := Transpose(x, perm)
		return t, scratch, err
	}
	if err := checkTensor("operand", x); err != nil {
		return nil, scratch, fmt.Errorf("transpose: %v", err)
	}
	if err := checkPerm(perm, len(x.Shape)); err != nil {
		return nil, scratch, fmt.Errorf("transpose: %v", err)
	}
	shape := make(tensor.Shape, len(perm))
	for i, p := range perm {
		shape[i] = x.Shape[p]
	}
	n := len(x.F32)
	if cap(scratch) < n {
		scratch = make([]float32, n)
	}
	tmp := scratch[:n]
	transposeInto(&tensor.Tensor{DType: x.DType, Shape: shape, F32: tmp}, x, perm)
	parallelFor(n/copyChunk+1, copyChunk, func(lo, hi int) {
		copy(x.F32[min(lo*copyChunk, n):min(hi*copyChunk, n)], tmp[min(lo*copyChunk, n):])
	})
	r := *x
	r.Shape = shape
	return &r, scratch, nil
}

// copyChunk is the number of elements TransposeInPlace copies back per
// goroutine task.
const copyChunk = 1 << 16

// transposeInto writes x transposed by perm into out (of the permuted
// shape, not overlapping x).
func transposeInto(out, x *tensor.Tensor, perm []int) {
	shape := out.Shape
	if out.Len() == 0 {
		return
	}
	// Merge dimensions that stay adjacent; a batch of 2-D transposes
	// (NHWC <-> NCHW) then runs cache-blocked.
	cs, cp := coalescePerm(x.Shape, perm)
	r := len(cp)
	if r >= 2 && cp[r-2] == r-1 && cp[r-1] == r-2 {
		batched := true
		for i := range r - 2 {
			batched = batched && cp[i] == i
		}
		if batched {
			rows, cols := cs[r-2], cs[r-1]
			batch := prod(cs[:r-2])
			switch x.DType.Storage() {
			case tensor.StoreF32:
				transpose2D(out.F32, x.F32, batch, rows, cols)
			case tensor.StoreF64:
				transpose2D(out.F64, x.F64, batch, rows, cols)
			case tensor.StoreI32:
				transpose2D(out.I32, x.I32, batch, rows, cols)
			case tensor.StoreI64:
				transpose2D(out.I64, x.I64, batch, rows, cols)
			case tensor.StoreBool:
				transpose2D(out.B, x.B, batch, rows, cols)
			}
			return
		}
	}
	if r == 3 && cp[0] == 2 && cp[1] == 1 && cp[2] == 0 {
		// [A, B, C] → [C, B, A] (TensorFlow's HWIO kernels to OIHW, with
		// H and W merged).
		switch x.DType.Storage() {
		case tensor.StoreF32:
			reverse3(out.F32, x.F32, cs[0], cs[1], cs[2])
			return
		case tensor.StoreI32:
			reverse3(out.I32, x.I32, cs[0], cs[1], cs[2])
			return
		}
	}
	st := x.Shape.Strides()
	maps := make([][]int, len(perm))
	for i, p := range perm {
		m := make([]int, shape[i])
		for j := range m {
			m[j] = j * st[p]
		}
		maps[i] = m
	}
	takeTensor(out, x, maps)
}

// coalescePerm drops size-1 dimensions and merges runs of input
// dimensions that perm keeps adjacent and in order, returning the
// equivalent smaller shape and permutation.
func coalescePerm(shape tensor.Shape, perm []int) ([]int, []int) {
	// Renumber the dimensions of size ≠ 1.
	newIdx := make([]int, len(shape))
	var dims []int
	for i, d := range shape {
		newIdx[i] = -1
		if d != 1 {
			newIdx[i] = len(dims)
			dims = append(dims, d)
		}
	}
	var p []int
	for _, q := range perm {
		if newIdx[q] >= 0 {
			p = append(p, newIdx[q])
		}
	}
	// Group runs p[k], p[k]+1, ... into one dimension each.
	var groups [][]int
	for k, q := range p {
		if k > 0 {
			g := groups[len(groups)-1]
			if g[len(g)-1]+1 == q {
				groups[len(groups)-1] = append(g, q)
				continue
			}
		}
		groups = append(groups, []int{q})
	}
	// The merged input dimensions, in input order.
	order := make([]int, len(groups))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return groups[order[a]][0] < groups[order[b]][0] })
	rank := make([]int, len(groups))
	cs := make([]int, len(groups))
	for newDim, g := range order {
		rank[g] = newDim
		n := 1
		for _, q := range groups[g] {
			n *= dims[q]
		}
		cs[newDim] = n
	}
	cp := make([]int, len(groups))
	for i := range groups {
		cp[i] = rank[i]
	}
	return cs, cp
}

// transpose2D transposes batch row-major rows×cols matrices in tiles.
func transpose2D[T any](dst, src []T, batch, rows, cols int) {
	if cols <= 4 {
		// Few columns (an image's channels last): one strided pass
		// per column.
		parallelFor(batch*cols, rows, func(lo, hi int) {
			for bj := lo; bj < hi; bj++ {
				b, j := bj/cols, bj%cols
				d := dst[(b*cols+j)*rows : (b*cols+j+1)*rows]
				s := src[b*rows*cols+j:]
				for i := range d {
					d[i] = s[i*cols]
				}
			}
		})
		return
	}
	nb := (rows + transposeTile - 1) / transposeTile
	parallelFor(batch*nb, transposeTile*cols, func(lo, hi int) {
		for bi := lo; bi < hi; bi++ {
			b, i0 := bi/nb, (bi%nb)*transposeTile
			transposeRows(dst[b*rows*cols:(b+1)*rows*cols], src[b*rows*cols:], rows, cols, cols, i0, min(i0+transposeTile, rows))
		}
	})
}

const transposeTile = 32

// reverse3 writes src, an a×b×c array, to dst as c×b×a: dst is the
// transpose of the (b·a)×c matrix whose row j·a+i is src's row i·b+j,
// transposed in tiles of its rows.
func reverse3[T any](dst, src []T, a, b, c int) {
	rows := a * b
	nb := (rows + transposeTile - 1) / transposeTile
	parallelFor(nb, transposeTile*c, func(lo, hi int) {
		for t := lo; t < hi; t++ {
			i0 := t * transposeTile
			transposeGather(dst, src, rows, c, i0, min(i0+transposeTile, rows), func(r int) int {
				return (r%a*b + r/a) * c
			})
		}
	})
}

// transposeRows writes rows [i0, i1) of the rows×cols matrix src (row
// stride ld) as columns of dst (cols×rows, dense), tile by tile.
func transposeRows[T any](d, s []T, rows, cols, ld, i0, i1 int) {
	transposeGather(d, s, rows, cols, i0, i1, func(i int) int { return i * ld })
}

// transposeGather is transposeRows with row i of the matrix at
// s[row(i):]. Four-byte elements go eight rows by eight columns at a
// time through the AVX2 kernel where the CPU has it.
func transposeGather[T any](d, s []T, rows, cols, i0, i1 int, row func(i int) int) {
	d32, vec := any(d).([]float32)
	var s32 []float32
	if vec {
		s32 = any(s).([]float32)
	} else if di, ok := any(d).([]int32); ok {
		// Moved as bits, never as numbers: int32s may go as float32s.
		d32, s32, vec = asF32(di), asF32(any(s).([]int32)), true
	}
	vec = vec && haveAVX2 && cols >= 8 && i1-i0 >= 8
	var offs [8]int
	for j0 := 0; j0 < cols; j0 += transposeTile {
		j1 := min(j0+transposeTile, cols)
		i := i0
		if vec && j1-j0 >= 8 {
			n := (j1 - j0) / 8 * 8
			for ; i+8 <= i1; i += 8 {
				for k := range offs {
					offs[k] = row(i+k) + j0
					_ = s32[offs[k]+n-1] // the kernel's reads, checked
				}
				_ = d32[(j0+n-1)*rows+i+7]
				transpose8AVX(&d32[j0*rows+i], rows, &s32[0], &offs, n)
			}
			i = i0
			for ; i+8 <= i1; i += 8 {
				// The columns past the last multiple of 8.
				for k := range 8 {
					r := s[row(i+k):]
					for j := j0 + n; j < j1; j++ {
						d[j*rows+i+k] = r[j]
					}
				}
			}
		}
		// Four source rows at a time, so that each store fills four
		// consecutive destination elements.
		for ; i+4 <= i1; i += 4 {
			o0, o1, o2, o3 := row(i), row(i+1), row(i+2), row(i+3)
			r0, r1, r2, r3 := s[o0:o0+j1], s[o1:o1+j1], s[o2:o2+j1], s[o3:o3+j1]
			for j := j0; j < j1; j++ {
				q := d[j*rows+i : j*rows+i+4 : j*rows+i+4]
				q[0], q[1], q[2], q[3] = r0[j], r1[j], r2[j], r3[j]
			}
		}
		for ; i < i1; i++ {
			o := row(i)
			r := s[o : o+j1]
			for j := j0; j < j1; j++ {
				d[j*rows+i] = r[j]
			}
		}
	}
}

func checkPerm(perm []int, rank int) error {
	if len(perm) != rank {
		return fmt.Errorf("perm %v has %d values, input has rank %d", perm, len(perm), rank)
	}
	seen := make([]bool, rank)
	for _, p := range perm {
		if p < 0 || p >= rank || seen[p] {
			return fmt.Errorf("perm %v is not a permutation of [0,%d)", perm, rank)
		}
		seen[p] = true
	}
	return nil
}

// Concat joins xs along axis (in [0, rank)); they share one dtype and
// rank and are equal in every other dimension.
func Concat(axis int, xs ...*tensor.Tensor) (*tensor.Tensor, error) {
	if len(xs) == 0 {
		return nil, fmt.Errorf("concat: no operands")
	}
	for i, x := range xs {
		if err := checkTensor(fmt.Sprintf("operand %d", i), x); err != nil {
			return nil, fmt.Errorf("concat: %v", err)
		}
	}
	if err := sameDType(xs...); err != nil {
		return nil, fmt.Errorf("concat: %v", err)
	}
	first := xs[0].Shape
	if axis < 0 || axis >= len(first) {
		return nil, fmt.Errorf("concat: axis %d out of range for rank %d", axis, len(first))
	}
	shape := first.Clone()
	for i, x := range xs[1:] {
		if len(x.Shape) != len(first) {
			return nil, fmt.Errorf("concat: operand %d has rank %d, operand 0 has %d", i+1, len(x.Shape), len(first))
		}
		for j := range first {
			if j != axis && x.Shape[j] != first[j] {
				return nil, fmt.Errorf("concat: operand %d has shape %v, operand 0 has %v", i+1, x.Shape, first)
			}
		}
		shape[axis] += x.Shape[axis]
	}
	out, err := tensor.New(xs[0].DType, shape)
	if err != nil {
		return nil, fmt.Errorf("concat: %v", err)
	}
	outer := 1
	for _, d := range first[:axis] {
		outer *= d
	}
	inner := 1
	for _, d := range first[axis+1:] {
		inner *= d
	}
	row := shape[axis] * inner
	off := 0
	for _, x := range xs {
		n := x.Shape[axis] * inner
		switch x.DType.Storage() {
		case tensor.StoreF32:
			concatCopy(out.F32, x.F32, outer, n, row, off)
		case tensor.StoreF64:
			concatCopy(out.F64, x.F64, outer, n, row, off)
		case tensor.StoreI32:
			concatCopy(out.I32, x.I32, outer, n, row, off)
		case tensor.StoreI64:
			concatCopy(out.I64, x.I64, outer, n, row, off)
		case tensor.StoreBool:
			concatCopy(out.B, x.B, outer, n, row, off)
		}
		off += n
	}
	return out, nil
}

func concatCopy[T any](dst, src []T, outer, n, row, off int) {
	for i := range outer {
		copy(dst[i*row+off:i*row+off+n], src[i*n:(i+1)*n])
	}
}

// Slice returns the strided window r[i] = x[start + i*stride] (per
// dimension) of shape size. stride ≠ 0 may be negative; every index read
// must be inside x.
func Slice(x *tensor.Tensor, start, size, stride []int) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("slice: %v", err)
	}
	r := len(x.Shape)
	if len(start) != r || len(size) != r || len(stride) != r {
		return nil, fmt.Errorf("slice: start %v, size %v, stride %v: want %d values each", start, size, stride, r)
	}
	for i := range r {
		if stride[i] == 0 || size[i] < 0 {
			return nil, fmt.Errorf("slice: dimension %d: size %d, stride %d", i, size[i], stride[i])
		}
		if size[i] == 0 {
			continue
		}
		last := start[i] + (size[i]-1)*stride[i]
		if start[i] < 0 || start[i] >= x.Shape[i] || last < 0 || last >= x.Shape[i] {
			return nil, fmt.Errorf("slice: dimension %d: indices %d..%d step %d are outside [0,%d)", i, start[i], last, stride[i], x.Shape[i])
		}
	}
	out, err := tensor.New(x.DType, tensor.Shape(size))
	if err != nil {
		return nil, fmt.Errorf("slice: %v", err)
	}
	takeTensor(out, x, stridedMaps(size, start, stride, x.Shape.Strides()))
	return out, nil
}

// PadMode selects how Pad fills the new positions.
type PadMode uint8

// The padding modes.
const (
	PadConstant  PadMode = iota // a constant value
	PadReflect                  // mirror without repeating the edge (numpy "reflect")
	PadSymmetric                // mirror repeating the edge (numpy "symmetric")
	PadEdge                     // repeat the edge element
)

// Pad extends each dimension by pads[i] elements before and pads[rank+i]
// after. value (converted to x's dtype; for bool, value ≠ 0) fills the new
// positions in PadConstant mode.
func Pad(x *tensor.Tensor, mode PadMode, pads []int, value float64) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("pad: %v", err)
	}
	r := len(x.Shape)
	if len(pads) != 2*r {
		return nil, fmt.Errorf("pad: pads %v: want %d values", pads, 2*r)
	}
	shape := x.Shape.Clone()
	st := x.Shape.Strides()
	maps := make([][]int, r)
	for i := range r {
		b, e, d := pads[i], pads[r+i], x.Shape[i]
		if b < 0 || e < 0 {
			return nil, fmt.Errorf("pad: pads %v: values must be ≥ 0", pads)
		}
		switch {
		case mode == PadReflect && (b >= d || e >= d) && (b > 0 || e > 0):
			return nil, fmt.Errorf("pad: reflect pads %d,%d of dimension %d need to be < its size %d", b, e, i, d)
		case mode == PadSymmetric && (b > d || e > d):
			return nil, fmt.Errorf("pad: symmetric pads %d,%d of dimension %d need to be ≤ its size %d", b, e, i, d)
		case mode == PadEdge && d == 0 && (b > 0 || e > 0):
			return nil, fmt.Errorf("pad: edge padding of empty dimension %d", i)
		case mode > PadEdge:
			return nil, fmt.Errorf("pad: unknown mode %d", mode)
		}
		shape[i] = d + b + e
		m := make([]int, shape[i])
		for j := range m {
			k := j - b // source index
			if k < 0 || k >= d {
				switch mode {
				case PadConstant:
					m[j] = -1
					continue
				case PadReflect:
					if k < 0 {
						k = -k
					} else {
						k = 2*(d-1) - k
					}
				case PadSymmetric:
					if k < 0 {
						k = -k - 1
					} else {
						k = 2*d - 1 - k
					}
				case PadEdge:
					k = min(max(k, 0), d-1)
				}
			}
			m[j] = k * st[i]
		}
		maps[i] = m
	}
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("pad: %v", err)
	}
	if mode != PadConstant {
		takeTensor(out, x, maps)
		return out, nil
	}
	v := tensor.Scalar(x.DType, value)
	switch x.DType.Storage() {
	case tensor.StoreF32:
		takeFill(out.F32, x.F32, maps, v.F32[0])
	case tensor.StoreF64:
		takeFill(out.F64, x.F64, maps, v.F64[0])
	case tensor.StoreI32:
		takeFill(out.I32, x.I32, maps, v.I32[0])
	case tensor.StoreI64:
		takeFill(out.I64, x.I64, maps, v.I64[0])
	case tensor.StoreBool:
		takeFill(out.B, x.B, maps, v.B[0])
	}
	return out, nil
}

// Tile repeats x multiples[i] ≥ 0 times along each dimension i.
func Tile(x *tensor.Tensor, multiples []int) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("tile: %v", err)
	}
	if len(multiples) != len(x.Shape) {
		return nil, fmt.Errorf("tile: multiples %v: want %d values", multiples, len(x.Shape))
	}
	shape := x.Shape.Clone()
	for i, k := range multiples {
		if k < 0 {
			return nil, fmt.Errorf("tile: multiples %v: values must be ≥ 0", multiples)
		}
		if shape[i] != 0 && k > tensor.MaxElements/shape[i] {
			return nil, fmt.Errorf("tile: %v", tensor.ErrShapeOverflow)
		}
		shape[i] *= k
	}
	out, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("tile: %v", err)
	}
	st := x.Shape.Strides()
	maps := make([][]int, len(shape))
	for i := range shape {
		m := make([]int, shape[i])
		for j := range m {
			m[j] = (j % x.Shape[i]) * st[i]
		}
		maps[i] = m
	}
	takeTensor(out, x, maps)
	return out, nil
}

// asF32 is x's storage seen as float32s (for moving bits only).
func asF32(x []int32) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(unsafe.SliceData(x))), len(x))
}
