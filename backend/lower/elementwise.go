package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Binary elementwise ops → IElementWiseLayer. IR operands broadcast like
// numpy (trailing dimensions aligned); TensorRT needs equal ranks and then
// broadcasts dimensions of 1 the same way, so a lower-rank operand is
// reshaped with leading 1s (a constant operand is simply emitted with those
// dimensions).
//
//	add, sub, mul           kSUM, kSUB, kPROD
//	div                     kDIV. On integers TensorRT's kDIV is C division,
//	                        truncating toward zero (onnx-tensorrt lowers
//	                        ONNX's truncating integer Div and fmod=1 Mod with
//	                        it), which is the IR's rule.
//	floor_div               kFLOOR_DIV: floor(a/b), floats and integers.
//	floor_mod               a - kFLOOR_DIV(a, b)*b (3 layers). Exact for
//	                        integers. For floats the IR wants fmod adjusted
//	                        to b's sign, which is exact; the composition
//	                        rounds a/b and the product, so when a/b is within
//	                        an ulp of an integer it can be off by up to |b|
//	                        (TensorRT has no fmod).
//	pow                     floats: kPOW. Integers (TensorRT's kPOW is
//	                        float-only): a constant uniform exponent n ≥ 0
//	                        by repeated kPROD (square and multiply;
//	                        wrap-around is the same as repeated
//	                        multiplication since integer products mod 2^k
//	                        associate); any other exponent by square and
//	                        multiply over all its bits at run time
//	                        (lowerPowRuntime).
//	max, min                kMAX, kMIN
//	equal                   kEQUAL; bool (TensorRT compares numbers only):
//	                        NOT(XOR)
//	not_equal               NOT(kEQUAL) (true for NaN, as the IR); bool: kXOR
//	less, greater           kLESS, kGREATER
//	less_equal              integers: NOT(kGREATER); floats: OR(kLESS, kEQUAL),
//	                        because NOT(kGREATER) would be true for NaN
//	greater_equal           integers: NOT(kLESS); floats: OR(kGREATER, kEQUAL)
//	and, or, xor            kAND, kOR, kXOR
//	select                  ISelectLayer (three operands, equal ranks)
func init() {
	direct := map[ir.Opcode]trt.ElementWiseOperation{
		ir.OpAdd:      trt.ElementWiseSum,
		ir.OpSub:      trt.ElementWiseSub,
		ir.OpMul:      trt.ElementWiseProd,
		ir.OpDiv:      trt.ElementWiseDiv,
		ir.OpFloorDiv: trt.ElementWiseFloorDiv,
		ir.OpMax:      trt.ElementWiseMax,
		ir.OpMin:      trt.ElementWiseMin,
		ir.OpLess:     trt.ElementWiseLess,
		ir.OpGreater:  trt.ElementWiseGreater,
		ir.OpAnd:      trt.ElementWiseAnd,
		ir.OpOr:       trt.ElementWiseOr,
		ir.OpXor:      trt.ElementWiseXor,
	}
	for opc, e := range direct {
		register(opc, rule{lower: func(l *lowerer, op *ir.Op) error {
			a, b := l.operands2(op)
			l.set(op.Result(), l.elementwise(op, "", a, b, e))
			return nil
		}})
	}
	register(ir.OpFloorMod, rule{lower: lowerFloorMod})
	register(ir.OpPow, rule{check: checkPow, lower: lowerPow})
	register(ir.OpEqual, rule{lower: lowerEqual})
	register(ir.OpNotEqual, rule{lower: lowerNotEqual})
	register(ir.OpLessEqual, rule{lower: func(l *lowerer, op *ir.Op) error {
		return lowerOrEqual(l, op, trt.ElementWiseLess, trt.ElementWiseGreater)
	}})
	register(ir.OpGreaterEqual, rule{lower: func(l *lowerer, op *ir.Op) error {
		return lowerOrEqual(l, op, trt.ElementWiseGreater, trt.ElementWiseLess)
	}})
	register(ir.OpSelect, rule{lower: lowerSelect})
}

// operands2 returns the two operands' tensors with equal ranks.
func (l *lowerer) operands2(op *ir.Op) (a, b trt.Tensor) {
	ts := l.sameRank(op, op.Args[0], op.Args[1])
	return ts[0], ts[1]
}

func lowerFloorMod(l *lowerer, op *ir.Op) error {
	a, b := l.operands2(op)
	q := l.elementwise(op, "floor_div", a, b, trt.ElementWiseFloorDiv)
	p := l.elementwise(op, "mul", q, b, trt.ElementWiseProd)
	l.set(op.Result(), l.elementwise(op, "", a, p, trt.ElementWiseSub))
	return nil
}

// maxIntPow bounds the constant exponent of an integer pow (any larger
// exponent overflows every base but -1, 0 and 1 anyway).
const maxIntPow = 64

func checkPow(op *ir.Op) error {
	return nil // floats: kPOW; integers: square and multiply (constant or run-time exponent)
}

// intExponent returns the exponent of an integer pow lowered by repeated
// multiplication: a constant whose elements all equal n in [0, maxIntPow],
// broadcasting into the base's shape.
func intExponent(op *ir.Op) (int, error) {
	e := constValue(op.Args[1])
	bad := fmt.Errorf("integer pow needs a constant exponent, all elements equal, in [0,%d], not enlarging the base's shape (TensorRT's kPOW is float-only)", maxIntPow)
	if e == nil || ir.IsElided(e) || !op.Result().Type.Shape.Equal(op.Args[0].Type.Shape) {
		return 0, bad
	}
	n := e.Len()
	if n == 0 {
		return 0, bad
	}
	x := e.Int64At(0)
	for i := 1; i < n; i++ {
		if e.Int64At(i) != x {
			return 0, bad
		}
	}
	if x < 0 || x > maxIntPow {
		return 0, bad
	}
	return int(x), nil
}

func lowerPow(l *lowerer, op *ir.Op) error {
	if op.Result().Type.DType.IsFloat() {
		a, b := l.operands2(op)
		l.set(op.Result(), l.elementwise(op, "", a, b, trt.ElementWisePow))
		return nil
	}
	n, err := intExponent(op)
	if err != nil {
		return lowerPowRuntime(l, op)
	}
	x, r := op.Args[0], op.Result()
	switch n {
	case 0:
		// Ones of the base's shape: a broadcast 1.
		one := l.scalar(op, "one", r.Type.DType, 1, r.Type.Rank())
		l.set(r, l.broadcastTo(op, "", one, r.Type.Shape))
		return nil
	case 1:
		l.alias(op)
		return nil
	}
	// Square and multiply, planned first so that the last product (the
	// result) gets the op's name: vals[0] = x, each step multiplies two
	// earlier values.
	type step struct{ a, b int }
	var steps []step
	base, acc := 0, -1
	for n > 0 {
		if n&1 == 1 {
			if acc < 0 {
				acc = base
			} else {
				steps = append(steps, step{acc, base})
				acc = len(steps)
			}
		}
		n >>= 1
		if n > 0 {
			steps = append(steps, step{base, base})
			base = len(steps)
		}
	}
	vals := []trt.Tensor{l.tensor(x)}
	for i, s := range steps {
		suffix := fmt.Sprintf("mul%d", i)
		if i == len(steps)-1 {
			suffix = ""
		}
		vals = append(vals, l.elementwise(op, suffix, vals[s.a], vals[s.b], trt.ElementWiseProd))
	}
	l.set(r, vals[acc])
	return nil
}

// broadcastTo repeats t (same rank, dimensions 1 or equal) to shape s with
// a kWRAP Slice: index i mod 1 = 0 along broadcast dimensions.
func (l *lowerer) broadcastTo(op *ir.Op, suffix string, t trt.Tensor, s tensor.Shape) trt.Tensor {
	r := len(s)
	return l.named(op, suffix, l.net.AddSlice(t, trt.Slice{
		Start:  make(trt.Dims, r),
		Size:   dims(s),
		Stride: ones(r),
		Mode:   trt.SampleWrap,
	}))
}

func ones(r int) trt.Dims {
	d := make(trt.Dims, r)
	for i := range d {
		d[i] = 1
	}
	return d
}

func lowerEqual(l *lowerer, op *ir.Op) error {
	a, b := l.operands2(op)
	if op.Args[0].Type.DType == tensor.Bool {
		x := l.elementwise(op, "xor", a, b, trt.ElementWiseXor)
		l.set(op.Result(), l.unary(op, "", x, trt.UnaryNot))
		return nil
	}
	l.set(op.Result(), l.elementwise(op, "", a, b, trt.ElementWiseEqual))
	return nil
}

func lowerNotEqual(l *lowerer, op *ir.Op) error {
	a, b := l.operands2(op)
	if op.Args[0].Type.DType == tensor.Bool {
		l.set(op.Result(), l.elementwise(op, "", a, b, trt.ElementWiseXor))
		return nil
	}
	eq := l.elementwise(op, "equal", a, b, trt.ElementWiseEqual)
	l.set(op.Result(), l.unary(op, "", eq, trt.UnaryNot))
	return nil
}

// lowerOrEqual lowers a <= b (strict = kLESS, opposite = kGREATER) and
// a >= b (strict = kGREATER, opposite = kLESS).
func lowerOrEqual(l *lowerer, op *ir.Op, strict, opposite trt.ElementWiseOperation) error {
	a, b := l.operands2(op)
	if op.Args[0].Type.DType.IsFloat() {
		s := l.elementwise(op, "strict", a, b, strict)
		e := l.elementwise(op, "equal", a, b, trt.ElementWiseEqual)
		l.set(op.Result(), l.elementwise(op, "", s, e, trt.ElementWiseOr))
		return nil
	}
	o := l.elementwise(op, "opposite", a, b, opposite)
	l.set(op.Result(), l.unary(op, "", o, trt.UnaryNot))
	return nil
}

func lowerSelect(l *lowerer, op *ir.Op) error {
	ts := l.sameRank(op, op.Args...)
	l.set(op.Result(), l.named(op, "", l.net.AddSelect(ts[0], ts[1], ts[2])))
	return nil
}

// lowerPowRuntime is integer pow with an exponent known only at run time
// (TensorRT's kPOW is float-only): square and multiply over every bit an
// exponent of the type may have (31 for i32, 63 for i64), each step
//
//	q = e floordiv 2; odd = (e - 2q == 1); acc = odd ? acc·p : acc; p = p·p; e = q
//
// (ElementWise kFLOOR_DIV, kPROD, kSUB, kEQUAL, ISelectLayer), so products
// wrap as the IR's. A negative exponent is an error in the IR (as in
// TensorFlow); this network gives an unspecified value for one.
func lowerPowRuntime(l *lowerer, op *ir.Op) error {
	r := op.Result()
	dt := r.Type.DType
	bits := 31
	if dt == tensor.Int64 {
		bits = 63
	}
	p, e := l.operands2(op)
	rank := r.Type.Rank()
	one := l.scalar(op, "one", dt, 1, rank)
	two := l.scalar(op, "two", dt, 2, rank)
	acc := l.broadcastTo(op, "acc0", one, r.Type.Shape)
	for b := range bits {
		q := l.elementwise(op, fmt.Sprintf("bit%d/q", b), e, two, trt.ElementWiseFloorDiv)
		twice := l.elementwise(op, fmt.Sprintf("bit%d/2q", b), q, two, trt.ElementWiseProd)
		rem := l.elementwise(op, fmt.Sprintf("bit%d/rem", b), e, twice, trt.ElementWiseSub)
		odd := l.elementwise(op, fmt.Sprintf("bit%d/odd", b), rem, one, trt.ElementWiseEqual)
		prod := l.elementwise(op, fmt.Sprintf("bit%d/mul", b), acc, p, trt.ElementWiseProd)
		suffix := fmt.Sprintf("bit%d", b)
		if b == bits-1 {
			suffix = ""
		}
		acc = l.named(op, suffix, l.net.AddSelect(odd, prod, acc))
		if b < bits-1 {
			p = l.elementwise(op, fmt.Sprintf("bit%d/square", b), p, p, trt.ElementWiseProd)
			e = q
		}
	}
	l.set(r, acc)
	return nil
}
