package passes

import (
	"math"
	"strconv"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// fuseActivation recognises these patterns (c, k: constants with one
// value, on either side of commutative ops; every intermediate value has
// a single use):
//
//	max(x, 0)                              → relu(x)
//	chains of min(x, c), max(x, c), relu, clamp with at least one min or max,
//	  whose bounds overlap (e.g. min(max(x, 0), 6), max(min(x, 6), 0),
//	  min(relu(x), 6))                     → clamp{lo, hi}(x) (relu if [0, +inf))
//	k * x * E with k*c = 0.5, where E is
//	  erfc(-x/√2) (TensorFlow 2.21's gelu),
//	  c + c*erf(x/√2) (the textbook form, e.g. 1 + erf(x*0.70710677))
//	                                       → gelu{approximate="none"}(x)
//	  c + c*tanh(√(2/π)*(x + 0.044715*x³)) with x³ = pow(x, 3) or x*x*x
//	                                       → gelu{approximate="tanh"}(x)
//	k * clamp{0, h}(a*x + b) with k*h = 1 (relu6(x + 3) / 6, Keras'
//	  hard_sigmoid), or clamp{0, 1}(a*x + b)
//	                                       → hard_sigmoid{alpha=k*a, beta=k*b}(x)
//	k * x * clamp{0, h}(a*x + b) with k*h = 1 (hard swish as
//	  x * relu6(x + 3) / 6 or x * relu6(x + 3) * 0.16666667, MobileNetV3)
//	                                       → mul(x, hard_sigmoid{alpha=k*a, beta=k*b}(x))
//	relu(x) + P * relu(-x), relu(x) - P * relu(-x), relu(x) + P * min(x, 0)
//	  (Keras PReLU: relu(x) + -alpha * relu(-x)), max(x, P * x) with every
//	  element of P at most 1 and not 0
//	                                       → prelu(x, S), or leaky_relu{alpha=S}(x)
//	                                         if S has one value
//
// where products may be associated and ordered in any way, divisions by
// a constant count as products with its reciprocal, and neg as a factor
// of -1. Constants match the exact values to a relative 1e-6 (they are
// usually rounded to f32). In the PReLU forms P is a product of finite
// constants (of any shape broadcasting to x's; relu may be max(x, 0)) and
// S the slope they give: -P for the first form, P for the others.
// x*sigmoid(x) (swish) and x*hard_sigmoid(x) are left alone: TensorRT
// fuses those itself, and the IR has no op for them.
//
// The min/max and PReLU rules apply to every float type (they are exact,
// except for the sign of a zero result: clamp keeps a -0 that max(x, +0)
// turns into +0); gelu, hard_sigmoid and hard swish only to f32, where
// computing in float64 and rounding once stays within Tolerance of the
// op-by-op result.
//
// The walk goes backwards, so each pattern is matched from its last op
// and the ops it absorbs are not tried again as roots; every match looks
// at a bounded number of ops, so the pass is linear.
func fuseActivation(f *ir.Func, _ *Config) (bool, error) {
	m := &actMatcher{uses: useCounts(f), consumed: make(map[*ir.Op]bool), splats: make(map[*ir.Value]splatInfo)}
	var found []*actRewrite // last op first
	for i := len(f.Ops) - 1; i >= 0; i-- {
		op := f.Ops[i]
		if m.consumed[op] || len(op.Results) != 1 || !op.Result().Type.DType.IsFloat() {
			continue
		}
		var r *actRewrite
		switch op.Opcode {
		case ir.OpMax:
			if r = m.preluMax(op); r == nil {
				r = m.clampRoot(op)
			}
		case ir.OpMin, ir.OpRelu, ir.OpClamp:
			r = m.clampRoot(op)
		case ir.OpAdd, ir.OpSub:
			r = m.preluSum(op)
		case ir.OpMul, ir.OpDiv:
			if r = m.gelu(op); r == nil {
				r = m.hardSigmoidProduct(op)
			}
		}
		if r == nil {
			continue
		}
		r.root = op
		for _, o := range r.absorbed {
			m.consumed[o] = true
		}
		found = append(found, r)
	}
	if len(found) == 0 {
		return false, nil
	}
	// Emit in program order, so the new ops keep the old ones' order.
	repl := make(map[*ir.Value]*ir.Value, len(found))
	for i := len(found) - 1; i >= 0; i-- {
		r := found[i]
		v, err := r.emit(f)
		if err != nil {
			return false, err
		}
		repl[r.root.Result()] = v
	}
	f.ReplaceValues(repl)
	if err := f.TopoSort(); err != nil {
		return false, err
	}
	f.RemoveDead()
	return true, nil
}

// actRewrite is a recognised pattern: the unary op that replaces it (or
// prelu, when slope is set), optionally multiplied by x, and the ops it
// absorbs.
type actRewrite struct {
	root     *ir.Op // the pattern's last op, whose result is replaced
	opc      ir.Opcode
	x        *ir.Value
	attrs    ir.Attrs
	slope    *tensor.Tensor // prelu(x, slope)
	timesX   bool           // mul(x, op(x))
	absorbed []*ir.Op
}

// emit appends the ops replacing r's pattern and returns the new result.
func (r *actRewrite) emit(f *ir.Func) (*ir.Value, error) {
	loc := r.root.Loc
	if r.slope != nil {
		return f.Emit(ir.OpPRelu, []*ir.Value{r.x, f.Const(r.slope, loc+"/slope")}, nil, loc)
	}
	if !r.timesX {
		return f.Emit(r.opc, []*ir.Value{r.x}, r.attrs, loc)
	}
	v, err := f.Emit(r.opc, []*ir.Value{r.x}, r.attrs, loc+"/"+r.opc.String())
	if err != nil {
		return nil, err
	}
	return f.Emit(ir.OpMul, []*ir.Value{r.x, v}, nil, loc)
}

type actMatcher struct {
	uses     useCount
	consumed map[*ir.Op]bool
	splats   map[*ir.Value]splatInfo
}

// maxPattern bounds the ops one match may look at.
const maxPattern = 12

// inner reports whether v may be absorbed into a pattern: computed by an
// op not yet absorbed, used once, not an output.
func (m *actMatcher) inner(v *ir.Value) bool {
	return m.uses.of(v) == 1 && !m.consumed[v.Op] && len(v.Op.Results) == 1
}

// splat returns the value of a constant whose elements all equal one
// non-NaN value. Results are cached: a large constant shared by many ops
// is scanned once.
func (m *actMatcher) splat(v *ir.Value) (float64, bool) {
	if v.Op.Opcode != ir.OpConst {
		return 0, false
	}
	if s, ok := m.splats[v]; ok {
		return s.x, s.ok
	}
	x, ok := constSplat(v)
	m.splats[v] = splatInfo{x, ok}
	return x, ok
}

type splatInfo struct {
	x  float64
	ok bool
}

func constSplat(v *ir.Value) (float64, bool) {
	t := constOf(v)
	if t == nil || t.Len() == 0 || !t.DType.IsFloat() {
		return 0, false
	}
	x := t.Float64At(0)
	if math.IsNaN(x) {
		return 0, false
	}
	for i := 1; i < t.Len(); i++ {
		if t.Float64At(i) != x {
			return 0, false
		}
	}
	return x, true
}

// relClose reports whether a equals b to a relative 1e-6.
func relClose(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Abs(b) }

// binaryConst splits a binary op into its non-constant operand and the
// value of its splat constant operand, if the op's result has the other
// operand's type (the constant broadcasts nothing). constLeft says the
// constant is the first operand.
func (m *actMatcher) binaryConst(op *ir.Op) (x *ir.Value, c float64, constLeft, ok bool) {
	if len(op.Args) != 2 {
		return nil, 0, false, false
	}
	for i, a := range op.Args {
		if c, ok := m.splat(a); ok {
			x := op.Args[1-i]
			if _, isConst := m.splat(x); isConst || !x.Type.Equal(op.Result().Type) {
				return nil, 0, false, false
			}
			return x, c, i == 0, true
		}
	}
	return nil, 0, false, false
}

// f32Short rounds v to f32 and returns the shortest decimal that rounds
// to the same f32 (0.16666667 rather than 0.1666666716337204): the
// attribute prints as written in the model and converts to the same f32
// in the kernels and in TensorRT.
func f32Short(v float64) float64 {
	x, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'g', -1, 32), 64)
	return x
}

// --- relu and clamp ---

// clampChain describes clamp{lo, hi}(x), the composition of ops (outer
// first).
type clampChain struct {
	x      *ir.Value
	lo, hi float64
	ops    []*ir.Op
	minmax bool // some op is a min or max
}

// activationBounds describes one relu, clamp, min or max with a constant as
// clamp{lo, hi}(x), bounds rounded to f32 as the kernels compare them.
func (m *actMatcher) activationBounds(op *ir.Op) (x *ir.Value, lo, hi float64, ok bool) {
	lo, hi = math.Inf(-1), math.Inf(1)
	switch op.Opcode {
	case ir.OpRelu:
		return op.Args[0], 0, hi, true
	case ir.OpClamp:
		lo, hi = float64(float32(op.Float("min"))), float64(float32(op.Float("max")))
		if dt := op.Result().Type.DType; dt != tensor.Float32 && (!representable(lo, dt) || !representable(hi, dt)) {
			return nil, 0, 0, false
		}
		return op.Args[0], lo, hi, true
	case ir.OpMin, ir.OpMax:
		x, c, _, ok := m.binaryConst(op)
		if !ok {
			return nil, 0, 0, false
		}
		if op.Opcode == ir.OpMin {
			return x, lo, c, true
		}
		return x, c, hi, true
	}
	return nil, 0, 0, false
}

// representable reports whether v (an f32 value) is a value of the float type dt.
func representable(v float64, dt tensor.DType) bool {
	t := tensor.FromF32(tensor.Shape{}, []float32{float32(v)})
	c := t.Clone()
	c.DType = dt
	c.RoundToDType()
	return c.F32[0] == t.F32[0]
}

// chainFrom composes the relu/clamp/min/max ops from op backwards while
// their bounds overlap.
func (m *actMatcher) chainFrom(op *ir.Op) (clampChain, bool) {
	c := clampChain{lo: math.Inf(-1), hi: math.Inf(1)}
	for len(c.ops) < maxPattern {
		x, lo, hi, ok := m.activationBounds(op)
		if !ok {
			break
		}
		lo, hi = max(lo, c.lo), min(hi, c.hi)
		if lo > hi {
			break
		}
		c.x, c.lo, c.hi = x, lo, hi
		c.ops = append(c.ops, op)
		c.minmax = c.minmax || op.Opcode == ir.OpMin || op.Opcode == ir.OpMax
		if !m.inner(x) {
			break
		}
		op = x.Op
	}
	return c, len(c.ops) > 0
}

// clampRoot matches a relu/clamp/min/max chain ending at op.
func (m *actMatcher) clampRoot(op *ir.Op) *actRewrite {
	c, ok := m.chainFrom(op)
	if !ok {
		return nil
	}
	if c.lo == 0 && c.hi == 1 {
		if r := m.hardSigmoid(c, 1); r != nil && r.x != c.x {
			return r
		}
	}
	// relu and clamp chains without min or max are simplify's.
	if !c.minmax || len(c.ops) == 1 && !(c.lo == 0 && math.IsInf(c.hi, 1)) {
		return nil
	}
	switch {
	case c.lo == 0 && math.IsInf(c.hi, 1):
		return &actRewrite{opc: ir.OpRelu, x: c.x, absorbed: c.ops}
	case !math.IsInf(c.lo, 0) && !math.IsInf(c.hi, 0):
		return &actRewrite{opc: ir.OpClamp, x: c.x, attrs: ir.Attrs{"min": f32Short(c.lo), "max": f32Short(c.hi)}, absorbed: c.ops}
	}
	return nil
}

// --- products ---

// actProduct is k * leaves[0] * leaves[1] * ...
type actProduct struct {
	k      float64
	leaves []*ir.Value
	ops    []*ir.Op
}

// flatten expands v as a product: through mul, div by a constant and
// neg, at v itself if root and through single-use values below. Every
// op's result must have type t.
func (m *actMatcher) flatten(v *ir.Value, root bool, t ir.Type) (actProduct, bool) {
	p := actProduct{k: 1}
	stack := []*ir.Value{v}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if c, ok := m.splat(v); ok {
			p.k *= c
			continue
		}
		if !v.Type.Equal(t) {
			return p, false
		}
		op := v.Op
		expand := (root || m.inner(v)) && len(p.ops) < maxPattern
		root = false
		switch {
		case expand && op.Opcode == ir.OpMul:
			stack = append(stack, op.Args[1], op.Args[0])
		case expand && op.Opcode == ir.OpNeg:
			p.k = -p.k
			stack = append(stack, op.Args[0])
		case expand && op.Opcode == ir.OpDiv:
			c, ok := m.splat(op.Args[1])
			if !ok || c == 0 {
				p.leaves = append(p.leaves, v)
				continue
			}
			p.k /= c
			stack = append(stack, op.Args[0])
		default:
			p.leaves = append(p.leaves, v)
			continue
		}
		p.ops = append(p.ops, op)
	}
	return p, true
}

// linear matches v = k*x (x the only non-constant factor) and returns
// x, k and the ops absorbed.
func (m *actMatcher) linear(v *ir.Value) (x *ir.Value, k float64, ops []*ir.Op, ok bool) {
	if !m.inner(v) {
		return v, 1, nil, true
	}
	p, ok := m.flatten(v, false, v.Type)
	if !ok || len(p.leaves) != 1 {
		return nil, 0, nil, false
	}
	return p.leaves[0], p.k, p.ops, true
}

// --- gelu ---

// gelu matches the GELU patterns rooted at the mul or div op.
func (m *actMatcher) gelu(op *ir.Op) *actRewrite {
	t := op.Result().Type
	if t.DType != tensor.Float32 {
		return nil
	}
	p, ok := m.flatten(op.Result(), true, t)
	if !ok || len(p.leaves) != 2 {
		return nil
	}
	for i := range 2 {
		x, e := p.leaves[i], p.leaves[1-i]
		if !m.inner(e) {
			continue
		}
		approximate, c, ops, ok := m.geluBracket(e, x)
		if !ok || !relClose(p.k*c, 0.5) {
			continue
		}
		return &actRewrite{opc: ir.OpGelu, x: x, attrs: ir.Attrs{"approximate": approximate},
			absorbed: append(p.ops, ops...)}
	}
	return nil
}

// geluBracket matches e (used once) as c * 2Φ(x): erfc(-x/√2) (c = 1),
// c + c*erf(x/√2) or c + c*tanh(√(2/π)*(x + 0.044715*x³)).
func (m *actMatcher) geluBracket(e, x *ir.Value) (approximate string, c float64, ops []*ir.Op, ok bool) {
	op := e.Op
	switch op.Opcode {
	case ir.OpErfc:
		if y, k, lops, ok := m.linear(op.Args[0]); ok && y == x && relClose(k, -math.Sqrt2/2) {
			return "none", 1, append(lops, op), true
		}
	case ir.OpAdd:
		q, a, _, ok := m.binaryConst(op)
		if !ok || !m.inner(q) {
			return "", 0, nil, false
		}
		p, ok := m.flatten(q, false, x.Type)
		if !ok || len(p.leaves) != 1 || !relClose(p.k, a) || !m.inner(p.leaves[0]) {
			return "", 0, nil, false
		}
		fn := p.leaves[0].Op
		ops = append(p.ops, op, fn)
		switch fn.Opcode {
		case ir.OpErf:
			if y, k, lops, ok := m.linear(fn.Args[0]); ok && y == x && relClose(k, math.Sqrt2/2) {
				return "none", a, append(ops, lops...), true
			}
		case ir.OpTanh:
			if cops, ok := m.geluTanhArg(fn.Args[0], x); ok {
				return "tanh", a, append(ops, cops...), true
			}
		}
	}
	return "", 0, nil, false
}

// geluTanhArg matches u = √(2/π)*(x + 0.044715*x³).
func (m *actMatcher) geluTanhArg(u, x *ir.Value) ([]*ir.Op, bool) {
	s, k, ops, ok := m.linear(u)
	if !ok || !relClose(k, math.Sqrt(2/math.Pi)) || !m.inner(s) || s.Op.Opcode != ir.OpAdd {
		return nil, false
	}
	add := s.Op
	ops = append(ops, add)
	for i := range 2 {
		if add.Args[i] != x || !m.inner(add.Args[1-i]) {
			continue
		}
		p, ok := m.flatten(add.Args[1-i], false, x.Type)
		if !ok || !relClose(p.k, 0.044715) {
			return nil, false
		}
		// x³ as x*x*x (in any grouping) or pow(x, 3).
		cube := len(p.leaves) == 3 && p.leaves[0] == x && p.leaves[1] == x && p.leaves[2] == x
		if len(p.leaves) == 1 && m.inner(p.leaves[0]) && p.leaves[0].Op.Opcode == ir.OpPow {
			pw := p.leaves[0].Op
			if e, ok := m.splat(pw.Args[1]); ok && e == 3 && pw.Args[0] == x {
				cube = true
				p.ops = append(p.ops, pw)
			}
		}
		if cube {
			return append(ops, p.ops...), true
		}
	}
	return nil, false
}

// --- hard_sigmoid ---

// hardSigmoidProduct matches k * clamp{0, h}(a*x + b) with k*h = 1, and
// k * x * clamp{0, h}(a*x + b) (hard swish).
func (m *actMatcher) hardSigmoidProduct(op *ir.Op) *actRewrite {
	t := op.Result().Type
	if t.DType != tensor.Float32 {
		return nil
	}
	p, ok := m.flatten(op.Result(), true, t)
	if !ok || len(p.leaves) < 1 || len(p.leaves) > 2 {
		return nil
	}
	for i, leaf := range p.leaves {
		if !m.inner(leaf) {
			continue
		}
		c, ok := m.chainFrom(leaf.Op)
		if !ok || c.lo != 0 || math.IsInf(c.hi, 1) || !relClose(p.k*c.hi, 1) {
			continue
		}
		r := m.hardSigmoid(c, p.k)
		if r == nil {
			continue
		}
		if len(p.leaves) == 2 {
			// hard swish: the other factor is hard_sigmoid's x.
			if p.leaves[1-i] != r.x {
				continue
			}
			r.timesX = true
		}
		r.absorbed = append(r.absorbed, p.ops...)
		return r
	}
	return nil
}

// hardSigmoid turns k * c, c = clamp{0, 1/k}(y), into hard_sigmoid of x
// where y = a*x + b (or a*x).
func (m *actMatcher) hardSigmoid(c clampChain, k float64) *actRewrite {
	if c.x.Type.DType != tensor.Float32 {
		return nil
	}
	ops := c.ops
	y, b := c.x, 0.0
	if m.inner(y) && (y.Op.Opcode == ir.OpAdd || y.Op.Opcode == ir.OpSub) {
		if z, v, constLeft, ok := m.binaryConst(y.Op); ok && !(constLeft && y.Op.Opcode == ir.OpSub) {
			if y.Op.Opcode == ir.OpSub {
				v = -v
			}
			ops = append(ops, y.Op)
			y, b = z, v
		}
	}
	x, a, lops, ok := m.linear(y)
	if !ok {
		return nil
	}
	alpha, beta := f32Short(k*a), f32Short(k*b)
	return &actRewrite{opc: ir.OpHardSigmoid, x: x, attrs: ir.Attrs{"alpha": alpha, "beta": beta},
		absorbed: append(ops, lops...)}
}

// --- prelu ---

// preluSum matches relu(x) + N and relu(x) - N (either order for +),
// where N is P * relu(-x) or P * min(x, 0), P a product of finite
// constants.
func (m *actMatcher) preluSum(op *ir.Op) *actRewrite {
	t := op.Result().Type
	for i := range 2 {
		if op.Opcode == ir.OpSub && i == 1 {
			break // relu(x) must be the minuend
		}
		pos, neg := op.Args[i], op.Args[1-i]
		if !m.inner(pos) || !m.inner(neg) || !pos.Type.Equal(t) || !neg.Type.Equal(t) {
			continue
		}
		x, ok := m.reluOf(pos.Op)
		if !ok || !x.Type.Equal(t) {
			continue
		}
		// neg = P * min(x, 0): the slope is P for +, -P for -.
		p, ops, ok := m.negativePart(neg, x)
		if !ok {
			continue
		}
		k := 1.0
		if op.Opcode == ir.OpSub {
			k = -1
		}
		r := m.preluRewrite(x, p, k, t)
		if r != nil {
			r.absorbed = append(ops, pos.Op)
		}
		return r
	}
	return nil
}

// preluMax matches max(x, P * x) with every element of the constant
// product P at most 1, finite and non-zero (then x ≥ P*x exactly when
// x ≥ 0, and 0*inf would be NaN).
func (m *actMatcher) preluMax(op *ir.Op) *actRewrite {
	t := op.Result().Type
	for i := range 2 {
		x, q := op.Args[i], op.Args[1-i]
		if !x.Type.Equal(t) || !m.inner(q) || !q.Type.Equal(t) {
			continue
		}
		p, base, ops, ok := m.constProduct(q, t)
		if !ok || base != x || p == nil {
			continue
		}
		ok = true
		for j := range p.Len() {
			if v := p.Float64At(j); v > 1 || v == 0 {
				ok = false
			}
		}
		if !ok {
			continue
		}
		r := m.preluRewrite(x, p, 1, t)
		if r != nil {
			r.absorbed = ops
		}
		return r
	}
	return nil
}

// reluOf returns x for relu(x) or max(x, 0).
func (m *actMatcher) reluOf(op *ir.Op) (*ir.Value, bool) {
	x, lo, hi, ok := m.activationBounds(op)
	if !ok || op.Opcode == ir.OpMin || lo != 0 || !math.IsInf(hi, 1) {
		return nil, false
	}
	return x, true
}

// negativePart matches v = P * min(x, 0), with min(x, 0) also spelled
// -relu(-x) (or -max(-x, 0)), and returns P (nil when it is 1) and the
// ops absorbed.
func (m *actMatcher) negativePart(v, x *ir.Value) (*tensor.Tensor, []*ir.Op, bool) {
	p, base, ops, ok := m.constProduct(v, v.Type)
	if !ok || !m.inner(base) {
		return nil, nil, false
	}
	b := base.Op
	switch b.Opcode {
	case ir.OpMin:
		y, c, _, ok := m.binaryConst(b)
		if !ok || y != x || c != 0 {
			return nil, nil, false
		}
	case ir.OpRelu, ir.OpMax:
		y, ok := m.reluOf(b)
		if !ok || !m.inner(y) || y.Op.Opcode != ir.OpNeg || y.Op.Args[0] != x {
			return nil, nil, false
		}
		// relu(-x) = -min(x, 0)
		p = scaleConst(p, -1, x.Type.DType)
		ops = append(ops, y.Op)
	default:
		return nil, nil, false
	}
	return p, append(ops, b), true
}

// constProduct expands v (used once, of type t) as P * base through mul
// by a constant (of any shape that broadcasts to t), div by a splat
// constant and neg, and returns P (nil when no constant was met) rounded
// to t's element type after each step, as the ops compute it.
func (m *actMatcher) constProduct(v *ir.Value, t ir.Type) (*tensor.Tensor, *ir.Value, []*ir.Op, bool) {
	var p *tensor.Tensor
	var ops []*ir.Op
	for len(ops) < maxPattern && m.inner(v) && v.Type.Equal(t) {
		op := v.Op
		switch op.Opcode {
		case ir.OpNeg:
			p = scaleConst(p, -1, t.DType)
			v = op.Args[0]
		case ir.OpMul:
			i := 0
			if op.Args[1].Op.Opcode == ir.OpConst {
				i = 1
			}
			c := constOf(op.Args[i])
			if c == nil || op.Args[i].Op.Opcode != ir.OpConst || !finiteConst(c) || !op.Args[1-i].Type.Equal(t) {
				return nil, nil, nil, false
			}
			if p == nil {
				p = c
			} else {
				q, err := kernels.Binary(kernels.Mul, p, c)
				if err != nil {
					return nil, nil, nil, false
				}
				p = q
			}
			v = op.Args[1-i]
		case ir.OpDiv:
			c, ok := m.splat(op.Args[1])
			if !ok || c == 0 || math.IsInf(c, 0) {
				return nil, nil, nil, false
			}
			p = scaleConst(p, 1/c, t.DType)
			v = op.Args[0]
		default:
			return p, v, ops, true
		}
		ops = append(ops, op)
	}
	return p, v, ops, true
}

// finiteConst reports whether every element of the float constant t is finite.
func finiteConst(t *tensor.Tensor) bool {
	if !t.DType.IsFloat() {
		return false
	}
	for i := range t.Len() {
		if v := t.Float64At(i); math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// scaleConst returns k * p (p nil standing for 1) in dtype dt.
func scaleConst(p *tensor.Tensor, k float64, dt tensor.DType) *tensor.Tensor {
	kt := tensor.Scalar(dt, k)
	if p == nil {
		return kt
	}
	q, err := kernels.Binary(kernels.Mul, p, kt)
	if err != nil {
		return nil
	}
	return q
}

// preluRewrite is prelu(x, k*p) (leaky_relu when the slope has one
// value), if p is a finite constant of x's element type whose shape
// broadcasts to x's.
func (m *actMatcher) preluRewrite(x *ir.Value, p *tensor.Tensor, k float64, t ir.Type) *actRewrite {
	if p == nil {
		p = tensor.Scalar(t.DType, 1)
	}
	s := scaleConst(p, k, t.DType)
	if s == nil || s.DType != t.DType || !finiteConst(s) {
		return nil
	}
	if b, err := tensor.BroadcastShapes(t.Shape, s.Shape); err != nil || !b.Equal(t.Shape) {
		return nil
	}
	if v, ok := constSplatTensor(s); ok {
		return &actRewrite{opc: ir.OpLeakyRelu, x: x, attrs: ir.Attrs{"alpha": f32Short(v)}}
	}
	return &actRewrite{opc: ir.OpPRelu, x: x, slope: s}
}

// constSplatTensor returns the value of a tensor whose elements all
// equal one value.
func constSplatTensor(t *tensor.Tensor) (float64, bool) {
	if t.Len() == 0 {
		return 0, false
	}
	x := t.Float64At(0)
	for i := 1; i < t.Len(); i++ {
		if t.Float64At(i) != x {
			return 0, false
		}
	}
	return x, true
}
