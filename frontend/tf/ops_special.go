package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Elementwise functions with no single IR op, composed exactly from
// elementwise ops: Atan2, Xlogy, Xdivy, Xlog1py, ApproximateEqual, Cross
// and Bucketize.

func init() {
	register("special", "div + atan + select (quadrants, zeros, infinities, NaN)", convertAtan2, "Atan2")
	register("special", "equal + mul + log + select", xfnConverter(ir.OpLog), "Xlogy")
	register("special", "equal + mul + log1p + select", xfnConverter(ir.OpLog1p), "Xlog1py")
	register("special", "equal + div + select", xfnConverter(ir.OpInvalid), "Xdivy")
	register("special", "sub + abs + less", convertApproximateEqual, "ApproximateEqual")
	register("special", "slice + mul + sub + concat", convertCross, "Cross")
	register("special", "less (against the constant boundaries) + not + cast + reduce{sum}", convertBucketize, "Bucketize")
	differs("Signed zeros are not told apart: atan2(-0, x<0) is π (TensorFlow: -π), atan2(±0, -0) is 0 (TensorFlow: ±π).", "Atan2")
}

// floatInputs reads n's two inputs, which must share a float element
// type (not f64).
func (c *ctx) floatInputs(n *node) (*ir.Value, *ir.Value, error) {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return nil, nil, err
	}
	dt := vs[0].Type.DType
	if !dt.IsFloat() || dt == tensor.Float64 {
		return nil, nil, n.errorf("input has element type %v, want f32, f16 or bf16", dt)
	}
	if vs[1].Type.DType != dt {
		return nil, nil, n.errorf("inputs have element types %v and %v", dt, vs[1].Type.DType)
	}
	return vs[0], vs[1], nil
}

// Atan2(y, x) is C's atan2: where both are infinite, they are first
// replaced by their signs (atan2(±∞, ±∞) = ±π/4, ±3π/4); then
//
//	x > 0: atan(y/x)
//	x < 0: atan(y/x) + π if y ≥ 0, - π if y < 0
//	x = 0: π/2 if y > 0, -π/2 if y < 0, 0 if y = 0
//	NaN if either is NaN.
//
// Signed zeros are not distinguished: atan2(-0, x<0) is π (C: -π) and
// atan2(±0, -0) is 0 (C: ±π).
func convertAtan2(c *ctx, n *node) error {
	y, x, err := c.floatInputs(n)
	if err != nil {
		return err
	}
	e := c.emitter(n, y.Type.DType)
	inf := func(v *ir.Value) *ir.Value { return e.eq(e.abs(v), e.k(math.Inf(1))) }
	both := e.and(inf(y), inf(x))
	ys := e.sel(both, e.op(ir.OpSign, nil, y), y)
	xs := e.sel(both, e.op(ir.OpSign, nil, x), x)
	t := e.op(ir.OpAtan, nil, e.div(ys, xs))
	pi := float64(float32(math.Pi))
	half := float64(float32(math.Pi / 2))
	zero := e.k(0)
	r := e.sel(e.gt(xs, zero), t,
		e.sel(e.lt(xs, zero),
			e.sel(e.ge(ys, zero), e.add(t, e.k(pi)), e.sub(t, e.k(pi))),
			e.sel(e.gt(ys, zero), e.k(half), e.sel(e.lt(ys, zero), e.k(-half), zero))))
	nan := e.or(e.ne(y, y), e.ne(x, x))
	r = e.sel(nan, e.add(y, x), r)
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// xfnConverter: Xlogy(x, y) = x == 0 ? 0 : x·log(y); Xlog1py the same
// with log1p; Xdivy (opc OpInvalid) x == 0 ? 0 : x / y. A zero x gives 0
// whatever y is (NaN, 0, infinite), as TensorFlow's kernels.
func xfnConverter(opc ir.Opcode) converter {
	return func(c *ctx, n *node) error {
		x, y, err := c.floatInputs(n)
		if err != nil {
			return err
		}
		e := c.emitter(n, x.Type.DType)
		var v *ir.Value
		if opc == ir.OpInvalid {
			v = e.div(x, y)
		} else {
			v = e.mul(x, e.op(opc, nil, y))
		}
		r := e.sel(e.eq(x, e.k(0)), e.k(0), v)
		if e.err != nil {
			return e.err
		}
		return c.bind(n, r)
	}
}

// ApproximateEqual is |x - y| < tolerance (attribute, default 1e-5); x
// and y have the same shape (TensorFlow does not broadcast them).
func convertApproximateEqual(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x, y := vs[0], vs[1]
	if !x.Type.Shape.Equal(y.Type.Shape) || x.Type.Symbolic() != y.Type.Symbolic() {
		return n.errorf("x %v and y %v: want the same shape", x.Type, y.Type)
	}
	tol, err := n.attrFloatOr("tolerance", 1e-5)
	if err != nil {
		return err
	}
	e := c.emitter(n, x.Type.DType)
	tk := e.k(tol)
	if x.Type.DType.IsFloat() {
		tk = e.kf32(float32(tol))
	}
	r := e.lt(e.abs(e.sub(x, y)), tk)
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// Cross is the cross product over the last axis (size 3) of a and b
// (same shape): (a1·b2 - a2·b1, a2·b0 - a0·b2, a0·b1 - a1·b0).
func convertCross(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	a, b := vs[0], vs[1]
	r := a.Type.Rank()
	if r == 0 || a.Type.Shape[r-1] != 3 || !a.Type.Shape.Equal(b.Type.Shape) {
		return n.errorf("a %v and b %v: want the same shape, with 3 in the last dimension", a.Type, b.Type)
	}
	e := c.emitter(n, a.Type.DType)
	a0, a1, a2 := e.channel(a, 0), e.channel(a, 1), e.channel(a, 2)
	b0, b1, b2 := e.channel(b, 0), e.channel(b, 1), e.channel(b, 2)
	out := e.op(ir.OpConcat, ir.Attrs{"axis": r - 1},
		e.sub(e.mul(a1, b2), e.mul(a2, b1)),
		e.sub(e.mul(a2, b0), e.mul(a0, b2)),
		e.sub(e.mul(a0, b1), e.mul(a1, b0)))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, out)
}

// Bucketize gives, per element, the number of boundaries b (attribute,
// sorted floats) with !(x < b), as std::upper_bound: NaN lands past the
// last boundary. Integer inputs are compared as float32, as the kernel
// compares them with its float boundaries. The result is i32.
func convertBucketize(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	a, err := n.attr("boundaries")
	if err != nil {
		return err
	}
	bs := a.GetList().GetF()
	for i := 1; i < len(bs); i++ {
		if !(bs[i-1] <= bs[i]) {
			return n.errorf("boundaries %v are not sorted (TensorFlow rejects this)", bs)
		}
	}
	e := c.emitter(n, tensor.Int32)
	if len(bs) == 0 {
		zero := e.op(ir.OpBroadcast, ir.Attrs{"shape": append([]int(nil), x.Type.Shape...)}, e.k(0))
		if e.err != nil {
			return e.err
		}
		return c.bind(n, zero)
	}
	dt := x.Type.DType
	if !dt.IsFloat() || dt == tensor.Float64 {
		dt = tensor.Float32
	}
	bt := tensor.MustNew(tensor.Float32, tensor.Shape{len(bs)})
	copy(bt.F32, bs)
	bv := c.constant(n, bt)
	if dt != tensor.Float32 {
		bv = e.cast(bv, dt)
	}
	xv := e.reshape(e.cast(x, dt), append(append(tensor.Shape(nil), x.Type.Shape...), 1))
	past := e.op(ir.OpNot, nil, e.lt(xv, bv))
	r := e.op(ir.OpReduce, ir.Attrs{"kind": "sum", "axes": []int{x.Type.Rank()}, "keep_dims": false}, e.cast(past, tensor.Int32))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}
