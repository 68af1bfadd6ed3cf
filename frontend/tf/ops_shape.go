package tf

import (
	"math"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Shape queries and Range. Static shapes become constants; shape
// arithmetic downstream (StridedSlice, Pack, ...) is ordinary IR that
// constInput evaluates where a constant is needed. The shape or size of a
// value with symbolic dimensions is a shape value (the IR's shape op, see
// ir/ops_shape.go): the arithmetic on it stays IR, and the ops that take
// a computed shape (Reshape, Fill, BroadcastTo) become their dynamic_
// forms (shapeInput).

func init() {
	register("shape", "const", convertShape, "Shape")
	register("shape", "const (one per input)", convertShapeN, "ShapeN")
	register("shape", "const", convertSize, "Size")
	register("shape", "const", convertRank, "Rank")
	register("shape", "const", convertRange, "Range")
}

// intsTensor makes a vector (or, with scalar, a scalar) of dtype dt (i32
// or i64) holding vals, checking that they fit.
func intsTensor(n *node, dt tensor.DType, shape tensor.Shape, vals []int) (*tensor.Tensor, error) {
	t, err := tensor.New(dt, shape)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	for i, v := range vals {
		if dt == tensor.Int32 {
			if v > math.MaxInt32 || v < math.MinInt32 {
				return nil, n.errorf("value %d does not fit in int32 (set out_type to int64)", v)
			}
			t.I32[i] = int32(v)
		} else {
			t.I64[i] = int64(v)
		}
	}
	return t, nil
}

// shapeOf is the shape of x as a vector of dtype dt: a constant when x's
// type is static, the shape op (a shape value) when it is symbolic.
func (c *ctx) shapeOf(n *node, x *ir.Value, dt tensor.DType) (*ir.Value, error) {
	if x.Type.Symbolic() {
		return c.emit(n, ir.OpShape, ir.Attrs{"dtype": dt}, x)
	}
	t, err := intsTensor(n, dt, tensor.Shape{x.Type.Rank()}, x.Type.Shape)
	if err != nil {
		return nil, err
	}
	return c.constant(n, t), nil
}

// Shape becomes a constant vector of the input's static shape, of dtype
// out_type (int32 by default), or the shape op for a symbolic input.
func convertShape(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dt, err := indexType(n, "out_type", tensor.Int32)
	if err != nil {
		return err
	}
	v, err := c.shapeOf(n, x, dt)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// ShapeN becomes one shape vector per input (as Shape).
func convertShapeN(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	dt, err := indexType(n, "out_type", tensor.Int32)
	if err != nil {
		return err
	}
	outs := make([]*ir.Value, len(vs))
	for i, x := range vs {
		if outs[i], err = c.shapeOf(n, x, dt); err != nil {
			return err
		}
	}
	return c.bind(n, outs...)
}

// Size becomes a constant scalar: the input's element count, of dtype
// out_type (int32 by default); for a symbolic input, the product of its
// shape (reduce prod of the shape op).
func convertSize(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	dt, err := indexType(n, "out_type", tensor.Int32)
	if err != nil {
		return err
	}
	if x.Type.Symbolic() {
		s, err := c.shapeOf(n, x, dt)
		if err != nil {
			return err
		}
		v, err := c.emit(n, ir.OpReduce, ir.Attrs{"kind": "prod", "axes": []int{0}, "keep_dims": false}, s)
		if err != nil {
			return err
		}
		return c.bind(n, v)
	}
	t, err := intsTensor(n, dt, tensor.Shape{}, []int{x.Type.Shape.Size()})
	if err != nil {
		return err
	}
	return c.bind(n, c.constant(n, t))
}

// Rank becomes a constant int32 scalar.
func convertRank(c *ctx, n *node) error {
	x, err := c.input(n, 0)
	if err != nil {
		return err
	}
	t, err := intsTensor(n, tensor.Int32, tensor.Shape{}, []int{x.Type.Rank()})
	if err != nil {
		return err
	}
	return c.bind(n, c.constant(n, t))
}

// maxRangeElements bounds the constants Range builds.
const maxRangeElements = maxFoldElements

// Range becomes a constant vector computed as TensorFlow's kernel does
// (a Range whose limit is a symbolic shape value becomes the range op,
// converted to float for a float Range: see dynamicRange):
// for integers the length is (|limit - start| + |delta| - 1) / |delta| and
// the values start, start + delta, ...; for floats the length is
// ceil(|(limit - start) / delta|) computed in the element type and the
// values are accumulated (val += delta) in the element type, so they
// round as TensorFlow's do. start, limit and delta must be constants of
// dtype Tidx (int32, int64, float32; float64 ranges are computed in
// float64 and, like every f64 constant, narrowed to f32).
func convertRange(c *ctx, n *node) error {
	if _, err := c.inputs(n, 3, 3); err != nil {
		return err
	}
	var args [3]*tensor.Tensor
	for i := range args {
		t, err := c.constInput(n, i)
		if err != nil {
			v, derr := c.dynamicRange(n)
			if derr != nil {
				return derr
			}
			if v != nil {
				return c.bind(n, v)
			}
			return err
		}
		if t.Len() != 1 || t.Shape.Rank() > 1 {
			return n.errorf("input %d has shape %v, want a scalar", i, t.Shape)
		}
		args[i] = t
	}
	dt := args[0].DType
	if n.hasAttr("Tidx") {
		tidx, err := n.attrType("Tidx")
		if err != nil {
			return err
		}
		if tidx == tensor.Float64 {
			// f64 constants were narrowed to f32 on import; compute in
			// f64 from those values, as close as tfc gets.
			dt = tensor.Float64
		}
	}
	var out *tensor.Tensor
	var err error
	switch dt {
	case tensor.Int32, tensor.Int64:
		out, err = intRange(n, dt, args[0].Int64At(0), args[1].Int64At(0), args[2].Int64At(0))
	case tensor.Float32:
		out, err = floatRange(n, args[0].Float64At(0), args[1].Float64At(0), args[2].Float64At(0), true)
	case tensor.Float64:
		out, err = floatRange(n, args[0].Float64At(0), args[1].Float64At(0), args[2].Float64At(0), false)
	default:
		return n.errorf("Range of element type %v is not supported (want int32, int64, float32 or float64)", dt)
	}
	if err != nil {
		return err
	}
	return c.bind(n, c.constant(n, out))
}

// dynamicRange emits the range op for a Range whose limit is a shape
// value that is not a constant (a length read from a symbolic shape): an
// integer Range directly, a float one through floatDynamicRange. It
// returns nil, nil when the Range is not one.
func (c *ctx) dynamicRange(n *node) (*ir.Value, error) {
	var vs [3]*ir.Value
	for i := range vs {
		v, err := c.input(n, i)
		if err != nil || v.Type.Rank() != 0 {
			return nil, nil
		}
		vs[i] = v
	}
	if vs[1].Type.DType.IsFloat() {
		return c.floatDynamicRange(n, vs)
	}
	for _, v := range vs {
		if _, err := ir.ShapeValue(v); err != nil {
			return nil, nil
		}
	}
	v, err := c.emit(n, ir.OpRange, nil, vs[0], vs[1], vs[2])
	if err != nil {
		return nil, nil
	}
	return v, nil
}

// maxExactFloatInt is the largest integer below which every integer is
// exact in float32 (2^24).
const maxExactFloatInt = 1 << 24

// floatDynamicRange is a float Range whose limit is computed from a shape
// value: a float conversion of an integer shape value L, possibly negated
// and shifted or scaled by integral constants (floatAsShapeValue), with
// start and delta constants of integral value (tf.range(tf.cast(S,
// tf.float32)) for positions; tf.range(0., -tf.cast(N, tf.float32), -2.)).
// It is cast(range(start, L, delta)) to the float type: TensorFlow's
// length ceil(|(limit-start)/delta|), computed in float, and its values,
// accumulated in float (val += delta), are then exact integers, and equal
// the integer range's, as long as |limit|, |start| and every value stay
// below 2^24 (float32's exact integers; tfc computes f64 in f32). Other
// starts and deltas (0.5: values no integer range gives) are an error.
func (c *ctx) floatDynamicRange(n *node, vs [3]*ir.Value) (*ir.Value, error) {
	lim, ok, err := c.floatAsShapeValue(n, vs[1])
	if err != nil || !ok {
		return nil, err
	}
	var k [2]int64
	for j, i := range []int{0, 2} {
		t, err := c.constValue(vs[i])
		if err != nil {
			return nil, n.errorf("float Range with a limit computed from shapes: input %d (%s) must be a constant: %v", i, n.inputs[i], err)
		}
		f := t.Float64At(0)
		if f != math.Trunc(f) || math.Abs(f) >= maxExactFloatInt {
			return nil, n.errorf("float Range with a limit computed from shapes: input %d (%s) is %v; want an integral value below 2^24 in magnitude (the range is an integer range converted to float)", i, n.inputs[i], f)
		}
		k[j] = int64(f)
	}
	idx := lim.Type.DType
	cst := func(v int64) *ir.Value {
		t := tensor.MustNew(idx, tensor.Shape{})
		if idx == tensor.Int32 {
			t.I32[0] = int32(v)
		} else {
			t.I64[0] = v
		}
		return c.constant(n, t)
	}
	r, err := c.emit(n, ir.OpRange, nil, cst(k[0]), lim, cst(k[1]))
	if err != nil {
		return nil, err
	}
	return c.emit(n, ir.OpCast, ir.Attrs{"to": vs[1].Type.DType}, r)
}

// floatAsShapeValue returns an integer shape value L with float(L) = v
// when v, a float scalar, is a cast of an integer shape value, or neg,
// add, sub or mul of such a value and a float constant of integral value
// (below 2^24), emitting L's integer arithmetic; ok is false when v is
// not one.
func (c *ctx) floatAsShapeValue(n *node, v *ir.Value) (*ir.Value, bool, error) {
	op := v.Op
	if v.Type.Rank() != 0 || !v.Type.DType.IsFloat() || op == nil {
		return nil, false, nil
	}
	switch op.Opcode {
	case ir.OpCast:
		a := op.Args[0]
		if a.Type.DType != tensor.Int32 && a.Type.DType != tensor.Int64 {
			return nil, false, nil
		}
		if _, err := ir.ShapeValue(a); err != nil {
			return nil, false, nil
		}
		return a, true, nil
	case ir.OpNeg:
		l, ok, err := c.floatAsShapeValue(n, op.Args[0])
		if !ok || err != nil {
			return nil, ok, err
		}
		m := tensor.MustNew(l.Type.DType, tensor.Shape{})
		if m.DType == tensor.Int32 {
			m.I32[0] = -1
		} else {
			m.I64[0] = -1
		}
		v, err := c.emit(n, ir.OpMul, nil, l, c.constant(n, m)) // a shape value, as neg is not
		return v, err == nil, err
	case ir.OpAdd, ir.OpSub, ir.OpMul:
		for i, a := range op.Args {
			other := op.Args[1-i]
			t, err := c.constValue(other)
			if err != nil || t.Len() != 1 {
				continue
			}
			f := t.Float64At(0)
			if f != math.Trunc(f) || math.Abs(f) >= maxExactFloatInt {
				return nil, false, nil
			}
			l, ok, err := c.floatAsShapeValue(n, a)
			if !ok || err != nil {
				return nil, ok, err
			}
			kt := tensor.MustNew(l.Type.DType, tensor.Shape{})
			if kt.DType == tensor.Int32 {
				kt.I32[0] = int32(f)
			} else {
				kt.I64[0] = int64(f)
			}
			args := []*ir.Value{l, c.constant(n, kt)}
			if i == 1 {
				args[0], args[1] = args[1], args[0]
			}
			v, err := c.emit(n, op.Opcode, nil, args...)
			return v, err == nil, err
		}
	}
	return nil, false, nil
}

func checkRangeArgs[T int64 | float64](n *node, start, limit, delta T) error {
	if delta == 0 {
		return n.errorf("delta is 0")
	}
	if delta > 0 && start > limit {
		return n.errorf("start %v > limit %v with delta %v > 0", start, limit, delta)
	}
	if delta < 0 && start < limit {
		return n.errorf("start %v < limit %v with delta %v < 0", start, limit, delta)
	}
	return nil
}

func intRange(n *node, dt tensor.DType, start, limit, delta int64) (*tensor.Tensor, error) {
	if err := checkRangeArgs(n, start, limit, delta); err != nil {
		return nil, err
	}
	abs := func(v int64) int64 {
		if v < 0 {
			return -v
		}
		return v
	}
	size := (abs(limit-start) + abs(delta) - 1) / abs(delta)
	if size > maxRangeElements {
		return nil, n.errorf("range of %d elements is too large to build during import", size)
	}
	t := tensor.MustNew(dt, tensor.Shape{int(size)})
	val := start
	for i := range int(size) {
		if dt == tensor.Int32 {
			t.I32[i] = int32(val)
		} else {
			t.I64[i] = val
		}
		val += delta
	}
	return t, nil
}

// floatRange builds a float range; in32 computes in float32 (and gives an
// f32 tensor), else in float64 (narrowed to f32 at the end).
func floatRange(n *node, start, limit, delta float64, in32 bool) (*tensor.Tensor, error) {
	if err := checkRangeArgs(n, start, limit, delta); err != nil {
		return nil, err
	}
	var sizeF float64
	if in32 {
		s, l, d := float32(start), float32(limit), float32(delta)
		sizeF = math.Ceil(float64(float32(math.Abs(float64(float32(float32(l-s) / d))))))
	} else {
		sizeF = math.Ceil(math.Abs((limit - start) / delta))
	}
	if math.IsNaN(sizeF) || sizeF > maxRangeElements {
		return nil, n.errorf("range from %v to %v by %v is too large to build during import", start, limit, delta)
	}
	size := int(sizeF)
	t := tensor.MustNew(tensor.Float32, tensor.Shape{size})
	if in32 {
		val, d := float32(start), float32(delta)
		for i := range size {
			t.F32[i] = val
			val = float32(val + d)
		}
	} else {
		val := start
		for i := range size {
			t.F32[i] = float32(val)
			val += delta
		}
	}
	return t, nil
}

// shapeInput reads n's i-th input, a shape (a vector of dimensions):
// its constant value when it has one, else the value itself when it is a
// shape value (ir.ShapeValue), for the dynamic_ form of the op. A value
// that is neither is the constant-input error.
func (c *ctx) shapeInput(n *node, i int) (dims []int, dyn *ir.Value, err error) {
	t, cerr := c.constInput(n, i)
	if cerr == nil {
		if t.Shape.Rank() > 1 {
			return nil, nil, n.errorf("input %d has shape %v, want a vector", i, t.Shape)
		}
		vals, err := t.Ints()
		if err != nil {
			return nil, nil, n.errorf("input %d: %v", i, err)
		}
		return vals, nil, nil
	}
	v, err := c.input(n, i)
	if err != nil {
		return nil, nil, err
	}
	if _, err := ir.ShapeValue(v); err != nil || v.Type.Rank() != 1 {
		return nil, nil, cerr
	}
	return nil, v, nil
}

// shapeConst is a shape as an i64 constant, for the dynamic_ ops.
func (c *ctx) shapeConst(n *node, dims []int) *ir.Value {
	t := tensor.MustNew(tensor.Int64, tensor.Shape{len(dims)})
	for i, d := range dims {
		t.I64[i] = int64(d)
	}
	return c.constant(n, t)
}
