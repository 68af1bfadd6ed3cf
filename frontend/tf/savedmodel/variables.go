package savedmodel

// Variables: which checkpoint tensor each variable read stands for (the saver's
// restore subgraph), and the Const nodes that replace the reads.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/bundle"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// varOf returns the variable node a ReadVariableOp or ResourceGather reads
// (through Identity nodes on the handle).
func (fz *freezer) varOf(n *gnode) (*gnode, error) {
	var t string
	for _, in := range n.inputs {
		if in[0] != '^' {
			t = in
			break
		}
	}
	if t == "" {
		return nil, fmt.Errorf("%s: %s has no resource input", fz.m.GraphFile, n.where())
	}
	for range 1000 {
		r, err := fz.g.resolve(t)
		if err != nil {
			return nil, err
		}
		node, _ := splitTensor(r)
		h := fz.g.nodes[node]
		switch h.op() {
		case "VarHandleOp":
			return h, nil
		case "Identity":
			if len(h.inputs) > 0 && h.inputs[0][0] != '^' {
				t = h.inputs[0]
				continue
			}
		case "Placeholder":
			return nil, fmt.Errorf("%s: %s reads a variable through placeholder %q, which no VarHandleOp feeds (a function argument left unbound?)", fz.m.GraphFile, n.where(), node)
		}
		return nil, fmt.Errorf("%s: %s reads a variable handle made by %s, not by a VarHandleOp", fz.m.GraphFile, n.where(), h.where())
	}
	return nil, fmt.Errorf("%s: %s: resource Identity chain too long", fz.m.GraphFile, n.where())
}

// restoreMap computes, once, which checkpoint key the saver's restore op
// assigns to every variable: it visits everything the restore op runs
// (inputs, control inputs, and the whole body of called functions), and
// for each Assign/AssignVariableOp follows the value back to the
// RestoreV2 output it comes from, whose tensor_names constant gives the
// key. This is what TensorFlow's C++ loader executes (it feeds the
// variables' path to saver_def.filename_tensor_name and runs
// saver_def.restore_op_name).
func (fz *freezer) restoreMap() (map[string]string, error) {
	if fz.restore != nil {
		return fz.restore, nil
	}
	fz.restore = map[string]string{}
	g := fz.g
	root := fz.m.MetaGraph.GetSaverDef().GetRestoreOpName()
	if root == "" {
		return fz.restore, nil
	}
	if i := strings.LastIndexByte(root, ':'); i > 0 {
		root = root[:i]
	}
	if g.nodes[root] == nil && g.body[root] == nil {
		return nil, fmt.Errorf("%s: the saver's restore op %q is not in the graph", fz.m.GraphFile, root)
	}
	seen := map[string]bool{}
	stack := []string{root}
	var assigns []*gnode
	for len(stack) > 0 {
		name := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[name] {
			continue
		}
		seen[name] = true
		if body, ok := g.body[name]; ok { // an inlined call: it runs its whole body
			stack = append(stack, body...)
			continue
		}
		n := g.nodes[name]
		if n == nil {
			return nil, fmt.Errorf("%s: the restore op needs node %q, which is not in the graph", fz.m.GraphFile, name)
		}
		if g.callee(n) != "" {
			if err := g.inline(n); err != nil {
				return nil, err
			}
			seen[name] = false
			stack = append(stack, name)
			for _, in := range n.inputs {
				stack = append(stack, nodeOfRef(in))
			}
			continue
		}
		if n.err != nil {
			return nil, n.err
		}
		if n.op() == "Assign" || n.op() == "AssignVariableOp" {
			assigns = append(assigns, n)
		}
		for _, in := range n.inputs {
			if in[0] == '^' {
				stack = append(stack, in[1:])
				continue
			}
			r, err := g.resolve(in)
			if err != nil {
				return nil, err
			}
			stack = append(stack, nodeOfRef(r))
		}
	}
	for _, a := range assigns {
		if err := fz.recordAssign(a); err != nil {
			return nil, err
		}
	}
	return fz.restore, nil
}

func nodeOfRef(r string) string {
	if r[0] == '^' {
		return r[1:]
	}
	n, _ := splitTensor(r)
	return n
}

// recordAssign maps the variable an Assign or AssignVariableOp of the
// restore graph writes to the checkpoint key of the value.
func (fz *freezer) recordAssign(a *gnode) error {
	g := fz.g
	var data []string
	for _, in := range a.inputs {
		if in[0] != '^' {
			data = append(data, in)
		}
	}
	if len(data) != 2 {
		return fmt.Errorf("%s: %s: want 2 inputs", fz.m.GraphFile, a.where())
	}
	var v *gnode
	if a.op() == "AssignVariableOp" {
		var err error
		if v, err = fz.varOf(a); err != nil {
			return err
		}
	} else {
		r, err := g.resolve(data[0])
		if err != nil {
			return err
		}
		v = g.nodes[nodeOfRef(r)]
		if !refVariableOps[v.op()] {
			return fmt.Errorf("%s: %s assigns to %s, not to a variable", fz.m.GraphFile, a.where(), v.where())
		}
	}
	t := data[1]
	for range 1000 {
		r, err := g.resolve(t)
		if err != nil {
			return err
		}
		node, k := splitTensor(r)
		src := g.nodes[node]
		switch src.op() {
		case "Identity":
			t = src.inputs[0]
			continue
		case "RestoreV2":
			key, err := fz.restoreKey(src, k)
			if err != nil {
				return err
			}
			if old, ok := fz.restore[v.name]; ok && old != key {
				return fmt.Errorf("%s: variable %q is restored from two checkpoint keys, %q and %q", fz.m.GraphFile, v.name, old, key)
			}
			fz.restore[v.name] = key
			return nil
		case "Restore", "RestoreSlice":
			return fmt.Errorf("%s: %s: the V1 checkpoint format (%s) is not supported; re-save with the V2 format", fz.m.GraphFile, a.where(), src.op())
		}
		// Values that do not come from the checkpoint (initializers
		// reached through the restore op) are not restores.
		fz.warn("%s: %s assigns a value computed by %s, not read from the checkpoint; ignored", fz.m.GraphFile, a.where(), src.where())
		return nil
	}
	return fmt.Errorf("%s: %s: Identity chain too long", fz.m.GraphFile, a.where())
}

// restoreKey returns the checkpoint key of output k of a RestoreV2 node.
func (fz *freezer) restoreKey(r *gnode, k int) (string, error) {
	if len(r.inputs) < 3 {
		return "", fmt.Errorf("%s: %s: want 3 inputs", fz.m.GraphFile, r.where())
	}
	names, err := fz.constStrings(r, r.inputs[1], "tensor_names")
	if err != nil {
		return "", err
	}
	specs, err := fz.constStrings(r, r.inputs[2], "shape_and_slices")
	if err != nil {
		return "", err
	}
	if k >= len(names) || k >= len(specs) {
		return "", fmt.Errorf("%s: %s: output %d, but tensor_names has %d entries", fz.m.GraphFile, r.where(), k, len(names))
	}
	if specs[k] != "" {
		return "", fmt.Errorf("%s: %s restores %q as slice %q: partitioned variables are not supported", fz.m.GraphFile, r.where(), names[k], specs[k])
	}
	return names[k], nil
}

// constStrings reads a string tensor held by a Const node.
func (fz *freezer) constStrings(user *gnode, t, what string) ([]string, error) {
	r, err := fz.g.resolve(t)
	if err != nil {
		return nil, err
	}
	n := fz.g.nodes[nodeOfRef(r)]
	tp := n.def.GetAttr()["value"].GetTensor()
	if n.op() != "Const" || tp.GetDtype() != tfpb.DataType_DT_STRING {
		return nil, fmt.Errorf("%s: %s: %s comes from %s, not from a string constant", fz.m.GraphFile, user.where(), what, n.where())
	}
	var out []string
	for _, s := range tp.GetStringVal() {
		out = append(out, string(s))
	}
	shape, _, _ := tfpb.ShapeFromProto(tp.GetTensorShape())
	if want := shape.Size(); len(out) == 1 && want > 1 { // a splat
		for len(out) < want {
			out = append(out, out[0])
		}
	}
	return out, nil
}

// weight turns a variable read (ReadVariableOp, VariableV2) into a Const
// node whose value is the checkpoint tensor of the variable, after
// checking dtype and shape against the graph.
func (fz *freezer) weight(n *gnode) (*tfpb.NodeDef, error) {
	v := n
	if !refVariableOps[n.op()] {
		var err error
		if v, err = fz.varOf(n); err != nil {
			return nil, err
		}
	}
	restore, err := fz.restoreMap()
	if err != nil {
		return nil, err
	}
	key, ok := restore[v.name]
	if !ok {
		why := fmt.Sprintf("the saver's restore op %q does not restore it", fz.m.MetaGraph.GetSaverDef().GetRestoreOpName())
		if fz.m.MetaGraph.GetSaverDef().GetRestoreOpName() == "" {
			why = "the meta graph has no saver to restore it"
		}
		return nil, fmt.Errorf("%s: %s reads variable %q, but %s", fz.m.GraphFile, n.where(), v.name, why)
	}
	if err := fz.openBundle(); err != nil {
		return nil, err
	}
	index := bundle.IndexFile(fz.bundle.Prefix())
	e, ok := fz.bundle.Entry(key)
	if !ok {
		return nil, fmt.Errorf("%s: no tensor %q (the checkpoint key of variable %q)", index, key, v.name)
	}
	mismatch := func(what string, graph, ckpt any) error {
		return fmt.Errorf("%s: variable %q is %s %v in the graph (%s), but its checkpoint tensor %q in %s is %v", fz.m.GraphFile, v.name, what, graph, v.op(), key, index, ckpt)
	}
	if dt := v.def.GetAttr()["dtype"].GetType(); dt != 0 && baseType(dt) != e.DType {
		return nil, mismatch("of dtype", baseType(dt), e.DType)
	}
	if dt := n.def.GetAttr()["dtype"].GetType(); n != v && dt != 0 && dt != e.DType {
		return nil, fmt.Errorf("%s: %s reads dtype %v, but the checkpoint tensor %q of variable %q in %s is %v", fz.m.GraphFile, n.where(), dt, key, v.name, index, e.DType)
	}
	if sa, ok := v.def.GetAttr()["shape"]; ok && !shapeCompatible(sa.GetShape(), e.Shape) {
		return nil, mismatch("of shape", shapeString(sa.GetShape()), e.Shape)
	}
	if e.Sliced {
		return nil, fmt.Errorf("%s: tensor %q (variable %q) is partitioned into slices, which tfc does not read", index, key, v.name)
	}
	if _, err := tfpb.DTypeFromProto(e.DType); err != nil {
		return nil, fmt.Errorf("%s: tensor %q (variable %q): %v", index, key, v.name, err)
	}
	fz.varsOf[v.name] = true
	fz.frozen.weights[n.name] = key
	fz.frozen.WeightBytes += e.Size
	return &tfpb.NodeDef{Name: n.name, Op: "Const", Attr: map[string]*tfpb.AttrValue{
		"dtype": {Value: &tfpb.AttrValue_Type{Type: e.DType}},
		"value": {Value: &tfpb.AttrValue_Tensor{Tensor: &tfpb.TensorProto{Dtype: e.DType, TensorShape: shapeProto(e.Shape)}}},
	}}, nil
}

func (fz *freezer) openBundle() error {
	if fz.bundle != nil {
		return nil
	}
	if fz.m.VariablesPrefix == "" {
		return fmt.Errorf("%s: the graph reads variables, but the SavedModel has no variables/variables.index", fz.m.GraphFile)
	}
	b, err := bundle.Open(fz.m.VariablesPrefix)
	if err != nil {
		return err
	}
	fz.bundle = b
	return nil
}

func baseType(dt tfpb.DataType) tfpb.DataType {
	if dt > 100 {
		return dt - 100
	}
	return dt
}

func shapeCompatible(sp *tfpb.TensorShapeProto, s tensor.Shape) bool {
	if sp.GetUnknownRank() {
		return true
	}
	if len(sp.GetDim()) != len(s) {
		return false
	}
	for i, d := range sp.GetDim() {
		if d.GetSize() >= 0 && int(d.GetSize()) != s[i] {
			return false
		}
	}
	return true
}

func shapeString(sp *tfpb.TensorShapeProto) string {
	if sp.GetUnknownRank() {
		return "<unknown rank>"
	}
	var parts []string
	for _, d := range sp.GetDim() {
		if d.GetSize() < 0 {
			parts = append(parts, "?")
		} else {
			parts = append(parts, strconv.FormatInt(d.GetSize(), 10))
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func shapeProto(s tensor.Shape) *tfpb.TensorShapeProto {
	sp := &tfpb.TensorShapeProto{}
	for _, d := range s {
		sp.Dim = append(sp.Dim, &tfpb.TensorShapeProto_Dim{Size: int64(d)})
	}
	return sp
}

// resourceGather rewrites ResourceGather(variable, indices) as
// GatherV2(Const weights, indices, Const 0).
func (fz *freezer) resourceGather(n *gnode, tensorName func(string) string) ([]*tfpb.NodeDef, error) {
	w, err := fz.weight(n)
	if err != nil {
		return nil, err
	}
	delete(fz.frozen.weights, n.name)
	w.Name = fz.uniqueName(n.name + "/params")
	fz.frozen.weights[w.Name] = fz.restore[mustVar(fz, n)]
	axis := &tfpb.NodeDef{Name: fz.uniqueName(n.name + "/axis"), Op: "Const", Attr: map[string]*tfpb.AttrValue{
		"dtype": {Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_INT32}},
		"value": {Value: &tfpb.AttrValue_Tensor{Tensor: &tfpb.TensorProto{Dtype: tfpb.DataType_DT_INT32, TensorShape: &tfpb.TensorShapeProto{}, IntVal: []int32{0}}}},
	}}
	fz.g.nodes[w.Name] = &gnode{def: w, name: w.Name}
	fz.g.nodes[axis.Name] = &gnode{def: axis, name: axis.Name}
	a := n.def.GetAttr()
	gather := &tfpb.NodeDef{Name: n.name, Op: "GatherV2",
		Input: []string{w.Name, gdefName(tensorName(fz.ins[n.name][0])), axis.Name},
		Attr: map[string]*tfpb.AttrValue{
			"Tparams":    {Value: &tfpb.AttrValue_Type{Type: w.Attr["dtype"].GetType()}},
			"Tindices":   a["Tindices"],
			"Taxis":      {Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_INT32}},
			"batch_dims": {Value: &tfpb.AttrValue_I{I: a["batch_dims"].GetI()}},
		}}
	if gather.Attr["Tindices"] == nil {
		gather.Attr["Tindices"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: tfpb.DataType_DT_INT32}}
	}
	return []*tfpb.NodeDef{w, axis, gather}, nil
}

func mustVar(fz *freezer, n *gnode) string {
	v, _ := fz.varOf(n)
	return v.name
}
