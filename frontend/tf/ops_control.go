package tf

import (
	"fmt"
	"strings"

	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TF2 functional control flow: While/StatelessWhile and If/StatelessIf
// whose cond, body and branches are functions of the graph's library
// become the IR's while and if (ir/ops_control.go). Each function is
// translated into a region on its own: a GraphDef holding one call of the
// function, fed by a Placeholder per argument (of the operand's type), is
// inlined by savedmodel.InlineCalls, the code that inlines calls when
// freezing, and imported like any graph; its placeholders become the
// region's inputs (named after the function's arguments) and the call's
// results its outputs (named after the function's outputs). Body nodes
// keep their names under the op's ("loop/body/add"), so every op inside
// a region is traced to its TensorFlow node.
//
// A loop variable that the body returns unchanged (a value the loop body
// captured: TensorFlow passes captures as loop variables) and that is a
// constant outside is a constant inside too, so converters that need
// constant operands (reshape targets, axes) work on captured constants.
// The same holds for a constant argument of a branch.
//
// Loop variables keep their type across iterations: a body that changes
// a variable's shape is refused, naming the variable (TensorFlow's shape
// invariants would have to be relaxed; tfc's while needs static types).

func init() {
	register("control", "while: a cond and a body region translated from the functions", convertWhile, "While", "StatelessWhile")
	register("control", "if: a then and an else region translated from the functions", convertIf, "If", "StatelessIf")
	register("control", "nested if: branch k runs when branch_index == k, the last one otherwise", convertCase, "Case", "StatelessCase")
}

// maxFunctionDepth bounds the nesting of control-flow functions (a
// function whose loop body holds a loop whose body ...).
const maxFunctionDepth = 32

func convertWhile(c *ctx, n *node) error {
	args, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	condName, bodyName := funcAttr(n, "cond"), funcAttr(n, "body")
	body, err := c.function(n, bodyName)
	if err != nil {
		return err
	}
	consts := make([]*tensor.Tensor, len(args))
	inv := passThrough(body)
	for i, in := range inv {
		if i < len(args) && in {
			consts[i] = c.constOperand(n, &args[i])
		}
	}
	// An array of unknown element shape carried by the loop gets the
	// shape its body writes.
	args, err = c.resolvePending(n, args, func(a []*ir.Value) (*ir.Func, error) {
		return c.region(n, "body", bodyName, a, consts, "T")
	})
	if err != nil {
		return err
	}
	cond, err := c.region(n, "cond", condName, args, consts, "T")
	if err != nil {
		return err
	}
	if err := predicate(n, cond); err != nil {
		return err
	}
	bodyR, err := c.region(n, "body", bodyName, args, consts, "T")
	if err != nil {
		return err
	}
	if len(bodyR.Outputs) != len(args) {
		return n.errorf("body %s returns %d values for %d loop variables", bodyName, len(bodyR.Outputs), len(args))
	}
	for i, in := range bodyR.Inputs() {
		if i < len(inv) && inv[i] {
			// Say so in the IR (ir.LoopInvariant), also for a
			// variable given to the body as a constant.
			bodyR.Outputs[i].Value = in.Results[0]
		}
	}
	bodyR.RemoveDead()
	for i, o := range bodyR.Outputs {
		if got, want := o.Value.Type, args[i].Type; !got.Equal(want) {
			return n.errorf("loop variable %d (%s) is %v on entry and %v after the body: tfc's while needs loop variables of one static type (fixed TensorFlow shape invariants)",
				i, o.Name, want, got)
		}
	}
	op, err := c.f.NewRegionOp(ir.OpWhile, args, []*ir.Func{cond, bodyR}, n.name)
	if err != nil {
		return n.errorf("%v", err)
	}
	return c.bind(n, op.Results...)
}

func convertIf(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	pred, err := c.toBool(n, vs[0])
	if err != nil {
		return err
	}
	args := vs[1:]
	if err := c.checkArgsReady(n, args); err != nil {
		return err
	}
	consts := make([]*tensor.Tensor, len(args))
	for i := range args {
		consts[i] = c.constOperand(n, &args[i])
	}
	then, err := c.region(n, "then", funcAttr(n, "then_branch"), args, consts, "Tin")
	if err != nil {
		return err
	}
	els, err := c.region(n, "else", funcAttr(n, "else_branch"), args, consts, "Tin")
	if err != nil {
		return err
	}
	if len(then.Outputs) != len(els.Outputs) {
		return n.errorf("then branch returns %d values, else branch %d", len(then.Outputs), len(els.Outputs))
	}
	for i := range then.Outputs {
		if a, b := then.Outputs[i].Value.Type, els.Outputs[i].Value.Type; !a.Equal(b) {
			return n.errorf("output %d is %v in the then branch and %v in the else branch: tfc's if needs one static type", i, a, b)
		}
	}
	if len(then.Outputs) == 0 {
		return n.errorf("the branches return nothing")
	}
	op, err := c.f.NewRegionOp(ir.OpIf, append([]*ir.Value{pred}, args...), []*ir.Func{then, els}, n.name)
	if err != nil {
		return n.errorf("%v", err)
	}
	return c.bind(n, op.Results...)
}

// convertCase translates Case(branch_index, args...) with branches b0 ..
// b(n-1) into nested ifs: if(index == 0, b0, if(index == 1, b1, ...
// b(n-1))). An index outside [0, n) runs the last branch, as TensorFlow's
// Case does. Regions are isolated, so the index is an operand of every if
// (an unused input of each branch region).
func convertCase(c *ctx, n *node) error {
	vs, err := c.inputs(n, 1, -1)
	if err != nil {
		return err
	}
	idx, args := vs[0], vs[1:]
	if idx.Type.DType != tensor.Int32 || idx.Type.Rank() != 0 {
		return n.errorf("branch_index is %v, want i32[]", idx.Type)
	}
	if err := c.checkArgsReady(n, args); err != nil {
		return err
	}
	var names []string
	for _, f := range n.def().GetAttr()["branches"].GetList().GetFunc() {
		names = append(names, f.GetName())
	}
	if len(names) == 0 {
		return n.errorf("has no branches")
	}
	consts := make([]*tensor.Tensor, len(args))
	for i := range args {
		consts[i] = c.constOperand(n, &args[i])
	}
	branches := make([]*ir.Func, len(names))
	for k, name := range names {
		r, err := c.region(n, fmt.Sprintf("branch%d", k), name, args, consts, "Tin")
		if err != nil {
			return err
		}
		if k > 0 {
			if len(r.Outputs) != len(branches[0].Outputs) {
				return n.errorf("branch %d returns %d values, branch 0 %d", k, len(r.Outputs), len(branches[0].Outputs))
			}
			for i := range r.Outputs {
				if a, b := branches[0].Outputs[i].Value.Type, r.Outputs[i].Value.Type; !a.Equal(b) {
					return n.errorf("output %d is %v in branch 0 and %v in branch %d: tfc's if needs one static type", i, a, b, k)
				}
			}
		}
		branches[k] = r
	}
	if len(branches[0].Outputs) == 0 {
		return n.errorf("the branches return nothing")
	}
	if len(branches) == 1 {
		outs, err := c.f.Inline(branches[0], args)
		if err != nil {
			return n.errorf("%v", err)
		}
		return c.bind(n, outs...)
	}
	// withIndex is branch k as a region taking the index first.
	withIndex := func(kind string, k int) (*ir.Func, error) {
		w := ir.NewFunc(kind)
		ins := []*ir.Value{}
		w.Input("branch_index", idx.Type)
		for i, in := range branches[k].Inputs() {
			ins = append(ins, w.Input(in.Str("name"), args[i].Type))
		}
		outs, err := w.Inline(branches[k], ins)
		if err != nil {
			return nil, err
		}
		for i, o := range branches[k].Outputs {
			w.AddOutput(o.Name, outs[i])
		}
		return w, nil
	}
	// chain(f, k, in) emits into f the ifs choosing among branches k..,
	// given the index and args as f's values, and returns their results.
	var chain func(f *ir.Func, k int, in []*ir.Value) ([]*ir.Value, error)
	chain = func(f *ir.Func, k int, in []*ir.Value) ([]*ir.Value, error) {
		then, err := withIndex("then", k)
		if err != nil {
			return nil, err
		}
		var els *ir.Func
		if k+2 == len(branches) {
			if els, err = withIndex("else", k+1); err != nil {
				return nil, err
			}
		} else {
			els = ir.NewFunc("else")
			eins := []*ir.Value{els.Input("branch_index", idx.Type)}
			for i, a := range args {
				eins = append(eins, els.Input(branches[k+1].Inputs()[i].Str("name"), a.Type))
			}
			outs, err := chain(els, k+1, eins)
			if err != nil {
				return nil, err
			}
			for i, o := range branches[k+1].Outputs {
				els.AddOutput(o.Name, outs[i])
			}
		}
		kt := tensor.MustNew(tensor.Int32, tensor.Shape{})
		kt.I32[0] = int32(k)
		pred, err := f.Emit(ir.OpEqual, []*ir.Value{in[0], f.Const(kt, n.name)}, nil, n.name)
		if err != nil {
			return nil, err
		}
		op, err := f.NewRegionOp(ir.OpIf, append([]*ir.Value{pred}, in...), []*ir.Func{then, els}, fmt.Sprintf("%s/case%d", n.name, k))
		if err != nil {
			return nil, err
		}
		return op.Results, nil
	}
	outs, err := chain(c.f, 0, append([]*ir.Value{idx}, args...))
	if err != nil {
		return n.errorf("%v", err)
	}
	return c.bind(n, outs...)
}

func funcAttr(n *node, name string) string { return n.def().GetAttr()[name].GetFunc().GetName() }

// function returns the library function named name.
func (c *ctx) function(n *node, name string) (*tfpb.FunctionDef, error) {
	if name == "" {
		return nil, n.errorf("has no function attribute")
	}
	f, ok := c.lib[name]
	if !ok {
		return nil, n.errorf("function %q is not in the graph's library", name)
	}
	return f, nil
}

// passThrough reports, for each output of f, whether it returns the input
// argument of the same position unchanged (directly or through Identity
// nodes).
func passThrough(f *tfpb.FunctionDef) []bool {
	sig := f.GetSignature()
	nodes := map[string]*tfpb.NodeDef{}
	for _, nd := range f.GetNodeDef() {
		nodes[nd.GetName()] = nd
	}
	out := make([]bool, len(sig.GetOutputArg()))
	for i, oa := range sig.GetOutputArg() {
		if i >= len(sig.GetInputArg()) {
			break
		}
		ref := f.GetRet()[oa.GetName()]
		for range 16 {
			name := ref
			if k := strings.IndexByte(ref, ':'); k >= 0 {
				name = ref[:k]
			}
			nd, ok := nodes[name]
			if !ok || nd.GetOp() != "Identity" || len(nd.GetInput()) == 0 {
				break
			}
			ref = nd.GetInput()[0]
		}
		arg := sig.GetInputArg()[i].GetName()
		out[i] = ref == arg || ref == arg+":0"
	}
	return out
}

// region translates library function fname, called by n with args, into
// a region named kind. consts[i], when set, is the constant value of
// argument i, given to the function as a Const. typesAttr is n's list
// attribute holding the arguments' TensorFlow types.
func (c *ctx) region(n *node, kind, fname string, args []*ir.Value, consts []*tensor.Tensor, typesAttr string) (*ir.Func, error) {
	fn, err := c.function(n, fname)
	if err != nil {
		return nil, err
	}
	if c.depth >= maxFunctionDepth {
		return nil, n.errorf("control flow nested more than %d deep", maxFunctionDepth)
	}
	sig := fn.GetSignature()
	if len(sig.GetInputArg()) != len(args) {
		return nil, n.errorf("%s function %s takes %d arguments, the node passes %d", kind, fname, len(sig.GetInputArg()), len(args))
	}
	argTypes := n.def().GetAttr()[typesAttr].GetList().GetType()
	callName := n.name + "/" + kind
	gd := &tfpb.GraphDef{Library: c.libDef}
	shapes := map[string]tensor.Shape{}
	weights := map[string]*tensor.Tensor{}
	argNode := make(map[string]int, len(args)) // input op name → argument
	call := &tfpb.NodeDef{Name: callName, Op: "PartitionedCall", Attr: map[string]*tfpb.AttrValue{
		"f": {Value: &tfpb.AttrValue_Func{Func: &tfpb.NameAttrList{Name: fname}}}}}
	for i, a := range sig.GetInputArg() {
		dt := a.GetType()
		if dt == tfpb.DataType_DT_INVALID && i < len(argTypes) {
			dt = argTypes[i]
		}
		if p, err := protoDType(args[i].Type.DType); err == nil {
			// The IR's type: a TensorList (a variant) is a tensor.
			dt = p
		}
		pname := fmt.Sprintf("%s/_arg%d", callName, i)
		nd := &tfpb.NodeDef{Name: pname, Op: "Placeholder", Attr: map[string]*tfpb.AttrValue{
			"dtype": {Value: &tfpb.AttrValue_Type{Type: dt}}}}
		if consts[i] != nil {
			nd.Op = "Const"
			delete(nd.Attr, "dtype")
			weights[pname] = consts[i]
		} else {
			shapes[pname] = args[i].Type.Shape
		}
		gd.Node = append(gd.Node, nd)
		call.Input = append(call.Input, pname)
		argNode[pname+":0"] = i
	}
	var tout []tfpb.DataType
	for j, oa := range sig.GetOutputArg() {
		dt := oa.GetType()
		if dt == tfpb.DataType_DT_INVALID && typesAttr == "T" && j < len(argTypes) {
			dt = argTypes[j] // a loop body returns the loop variables' types
		}
		if dt == tfpb.DataType_DT_INVALID {
			if l := n.def().GetAttr()["Tout"].GetList(); l != nil && j < len(l.GetType()) {
				dt = l.GetType()[j]
			}
		}
		tout = append(tout, dt)
	}
	call.Attr["Tout"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_List{List: &tfpb.AttrValue_ListValue{Type: tout}}}
	gd.Node = append(gd.Node, call)
	inlined, _, err := savedmodel.InlineCalls("function library", gd)
	if err != nil {
		return nil, n.errorf("%s function %s: %v", kind, fname, err)
	}
	opts := c.opts
	opts.Name = kind
	opts.InputShapes = shapes
	opts.Symbolic = false
	opts.ReleaseConsts = false
	opts.Outputs = nil
	opts.pendingInputs = nil
	for i, a := range args {
		if p := c.pending[a]; p != nil {
			if opts.pendingInputs == nil {
				opts.pendingInputs = map[string]*pendingArray{}
			}
			opts.pendingInputs[fmt.Sprintf("%s/_arg%d", callName, i)] = p
		}
	}
	for j := range sig.GetOutputArg() {
		opts.Outputs = append(opts.Outputs, fmt.Sprintf("%s:%d", callName, j))
	}
	opts.Weights = func(name string) (*tensor.Tensor, error) { return weights[name], nil }
	f, err := importGraph(inlined, opts, c.lib, c.libDef, c.depth+1)
	if err != nil {
		return nil, n.errorf("%s function %s: %v", kind, fname, err)
	}
	r := ir.NewFunc(kind)
	m := make(map[*ir.Value]*ir.Value, len(f.Ops))
	ins := make([]*ir.Value, len(args))
	for i, a := range sig.GetInputArg() {
		ins[i] = r.Input(a.GetName(), args[i].Type)
	}
	for _, op := range f.Ops {
		if op.Opcode == ir.OpInput {
			i, ok := argNode[op.Str("name")]
			if !ok {
				return nil, n.errorf("%s function %s: unexpected input %q", kind, fname, op.Str("name"))
			}
			if got := op.Results[0].Type; !got.Equal(args[i].Type) {
				return nil, n.errorf("%s function %s: argument %d is %v, the node passes %v", kind, fname, i, got, args[i].Type)
			}
			m[op.Results[0]] = ins[i]
			continue
		}
		r.AppendCopy(op, m)
	}
	for j, o := range f.Outputs {
		r.AddOutput(sig.GetOutputArg()[j].GetName(), m[o.Value])
	}
	return r, nil
}

// constOperand returns the value of operand *v of a loop or conditional
// if it is a constant (the region then sees a constant), else nil. A
// constant computed by other ops than const becomes a const op in *v:
// nothing outside the region then computes a value that only the region
// reads, as a constant (a layer without a consumer, once lowered).
func (c *ctx) constOperand(n *node, v **ir.Value) *tensor.Tensor {
	if c.pending[*v] != nil {
		return nil
	}
	t, err := c.constValue(*v)
	if err != nil {
		return nil
	}
	if (*v).Op.Opcode != ir.OpConst {
		*v = c.constant(n, t)
	}
	return t
}

// predicate makes the cond region's output a bool scalar, as TensorFlow's
// While reads it: a number is true when nonzero, a non-scalar when it is
// not empty.
func predicate(n *node, cond *ir.Func) error {
	if len(cond.Outputs) != 1 {
		return n.errorf("cond returns %d values, want 1", len(cond.Outputs))
	}
	v, err := boolOf(cond, cond.Outputs[0].Value, n.name)
	if err != nil {
		return n.errorf("cond: %v", err)
	}
	cond.Outputs[0].Value = v
	return nil
}

// toBool converts an If's predicate to a bool scalar (see predicate).
func (c *ctx) toBool(n *node, v *ir.Value) (*ir.Value, error) {
	b, err := boolOf(c.f, v, n.name)
	if err != nil {
		return nil, n.errorf("predicate: %v", err)
	}
	return b, nil
}

// boolOf returns v as TensorFlow's control flow reads a predicate.
func boolOf(f *ir.Func, v *ir.Value, loc string) (*ir.Value, error) {
	t := v.Type
	if t.Rank() != 0 {
		size, err := t.Shape.NumElements()
		if err != nil {
			return nil, err
		}
		b := tensor.MustNew(tensor.Bool, tensor.Shape{})
		b.B[0] = size > 0
		return f.Const(b, loc), nil
	}
	if t.DType == tensor.Bool {
		return v, nil
	}
	zero := tensor.MustNew(t.DType, tensor.Shape{})
	return f.Emit(ir.OpNotEqual, []*ir.Value{v, f.Const(zero, loc)}, nil, loc)
}
