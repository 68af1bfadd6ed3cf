package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Functions with no single IR op, composed from elementwise ops and
// reductions: Atan2, Xlogy, Xdivy, Xlog1py, ApproximateEqual, Cross,
// Bucketize, CumulativeLogsumexp and TridiagonalMatMul.

func init() {
	register("special", "div + atan + select (quadrants, zeros, infinities, NaN)", convertAtan2, "Atan2")
	register("special", "equal + mul + log + select", xfnConverter(ir.OpLog), "Xlogy")
	register("special", "equal + mul + log1p + select", xfnConverter(ir.OpLog1p), "Xlog1py")
	register("special", "equal + div + select", xfnConverter(ir.OpInvalid), "Xdivy")
	register("special", "sub + abs + less", convertApproximateEqual, "ApproximateEqual")
	register("special", "slice + mul + sub + concat", convertCross, "Cross")
	register("special", "less (against the constant boundaries) + not + cast + reduce{sum}", convertBucketize, "Bucketize")
	register("special", "select (constant prefix mask) + reduce{max} + sub + exp + reduce{sum} + log + add", convertCumLogSumExp, "CumulativeLogsumexp")
	register("special", "transpose + mul + slice + pad + add", convertTridiagonalMatMul, "TridiagonalMatMul")
	differs("Each prefix is a direct log Σ exp(x - max) (TensorFlow accumulates log-add-exp step by step: equal within "+
		"float rounding); +∞ in a prefix gives +∞.", "CumulativeLogsumexp")
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

// maxScan bounds the axis length of CumulativeLogsumexp, which builds an
// n×n prefix mask.
const maxScan = 1024

// CumulativeLogsumexp(x, axis) is, per position i along the axis,
// log Σ exp(x_j) over the prefix j ≤ i (j < i with exclusive, j ≥ i / j > i
// with reverse): the axis is moved last and each prefix is a row of an
// [n, n] mask, the masked-out entries -∞; m = max of the row, the result
// m + log Σ exp(x_j - m), or m itself where m is ±∞ (an empty or all -∞
// prefix gives -∞).
func convertCumLogSumExp(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	dt := x.Type.DType
	r := x.Type.Rank()
	if !dt.IsFloat() || dt == tensor.Float64 || r == 0 || x.Type.Symbolic() {
		return n.errorf("x %v: want a float tensor (f32, f16, bf16) of rank ≥ 1 with a known shape", x.Type)
	}
	a, err := c.constAxis(n, 1)
	if err != nil {
		return err
	}
	axis, err := normAxis(n, a, r)
	if err != nil {
		return err
	}
	excl, err := n.attrBoolOr("exclusive", false)
	if err != nil {
		return err
	}
	rev, err := n.attrBoolOr("reverse", false)
	if err != nil {
		return err
	}
	ln := x.Type.Shape[axis]
	if ln > maxScan {
		return n.errorf("axis %d has %d elements; tfc builds an n×n prefix mask, at most %d", axis, ln, maxScan)
	}
	perm := make([]int, 0, r)
	for i := range r {
		if i != axis {
			perm = append(perm, i)
		}
	}
	perm = append(perm, axis)
	e := c.emitter(n, dt)
	v := x
	if axis != r-1 {
		if v, err = c.transpose(n, x, perm); err != nil {
			return err
		}
	}
	outer := v.Type.Shape[:r-1].Clone()
	mask := tensor.MustNew(tensor.Bool, tensor.Shape{ln, ln})
	for i := range ln {
		for j := range ln {
			in := j <= i
			switch {
			case rev && excl:
				in = j > i
			case rev:
				in = j >= i
			case excl:
				in = j < i
			}
			mask.B[i*ln+j] = in
		}
	}
	xe := e.reshape(v, append(outer.Clone(), 1, ln))
	masked := e.sel(c.constant(n, mask), xe, e.k(math.Inf(-1)))
	red := func(kind string, v *ir.Value) *ir.Value {
		return e.op(ir.OpReduce, ir.Attrs{"kind": kind, "axes": []int{r}, "keep_dims": true}, v)
	}
	m := red("max", masked)
	sum := red("sum", e.op(ir.OpExp, nil, e.sub(masked, m)))
	out := e.add(m, e.op(ir.OpLog, nil, sum))
	out = e.sel(e.eq(e.abs(m), e.k(math.Inf(1))), m, out)
	out = e.reshape(out, append(outer.Clone(), ln))
	if e.err != nil {
		return e.err
	}
	if axis != r-1 {
		inv := make([]int, r)
		for i, p := range perm {
			inv[p] = i
		}
		if out, err = c.transpose(n, out, inv); err != nil {
			return err
		}
	}
	return c.bind(n, out)
}

// TridiagonalMatMul(superdiag, maindiag, subdiag [..., 1, M], rhs
// [..., M, N]) multiplies by the tridiagonal matrix of the three
// diagonals: y[i] = main[i]·x[i] + super[i]·x[i+1] + sub[i]·x[i-1]
// (super's last and sub's first entry are not used). The diagonals
// become columns [..., M, 1]; the shifted products are padded with a
// zero row.
func convertTridiagonalMatMul(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	x := vs[3]
	r := x.Type.Rank()
	dt := x.Type.DType
	if r < 2 || x.Type.Symbolic() || !dt.IsFloat() || dt == tensor.Float64 {
		return n.errorf("rhs %v: want a float matrix (or batch of them) with a known shape", x.Type)
	}
	m := x.Type.Shape[r-2]
	want := append(x.Type.Shape[:r-2].Clone(), 1, m)
	e := c.emitter(n, dt)
	perm := make([]int, r)
	for i := range perm {
		perm[i] = i
	}
	perm[r-2], perm[r-1] = r-1, r-2
	var cols [3]*ir.Value
	for k := range 3 {
		d := vs[k]
		if !d.Type.Shape.Equal(want) || d.Type.DType != dt {
			return n.errorf("diagonal %d %v: want %v, rhs's element type", k, d.Type, want)
		}
		if cols[k], err = c.transpose(n, d, perm); err != nil {
			return err
		}
	}
	y := e.mul(cols[1], x)
	if m > 1 {
		rows := func(v *ir.Value, from int) *ir.Value {
			if e.err != nil {
				return nil
			}
			start, size := make([]int, r), v.Type.Shape.Clone()
			start[r-2], size[r-2] = from, m-1
			s, err := c.slice(n, v, start, size, ones(r))
			if err != nil {
				e.err = err
			}
			return s
		}
		padRow := func(v *ir.Value, top bool) *ir.Value {
			pads := make([]int, 2*r)
			if top {
				pads[r-2] = 1
			} else {
				pads[r+r-2] = 1
			}
			return e.op(ir.OpPad, ir.Attrs{"mode": "constant", "value": 0.0, "pads": pads}, v)
		}
		up := e.mul(rows(cols[0], 0), rows(x, 1))   // rows 0..M-2: super[i]·x[i+1]
		down := e.mul(rows(cols[2], 1), rows(x, 0)) // rows 1..M-1: sub[i]·x[i-1]
		y = e.add(e.add(y, padRow(up, false)), padRow(down, true))
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, y)
}
