package tf

import (
	"fmt"

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
	spec := &stridedSpec{start: make([]int, dims), size: make([]int, dims), stride: make([]int, dims)}
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
		case g == ssNewAxis:
			spec.final = append(spec.final, 1)
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
