package tf

import (
	"fmt"
	"slices"
	"sort"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TF1 conditionals whose predicate is computed at run time (tf.cond in a
// TF1 graph, and a TF2 If that freezing lowers) become the IR's if. Such
// a conditional is a Switch(x, pred) per value entering it (output 1 the
// true side, output 0 the false side), the branches' nodes, and a Merge
// per value leaving it, of the two branches' results.
//
// Before translation, condGuards marks each node with the switch sides it
// depends on through data edges ("guards": pred, side), a Merge removing
// the predicate it closes. During translation, a Switch whose predicate
// turns out constant folds (ops_cond.go); one whose predicate is computed
// at run time is recorded, and every node guarded by it is deferred: not
// translated in place. A Merge that closes such a predicate, and is
// guarded by no other run-time one, becomes an if: the nodes between the
// predicate's Switches and the Merge's inputs (deferred nodes, nested
// conditionals included) are imported as the then and else regions, the
// Switches' true and false sides and any outside value a branch reads as
// the if's operands. Its result is the Merge's value, and value_index is
// select(pred, index of the true input, index of the false input). The
// Merges closing one predicate become one if with a result each (a Merge
// whose branches read an outside value not translated yet gets its own).
//
// A node that only a control edge ties to a branch is computed outside
// it, but for a Const not translated yet, which is copied into the
// region; a predicate is identified through
// Identity nodes (TF's pred_id). A value of a branch read outside but
// through its Merge is an error naming the node. A TF1 loop in a branch
// goes into the region as the nodes of its frame (its Exits reading their
// Switches again), to be reconstructed there.

// guard is one side of a switch on a predicate.
type guard struct {
	pred tensorRef // the predicate, through Identity nodes
	side int       // 1: true, 0: false
}

// condState is the state of TF1 conditionals of one import.
type condState struct {
	guards  map[string][]guard // per node (a Switch: those of its inputs)
	closes  map[string]tensorRef
	runtime map[tensorRef]bool // predicates found to be computed at run time
	visit   map[string]int
}

// predRef returns the predicate r names, through Identity nodes.
func (c *ctx) predRef(r tensorRef) tensorRef {
	for range 64 {
		n := c.node(r.node)
		if n == nil || n.op != "Identity" || len(n.inputs) != 1 {
			break
		}
		r = n.inputs[0]
	}
	return r
}

// refGuards returns the guards of tensor r.
func (c *ctx) refGuards(r tensorRef) []guard {
	n := c.node(r.node)
	g := c.nodeGuards(n)
	if n.op == "Switch" && len(n.inputs) == 2 && c.inLoop[n.name] == nil && r.index <= 1 {
		g = unionGuards(g, []guard{{pred: c.predRef(n.inputs[1]), side: r.index}})
	}
	return g
}

// nodeGuards computes (and memoizes) the guards of node n.
func (c *ctx) nodeGuards(n *node) []guard {
	cs := c.cond
	if g, ok := cs.guards[n.name]; ok {
		return g
	}
	if cs.visit[n.name] == 1 {
		return nil // a cycle (a malformed graph, refused later)
	}
	cs.visit[n.name] = 1
	var g []guard
	for _, r := range n.inputs {
		g = unionGuards(g, c.refGuards(r))
	}
	if n.op == "Merge" && len(g) > 0 {
		if p, ok := closedPred(c, n); ok {
			cs.closes[n.name] = p
			var kept []guard
			for _, x := range g {
				if x.pred != p {
					kept = append(kept, x)
				}
			}
			g = kept
		}
	}
	cs.guards[n.name] = g
	cs.visit[n.name] = 2
	return g
}

// closedPred finds the predicate a Merge closes: one of its inputs'
// guards with sides that differ between its inputs, or that some input
// lacks (the innermost: the last such in the inputs' guard order).
func closedPred(c *ctx, m *node) (tensorRef, bool) {
	per := make([]map[tensorRef]int, len(m.inputs))
	for i, r := range m.inputs {
		per[i] = map[tensorRef]int{}
		for _, x := range c.refGuards(r) {
			per[i][x.pred] |= 1 << x.side
		}
	}
	var cands []tensorRef
	seen := map[tensorRef]bool{}
	for i := range per {
		for p := range per[i] {
			if seen[p] {
				continue
			}
			seen[p] = true
			same := true
			for j := range per {
				if per[j][p] != per[i][p] {
					same = false
				}
			}
			if !same {
				cands = append(cands, p)
			}
		}
	}
	if len(cands) == 0 {
		return tensorRef{}, false
	}
	// Of several (a Merge of two nested conditionals' values), the one
	// whose Switches are deepest: the candidate guarding the most.
	sort.Slice(cands, func(i, j int) bool { return cands[i].String() < cands[j].String() })
	best, depth := cands[0], -1
	for _, p := range cands {
		d := len(c.refGuards(p))
		if d > depth {
			best, depth = p, d
		}
	}
	return best, true
}

func unionGuards(a, b []guard) []guard {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	m := map[guard]bool{}
	for _, x := range a {
		m[x] = true
	}
	out := append([]guard(nil), a...)
	for _, x := range b {
		if !m[x] {
			m[x] = true
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].pred != out[j].pred {
			return out[i].pred.String() < out[j].pred.String()
		}
		return out[i].side < out[j].side
	})
	return out
}

// condGuards computes the guards of the nodes to translate. Guards come
// only from Switch nodes: in a graph without one every guard is empty,
// and none is computed (a million-node graph builds no table).
func (c *ctx) condGuards(order []*node) {
	c.cond = &condState{guards: map[string][]guard{}, closes: map[string]tensorRef{}, runtime: map[tensorRef]bool{}, visit: map[string]int{}}
	if !slices.ContainsFunc(c.order, func(n *node) bool { return n.op == "Switch" }) {
		return
	}
	for _, n := range order {
		c.nodeGuards(n)
	}
}

// deferred reports whether n is in a branch of a conditional whose
// predicate is computed at run time (and so translated in its if).
func (c *ctx) deferred(n *node) bool {
	if c.cond == nil {
		return false
	}
	for _, x := range c.cond.guards[n.name] {
		if c.cond.runtime[x.pred] {
			return true
		}
	}
	return false
}

// runtimeMerge translates Merge m that closes a predicate computed at run
// time, with the other Merges closing it that can be translated now (all
// the outside values their branches read are translated), into one if
// (see the comment at the top).
func (c *ctx) runtimeMerge(m *node) error {
	if m.bound {
		return nil // translated with another Merge of its conditional
	}
	p := c.cond.closes[m.name]
	pv, err := c.value(p)
	if err != nil {
		return m.errorf("predicate %s: %v", p, err)
	}
	pred, err := c.toBool(m, pv)
	if err != nil {
		return err
	}
	group := []*node{m}
	for _, o := range c.order {
		if o != m && o.op == "Merge" && c.cond.closes[o.name] == p && !c.deferred(o) && !c.isDead(o) &&
			o.vals == nil && len(o.inputs) == 2 && c.branchReady(o, p) {
			group = append(group, o)
		}
	}
	b := &branches{c: c, m: m, p: p, argOf: map[string]int{}, loopNode: map[string]bool{}, exitIn: map[string][]tensorRef{}}
	for s := range b.included {
		b.included[s] = map[string]bool{}
	}
	sides := make([][]int, len(group))
	for k, g := range group {
		if sides[k], err = b.add(g); err != nil {
			return err
		}
	}
	consts := make([]*tensor.Tensor, len(b.args))
	for i := range b.args {
		consts[i] = c.constOperand(m, &b.args[i])
	}
	if err := c.checkArgsReady(m, b.args); err != nil {
		return err
	}
	var outNames []string
	for _, g := range group {
		outNames = append(outNames, g.name)
	}
	var regions [2]*ir.Func
	for s, kind := range []string{"else", "then"} {
		nodes := b.nodeDefs(s)
		r, err := c.importRegion(m, kind, b.phNames, b.args, consts, nodes, b.outs[s], outNames)
		if err != nil {
			return err
		}
		regions[s] = r
	}
	for k, g := range group {
		if a, e := regions[1].Outputs[k].Value.Type, regions[0].Outputs[k].Value.Type; !a.Equal(e) {
			return g.errorf("the branches of the conditional on %s yield %v (true) and %v (false): tfc's if needs one static type", p, a, e)
		}
	}
	op, err := c.f.NewRegionOp(ir.OpIf, append([]*ir.Value{pred}, b.args...), []*ir.Func{regions[1], regions[0]}, m.name)
	if err != nil {
		return m.errorf("%v", err)
	}
	for k, g := range group {
		e := c.emitter(g, tensor.Int32)
		idx := e.sel(pred, e.k(float64(indexOfSide(sides[k], 1))), e.k(float64(indexOfSide(sides[k], 0))))
		if e.err != nil {
			return e.err
		}
		if err := c.bind(g, op.Results[k], idx); err != nil {
			return err
		}
	}
	return nil
}

// branches collects the two regions of a run-time conditional on p.
type branches struct {
	c        *ctx
	m        *node // the Merge the if is named after
	p        tensorRef
	args     []*ir.Value
	phNames  []string
	argOf    map[string]int
	included [2]map[string]bool
	outs     [2][]string
	cone     map[string]bool // constCone's answers
	// loopNode holds the nodes of the TF1 loops in the branches, exitIn
	// their Exits' inputs (controlflow_v1.go rewrote them).
	loopNode map[string]bool
	exitIn   map[string][]tensorRef
}

// isEntry reports whether n is a Switch on the conditional's predicate.
func (b *branches) isEntry(n *node) bool {
	return n.op == "Switch" && b.c.inLoop[n.name] == nil && len(n.inputs) == 2 && b.c.predRef(n.inputs[1]) == b.p
}

// sidesOf returns the side of each of Merge g's inputs.
func (b *branches) sidesOf(g *node) ([]int, error) {
	side := make([]int, 2)
	for i, r := range g.inputs {
		side[i] = -1
		for _, x := range b.c.refGuards(r) {
			if x.pred == b.p {
				side[i] = x.side
			}
		}
	}
	switch {
	case side[0] == side[1] && side[0] >= 0:
		return nil, g.errorf("both inputs are on the %s side of the conditional on %s", sideName(side[0]), b.p)
	case side[0] < 0 && side[1] < 0:
		return nil, g.errorf("no input depends on the conditional on %s", b.p)
	case side[0] < 0:
		side[0] = 1 - side[1]
	case side[1] < 0:
		side[1] = 1 - side[0]
	}
	return side, nil
}

// ref returns the name inside side s's region of tensor r, which is not
// a node of the region: a placeholder for a Switch's side or an outside
// value, made an operand on first use.
func (b *branches) ref(g *node, s int, r tensorRef) (string, error) {
	c := b.c
	n := c.node(r.node)
	var name string
	var v *ir.Value
	var err error
	if b.isEntry(n) {
		if r.index != s {
			return "", g.errorf("the %s branch reads %s, the %s side of Switch %q", sideName(s), r, sideName(r.index), n.name)
		}
		name = fmt.Sprintf("%s/_switch/%s", b.m.name, n.name)
		if _, ok := b.argOf[name]; !ok {
			v, err = c.input(n, 0)
		}
	} else {
		name = fmt.Sprintf("%s/_outer/%s/%d", b.m.name, r.node, r.index)
		if _, ok := b.argOf[name]; !ok {
			if v, err = c.value(r); err != nil {
				err = g.errorf("the %s branch reads %s: %v", sideName(s), r, err)
			}
		}
	}
	if err != nil {
		return "", err
	}
	if v != nil {
		b.argOf[name] = len(b.args)
		b.args = append(b.args, v)
		b.phNames = append(b.phNames, name)
	}
	return name + ":0", nil
}

// inBranch reports whether the node of r is computed in the branch: a
// deferred node other than the conditional's own Switches, or a constant
// computation not translated yet (a branch's constants, which only
// control edges tie to it).
func (b *branches) inBranch(r tensorRef) bool {
	n := b.c.node(r.node)
	switch {
	case b.loopNode[r.node]:
		return true
	case b.isEntry(n):
		return false
	case b.c.deferred(n):
		return true
	}
	if b.cone == nil {
		b.cone = map[string]bool{}
	}
	return b.c.constCone(n, b.cone)
}

// constCone reports whether n, not translated yet, computes from Const
// nodes only (memo: the answers so far; a node being visited is false).
func (c *ctx) constCone(n *node, memo map[string]bool) bool {
	if v, ok := memo[n.name]; ok {
		return v
	}
	memo[n.name] = false
	if n.bound || n.loop != nil || c.random[n.name] != nil {
		return false
	}
	if len(n.inputs) == 0 {
		memo[n.name] = n.op == "Const"
		return memo[n.name]
	}
	for _, r := range n.inputs {
		if c.cuts[r] != nil || !c.constCone(c.node(r.node), memo) {
			return false
		}
	}
	memo[n.name] = true
	return true
}

// add adds Merge g's inputs to the regions and returns their sides.
func (b *branches) add(g *node) ([]int, error) {
	side, err := b.sidesOf(g)
	if err != nil {
		return nil, err
	}
	for i, r := range g.inputs {
		s := side[i]
		if !b.inBranch(r) {
			name, err := b.ref(g, s, r)
			if err != nil {
				return nil, err
			}
			b.outs[s] = append(b.outs[s], name)
			continue
		}
		var visit func(name string) error
		visit = func(name string) error {
			if b.included[s][name] {
				return nil
			}
			b.included[s][name] = true
			n := b.c.node(name)
			if n.loop != nil {
				// A TF1 loop in the branch: its frame's nodes go into
				// the region, where it is reconstructed again.
				names, exitIn := n.loop.nodes()
				for _, m := range names {
					b.included[s][m] = true
					b.loopNode[m] = true
				}
				for x, in := range exitIn {
					b.exitIn[x] = in
				}
			}
			for _, r := range n.inputs {
				if b.inBranch(r) {
					if err := visit(r.node); err != nil {
						return err
					}
				} else if _, err := b.ref(g, s, r); err != nil {
					return err
				}
			}
			return nil
		}
		if err := visit(r.node); err != nil {
			return nil, err
		}
		b.outs[s] = append(b.outs[s], r.String())
	}
	return side, nil
}

// branchReady reports whether every outside value that Merge g's
// branches read is translated.
func (c *ctx) branchReady(g *node, p tensorRef) bool {
	b := &branches{c: c, p: p}
	seen := map[string]bool{}
	var ok func(r tensorRef) bool
	ok = func(r tensorRef) bool {
		n := c.node(r.node)
		switch {
		case b.isEntry(n):
			return n.bound
		case !b.inBranch(r):
			return c.translated(r.node)
		case seen[r.node]:
			return true
		}
		seen[r.node] = true
		for _, in := range n.inputs {
			if !ok(in) {
				return false
			}
		}
		return true
	}
	for _, r := range g.inputs {
		if !ok(r) {
			return false
		}
	}
	return true
}

// nodeDefs returns the NodeDefs of side s's region, their inputs from
// outside it renamed to their placeholders.
func (b *branches) nodeDefs(s int) []*tfpb.NodeDef {
	names := make([]string, 0, len(b.included[s]))
	for name := range b.included[s] {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []*tfpb.NodeDef
	for _, name := range names {
		src := b.c.node(name)
		if src.loop != nil {
			continue // the loop's own nodes are there instead
		}
		nd := &tfpb.NodeDef{Name: name, Op: src.op, Attr: src.def().GetAttr(), Device: src.def().GetDevice()}
		inputs := src.inputs
		if in, ok := b.exitIn[name]; ok {
			inputs = in
		}
		for _, r := range inputs {
			if b.inBranch(r) {
				nd.Input = append(nd.Input, r.String())
			} else {
				ref, _ := b.ref(b.m, s, r) // made an operand by add
				nd.Input = append(nd.Input, ref)
			}
		}
		out = append(out, nd)
	}
	return out
}

func indexOfSide(side []int, s int) int {
	for i, x := range side {
		if x == s {
			return i
		}
	}
	return 0
}

func sideName(s int) string {
	if s == 1 {
		return "true"
	}
	return "false"
}

// importRegion imports nodes (whose inputs name the placeholders phNames
// standing for args, or each other) as a region named kind yielding outs.
func (c *ctx) importRegion(n *node, kind string, phNames []string, args []*ir.Value, consts []*tensor.Tensor, nodes []*tfpb.NodeDef, outs, outNames []string) (*ir.Func, error) {
	if c.depth >= maxFunctionDepth {
		return nil, n.errorf("control flow nested more than %d deep", maxFunctionDepth)
	}
	gd := &tfpb.GraphDef{Library: c.libDef}
	shapes := map[string]tensor.Shape{}
	weights := map[string]*tensor.Tensor{}
	argNode := map[string]int{}
	var pend map[string]*pendingArray
	for i, name := range phNames {
		nd := &tfpb.NodeDef{Name: name, Op: "Placeholder", Attr: map[string]*tfpb.AttrValue{}}
		if consts[i] != nil {
			nd.Op = "Const"
			weights[name] = consts[i]
		} else {
			dt, err := protoDType(args[i].Type.DType)
			if err != nil {
				return nil, n.errorf("%s: operand %d: %v", kind, i, err)
			}
			nd.Attr["dtype"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: dt}}
			shapes[name] = args[i].Type.Shape
		}
		if p := c.pending[args[i]]; p != nil {
			if pend == nil {
				pend = map[string]*pendingArray{}
			}
			pend[name] = p
		}
		gd.Node = append(gd.Node, nd)
		argNode[name+":0"] = i
	}
	gd.Node = append(gd.Node, nodes...)
	opts := c.opts
	opts.Name = kind
	opts.InputShapes = shapes
	opts.Symbolic = false
	opts.ReleaseConsts = false
	opts.Outputs = outs
	opts.pendingInputs = pend
	opts.Weights = chainWeights(weights, c.opts.Weights)
	f, err := importGraph(gd, opts, c.lib, c.libDef, c.depth+1)
	if err != nil {
		return nil, n.errorf("%s: %v", kind, err)
	}
	return regionFunc(kind, f, phNames, args, argNode, outNames, func(name string) error {
		if _, ok := argNode[name]; !ok {
			return n.errorf("%s: unexpected input %q", kind, name)
		}
		return nil
	})
}
