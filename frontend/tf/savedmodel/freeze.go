package savedmodel

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/bundle"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// Options control Freeze.
type Options struct {
	// Signature selects the signature whose inputs and outputs the frozen
	// graph has; empty means serving_default (or the only signature).
	Signature string
	// Tags select the meta graph of a SavedModel (as a set); empty means
	// "serve", or the only meta graph.
	Tags []string
	// Outputs, when set, replaces the signature's outputs: each is an
	// output key of the signature or a tensor of the graph ("name:0";
	// tensors inside inlined functions are "call/node:0"). A checkpoint,
	// which has no signatures, needs them.
	Outputs []string
	// Warn, if set, receives warnings.
	Warn func(string)
}

// TensorInfo describes an input or output of a frozen graph.
type TensorInfo struct {
	// Key is the signature's key for the tensor ("" for outputs given by
	// tensor name).
	Key string
	// Name is the tensor's name in the frozen graph ("image:0").
	Name  string
	DType tfpb.DataType
	// Shape as the signature or placeholder declares it (nil: unknown).
	Shape *tfpb.TensorShapeProto
}

// Freeze opens the model at path and freezes the chosen signature.
func Freeze(path string, opts Options) (*Frozen, error) {
	m, err := Open(path, opts.Tags)
	if err != nil {
		return nil, err
	}
	return m.Freeze(opts)
}

// freezer holds the state of one Freeze.
type freezer struct {
	m      *Model
	g      *graph
	opts   Options
	sig    *tfpb.SignatureDef
	sigKey string
	// inputKey maps a signature input's placeholder node to its key.
	inputKey map[string]string
	inputs   []TensorInfo
	// restore maps a variable node (VarHandleOp, VariableV2) to its
	// checkpoint key; nil until computed.
	restore map[string]string
	bundle  *bundle.Reader
	frozen  *Frozen
	// emitted nodes, in order, with their resolved data inputs.
	order  []*gnode
	ins    map[string][]string
	done   map[string]bool
	varsOf map[string]bool // variables read
}

// Freeze freezes the signature (or outputs) opts chooses into a GraphDef:
// calls inlined, only what the outputs need, variable reads replaced by
// constants holding the checkpoint's tensors (read when the graph is
// written or imported), control edges, device placements and internal
// ("_"-prefixed) attributes dropped, and missing attributes filled in with
// their OpDef defaults.
func (m *Model) Freeze(opts Options) (*Frozen, error) {
	sig, key, err := m.Signature(opts.Signature)
	if err != nil {
		return nil, err
	}
	if sig == nil && len(opts.Outputs) == 0 {
		return nil, fmt.Errorf("%s: the meta graph has no signatures; give the outputs to compute (-outputs name:0,...)", m.GraphFile)
	}
	g, err := newGraph(m.GraphFile, m.MetaGraph)
	if err != nil {
		return nil, err
	}
	fz := &freezer{m: m, g: g, opts: opts, sig: sig, sigKey: key,
		inputKey: map[string]string{}, ins: map[string][]string{}, done: map[string]bool{}, varsOf: map[string]bool{}}
	fz.frozen = &Frozen{Signature: key, weights: map[string]string{}}
	if err := fz.cutInputs(); err != nil {
		fz.close()
		return nil, err
	}
	outs, err := fz.outputs()
	if err != nil {
		fz.close()
		return nil, err
	}
	for _, o := range outs {
		if err := fz.walk(o.tensor); err != nil {
			fz.close()
			return nil, err
		}
	}
	if err := fz.emit(outs); err != nil {
		fz.close()
		return nil, err
	}
	fz.frozen.bundle = fz.bundle
	fz.frozen.Variables = len(fz.varsOf)
	return fz.frozen, nil
}

func (fz *freezer) close() {
	if fz.bundle != nil {
		fz.bundle.Close()
	}
}

func (fz *freezer) warn(format string, args ...any) {
	if fz.opts.Warn != nil {
		fz.opts.Warn(fmt.Sprintf(format, args...))
	}
}

// cutInputs makes every signature input a Placeholder: an input that is a
// placeholder already is kept (and renamed to its key later); any other
// tensor is cut off and replaced by a new placeholder.
func (fz *freezer) cutInputs() error {
	if fz.sig == nil {
		return nil
	}
	for _, k := range sortedKeys(fz.sig.GetInputs()) {
		ti := fz.sig.GetInputs()[k]
		if ti.GetName() == "" {
			return fmt.Errorf("%s: signature %q: input %q is not a dense tensor (sparse and composite inputs are not supported)", fz.m.GraphFile, fz.sigKey, k)
		}
		t, err := canonical(ti.GetName())
		if err != nil || t[0] == '^' {
			return fmt.Errorf("%s: signature %q: input %q: bad tensor name %q", fz.m.GraphFile, fz.sigKey, k, ti.GetName())
		}
		node, idx := splitTensor(t)
		n, ok := fz.g.nodes[node]
		if !ok {
			return fmt.Errorf("%s: signature %q: input %q names tensor %q, but the graph has no node %q", fz.m.GraphFile, fz.sigKey, k, ti.GetName(), node)
		}
		info := TensorInfo{Key: k, DType: ti.GetDtype(), Shape: ti.GetTensorShape()}
		if n.op() == "Placeholder" && idx == 0 {
			fz.inputKey[node] = k
			if s, ok := n.def.GetAttr()["shape"]; ok && info.Shape == nil {
				info.Shape = s.GetShape()
			}
		} else {
			name := fz.uniqueName(k)
			ph := &tfpb.NodeDef{Name: name, Op: "Placeholder", Attr: map[string]*tfpb.AttrValue{
				"dtype": {Value: &tfpb.AttrValue_Type{Type: ti.GetDtype()}},
				"shape": {Value: &tfpb.AttrValue_Shape{Shape: shapeOrUnknown(ti.GetTensorShape())}},
			}}
			fz.g.nodes[name] = &gnode{def: ph, name: name}
			fz.g.alias[t] = name + ":0"
			fz.inputKey[name] = k
		}
		fz.inputs = append(fz.inputs, info)
	}
	return nil
}

func shapeOrUnknown(s *tfpb.TensorShapeProto) *tfpb.TensorShapeProto {
	if s == nil {
		return &tfpb.TensorShapeProto{UnknownRank: true}
	}
	return s
}

// uniqueName returns base, or base_1, base_2, ... if the graph has it.
func (fz *freezer) uniqueName(base string) string {
	name := base
	for k := 1; fz.g.nodes[name] != nil || fz.g.body[name] != nil; k++ {
		name = fmt.Sprintf("%s_%d", base, k)
	}
	return name
}

// output is one output of the frozen graph before naming.
type output struct {
	key    string
	tensor string // resolved
	dtype  tfpb.DataType
	shape  *tfpb.TensorShapeProto
}

func (fz *freezer) outputs() ([]output, error) {
	var outs []output
	add := func(key, name string, ti *tfpb.TensorInfo) error {
		t, err := canonical(name)
		if err != nil || t[0] == '^' {
			return fmt.Errorf("%s: output %q: bad tensor name", fz.m.GraphFile, name)
		}
		r, err := fz.g.resolve(t)
		if err != nil {
			return err
		}
		o := output{key: key, tensor: r, dtype: ti.GetDtype(), shape: ti.GetTensorShape()}
		if ti == nil { // a tensor by name: its dtype from the node, when it says
			node, _ := splitTensor(r)
			for _, a := range []string{"T", "dtype", "DstT", "out_type"} {
				if dt := fz.g.nodes[node].def.GetAttr()[a].GetType(); dt != tfpb.DataType_DT_INVALID {
					o.dtype = dt
					break
				}
			}
		}
		outs = append(outs, o)
		return nil
	}
	if len(fz.opts.Outputs) > 0 {
		for _, o := range fz.opts.Outputs {
			k := strings.TrimSuffix(o, ":0")
			if ti, ok := fz.sig.GetOutputs()[k]; ok && ti.GetName() != "" {
				if err := add(k, ti.GetName(), ti); err != nil {
					return nil, err
				}
				continue
			}
			if err := add("", o, nil); err != nil {
				return nil, err
			}
		}
		return outs, nil
	}
	for _, k := range sortedKeys(fz.sig.GetOutputs()) {
		ti := fz.sig.GetOutputs()[k]
		if ti.GetName() == "" {
			return nil, fmt.Errorf("%s: signature %q: output %q is not a dense tensor (sparse and composite outputs are not supported)", fz.m.GraphFile, fz.sigKey, k)
		}
		if err := add(k, ti.GetName(), ti); err != nil {
			return nil, err
		}
	}
	if len(outs) == 0 {
		return nil, fmt.Errorf("%s: signature %q has no outputs", fz.m.GraphFile, fz.sigKey)
	}
	return outs, nil
}

// Ops that hold or read variables, and what freezing does with them.
var (
	refVariableOps = map[string]bool{"VariableV2": true, "Variable": true}
	// Stateful ops that have no place in an inference graph's data path.
	statefulOps = map[string]bool{
		"VarHandleOp": true, "AssignVariableOp": true, "Assign": true, "AssignAdd": true, "AssignSub": true,
		"AssignAddVariableOp": true, "AssignSubVariableOp": true, "VarIsInitializedOp": true,
		"RestoreV2": true, "SaveV2": true, "MergeV2Checkpoints": true, "IsVariableInitialized": true,
		"HashTableV2": true, "MutableHashTableV2": true, "LookupTableFindV2": true, "LookupTableImportV2": true,
	}
	// Functional control flow, which would need its branch and body
	// functions inlined under conditions.
	controlFlowOps = map[string]bool{
		"If": true, "StatelessIf": true, "While": true, "StatelessWhile": true, "Case": true, "StatelessCase": true,
		"For": true, "Switch": true, "Merge": true, "Enter": true, "Exit": true, "NextIteration": true, "LoopCond": true,
	}
)

// walk visits, depth first and without recursion, every node the tensor t
// needs through data edges, and records them in post-order.
func (fz *freezer) walk(t string) error {
	type frame struct {
		n    *gnode
		ins  []string // resolved data inputs still to visit
		next int
	}
	start, _ := splitTensor(t)
	if fz.done[start] {
		return nil
	}
	onStack := map[string]bool{}
	var stack []*frame
	push := func(name string) error {
		n := fz.g.nodes[name]
		ins, err := fz.dataInputs(n)
		if err != nil {
			return err
		}
		onStack[name] = true
		stack = append(stack, &frame{n: n, ins: ins})
		return nil
	}
	if err := push(start); err != nil {
		return err
	}
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		if f.next < len(f.ins) {
			in, _ := splitTensor(f.ins[f.next])
			f.next++
			if fz.done[in] {
				continue
			}
			if onStack[in] {
				return fmt.Errorf("%s: %s: the graph has a cycle through node %q", fz.m.GraphFile, f.n.where(), in)
			}
			if err := push(in); err != nil {
				return err
			}
			continue
		}
		stack = stack[:len(stack)-1]
		delete(onStack, f.n.name)
		fz.done[f.n.name] = true
		fz.ins[f.n.name] = f.ins
		fz.order = append(fz.order, f.n)
	}
	return nil
}

// dataInputs returns the resolved data inputs the walk follows from n:
// none for the nodes that become constants or inputs, the indices of a
// ResourceGather, all data inputs otherwise.
func (fz *freezer) dataInputs(n *gnode) ([]string, error) {
	if n.err != nil {
		return nil, n.err
	}
	op := n.op()
	switch {
	case op == "Placeholder" || op == "ReadVariableOp" || refVariableOps[op]:
		return nil, nil
	case op == "ResourceGather":
		if len(n.inputs) < 2 {
			return nil, fmt.Errorf("%s: %s: want 2 inputs", fz.m.GraphFile, n.where())
		}
		r, err := fz.g.resolve(n.inputs[1])
		if err != nil {
			return nil, err
		}
		return []string{r}, nil
	case statefulOps[op]:
		return nil, fmt.Errorf("%s: %s is needed by the outputs, but a frozen graph cannot hold it", fz.m.GraphFile, n.where())
	case controlFlowOps[op]:
		return nil, fmt.Errorf("%s: %s is needed by the outputs: control flow is not supported", fz.m.GraphFile, n.where())
	}
	var ins []string
	for _, in := range n.inputs {
		if in[0] == '^' {
			continue
		}
		r, err := fz.g.resolve(in)
		if err != nil {
			return nil, err
		}
		node, _ := splitTensor(r)
		if p := fz.g.nodes[node]; p.op() == "VarHandleOp" {
			return nil, fmt.Errorf("%s: %s uses variable %q through its resource handle; tfc freezes ReadVariableOp and ResourceGather reads only", fz.m.GraphFile, n.where(), node)
		}
		ins = append(ins, r)
	}
	return ins, nil
}

// emit builds the frozen GraphDef from the walked nodes.
func (fz *freezer) emit(outs []output) error {
	// Final names: signature input placeholders take their key's name
	// when no other kept node has it.
	kept := map[string]bool{}
	for _, n := range fz.order {
		kept[n.name] = true
	}
	rename := map[string]string{}
	for _, n := range fz.order {
		if k, ok := fz.inputKey[n.name]; ok && k != n.name && !kept[k] && validNodeName(k) {
			rename[n.name] = k
			kept[k] = true
			delete(kept, n.name)
		}
	}
	newName := func(node string) string {
		if r, ok := rename[node]; ok {
			return r
		}
		return node
	}
	tensorName := func(t string) string {
		node, k := splitTensor(t)
		return fmt.Sprintf("%s:%d", newName(node), k)
	}
	gd := &tfpb.GraphDef{Versions: fz.m.MetaGraph.GetGraphDef().GetVersions()}
	for _, n := range fz.order {
		var nd *tfpb.NodeDef
		switch {
		case n.op() == "ReadVariableOp" || refVariableOps[n.op()]:
			w, err := fz.weight(n)
			if err != nil {
				return err
			}
			nd = w
		case n.op() == "ResourceGather":
			nds, err := fz.resourceGather(n, tensorName)
			if err != nil {
				return err
			}
			gd.Node = append(gd.Node, nds...)
			continue
		default:
			nd = &tfpb.NodeDef{Name: newName(n.name), Op: n.op(), Attr: fz.attrs(n)}
			for _, in := range fz.ins[n.name] {
				nd.Input = append(nd.Input, gdefName(tensorName(in)))
			}
			if n.op() == "Placeholder" {
				if _, ok := fz.inputKey[n.name]; !ok && fz.sig != nil {
					fz.warn("%s: placeholder %q is needed by the outputs but is not an input of signature %q; it stays an input", fz.m.GraphFile, n.name, fz.sigKey)
				}
			}
		}
		gd.Node = append(gd.Node, nd)
	}
	// Inputs, in signature key order; placeholders outside the signature
	// after them, in graph order.
	fr := fz.frozen
	for _, in := range fz.inputs {
		var node string
		for p, k := range fz.inputKey {
			if k == in.Key {
				node = p
			}
		}
		if !fz.done[node] {
			fz.warn("%s: signature %q: input %q is not needed by the outputs; the frozen graph does not have it", fz.m.GraphFile, fz.sigKey, in.Key)
			continue
		}
		in.Name = newName(node) + ":0"
		fr.Inputs = append(fr.Inputs, in)
	}
	for _, n := range fz.order {
		if _, ok := fz.inputKey[n.name]; !ok && n.op() == "Placeholder" {
			fr.Inputs = append(fr.Inputs, TensorInfo{Name: newName(n.name) + ":0",
				DType: n.def.GetAttr()["dtype"].GetType(), Shape: n.def.GetAttr()["shape"].GetShape()})
		}
	}
	// Outputs: signature outputs are named by their key, through an
	// Identity node when the key is free.
	for _, o := range outs {
		name := tensorName(o.tensor)
		if o.key != "" && name != o.key+":0" && !kept[o.key] && validNodeName(o.key) && o.dtype != tfpb.DataType_DT_INVALID {
			gd.Node = append(gd.Node, &tfpb.NodeDef{Name: o.key, Op: "Identity", Input: []string{gdefName(name)},
				Attr: map[string]*tfpb.AttrValue{"T": {Value: &tfpb.AttrValue_Type{Type: o.dtype}}}})
			kept[o.key] = true
			name = o.key + ":0"
		}
		fr.Outputs = append(fr.Outputs, TensorInfo{Key: o.key, Name: name, DType: o.dtype, Shape: o.shape})
	}
	fr.Graph = gd
	return nil
}

// validNodeName reports whether s may name a node (TensorFlow's rule:
// [A-Za-z0-9.][A-Za-z0-9_.\-/>]*).
func validNodeName(s string) bool {
	for i, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
		if i > 0 {
			ok = ok || c == '_' || c == '-' || c == '/' || c == '>'
		}
		if !ok {
			return false
		}
	}
	return s != ""
}

// attrs copies a node's attributes without the internal ones (names
// starting with "_": _class, _output_shapes, _user_specified_name, ...)
// and with the OpDef defaults of missing ones.
func (fz *freezer) attrs(n *gnode) map[string]*tfpb.AttrValue {
	out := make(map[string]*tfpb.AttrValue, len(n.def.GetAttr()))
	for k, v := range n.def.GetAttr() {
		if !strings.HasPrefix(k, "_") {
			out[k] = v
		}
	}
	if od, ok := fz.g.opdefs[n.op()]; ok {
		for _, a := range od.GetAttr() {
			if _, ok := out[a.GetName()]; !ok && a.GetDefaultValue() != nil {
				out[a.GetName()] = a.GetDefaultValue()
			}
		}
	}
	return out
}
