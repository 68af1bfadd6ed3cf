package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Segment reductions: SegmentSum/Mean/Max/Min/Prod,
// UnsortedSegmentSum/Max/Min/Prod and SparseSegmentSum/Mean/SqrtN (and
// their WithNumSegments forms), with constant segment ids (the output
// shape depends on them). Each output segment becomes a gather of its
// rows (constant indices, in their order in the input) and a reduce over
// them; the segments are concatenated. An empty segment is a constant:
// 0 for the sorted forms (1 for prod), the reduction's identity for the
// unsorted ones (lowest/highest finite value for max/min), 0 for the
// sparse ones.
//
// TensorFlow's max and min kernels fold left to right with
// acc = x < acc ? acc : x (sorted: acc starts at the first row; unsorted:
// at the lowest finite value), so a NaN is replaced by the next element:
// the result is the extreme of the elements after the segment's last NaN
// (NaN if the last element is NaN). The translation masks the elements
// before the last NaN (reverse exclusive cumulative sum of the NaN flags),
// selects NaN where the last element is NaN
// and, for the unsorted forms of a segment without NaN, takes the max
// (min) with the lowest (highest) finite value, which is exact.

func init() {
	for _, k := range []string{"Sum", "Mean", "Max", "Min", "Prod"} {
		register("segment", "gather + reduce per segment + concat (constant segment ids)",
			segmentConverter(segSorted, segKind(k)), "Segment"+k)
	}
	for _, k := range []string{"Sum", "Max", "Min", "Prod"} {
		register("segment", "gather + reduce per segment + concat (constant segment ids)",
			segmentConverter(segUnsorted, segKind(k)), "UnsortedSegment"+k)
	}
	for _, k := range []string{"Sum", "Mean", "SqrtN"} {
		register("segment", "gather + gather + reduce per segment + concat (constant segment ids)",
			segmentConverter(segSparse, segKind(k)), "SparseSegment"+k, "SparseSegment"+k+"WithNumSegments")
	}
}

func segKind(k string) string {
	switch k {
	case "SqrtN":
		return "sqrt_n"
	}
	return map[string]string{"Sum": "sum", "Mean": "mean", "Max": "max", "Min": "min", "Prod": "prod"}[k]
}

type segForm int

const (
	segSorted segForm = iota
	segUnsorted
	segSparse
)

// maxSegments bounds the segments one op may have: each becomes a few IR
// ops.
const maxSegments = 1 << 12

func segmentConverter(form segForm, kind string) converter {
	return func(c *ctx, n *node) error {
		nin := 2
		switch {
		case form == segUnsorted:
			nin = 3
		case form == segSparse:
			nin = 3
			if len(n.inputs) == 4 {
				nin = 4
			}
		}
		vs, err := c.inputs(n, nin, nin)
		if err != nil {
			return err
		}
		x := vs[0]
		if x.Type.Rank() == 0 {
			return n.errorf("data is a scalar; want rank ≥ 1")
		}
		idsArg := 1
		if form == segSparse {
			idsArg = 2
		}
		idsT, err := c.constInput(n, idsArg)
		if err != nil {
			return n.errorf("segment ids must be constants (the output shape depends on them): %v", err)
		}
		ids := make([]int64, idsT.Len())
		for i := range ids {
			ids[i] = idsT.Int64At(i)
		}
		// Rows: x reshaped to [len(ids)] + rest (unsorted ids may have any
		// rank, a prefix of x's shape); sparse rows are gathered first.
		switch form {
		case segSparse:
			if idsT.Shape.Rank() != 1 {
				return n.errorf("segment_ids has shape %v; want a vector", idsT.Shape)
			}
			idx := vs[1]
			if idx.Type.Rank() != 1 || idx.Type.Shape[0] != len(ids) {
				return n.errorf("indices has shape %v; want [%d] (one per segment id)", idx.Type.Shape, len(ids))
			}
			if t, ok := c.consts.Get(idx); ok {
				for i := range t.Len() {
					if k := t.Int64At(i); k < 0 || k >= int64(x.Type.Shape[0]) {
						return n.errorf("index %d out of range [0,%d)", k, x.Type.Shape[0])
					}
				}
			}
			if x, err = c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, x, idx); err != nil {
				return err
			}
		default:
			r := idsT.Shape.Rank()
			if r == 0 || r > x.Type.Rank() || !idsT.Shape.Equal(x.Type.Shape[:r]) {
				return n.errorf("segment_ids has shape %v; want a prefix of data's shape %v", idsT.Shape, x.Type.Shape)
			}
			if form == segSorted && r != 1 {
				return n.errorf("segment_ids has shape %v; want a vector", idsT.Shape)
			}
			if r != 1 {
				shape := append(tensor.Shape{len(ids)}, x.Type.Shape[r:]...)
				if x, err = c.reshape(n, x, shape); err != nil {
					return err
				}
			}
		}
		// The number of segments.
		num := 0
		switch {
		case form == segUnsorted || nin == 4:
			v, err := c.constAxis(n, nin-1)
			if err != nil {
				return err
			}
			if v < 0 {
				return n.errorf("num_segments is %d; want ≥ 0", v)
			}
			num = v
		default:
			for i, s := range ids {
				if s < 0 {
					return n.errorf("segment id %d is negative", s)
				}
				if i > 0 && s < ids[i-1] {
					return n.errorf("segment ids are not sorted (%d after %d)", s, ids[i-1])
				}
			}
			if len(ids) > 0 {
				num = int(ids[len(ids)-1]) + 1
			}
		}
		if num > maxSegments {
			return n.errorf("%d segments; at most %d are supported", num, maxSegments)
		}
		rows := make([][]int32, num)
		for i, s := range ids {
			if s >= int64(num) {
				return n.errorf("segment id %d out of range [0,%d)", s, num)
			}
			if s >= 0 {
				rows[s] = append(rows[s], int32(i))
			}
		}
		rest := x.Type.Shape[1:]
		dt := x.Type.DType
		if kind == "sqrt_n" && !dt.IsFloat() {
			return n.errorf("SqrtN of %v; want a float type", dt)
		}
		if num == 0 {
			return c.bind(n, c.constant(n, tensor.MustNew(dt, append(tensor.Shape{0}, rest...))))
		}
		parts := make([]*ir.Value, num)
		for s, rs := range rows {
			if len(rs) == 0 {
				e, err := c.filled(n, append(tensor.Shape{1}, rest...), segEmpty(form, kind, dt), nil)
				if err != nil {
					return err
				}
				parts[s] = e
				continue
			}
			if parts[s], err = c.segment(n, form, kind, x, rs); err != nil {
				return err
			}
		}
		v := parts[0]
		if num > 1 {
			if v, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": 0}, parts...); err != nil {
				return err
			}
		}
		return c.bind(n, v)
	}
}

// segEmpty is the value of an empty segment, a scalar.
func segEmpty(form segForm, kind string, dt tensor.DType) *tensor.Tensor {
	v, lo := 0.0, kind == "max"
	switch {
	case kind == "prod":
		v = 1
	case form == segUnsorted && (kind == "max" || kind == "min") && !dt.IsFloat():
		lim, hi := dt.IntRange()
		if !lo {
			lim = hi
		}
		t := tensor.MustNew(dt, tensor.Shape{})
		if dt.Storage() == tensor.StoreI64 {
			t.I64[0] = lim
		} else {
			t.I32[0] = int32(lim)
		}
		return t
	case form == segUnsorted && kind == "max":
		v = -maxFinite(dt)
	case form == segUnsorted && kind == "min":
		v = maxFinite(dt)
	}
	return tensor.Scalar(dt, v)
}

// maxFinite is dt's largest finite value.
func maxFinite(dt tensor.DType) float64 {
	switch dt {
	case tensor.Float32:
		return math.MaxFloat32
	case tensor.Float16:
		return 65504
	case tensor.BFloat16:
		return 0x1.fep127
	case tensor.Float64:
		return math.MaxFloat64
	}
	_, hi := dt.IntRange()
	return float64(hi)
}

// segment reduces the rows rs of x (in order) to one row, shape
// [1] + x's shape[1:].
func (c *ctx) segment(n *node, form segForm, kind string, x *ir.Value, rs []int32) (*ir.Value, error) {
	idx := c.constant(n, tensor.FromI32(tensor.Shape{len(rs)}, rs))
	b, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, x, idx)
	if err != nil {
		return nil, err
	}
	dt := x.Type.DType
	red := kind
	if kind == "sqrt_n" {
		red = "sum"
	}
	var isNaN *ir.Value
	if (kind == "max" || kind == "min") && dt.IsFloat() {
		if isNaN, err = c.emit(n, ir.OpNotEqual, nil, b, b); err != nil {
			return nil, err
		}
	}
	if isNaN != nil && len(rs) > 1 {
		// Mask the rows up to the last NaN, but for the last row, with
		// -Inf (+Inf for min).
		f, err := c.emit(n, ir.OpCast, ir.Attrs{"to": tensor.Float32}, isNaN)
		if err != nil {
			return nil, err
		}
		upTo, err := c.emit(n, ir.OpCumulative, ir.Attrs{"kind": "sum", "axis": 0, "exclusive": false, "reverse": true}, f)
		if err != nil {
			return nil, err
		}
		hit, err := c.emit(n, ir.OpGreater, nil, upTo, c.scalar(n, tensor.Float32, 0))
		if err != nil {
			return nil, err
		}
		notLast := tensor.MustNew(tensor.Bool, append(tensor.Shape{len(rs)}, ones(b.Type.Rank()-1)...))
		for i := range len(rs) - 1 {
			notLast.B[i] = true
		}
		mask, err := c.emit(n, ir.OpAnd, nil, hit, c.constant(n, notLast))
		if err != nil {
			return nil, err
		}
		if b, err = c.emit(n, ir.OpSelect, nil, mask, c.scalar(n, dt, segInf(kind)), b); err != nil {
			return nil, err
		}
	}
	r, err := c.emit(n, ir.OpReduce, ir.Attrs{"kind": red, "axes": []int{0}, "keep_dims": true}, b)
	if err != nil {
		return nil, err
	}
	if isNaN != nil {
		// Only the last row can still hold a NaN, and then the result is
		// NaN. Selected explicitly: a max/min reduction need not propagate
		// NaN (on the GPU TensorRT-RTX's kMAX gave -Inf for [NaN, NaN]).
		last := tensor.MustNew(tensor.Bool, append(tensor.Shape{len(rs)}, ones(b.Type.Rank()-1)...))
		last.B[len(rs)-1] = true
		lastNaN, err := c.emit(n, ir.OpAnd, nil, isNaN, c.constant(n, last))
		if err != nil {
			return nil, err
		}
		anyLast, err := c.emit(n, ir.OpReduce, ir.Attrs{"kind": "any", "axes": []int{0}, "keep_dims": true}, lastNaN)
		if err != nil {
			return nil, err
		}
		if r, err = c.emit(n, ir.OpSelect, nil, anyLast, c.scalar(n, dt, math.NaN()), r); err != nil {
			return nil, err
		}
	}
	switch {
	case kind == "sqrt_n":
		return c.emit(n, ir.OpDiv, nil, r, c.scalar(n, dt, math.Sqrt(float64(len(rs)))))
	case form == segUnsorted && (kind == "max" || kind == "min") && dt.IsFloat():
		// acc starts at the lowest (highest) finite value; a NaN in the
		// segment replaces it with what follows.
		opc, bound := ir.OpMax, -maxFinite(dt)
		if kind == "min" {
			opc, bound = ir.OpMin, maxFinite(dt)
		}
		clamped, err := c.emit(n, opc, nil, r, c.scalar(n, dt, bound))
		if err != nil {
			return nil, err
		}
		any, err := c.emit(n, ir.OpReduce, ir.Attrs{"kind": "any", "axes": []int{0}, "keep_dims": true}, isNaN)
		if err != nil {
			return nil, err
		}
		return c.emit(n, ir.OpSelect, nil, any, r, clamped)
	}
	return r, nil
}

func segInf(kind string) float64 {
	if kind == "max" {
		return math.Inf(-1)
	}
	return math.Inf(1)
}
