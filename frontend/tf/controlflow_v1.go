package tf

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TF1 while loops. tf.compat.v1.while_loop in a graph with control flow
// v1 (and a TF2 While that freezing lowers) is a frame of dataflow ops,
// one frame per loop, named by its Enters' frame_name:
//
//	Enter(x) → Merge(Enter, NextIteration) → Switch(Merge, LoopCond)
//	   Switch:0 → Exit (the value after the loop)
//	   Switch:1 → the body → NextIteration (the value of the next iteration)
//	LoopCond(cond computed from the Merges)
//
// and an Enter with is_constant set for each loop invariant (a value the
// body or cond reads from outside). Before anything is translated, each
// outermost frame is reconstructed into one node standing for the loop
// (tf1WhileOp): its inputs are the loop variables' Enter inputs, then the
// invariants'; its outputs are read by the Exits, which become identities.
// Translating that node builds the IR while as TF2's While is built
// (ops_control.go): a GraphDef of the frame's cond (the nodes LoopCond
// depends on, the Merges and invariant Enters replaced by placeholders)
// and one of its body (the nodes the NextIterations depend on, the
// Switches' true sides and invariant Enters replaced by placeholders) are
// imported as regions. A frame nested in the body (a loop in a loop) is
// part of the body's GraphDef and is reconstructed when that is imported.
// The invariants are carried values the body yields unchanged
// (ir.LoopInvariant); a constant invariant is a constant inside too.
// parallel_iterations does not change the values a loop computes; the
// Enters of a frame must agree on it.
//
// A frame that is not this shape (an Enter feeding anything but one
// Merge, a Merge without its NextIteration, Switches of different
// LoopConds, a node outside the loop reading one inside other than
// through an Exit, a node inside it reading an outside value without an
// Enter) is an error naming the frame and the node.

// tf1WhileOp is the op of the node standing for a reconstructed TF1 loop.
const tf1WhileOp = "TF1WhileFrame"

// tf1Loop is one TF1 while loop: its frame's nodes by role.
type tf1Loop struct {
	frame    string
	vars     []tf1Var
	invs     []*node // is_constant Enters
	loopCond *node
	// members are the nodes computing the cond and the body (nested
	// frames included), not the boundary nodes of vars and invs.
	members map[string]bool
}

// tf1Var is one loop variable.
type tf1Var struct {
	enter, merge, sw, next *node
	exit                   *node       // nil when nothing reads the value after the loop
	exitIn                 []tensorRef // the Exit's inputs before installLoop
}

// isOp reports whether n is op. The Ref forms (RefEnter, ...: loops over
// TF1 reference variables) are not translated: such a frame stays a cycle,
// refused naming its frame (controlflow.go).
func isOp(n *node, op string) bool { return n.op == op }

// frameError is an error about a TF1 loop, naming its frame.
func frameError(frame, format string, args ...any) error {
	return fmt.Errorf("TF1 while loop (frame %q): %s", frame, fmt.Sprintf(format, args...))
}

// functionalizeLoops reconstructs every outermost TF1 loop of the graph
// (see the comment above).
func (c *ctx) functionalizeLoops() error {
	enters := map[string][]*node{}
	var frames []string
	for _, n := range c.order {
		if !isOp(n, "Enter") {
			continue
		}
		fr, err := n.attrString("frame_name")
		if err != nil {
			return err
		}
		if enters[fr] == nil {
			frames = append(frames, fr)
		}
		enters[fr] = append(enters[fr], n)
	}
	if len(frames) == 0 {
		return nil
	}
	cons := map[string][]*node{}
	for _, n := range c.order {
		for _, r := range n.inputs {
			cons[r.node] = append(cons[r.node], n)
		}
	}
	loops := make([]*tf1Loop, len(frames))
	for i, fr := range frames {
		l, err := c.tf1Frame(fr, enters[fr], cons)
		if err != nil {
			return err
		}
		loops[i] = l
	}
	c.inLoop = map[string]*tf1Loop{}
	for _, l := range loops {
		nested := false
		for _, o := range loops {
			if o != l && o.members[l.loopCond.name] {
				nested = true
			}
		}
		if nested {
			continue // reconstructed when the outer body is imported
		}
		if err := c.installLoop(l, cons); err != nil {
			return err
		}
	}
	return nil
}

// tf1Frame finds the structure of the loop of frame fr.
func (c *ctx) tf1Frame(fr string, enters []*node, cons map[string][]*node) (*tf1Loop, error) {
	l := &tf1Loop{frame: fr}
	errf := func(format string, args ...any) error { return frameError(fr, format, args...) }
	pi := -1
	for _, e := range enters {
		p, err := e.attrIntOr("parallel_iterations", 10)
		if err != nil {
			return nil, err
		}
		if pi >= 0 && p != pi {
			return nil, errf("Enter %q has parallel_iterations %d, another Enter of the frame %d", e.name, p, pi)
		}
		pi = p
		if len(e.inputs) != 1 {
			return nil, errf("Enter %q has %d data inputs, want 1", e.name, len(e.inputs))
		}
		isConst, err := e.attrBoolOr("is_constant", false)
		if err != nil {
			return nil, err
		}
		if isConst {
			l.invs = append(l.invs, e)
			continue
		}
		v := tf1Var{enter: e}
		for _, m := range cons[e.name] {
			if !isOp(m, "Merge") {
				return nil, errf("Enter %q of a loop variable feeds %q (%s), want only a Merge", e.name, m.name, m.op)
			}
			if v.merge != nil && v.merge != m {
				return nil, errf("Enter %q feeds two Merges, %q and %q", e.name, v.merge.name, m.name)
			}
			v.merge = m
		}
		if v.merge == nil {
			return nil, errf("Enter %q of a loop variable feeds no Merge", e.name)
		}
		if len(v.merge.inputs) != 2 {
			return nil, errf("Merge %q has %d data inputs, want the Enter and a NextIteration", v.merge.name, len(v.merge.inputs))
		}
		for _, r := range v.merge.inputs {
			if r.node == e.name {
				continue
			}
			nx := c.node(r.node)
			if !isOp(nx, "NextIteration") {
				return nil, errf("Merge %q: input %s is %s, want a NextIteration", v.merge.name, r, nx.op)
			}
			v.next = nx
		}
		if v.next == nil {
			return nil, errf("Merge %q has no NextIteration input", v.merge.name)
		}
		if len(v.next.inputs) != 1 {
			return nil, errf("NextIteration %q has %d data inputs, want 1", v.next.name, len(v.next.inputs))
		}
		for _, s := range cons[v.merge.name] {
			if isOp(s, "Switch") {
				if v.sw != nil {
					return nil, errf("Merge %q feeds two Switches, %q and %q", v.merge.name, v.sw.name, s.name)
				}
				v.sw = s
			}
		}
		if v.sw == nil {
			return nil, errf("Merge %q feeds no Switch", v.merge.name)
		}
		if len(v.sw.inputs) != 2 || v.sw.inputs[0] != (tensorRef{node: v.merge.name}) {
			return nil, errf("Switch %q does not switch Merge %q on a LoopCond", v.sw.name, v.merge.name)
		}
		lc := c.node(v.sw.inputs[1].node)
		if lc.op != "LoopCond" {
			return nil, errf("Switch %q: predicate %s is %s, want a LoopCond", v.sw.name, v.sw.inputs[1], lc.op)
		}
		if l.loopCond != nil && l.loopCond != lc {
			return nil, errf("Switches take two LoopConds, %q and %q", l.loopCond.name, lc.name)
		}
		l.loopCond = lc
		for _, x := range cons[v.sw.name] {
			if isOp(x, "Exit") {
				if v.exit != nil {
					return nil, errf("Switch %q feeds two Exits, %q and %q", v.sw.name, v.exit.name, x.name)
				}
				v.exit = x
			}
		}
		l.vars = append(l.vars, v)
	}
	if len(l.vars) == 0 {
		return nil, errf("has no loop variable (every Enter is is_constant)")
	}
	if len(l.loopCond.inputs) != 1 {
		return nil, errf("LoopCond %q has %d data inputs, want 1", l.loopCond.name, len(l.loopCond.inputs))
	}
	return l, c.tf1Members(l, cons)
}

// tf1Members collects the nodes of l's cond and body and checks that
// values enter the loop only through Enters and leave it only through
// Exits.
func (c *ctx) tf1Members(l *tf1Loop, cons map[string][]*node) error {
	errf := func(format string, args ...any) error { return frameError(l.frame, format, args...) }
	merges, switches, invs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, v := range l.vars {
		merges[v.merge.name] = true
		switches[v.sw.name] = true
	}
	for _, e := range l.invs {
		invs[e.name] = true
	}
	boundary := func(name string) bool { return merges[name] || switches[name] || invs[name] }
	ownExit := map[string]bool{}
	nexts := map[string]bool{}
	for _, v := range l.vars {
		if v.exit != nil {
			ownExit[v.exit.name] = true
		}
		nexts[v.next.name] = true
	}
	// The frame's nodes: what its values flow into (up to its own
	// NextIterations, LoopCond and Exits; a node computed in the body
	// and never used is in the frame too), and what those and the
	// LoopCond and NextIterations read.
	l.members = map[string]bool{}
	var stack []string
	for _, name := range sortedKeys(boundaryNames(l)) {
		for _, u := range cons[name] {
			stack = append(stack, u.name)
		}
	}
	for len(stack) > 0 {
		name := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if boundary(name) || l.members[name] || ownExit[name] || nexts[name] || name == l.loopCond.name {
			continue
		}
		l.members[name] = true
		for _, u := range cons[name] {
			stack = append(stack, u.name)
		}
	}
	stack = sortedKeys(l.members) // (reported errors do not depend on map order)
	seen := map[string]bool{}
	stack = append(stack, l.loopCond.inputs[0].node)
	for _, v := range l.vars {
		stack = append(stack, v.next.inputs[0].node)
	}
	for len(stack) > 0 {
		name := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if boundary(name) || seen[name] {
			continue
		}
		seen[name] = true
		n := c.node(name)
		if isOp(n, "Enter") {
			if fr, _ := n.attrString("frame_name"); fr == l.frame {
				return errf("node %q reads the Enter %q of a loop variable, not its Merge or Switch", firstConsumer(cons[name], l), name)
			}
		}
		if ownExit[name] || nexts[name] || name == l.loopCond.name {
			return errf("node %q of the loop reads %q (%s) of the loop's own structure", firstConsumer(cons[name], l), name, n.op)
		}
		l.members[name] = true
		for _, r := range n.inputs {
			switch {
			case merges[r.node] && r.index != 0:
				return errf("node %q reads output %d of Merge %q (only the value is defined in a loop)", name, r.index, r.node)
			case switches[r.node] && r.index != 1:
				return errf("node %q reads the exit side (output 0) of Switch %q inside the loop", name, r.node)
			}
			stack = append(stack, r.node)
		}
	}
	// Every member depends on the loop's values, or is a constant
	// computation (a Const in the body, with only a control edge from the
	// loop); anything else reads an outside value without an Enter.
	anchored := map[string]bool{}
	var queue []string
	for name := range l.members {
		for _, r := range c.node(name).inputs {
			if boundary(r.node) {
				anchored[name] = true
				queue = append(queue, name)
				break
			}
		}
	}
	for len(queue) > 0 {
		name := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		for _, u := range cons[name] {
			if l.members[u.name] && !anchored[u.name] {
				anchored[u.name] = true
				queue = append(queue, u.name)
			}
		}
	}
	constLike := map[string]int{} // 1 visiting, 2 yes, 3 no
	var isConst func(name string) bool
	isConst = func(name string) bool {
		switch constLike[name] {
		case 1, 3:
			return false
		case 2:
			return true
		}
		constLike[name] = 1
		n := c.node(name)
		ok := n.op == "Const" || len(n.inputs) > 0
		for _, r := range n.inputs {
			if !l.members[r.node] || anchored[r.node] || !isConst(r.node) {
				ok = false
			}
		}
		constLike[name] = 3
		if ok {
			constLike[name] = 2
		}
		return ok
	}
	for _, name := range sortedKeys(l.members) {
		if !anchored[name] && !isConst(name) {
			n := c.node(name)
			for _, u := range cons[name] {
				if anchored[u.name] {
					return errf("node %q (%s) reads %q (%s), a value from outside the loop that does not enter it through an Enter", u.name, u.op, name, n.op)
				}
			}
			return errf("node %q (%s) inside the loop depends on values from outside that do not enter it through an Enter", name, n.op)
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// boundaryNames are the names of l's Merges, Switches and invariant
// Enters.
func boundaryNames(l *tf1Loop) map[string]bool {
	m := map[string]bool{}
	for _, v := range l.vars {
		m[v.merge.name] = true
		m[v.sw.name] = true
	}
	for _, e := range l.invs {
		m[e.name] = true
	}
	return m
}

// firstConsumer names a member of l among us (for an error message).
func firstConsumer(us []*node, l *tf1Loop) string {
	for _, u := range us {
		if !isOp(u, "Merge") {
			return u.name
		}
	}
	return "?"
}

// installLoop adds the node standing for l and makes l's Exits read it.
func (c *ctx) installLoop(l *tf1Loop, cons map[string][]*node) error {
	// Named after the frame: TF1's "<scope>/while_context", the name of
	// the While a frozen graph lowered.
	name := strings.TrimSuffix(l.frame, "/while_context")
	if name == "" {
		name = path.Dir(l.loopCond.name)
	}
	if name == "." || name == "/" {
		name = l.loopCond.name + "/while"
	}
	for c.node(name) != nil {
		name += "/while"
	}
	n := &node{nd: &tfpb.NodeDef{Name: name, Op: tf1WhileOp}, name: name, op: tf1WhileOp, loop: l}
	for _, v := range l.vars {
		n.inputs = append(n.inputs, v.enter.inputs[0])
	}
	for _, e := range l.invs {
		n.inputs = append(n.inputs, e.inputs[0])
	}
	c.addNode(n)
	n.used = true
	for i := range l.vars {
		if v := &l.vars[i]; v.exit != nil {
			v.exitIn = v.exit.inputs
			v.exit.inputs = []tensorRef{{node: name, index: i}}
			v.exit.loopExit = true
		}
	}
	mark := func(m *node) { c.inLoop[m.name] = l }
	for m := range l.members {
		mark(c.node(m))
	}
	mark(l.loopCond)
	for _, v := range l.vars {
		mark(v.enter)
		mark(v.merge)
		mark(v.sw)
		mark(v.next)
	}
	for _, e := range l.invs {
		mark(e)
	}
	return nil
}

// nodes returns the names of the nodes l was reconstructed from (its
// Exits included) and, for each Exit, its inputs before installLoop.
func (l *tf1Loop) nodes() (names []string, exitIn map[string][]tensorRef) {
	exitIn = map[string][]tensorRef{}
	for m := range l.members {
		names = append(names, m)
	}
	names = append(names, l.loopCond.name)
	for _, v := range l.vars {
		names = append(names, v.enter.name, v.merge.name, v.sw.name, v.next.name)
		if v.exit != nil {
			names = append(names, v.exit.name)
			exitIn[v.exit.name] = v.exitIn
		}
	}
	for _, e := range l.invs {
		names = append(names, e.name)
	}
	return names, exitIn
}

// convertTF1While translates the node standing for a TF1 loop into a
// while op (see the comment at the top).
func convertTF1While(c *ctx, n *node) error {
	l := n.loop
	args, err := c.inputs(n, len(n.inputs), len(n.inputs))
	if err != nil {
		return err
	}
	nv := len(l.vars)
	consts := make([]*tensor.Tensor, len(args))
	for j := nv; j < len(args); j++ {
		consts[j] = c.constOperand(n, &args[j])
	}
	names := make([]string, len(args))
	for i, v := range l.vars {
		names[i] = v.enter.name
	}
	for j, e := range l.invs {
		names[nv+j] = e.name
	}
	condArgs := map[string]int{}
	bodyArgs := map[string]int{}
	for i, v := range l.vars {
		condArgs[v.merge.name] = i
		bodyArgs[v.sw.name] = i
	}
	for j, e := range l.invs {
		condArgs[e.name] = nv + j
		bodyArgs[e.name] = nv + j
	}
	var outs []tensorRef
	var outNames []string
	for _, v := range l.vars {
		outs = append(outs, v.next.inputs[0])
		outNames = append(outNames, v.next.name)
	}
	// An array of unknown element shape carried by the loop gets the
	// shape its body writes.
	args, err = c.resolvePending(n, args, func(a []*ir.Value) (*ir.Func, error) {
		return c.tf1Region(n, "body", bodyArgs, names, a, consts, outs, outNames)
	})
	if err != nil {
		return err
	}
	cond, err := c.tf1Region(n, "cond", condArgs, names, args, consts, []tensorRef{l.loopCond.inputs[0]}, []string{l.loopCond.name})
	if err != nil {
		return err
	}
	if err := predicate(n, cond); err != nil {
		return err
	}
	body, err := c.tf1Region(n, "body", bodyArgs, names, args, consts, outs, outNames)
	if err != nil {
		return err
	}
	ins := body.Inputs()
	for j, e := range l.invs {
		body.AddOutput(e.name, ins[nv+j].Results[0])
	}
	for i, o := range body.Outputs {
		if got, want := o.Value.Type, args[i].Type; !got.Equal(want) {
			return frameError(l.frame, "loop variable %d (Enter %q) is %v on entry and %v after the body (NextIteration %q): tfc's while needs loop variables of one static type",
				i, names[i], want, got, o.Name)
		}
	}
	op, err := c.f.NewRegionOp(ir.OpWhile, args, []*ir.Func{cond, body}, n.name)
	if err != nil {
		return frameError(l.frame, "%v", err)
	}
	return c.bind(n, op.Results...)
}

// tf1Region imports the part of a TF1 loop's frame that computes outs as
// a region named kind. argNodes maps the boundary nodes the region reads
// (Merges for the cond, Switches for the body, invariant Enters) to the
// argument they stand for.
func (c *ctx) tf1Region(n *node, kind string, argNodes map[string]int, names []string, args []*ir.Value, consts []*tensor.Tensor, outs []tensorRef, outNames []string) (*ir.Func, error) {
	l := n.loop
	if c.depth >= maxFunctionDepth {
		return nil, frameError(l.frame, "control flow nested more than %d deep", maxFunctionDepth)
	}
	gd := &tfpb.GraphDef{Library: c.libDef}
	shapes := map[string]tensor.Shape{}
	weights := map[string]*tensor.Tensor{}
	// Every boundary node becomes a placeholder (or a constant), so the
	// members' inputs resolve; only those of this region's kind are read.
	boundary := map[string]int{}
	for i, v := range l.vars {
		boundary[v.merge.name] = i
		boundary[v.sw.name] = i
	}
	for j, e := range l.invs {
		boundary[e.name] = len(l.vars) + j
	}
	bnames := make([]string, 0, len(boundary))
	for b := range boundary {
		bnames = append(bnames, b)
	}
	sort.Strings(bnames)
	argNode := map[string]int{}
	for _, b := range bnames {
		i := boundary[b]
		nd := &tfpb.NodeDef{Name: b, Op: "Placeholder", Attr: map[string]*tfpb.AttrValue{}}
		if consts[i] != nil {
			nd.Op = "Const"
			weights[b] = consts[i]
		} else {
			dt, err := protoDType(args[i].Type.DType)
			if err != nil {
				return nil, frameError(l.frame, "loop value %d (%s): %v", i, names[i], err)
			}
			nd.Attr["dtype"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: dt}}
			shapes[b] = args[i].Type.Shape
		}
		gd.Node = append(gd.Node, nd)
		argNode[b+":0"] = i
	}
	mnames := make([]string, 0, len(l.members))
	for m := range l.members {
		mnames = append(mnames, m)
	}
	sort.Strings(mnames)
	for _, m := range mnames {
		src := c.node(m).def()
		nd := &tfpb.NodeDef{Name: src.GetName(), Op: src.GetOp(), Attr: src.GetAttr(), Device: src.GetDevice()}
		for _, r := range c.node(m).inputs {
			if _, ok := boundary[r.node]; ok {
				r.index = 0 // a Switch's true side is its placeholder
			}
			nd.Input = append(nd.Input, r.String())
		}
		gd.Node = append(gd.Node, nd)
	}
	opts := c.opts
	opts.Name = kind
	opts.InputShapes = shapes
	opts.Symbolic = false
	opts.ReleaseConsts = false
	opts.Outputs = nil
	opts.pendingInputs = nil
	for b, i := range boundary {
		if p := c.pending[args[i]]; p != nil {
			if opts.pendingInputs == nil {
				opts.pendingInputs = map[string]*pendingArray{}
			}
			opts.pendingInputs[b] = p
		}
	}
	for _, r := range outs {
		if _, ok := boundary[r.node]; ok {
			r.index = 0
		}
		opts.Outputs = append(opts.Outputs, r.String())
	}
	opts.Weights = chainWeights(weights, c.opts.Weights)
	f, err := importGraph(gd, opts, c.lib, c.libDef, c.depth+1)
	if err != nil {
		return nil, frameError(l.frame, "%s: %v", kind, err)
	}
	return regionFunc(kind, f, names, args, argNode, outNames, func(name string) error {
		if _, ok := argNode[name]; !ok {
			return frameError(l.frame, "%s: unexpected input %q", kind, name)
		}
		if _, mine := argNodes[name[:len(name)-2]]; !mine {
			what := "the body's value (a Switch)"
			if kind == "body" {
				what = "the Merge, not the Switch's true side"
			}
			return frameError(l.frame, "%s reads %s %q", kind, what, name[:len(name)-2])
		}
		return nil
	})
}

// protoDType is the TensorFlow DataType of a placeholder of type dt.
func protoDType(dt tensor.DType) (tfpb.DataType, error) {
	switch dt {
	case tensor.Float32:
		return tfpb.DataType_DT_FLOAT, nil
	case tensor.Float16:
		return tfpb.DataType_DT_HALF, nil
	case tensor.BFloat16:
		return tfpb.DataType_DT_BFLOAT16, nil
	case tensor.Int32:
		return tfpb.DataType_DT_INT32, nil
	case tensor.Int64:
		return tfpb.DataType_DT_INT64, nil
	case tensor.Bool:
		return tfpb.DataType_DT_BOOL, nil
	}
	return 0, fmt.Errorf("values of type %v cannot cross a loop or branch boundary (want f32, f16, bf16, i32, i64 or bool)", dt)
}

// convertExit forwards the loop's result that a reconstructed TF1 loop's
// Exit reads.
func convertExit(c *ctx, n *node) error {
	if !n.loopExit {
		return n.errorf("an Exit outside a well-formed TF1 while loop")
	}
	v, err := c.input(n, 0)
	if err != nil {
		return err
	}
	return c.bind(n, v)
}

// convertFrameOp is the converter of the other frame ops: they are
// translated inside the regions of their loop, never on their own.
func convertFrameOp(c *ctx, n *node) error {
	return n.errorf("is not part of a TF1 while loop that tfc reconstructed")
}

func init() {
	register("control", "(the result of the TF1 while loop its frame is reconstructed into: controlflow_v1.go)", convertExit, "Exit")
	register("control", "while (a TF1 frame reconstructed into one: its Enters are the loop's operands, an is_constant Enter an invariant)", convertFrameOp,
		"Enter", "NextIteration", "LoopCond")
}
