package tf

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/listing"
	"github.com/tfc-dev/tfc/internal/strset"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Options control Import.
type Options struct {
	// Name is the IR function's name (default "main").
	Name string
	// InputShapes overrides placeholder shapes, keyed by tensor name
	// ("input_1:0") or node name ("input_1").
	InputShapes map[string]tensor.Shape
	// Outputs are the tensors to compute ("name:0" or "name" for output 0).
	// Empty means every output of every needed node that nothing else
	// consumes (Const, Placeholder and NoOp excluded).
	Outputs []string
	// UnknownDim replaces a placeholder dimension that is unknown and not
	// set by InputShapes (for example a batch of -1). Zero means such
	// dimensions are an error.
	UnknownDim int
	// Symbolic makes every placeholder dimension that is unknown (-1) after
	// InputShapes a symbol instead of UnknownDim: dimension 0 is N,
	// dimension 1 is S, dimension i > 1 is D<i>, so the inputs of a graph
	// share their batch and sequence sizes (an IR input dimension is a
	// constant or one symbol; see ir.Type).
	Symbolic bool
	// Symbols names, with Symbolic, the symbol of an unknown dimension of
	// an input, by tensor name ("x:0") or node name and dimension (a name
	// "" or missing: SymbolName(i)). Names must be valid symbols
	// (dim.ValidSymbol). Names that are not inputs are not used (callers
	// check the names they were given against the IR's inputs, as
	// ir.CheckProfiles does).
	Symbols map[string][]string
	// ReleaseConsts lets Import drop each Const node's tensor_content
	// from the GraphDef once decoded, so the weights are not held twice;
	// the GraphDef must not be used afterwards. tfc.Load sets it for the
	// graphs it parses itself.
	ReleaseConsts bool
	// ReleaseNodes lets Import drop each node of the GraphDef (its
	// NodeDef, from g.Node) once translated, so that a large graph is
	// not held whole beside its IR; the GraphDef must not be used
	// afterwards. Graphs with TF1 control flow (Switch, Enter), whose
	// translation goes back to nodes already translated, keep theirs.
	// tfc.Load sets it for the graphs it parses itself.
	ReleaseNodes bool
	// Release, if set with ReleaseConsts, is given each tensor_content
	// Import drops: tfc.Load passes the file mapping's Release, so that
	// the pages of the weights already decoded leave memory.
	Release func(content []byte)
	// Warn, if set, receives warnings (such as an unknown dimension
	// replaced by UnknownDim).
	Warn func(msg string)
	// Weights, if set, supplies the values of Const nodes by node name; a
	// nil tensor (and nil error) means the node's own "value" attribute.
	// Freezing a SavedModel in memory uses it to read weights from the
	// checkpoint straight into the IR's constants, with no TensorProto
	// copy in between.
	Weights func(node string) (*tensor.Tensor, error)

	// pendingInputs marks the placeholders of a region that stand for
	// arrays whose element shape is not known yet (ops_tensorarray.go).
	pendingInputs map[string]*pendingArray
}

// UnsupportedError lists every unsupported op of a graph.
type UnsupportedError struct {
	Ops []UnsupportedOp // sorted by op type
	// Hint, if set, says how to get past them (for example by cutting
	// the graph at an iterator's outputs).
	Hint string
}

// UnsupportedOp is one unsupported TensorFlow op type and the nodes using it.
type UnsupportedOp struct {
	Op    string
	Nodes []string
	// Reason, for an op tfc refuses on purpose (refused.go), says why.
	Reason string
}

func (e *UnsupportedError) Error() string {
	var b strings.Builder
	b.WriteString(listing.Count(len(e.Ops), "unsupported TensorFlow op") + ":")
	for _, u := range e.Ops {
		b.WriteString(" " + listing.Group(u.Op, u.Nodes, "node"))
		if u.Reason != "" {
			b.WriteString(" is refused: it " + u.Reason)
		}
		b.WriteString(";")
	}
	msg := strings.TrimSuffix(b.String(), ";")
	if e.Hint != "" {
		msg += "; " + e.Hint
	}
	return msg
}

// Import translates a GraphDef into an IR function. The result verifies.
func Import(g *tfpb.GraphDef, opts Options) (*ir.Func, error) {
	libDef := g.GetLibrary()
	lib := make(map[string]*tfpb.FunctionDef, len(libDef.GetFunction()))
	for _, f := range libDef.GetFunction() {
		lib[f.GetSignature().GetName()] = f
	}
	return importGraph(g, opts, lib, libDef, 0)
}

// ErrUndecodable is returned (wrapped) by ImportLazy when a node the lazy
// parse left encoded does not decode: tfpb.ParseGraphDef reports the
// error of such a graph, which the caller parses again.
var ErrUndecodable = errors.New("a node of the lazily parsed graph does not decode")

// ImportLazy is Import for a graph parsed with tfpb.ParseLazy: each node
// is decoded when the import first needs it and, with
// Options.ReleaseNodes, dropped once translated, so that the decoded
// graph is never held whole. The nodes the import does not need are
// decoded at the end, to check them. The result is Import's for the
// GraphDef tfpb.ParseGraphDef decodes from the same data, or an error
// wrapping ErrUndecodable.
func ImportLazy(g *tfpb.LazyGraph, opts Options) (*ir.Func, error) {
	c := newCtx(opts, map[string]*tfpb.FunctionDef{}, g.Graph.GetLibrary(), 0, len(g.Nodes))
	if opts.Release != nil && opts.ReleaseNodes {
		c.file = newFileRelease(g, opts.Release)
	}
	err := c.indexLazy(g.Nodes)
	g.Nodes = nil // the nodes hold what they need
	var f *ir.Func
	if err == nil {
		f, err = c.translate()
	}
	for _, n := range c.order {
		if n.enc == nil || n.plain {
			continue // decoded, or plain (it decodes)
		}
		if _, derr := tfpb.DecodeNode(n.enc); derr != nil {
			return nil, fmt.Errorf("%w: node %q: %v", ErrUndecodable, n.name, derr)
		}
	}
	return f, err
}

// importGraph is Import with the function library of the outermost graph
// (control-flow functions are translated from it, at every depth) and the
// depth of control-flow functions g is the body of.
func importGraph(g *tfpb.GraphDef, opts Options, lib map[string]*tfpb.FunctionDef, libDef *tfpb.FunctionDefLibrary, depth int) (*ir.Func, error) {
	if len(g.GetLibrary().GetFunction()) > 0 {
		// Calls left in a frozen graph (XLA-compiled or _noinline
		// functions, If with a constant predicate) are inlined as
		// freezing a SavedModel inlines them.
		var fed []string
		for k := range opts.InputShapes {
			if r, err := parseRef(k); err == nil {
				fed = append(fed, r.node)
			}
		}
		var err error
		if g, _, err = savedmodel.InlineCalls("function library", g, fed...); err != nil {
			return nil, err
		}
	}
	c := newCtx(opts, lib, libDef, depth, len(g.GetNode()))
	if err := c.index(g); err != nil {
		return nil, err
	}
	c.defs = g.Node
	return c.translate()
}

// newCtx returns the state of the import of a graph of n nodes.
func newCtx(opts Options, lib map[string]*tfpb.FunctionDef, libDef *tfpb.FunctionDefLibrary, depth, n int) *ctx {
	name := opts.Name
	if name == "" {
		name = "main"
	}
	f := ir.NewFunc(name)
	return &ctx{
		f:         f,
		opts:      opts,
		nodes:     strset.New(n), // sized: a million-node graph grows no table
		consts:    ir.NewValueMap[*tensor.Tensor](f),
		inShape:   opts.InputShapes,
		random:    map[string]*randomValue{},
		deadNodes: map[string]bool{},
		poison:    map[string]error{},
		deadOuts:  map[tensorRef]bool{},
		lib:       lib,
		libDef:    libDef,
		depth:     depth,
	}
}

// translate translates the indexed graph.
func (c *ctx) translate() (*ir.Func, error) {
	opts := c.opts
	if err := c.resolveInputs(); err != nil {
		return nil, err
	}
	if err := c.functionalizeLoops(); err != nil {
		return nil, err
	}
	c.arrayHints() // before any Const is translated (and perhaps released)
	outs, err := c.outputs()
	if err != nil {
		return nil, err
	}
	for _, r := range outs {
		if l := c.inLoop[r.node]; l != nil {
			return nil, frameError(l.frame, "output %s is inside the loop (values leave a loop only through an Exit)", r)
		}
	}
	order, err := c.topoOrder(outs)
	if err != nil {
		if cf := c.controlFlow(c.reachable(outs)); cf != nil {
			return nil, cf // a TF1 loop is a cycle: name the loop
		}
		return nil, err
	}
	if err := c.controlFlow(order); err != nil {
		return nil, err
	}
	if err := checkSupported(order); err != nil {
		return nil, err
	}
	c.condGuards(order)
	// No loops and no guards (condGuards found no Switch): no
	// translation looks back at a node already translated.
	release := opts.ReleaseNodes && len(c.inLoop) == 0 && len(c.cond.guards) == 0
	if release && c.file != nil {
		c.file.plan(c, order)
	}
	for _, n := range order {
		if c.isDead(n) {
			c.deadNodes[n.name] = true // in an untaken branch: not translated
			continue
		}
		if c.deferred(n) {
			continue // in a branch of a run-time conditional: in its if
		}
		if err := c.poisonedInput(n); err != nil {
			c.poison[n.name] = err
			continue
		}
		if done, err := c.foldRandom(n); done || err != nil {
			if err != nil {
				// Refused only if an output needs it: an untaken
				// branch of a constant conditional may hold a dropout
				// that is active, reached through control edges only.
				c.poison[n.name] = err
			}
			continue
		}
		convert := registry[n.op].convert
		if n.loop != nil {
			convert = convertTF1While
		}
		if err := convert(c, n); err != nil {
			var ne *NodeError
			if !errors.As(err, &ne) {
				err = n.errorf("%v", err)
			}
			return nil, err
		}
		if !n.bound {
			return nil, n.errorf("converter bound no outputs (a bug in tfc)")
		}
		if release {
			c.releaseDef(n)
			if c.file != nil {
				c.file.advance(c)
			}
		}
	}
	for _, r := range outs {
		if err := c.checkRandomOutput(r); err != nil {
			return nil, err
		}
		if err := c.checkDeadOutput(r); err != nil {
			return nil, err
		}
		if n := c.node(r.node); c.deferred(n) {
			if len(c.opts.Outputs) == 0 && n.op == "Identity" && len(n.inputs) == 1 && c.node(n.inputs[0].node).op == "Switch" {
				continue // TF's switch_t and switch_f pivots: not outputs
			}
			return nil, fmt.Errorf("output %s is inside a branch of a TF1 conditional whose predicate is computed at run time (values leave it only through a Merge)", r)
		}
		if err := c.poison[r.node]; err != nil {
			return nil, err
		}
		v, err := c.value(r)
		if err != nil {
			return nil, err
		}
		c.f.AddOutput(r.String(), v)
	}
	// Shape arithmetic that converters evaluated (reshape targets, axes)
	// is left unused; drop it.
	c.f.RemoveDead()
	return c.f, nil
}

// ctx is the state of one import.
type ctx struct {
	f       *ir.Func
	opts    Options
	nodes   *strset.Set                  // the nodes' names; c.order[i] is the node of the i-th
	order   []*node                      // all nodes in GraphDef order
	defs    []*tfpb.NodeDef              // the GraphDef's nodes (not with ImportLazy)
	numLazy int                          // ImportLazy: the nodes read from encodings, first in order
	file    *fileRelease                 // ImportLazy with Release: gives back the file's pages behind the import
	consts  *ir.ValueMap[*tensor.Tensor] // values known to be constant
	inShape map[string]tensor.Shape
	cuts    map[tensorRef]*cut      // tensors the graph is cut at (cut.go)
	random  map[string]*randomValue // nodes holding random values (dropout.go)
	// deadNodes and deadOuts are in the untaken branch of a conditional
	// with a constant predicate (ops_cond.go).
	deadNodes map[string]bool
	deadOuts  map[tensorRef]bool
	// poison holds the error of a node that cannot be translated (an
	// active dropout), reported only if an output needs the node.
	poison map[string]error
	// lib is the outermost graph's function library (by name) and
	// libDef the library itself: TF2 control flow translates its
	// functions into regions (ops_control.go). depth is the nesting of
	// the function this graph is the body of (0: the model).
	lib    map[string]*tfpb.FunctionDef
	libDef *tfpb.FunctionDefLibrary
	depth  int
	// inLoop maps the nodes of each reconstructed TF1 while loop to it
	// (controlflow_v1.go): they are translated in its regions.
	inLoop map[string]*tf1Loop
	// pending holds the arrays whose element shape is not known yet and
	// hints the element shapes found by arrayHints (ops_tensorarray.go).
	pending map[*ir.Value]*pendingArray
	hints   map[string]tensor.Shape
	// cond holds the guards of TF1 conditionals (ops_cond_runtime.go).
	cond *condState
}

// parseRef parses "name", "name:3" (and rejects "^name").
func parseRef(s string) (tensorRef, error) {
	if s == "" {
		return tensorRef{}, fmt.Errorf("empty input name")
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		k, err := strconv.Atoi(s[i+1:])
		if err == nil && k >= 0 {
			return tensorRef{node: s[:i], index: k}, nil
		}
	}
	return tensorRef{node: s, index: 0}, nil
}

// index builds the node table, resolving inputs and checking names.
func (c *ctx) index(g *tfpb.GraphDef) error {
	for _, def := range g.GetNode() {
		if def.GetName() == "" {
			return fmt.Errorf("graph has a node with no name (op %q)", def.GetOp())
		}
		if c.node(def.GetName()) != nil {
			return fmt.Errorf("node %q (%s): duplicate node name", def.GetName(), def.GetOp())
		}
		c.addNode(&node{nd: def, name: def.GetName(), op: def.GetOp()})
	}
	for _, n := range c.order {
		for _, in := range n.nd.GetInput() {
			if strings.HasPrefix(in, "^") {
				if c.node(in[1:]) == nil {
					return n.errorf("control input %q: no such node", in)
				}
				continue
			}
			r, err := parseRef(in)
			if err != nil {
				return n.errorf("input %q: %v", in, err)
			}
			src := c.node(r.node)
			if src == nil {
				return n.errorf("input %q: no node named %q", in, r.node)
			}
			r.node = src.name // not a piece of the input's string, dropped with the NodeDef
			n.inputs = append(n.inputs, r)
			src.used = true
		}
	}
	return nil
}

// indexLazy is index for the nodes of a graph parsed lazily: the inputs
// are read from each node's encoding, and looked up without a copy.
func (c *ctx) indexLazy(nodes []tfpb.LazyNode) error {
	// The nodes, and their data inputs, are each one allocation: a
	// million nodes are not a million objects more for the collector.
	slab := make([]node, len(nodes))
	total := 0
	for i := range nodes {
		ln := &nodes[i]
		if ln.Name == "" {
			return fmt.Errorf("graph has a node with no name (op %q)", ln.Op)
		}
		slab[i] = node{enc: ln.Enc, plain: ln.Plain, name: ln.Name, op: ln.Op}
		if !c.addNode(&slab[i]) { // one hash: the insertion
			return fmt.Errorf("node %q (%s): duplicate node name", ln.Name, ln.Op)
		}
		total += int(ln.DataInputs)
	}
	c.numLazy = len(c.order)
	refs := make([]tensorRef, total)
	for i := range slab {
		n, k := &slab[i], int(nodes[i].DataInputs)
		n.inputs, refs = refs[:0:k], refs[k:]
		var err error
		tfpb.NodeInputs(n.enc, func(in []byte) {
			if err == nil {
				err = c.addInput(n, in)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// addInput resolves in, one of n's inputs as the NodeDef lists it, as
// index does.
func (c *ctx) addInput(n *node, in []byte) error {
	if len(in) > 0 && in[0] == '^' {
		if c.nodes.IndexBytes(in[1:]) < 0 {
			return n.errorf("control input %q: no such node", in)
		}
		return nil
	}
	if len(in) == 0 {
		return n.errorf("input %q: empty input name", in)
	}
	name, k := in, 0
	if i := bytes.LastIndexByte(in, ':'); i >= 0 {
		if x, err := strconv.Atoi(string(in[i+1:])); err == nil && x >= 0 {
			name, k = in[:i], x
		}
	}
	i := c.nodes.IndexBytes(name)
	if i < 0 {
		return n.errorf("input %q: no node named %q", in, name)
	}
	src := c.order[i]
	n.inputs = append(n.inputs, tensorRef{node: src.name, index: k})
	src.used = true
	return nil
}

// releaseDef drops n's NodeDef, translated, from the graph
// (Options.ReleaseNodes).
func (c *ctx) releaseDef(n *node) {
	switch {
	case n.id < len(c.defs) && c.defs[n.id] == n.nd:
		c.defs[n.id], n.nd = nil, nil
	case n.id < c.numLazy:
		n.nd = nil // decoded from its encoding (node.def)
		if n.plain {
			n.enc = nil
		}
	}
}

// addNode enters n in the node table and the GraphDef order; it reports
// false, entering nothing, if the graph has a node of n's name.
func (c *ctx) addNode(n *node) bool {
	if !c.nodes.Add(n.name) {
		return false
	}
	n.id = len(c.order)
	c.order = append(c.order, n)
	return true
}

// node returns the node named name, or nil.
func (c *ctx) node(name string) *node {
	if i := c.nodes.Index(name); i >= 0 {
		return c.order[i]
	}
	return nil
}

// outputs resolves Options.Outputs, or picks the graph's sinks.
func (c *ctx) outputs() ([]tensorRef, error) {
	var outs []tensorRef
	if len(c.opts.Outputs) > 0 {
		seen := map[tensorRef]bool{}
		for _, s := range c.opts.Outputs {
			r, err := parseRef(s)
			if err != nil {
				return nil, fmt.Errorf("output %q: %v", s, err)
			}
			if c.node(r.node) == nil {
				return nil, fmt.Errorf("output %q: the graph has no node named %q%s", s, r.node, c.closeMatches(r.node))
			}
			if !seen[r] {
				seen[r] = true
				outs = append(outs, r)
			}
		}
		return outs, nil
	}
	for _, n := range c.order {
		if isSink(n, n.used) && c.inLoop[n.name] == nil {
			outs = append(outs, tensorRef{node: n.name})
		}
	}
	if len(outs) == 0 {
		return nil, fmt.Errorf("graph has no outputs (no node that is not consumed by another); name them with -outputs")
	}
	return outs, nil
}

// isSink reports whether n is one of the graph's default outputs: a node
// nothing consumes that computes something (not a Const or Placeholder,
// nor an op with no outputs, run for its effect: NoOp, MakeIterator, ...);
// used says whether another node consumes it.
func isSink(n *node, used bool) bool {
	switch n.op {
	case "Const", "Placeholder", "NoOp", "PlaceholderWithDefault",
		"MakeIterator", "DeleteIterator", "AssignVariableOp", "SaveV2", "PrintV2", "Assert", "TensorArrayCloseV3":
		return false
	}
	return !used
}

// topoOrder returns the nodes the outputs need, inputs before users. A
// cycle is an error naming its nodes.
func (c *ctx) topoOrder(outs []tensorRef) ([]*node, error) {
	const (
		unseen = iota
		active
		done
	)
	state := make([]uint8, len(c.order)) // by node id
	order := make([]*node, 0, len(c.order))
	// Iterative DFS so that deep graphs do not exhaust the stack.
	type frame struct {
		n    *node
		next int
	}
	for _, r := range outs {
		root := c.node(r.node)
		if state[root.id] == done || c.cuts[r] != nil {
			continue
		}
		stack := []frame{{n: root}}
		state[root.id] = active
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next < len(top.n.inputs) {
				r := top.n.inputs[top.next]
				top.next++
				if c.cuts[r] != nil {
					continue // the graph is cut there
				}
				in := c.node(r.node)
				switch state[in.id] {
				case unseen:
					state[in.id] = active
					stack = append(stack, frame{n: in})
				case active:
					var cyc []string
					for i := len(stack) - 1; i >= 0; i-- {
						cyc = append(cyc, strconv.Quote(stack[i].n.name))
						if stack[i].n == in {
							break
						}
					}
					return nil, fmt.Errorf("graph has a cycle through nodes %s", strings.Join(cyc, " <- "))
				}
				continue
			}
			state[top.n.id] = done
			order = append(order, top.n)
			stack = stack[:len(stack)-1]
		}
	}
	return order, nil
}

// dataDependentOps are op types of other frameworks' graphs (ONNX's
// NonZero, a BooleanMask op) met in converted GraphDefs: TensorFlow writes
// them as Where (one argument: the IR's nonzero, a data-dependent count)
// and, for tf.boolean_mask, Where + GatherV2, which tfc translates.
var dataDependentOps = map[string]string{
	"NonZero":     "is not a TensorFlow op; TensorFlow's Where with one argument computes it (tf.where(x), which tfc translates)",
	"BooleanMask": "is not a TensorFlow op; tf.boolean_mask writes Where and GatherV2, which tfc translates",
}

// checkSupported reports every unsupported op among the needed nodes at once.
func checkSupported(order []*node) error {
	bad := map[string][]string{}
	for _, n := range order {
		if !Supported(n.op) && n.loop == nil {
			bad[n.op] = append(bad[n.op], n.name)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	e := &UnsupportedError{}
	for op, nodes := range bad {
		e.Ops = append(e.Ops, UnsupportedOp{Op: op, Nodes: nodes, Reason: refusals[op]})
		if iteratorOps[op] {
			e.Hint = fmt.Sprintf("the graph is fed by a tf.data iterator: cut it at the iterator's outputs, e.g. -inputs %s:0[shape] (tfc inspect lists them)", nodes[0])
		}
		if h, ok := dataDependentOps[op]; ok {
			e.Hint = strings.TrimPrefix(e.Hint+"; ", "; ") + op + " " + h
		}
	}
	sort.Slice(e.Ops, func(i, j int) bool { return e.Ops[i].Op < e.Ops[j].Op })
	return e
}

// value returns the IR value of a node output.
func (c *ctx) value(r tensorRef) (*ir.Value, error) {
	if cu := c.cuts[r]; cu != nil {
		return c.cutValue(cu)
	}
	if rv, ok := c.random[r.node]; ok {
		return nil, fmt.Errorf("tensor %s holds random values of node %q (RandomUniform), which tfc does not compute", r, rv.src)
	}
	n := c.node(r.node)
	if n == nil || !n.bound {
		return nil, fmt.Errorf("tensor %s: node %q was not translated", r, r.node)
	}
	vs := n.vals
	if r.index >= len(vs) {
		return nil, n.errorf("has %d outputs; tensor %s does not exist", len(vs), r)
	}
	return vs[r.index], nil
}

// input returns the IR value of n's i-th data input.
func (c *ctx) input(n *node, i int) (*ir.Value, error) {
	if i >= len(n.inputs) {
		return nil, n.errorf("has %d inputs, want at least %d", len(n.inputs), i+1)
	}
	v, err := c.value(n.inputs[i])
	if err != nil {
		return nil, n.errorf("input %d: %v", i, err)
	}
	return v, nil
}

// inputs returns the IR values of all of n's data inputs, checking there
// are between min and max of them (max < 0: no limit).
func (c *ctx) inputs(n *node, min, max int) ([]*ir.Value, error) {
	if len(n.inputs) < min || (max >= 0 && len(n.inputs) > max) {
		if min == max {
			return nil, n.errorf("has %d inputs, want %d", len(n.inputs), min)
		}
		return nil, n.errorf("has %d inputs, want %d to %d", len(n.inputs), min, max)
	}
	vs := make([]*ir.Value, len(n.inputs))
	for i := range n.inputs {
		v, err := c.input(n, i)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	return vs, nil
}

// maxFoldElements bounds what constInput will evaluate during import: shape
// arithmetic is small; anything bigger is left to constant folding.
const maxFoldElements = 1 << 20

// constInput returns the value of n's i-th input, which must be computable
// from constants (for example a reshape's target shape computed from
// Shape and StridedSlice). It evaluates the input's IR with the
// interpreter's kernels.
func (c *ctx) constInput(n *node, i int) (*tensor.Tensor, error) {
	v, err := c.input(n, i)
	if err != nil {
		return nil, err
	}
	t, err := c.constValue(v)
	if err != nil {
		return nil, n.errorf("input %d (%s) must be a constant: %v", i, n.inputs[i], err)
	}
	return t, nil
}

// constInts is constInput for integer vectors and scalars.
func (c *ctx) constInts(n *node, i int) ([]int, error) {
	t, err := c.constInput(n, i)
	if err != nil {
		return nil, err
	}
	vals, err := t.Ints()
	if err != nil {
		return nil, n.errorf("input %d: %v", i, err)
	}
	return vals, nil
}

// constValue evaluates v if it depends only on constants.
func (c *ctx) constValue(v *ir.Value) (*tensor.Tensor, error) {
	if t, ok := c.consts.Get(v); ok {
		return t, nil
	}
	t, err := c.evalConst(v)
	if err == nil {
		return t, nil
	}
	// A shape value whose elements are all constant dimensions (a
	// static dimension of a symbolic value) is a constant.
	if dims, serr := ir.ShapeValue(v); serr == nil {
		t := tensor.MustNew(v.Type.DType, v.Type.Shape)
		for i, d := range dims {
			k, ok := d.Value()
			if !ok {
				return nil, err
			}
			if t.DType == tensor.Int32 {
				t.I32[i] = int32(k)
			} else {
				t.I64[i] = k
			}
		}
		c.consts.Set(v, t)
		return t, nil
	}
	return nil, err
}

// evalConst evaluates v with the interpreter's kernels if it depends only
// on constants.
func (c *ctx) evalConst(v *ir.Value) (*tensor.Tensor, error) {
	op := v.Op
	switch op.Opcode {
	case ir.OpConst:
		t := op.Tensor("value")
		c.consts.Set(v, t)
		return t, nil
	case ir.OpInput:
		return nil, fmt.Errorf("it depends on the input %q", op.Str("name"))
	}
	for _, r := range op.Results {
		if n, _ := r.Type.Shape.NumElements(); n > maxFoldElements {
			return nil, fmt.Errorf("%s result of %d elements is too large to evaluate during import", op.Opcode, n)
		}
	}
	args := make([]*tensor.Tensor, len(op.Args))
	for i, a := range op.Args {
		t, err := c.constValue(a)
		if err != nil {
			return nil, err
		}
		args[i] = t
	}
	res, err := interp.EvalOp(op, args)
	if err != nil {
		return nil, err
	}
	for i, r := range op.Results {
		c.consts.Set(r, res[i])
	}
	return c.consts.At(v), nil
}

// emit appends an op translated from n and returns its only result.
func (c *ctx) emit(n *node, opc ir.Opcode, attrs ir.Attrs, args ...*ir.Value) (*ir.Value, error) {
	v, err := c.f.Emit(opc, args, attrs, n.name)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	return v, nil
}

// emitOp is emit for ops with several results.
func (c *ctx) emitOp(n *node, opc ir.Opcode, attrs ir.Attrs, args ...*ir.Value) (*ir.Op, error) {
	op, err := c.f.NewOp(opc, args, attrs, n.name)
	if err != nil {
		return nil, n.errorf("%v", err)
	}
	return op, nil
}

// constant appends a constant attributed to n.
func (c *ctx) constant(n *node, t *tensor.Tensor) *ir.Value {
	v := c.f.Const(t, n.name)
	c.consts.Set(v, t)
	return v
}

// bind records n's outputs.
func (c *ctx) bind(n *node, vs ...*ir.Value) error {
	for i, v := range vs {
		if v == nil {
			return n.errorf("output %d is missing (a bug in tfc)", i)
		}
	}
	// A copy, most often into the node itself: vs does not escape, so
	// the converters' variadic calls allocate nothing.
	if len(vs) == 1 {
		n.one[0] = vs[0]
		n.vals = n.one[:]
	} else {
		n.vals = slices.Clone(vs)
	}
	n.bound = true
	return nil
}

// translated reports whether the node named name has its outputs bound.
func (c *ctx) translated(name string) bool {
	n := c.node(name)
	return n != nil && n.bound
}
