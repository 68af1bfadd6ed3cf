package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/ir/dim"
	"github.com/tfc-dev/tfc/tensor"
)

// Shape values.
//
// A shape value is an i32 or i64 scalar or vector whose elements are
// dimensions: the result of shape, or integer arithmetic on such results
// and constants (slice, gather, concat, reshape, cast, add, sub, mul,
// floor_div by a constant, reduce sum/prod, broadcast). Its type is static
// (i32[3]); its elements may be symbolic. ShapeValue computes them as
// dimension expressions, and the ops that take a shape operand
// (dynamic_reshape, dynamic_broadcast) have result types with exactly
// those dimensions. In a static program every shape value is a constant
// (the frontend and the fold pass make it one), so these ops only appear
// in programs with symbolic dimensions.

func init() {
	register(OpShape, OpInfo{
		Name: "shape", Family: "shape", Summary: "the dimensions of a value, as a vector",
		MinArgs: 1, MaxArgs: 1, NumResults: 1, Symbolic: true,
		Attrs: []AttrSpec{{Name: "dtype", Kind: AttrDType}},
		Infer: inferShape,
	})
	register(OpDynamicReshape, OpInfo{
		Name: "dynamic_reshape", Family: "shape", Summary: "reshape to a shape value",
		MinArgs: 2, MaxArgs: 2, NumResults: 1, Symbolic: true,
		Infer: inferDynamicReshape,
	})
	register(OpDynamicBroadcast, OpInfo{
		Name: "dynamic_broadcast", Family: "shape", Summary: "numpy broadcast to a shape value",
		MinArgs: 2, MaxArgs: 2, NumResults: 1, Symbolic: true,
		Infer: inferDynamicBroadcast,
	})
	register(OpDynamicTile, OpInfo{
		Name: "dynamic_tile", Family: "shape", Summary: "repeat along each axis by a shape value",
		MinArgs: 2, MaxArgs: 2, NumResults: 1, Symbolic: true,
		Infer: inferDynamicTile,
	})
	register(OpDynamicResize, OpInfo{
		Name: "dynamic_resize", Family: "shape", Summary: "resize's resampling to a shape value",
		MinArgs: 2, MaxArgs: 2, NumResults: 1, Symbolic: true,
		Attrs: []AttrSpec{
			{Name: "mode", Kind: AttrString, Enum: []string{"nearest", "linear"}},
			{Name: "coord", Kind: AttrString, Enum: []string{"asymmetric", "align_corners", "half_pixel", "tf_half_pixel_for_nn"}},
			{Name: "nearest_rounding", Kind: AttrString, Enum: []string{"floor", "ceil", "round_prefer_floor", "round_prefer_ceil"}},
		},
		Infer: inferDynamicResize,
	})
	register(OpDynamicSlice, OpInfo{
		Name: "dynamic_slice", Family: "shape", Summary: "strided window whose size is a shape value",
		MinArgs: 2, MaxArgs: 2, NumResults: 1, Symbolic: true,
		Attrs: []AttrSpec{{Name: "start", Kind: AttrInts}, {Name: "stride", Kind: AttrInts}},
		Infer: inferDynamicSlice,
	})
	register(OpRange, OpInfo{
		Name: "range", Family: "shape", Summary: "start, start+delta, ... below limit, of a length computed from shape values",
		MinArgs: 3, MaxArgs: 3, NumResults: 1,
		Infer: inferRange,
	})
}

// dynamic_tile: x repeated along each axis, the counts a shape value.
//
//	%r = dynamic_tile(%x, %multiples) : f32[N,3*N]
//
// multiples is an i32 or i64 vector of rank(x) elements, a shape value
// (see ShapeValue) of counts ≥ 0. r.shape[i] = x.shape[i] * multiples[i]
// and r[i...] = x[i mod x.shape]: TensorFlow's Tile with computed
// multiples.
func inferDynamicTile(op *Op) ([]Type, error) {
	x, m := op.Args[0].Type, op.Args[1].Type
	if err := shapeOperand(m, "multiples"); err != nil {
		return nil, err
	}
	vals, err := ShapeValue(op.Args[1])
	if err != nil {
		return nil, fmt.Errorf("multiples operand: %v", err)
	}
	if len(vals) != x.Rank() {
		return nil, fmt.Errorf("multiples %s has %d elements, x has rank %d", exprsText(vals), len(vals), x.Rank())
	}
	out := make([]dim.Expr, len(vals))
	for i, d := range x.DimExprs() {
		if v, ok := vals[i].Value(); ok && v < 0 {
			return nil, fmt.Errorf("multiples %s: negative count", exprsText(vals))
		}
		if out[i], err = dim.Mul(d, vals[i]); err != nil {
			return nil, err
		}
	}
	if err := checkDims(out); err != nil {
		return nil, err
	}
	return []Type{SymbolicType(x.DType, out)}, nil
}

// dynamic_resize: resize to a shape computed by the program.
//
//	%r = dynamic_resize(%x, %shape) {mode="linear", coord="half_pixel", nearest_rounding="floor"} : f32[N,2*H,2*W,3]
//
// shape is an i32 or i64 vector of rank(x) elements, a shape value (see
// ShapeValue) of dimensions ≥ 1. The result has x's element type and the
// dimensions of shape; mode, coord and nearest_rounding, the operand
// element types and the values are resize's (ops_resize.go), with shape
// read when the program runs. A dimension the same as x's is copied.
func inferDynamicResize(op *Op) ([]Type, error) {
	x, s := op.Args[0].Type, op.Args[1].Type
	if op.Str("mode") == "linear" {
		if err := requireDType(x.DType, "operand", floatDTypes...); err != nil {
			return nil, err
		}
		if op.Str("nearest_rounding") != "floor" {
			return nil, fmt.Errorf("nearest_rounding=%q with mode=\"linear\"", op.Str("nearest_rounding"))
		}
	}
	if err := shapeOperand(s, "shape"); err != nil {
		return nil, err
	}
	vals, err := ShapeValue(op.Args[1])
	if err != nil {
		return nil, fmt.Errorf("shape operand: %v", err)
	}
	if len(vals) != x.Rank() {
		return nil, fmt.Errorf("shape %s has %d elements, x has rank %d", exprsText(vals), len(vals), x.Rank())
	}
	for _, d := range append(x.DimExprs(), vals...) {
		if v, ok := d.Value(); ok && v < 1 {
			return nil, fmt.Errorf("resize of %v to %s: dimensions must be ≥ 1", x, exprsText(vals))
		}
	}
	if err := checkDims(vals); err != nil {
		return nil, err
	}
	return []Type{SymbolicType(x.DType, vals)}, nil
}

// dynamic_slice: a strided window whose size is a shape value, read from
// the start or from the end of each dimension.
//
//	%r = dynamic_slice(%x, %size) {start=[0,1,-1], stride=[1,1,-1]} : f32[N,S-2,D2]
//
// start and stride have one constant per dimension of x, stride ≠ 0; size
// is a shape value (see ShapeValue): an i32 or i64 vector of rank(x)
// elements. r.shape = size and, per dimension of x of size d,
// r[i] = x[o + start + i*stride] where the origin o is 0 for start ≥ 0
// and d for start < 0 (a negative start counts from the end, as in
// Python; TensorFlow's StridedSlice x[:, -1] or x[:, ::-1] of a value with
// symbolic dimensions). Every index read, start + i*stride for
// 0 ≤ i < size, must lie in [0, d) when start ≥ 0 and in [-d, 0) when
// start < 0 (so it is o + index that is read, never a wrapped index).
// With a size element z and x's dimension d:
//
//   - z constant: the indices read are constants. Those of one sign are
//     required above; their bounds against d are checked when d is a
//     constant, and otherwise hold for the sizes that Specialize accepts
//     (x[:, 0] is valid for S ≥ 1, x[:, -3:] for S ≥ 3);
//   - z symbolic: stride is 1 or -1 and z = d - k for a constant k (the
//     window follows the dimension). With stride 1, start ≥ 0 and
//     start ≤ k (x[:, 1:-1]: start 1, size S-2, k = 2); with stride -1,
//     start < 0 and k ≥ -start - 1 (x[:, ::-1]: start -1, size S). Sizes
//     at which z < 0 are invalid (Specialize fails).
//
// Anything else (a symbolic size that does not follow d, a symbolic size
// with another stride, a window that would cross from the end to the
// start) is an error. These are the bounds that hold at every size at
// which the static instance is valid, so Specialize's static check at the
// actual sizes is the whole check.
func inferDynamicSlice(op *Op) ([]Type, error) {
	x, s := op.Args[0].Type, op.Args[1].Type
	r := x.Rank()
	start, err := checkLen(op, "start", r)
	if err != nil {
		return nil, err
	}
	stride, err := checkLen(op, "stride", r)
	if err != nil {
		return nil, err
	}
	if err := shapeOperand(s, "size"); err != nil {
		return nil, err
	}
	size, err := ShapeValue(op.Args[1])
	if err != nil {
		return nil, fmt.Errorf("size operand: %v", err)
	}
	if len(size) != r {
		return nil, fmt.Errorf("size %s has %d elements, x has rank %d", exprsText(size), len(size), r)
	}
	for i, z := range size {
		if v, ok := z.Value(); ok && v < 0 {
			return nil, fmt.Errorf("dimension %d: size %d is negative (x is %v)", i, v, x)
		}
	}
	if err := checkDims(size); err != nil {
		return nil, fmt.Errorf("size %s: %v", exprsText(size), err)
	}
	for i, d := range x.DimExprs() {
		st, step := int64(start[i]), int64(stride[i])
		if step == 0 {
			return nil, fmt.Errorf("stride=%v: values must be non-zero", stride)
		}
		if max(st, -st, step, -step) > maxAttrInt {
			return nil, fmt.Errorf("dimension %d: start %d or stride %d beyond ±%d", i, st, step, maxAttrInt)
		}
		if z, ok := size[i].Value(); ok {
			if err := sliceIndices(i, d, st, step, z); err != nil {
				return nil, err
			}
			continue
		}
		k, err := dim.Sub(d, size[i])
		if err != nil {
			return nil, err
		}
		kv, ok := k.Value()
		switch {
		case !ok:
			return nil, fmt.Errorf("dimension %d: size %v does not follow %v (it is not %v minus a constant)", i, size[i], d, d)
		case step == 1 && (st < 0 || st > kv):
			return nil, fmt.Errorf("dimension %d: size %v = %v-%d with stride 1 needs 0 ≤ start ≤ %d (start %d)", i, size[i], d, kv, kv, st)
		case step == -1 && (st >= 0 || kv < -st-1):
			return nil, fmt.Errorf("dimension %d: size %v = %v-%d with stride -1 needs -%d ≤ start < 0 (start %d)", i, size[i], d, kv, kv+1, st)
		case step != 1 && step != -1:
			return nil, fmt.Errorf("dimension %d: symbolic size %v with stride %d (only 1 and -1)", i, size[i], step)
		}
	}
	return []Type{SymbolicType(x.DType, size)}, nil
}

// sliceIndices checks dynamic_slice's constant window of z indices
// start, start+step, ... along dimension i (of size d).
// (|start| and |step| are at most maxAttrInt, z is at most
// tensor.MaxElements.)
func sliceIndices(i int, d dim.Expr, start, step, z int64) error {
	if z == 0 {
		return nil
	}
	n, err := mulDims(int(z-1), int(max(step, -step)))
	if err != nil {
		return fmt.Errorf("dimension %d: %v", i, err)
	}
	last := start + int64(n)*(step/max(step, -step))
	lo, hi := min(start, last), max(start, last)
	dv, static := d.Value()
	switch {
	case start >= 0 && lo < 0:
		return fmt.Errorf("dimension %d: indices %d..%d step %d cross 0 (a window read from the start stays at ≥ 0)", i, start, last, step)
	case start < 0 && hi >= 0:
		return fmt.Errorf("dimension %d: indices %d..%d step %d cross 0 (a window read from the end stays at < 0)", i, start, last, step)
	case static && start >= 0 && hi >= dv, static && start < 0 && lo < -dv:
		return fmt.Errorf("dimension %d: indices %d..%d step %d are outside dimension %d", i, start, last, step, dv)
	}
	return nil
}

// range: an arithmetic sequence whose length is computed from shape
// values.
//
//	%r = range(%start, %limit, %delta) : i32[N-1]
//
// start, limit and delta are scalars of one element type, i32 or i64,
// each a shape value (see ShapeValue); start and delta are constants,
// delta ≠ 0. The result is a vector of ceil((limit-start)/delta) elements
// (limit ≥ start for delta > 0, limit ≤ start for delta < 0; otherwise an
// error at run time), r[i] = start + i*delta: TensorFlow's Range. (A
// Range of constants is a constant; the frontend folds it.)
func inferRange(op *Op) ([]Type, error) {
	dt := op.Args[0].Type.DType
	var v [3]dim.Expr
	for i, a := range op.Args {
		if a.Type.DType != dt || (dt != tensor.Int32 && dt != tensor.Int64) || a.Type.Rank() != 0 {
			return nil, fmt.Errorf("operand %d has type %v, want an i32 or i64 scalar like operand 0", i, a.Type)
		}
		vals, err := ShapeValue(a)
		if err != nil {
			return nil, fmt.Errorf("operand %d: %v", i, err)
		}
		v[i] = vals[0]
	}
	start, ok1 := v[0].Value()
	delta, ok2 := v[2].Value()
	if !ok1 || !ok2 || delta == 0 {
		return nil, fmt.Errorf("start %v and delta %v must be constants, delta ≠ 0", v[0], v[2])
	}
	span, err := dim.Sub(v[1], dim.Const(start))
	if err == nil && delta < 0 {
		span, err = dim.MulConst(span, -1)
	}
	if err != nil {
		return nil, err
	}
	n, err := dim.CeilDiv(span, max(delta, -delta))
	if err != nil {
		return nil, err
	}
	if c, ok := n.Value(); ok && c < 0 {
		return nil, fmt.Errorf("range from %d to %v by %d is empty backwards", start, v[1], delta)
	}
	if err := checkDims([]dim.Expr{n}); err != nil {
		return nil, err
	}
	return []Type{SymbolicType(dt, []dim.Expr{n})}, nil
}

// shape: the dimensions of x.
//
//	%s = shape(%x) {dtype=i64} : i64[3]
//
// dtype is i32 or i64. The result is a vector of rank(x) elements, element
// i being dimension i of x (symbolic or not); ShapeValue reads them back as
// x's dimension expressions. With dtype=i32 every dimension must fit in
// int32 (an error at run time otherwise).
func inferShape(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	dt := op.DType("dtype")
	if err := requireDType(dt, "dtype", tensor.Int32, tensor.Int64); err != nil {
		return nil, err
	}
	if x.Symbolic() {
		if err := checkSymbolicType(x); err != nil {
			return nil, fmt.Errorf("operand 0: %v", err)
		}
	}
	return []Type{TensorType(dt, x.Rank())}, nil
}

// dynamic_reshape: reshape to a shape computed by the program.
//
//	%r = dynamic_reshape(%x, %shape) : f32[N*S,64]
//
// shape is an i32 or i64 vector, a shape value (see ShapeValue) whose
// elements are dimensions ≥ 0 except at most one -1, which stands for the
// size that keeps x's element count (TensorFlow's Reshape; 0 means 0, not
// "copy"). The result has x's element type and the dimensions of shape,
// the -1 resolved. x's element count must equal the result's: for
// symbolic dimensions the rule must prove it (equal canonical forms, or an
// exact division for the -1); what it cannot prove is an error. The
// elements are x's in row-major order.
func inferDynamicReshape(op *Op) ([]Type, error) {
	x, s := op.Args[0].Type, op.Args[1].Type
	if err := shapeOperand(s, "shape"); err != nil {
		return nil, err
	}
	vals, err := ShapeValue(op.Args[1])
	if err != nil {
		return nil, fmt.Errorf("shape operand: %v", err)
	}
	count, err := volume(x.DimExprs())
	if err != nil {
		return nil, err
	}
	infer := -1
	known := dim.Const(1)
	for i, d := range vals {
		if v, ok := d.Value(); ok && v < 0 {
			if v != -1 || infer >= 0 {
				return nil, fmt.Errorf("shape %s: at most one -1 and no other negative dimension", exprsText(vals))
			}
			infer = i
			continue
		}
		if known, err = dim.Mul(known, d); err != nil {
			return nil, err
		}
	}
	out := append([]dim.Expr(nil), vals...)
	if infer >= 0 {
		q, err := dim.DivExact(count, known)
		if err != nil {
			return nil, fmt.Errorf("cannot reshape %v to %s: the -1 is not a whole size (%v)", x, exprsText(vals), err)
		}
		out[infer] = q
	} else if !count.Equal(known) {
		return nil, fmt.Errorf("cannot reshape %v (%v elements) to %s (%v elements)", x, count, exprsText(vals), known)
	}
	if err := checkDims(out); err != nil {
		return nil, fmt.Errorf("shape %s: %v", exprsText(out), err)
	}
	return []Type{SymbolicType(x.DType, out)}, nil
}

// dynamic_broadcast: numpy broadcast of x to a shape computed by the program.
//
//	%r = dynamic_broadcast(%x, %shape) : f32[N,S,64]
//
// shape is an i32 or i64 vector, a shape value (see ShapeValue) of
// dimensions ≥ 0, with at least rank(x) elements. x's dimensions are
// aligned with the last ones of shape; each must be 1 or equal to the
// one it is aligned with (proved, for symbolic dimensions). The result has
// x's element type and the dimensions of shape;
// r[i...] = x[j...] where j takes i's last rank(x) indices, 0 where x's
// dimension is 1. Fill is dynamic_broadcast of a scalar.
func inferDynamicBroadcast(op *Op) ([]Type, error) {
	x, s := op.Args[0].Type, op.Args[1].Type
	if err := shapeOperand(s, "shape"); err != nil {
		return nil, err
	}
	vals, err := ShapeValue(op.Args[1])
	if err != nil {
		return nil, fmt.Errorf("shape operand: %v", err)
	}
	if err := checkDims(vals); err != nil {
		return nil, fmt.Errorf("shape %s: %v", exprsText(vals), err)
	}
	off := len(vals) - x.Rank()
	if off < 0 {
		return nil, fmt.Errorf("cannot broadcast %v to rank %d", x, len(vals))
	}
	for i, d := range x.DimExprs() {
		if v, ok := d.Value(); (ok && v == 1) || d.Equal(vals[off+i]) {
			continue
		}
		return nil, fmt.Errorf("cannot broadcast %v to %s (dimension %d is %v)", x, exprsText(vals), i, d)
	}
	return []Type{SymbolicType(x.DType, vals)}, nil
}

// shapeOperand checks the type of an operand that holds a shape.
func shapeOperand(t Type, what string) error {
	if t.DType != tensor.Int32 && t.DType != tensor.Int64 {
		return fmt.Errorf("%s operand has type %v, want i32 or i64", what, t)
	}
	if t.Rank() != 1 || t.Symbolic() {
		return fmt.Errorf("%s operand has type %v, want a vector of static length", what, t)
	}
	return nil
}

// checkDims checks that constant dimensions are ≥ 0 and a static shape's
// size is in range.
func checkDims(ds []dim.Expr) error {
	static := make(tensor.Shape, 0, len(ds))
	for _, d := range ds {
		v, ok := d.Value()
		if !ok {
			static = nil
			continue
		}
		if v < 0 || v > tensor.MaxElements {
			return fmt.Errorf("dimension %d out of range", v)
		}
		if static != nil {
			static = append(static, int(v))
		}
	}
	if static != nil {
		if _, err := static.NumElements(); err != nil {
			return err
		}
	}
	return nil
}

func volume(ds []dim.Expr) (dim.Expr, error) {
	n := dim.Const(1)
	for _, d := range ds {
		var err error
		if n, err = dim.Mul(n, d); err != nil {
			return dim.Expr{}, err
		}
	}
	return n, nil
}

func exprsText(ds []dim.Expr) string {
	return SymbolicType(tensor.Int64, ds).String()[3:]
}

// maxShapeValue bounds the length of a shape value ShapeValue computes.
const maxShapeValue = 64

// ShapeValue returns the elements of v, an i32 or i64 scalar or vector of
// at most 64 elements, as dimension expressions, when they are computed
// from constants and the dimensions of values (shape) by
//
//   - const (integer, not elided); shape;
//   - cast between i32 and i64; reshape (the same elements);
//   - concat; slice; gather along axis 0 at constant indices;
//   - broadcast of a scalar or a vector;
//   - add, sub, mul (numpy broadcasting); floor_div by a positive constant;
//   - reduce sum or prod over axis 0.
//
// Anything else (a value read from an input, a division by a computed
// value) is an error naming the op: such a value is not a shape value.
func ShapeValue(v *Value) ([]dim.Expr, error) {
	return shapeValue(v, 0)
}

func shapeValue(v *Value, depth int) ([]dim.Expr, error) {
	t := v.Type
	if t.DType != tensor.Int32 && t.DType != tensor.Int64 {
		return nil, fmt.Errorf("%v is not an integer value", t)
	}
	if t.Rank() > 1 || t.Symbolic() || t.Shape.Size() > maxShapeValue {
		return nil, fmt.Errorf("%v is not a scalar or a vector of at most %d elements", t, maxShapeValue)
	}
	if depth > 256 {
		return nil, fmt.Errorf("shape arithmetic nested too deeply")
	}
	op := v.Op
	if op == nil {
		return nil, fmt.Errorf("value has no defining op")
	}
	arg := func(i int) ([]dim.Expr, error) { return shapeValue(op.Args[i], depth+1) }
	fail := func(format string, args ...any) ([]dim.Expr, error) {
		where := ""
		if op.Loc != "" {
			where = fmt.Sprintf(" (%q)", op.Loc)
		}
		return nil, fmt.Errorf("%s%s: %s", op.Opcode, where, fmt.Sprintf(format, args...))
	}
	n := t.Shape.Size()
	switch op.Opcode {
	case OpConst:
		c := op.Tensor("value")
		if c == nil || IsElided(c) {
			return fail("constant without data")
		}
		out := make([]dim.Expr, n)
		for i := range out {
			out[i] = dim.Const(c.Int64At(i))
		}
		return out, nil
	case OpShape:
		return op.Args[0].Type.DimExprs(), nil
	case OpCast, OpReshape:
		return arg(0)
	case OpConcat:
		var out []dim.Expr
		for i := range op.Args {
			a, err := arg(i)
			if err != nil {
				return nil, err
			}
			out = append(out, a...)
		}
		return out, nil
	case OpSlice:
		a, err := arg(0)
		if err != nil {
			return nil, err
		}
		out := make([]dim.Expr, n)
		start, stride := op.Ints("start")[0], op.Ints("stride")[0]
		for i := range out {
			out[i] = a[start+i*stride]
		}
		return out, nil
	case OpGather:
		if op.Int("axis") != 0 || op.Int("batch_dims") != 0 {
			return fail("only gather along axis 0 is shape arithmetic")
		}
		a, err := arg(0)
		if err != nil {
			return nil, err
		}
		idx, err := arg(1)
		if err != nil {
			return nil, err
		}
		out := make([]dim.Expr, len(idx))
		for i, d := range idx {
			k, ok := d.Value()
			if !ok || k < 0 || k >= int64(len(a)) {
				return fail("index %v is not a constant in [0, %d)", d, len(a))
			}
			out[i] = a[k]
		}
		return out, nil
	case OpBroadcast:
		a, err := arg(0)
		if err != nil {
			return nil, err
		}
		out := make([]dim.Expr, n)
		for i := range out {
			out[i] = a[i%len(a)]
		}
		if len(a) != 1 && len(a) != n {
			return fail("broadcast of %d elements to %d", len(a), n)
		}
		return out, nil
	case OpAdd, OpSub, OpMul, OpFloorDiv:
		a, err := arg(0)
		if err != nil {
			return nil, err
		}
		b, err := arg(1)
		if err != nil {
			return nil, err
		}
		out := make([]dim.Expr, n)
		for i := range out {
			x, y := a[i%len(a)], b[i%len(b)]
			var err error
			switch op.Opcode {
			case OpAdd:
				out[i], err = dim.Add(x, y)
			case OpSub:
				out[i], err = dim.Sub(x, y)
			case OpMul:
				out[i], err = dim.Mul(x, y)
			case OpFloorDiv:
				k, ok := y.Value()
				if !ok || k <= 0 {
					return fail("divisor %v is not a positive constant", y)
				}
				out[i], err = dim.FloorDiv(x, k)
			}
			if err != nil {
				return fail("%v", err)
			}
		}
		return out, nil
	case OpReduce:
		kind := op.Str("kind")
		if kind != "sum" && kind != "prod" {
			return fail("only reduce sum and prod are shape arithmetic")
		}
		a, err := arg(0)
		if err != nil {
			return nil, err
		}
		if len(op.Ints("axes")) == 0 {
			return a, nil
		}
		acc := dim.Const(0)
		if kind == "prod" {
			acc = dim.Const(1)
		}
		for _, d := range a {
			if kind == "sum" {
				acc, err = dim.Add(acc, d)
			} else {
				acc, err = dim.Mul(acc, d)
			}
			if err != nil {
				return fail("%v", err)
			}
		}
		return []dim.Expr{acc}, nil
	}
	return fail("its result is not computed from dimensions and constants")
}
