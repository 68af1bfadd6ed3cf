package tf

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// StridedSlice: numpy-style basic indexing, with TensorFlow's masks.

func init() {
	register("stridedslice", "slice + reshape", convertStridedSlice, "StridedSlice")
}

// stridedSpec is a StridedSlice resolved against a static input shape: the
// IR slice to take (one entry per input dimension, after clamping) and the
// shape of the result after shrinking and inserting axes.
type stridedSpec struct {
	start, size, stride []int
	final               tensor.Shape
	gather              []int  // per final dimension: an input dimension, or ssNewAxis (ssShrinkAxis entries dropped)
	shrunk              []bool // per input dimension: taken at one index and removed
}

// Markers in the final-shape gather list, as in TensorFlow.
const (
	ssShrinkAxis = -1
	ssNewAxis    = -2
)

// resolveStridedSlice mirrors TensorFlow's ValidateStridedSliceOp
// (tensorflow/core/util/strided_slice_op.cc) for a fully known input
// shape and constant begin, end and strides:
//
//  1. The sparse spec (one entry per element of begin/end/strides) gets an
//     ellipsis appended if it has none. Only one ellipsis is allowed; an
//     entry flagged both ellipsis and new axis is an ellipsis, one flagged
//     both new axis and shrink is a new axis.
//  2. The dense spec has one entry per input dimension: the ellipsis
//     expands to full ranges (begin and end masked, stride 1) over as many
//     dimensions as the entries after it leave over (new axes after it
//     count as not consuming a dimension); new axes consume no dimension;
//     other entries map one to one. More real entries than dimensions is
//     an error.
//  3. Per dimension: stride 0 is an error. A shrunk dimension takes the
//     single index begin (negative counting from the end), which must be in
//     range, and needs a positive stride. Otherwise begin and end are made
//     canonical: a masked bound is the start or end of the dimension in the
//     direction of the stride; an unmasked one is made non-negative by
//     adding the dimension if negative and clamped to [0, dim] (stride > 0)
//     or [-1, dim-1] (stride < 0). The size is ceil((end-begin)/stride),
//     or 0 when that interval is empty or points against the stride.
//  4. The final shape takes the sizes of the non-shrunk dimensions in
//     order, with a 1 for each new axis.
func resolveStridedSlice(shape tensor.Shape, begin, end, strides []int, beginMask, endMask, ellipsisMask, newAxisMask, shrinkMask int) (*stridedSpec, error) {
	if len(begin) != len(strides) || len(end) != len(strides) {
		return nil, fmt.Errorf("begin, end and strides have %d, %d and %d values; want equal lengths", len(begin), len(end), len(strides))
	}
	if len(begin) >= 32 {
		return nil, fmt.Errorf("begin has %d values; at most 31 are allowed (32-bit masks)", len(begin))
	}
	bit := func(mask, i int) bool { return i < 32 && uint32(mask)&(1<<uint(i)) != 0 }
	if e := uint32(ellipsisMask); e&(e-1) != 0 {
		return nil, fmt.Errorf("ellipsis_mask %#x has more than one ellipsis", e)
	}

	// Step 1: the sparse spec.
	sparseDims := len(strides)
	numAddAxisAfterEllipsis := 0
	ellipsisSeen := false
	for i := range sparseDims {
		if ellipsisSeen && bit(newAxisMask, i) {
			numAddAxisAfterEllipsis++
		}
		if bit(ellipsisMask, i) {
			ellipsisSeen = true
		}
	}
	ellipsis := func(i int) bool { return bit(ellipsisMask, i) }
	if !ellipsisSeen {
		implicit := sparseDims
		ellipsis = func(i int) bool { return i == implicit }
		sparseDims++
	}

	// Step 2: the dense spec.
	dims := shape.Rank()
	dBegin, dEnd, dStride := make([]int, dims), make([]int, dims), make([]int, dims)
	dBeginMask, dEndMask, dShrink := make([]bool, dims), make([]bool, dims), make([]bool, dims)
	var gather []int
	full := 0
	for i := range sparseDims {
		switch {
		case ellipsis(i):
			next := min(dims-(sparseDims-i)+1+numAddAxisAfterEllipsis, dims)
			for ; full < next; full++ {
				dBegin[full], dEnd[full], dStride[full] = 0, 0, 1
				dBeginMask[full], dEndMask[full] = true, true
				gather = append(gather, full)
			}
		case bit(newAxisMask, i):
			gather = append(gather, ssNewAxis)
		default:
			if full == dims {
				return nil, fmt.Errorf("index out of range using input dim %d; input has only %d dims", full, dims)
			}
			dBegin[full], dEnd[full], dStride[full] = begin[i], end[i], strides[i]
			dBeginMask[full] = bit(beginMask, i)
			dEndMask[full] = bit(endMask, i)
			if bit(shrinkMask, i) {
				gather = append(gather, ssShrinkAxis)
				dShrink[full] = true
			} else {
				gather = append(gather, full)
			}
			full++
		}
	}
	// TensorFlow's construction always covers every dimension; be safe.
	for ; full < dims; full++ {
		dBegin[full], dEnd[full], dStride[full] = 0, 0, 1
		dBeginMask[full], dEndMask[full] = true, true
		gather = append(gather, full)
	}

	// Step 3: canonical begin and end, and the processing shape.
	spec := &stridedSpec{start: make([]int, dims), size: make([]int, dims), stride: make([]int, dims), shrunk: dShrink}
	for i := range dims {
		b, e, s, d := dBegin[i], dEnd[i], dStride[i], shape[i]
		if s == 0 {
			return nil, fmt.Errorf("strides[%d] must be non-zero", i)
		}
		if dShrink[i] && s <= 0 {
			return nil, fmt.Errorf("only stride 1 allowed on non-range indexing (dimension %d has stride %d)", i, s)
		}
		lo, hi := 0, d
		if s < 0 {
			lo, hi = -1, d-1
		}
		canonical := func(x int, masked, isEnd bool) int {
			if masked {
				// begin of a forward range, end of a backward one: lo;
				// the others: hi.
				if (s > 0) != isEnd {
					return lo
				}
				return hi
			}
			if x < 0 {
				x += d
			}
			return max(lo, min(x, hi))
		}
		if dShrink[i] {
			x := b
			if x < 0 {
				x += d
			}
			if x < 0 || x >= d {
				return nil, fmt.Errorf("slice index %d of dimension %d out of bounds (size %d)", b, i, d)
			}
			b, e = x, x+1
		} else {
			b = canonical(b, dBeginMask[i], false)
			e = canonical(e, dEndMask[i], true)
		}
		size := 0
		if interval := e - b; interval != 0 && (interval < 0) == (s < 0) {
			size = interval / s
			if interval%s != 0 {
				size++
			}
		}
		if size == 0 {
			b = 0
		}
		spec.start[i], spec.size[i], spec.stride[i] = b, size, s
	}

	// Step 4: the final shape.
	spec.final = tensor.Shape{}
	for _, g := range gather {
		switch {
		case g >= 0:
			spec.final = append(spec.final, spec.size[g])
			spec.gather = append(spec.gather, g)
		case g == ssNewAxis:
			spec.final = append(spec.final, 1)
			spec.gather = append(spec.gather, g)
		}
	}
	return spec, nil
}

// StridedSlice becomes a slice (start, size and stride per input
// dimension, after TensorFlow's canonicalisation and clamping; see
// resolveStridedSlice) followed by a reshape that drops shrunk dimensions
// and inserts new axes. begin, end and strides must be constants
// (possibly computed from shapes). A slice that takes everything, or a
// reshape that changes nothing, is not emitted.
func convertStridedSlice(c *ctx, n *node) error {
	if _, err := c.inputs(n, 4, 4); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	var vecs [3][]int
	for i := range vecs {
		t, err := c.constInput(n, i+1)
		if err != nil {
			return err
		}
		if t.Shape.Rank() != 1 {
			return n.errorf("begin, end and strides must be vectors; input %d has shape %v", i+1, t.Shape)
		}
		if vecs[i], err = t.Ints(); err != nil {
			return n.errorf("input %d: %v", i+1, err)
		}
	}
	var masks [5]int
	for i, name := range []string{"begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask"} {
		if masks[i], err = n.attrIntOr(name, 0); err != nil {
			return err
		}
	}
	if x.Type.Symbolic() {
		v, err := c.symbolicStridedSlice(n, x, vecs, masks)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	spec, err := resolveStridedSlice(x.Type.Shape, vecs[0], vecs[1], vecs[2], masks[0], masks[1], masks[2], masks[3], masks[4])
	if err != nil {
		return n.errorf("input of shape %v, begin %v, end %v, strides %v: %v", x.Type.Shape, vecs[0], vecs[1], vecs[2], err)
	}
	v, err := c.slice(n, x, spec.start, spec.size, spec.stride)
	if err != nil {
		return err
	}
	if v, err = c.reshape(n, v, spec.final); err != nil {
		return err
	}
	return c.bind(n, v)
}

// symbolicProbes are the values a symbolic dimension takes when
// symbolicStridedSlice resolves a StridedSlice at two sizes: large, so
// that constant begin and end values are not clamped, and far apart.
var symbolicProbes = [2]int{1 << 20, 1<<20 + 7919}

// symbolicStridedSlice is StridedSlice of a value with symbolic
// dimensions. The spec is resolved twice, each symbolic dimension taking
// one large size and then another, which tells per dimension whether the
// canonical begin is a constant or counts from the end (d-c: a negative
// begin, a masked begin of a backward range) and whether the size is a
// constant or follows the dimension (d-k: an end at or a constant offset
// before the end). That is a dynamic_slice (start negative where it counts
// from the end; size computed from shape(x) where it follows the
// dimension) and, to shrink or insert axes, a dynamic_reshape. So x[:, 0],
// x[:, -1], x[:, 1:-1], x[:, -3:], x[:, ::-1] and x[..., :3] of symbolic
// axes compile, each valid at the sizes at which TensorFlow clamps
// nothing (x[:, -3:] for S ≥ 3; at smaller sizes Specialize fails, where
// TensorFlow would take what there is). A size that follows the dimension
// with a stride other than ±1 (x[:, ::2]: ceil(S/2)) is an error naming
// the dimension.
func (c *ctx) symbolicStridedSlice(n *node, x *ir.Value, vecs [3][]int, masks [5]int) (*ir.Value, error) {
	var specs [2]*stridedSpec
	for r, p := range symbolicProbes {
		shape := x.Type.Shape.Clone()
		for i, d := range shape {
			if d == tensor.Unknown {
				shape[i] = p
			}
		}
		spec, err := resolveStridedSlice(shape, vecs[0], vecs[1], vecs[2], masks[0], masks[1], masks[2], masks[3], masks[4])
		if err != nil {
			return nil, n.errorf("input of type %v, begin %v, end %v, strides %v: %v", x.Type, vecs[0], vecs[1], vecs[2], err)
		}
		specs[r] = spec
	}
	a, b := specs[0], specs[1]
	p0, p1 := symbolicProbes[0], symbolicProbes[1]
	rank := x.Type.Rank()
	// start per dimension (negative: from the end); size = shape(x)*keep
	// + add (keep 1 where the size follows a symbolic dimension).
	start := append([]int(nil), a.start...)
	keep, add := make([]int64, rank), make([]int64, rank)
	identity, follows := true, false
	for i := range rank {
		if x.Type.Shape[i] != tensor.Unknown {
			add[i] = int64(a.size[i])
			identity = identity && a.start[i] == 0 && a.stride[i] == 1 && a.size[i] == x.Type.Shape[i]
			continue
		}
		refuse := func(why string) (*ir.Value, error) {
			return nil, n.errorf("input of type %v, begin %v, end %v, strides %v: dimension %d (%v) %s; along a symbolic dimension the begin must be a constant or count from the end, and the size a constant or, with stride 1 or -1, the dimension minus a constant",
				x.Type, vecs[0], vecs[1], vecs[2], i, x.Type.Dim(i), why)
		}
		switch {
		case a.start[i] == b.start[i]:
		case a.start[i]-p0 == b.start[i]-p1 && a.start[i] < p0:
			start[i] = a.start[i] - p0
		default:
			return refuse("has a begin that is neither a constant nor counted from the end")
		}
		switch {
		case a.size[i] == b.size[i]:
			add[i] = int64(a.size[i])
		case p0-a.size[i] != p1-b.size[i]:
			return refuse(fmt.Sprintf("has a size that grows with it at stride %d", a.stride[i]))
		default:
			keep[i], add[i], follows = 1, int64(a.size[i]-p0), true
		}
		identity = identity && keep[i] == 1 && add[i] == 0 && start[i] == 0 && a.stride[i] == 1
	}
	if identity {
		return c.reshape(n, x, finalShape(a, x.Type.Shape))
	}
	size := c.constant(n, tensor.FromI64(tensor.Shape{rank}, add))
	if follows {
		sx, err := c.shapeOf(n, x, tensor.Int64)
		if err != nil {
			return nil, err
		}
		if sx, err = c.emit(n, ir.OpMul, nil, sx, c.constant(n, tensor.FromI64(tensor.Shape{rank}, keep))); err != nil {
			return nil, err
		}
		if size, err = c.emit(n, ir.OpAdd, nil, sx, size); err != nil {
			return nil, err
		}
	}
	v, err := c.emit(n, ir.OpDynamicSlice, ir.Attrs{"start": start, "stride": append([]int(nil), a.stride...)}, x, size)
	if err != nil {
		return nil, err
	}
	return c.reshape(n, v, finalShape(a, v.Type.Shape))
}

// finalShape is spec's final shape for a slice result of shape s (a
// symbolic dimension written -1).
func finalShape(spec *stridedSpec, s tensor.Shape) tensor.Shape {
	out := tensor.Shape{}
	for _, g := range spec.gather {
		switch {
		case g >= 0:
			out = append(out, s[g])
		case g == ssNewAxis:
			out = append(out, 1)
		}
	}
	return out
}
