package savedmodel

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// graph is a meta graph's GraphDef with function calls inlined on demand:
// the nodes of a called function's body join the graph under the call's
// name ("call/node"), their inputs rewritten to graph tensors, and the
// call's outputs become aliases of the body tensors its function returns.
// Tensors are named canonically, "node:index".
type graph struct {
	file   string // the graph's file, for errors
	nodes  map[string]*gnode
	lib    map[string]*tfpb.FunctionDef
	opdefs map[string]*tfpb.OpDef
	// alias maps a call's outputs ("call:i") and cut tensors to what
	// replaces them.
	alias map[string]string
	// body lists, for each inlined call, the nodes of its body.
	body map[string][]string
	// fed names nodes whose values are fed (InlineCalls' fed): never
	// constant predicates.
	fed map[string]bool
	// oneOutput is set for a frozen graph (InlineCalls), which has no
	// OpDefs; it records, for body nodes of ops with no known OpDef, the
	// output argument the body uses (see outputIndex).
	oneOutput map[*tfpb.NodeDef]string
}

// gnode is one node of the graph: the NodeDef as written (shared, never
// modified) and its inputs in canonical form ("node:i", or "^node" for
// control inputs).
type gnode struct {
	def    *tfpb.NodeDef
	name   string
	inputs []string
	// fn is the function whose body the node comes from ("" for the
	// outer graph); stack lists the functions it is nested in.
	fn    string
	stack []string
	// err is set when an input of an inlined node could not be mapped; it
	// is reported only if the node is needed.
	err error
}

func (n *gnode) op() string { return n.def.GetOp() }

// where names a node for errors: `node "a/b" (MatMul)`, and the function
// it was inlined from.
func (n *gnode) where() string {
	s := fmt.Sprintf("node %q (%s)", n.name, n.op())
	if n.fn != "" {
		s += fmt.Sprintf(" in function %s", n.fn)
	}
	return s
}

// maxInlineDepth bounds the nesting of function calls.
const maxInlineDepth = 64

func newGraph(file string, mg *tfpb.MetaGraphDef) (*graph, error) {
	return newGraphDef(file, mg.GetGraphDef(), mg.GetMetaInfoDef().GetStrippedOpList().GetOp())
}

// newGraphDef is newGraph for a GraphDef and the OpDefs known for it.
func newGraphDef(file string, gd *tfpb.GraphDef, opdefs []*tfpb.OpDef) (*graph, error) {
	g := &graph{
		file:   file,
		nodes:  make(map[string]*gnode, len(gd.GetNode())),
		lib:    map[string]*tfpb.FunctionDef{},
		opdefs: map[string]*tfpb.OpDef{},
		alias:  map[string]string{},
		body:   map[string][]string{},
	}
	for _, od := range opdefs {
		g.opdefs[od.GetName()] = od
	}
	for _, f := range gd.GetLibrary().GetFunction() {
		g.lib[f.GetSignature().GetName()] = f
	}
	for _, def := range gd.GetNode() {
		name := def.GetName()
		if name == "" {
			return nil, fmt.Errorf("%s: the graph has a node with no name (op %s)", file, def.GetOp())
		}
		if _, dup := g.nodes[name]; dup {
			return nil, fmt.Errorf("%s: two nodes named %q", file, name)
		}
		n := &gnode{def: def, name: name}
		for _, in := range def.GetInput() {
			c, err := canonical(in)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: input %q: %v", file, n.where(), in, err)
			}
			n.inputs = append(n.inputs, c)
		}
		g.nodes[name] = n
	}
	return g, nil
}

// canonical turns a GraphDef input ("x", "x:2", "^x") into "x:0", "x:2",
// "^x".
func canonical(in string) (string, error) {
	if in == "" || in == "^" {
		return "", fmt.Errorf("empty name")
	}
	if in[0] == '^' {
		return in, nil
	}
	if i := strings.LastIndexByte(in, ':'); i > 0 {
		if k, err := strconv.Atoi(in[i+1:]); err == nil && k >= 0 {
			return in, nil
		}
	}
	return in + ":0", nil
}

// splitTensor splits "node:i".
func splitTensor(t string) (string, int) {
	i := strings.LastIndexByte(t, ':')
	k, _ := strconv.Atoi(t[i+1:])
	return t[:i], k
}

// gdefName writes a tensor as GraphDef inputs do: "node" for output 0.
func gdefName(t string) string {
	if strings.HasSuffix(t, ":0") {
		return strings.TrimSuffix(t, ":0")
	}
	return t
}

// callee returns the function a node calls, or "" if it is not a call.
// An If or StatelessIf whose predicate is a constant (see constPredicate)
// calls the branch it selects.
func (g *graph) callee(n *gnode) string {
	if n.def == nil {
		return ""
	}
	switch n.op() {
	case "PartitionedCall", "StatefulPartitionedCall":
		return n.def.GetAttr()["f"].GetFunc().GetName()
	case "If", "StatelessIf":
		if b, ok := g.constPredicate(n); ok {
			if b {
				return n.def.GetAttr()["then_branch"].GetFunc().GetName()
			}
			return n.def.GetAttr()["else_branch"].GetFunc().GetName()
		}
		return ""
	}
	if _, ok := g.lib[n.op()]; ok {
		return n.op()
	}
	return ""
}

// isIf reports whether n is a TF2 conditional (its first data input is the
// predicate, not an argument of the branches).
func isIf(n *gnode) bool { return n.op() == "If" || n.op() == "StatelessIf" }

// constPredicate returns the value of an If's predicate when it is a
// constant: a scalar Const (nonzero is true), possibly through Identity
// nodes and PlaceholderWithDefault nodes left at their default (the Keras
// learning phase). A predicate computed from the inputs is not constant;
// a signature input (a Placeholder after cutInputs) is not either.
func (g *graph) constPredicate(n *gnode) (bool, bool) {
	var t string
	for _, in := range n.inputs {
		if in[0] != '^' {
			t = in
			break
		}
	}
	for range 64 {
		if t == "" {
			return false, false
		}
		for steps := 0; steps < 64; steps++ { // aliases only: no inlining here
			a, ok := g.alias[t]
			if !ok {
				break
			}
			t = a
		}
		name, _ := splitTensor(t)
		p, ok := g.nodes[name]
		if !ok || p.def == nil || g.fed[name] {
			return false, false
		}
		switch p.op() {
		case "Identity", "PlaceholderWithDefault":
			t = ""
			for _, in := range p.inputs {
				if in[0] != '^' {
					t = in
					break
				}
			}
			continue
		case "Const":
			v, err := tfpb.DecodeTensor(p.def.GetAttr()["value"].GetTensor())
			if err != nil || v.Len() != 1 {
				return false, false
			}
			if v.DType == tensor.Bool {
				return v.B[0], true
			}
			return v.Float64At(0) != 0, true
		}
		return false, false
	}
	return false, false
}

// resolve follows aliases and inlines calls until t names an output of a
// node that is not a call.
func (g *graph) resolve(t string) (string, error) {
	for steps := 0; ; steps++ {
		if steps > 1<<20 {
			return "", fmt.Errorf("%s: tensor %q: aliases form a cycle", g.file, t)
		}
		if a, ok := g.alias[t]; ok {
			t = a
			continue
		}
		name, _ := splitTensor(t)
		n, ok := g.nodes[name]
		if !ok {
			inlined, err := g.inlinePrefix(name)
			if err != nil {
				return "", err
			}
			if !inlined {
				return "", fmt.Errorf("%s: no node named %q (for tensor %q)", g.file, name, t)
			}
			continue
		}
		if g.callee(n) != "" {
			if err := g.inline(n); err != nil {
				return "", err
			}
			if _, ok := g.alias[t]; !ok {
				return "", fmt.Errorf("%s: %s has no output %s (its function returns fewer)", g.file, n.where(), t)
			}
			continue
		}
		return t, nil
	}
}

// inlinePrefix inlines the call whose name is the longest "/"-separated
// prefix of name, if there is one, so that names inside functions
// ("call/node") can be looked up before their call is inlined.
func (g *graph) inlinePrefix(name string) (bool, error) {
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '/' {
			continue
		}
		if n, ok := g.nodes[name[:i]]; ok && n.def != nil && g.callee(n) != "" {
			return true, g.inline(n)
		}
	}
	return false, nil
}

// inline replaces call node n by the body of the function it calls.
func (g *graph) inline(n *gnode) error {
	fname := g.callee(n)
	f, ok := g.lib[fname]
	if !ok {
		return fmt.Errorf("%s: %s calls function %q, which is not in the graph's library", g.file, n.where(), fname)
	}
	if len(n.stack) >= maxInlineDepth {
		return fmt.Errorf("%s: %s: functions nested more than %d deep", g.file, n.where(), maxInlineDepth)
	}
	for _, s := range n.stack {
		if s == fname {
			return fmt.Errorf("%s: %s: function %s calls itself (recursion is not supported)", g.file, n.where(), fname)
		}
	}
	sig := f.GetSignature()
	var args []string // the call's data inputs
	for _, in := range n.inputs {
		if in[0] != '^' {
			args = append(args, in)
		}
	}
	if isIf(n) && len(args) > 0 {
		args = args[1:] // the predicate; the branches take the rest
	}
	if len(args) != len(sig.GetInputArg()) {
		return fmt.Errorf("%s: %s passes %d inputs to function %s, which takes %d", g.file, n.where(), len(args), fname, len(sig.GetInputArg()))
	}
	argOf := map[string]string{}
	for i, a := range sig.GetInputArg() {
		if a.GetNumberAttr() != "" || a.GetTypeListAttr() != "" {
			return fmt.Errorf("%s: %s: function %s has a list argument %q, which tfc does not inline", g.file, n.where(), fname, a.GetName())
		}
		argOf[a.GetName()] = args[i]
	}
	// New names: "call/node", made unique if the graph has them already.
	newName := map[string]string{}
	defs := map[string]*tfpb.NodeDef{}
	for _, bd := range f.GetNodeDef() {
		defs[bd.GetName()] = bd
		nn := n.name + "/" + bd.GetName()
		for k := 1; g.nodes[nn] != nil; k++ {
			nn = fmt.Sprintf("%s/%s_%d", n.name, bd.GetName(), k)
		}
		newName[bd.GetName()] = nn
		g.nodes[nn] = &gnode{name: nn} // reserve
	}
	stack := append(append([]string(nil), n.stack...), fname)
	var bodyNodes []string
	for _, bd := range f.GetNodeDef() {
		bn := &gnode{def: bd, name: newName[bd.GetName()], fn: fname, stack: stack}
		for _, in := range bd.GetInput() {
			r, err := g.bodyRef(in, defs, argOf, newName)
			if err != nil {
				bn.err = fmt.Errorf("%s: %s: input %q: %v", g.file, bn.where(), in, err)
				break
			}
			bn.inputs = append(bn.inputs, r)
		}
		for k, v := range bd.GetAttr() {
			if v.GetPlaceholder() != "" {
				return fmt.Errorf("%s: node %q (%s) in function %s: attribute %q is a placeholder for function attribute %q (polymorphic functions are not supported)", g.file, bd.GetName(), bd.GetOp(), fname, k, v.GetPlaceholder())
			}
		}
		g.nodes[bn.name] = bn
		bodyNodes = append(bodyNodes, bn.name)
	}
	for j, oa := range sig.GetOutputArg() {
		ret, ok := f.GetRet()[oa.GetName()]
		if !ok {
			return fmt.Errorf("%s: function %s: output %q has no ret entry", g.file, fname, oa.GetName())
		}
		r, err := g.bodyRef(ret, defs, argOf, newName)
		if err != nil || r[0] == '^' {
			if err == nil {
				err = fmt.Errorf("a control output")
			}
			return fmt.Errorf("%s: function %s: output %q = %q: %v", g.file, fname, oa.GetName(), ret, err)
		}
		g.alias[fmt.Sprintf("%s:%d", n.name, j)] = r
	}
	delete(g.nodes, n.name)
	g.body[n.name] = bodyNodes
	return nil
}

// bodyRef rewrites an input reference of a function body: an argument
// name ("x") becomes the call's input, "node:out_arg:i" the inlined node's
// flat output "call/node:k", "^node" "^call/node".
func (g *graph) bodyRef(in string, defs map[string]*tfpb.NodeDef, argOf, newName map[string]string) (string, error) {
	if in == "" {
		return "", fmt.Errorf("empty name")
	}
	if in[0] == '^' {
		if nn, ok := newName[in[1:]]; ok {
			return "^" + nn, nil
		}
		if a, ok := argOf[in[1:]]; ok { // control dependency on an argument
			node, _ := splitTensor(strings.TrimPrefix(a, "^"))
			return "^" + node, nil
		}
		return "", fmt.Errorf("no node or argument %q", in[1:])
	}
	parts := strings.Split(in, ":")
	switch len(parts) {
	case 1:
		if a, ok := argOf[in]; ok {
			return a, nil
		}
		return "", fmt.Errorf("no argument %q", in)
	case 2: // "arg:0" is allowed by TensorFlow for arguments
		if a, ok := argOf[parts[0]]; ok && parts[1] == "0" {
			return a, nil
		}
		return "", fmt.Errorf("not an argument or a node:output:index reference")
	case 3:
		nn, ok := newName[parts[0]]
		if !ok {
			return "", fmt.Errorf("no node %q in the function", parts[0])
		}
		k, err := strconv.Atoi(parts[2])
		if err != nil || k < 0 {
			return "", fmt.Errorf("bad output index %q", parts[2])
		}
		idx, err := g.outputIndex(defs[parts[0]], parts[1], k)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s:%d", nn, idx), nil
	}
	return "", fmt.Errorf("malformed reference")
}

// outputIndex maps output k of output argument arg of node bd to the
// node's flat output index, using the op's OpDef (or, for calls, the
// called function's signature) and the node's attributes for the sizes of
// list outputs.
func (g *graph) outputIndex(bd *tfpb.NodeDef, arg string, k int) (int, error) {
	op := bd.GetOp()
	var outs []*tfpb.OpDef_ArgDef
	var attrs []*tfpb.OpDef_AttrDef
	if f, ok := g.lib[op]; ok {
		outs = f.GetSignature().GetOutputArg()
	} else if od, ok := g.opdefs[op]; ok {
		outs, attrs = od.GetOutputArg(), od.GetAttr()
	} else if od, ok := builtinOutputs[op]; ok {
		outs = od
	} else if g.oneOutput != nil && !multiOutput(op) {
		// A frozen graph (InlineCalls) has no OpDefs: an op outside the
		// table of those with several output arguments has one.
		if prev, ok := g.oneOutput[bd]; ok && prev != arg {
			return 0, fmt.Errorf("op %s is used through two output arguments, %q and %q, but tfc knows no OpDef to number them", op, prev, arg)
		}
		g.oneOutput[bd] = arg
		return k, nil
	} else {
		return 0, fmt.Errorf("op %s is not in the meta graph's stripped_op_list, so its output %q cannot be numbered", op, arg)
	}
	attr := func(name string) *tfpb.AttrValue {
		if v, ok := bd.GetAttr()[name]; ok {
			return v
		}
		for _, a := range attrs {
			if a.GetName() == name {
				return a.GetDefaultValue()
			}
		}
		return nil
	}
	base := 0
	for _, a := range outs {
		size := 1
		switch {
		case a.GetNumberAttr() != "":
			v := attr(a.GetNumberAttr())
			if v == nil {
				return 0, fmt.Errorf("op %s: no attribute %q for the length of output %q", op, a.GetNumberAttr(), a.GetName())
			}
			size = int(v.GetI())
		case a.GetTypeListAttr() != "":
			v := attr(a.GetTypeListAttr())
			if v == nil {
				return 0, fmt.Errorf("op %s: no attribute %q for the length of output %q", op, a.GetTypeListAttr(), a.GetName())
			}
			size = len(v.GetList().GetType())
		}
		if a.GetName() == arg {
			if k >= size {
				return 0, fmt.Errorf("op %s: output %q has %d tensors, no index %d", op, arg, size, k)
			}
			return base + k, nil
		}
		base += size
	}
	return 0, fmt.Errorf("op %s has no output %q", op, arg)
}

// builtinOutputs numbers the outputs of a few ops whose outputs function
// bodies name, for meta graphs written without a stripped_op_list.
var builtinOutputs = func() map[string][]*tfpb.OpDef_ArgDef {
	one := func(name string) []*tfpb.OpDef_ArgDef { return []*tfpb.OpDef_ArgDef{{Name: name}} }
	m := map[string][]*tfpb.OpDef_ArgDef{}
	for op, out := range map[string]string{
		"Identity": "output", "Const": "output", "ReadVariableOp": "value", "MatMul": "product",
		"BiasAdd": "output", "Relu": "activations", "Relu6": "activations", "Softmax": "softmax",
		"Conv2D": "output", "DepthwiseConv2dNative": "output", "AddV2": "z", "Add": "z", "Mul": "z",
		"Sub": "z", "RealDiv": "z", "Reshape": "output", "MaxPool": "output", "AvgPool": "output",
		"Mean": "output", "Sum": "output", "Pad": "output", "ConcatV2": "output", "Transpose": "y",
		"Squeeze": "output", "ExpandDims": "output", "Tanh": "y", "Sigmoid": "y", "Rsqrt": "y",
		"Shape": "output", "StridedSlice": "output", "Pack": "output", "Cast": "y",
	} {
		m[op] = one(out)
	}
	m["IdentityN"] = []*tfpb.OpDef_ArgDef{{Name: "output", TypeListAttr: "T"}}
	m["Split"] = []*tfpb.OpDef_ArgDef{{Name: "output", NumberAttr: "num_split"}}
	m["SplitV"] = []*tfpb.OpDef_ArgDef{{Name: "output", NumberAttr: "num_split"}}
	m["Unpack"] = []*tfpb.OpDef_ArgDef{{Name: "output", NumberAttr: "num"}}
	m["PartitionedCall"] = []*tfpb.OpDef_ArgDef{{Name: "output", TypeListAttr: "Tout"}}
	m["StatefulPartitionedCall"] = []*tfpb.OpDef_ArgDef{{Name: "output", TypeListAttr: "Tout"}}
	m["FusedBatchNormV3"] = []*tfpb.OpDef_ArgDef{{Name: "y"}, {Name: "batch_mean"}, {Name: "batch_variance"},
		{Name: "reserve_space_1"}, {Name: "reserve_space_2"}, {Name: "reserve_space_3"}}
	m["RestoreV2"] = []*tfpb.OpDef_ArgDef{{Name: "tensors", TypeListAttr: "dtypes"}}
	bn := []*tfpb.OpDef_ArgDef{{Name: "y"}, {Name: "batch_mean"}, {Name: "batch_variance"},
		{Name: "reserve_space_1"}, {Name: "reserve_space_2"}}
	m["FusedBatchNorm"], m["FusedBatchNormV2"] = bn, bn
	m["TopKV2"] = []*tfpb.OpDef_ArgDef{{Name: "values"}, {Name: "indices"}}
	m["Unique"] = []*tfpb.OpDef_ArgDef{{Name: "y"}, {Name: "idx"}}
	m["UniqueV2"] = m["Unique"]
	m["UniqueWithCounts"] = []*tfpb.OpDef_ArgDef{{Name: "y"}, {Name: "idx"}, {Name: "count"}}
	m["UniqueWithCountsV2"] = m["UniqueWithCounts"]
	m["DynamicPartition"] = []*tfpb.OpDef_ArgDef{{Name: "outputs", NumberAttr: "num_partitions"}}
	m["MaxPoolWithArgmax"] = []*tfpb.OpDef_ArgDef{{Name: "output"}, {Name: "argmax"}}
	m["IteratorGetNext"] = []*tfpb.OpDef_ArgDef{{Name: "components", TypeListAttr: "output_types"}}
	m["BroadcastGradientArgs"] = []*tfpb.OpDef_ArgDef{{Name: "r0"}, {Name: "r1"}}
	return m
}()

// multiOutput reports whether op has several output arguments and is not
// in builtinOutputs, so that its outputs cannot be numbered without its
// OpDef.
func multiOutput(op string) bool {
	switch op {
	case "FusedBatchNormGradV3", "Switch", "RefSwitch", "Merge", "UniqueWithCounts", "Svd", "Qr", "Eig",
		"SparseSegmentSumGrad", "CTCGreedyDecoder", "NonMaxSuppressionV5", "SplitV2":
		return true
	}
	return false
}
