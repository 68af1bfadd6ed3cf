package passes

import (
	"math"
	"slices"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// simplify applies exact local rewrites: every rule leaves every output
// bit for bit identical (NaN payloads aside, which no op specifies). A
// rule either finds that the op computes one of its operands (the op is
// then replaced by it) or rewrites the op in place to read past an
// operand op it composes with (the operand op dies if nothing else uses
// it). It never changes keep_dims or splits ops, so it cannot undo the
// canonical forms keepdims establishes.
//
// Ops with regions have rules of their own (simplifyControl): an if of a
// constant predicate is its taken branch, a loop-invariant result of a
// while is the loop's operand.
//
// One forward walk: operands are resolved through the replacements found
// so far before the op's rules run, so chains (transpose∘transpose∘
// transpose, reshape∘reshape∘reshape) collapse in the same walk.
func simplify(f *ir.Func, _ *Config) (bool, error) {
	repl := make(map[*ir.Value]*ir.Value)
	s := &simplifier{splats: make(map[*ir.Value]splat)}
	changed, inlined := false, false
	var used map[*ir.Value]bool // built at the first op with regions
	ops := f.Ops                // inlining appends to f.Ops; walk the original ops only
	for _, op := range ops {
		resolveArgs(op, repl)
		if len(op.Regions) > 0 {
			if used == nil {
				used = usedValues(f)
			}
			n := len(repl)
			in, err := simplifyControl(f, op, repl, used)
			if err != nil {
				return changed, err
			}
			inlined = inlined || in
			changed = changed || in || len(repl) > n
			continue
		}
		rule := simplifyRules[op.Opcode]
		if rule == nil {
			continue
		}
		v, rewrote := rule(s, op)
		changed = changed || rewrote
		if v != nil {
			repl[op.Result()] = v
			changed = true
		}
	}
	if !changed {
		return false, nil
	}
	f.ReplaceValues(repl)
	f.RemoveDead()
	if inlined {
		if err := f.TopoSort(); err != nil {
			return true, err
		}
	}
	return true, nil
}

// A simplifyRule looks at one op (its operands already resolved). It
// returns the value the op's result equals, if any, and whether it
// rewrote the op in place.
type simplifyRule func(s *simplifier, op *ir.Op) (same *ir.Value, rewrote bool)

// simplifier is the state of one simplify walk: which constants are
// splats, each constant scanned at most once however many ops use it.
type simplifier struct {
	splats map[*ir.Value]splat
}

// splat describes a constant all of whose elements are one value.
type splat struct {
	ok bool
	v  float64 // the element as float64: exact for f32, f16, i32 (and -0); i64 beyond 2^53 rounds, but never to 0 or 1
}

// splatOf returns v's splat value, if v is a non-empty constant whose
// elements all have the same value (and, for floats, the same sign).
func (s *simplifier) splatOf(v *ir.Value) splat {
	if v.Op.Opcode != ir.OpConst {
		return splat{} // only constants are cached: no entry per op
	}
	if sp, ok := s.splats[v]; ok {
		return sp
	}
	var sp splat
	if t := constOf(v); t != nil && t.Len() > 0 && t.DType != tensor.Bool {
		x := t.Float64At(0)
		sp = splat{ok: true, v: x}
		for i := 1; i < t.Len(); i++ {
			if y := t.Float64At(i); y != x || math.Signbit(y) != math.Signbit(x) {
				sp = splat{}
				break
			}
		}
	}
	s.splats[v] = sp
	return sp
}

// simplifyRules: one rule per opcode. All of them preserve the op's
// result type.
var simplifyRules = map[ir.Opcode]simplifyRule{
	// x + 0 and 0 + x. For integers any 0. For floats only -0.0:
	// x + (-0) == x for every x, but -0 + (+0) == +0 (IEEE and
	// TensorFlow), so adding +0.0 is not an identity and is kept.
	ir.OpAdd: func(s *simplifier, op *ir.Op) (*ir.Value, bool) {
		return s.binaryIdentity(op, addIdentity, true), false
	},
	// x - 0: for floats only +0.0 (x - (+0) == x; x - (-0) == x + (+0),
	// which turns -0 into +0). 0 - x is not x.
	ir.OpSub: func(s *simplifier, op *ir.Op) (*ir.Value, bool) {
		return s.binaryIdentity(op, subIdentity, false), false
	},
	// x * 1 and 1 * x: exact for every x (including ±0, ±inf, NaN).
	ir.OpMul: func(s *simplifier, op *ir.Op) (*ir.Value, bool) {
		return s.binaryIdentity(op, isOne, true), false
	},
	// x / 1: exact for floats; integer division by 1 truncates nothing.
	ir.OpDiv: func(s *simplifier, op *ir.Op) (*ir.Value, bool) {
		return s.binaryIdentity(op, isOne, false), false
	},
	// neg(neg(x)) = x: a sign flip twice (floats), and two's complement
	// negation is an involution even for the most negative integer.
	ir.OpNeg: func(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
		if in := op.Args[0].Op; in.Opcode == ir.OpNeg {
			return in.Args[0], false
		}
		return nil, false
	},
	// relu(relu(x)), clamp(clamp(x)), relu(clamp(x)), clamp(relu(x)):
	// one clamp (or relu); see mergeBounds.
	ir.OpRelu:  mergeBounds,
	ir.OpClamp: mergeBounds,
	// cast to the operand's own type copies it.
	ir.OpCast: sameTypeIdentity,
	// reshape(reshape(x)) = reshape(x) to the outer shape; a reshape to
	// the operand's shape is the operand.
	ir.OpReshape: func(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
		rewrote := false
		if in := op.Args[0].Op; in.Opcode == ir.OpReshape {
			op.Args[0] = in.Args[0]
			rewrote = true
		}
		v, _ := sameTypeIdentity(nil, op)
		return v, rewrote
	},
	// transpose(transpose(x, p), q) = transpose(x, p∘q), with
	// (p∘q)[i] = p[q[i]]; a transpose by the identity permutation is its
	// operand.
	ir.OpTranspose: func(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
		rewrote := false
		if in := op.Args[0].Op; in.Opcode == ir.OpTranspose {
			p, q := in.Ints("perm"), op.Ints("perm")
			perm := make([]int, len(q))
			for i := range q {
				perm[i] = p[q[i]]
			}
			op.Args[0] = in.Args[0]
			setAttr(op, "perm", perm)
			rewrote = true
		}
		for i, p := range op.Ints("perm") {
			if p != i {
				return nil, rewrote
			}
		}
		return op.Args[0], rewrote
	},
	// A slice that reads every element in order: size = the operand's
	// shape and, in every dimension of size > 1, start 0 and stride 1.
	ir.OpSlice: func(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
		shape := op.Args[0].Type.Shape
		start, size, stride := op.Ints("start"), op.Ints("size"), op.Ints("stride")
		for i, d := range shape {
			if size[i] != d || (d > 1 && (start[i] != 0 || stride[i] != 1)) {
				return nil, false
			}
		}
		return op.Args[0], false
	},
	// pad with all-zero pads, tile with all-1 multiples (or of empty
	// dimensions), broadcast to the operand's shape: the result has the
	// operand's type exactly when the op copies it.
	ir.OpPad:       sameTypeIdentity,
	ir.OpTile:      sameTypeIdentity,
	ir.OpBroadcast: sameTypeIdentity,
	// concat of a single operand is that operand.
	ir.OpConcat: func(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
		if len(op.Args) == 1 {
			return op.Args[0], false
		}
		return nil, false
	},
}

// sameTypeIdentity: for ops that copy their operand when the result type
// is the operand's (cast, reshape, pad, tile, broadcast).
func sameTypeIdentity(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
	if x := op.Args[0]; x.Type.Equal(op.Result().Type) {
		return x, false
	}
	return nil, false
}

// binaryIdentity returns x for op(x, c) (and op(c, x) if commutative)
// when c is a splat constant for which isID holds and the result has x's
// type (so the constant's broadcasting changes nothing).
func (s *simplifier) binaryIdentity(op *ir.Op, isID func(dt tensor.DType, v float64) bool, commutative bool) *ir.Value {
	a, b := op.Args[0], op.Args[1]
	rt := op.Result().Type
	if a.Type.Equal(rt) {
		if sp := s.splatOf(b); sp.ok && isID(rt.DType, sp.v) {
			return a
		}
	}
	if commutative && b.Type.Equal(rt) {
		if sp := s.splatOf(a); sp.ok && isID(rt.DType, sp.v) {
			return b
		}
	}
	return nil
}

// addIdentity: the c with x + c == x for every x: 0 for integers, -0.0
// for floats.
func addIdentity(dt tensor.DType, c float64) bool {
	return c == 0 && (!dt.IsFloat() || math.Signbit(c))
}

// subIdentity: the c with x - c == x: 0 for integers, +0.0 for floats.
func subIdentity(dt tensor.DType, c float64) bool {
	return c == 0 && (!dt.IsFloat() || !math.Signbit(c))
}

func isOne(_ tensor.DType, c float64) bool { return c == 1 }

// bounds describes relu and clamp as clamp(lo, hi): relu(x) is x < 0 ? +0
// : x, which is clamp(x, +0, +inf) element for element (the kernels
// compare in f32: v < lo → lo, v > hi → hi; NaN passes through).
func bounds(op *ir.Op) (lo, hi float64) {
	if op.Opcode == ir.OpRelu {
		return 0, math.Inf(1)
	}
	return op.Float("min"), op.Float("max")
}

// mergeBounds rewrites outer(inner(x)), both relu or clamp, as one op:
// with inner bounds [A, B] and outer [C, D] overlapping, the composition is
// clamp(x, max(A, C), min(B, D)) exactly, where on a tie the inner bound
// is kept (its zero's sign is the one that comes out). Bounds are compared
// as the kernel uses them (f32), and for f16 all four must be f16 values
// (otherwise the inner op's result is rounded before the outer compares
// it). Disjoint bounds are left alone. The result is a relu when it is
// clamp(+0, +inf).
func mergeBounds(_ *simplifier, op *ir.Op) (*ir.Value, bool) {
	in := op.Args[0].Op
	if in.Opcode != ir.OpRelu && in.Opcode != ir.OpClamp {
		return nil, false
	}
	a, b := bounds(in)
	c, d := bounds(op)
	dt := op.Result().Type.DType
	for _, v := range []float64{a, b, c, d} {
		if !boundExact(dt, v) {
			return nil, false
		}
	}
	lo, hi := a, b
	if float32(c) > float32(a) {
		lo = c
	}
	if float32(d) < float32(b) {
		hi = d
	}
	if float32(lo) > float32(hi) {
		return nil, false
	}
	op.Args[0] = in.Args[0]
	if lo == 0 && !math.Signbit(lo) && math.IsInf(hi, 1) {
		op.Opcode, op.Attrs = ir.OpRelu, nil
	} else {
		op.Opcode, op.Attrs = ir.OpClamp, ir.Attrs{"min": lo, "max": hi}.List()
	}
	return nil, true
}

// boundExact reports whether the clamp bound v, converted to f32 as the
// kernel does, is a value of dt.
func boundExact(dt tensor.DType, v float64) bool {
	x := float32(v)
	switch dt {
	case tensor.Float16:
		return tensor.RoundF16(x) == x
	case tensor.BFloat16:
		return tensor.RoundBF16(x) == x
	}
	return true
}

// setAttr sets one attribute on a copy of op's attribute list (lists may
// be shared between ops: an op made as a copy of another).
func setAttr(op *ir.Op, name string, v any) {
	attrs := slices.Clone(op.Attrs)
	attrs.Set(name, v)
	op.Attrs = attrs
}
