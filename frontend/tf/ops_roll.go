package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Roll(input, shift, axis): output[..., (i + shift) mod n, ...] =
// input[..., i, ...] along each axis (negative axes count from the end; an
// axis given twice rolls by the sum of its shifts). Constant shifts
// become two slices and a concat per axis; shifts computed at run time
// become a gather along each axis at floormod(iota - shift, n).

func init() {
	register("roll", "slice + slice + concat per axis (constant shift); gather at floormod(iota - shift, n) (runtime shift)", convertRoll, "Roll")
}

func convertRoll(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	x, shift := vs[0], vs[1]
	axes, err := c.constInts(n, 2)
	if err != nil {
		return err
	}
	if shift.Type.Rank() > 1 || shift.Type.Shape.Size() != len(axes) {
		return n.errorf("shift has shape %v and axis %d values; want equal-length scalars or vectors", shift.Type.Shape, len(axes))
	}
	r := x.Type.Rank()
	norm := make([]int, len(axes))
	for i, a := range axes {
		if norm[i], err = normAxis(n, a, r); err != nil {
			return err
		}
	}
	if st, err := c.constValue(shift); err == nil {
		total := make([]int64, r)
		for i, a := range norm {
			total[a] += st.Int64At(i)
		}
		v := x
		for a, s := range total {
			d := x.Type.Shape[a]
			if d == 0 {
				continue
			}
			k := int(((s % int64(d)) + int64(d)) % int64(d))
			if k == 0 {
				continue
			}
			// out = concat(x[d-k:], x[:d-k]) along a.
			start, size := make([]int, r), v.Type.Shape.Clone()
			start[a], size[a] = d-k, k
			hi, err := c.slice(n, v, start, size, ones(r))
			if err != nil {
				return err
			}
			start[a], size[a] = 0, d-k
			lo, err := c.slice(n, v, start, size, ones(r))
			if err != nil {
				return err
			}
			if v, err = c.emit(n, ir.OpConcat, ir.Attrs{"axis": a}, hi, lo); err != nil {
				return err
			}
		}
		return c.bind(n, v)
	}
	// Runtime shifts: one gather per listed axis (a repeated axis rolls
	// again, which adds the shifts).
	dt := shift.Type.DType
	v := x
	for i, a := range norm {
		d := x.Type.Shape[a]
		if d == 0 {
			continue
		}
		s := shift
		if shift.Type.Rank() == 1 {
			if s, err = c.slice(n, shift, []int{i}, []int{1}, []int{1}); err != nil {
				return err
			}
		}
		iota := tensor.MustNew(dt, tensor.Shape{d})
		for j := range d {
			if dt == tensor.Int32 {
				iota.I32[j] = int32(j)
			} else {
				iota.I64[j] = int64(j)
			}
		}
		diff, err := c.emit(n, ir.OpSub, nil, c.constant(n, iota), s)
		if err != nil {
			return err
		}
		idx, err := c.emit(n, ir.OpFloorMod, nil, diff, c.scalar(n, dt, float64(d)))
		if err != nil {
			return err
		}
		if v, err = c.emit(n, ir.OpGather, ir.Attrs{"axis": a, "batch_dims": 0}, v, idx); err != nil {
			return err
		}
	}
	return c.bind(n, v)
}
