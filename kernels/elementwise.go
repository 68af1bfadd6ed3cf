package kernels

import (
	"errors"
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// BinaryOp is an arithmetic elementwise operation.
type BinaryOp uint8

// The arithmetic operations of Binary.
const (
	Add      BinaryOp = iota // a + b
	Sub                      // a - b
	Mul                      // a * b
	Div                      // a / b; integers truncate toward zero, division by zero is an error
	FloorDiv                 // floor(a / b); integers round toward -inf
	FloorMod                 // a - floor(a/b)*b, with the sign of b (Python %)
	Pow                      // a ** b; integer exponents must be ≥ 0
	Max                      // max(a, b); NaN if either is NaN
	Min                      // min(a, b); NaN if either is NaN
)

var binaryNames = [...]string{"add", "sub", "mul", "div", "floor_div", "floor_mod", "pow", "max", "min"}

func (op BinaryOp) String() string {
	if int(op) < len(binaryNames) {
		return binaryNames[op]
	}
	return fmt.Sprintf("BinaryOp(%d)", uint8(op))
}

// CompareOp is an elementwise comparison; its result is bool.
type CompareOp uint8

// The comparisons of Compare.
const (
	Equal CompareOp = iota
	NotEqual
	Less
	LessEqual
	Greater
	GreaterEqual
)

// LogicOp is an elementwise operation on bools.
type LogicOp uint8

// The operations of Logic.
const (
	And LogicOp = iota
	Or
	Xor
)

var errDivByZero = errors.New("integer division by zero")

// binaryShape checks two operands of one dtype among allowed and returns
// their broadcast shape and a row iterator over it.
func binaryPrep(a, b *tensor.Tensor, allowed []tensor.DType) (tensor.Shape, *rowIter, error) {
	if err := checkTensor("operand 0", a); err != nil {
		return nil, nil, err
	}
	if err := checkTensor("operand 1", b); err != nil {
		return nil, nil, err
	}
	if err := sameDType(a, b); err != nil {
		return nil, nil, err
	}
	if err := checkDType("operand", a, allowed...); err != nil {
		return nil, nil, err
	}
	shape, err := tensor.BroadcastShapes(a.Shape, b.Shape)
	if err != nil {
		return nil, nil, err
	}
	if _, err := shape.NumElements(); err != nil {
		return nil, nil, err
	}
	return shape, newRowIter(shape, broadcastStrides(a.Shape, shape), broadcastStrides(b.Shape, shape)), nil
}

// Binary applies an arithmetic operation elementwise with numpy
// broadcasting. Operands share one dtype: f32, f16, bf16 (computed in f32
// and rounded), i32 or i64.
func Binary(op BinaryOp, a, b *tensor.Tensor) (*tensor.Tensor, error) {
	return BinaryInto(op, a, b, nil)
}

// BinaryInto is Binary with the result written into dst when dst has the
// result's number of elements and the operands are float32 (otherwise,
// and when dst is nil, into new storage). dst may be the storage of an
// operand whose shape is the result's (each element is read before its
// position is written), and must not otherwise overlap the operands.
func BinaryInto(op BinaryOp, a, b *tensor.Tensor, dst []float32) (*tensor.Tensor, error) {
	shape, it, err := binaryPrep(a, b, numericTypes)
	if err != nil {
		return nil, fmt.Errorf("%v: %v", op, err)
	}
	if op > Min {
		return nil, fmt.Errorf("unknown binary op %d", op)
	}
	out, err := newOut(a.DType, shape, dst)
	if err != nil {
		return nil, err
	}
	sa, sb := it.inner[0], it.inner[1]
	var fail error
	switch a.DType.Storage() {
	case tensor.StoreF32:
		f := floatBinary(op)
		it.runParallel(func(o int, offs []int, n int) {
			dst, x, y := out.F32[o:o+n], a.F32[offs[0]:], b.F32[offs[1]:]
			if !fastF32(op, dst, x, y, sa, sb) {
				row2(dst, x, y, sa, sb, f)
			}
		})
		finish(out)
	case tensor.StoreI32:
		f := intBinary[int32](op, &fail)
		it.run(func(o int, offs []int, n int) { row2(out.I32[o:o+n], a.I32[offs[0]:], b.I32[offs[1]:], sa, sb, f) })
	case tensor.StoreI64:
		f := intBinary[int64](op, &fail)
		it.run(func(o int, offs []int, n int) { row2(out.I64[o:o+n], a.I64[offs[0]:], b.I64[offs[1]:], sa, sb, f) })
	}
	if fail != nil {
		return nil, fmt.Errorf("%v: %v", op, fail)
	}
	return out, nil
}

// row2 computes dst[i] = f(a[i*sa], b[i*sb]) for strides 0 or 1.
func row2[T, U any](dst []U, a, b []T, sa, sb int, f func(T, T) U) {
	n := len(dst)
	switch {
	case sa == 1 && sb == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			dst[i] = f(a[i], b[i])
		}
	case sa == 0 && sb == 1:
		x := a[0]
		b = b[:n]
		for i := range dst {
			dst[i] = f(x, b[i])
		}
	case sa == 1 && sb == 0:
		y := b[0]
		a = a[:n]
		for i := range dst {
			dst[i] = f(a[i], y)
		}
	default:
		for i := range dst {
			dst[i] = f(a[i*sa], b[i*sb])
		}
	}
}

// fastF32 handles the common float32 operations without a call per
// element; it reports whether it did.
func fastF32(op BinaryOp, dst, a, b []float32, sa, sb int) bool {
	n := len(dst)
	switch {
	case sa == 1 && sb == 1:
		a, b = a[:n], b[:n]
		switch op {
		case Add:
			for i := range dst {
				dst[i] = a[i] + b[i]
			}
		case Sub:
			for i := range dst {
				dst[i] = a[i] - b[i]
			}
		case Mul:
			for i := range dst {
				dst[i] = a[i] * b[i]
			}
		case Div:
			for i := range dst {
				dst[i] = a[i] / b[i]
			}
		default:
			return false
		}
	case sa == 1 && sb == 0:
		a = a[:n]
		y := b[0]
		switch op {
		case Add:
			for i := range dst {
				dst[i] = a[i] + y
			}
		case Sub:
			for i := range dst {
				dst[i] = a[i] - y
			}
		case Mul:
			for i := range dst {
				dst[i] = a[i] * y
			}
		case Div:
			for i := range dst {
				dst[i] = a[i] / y
			}
		default:
			return false
		}
	case sa == 0 && sb == 1:
		b = b[:n]
		x := a[0]
		switch op {
		case Add:
			for i := range dst {
				dst[i] = x + b[i]
			}
		case Sub:
			for i := range dst {
				dst[i] = x - b[i]
			}
		case Mul:
			for i := range dst {
				dst[i] = x * b[i]
			}
		case Div:
			for i := range dst {
				dst[i] = x / b[i]
			}
		default:
			return false
		}
	default:
		return false
	}
	return true
}

func floatBinary(op BinaryOp) func(x, y float32) float32 {
	switch op {
	case Add:
		return func(x, y float32) float32 { return x + y }
	case Sub:
		return func(x, y float32) float32 { return x - y }
	case Mul:
		return func(x, y float32) float32 { return x * y }
	case Div:
		return func(x, y float32) float32 { return x / y }
	case FloorDiv:
		return func(x, y float32) float32 { return float32(math.Floor(float64(x / y))) }
	case FloorMod:
		return floorModF32
	case Pow:
		return func(x, y float32) float32 { return float32(math.Pow(float64(x), float64(y))) }
	case Max:
		return func(x, y float32) float32 {
			if x != x || y != y {
				return float32(math.NaN())
			}
			if x > y || (x == y && math.Signbit(float64(y))) {
				return x
			}
			return y
		}
	case Min:
		return func(x, y float32) float32 {
			if x != x || y != y {
				return float32(math.NaN())
			}
			if x < y || (x == y && math.Signbit(float64(x))) {
				return x
			}
			return y
		}
	}
	panic("unreachable")
}

// floorModF32 is TensorFlow's FloorMod for floats: fmod adjusted to the
// sign of the divisor.
func floorModF32(x, y float32) float32 {
	m := float32(math.Mod(float64(x), float64(y)))
	if m != 0 && (y < 0) != (m < 0) {
		return m + y
	}
	return m
}

type integer interface{ ~int32 | ~int64 }

// intBinary returns the integer version of op; runtime errors (division
// by zero, negative exponents) are stored in *fail.
func intBinary[T integer](op BinaryOp, fail *error) func(x, y T) T {
	switch op {
	case Add:
		return func(x, y T) T { return x + y }
	case Sub:
		return func(x, y T) T { return x - y }
	case Mul:
		return func(x, y T) T { return x * y }
	case Div:
		return func(x, y T) T {
			if y == 0 {
				*fail = errDivByZero
				return 0
			}
			return x / y
		}
	case FloorDiv:
		return func(x, y T) T {
			if y == 0 {
				*fail = errDivByZero
				return 0
			}
			q := x / y
			if x%y != 0 && (x < 0) != (y < 0) {
				q--
			}
			return q
		}
	case FloorMod:
		return func(x, y T) T {
			if y == 0 {
				*fail = errDivByZero
				return 0
			}
			m := x % y
			if m != 0 && (m < 0) != (y < 0) {
				m += y
			}
			return m
		}
	case Pow:
		return func(x, y T) T {
			if y < 0 {
				*fail = errors.New("integer to a negative power")
				return 0
			}
			r := T(1)
			for y > 0 {
				if y&1 != 0 {
					r *= x
				}
				x *= x
				y >>= 1
			}
			return r
		}
	case Max:
		return func(x, y T) T { return max(x, y) }
	case Min:
		return func(x, y T) T { return min(x, y) }
	}
	panic("unreachable")
}

// Compare applies a comparison elementwise with numpy broadcasting; the
// result is bool. Operands share one dtype; Equal and NotEqual accept
// bool too.
func Compare(op CompareOp, a, b *tensor.Tensor) (*tensor.Tensor, error) {
	allowed := numericTypes
	if op == Equal || op == NotEqual {
		allowed = compareTypes
	}
	shape, it, err := binaryPrep(a, b, allowed)
	if err != nil {
		return nil, fmt.Errorf("compare: %v", err)
	}
	if op > GreaterEqual {
		return nil, fmt.Errorf("unknown compare op %d", op)
	}
	out := tensor.MustNew(tensor.Bool, shape)
	sa, sb := it.inner[0], it.inner[1]
	switch a.DType.Storage() {
	case tensor.StoreF32:
		f := compareFunc[float32](op)
		it.run(func(o int, offs []int, n int) { row2(out.B[o:o+n], a.F32[offs[0]:], b.F32[offs[1]:], sa, sb, f) })
	case tensor.StoreI32:
		f := compareFunc[int32](op)
		it.run(func(o int, offs []int, n int) { row2(out.B[o:o+n], a.I32[offs[0]:], b.I32[offs[1]:], sa, sb, f) })
	case tensor.StoreI64:
		f := compareFunc[int64](op)
		it.run(func(o int, offs []int, n int) { row2(out.B[o:o+n], a.I64[offs[0]:], b.I64[offs[1]:], sa, sb, f) })
	case tensor.StoreBool:
		eq := op == Equal
		it.run(func(o int, offs []int, n int) {
			row2(out.B[o:o+n], a.B[offs[0]:], b.B[offs[1]:], sa, sb, func(x, y bool) bool { return (x == y) == eq })
		})
	}
	return out, nil
}

func compareFunc[T float32 | int32 | int64](op CompareOp) func(x, y T) bool {
	switch op {
	case Equal:
		return func(x, y T) bool { return x == y }
	case NotEqual:
		return func(x, y T) bool { return x != y }
	case Less:
		return func(x, y T) bool { return x < y }
	case LessEqual:
		return func(x, y T) bool { return x <= y }
	case Greater:
		return func(x, y T) bool { return x > y }
	case GreaterEqual:
		return func(x, y T) bool { return x >= y }
	}
	panic("unreachable")
}

// Logic applies and, or or xor to bool tensors with numpy broadcasting.
func Logic(op LogicOp, a, b *tensor.Tensor) (*tensor.Tensor, error) {
	shape, it, err := binaryPrep(a, b, boolTypes)
	if err != nil {
		return nil, fmt.Errorf("logic: %v", err)
	}
	var f func(x, y bool) bool
	switch op {
	case And:
		f = func(x, y bool) bool { return x && y }
	case Or:
		f = func(x, y bool) bool { return x || y }
	case Xor:
		f = func(x, y bool) bool { return x != y }
	default:
		return nil, fmt.Errorf("unknown logic op %d", op)
	}
	out := tensor.MustNew(tensor.Bool, shape)
	sa, sb := it.inner[0], it.inner[1]
	it.run(func(o int, offs []int, n int) { row2(out.B[o:o+n], a.B[offs[0]:], b.B[offs[1]:], sa, sb, f) })
	return out, nil
}

// Select returns cond ? a : b elementwise; the three operands broadcast
// together (numpy rules); a and b share one dtype, cond is bool.
func Select(cond, a, b *tensor.Tensor) (*tensor.Tensor, error) {
	if err := checkTensor("condition", cond); err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	if err := checkDType("condition", cond, boolTypes...); err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	if err := checkTensor("operand 1", a); err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	if err := checkTensor("operand 2", b); err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	if a.DType != b.DType {
		return nil, fmt.Errorf("select: operands have element types %v and %v", a.DType, b.DType)
	}
	shape, err := tensor.BroadcastShapes(cond.Shape, a.Shape)
	if err == nil {
		shape, err = tensor.BroadcastShapes(shape, b.Shape)
	}
	if err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	out, err := tensor.New(a.DType, shape)
	if err != nil {
		return nil, fmt.Errorf("select: %v", err)
	}
	it := newRowIter(shape, broadcastStrides(cond.Shape, shape), broadcastStrides(a.Shape, shape), broadcastStrides(b.Shape, shape))
	switch a.DType.Storage() {
	case tensor.StoreF32:
		it.run(func(o int, offs []int, n int) {
			selectRow(out.F32[o:o+n], cond.B[offs[0]:], a.F32[offs[1]:], b.F32[offs[2]:], it.inner)
		})
	case tensor.StoreF64:
		it.run(func(o int, offs []int, n int) {
			selectRow(out.F64[o:o+n], cond.B[offs[0]:], a.F64[offs[1]:], b.F64[offs[2]:], it.inner)
		})
	case tensor.StoreI32:
		it.run(func(o int, offs []int, n int) {
			selectRow(out.I32[o:o+n], cond.B[offs[0]:], a.I32[offs[1]:], b.I32[offs[2]:], it.inner)
		})
	case tensor.StoreI64:
		it.run(func(o int, offs []int, n int) {
			selectRow(out.I64[o:o+n], cond.B[offs[0]:], a.I64[offs[1]:], b.I64[offs[2]:], it.inner)
		})
	case tensor.StoreBool:
		it.run(func(o int, offs []int, n int) {
			selectRow(out.B[o:o+n], cond.B[offs[0]:], a.B[offs[1]:], b.B[offs[2]:], it.inner)
		})
	}
	return out, nil
}

func selectRow[T any](dst []T, c []bool, a, b []T, st []int) {
	sc, sa, sb := st[0], st[1], st[2]
	for i := range dst {
		if c[i*sc] {
			dst[i] = a[i*sa]
		} else {
			dst[i] = b[i*sb]
		}
	}
}

// PRelu is x ≥ 0 ? x : slope*x elementwise, slope (of x's float dtype)
// broadcasting to x's shape; the product is computed in f32 and rounded to
// the dtype, so NaN x gives NaN.
func PRelu(x, slope *tensor.Tensor) (*tensor.Tensor, error) {
	if err := checkDType("operand", x, floatTypes...); err != nil {
		return nil, fmt.Errorf("prelu: %v", err)
	}
	y, err := Binary(Mul, x, slope)
	if err != nil {
		return nil, fmt.Errorf("prelu: %v", err)
	}
	if !y.Shape.Equal(x.Shape) {
		return nil, fmt.Errorf("prelu: slope %v does not broadcast to x %v", slope.Shape, x.Shape)
	}
	for i, v := range x.F32 {
		if v >= 0 {
			y.F32[i] = v
		}
	}
	return y, nil
}
