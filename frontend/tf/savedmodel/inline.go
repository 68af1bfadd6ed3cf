package savedmodel

import (
	"fmt"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// InlineCalls returns gd with every function call of the graph
// (StatefulPartitionedCall, PartitionedCall, or a node whose op is a
// function of the graph's library) inlined, by the code Freeze inlines
// with: nested calls too, body nodes named "call/node", body inputs
// "node:out_arg:i" numbered from the ops' output arguments. This is what
// a frozen graph still holding calls needs, for example one with a Keras
// layer compiled by XLA (jit_compile=True; TensorFlow does not inline
// functions marked _XlaMustCompile or _noinline when freezing).
//
// Each call node is replaced by an IdentityN of the same name forwarding
// the tensors its function returns, so that every name outside the calls
// (other nodes' inputs, control inputs, -outputs) still holds. The body
// nodes the calls' results need are appended after the graph's own nodes,
// without their control inputs; the library is dropped. A graph with no
// call is returned as is, and n is the number of calls inlined (nested
// ones included).
//
// A frozen graph has no stripped_op_list, so an op's outputs are numbered
// from a built-in table of the ops with several output arguments; any
// other op is taken to have one (an error says so when a body names two
// output arguments of one such node).
//
// An If or StatelessIf whose predicate is a constant (a Const, or a
// PlaceholderWithDefault left at its constant default, through Identity
// nodes) is a call of the branch it selects. fed names nodes whose values
// the caller feeds (a PlaceholderWithDefault given with -inputs): a
// predicate coming from one is not constant.
func InlineCalls(file string, gd *tfpb.GraphDef, fed ...string) (out *tfpb.GraphDef, n int, err error) {
	g, err := newGraphDef(file, gd, nil)
	if err != nil {
		return nil, 0, err
	}
	g.fed = map[string]bool{}
	for _, f := range fed {
		g.fed[f] = true
	}
	g.oneOutput = map[*tfpb.NodeDef]string{}
	var calls []*gnode
	outer := map[string]bool{}
	for _, def := range gd.GetNode() {
		outer[def.GetName()] = true
		if gn := g.nodes[def.GetName()]; g.callee(gn) != "" {
			calls = append(calls, gn)
		}
	}
	if len(calls) == 0 {
		return gd, 0, nil
	}
	out = &tfpb.GraphDef{Versions: gd.GetVersions()}
	identity := map[string]*tfpb.NodeDef{}
	var pending []string // resolved tensors whose nodes may still need emitting
	for _, c := range calls {
		if _, done := g.body[c.name]; !done {
			if err := g.inline(c); err != nil {
				return nil, 0, err
			}
		}
		types, err := g.outputTypes(c)
		if err != nil {
			return nil, 0, err
		}
		id := &tfpb.NodeDef{Name: c.name, Op: "IdentityN", Attr: map[string]*tfpb.AttrValue{
			"T": {Value: &tfpb.AttrValue_List{List: &tfpb.AttrValue_ListValue{Type: types}}}}}
		for j := range types {
			r, err := g.resolve(fmt.Sprintf("%s:%d", c.name, j))
			if err != nil {
				return nil, 0, err
			}
			id.Input = append(id.Input, gdefName(r))
			pending = append(pending, r)
		}
		identity[c.name] = id
	}
	for _, def := range gd.GetNode() {
		if id, ok := identity[def.GetName()]; ok {
			out.Node = append(out.Node, id)
		} else {
			out.Node = append(out.Node, def)
		}
	}
	emitted := map[string]bool{}
	for len(pending) > 0 {
		t := pending[len(pending)-1]
		pending = pending[:len(pending)-1]
		name, _ := splitTensor(t)
		if outer[name] || emitted[name] {
			continue
		}
		emitted[name] = true
		bn := g.nodes[name]
		if bn.err != nil {
			return nil, 0, bn.err
		}
		nd := &tfpb.NodeDef{Name: name, Op: bn.op(), Attr: bn.def.GetAttr()}
		for _, in := range bn.inputs {
			if in[0] == '^' {
				continue
			}
			r, err := g.resolve(in)
			if err != nil {
				return nil, 0, err
			}
			nd.Input = append(nd.Input, gdefName(r))
			pending = append(pending, r)
		}
		out.Node = append(out.Node, nd)
	}
	return out, len(g.body), nil
}

// outputTypes returns the dtypes of a call's outputs: its Tout attribute,
// else its function's signature.
func (g *graph) outputTypes(c *gnode) ([]tfpb.DataType, error) {
	if l := c.def.GetAttr()["Tout"].GetList(); l != nil {
		return l.GetType(), nil
	}
	f := g.lib[g.callee(c)]
	var types []tfpb.DataType
	for _, a := range f.GetSignature().GetOutputArg() {
		dt := a.GetType()
		if ta := a.GetTypeAttr(); ta != "" {
			dt = c.def.GetAttr()[ta].GetType()
		}
		if dt == tfpb.DataType_DT_INVALID || a.GetNumberAttr() != "" || a.GetTypeListAttr() != "" {
			return nil, fmt.Errorf("%s: %s: output %q of function %s has no single dtype tfc can tell", g.file, c.where(), a.GetName(), f.GetSignature().GetName())
		}
		types = append(types, dt)
	}
	return types, nil
}
