package tf

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// node is a GraphDef node with its data inputs resolved. (Its flags come
// last, together: a million nodes are one slab, 144 bytes each.)
type node struct {
	// nd is the NodeDef; def decodes it from enc, its encoding, first
	// when the graph was parsed lazily (ImportLazy). The attributes of a
	// plain node (tfpb.LazyNode.Plain, see plain) are read from enc.
	nd     *tfpb.NodeDef
	enc    []byte
	name   string
	op     string
	id     int         // position in ctx.order (ctx.addNode)
	inputs []tensorRef // data inputs, in order (control inputs dropped)
	// vals are the node's outputs' IR values, once bound (ctx.bind;
	// bound may be set with no values: NoOp).
	vals []*ir.Value
	one  [1]*ir.Value // vals' storage for a node of one output
	// loop is set on the node standing for a TF1 while loop
	// (controlflow_v1.go); loopExit on an Exit that reads such a node.
	loop     *tf1Loop
	plain    bool
	used     bool // a data input of another node
	bound    bool
	loopExit bool
}

// def returns the node's NodeDef, decoded from its encoding on first use
// when the graph was parsed lazily. A node that does not decode has no
// attributes here (and keeps its encoding: ImportLazy decodes it again,
// and reports ErrUndecodable).
func (n *node) def() *tfpb.NodeDef {
	if n.nd == nil && n.enc != nil {
		nd, err := tfpb.DecodeNode(n.enc)
		if err != nil {
			return &tfpb.NodeDef{Name: n.name, Op: n.op}
		}
		n.nd = nd
		if !n.plain {
			n.enc = nil // decodes: ImportLazy need not check it
		}
	}
	return n.nd
}

// plainAttr returns the encoding of the named attribute of a plain node
// (plain false: the node is not one, its attributes are def's).
func (n *node) plainAttr(name string) (val []byte, plain, found bool) {
	if !n.plain || n.enc == nil {
		return nil, false, false
	}
	val, found = tfpb.NodeAttr(n.enc, name)
	return val, true, found
}

// tensorRef names one output of a node: "name:index".
type tensorRef struct {
	node  string
	index int
}

func (r tensorRef) String() string { return fmt.Sprintf("%s:%d", r.node, r.index) }

// errorf returns an error naming the node and its op.
func (n *node) errorf(format string, args ...any) error {
	return &NodeError{Node: n.name, Op: n.op, Err: fmt.Errorf(format, args...)}
}

// NodeError is an error about one node of the graph.
type NodeError struct {
	Node, Op string
	Err      error
}

func (e *NodeError) Error() string { return fmt.Sprintf("node %q (%s): %v", e.Node, e.Op, e.Err) }
func (e *NodeError) Unwrap() error { return e.Err }

// attr returns the named attribute, or an error if it is missing.
func (n *node) attr(name string) (*tfpb.AttrValue, error) {
	if val, plain, found := n.plainAttr(name); plain {
		if !found {
			return nil, n.errorf("missing attribute %q", name)
		}
		a, err := tfpb.DecodeAttr(val)
		if err != nil { // not for a plain node's attribute
			return nil, n.errorf("attribute %q: %v", name, err)
		}
		return a, nil
	}
	a, ok := n.def().GetAttr()[name]
	if !ok || a == nil {
		return nil, n.errorf("missing attribute %q", name)
	}
	return a, nil
}

func (n *node) hasAttr(name string) bool {
	if _, plain, found := n.plainAttr(name); plain {
		return found
	}
	_, ok := n.def().GetAttr()[name]
	return ok
}

func kindOf(a *tfpb.AttrValue) string {
	switch v := a.GetValue().(type) {
	case *tfpb.AttrValue_S:
		return "string"
	case *tfpb.AttrValue_I:
		return "int"
	case *tfpb.AttrValue_F:
		return "float"
	case *tfpb.AttrValue_B:
		return "bool"
	case *tfpb.AttrValue_Type:
		return "type"
	case *tfpb.AttrValue_Shape:
		return "shape"
	case *tfpb.AttrValue_Tensor:
		return "tensor"
	case *tfpb.AttrValue_Func:
		return "func"
	case *tfpb.AttrValue_Placeholder:
		return "placeholder"
	case *tfpb.AttrValue_List:
		l := v.List
		switch {
		case len(l.GetI()) > 0:
			return "list(int)"
		case len(l.GetS()) > 0:
			return "list(string)"
		case len(l.GetF()) > 0:
			return "list(float)"
		case len(l.GetB()) > 0:
			return "list(bool)"
		case len(l.GetType()) > 0:
			return "list(type)"
		case len(l.GetShape()) > 0:
			return "list(shape)"
		case len(l.GetTensor()) > 0:
			return "list(tensor)"
		}
		return "list"
	}
	return "empty"
}

func (n *node) wrongKind(name, want string, a *tfpb.AttrValue) error {
	return n.errorf("attribute %q: want %s, have %s", name, want, kindOf(a))
}

// attrInt returns an int attribute.
func (n *node) attrInt(name string) (int, error) {
	if val, _, found := n.plainAttr(name); found {
		if i, ok := tfpb.AttrInt(val); ok {
			return n.intInRange(name, i)
		}
	}
	a, err := n.attr(name)
	if err != nil {
		return 0, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_I)
	if !ok {
		return 0, n.wrongKind(name, "int", a)
	}
	return n.intInRange(name, v.I)
}

// intInRange returns i, the value of the int attribute name, as an int.
func (n *node) intInRange(name string, i int64) (int, error) {
	if i > math.MaxInt32 || i < math.MinInt32 {
		return 0, n.errorf("attribute %q: value %d out of range", name, i)
	}
	return int(i), nil
}

// attrIntOr returns an int attribute, or def if it is absent.
func (n *node) attrIntOr(name string, def int) (int, error) {
	if !n.hasAttr(name) {
		return def, nil
	}
	return n.attrInt(name)
}

// attrInts returns a list(int) attribute. An empty list is accepted.
func (n *node) attrInts(name string) ([]int, error) {
	a, err := n.attr(name)
	if err != nil {
		return nil, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_List)
	if !ok || (kindOf(a) != "list(int)" && kindOf(a) != "list") {
		return nil, n.wrongKind(name, "list(int)", a)
	}
	out := make([]int, len(v.List.GetI()))
	for i, x := range v.List.GetI() {
		if x > math.MaxInt32 || x < math.MinInt32 {
			return nil, n.errorf("attribute %q: value %d out of range", name, x)
		}
		out[i] = int(x)
	}
	return out, nil
}

// attrIntsOr returns a list(int) attribute, or def if absent.
func (n *node) attrIntsOr(name string, def []int) ([]int, error) {
	if !n.hasAttr(name) {
		return def, nil
	}
	return n.attrInts(name)
}

// attrFloat returns a float attribute.
func (n *node) attrFloat(name string) (float64, error) {
	a, err := n.attr(name)
	if err != nil {
		return 0, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_F)
	if !ok {
		return 0, n.wrongKind(name, "float", a)
	}
	return float64(v.F), nil
}

// attrFloatOr returns a float attribute, or def if absent.
func (n *node) attrFloatOr(name string, def float64) (float64, error) {
	if !n.hasAttr(name) {
		return def, nil
	}
	return n.attrFloat(name)
}

// attrBool returns a bool attribute.
func (n *node) attrBool(name string) (bool, error) {
	if val, _, found := n.plainAttr(name); found {
		if b, ok := tfpb.AttrBool(val); ok {
			return b, nil
		}
	}
	a, err := n.attr(name)
	if err != nil {
		return false, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_B)
	if !ok {
		return false, n.wrongKind(name, "bool", a)
	}
	return v.B, nil
}

// attrBoolOr returns a bool attribute, or def if absent.
func (n *node) attrBoolOr(name string, def bool) (bool, error) {
	if !n.hasAttr(name) {
		return def, nil
	}
	return n.attrBool(name)
}

// attrString returns a string attribute.
func (n *node) attrString(name string) (string, error) {
	a, err := n.attr(name)
	if err != nil {
		return "", err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_S)
	if !ok {
		return "", n.wrongKind(name, "string", a)
	}
	return string(v.S), nil
}

// attrStringOr returns a string attribute, or def if absent.
func (n *node) attrStringOr(name, def string) (string, error) {
	if !n.hasAttr(name) {
		return def, nil
	}
	return n.attrString(name)
}

// attrType returns a type attribute as a tfc dtype.
func (n *node) attrType(name string) (tensor.DType, error) {
	if val, _, found := n.plainAttr(name); found {
		if t, ok := tfpb.AttrType(val); ok {
			return n.dtype(name, t)
		}
	}
	a, err := n.attr(name)
	if err != nil {
		return 0, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_Type)
	if !ok {
		return 0, n.wrongKind(name, "type", a)
	}
	return n.dtype(name, v.Type)
}

// dtype converts t, the value of the type attribute name.
func (n *node) dtype(name string, t tfpb.DataType) (tensor.DType, error) {
	dt, err := tfpb.DTypeFromProto(t)
	if err != nil {
		return 0, n.errorf("attribute %q: %v", name, err)
	}
	return dt, nil
}

// attrShape returns a shape attribute; known is false for unknown rank.
func (n *node) attrShape(name string) (s tensor.Shape, known bool, err error) {
	a, err := n.attr(name)
	if err != nil {
		return nil, false, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_Shape)
	if !ok {
		return nil, false, n.wrongKind(name, "shape", a)
	}
	s, known, err = tfpb.ShapeFromProto(v.Shape)
	if err != nil {
		return nil, false, n.errorf("attribute %q: %v", name, err)
	}
	return s, known, nil
}

// attrTensor returns a tensor attribute, decoded.
func (n *node) attrTensor(name string) (*tensor.Tensor, error) {
	if val, _, found := n.plainAttr(name); found {
		if tp, ok := tfpb.AttrTensor(val); ok {
			return n.decodeTensor(name, tp)
		}
	}
	a, err := n.attr(name)
	if err != nil {
		return nil, err
	}
	v, ok := a.GetValue().(*tfpb.AttrValue_Tensor)
	if !ok {
		return nil, n.wrongKind(name, "tensor", a)
	}
	return n.decodeTensor(name, v.Tensor)
}

// releaseTensor drops the content of the tensor attribute name from the
// graph, once decoded (the data then lives in the IR), so that a model's
// weights are not held twice while importing, and gives it to release
// (if not nil). A plain node's content is a piece of the graph's
// encoding, which is not held: it is only given to release.
func (n *node) releaseTensor(name string, release func([]byte)) {
	if val, plain, found := n.plainAttr(name); plain {
		if content, _ := tfpb.AttrTensorContent(val); found && len(content) > 0 && release != nil {
			release(content)
		}
		return
	}
	tp := n.def().GetAttr()[name].GetTensor()
	if tp == nil || len(tp.TensorContent) == 0 {
		return
	}
	if release != nil {
		release(tp.TensorContent)
	}
	tp.TensorContent = nil
}

// decodeTensor decodes tp, the value of the tensor attribute name.
func (n *node) decodeTensor(name string, tp *tfpb.TensorProto) (*tensor.Tensor, error) {
	t, err := tfpb.DecodeTensor(tp)
	if err != nil {
		return nil, n.errorf("attribute %q: %v", name, err)
	}
	return t, nil
}

// dataFormat returns the data_format attribute ("NHWC" if absent) and
// whether it is channels-last. Formats are NHWC/NCHW and, for 3-D ops,
// NDHWC/NCDHW.
func (n *node) dataFormat() (channelsLast bool, err error) {
	f, err := n.attrStringOr("data_format", "NHWC")
	if err != nil {
		return false, err
	}
	switch f {
	case "NHWC", "NDHWC", "NWC":
		return true, nil
	case "NCHW", "NCDHW", "NCW":
		return false, nil
	}
	return false, n.errorf("unsupported data_format %q", f)
}
