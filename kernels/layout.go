package kernels

import (
	"fmt"
	"sort"

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
	transposeInto(out, x, perm, nil)
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
	out := &tensor.Tensor{DType: x.DType, Shape: shape, F32: tmp}
	if !transposeInto(out, x, perm, x.F32) {
		copy(x.F32, tmp) // transposed into tmp
	}
	r := *x
	r.Shape = shape
	return &r, scratch, nil
}

// transposeInto writes x transposed by perm into out (of the permuted
// shape). With over set (x's own float32 storage, no longer needed), the
// [A, B, C] → [C, B, A] case uses out's storage as its intermediate and
// writes the result over x, and transposeInto reports that it did.
func transposeInto(out, x *tensor.Tensor, perm []int, over []float32) bool {
	shape := out.Shape
	if out.Len() == 0 {
		return false
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
			return false
		}
	}
	if r == 3 && cp[0] == 2 && cp[1] == 1 && cp[2] == 0 {
		// [A, B, C] → [C, B, A] (TensorFlow's HWIO kernels to OIHW, with
		// H and W merged): a cache-blocked 2-D transpose to [B, C, A],
		// then a transpose of B×C blocks of A contiguous elements.
		switch x.DType.Storage() {
		case tensor.StoreF32:
			if over != nil {
				reverse3Via(over, x.F32, out.F32, cs[0], cs[1], cs[2])
				return true
			}
			reverse3(out.F32, x.F32, cs[0], cs[1], cs[2])
			return false
		case tensor.StoreI32:
			reverse3(out.I32, x.I32, cs[0], cs[1], cs[2])
			return false
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
	return false
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

// reverse3 writes src, an a×b×c array, to dst as c×b×a.
func reverse3[T any](dst, src []T, a, b, c int) {
	reverse3Via(dst, src, make([]T, len(src)), a, b, c)
}

// reverse3Via is reverse3 through tmp (as long as src); dst may be src.
func reverse3Via[T any](dst, src, tmp []T, a, b, c int) {
	transpose2D(tmp, src, 1, a, b*c) // [b, c, a]
	parallelFor(c, b*a, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			for j := range b {
				copy(dst[(k*b+j)*a:(k*b+j+1)*a], tmp[(j*c+k)*a:(j*c+k+1)*a])
			}
		}
	})
}

// transposeRows writes rows [i0, i1) of the rows×cols matrix src (row
// stride ld) as columns of dst (cols×rows, dense), tile by tile.
func transposeRows[T any](d, s []T, rows, cols, ld, i0, i1 int) {
	for j0 := 0; j0 < cols; j0 += transposeTile {
		j1 := min(j0+transposeTile, cols)
		i := i0
		// Four source rows at a time, so that each store fills four
		// consecutive destination elements.
		for ; i+4 <= i1; i += 4 {
			r0 := s[i*ld : i*ld+j1]
			r1 := s[(i+1)*ld : (i+1)*ld+j1]
			r2 := s[(i+2)*ld : (i+2)*ld+j1]
			r3 := s[(i+3)*ld : (i+3)*ld+j1]
			for j := j0; j < j1; j++ {
				q := d[j*rows+i : j*rows+i+4 : j*rows+i+4]
				q[0], q[1], q[2], q[3] = r0[j], r1[j], r2[j], r3[j]
			}
		}
		for ; i < i1; i++ {
			row := s[i*ld : i*ld+j1]
			for j := j0; j < j1; j++ {
				d[j*rows+i] = row[j]
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
