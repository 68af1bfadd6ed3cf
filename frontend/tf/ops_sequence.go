package tf

import (
	"strings"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Index and shape-vector arithmetic: LinSpace, UnravelIndex,
// BroadcastArgs and DataFormatVecPermute. Their values are often
// constants (then folded); the compositions also take run-time inputs.

func init() {
	register("sequence", "sub + div + mul (constant iota) + add + concat", convertLinSpace, "LinSpace")
	register("sequence", "floor_div + floor_mod (constant strides and dims)", convertUnravelIndex, "UnravelIndex")
	register("sequence", "concat (pad with 1s) + equal + select", convertBroadcastArgs, "BroadcastArgs")
	register("sequence", "gather (constant permutation)", convertDataFormatVecPermute, "DataFormatVecPermute")
	differs("A run-time index outside [0, Π dims) wraps (TensorFlow fails); constant ones are checked.", "UnravelIndex")
	differs("Run-time shapes that do not broadcast give s0's dimension (TensorFlow fails); constant ones are checked.", "BroadcastArgs")
}

// LinSpace(start, stop, num) follows sequence_ops.cc: num (a constant
// ≥ 1) values, step = (stop - start) / (num - 1), value i = start +
// step·i for i < num - 1 and the last one stop itself.
func convertLinSpace(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	dt := vs[0].Type.DType
	if !dt.IsFloat() || dt == tensor.Float64 {
		return n.errorf("start has element type %v, want f32, f16 or bf16", dt)
	}
	start, err := c.scalarInput(n, 0, "start", dt)
	if err != nil {
		return err
	}
	stop, err := c.scalarInput(n, 1, "stop", dt)
	if err != nil {
		return err
	}
	num, err := c.constAxis(n, 2)
	if err != nil {
		return err
	}
	if num < 1 || num > maxSegments*64 {
		return n.errorf("num %d: want 1 ≤ num ≤ %d", num, maxSegments*64)
	}
	e := c.emitter(n, dt)
	one := tensor.Shape{1}
	if num == 1 {
		v := e.reshape(start, one)
		if e.err != nil {
			return e.err
		}
		return c.bind(n, v)
	}
	step := e.div(e.sub(stop, start), e.k(float64(num-1)))
	iota := tensor.MustNew(tensor.Float32, tensor.Shape{num - 1})
	for i := range iota.F32 {
		iota.F32[i] = float32(i)
	}
	iv := e.cast(c.constant(n, iota), dt)
	v := e.op(ir.OpConcat, ir.Attrs{"axis": 0}, e.add(start, e.mul(step, iv)), e.reshape(stop, one))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, v)
}

// UnravelIndex(indices, dims) gives the coordinates of flat indices in
// a shape dims (a constant vector): coordinate k = (index div stride_k)
// mod dims_k with stride_k = dims[k+1]·…·dims[last]. A scalar index
// gives [len(dims)], a vector [K] gives [len(dims), K]. TensorFlow
// rejects an index outside [0, Π dims); a constant one is checked here.
func convertUnravelIndex(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	idx := vs[0]
	dt := idx.Type.DType
	if dt != tensor.Int32 && dt != tensor.Int64 {
		return n.errorf("indices have element type %v, want i32 or i64", dt)
	}
	if idx.Type.Rank() > 1 {
		return n.errorf("indices %v: want a scalar or a vector", idx.Type)
	}
	dims, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	nd := len(dims)
	strides := make([]int64, nd)
	size := int64(1)
	for k := nd - 1; k >= 0; k-- {
		if dims[k] < 1 {
			return n.errorf("dims %v: want every dimension ≥ 1", dims)
		}
		strides[k] = size
		size *= int64(dims[k])
		if size > 1<<62 {
			return n.errorf("dims %v: too many elements", dims)
		}
	}
	if t, ok := c.consts.Get(idx); ok {
		for i := range t.Len() {
			if v := t.Int64At(i); v < 0 || v >= size {
				return n.errorf("index %d out of bounds for dims %v", v, dims)
			}
		}
	}
	d64 := make([]int64, nd)
	for i, d := range dims {
		d64[i] = int64(d)
	}
	st, dv := intTensor(dt, strides), intTensor(dt, d64)
	e := c.emitter(n, dt)
	sv, dd := c.constant(n, st), c.constant(n, dv)
	x := idx
	if idx.Type.Rank() == 1 {
		x = e.reshape(idx, tensor.Shape{1, idx.Type.Shape[0]})
		sv, dd = e.reshape(sv, tensor.Shape{nd, 1}), e.reshape(dd, tensor.Shape{nd, 1})
	}
	r := e.op(ir.OpFloorMod, nil, e.op(ir.OpFloorDiv, nil, x, sv), dd)
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// BroadcastArgs(s0, s1) is the numpy broadcast of two shapes given as
// vectors: the shorter is padded with leading 1s, then each dimension is
// s1's where s0's is 1, else s0's. (TensorFlow rejects incompatible
// shapes; constant ones are checked when folded, run-time ones are not.)
func convertBroadcastArgs(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	dt := vs[0].Type.DType
	for _, v := range vs {
		if v.Type.Rank() != 1 || v.Type.DType != dt || (dt != tensor.Int32 && dt != tensor.Int64) {
			return n.errorf("s0 %v and s1 %v: want two i32 or i64 vectors", vs[0].Type, vs[1].Type)
		}
	}
	if t0, ok := c.consts.Get(vs[0]); ok {
		if t1, ok := c.consts.Get(vs[1]); ok {
			a, _ := t0.Ints()
			b, _ := t1.Ints()
			if _, err := tensor.BroadcastShapes(a, b); err != nil {
				return n.errorf("shapes %v and %v do not broadcast", a, b)
			}
		}
	}
	l := max(vs[0].Type.Shape[0], vs[1].Type.Shape[0])
	e := c.emitter(n, dt)
	pad := func(v *ir.Value) *ir.Value {
		k := l - v.Type.Shape[0]
		if k == 0 {
			return v
		}
		ones := make([]int64, k)
		for i := range ones {
			ones[i] = 1
		}
		ov := c.constant(n, intTensor(dt, ones))
		if v.Type.Shape[0] == 0 {
			return ov
		}
		return e.op(ir.OpConcat, ir.Attrs{"axis": 0}, ov, v)
	}
	a, b := pad(vs[0]), pad(vs[1])
	var r *ir.Value
	if l == 0 {
		r = a
	} else {
		r = e.sel(e.eq(a, e.k(1)), b, a)
	}
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}

// DataFormatVecPermute permutes a vector of per-dimension values (or the
// rows of a [r,2] matrix) from src_format to dst_format (attributes,
// default NHWC → NCHW): out[i] = x[src.index(dst[i])]. A vector of
// length rank-2 holds the spatial dimensions only.
func convertDataFormatVecPermute(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, 1)
	if err != nil {
		return err
	}
	x := vs[0]
	src, err := n.attrStringOr("src_format", "NHWC")
	if err != nil {
		return err
	}
	dst, err := n.attrStringOr("dst_format", "NCHW")
	if err != nil {
		return err
	}
	if len(src) != len(dst) {
		return n.errorf("src_format %q and dst_format %q differ in length", src, dst)
	}
	if x.Type.Rank() < 1 || x.Type.Rank() > 2 || (x.Type.Rank() == 2 && x.Type.Shape[1] != 2) {
		return n.errorf("x %v: want a vector or a [rank, 2] matrix", x.Type)
	}
	switch x.Type.Shape[0] {
	case len(src):
	case len(src) - 2:
		spatial := func(f string) string { return strings.NewReplacer("N", "", "C", "").Replace(f) }
		src, dst = spatial(src), spatial(dst)
	default:
		return n.errorf("x %v: want %d or %d entries for format %q", x.Type, len(src), len(src)-2, src)
	}
	perm := make([]int32, len(dst))
	for i := range dst {
		j := strings.IndexByte(src, dst[i])
		if j < 0 || strings.Count(src, dst[i:i+1]) != 1 || len(src) != len(dst) {
			return n.errorf("dst_format %q is not a permutation of src_format %q", dst, src)
		}
		perm[i] = int32(j)
	}
	e := c.emitter(n, x.Type.DType)
	r := e.op(ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, x, c.constant(n, tensor.FromI32(tensor.Shape{len(perm)}, perm)))
	if e.err != nil {
		return e.err
	}
	return c.bind(n, r)
}
