package tf

import (
	"fmt"
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
// select(pred, index of the true input, index of the false input). One if
// is built per Merge: a conditional with several results computes its
// branches once per result.
//
// A node that only a control edge ties to a branch (a constant of the
// branch) is computed outside it; a predicate is identified through
// Identity nodes (TF's pred_id). A value of a branch read outside but
// through its Merge is an error naming the node.

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
		n := c.nodes[r.node]
		if n == nil || n.op != "Identity" || len(n.inputs) != 1 {
			break
		}
		r = n.inputs[0]
	}
	return r
}

// refGuards returns the guards of tensor r.
func (c *ctx) refGuards(r tensorRef) []guard {
	n := c.nodes[r.node]
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

// condGuards computes the guards of the nodes to translate.
func (c *ctx) condGuards(order []*node) {
	c.cond = &condState{guards: map[string][]guard{}, closes: map[string]tensorRef{}, runtime: map[tensorRef]bool{}, visit: map[string]int{}}
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
// time into an if (see the comment at the top).
func (c *ctx) runtimeMerge(m *node) error {
	p := c.cond.closes[m.name]
	pv, err := c.value(p)
	if err != nil {
		return m.errorf("predicate %s: %v", p, err)
	}
	pred, err := c.toBool(m, pv)
	if err != nil {
		return err
	}
	if len(m.inputs) != 2 {
		return m.errorf("a Merge of a conditional has %d inputs, want 2", len(m.inputs))
	}
	side := make([]int, 2) // side of each input
	for i, r := range m.inputs {
		side[i] = -1
		for _, x := range c.refGuards(r) {
			if x.pred == p {
				side[i] = x.side
			}
		}
	}
	switch {
	case side[0] == side[1] && side[0] >= 0:
		return m.errorf("both inputs are on the %s side of the conditional on %s", sideName(side[0]), p)
	case side[0] < 0 && side[1] < 0:
		return m.errorf("no input depends on the conditional on %s", p)
	case side[0] < 0:
		side[0] = 1 - side[1]
	case side[1] < 0:
		side[1] = 1 - side[0]
	}
	// The operands: the Switches' data inputs and the outside values the
	// branches read, in order of first use.
	var args []*ir.Value
	var phNames []string
	argOf := map[string]int{} // placeholder name → operand
	var nodes [2][]*tfpb.NodeDef
	var outs [2]string
	for i, r := range m.inputs {
		s := side[i]
		included := map[string]bool{}
		var order []string
		var walkErr error
		ref := func(r tensorRef) string {
			// the name of r inside the region
			n := c.nodes[r.node]
			if n.op == "Switch" && c.inLoop[n.name] == nil && len(n.inputs) == 2 && c.predRef(n.inputs[1]) == p {
				if r.index != s {
					walkErr = m.errorf("the %s branch reads %s, the %s side of Switch %q", sideName(s), r, sideName(r.index), n.name)
				}
				name := fmt.Sprintf("%s/_switch/%s", m.name, n.name)
				if _, ok := argOf[name]; !ok {
					v, err := c.input(n, 0)
					if err != nil {
						walkErr = err
						return name
					}
					argOf[name] = len(args)
					args = append(args, v)
					phNames = append(phNames, name)
				}
				return name
			}
			name := fmt.Sprintf("%s/_outer/%s/%d", m.name, r.node, r.index)
			if _, ok := argOf[name]; !ok {
				v, err := c.value(r)
				if err != nil {
					walkErr = m.errorf("the %s branch reads %s: %v", sideName(s), r, err)
					return name
				}
				argOf[name] = len(args)
				args = append(args, v)
				phNames = append(phNames, name)
			}
			return name
		}
		var visit func(name string)
		visit = func(name string) {
			if included[name] {
				return
			}
			included[name] = true
			if c.nodes[name].loop != nil {
				walkErr = m.errorf("a TF1 while loop (%s) inside a TF1 conditional whose predicate is computed at run time is not supported", name)
				return
			}
			for _, r := range c.nodes[name].inputs {
				if in := c.nodes[r.node]; c.deferred(in) && !(in.op == "Switch" && c.predRef(in.inputs[1]) == p) {
					visit(r.node)
				}
			}
			order = append(order, name)
		}
		if n := c.nodes[r.node]; c.deferred(n) && !(n.op == "Switch" && c.predRef(n.inputs[1]) == p) {
			visit(r.node)
			outs[s] = fmt.Sprintf("%s:%d", r.node, r.index)
		} else {
			outs[s] = ref(r) + ":0"
		}
		sort.Strings(order)
		for _, name := range order {
			src := c.nodes[name]
			nd := &tfpb.NodeDef{Name: name, Op: src.op, Attr: src.def.GetAttr(), Device: src.def.GetDevice()}
			for _, r := range src.inputs {
				if included[r.node] {
					nd.Input = append(nd.Input, r.String())
				} else {
					nd.Input = append(nd.Input, ref(r)+":0")
				}
			}
			nodes[s] = append(nodes[s], nd)
		}
		if walkErr != nil {
			return walkErr
		}
	}
	consts := make([]*tensor.Tensor, len(args))
	for i, a := range args {
		consts[i], _ = c.constValue(a)
	}
	if err := c.checkArgsReady(m, args); err != nil {
		return err
	}
	var regions [2]*ir.Func
	for s, kind := range []string{"else", "then"} {
		r, err := c.importRegion(m, kind, phNames, args, consts, nodes[s], []string{outs[s]}, []string{m.name})
		if err != nil {
			return err
		}
		regions[s] = r
	}
	if a, b := regions[1].Outputs[0].Value.Type, regions[0].Outputs[0].Value.Type; !a.Equal(b) {
		return m.errorf("the branches of the conditional on %s yield %v (true) and %v (false): tfc's if needs one static type", p, a, b)
	}
	op, err := c.f.NewRegionOp(ir.OpIf, append([]*ir.Value{pred}, args...), []*ir.Func{regions[1], regions[0]}, m.name)
	if err != nil {
		return m.errorf("%v", err)
	}
	e := c.emitter(m, tensor.Int32)
	idx := e.sel(pred, e.k(float64(indexOfSide(side, 1))), e.k(float64(indexOfSide(side, 0))))
	if e.err != nil {
		return e.err
	}
	return c.bind(m, op.Results[0], idx)
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
	outer := c.opts.Weights
	opts.Weights = func(name string) (*tensor.Tensor, error) {
		if t, ok := weights[name]; ok {
			return t, nil
		}
		if outer != nil {
			return outer(name)
		}
		return nil, nil
	}
	f, err := importGraph(gd, opts, c.lib, c.libDef, c.depth+1)
	if err != nil {
		return nil, n.errorf("%s: %v", kind, err)
	}
	r := ir.NewFunc(kind)
	m := make(map[*ir.Value]*ir.Value, len(f.Ops))
	ins := make([]*ir.Value, len(args))
	for i := range args {
		ins[i] = r.Input(phNames[i], args[i].Type)
	}
	for _, op := range f.Ops {
		if op.Opcode == ir.OpInput {
			i, ok := argNode[op.Str("name")]
			if !ok {
				return nil, n.errorf("%s: unexpected input %q", kind, op.Str("name"))
			}
			m[op.Results[0]] = ins[i]
			continue
		}
		r.AppendCopy(op, m)
	}
	for j, o := range f.Outputs {
		r.AddOutput(outNames[j], m[o.Value])
	}
	return r, nil
}
