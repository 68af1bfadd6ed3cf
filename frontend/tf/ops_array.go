package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Array ops: reshaping, transposing, squeezing and expanding dims, and
// the helpers of the array op files (ops_join.go, ops_fill.go,
// ops_slice.go). Shape-like operands (a reshape's target shape, a
// transpose's perm, paddings, ...) must be constants, possibly computed
// from Shape and friends: constInput evaluates them.

func init() {
	register("array", "reshape", convertReshape, "Reshape")
	register("array", "transpose", convertTranspose, "Transpose", "ConjugateTranspose")
	register("array", "reshape", convertSqueeze, "Squeeze")
	register("array", "reshape", convertExpandDims, "ExpandDims")
}

// Helpers.

// slice emits a slice, or nothing when it would copy v whole.
func (c *ctx) slice(n *node, v *ir.Value, start, size, stride []int) (*ir.Value, error) {
	identity := len(start) == v.Type.Rank()
	for i, d := range v.Type.Shape {
		identity = identity && start[i] == 0 && size[i] == d && stride[i] == 1
	}
	if identity {
		return v, nil
	}
	return c.emit(n, ir.OpSlice, ir.Attrs{
		"start":  append([]int(nil), start...),
		"size":   append([]int(nil), size...),
		"stride": append([]int(nil), stride...),
	}, v)
}

// ones returns a slice of k ones.
func ones(k int) []int {
	s := make([]int, k)
	for i := range s {
		s[i] = 1
	}
	return s
}

// constAxis reads a constant scalar (or one-element vector) axis from n's
// i-th input.
func (c *ctx) constAxis(n *node, i int) (int, error) {
	v, err := c.constInts(n, i)
	if err != nil {
		return 0, err
	}
	if len(v) != 1 {
		return 0, n.errorf("input %d (axis) has %d values, want a scalar", i, len(v))
	}
	return v[0], nil
}

// maxInlineFill bounds the element count of the constants Fill, ZerosLike
// and OnesLike emit; bigger results broadcast a scalar constant instead.
const maxInlineFill = 1 << 12

// splat returns a tensor of the given shape whose every element is s's
// only element.
func splat(n *node, s *tensor.Tensor, shape tensor.Shape) (*tensor.Tensor, error) {
	t, err := tensor.New(s.DType, shape)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	switch s.DType.Storage() {
	case tensor.StoreF32:
		for i := range t.F32 {
			t.F32[i] = s.F32[0]
		}
	case tensor.StoreF64:
		for i := range t.F64 {
			t.F64[i] = s.F64[0]
		}
	case tensor.StoreI32:
		for i := range t.I32 {
			t.I32[i] = s.I32[0]
		}
	case tensor.StoreI64:
		for i := range t.I64 {
			t.I64[i] = s.I64[0]
		}
	case tensor.StoreBool:
		for i := range t.B {
			t.B[i] = s.B[0]
		}
	}
	return t, nil
}

// filled returns a value of the given shape whose elements all equal the
// one-element tensor s: a constant when small, else a broadcast of the
// scalar constant (sv if it is that scalar's value already).
func (c *ctx) filled(n *node, shape tensor.Shape, s *tensor.Tensor, sv *ir.Value) (*ir.Value, error) {
	size, err := shape.NumElements()
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	if s.Len() != 1 {
		return nil, n.errorf("fill value has shape %v, want a scalar", s.Shape)
	}
	if size <= maxInlineFill {
		t, err := splat(n, s, shape)
		if err != nil {
			return nil, err
		}
		return c.constant(n, t), nil
	}
	if sv == nil || sv.Type.Rank() != 0 {
		scalar, err := s.Reshape(tensor.Shape{})
		if err != nil {
			return nil, n.errorf("%v", err)
		}
		sv = c.constant(n, scalar)
	}
	return c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(shape.Clone())}, sv)
}

// checkedShape checks that dims are ≥ 0 and their product is in range.
func checkedShape(n *node, what string, dims []int) (tensor.Shape, error) {
	s := tensor.Shape(append([]int(nil), dims...))
	for _, d := range s {
		if d < 0 {
			return nil, n.errorf("%s %v has a negative dimension", what, s)
		}
	}
	if _, err := s.NumElements(); err != nil {
		return nil, n.errorf("%s: %v", what, err)
	}
	return s, nil
}

// Converters.

// Reshape becomes reshape. The target shape is a constant vector
// (possibly computed from Shape, StridedSlice, Pack, ...); one -1 is
// resolved from the input's element count. With symbolic dimensions (a
// symbolic input, or a shape computed from one) it becomes
// dynamic_reshape, the -1 kept.
func convertReshape(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dims, dyn, err := c.shapeInput(n, 1)
	if err != nil {
		return err
	}
	if x.Type.Symbolic() || dyn != nil {
		if dyn == nil {
			dyn = c.shapeConst(n, dims)
		}
		v, err := c.emit(n, ir.OpDynamicReshape, nil, x, dyn)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	shape, err := resolveReshape(n, x.Type.Shape, dims)
	if err != nil {
		return err
	}
	v, err := c.reshape(n, x, shape)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// resolveReshape resolves a TensorFlow reshape target (at most one -1)
// against the input shape in.
func resolveReshape(n *node, in tensor.Shape, dims []int) (tensor.Shape, error) {
	total := in.Size()
	unknown := -1
	known := 1
	for i, d := range dims {
		switch {
		case d == -1:
			if unknown >= 0 {
				return nil, n.errorf("target shape %v has more than one -1", dims)
			}
			unknown = i
		case d < 0:
			return nil, n.errorf("target shape %v has a negative dimension", dims)
		default:
			if d != 0 && known > tensor.MaxElements/d {
				return nil, n.errorf("target shape %v has too many elements", dims)
			}
			known *= d
		}
	}
	out := tensor.Shape(append([]int(nil), dims...))
	if unknown >= 0 {
		if known == 0 {
			return nil, n.errorf("cannot infer the -1 of target shape %v when the other dimensions have no elements", dims)
		}
		if total%known != 0 {
			return nil, n.errorf("cannot reshape %v (%d elements) to %v", in, total, dims)
		}
		out[unknown] = total / known
	} else if known != total {
		return nil, n.errorf("cannot reshape %v (%d elements) to %v (%d elements)", in, total, dims, known)
	}
	return out, nil
}

// Transpose (and ConjugateTranspose, the same on real numbers) becomes
// transpose with the constant perm; the identity perm emits nothing.
func convertTranspose(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	perm, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	if len(perm) != x.Type.Rank() {
		return n.errorf("perm %v has %d values, the input has rank %d", perm, len(perm), x.Type.Rank())
	}
	seen := make([]bool, len(perm))
	for _, p := range perm {
		if p < 0 || p >= len(perm) || seen[p] {
			return n.errorf("perm %v is not a permutation of [0,%d)", perm, len(perm))
		}
		seen[p] = true
	}
	v, err := c.transpose(n, x, perm)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// Squeeze becomes reshape removing the dimensions squeeze_dims names
// (negative counting from the end; each must have size 1), or every
// dimension of size 1 when squeeze_dims is empty.
func convertSqueeze(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dims, err := n.attrIntsOr("squeeze_dims", nil)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	drop := make([]bool, s.Rank())
	for _, d := range dims {
		a, err := normAxis(n, d, s.Rank())
		if err != nil {
			return err
		}
		if s[a] != 1 {
			return n.errorf("cannot squeeze dimension %d of %v: its size is %d, not 1", d, s, s[a])
		}
		drop[a] = true
	}
	out := tensor.Shape{}
	for i, d := range s {
		if (len(dims) == 0 && d == 1) || drop[i] {
			continue
		}
		out = append(out, d)
	}
	v, err := c.reshape(n, x, out)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ExpandDims becomes reshape inserting a dimension of 1 at the constant
// axis, in [-rank-1, rank].
func convertExpandDims(c *ctx, n *node) error {
	if _, err := c.inputs(n, 2, 2); err != nil {
		return err
	}
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	a, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	s := x.Type.Shape
	axis, err := normAxis(n, a, s.Rank()+1)
	if err != nil {
		return err
	}
	out := append(append(append(tensor.Shape{}, s[:axis]...), 1), s[axis:]...)
	v, err := c.reshape(n, x, out)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}
