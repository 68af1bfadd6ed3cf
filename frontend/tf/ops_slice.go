package tf

import (
	"github.com/tfc-dev/tfc/ir"
)

// Ops that read parts of a tensor: slicing, reversing, gathering.
// Begins, sizes and axes must be constants (constInput evaluates them).

func init() {
	register("slice", "gather", convertGather, "GatherV2", "Gather")
	register("slice", "slice", convertSlice, "Slice")
	register("slice", "slice with stride -1", convertReverse, "ReverseV2")
}

// GatherV2 (constant axis input, batch_dims attribute; negatives count
// from the end) and Gather (axis 0) become gather. Indices may be computed;
// constant indices are checked to be in range here, since TensorFlow's
// CPU kernel rejects out-of-range indices too.
func convertGather(c *ctx, n *node) error {
	want := 3
	if n.op == "Gather" {
		want = 2
	}
	if _, err := c.inputs(n, want, want); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	idx, err := c.input(n, 1)
	if err != nil {
		return err
	}
	axis, bd := 0, 0
	if n.op == "GatherV2" {
		a, err := c.constAxis(n, 2)
		if err != nil {
			return err
		}
		if x.Type.Rank() == 0 {
			return n.errorf("cannot gather from a scalar")
		}
		if axis, err = normAxis(n, a, x.Type.Rank()); err != nil {
			return err
		}
		if bd, err = n.attrIntOr("batch_dims", 0); err != nil {
			return err
		}
		if bd < 0 {
			bd += idx.Type.Rank()
		}
		if bd < 0 || bd > idx.Type.Rank() {
			return n.errorf("batch_dims out of range for indices of rank %d", idx.Type.Rank())
		}
		if bd > axis {
			return n.errorf("batch_dims (%d) must be ≤ axis (%d)", bd, axis)
		}
	} else if x.Type.Rank() == 0 {
		return n.errorf("cannot gather from a scalar")
	}
	if t, ok := c.consts.Get(idx); ok && t.DType.IsInt() {
		dim := x.Type.Shape[axis]
		for i := range t.Len() {
			if k := t.Int64At(i); k < 0 || k >= int64(dim) {
				return n.errorf("index %d out of range [0,%d)", k, dim)
			}
		}
	}
	v, err := c.emit(n, ir.OpGather, ir.Attrs{"axis": axis, "batch_dims": bd}, x, idx)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Slice becomes slice with stride 1; begin and size are constants, and a
// size of -1 extends to the end of the dimension.
func convertSlice(c *ctx, n *node) error {
	if _, err := c.inputs(n, 3, 3); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	begin, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	size, err := c.constInts(n, 2)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	if len(begin) != s.Rank() || len(size) != s.Rank() {
		return n.errorf("begin %v and size %v need %d values each (the input's rank)", begin, size, s.Rank())
	}
	for i, d := range s {
		if size[i] == -1 {
			size[i] = d - begin[i]
		}
		if begin[i] < 0 || size[i] < 0 || begin[i] > d || size[i] > d-begin[i] {
			return n.errorf("begin %v, size %v: dimension %d of %v is out of bounds", begin, size, i, s)
		}
		if size[i] == 0 {
			begin[i] = 0
		}
	}
	v, err := c.slice(n, x, begin, size, ones(s.Rank()))
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ReverseV2 becomes a slice with stride -1 along each of the constant axes
// (negative counting from the end, no repeats).
func convertReverse(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	axes, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	return c.bindReverse(n, x, axes)
}
