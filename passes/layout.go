package passes

import (
	"fmt"
	"slices"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// The layout pass.
//
// TensorFlow graphs are NHWC and the IR's conv and pool are channels
// first, so the frontend wraps each of them in transpose(NHWC→NCHW), op,
// transpose(NCHW→NHWC). This pass cancels those transposes, so that the
// body of a CNN runs in NCHW and the layout transposes are left only at
// the inputs and outputs.
//
// Model. Every value v may carry a pending permutation ("token"):
// v ≡ transpose(base(v), perm[v]). A transpose op creates or composes a
// token instead of moving data; a layout-agnostic op whose operand carries
// a token is rewritten to work on the base, with its attributes and its
// other operands permuted, and its result carries the token on; a
// transpose that meets its inverse disappears. Where a consumer cannot
// take a token (conv, matmul, a reshape that really moves data, ...) or at
// a function output (which keeps TensorFlow's layout) the transpose is
// materialised, once per value.
//
// Rules, for a token p on an operand of rank R (view axis a is base axis
// p[a]):
//   - transpose(perm t): composes, perm'[i] = p[t[i]]; identity cancels;
//   - unary, cast: commute;
//   - binary elementwise, select: the other operands o are brought to rank
//     R (leading 1s) and permuted by p⁻¹: constants are rewritten (their
//     data moved), a permutation that only moves size-1 dimensions is a
//     reshape, an operand with the same token is used untransposed, and a
//     transposed value composes into one transpose. The op takes the token
//     only if that needs no new transpose of a computed value or fewer
//     transposes than materialising its token operands (a tie stops);
//   - concat: the same, axis' = p[axis];
//   - pad, slice, tile, broadcast (same rank), resize: per-axis attributes
//     permuted (resize linear only if the resized axes keep their order,
//     as it interpolates axis after axis);
//   - softmax, log_softmax, argmax, argmin, topk: axis' = p[axis];
//   - reduce: axes' = sorted p[axes] (float sum/mean/prod only if the
//     reduced axes keep their relative order: the summation order is
//     then unchanged); with keep_dims=false (and argmax/argmin) the
//     result's token is p restricted to the kept axes, often the identity
//     (a global mean over H,W of NHWC is one over axes 2,3 of NCHW, whose
//     [N,C] result needs no transpose);
//   - reshape: only if the token moves size-1 dimensions alone (it is
//     then a reshape itself);
//   - everything else stops the token.
//
// Values computed from constants alone are left to the fold pass: they
// never take a token (their transposes are folded), but they are permuted
// freely as other operands.
//
// Two refinements place the transposes that are left (one ends up right
// after each NHWC input, not after the pads of the first conv) and make
// the pass idempotent:
//   - retraction: an op taking the token of a single operand whose result
//     token is only materialised again (never cancelled, composed or
//     joined) stays in its original layout, so the materialised transpose
//     moves up to where the token came from instead of down;
//   - hoisting: a transpose left over whose operand comes from a chain of
//     single-operand ops (unary, cast, pad, elementwise with constant
//     other operands), used by nothing else, and whose results feed only
//     ops that take no token (conv, pool, matmul, outputs, ...) moves
//     above that chain: input → pad → transpose → conv becomes input →
//     transpose → pad → conv, so the input is transposed once at the
//     start and pads sit right before their convs (for fuse-pad).
//     Hoisting is the mirror image of retraction: a second run pushes the
//     token down the chain, finds it only materialised at its end, and
//     retracts it back.
//
// Finally every binary elementwise op and select has operands of equal
// rank (leading 1s added by reshapes, or by reshaping constants), as
// TensorRT's ElementWise layer requires.
//
// The pass is five linear sweeps over the ops (constants forward, tokens
// forward, retraction backward, rewrite forward, hoisting backward), with
// RemoveDead before each analysis (dead uses would sway the decisions)
// and at the end, and a TopoSort when something was hoisted. Transposes
// and reshapes only move data, so the pass is exact.
func runLayout(f *ir.Func, cfg *Config) (bool, error) {
	// Dead ops would count as uses (and make a second run decide
	// differently).
	removed := f.RemoveDead()
	l := &layout{
		f:       f,
		cfg:     cfg,
		uses:    f.Uses(),
		outputs: outputSet(f),
		konst:   newValueSet(f),
		perm:    map[*ir.Value][]int{},
		loc:     map[*ir.Value]string{},
		plan:    map[*ir.Op]*absorb{},
		base:    map[*ir.Value]*ir.Value{},
		self:    map[*ir.Value]bool{},
		mat:     map[*ir.Value]*ir.Value{},
		cache:   map[string]*ir.Value{},
	}
	l.constants()
	l.tokens()
	l.retract()
	if err := l.rewrite(); err != nil {
		return false, err
	}
	if f.RemoveDead() > 0 { // the transposes taken up (dead uses for hoist)
		l.changed = true
	}
	hoisted, err := l.hoist()
	if err != nil {
		return false, err
	}
	if hoisted {
		// Before RemoveDead, which relies on the order.
		if err := f.TopoSort(); err != nil {
			return false, fmt.Errorf("layout: %v", err)
		}
	}
	if f.RemoveDead() > 0 || removed > 0 {
		l.changed = true
	}
	return l.changed, nil
}

type layout struct {
	f       *ir.Func
	cfg     *Config
	uses    ir.Uses
	outputs map[*ir.Value]bool

	// konst: values computed from constants alone.
	konst valueSet
	// perm: the pending permutation of a value (nil: none), so that the
	// value is transpose(base, perm); loc: where the token came from.
	perm map[*ir.Value][]int
	loc  map[*ir.Value]string
	// plan: the ops that take a token, and with which permutation.
	plan map[*ir.Op]*absorb

	// Rewrite state. base: the value a token applies to (default: the
	// value itself; an absorbing op's result is rewritten in place to be
	// its own base). self: transpose ops kept in place as the
	// materialisation of their own token. mat: materialised values.
	// cache: reshaped and transposed operands, by value and shape/perm.
	base    map[*ir.Value]*ir.Value
	self    map[*ir.Value]bool
	mat     map[*ir.Value]*ir.Value
	cache   map[string]*ir.Value
	changed bool
	err     error // the first error of emit
}

// absorb is the plan for an op that takes a token.
type absorb struct {
	perm []int // the operand token the op is rewritten for
	// single: only one operand (value) carries perm, so the op may be
	// retracted without materialising more.
	single    bool
	retracted bool
}

// Sweep 1, forward: values computed from constants alone.
func (l *layout) constants() {
	for _, op := range l.f.Ops {
		switch op.Opcode {
		case ir.OpConst:
			l.konst.add(op.Results[0])
		case ir.OpInput:
		default:
			all := len(op.Args) > 0
			for _, a := range op.Args {
				all = all && l.konst.has(a)
			}
			if all {
				for _, r := range op.Results {
					l.konst.add(r)
				}
			}
		}
	}
}

// Sweep 2, forward: which ops take a token, and the token of every value.
func (l *layout) tokens() {
	for _, op := range l.f.Ops {
		l.decide(op)
	}
}

func (l *layout) decide(op *ir.Op) {
	if op.Opcode == ir.OpTranspose {
		x, v := op.Args[0], op.Results[0]
		c := composePerm(l.perm[x], op.Ints("perm"))
		if isIdentity(c) {
			return
		}
		l.perm[v] = c
		l.loc[v] = op.Loc
		if l.perm[x] != nil {
			l.loc[v] = l.loc[x]
		}
		return
	}
	kind := layoutKindOf(op.Opcode)
	if kind == kindStop || len(op.Args) == 0 || l.konst.has(op.Results[0]) {
		return
	}
	tokens := false
	for _, a := range op.Args {
		tokens = tokens || l.perm[a] != nil
	}
	if !tokens {
		return
	}
	var p []int
	switch kind {
	case kindElementwise, kindConcat:
		p = l.choose(op)
	case kindReshape:
		x := op.Args[0]
		if trivialPerm(l.baseShape(x), l.perm[x]) {
			p = l.perm[x]
		}
	case kindAxes:
		if x := op.Args[0]; axesOK(op, l.perm[x]) {
			p = l.perm[x]
		}
	}
	if p == nil {
		return
	}
	a := &absorb{perm: p}
	n := 0
	var from *ir.Value
	first := firstSlots(op.Args)
	for i, x := range op.Args {
		if first[i] && slices.Equal(l.perm[x], p) && x.Type.Rank() == len(p) {
			n++
			if from == nil {
				from = x
			}
		}
	}
	a.single = n == 1
	l.plan[op] = a
	for i, r := range op.Results {
		if q := resultPerm(op, i, p); q != nil {
			l.perm[r] = q
			l.loc[r] = l.loc[from]
		}
	}
}

// choose picks the token an elementwise op or concat takes, or nil to
// stop: among the tokens of its non-constant full-rank operands, the one
// needing the fewest new transposes of the other operands; it is taken if
// that is none, or fewer than materialising the token operands.
func (l *layout) choose(op *ir.Op) []int {
	rank := op.Results[0].Type.Rank()
	first := firstSlots(op.Args)
	var cands [][]int // distinct: few (at most rank!) even for a long concat
	stop := 0
	for i, a := range op.Args {
		q := l.perm[a]
		if q == nil || l.konst.has(a) || !first[i] {
			continue
		}
		if !trivialPerm(l.baseShape(a), q) {
			stop++
		}
		if a.Type.Rank() == rank && !slices.ContainsFunc(cands, func(c []int) bool { return slices.Equal(c, q) }) {
			cands = append(cands, q)
		}
	}
	var best []int
	bestCost := -1
	for _, q := range cands {
		cost := 0
		for j, o := range op.Args {
			if !first[j] || (o.Type.Rank() == rank && slices.Equal(l.perm[o], q)) {
				continue
			}
			if !l.konst.has(o) && !l.cheapOperand(o, q, rank) {
				cost++
			}
		}
		if bestCost < 0 || cost < bestCost {
			best, bestCost = q, cost
		}
	}
	if bestCost < 0 || (bestCost > 0 && bestCost >= stop) {
		return nil
	}
	return best
}

// firstSlots reports, for each operand slot, whether it is the first to
// hold its value.
func firstSlots(args []*ir.Value) []bool {
	first := make([]bool, len(args))
	if len(args) <= 8 {
		for i, a := range args {
			first[i] = !slices.Contains(args[:i], a)
		}
		return first
	}
	seen := make(map[*ir.Value]bool, len(args))
	for i, a := range args {
		first[i] = !seen[a]
		seen[a] = true
	}
	return first
}

// baseShape is the shape of a value's base before rewriting: v's shape
// with the token undone.
func (l *layout) baseShape(v *ir.Value) []int {
	q := l.perm[v]
	s := v.Type.Shape
	if q == nil {
		return s
	}
	b := make([]int, len(s))
	for i, d := range s {
		b[q[i]] = d
	}
	return b
}

// cheapOperand reports whether operand o (rank ≤ rank) can be brought
// into the layout of token p by a reshape alone.
func (l *layout) cheapOperand(o *ir.Value, p []int, rank int) bool {
	ext, c := operandPerm(l.baseShape(o), l.perm[o], p, rank)
	return trivialPerm(ext, c)
}

// Sweep 3, backward: an op that took the token of a single operand, and
// whose result's token is only materialised again, goes back to its
// original layout.
func (l *layout) retract() {
	ops := l.f.Ops
	for i := len(ops) - 1; i >= 0; i-- {
		op := ops[i]
		a := l.plan[op]
		if a == nil || !a.single {
			continue
		}
		useful := false
		for _, r := range op.Results {
			if l.perm[r] == nil {
				useful = true // the token vanished here
			}
			for _, u := range l.uses.Of(r) {
				if u.Opcode == ir.OpTranspose || (l.plan[u] != nil && !l.plan[u].retracted) {
					useful = true
				}
			}
		}
		if !useful {
			a.retracted = true
			for _, r := range op.Results {
				delete(l.perm, r)
			}
		}
	}
}

// Sweep 4, forward: rewrite, materialising transposes before the ops that
// need them, rebuilding f.Ops in order.
func (l *layout) rewrite() error {
	old := l.f.Ops
	l.f.Ops = make([]*ir.Op, 0, len(old)+len(old)/8)
	for _, op := range old {
		a := l.plan[op]
		switch {
		case op.Opcode == ir.OpTranspose:
			x, v := op.Args[0], op.Results[0]
			b := l.baseOf(x)
			if l.perm[v] == nil {
				l.base[v] = b
				l.changed = true
				continue // cancelled
			}
			if b != x || !slices.Equal(op.Ints("perm"), l.perm[v]) {
				op.Args[0] = b
				op.Attrs.Set("perm", slices.Clone(l.perm[v]))
				l.changed = true
			}
			l.base[v] = b
			l.self[v] = true
		case a != nil && !a.retracted:
			if err := l.absorb(op, a.perm); err != nil {
				return err
			}
			l.changed = true
		default:
			for i, x := range op.Args {
				if m := l.materialize(x); m != x {
					op.Args[i] = m
					l.changed = true
				}
			}
			if layoutKindOf(op.Opcode) == kindElementwise && len(op.Args) > 1 {
				rank := op.Results[0].Type.Rank()
				for i, x := range op.Args {
					if x.Type.Rank() < rank && x.Type.Symbolic() {
						op.Args[i] = l.expandSymbolic(x, rank, op.Loc)
						l.changed = true
					} else if x.Type.Rank() < rank {
						op.Args[i] = l.reshapeTo(x, extendShape(x.Type.Shape, rank), op.Loc)
						l.changed = true
					}
				}
			}
		}
		l.f.Ops = append(l.f.Ops, op)
	}
	for i, o := range l.f.Outputs {
		if m := l.materialize(o.Value); m != o.Value {
			l.f.Outputs[i].Value = m
			l.changed = true
		}
	}
	return l.err
}

func (l *layout) baseOf(v *ir.Value) *ir.Value {
	if b, ok := l.base[v]; ok {
		return b
	}
	return v
}

// materialize returns a value equal to v in its original layout.
func (l *layout) materialize(v *ir.Value) *ir.Value {
	p := l.perm[v]
	if p == nil {
		return l.baseOf(v)
	}
	if l.self[v] {
		return v
	}
	if m, ok := l.mat[v]; ok {
		return m
	}
	m := l.permuted(l.baseOf(v), p, l.loc[v])
	l.mat[v] = m
	return m
}

// absorb rewrites op in place to work on the bases of its operands under
// token p.
func (l *layout) absorb(op *ir.Op, p []int) error {
	rank := len(p)
	switch layoutKindOf(op.Opcode) {
	case kindElementwise, kindConcat:
		for i, x := range op.Args {
			if x.Type.Rank() == rank && slices.Equal(l.perm[x], p) {
				op.Args[i] = l.baseOf(x)
			} else {
				op.Args[i] = l.operand(x, p, rank, op.Loc)
			}
		}
		if op.Opcode == ir.OpConcat {
			op.Attrs.Set("axis", p[op.Int("axis")])
		}
	case kindReshape:
		op.Args[0] = l.baseOf(op.Args[0])
	case kindAxes:
		op.Args[0] = l.baseOf(op.Args[0])
		permuteAxisAttrs(op, p)
	}
	types, err := ir.InferTypes(op)
	if err != nil {
		return fmt.Errorf("layout: rewriting %s loc(%q): %v", op.Opcode, op.Loc, err)
	}
	for i, t := range types {
		op.Results[i].Type = t
	}
	return nil
}

// operand returns other operand x of an op taking token p, in the op's
// new layout: x brought to rank (leading 1s) and transposed by p⁻¹. New
// ops are located at x's token's origin, or else at the op (loc).
func (l *layout) operand(x *ir.Value, p []int, rank int, loc string) *ir.Value {
	b := l.baseOf(x)
	if l.perm[x] != nil {
		loc = l.loc[x]
	}
	ext, c := operandPerm(b.Type.Shape, l.perm[x], p, rank)
	return l.permuted(l.reshapeTo(b, ext, loc), c, loc)
}

// permuted returns transpose(v, p): v itself for the identity, a reshape
// if p moves size-1 dimensions only, a new constant if v is one, else a
// transpose op located at loc.
func (l *layout) permuted(v *ir.Value, p []int, loc string) *ir.Value {
	if isIdentity(p) {
		return v
	}
	s := v.Type.Shape
	out := make([]int, len(p))
	for i, a := range p {
		out[i] = s[a]
	}
	if trivialPerm(s, p) {
		return l.reshapeTo(v, out, loc)
	}
	key := l.key(v, "t", p)
	if r, ok := l.cache[key]; ok {
		return r
	}
	var r *ir.Value
	if t := l.constData(v); t != nil {
		if pt, err := transposeTensor(t, p); err == nil {
			r = l.f.Const(pt, v.Op.Loc)
		}
	}
	if r == nil {
		r = l.emit(ir.OpTranspose, v, ir.Attrs{"perm": slices.Clone(p)}, loc)
	}
	l.cache[key] = r
	return r
}

// expandSymbolic returns v, of a symbolic type, with leading dimensions
// of 1 up to rank: a dynamic_reshape to concat([1, ...], shape(v)).
func (l *layout) expandSymbolic(v *ir.Value, rank int, loc string) *ir.Value {
	key := l.key(v, "x", []int{rank})
	if r, ok := l.cache[key]; ok {
		return r
	}
	ones := make([]int64, rank-v.Type.Rank())
	for i := range ones {
		ones[i] = 1
	}
	s := l.emit(ir.OpShape, v, ir.Attrs{"dtype": tensor.Int64}, loc)
	lead := l.f.Const(tensor.FromI64(tensor.Shape{len(ones)}, ones), loc)
	target, err := l.f.Emit(ir.OpConcat, []*ir.Value{lead, s}, ir.Attrs{"axis": 0}, loc)
	var r *ir.Value
	if err == nil {
		r, err = l.f.Emit(ir.OpDynamicReshape, []*ir.Value{v, target}, nil, loc)
	}
	if err != nil {
		if l.err == nil {
			l.err = fmt.Errorf("layout: %v", err)
		}
		return v
	}
	l.cache[key] = r
	return r
}

// reshapeTo returns v with shape s: v itself, a new constant if v is one
// (at the constant's loc), else a reshape op located at loc.
func (l *layout) reshapeTo(v *ir.Value, s []int, loc string) *ir.Value {
	if slices.Equal(v.Type.Shape, s) {
		return v
	}
	// A value read once (a bias constant) is reshaped for that one read:
	// no other request can find it in the cache.
	once := len(l.uses.Of(v)) == 1
	key := ""
	if !once {
		key = l.key(v, "r", s)
		if r, ok := l.cache[key]; ok {
			return r
		}
	}
	var r *ir.Value
	if t := l.constData(v); t != nil {
		c := t.Clone() // not shared: fuse-bn and fold write sole constants in place
		c.Shape = slices.Clone(s)
		r = l.f.Const(c, v.Op.Loc)
	} else {
		r = l.emit(ir.OpReshape, v, ir.Attrs{"shape": slices.Clone(s)}, loc)
	}
	if !once {
		l.cache[key] = r
	}
	return r
}

// Sweep 5, backward: hoist transposes left at the end of chains of
// single-operand ops up above the chains (see runLayout). It reports
// whether anything moved; new transposes are appended, for TopoSort.
func (l *layout) hoist() (bool, error) {
	f := l.f
	// Start afresh: after the rewrite every value is in its own layout.
	l.perm = map[*ir.Value][]int{}
	l.base = map[*ir.Value]*ir.Value{}
	l.konst = newValueSet(f)
	l.constants()
	uses := f.Uses()
	outputs := outputSet(f)
	done := map[*ir.Op]bool{}
	repl := map[*ir.Value]*ir.Value{} // the hoisted transposes by the chains' ends
	hoisted := false
	for i := len(f.Ops) - 1; i >= 0; i-- {
		t := f.Ops[i]
		if t.Opcode != ir.OpTranspose || done[t] {
			continue
		}
		x, p := t.Args[0], t.Ints("perm")
		if outputs[x] || l.chainOperand(x.Op) == nil {
			continue
		}
		// Every use of x is a transpose by p whose results feed only ops
		// that take no token.
		ok := true
		for _, u := range uses.Of(x) {
			if u.Opcode != ir.OpTranspose || !slices.Equal(u.Ints("perm"), p) {
				ok = false
				break
			}
			for _, w := range uses.Of(u.Results[0]) {
				if w.Opcode == ir.OpTranspose || layoutKindOf(w.Opcode) != kindStop {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		// The chain: x's op, then up while the operand is used only there.
		chain := []*ir.Op{x.Op}
		for {
			y := l.chainOperand(chain[len(chain)-1])
			if outputs[y] || len(uses.Of(y)) != 1 || l.chainOperand(y.Op) == nil {
				break
			}
			chain = append(chain, y.Op)
		}
		top := chain[len(chain)-1]
		y := l.chainOperand(top)
		inv := invert(p)
		l.perm[y] = inv
		l.base[y] = l.emit(ir.OpTranspose, y, ir.Attrs{"perm": slices.Clone(p)}, t.Loc)
		for k := len(chain) - 1; k >= 0; k-- {
			c := chain[k]
			if err := l.absorb(c, inv); err != nil {
				return false, err
			}
			l.perm[c.Results[0]] = inv
		}
		for _, u := range uses.Of(x) {
			done[u] = true
			repl[u.Results[0]] = x
		}
		hoisted = true
	}
	f.ReplaceValues(repl)
	if hoisted {
		l.changed = true
	}
	return hoisted, l.err
}

// chainOperand returns the operand a hoistable op carries through: the
// only operand of a pad, or the only non-constant operand of an
// elementwise op of its rank; nil for other ops.
func (l *layout) chainOperand(op *ir.Op) *ir.Value {
	if op.Opcode == ir.OpPad {
		return op.Args[0]
	}
	if layoutKindOf(op.Opcode) != kindElementwise || l.konst.has(op.Results[0]) {
		return nil
	}
	var y *ir.Value
	for _, a := range op.Args {
		if l.konst.has(a) {
			continue
		}
		if y != nil || a.Type.Rank() != op.Results[0].Type.Rank() {
			return nil
		}
		y = a
	}
	return y
}
