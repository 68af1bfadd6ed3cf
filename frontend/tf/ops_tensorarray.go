package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TensorArrays (TF1's TensorArrayV3 and its ops) and TensorLists (what
// TF2's tf.TensorArray, tf.map_fn and tf.scan emit) of a fixed size become
// plain tensors of shape [size, element shape...]: the array *is* the value.
//
//   - TF1: a TensorArray's handle only names it; every op that reads or
//     writes it also takes its flow, which orders the accesses. The flow
//     output of TensorArrayV3 is bound to the array's tensor (zeros), each
//     write's flow output to the updated tensor, so a flow that is a loop
//     variable (TF1 frames or a While) is the array carried by the loop.
//     The handle becomes a constant (the size) that the ops ignore; it
//     enters loops as a constant invariant.
//   - TF2: a TensorList is a variant value; TensorListReserve,
//     TensorListFromTensor and TensorListSetItem return the list, which is
//     the tensor.
//
// A write at index i (TensorArrayWriteV3, TensorListSetItem) is
// select(iota == i, value, array), the element written in place; a read
// (TensorArrayReadV3, TensorListGetItem) and a gather are gather along
// axis 0; a scatter with constant indices is a gather of the rows written
// and a select; a stack is the tensor itself; a concat reshapes it. A
// loop that writes element i on iteration i thus carries the array and
// yields it after the loop; one that reads element i of an input array
// gathers it (ir: gather; TensorRT: IGatherLayer in the loop body).
//
// The element shape must be known before the array enters a loop (its
// type is the loop variable's): from the op (element_shape), else from an
// op that reads the whole array (TensorArrayGatherV3's element_shape,
// TensorListStack's element_shape, also after the loop the array is
// carried by), else from the first write or scatter. An array of dynamic
// size (dynamic_size, a resize on write, TensorListPushBack) has a length
// that depends on the writes and is refused.

func init() {
	register("control", "broadcast of zeros (the array: a tensor [size, element...]; its handle becomes a constant)", convertTensorArray, "TensorArrayV3")
	register("control", "select on the row written", convertTensorArrayWrite, "TensorArrayWriteV3")
	register("control", "gather of one row", convertTensorArrayRead, "TensorArrayReadV3")
	register("control", "gather", convertTensorArrayGather, "TensorArrayGatherV3")
	register("control", "gather and select of the rows written (constant indices)", convertTensorArrayScatter, "TensorArrayScatterV3")
	register("control", "const (the size)", convertTensorArraySize, "TensorArraySizeV3")
	register("control", "reshape (and a constant of the lengths)", convertTensorArrayConcat, "TensorArrayConcatV3")
	register("control", "(nothing)", convertTensorArrayClose, "TensorArrayCloseV3")
	register("control", "broadcast of zeros (the list: a tensor [n, element...])", convertTensorListReserve, "TensorListReserve")
	register("control", "(its input: the list is the tensor)", convertTensorListFromTensor, "TensorListFromTensor")
	register("control", "select on the row written", convertTensorListSetItem, "TensorListSetItem")
	register("control", "gather of one row", convertTensorListRead(0), "TensorListGetItem")
	register("control", "(its input: the list is the tensor)", convertTensorListStack, "TensorListStack")
	register("control", "gather", convertTensorListRead(1), "TensorListGather")
	register("control", "const (the length)", convertTensorListLength, "TensorListLength")
}

// pendingArray is an array whose element shape is not known yet: its flow
// (or list) is a placeholder value until the first write or scatter.
type pendingArray struct {
	node *node
	dt   tensor.DType
	size int
}

// checkArgsReady refuses an array of unknown element shape entering a
// conditional.
func (c *ctx) checkArgsReady(n *node, args []*ir.Value) error {
	for i, a := range args {
		if p := c.pending[a]; p != nil {
			return n.errorf("operand %d is the TensorArray %q (%s), whose element shape is unknown where it enters the conditional: give it an element_shape, or write it before",
				i, p.node.name, p.node.op)
		}
	}
	return nil
}

func (c *ctx) markPending(v *ir.Value, p *pendingArray) {
	if c.pending == nil {
		c.pending = map[*ir.Value]*pendingArray{}
	}
	c.pending[v] = p
}

// resolvePending gives each array of unknown element shape among a loop's
// operands (args) the element shape its body writes: body imports the
// body region on args (a pending operand's placeholder is pending inside
// too, so the body's first write makes it an array), and the array the
// body yields for it has the element shape. The operand becomes zeros of
// that shape. An array the body does not write is an error.
func (c *ctx) resolvePending(n *node, args []*ir.Value, body func(args []*ir.Value) (*ir.Func, error)) ([]*ir.Value, error) {
	pending := false
	for _, a := range args {
		if c.pending[a] != nil {
			pending = true
		}
	}
	if !pending {
		return args, nil
	}
	trial, err := body(args)
	if err != nil {
		return nil, err
	}
	out := append([]*ir.Value(nil), args...)
	for i, a := range args {
		p := c.pending[a]
		if p == nil {
			continue
		}
		var t ir.Type
		if i < len(trial.Outputs) {
			t = trial.Outputs[i].Value.Type
		}
		if t.Rank() == 0 || t.Shape[0] != p.size || t.DType != p.dt {
			return nil, n.errorf("operand %d is the TensorArray %q (%s), whose element shape is unknown: the loop body does not write it (give it an element_shape)",
				i, p.node.name, p.node.op)
		}
		if out[i], err = c.zeros(n, p.dt, t.Shape); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newArray binds the flow or list of an array of size elements of dt,
// the element shape elem if known.
func (c *ctx) newArray(n *node, dt tensor.DType, size int, elem tensor.Shape, known bool) (*ir.Value, error) {
	if size < 0 {
		return nil, n.errorf("size %d is negative", size)
	}
	if !known {
		if s, ok := c.arrayHints()[n.name]; ok {
			elem, known = s, true
		}
	}
	if !known {
		v := c.f.Const(tensor.MustNew(tensor.Float32, tensor.Shape{}), n.name)
		c.markPending(v, &pendingArray{node: n, dt: dt, size: size})
		return v, nil
	}
	return c.zeros(n, dt, append(tensor.Shape{size}, elem...))
}

// zeros is a tensor of zeros of shape s.
func (c *ctx) zeros(n *node, dt tensor.DType, s tensor.Shape) (*ir.Value, error) {
	if _, err := s.NumElements(); err != nil {
		return nil, n.errorf("array of shape %v: %v", s, err)
	}
	z := c.constant(n, tensor.MustNew(dt, tensor.Shape{}))
	return c.emit(n, ir.OpBroadcast, ir.Attrs{"shape": []int(s)}, z)
}

// array returns the array tensor that flow (a TF1 flow or a TF2 list)
// stands for. If it is still pending, a write or scatter (elem: the shape
// of the element it writes) makes it zeros of that element shape; any
// other access of a pending array is an error.
func (c *ctx) array(n *node, flow *ir.Value, elem tensor.Shape, write bool) (*ir.Value, error) {
	p := c.pending[flow]
	if p == nil {
		if flow.Type.Rank() == 0 {
			return nil, n.errorf("the array's flow is a scalar, not a TensorArray of tfc's (the TensorArray op was not translated)")
		}
		return flow, nil
	}
	if !write {
		return nil, n.errorf("reads the TensorArray %q before anything is written to it, and its element shape is unknown", p.node.name)
	}
	return c.zeros(n, p.dt, append(tensor.Shape{p.size}, elem...))
}

// arrayHints maps each array op node (TensorArrayV3, TensorListReserve)
// of the graph to the element shape that an op reading the whole array
// records, found by following the handle or list through Identity, Enter
// and While (output k of a While is its input k).
func (c *ctx) arrayHints() map[string]tensor.Shape {
	if c.hints != nil {
		return c.hints
	}
	c.hints = map[string]tensor.Shape{}
	for _, n := range c.order {
		var s tensor.Shape
		switch n.op {
		case "TensorArrayGatherV3", "TensorArrayPackV3":
			shape, known, err := n.attrShape("element_shape")
			if err != nil || !known || !shape.Known() {
				continue
			}
			s = shape
		case "TensorListStack", "TensorListGather", "TensorListGetItem":
			k := 1
			if n.op != "TensorListStack" {
				k = 2
			}
			if len(n.inputs) <= k {
				continue
			}
			vals, ok := c.constNodeInts(n.inputs[k])
			if !ok {
				continue
			}
			s = tensor.Shape(vals)
			if len(vals) == 1 && c.nodeRank(n.inputs[k]) == 0 {
				continue // -1 (unknown rank) or a scalar
			}
			if !s.Known() {
				continue
			}
		default:
			continue
		}
		if len(n.inputs) == 0 {
			continue
		}
		if src := c.arraySource(n.inputs[0]); src != nil {
			if _, dup := c.hints[src.name]; !dup {
				c.hints[src.name] = s
			}
		}
	}
	return c.hints
}

// arraySource follows a TensorArray handle or a TensorList back through
// Identity, Enter and While (output k of a While is its input k) to the
// op that made it, or returns nil.
func (c *ctx) arraySource(r tensorRef) *node {
	for range 64 {
		src := c.node(r.node)
		switch {
		case src == nil:
			return nil
		case (src.op == "Identity" || isOp(src, "Enter")) && len(src.inputs) > 0:
			r = src.inputs[0]
		case (src.op == "While" || src.op == "StatelessWhile") && r.index < len(src.inputs):
			r = src.inputs[r.index]
		case src.op == "TensorArrayV3" || src.op == "TensorListReserve":
			return src
		default:
			return nil
		}
	}
	return nil
}

// constNodeInts reads a Const node's integer value (for arrayHints, which
// runs before the nodes are translated).
func (c *ctx) constNodeInts(r tensorRef) ([]int, bool) {
	n := c.node(r.node)
	if n == nil || n.op != "Const" || r.index != 0 {
		return nil, false
	}
	t, err := n.attrTensor("value")
	if err != nil {
		return nil, false
	}
	vals, err := t.Ints()
	if err != nil {
		return nil, false
	}
	return vals, true
}

func (c *ctx) nodeRank(r tensorRef) int {
	n := c.node(r.node)
	t, err := n.attrTensor("value")
	if err != nil {
		return -1
	}
	return t.Shape.Rank()
}

// elementShapeAttr reads TensorArrayV3's element_shape (known: fully
// defined).
func elementShapeAttr(n *node) (tensor.Shape, bool, error) {
	if !n.hasAttr("element_shape") {
		return nil, false, nil
	}
	s, known, err := n.attrShape("element_shape")
	if err != nil {
		return nil, false, err
	}
	return s, known && s.Known(), nil
}

func convertTensorArray(c *ctx, n *node) error {
	dt, err := n.attrType("dtype")
	if err != nil {
		return err
	}
	if dyn, err := n.attrBoolOr("dynamic_size", false); err != nil {
		return err
	} else if dyn {
		return n.errorf("a TensorArray of dynamic_size has a length that depends on its writes; tfc needs a fixed size (dynamic_size=False)")
	}
	size, err := c.constInts(n, 0)
	if err != nil {
		return err
	}
	if len(size) != 1 {
		return n.errorf("size has %d elements, want a scalar", len(size))
	}
	elem, known, err := elementShapeAttr(n)
	if err != nil {
		return err
	}
	flow, err := c.newArray(n, dt, size[0], elem, known)
	if err != nil {
		return err
	}
	h := tensor.MustNew(tensor.Int32, tensor.Shape{})
	h.I32[0] = int32(size[0])
	return c.bind(n, c.constant(n, h), flow)
}

// writeRow returns arr with row idx (a scalar) replaced by v.
func (c *ctx) writeRow(n *node, arr, idx, v *ir.Value) (*ir.Value, error) {
	if v.Type.DType != arr.Type.DType {
		return nil, n.errorf("writes a %v value into an array of %v", v.Type.DType, arr.Type.DType)
	}
	if !v.Type.Shape.Equal(arr.Type.Shape[1:]) {
		return nil, n.errorf("writes a value of shape %v into an array of elements %v", v.Type.Shape, arr.Type.Shape[1:])
	}
	if idx.Type.Rank() != 0 {
		return nil, n.errorf("index is %v, want a scalar", idx.Type)
	}
	e := c.emitter(n, tensor.Int32)
	if idx.Type.DType != tensor.Int32 {
		idx = e.cast(idx, tensor.Int32)
	}
	iota := tensor.MustNew(tensor.Int32, append(tensor.Shape{arr.Type.Shape[0]}, ones(v.Type.Rank())...))
	for i := range iota.I32 {
		iota.I32[i] = int32(i)
	}
	mask := e.eq(c.constant(n, iota), idx)
	row := e.reshape(v, append(tensor.Shape{1}, v.Type.Shape...))
	out := e.sel(mask, row, arr)
	return out, e.err
}

// readRows gathers rows idx (a scalar or a vector) of arr.
func (c *ctx) readRows(n *node, arr, idx *ir.Value) (*ir.Value, error) {
	if idx.Type.DType != tensor.Int32 && idx.Type.DType != tensor.Int64 {
		return nil, n.errorf("index is %v, want i32 or i64", idx.Type)
	}
	return c.emit(n, ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, arr, idx)
}

// checkDType checks n's element type attribute against the array's.
func checkDType(n *node, attr string, arr *ir.Value) error {
	if !n.hasAttr(attr) {
		return nil
	}
	dt, err := n.attrType(attr)
	if err != nil {
		return err
	}
	if dt != arr.Type.DType {
		return n.errorf("%s is %v, the array holds %v", attr, dt, arr.Type.DType)
	}
	return nil
}

func convertTensorArrayWrite(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	arr, err := c.array(n, vs[3], vs[2].Type.Shape, true)
	if err != nil {
		return err
	}
	out, err := c.writeRow(n, arr, vs[1], vs[2])
	if err != nil {
		return err
	}
	return c.bind(n, out)
}

func convertTensorArrayRead(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	arr, err := c.array(n, vs[2], nil, false)
	if err != nil {
		return err
	}
	if err := checkDType(n, "dtype", arr); err != nil {
		return err
	}
	if vs[1].Type.Rank() != 0 {
		return n.errorf("index is %v, want a scalar", vs[1].Type)
	}
	out, err := c.readRows(n, arr, vs[1])
	if err != nil {
		return err
	}
	return c.bind(n, out)
}

func convertTensorArrayGather(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	arr, err := c.array(n, vs[2], nil, false)
	if err != nil {
		return err
	}
	if err := checkDType(n, "dtype", arr); err != nil {
		return err
	}
	if vs[1].Type.Rank() != 1 {
		return n.errorf("indices are %v, want a vector", vs[1].Type)
	}
	out, err := c.readRows(n, arr, vs[1])
	if err != nil {
		return err
	}
	return c.bind(n, out)
}

// scatterRows writes value's rows to the rows of arr that the constant
// indices idx name (a repeated index: the last write wins).
func (c *ctx) scatterRows(n *node, arr *ir.Value, idx []int, value *ir.Value) (*ir.Value, error) {
	size := arr.Type.Shape[0]
	if value.Type.Rank() == 0 || value.Type.Shape[0] != len(idx) {
		return nil, n.errorf("scatters a value of shape %v with %d indices", value.Type.Shape, len(idx))
	}
	if !value.Type.Shape[1:].Equal(arr.Type.Shape[1:]) {
		return nil, n.errorf("scatters elements of shape %v into an array of elements %v", value.Type.Shape[1:], arr.Type.Shape[1:])
	}
	src := make([]int, size)
	for i := range src {
		src[i] = -1
	}
	for j, i := range idx {
		if i < 0 || i >= size {
			return nil, n.errorf("index %d is outside the array of size %d", i, size)
		}
		src[i] = j
	}
	all := len(idx) == size
	for i, j := range src {
		if j != i {
			all = false
		}
	}
	if all {
		return value, nil // the whole array, in order (an unstack)
	}
	gi := tensor.MustNew(tensor.Int32, tensor.Shape{size})
	mask := tensor.MustNew(tensor.Bool, append(tensor.Shape{size}, ones(value.Type.Rank()-1)...))
	for i, j := range src {
		gi.I32[i] = int32(max(j, 0))
		mask.B[i] = j >= 0
	}
	e := c.emitter(n, tensor.Int32)
	rows := e.op(ir.OpGather, ir.Attrs{"axis": 0, "batch_dims": 0}, value, c.constant(n, gi))
	out := e.sel(c.constant(n, mask), rows, arr)
	return out, e.err
}

func convertTensorArrayScatter(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	if vs[2].Type.Rank() == 0 {
		return n.errorf("value is a scalar, want [indices, element...]")
	}
	arr, err := c.array(n, vs[3], vs[2].Type.Shape[1:], true)
	if err != nil {
		return err
	}
	idx, err := c.constInts(n, 1)
	if err != nil {
		return n.errorf("the indices must be constant: %v", err)
	}
	out, err := c.scatterRows(n, arr, idx, vs[2])
	if err != nil {
		return err
	}
	return c.bind(n, out)
}

func convertTensorArraySize(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	size := c.sizeOf(vs[1])
	t := tensor.MustNew(tensor.Int32, tensor.Shape{})
	t.I32[0] = int32(size)
	return c.bind(n, c.constant(n, t))
}

// sizeOf is the length of an array (pending or not).
func (c *ctx) sizeOf(flow *ir.Value) int {
	if p := c.pending[flow]; p != nil {
		return p.size
	}
	if flow.Type.Rank() == 0 {
		return 0
	}
	return flow.Type.Shape[0]
}

func convertTensorArrayConcat(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	arr, err := c.array(n, vs[1], nil, false)
	if err != nil {
		return err
	}
	if err := checkDType(n, "dtype", arr); err != nil {
		return err
	}
	s := arr.Type.Shape
	if len(s) < 2 {
		return n.errorf("concatenates scalars (elements of shape %v): TensorFlow refuses", s[1:])
	}
	out := append(tensor.Shape{s[0] * s[1]}, s[2:]...)
	v, err := c.emit(n, ir.OpReshape, ir.Attrs{"shape": []int(out)}, arr)
	if err != nil {
		return err
	}
	lengths := tensor.MustNew(tensor.Int64, tensor.Shape{s[0]})
	for i := range lengths.I64 {
		lengths.I64[i] = int64(s[1])
	}
	return c.bind(n, v, c.constant(n, lengths))
}

func convertTensorArrayClose(c *ctx, n *node) error { return c.bind(n) }

// listElementShape reads a TensorList op's element_shape input k: known is
// false for -1 (unknown rank) or an unknown dimension.
func (c *ctx) listElementShape(n *node, k int) (tensor.Shape, bool, error) {
	v, err := c.input(n, k)
	if err != nil {
		return nil, false, err
	}
	t, err := c.constValue(v)
	if err != nil {
		return nil, false, n.errorf("element_shape must be a constant: %v", err)
	}
	vals, err := t.Ints()
	if err != nil {
		return nil, false, n.errorf("element_shape: %v", err)
	}
	if t.Shape.Rank() == 0 {
		return nil, false, nil // -1: unknown rank
	}
	s := tensor.Shape(vals)
	return s, s.Known(), nil
}

func convertTensorListReserve(c *ctx, n *node) error {
	dt, err := n.attrType("element_dtype")
	if err != nil {
		return err
	}
	size, err := c.constInts(n, 1)
	if err != nil {
		return err
	}
	if len(size) != 1 {
		return n.errorf("num_elements has %d elements, want a scalar", len(size))
	}
	if size[0] < 0 {
		return n.errorf("num_elements is %d: a list of unknown length (grown by TensorListPushBack) depends on the writes; tfc needs a fixed length", size[0])
	}
	elem, known, err := c.listElementShape(n, 0)
	if err != nil {
		return err
	}
	list, err := c.newArray(n, dt, size[0], elem, known)
	if err != nil {
		return err
	}
	return c.bind(n, list)
}

func convertTensorListFromTensor(c *ctx, n *node) error {
	v, err := c.input(n, 0)
	if err != nil {
		return err
	}
	if v.Type.Rank() == 0 {
		return n.errorf("tensor is a scalar, want [n, element...]")
	}
	return c.bind(n, v)
}

func convertTensorListSetItem(c *ctx, n *node) error {
	vs, err := c.inputs(n, 3, 3)
	if err != nil {
		return err
	}
	if grow, err := n.attrBoolOr("resize_if_index_out_of_bounds", false); err != nil {
		return err
	} else if grow {
		return n.errorf("resize_if_index_out_of_bounds grows the list with its writes; tfc needs a fixed length")
	}
	arr, err := c.array(n, vs[0], vs[2].Type.Shape, true)
	if err != nil {
		return err
	}
	out, err := c.writeRow(n, arr, vs[1], vs[2])
	if err != nil {
		return err
	}
	return c.bind(n, out)
}

// convertTensorListRead converts TensorListGetItem (a scalar index: one
// row) and TensorListGather (a vector of indices: those rows).
func convertTensorListRead(indexRank int) converter {
	return func(c *ctx, n *node) error {
		vs, err := c.inputs(n, 3, 3)
		if err != nil {
			return err
		}
		arr, err := c.array(n, vs[0], nil, false)
		if err != nil {
			return err
		}
		if err := checkDType(n, "element_dtype", arr); err != nil {
			return err
		}
		if vs[1].Type.Rank() != indexRank {
			if indexRank == 0 {
				return n.errorf("index is %v, want a scalar", vs[1].Type)
			}
			return n.errorf("indices are %v, want a vector", vs[1].Type)
		}
		out, err := c.readRows(n, arr, vs[1])
		if err != nil {
			return err
		}
		return c.bind(n, out)
	}
}

func convertTensorListStack(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	arr, err := c.array(n, vs[0], nil, false)
	if err != nil {
		return err
	}
	if err := checkDType(n, "element_dtype", arr); err != nil {
		return err
	}
	if k, err := n.attrIntOr("num_elements", -1); err != nil {
		return err
	} else if k >= 0 && k != arr.Type.Shape[0] {
		return n.errorf("num_elements is %d, the list holds %d", k, arr.Type.Shape[0])
	}
	return c.bind(n, arr)
}

func convertTensorListLength(c *ctx, n *node) error {
	v, err := c.input(n, 0)
	if err != nil {
		return err
	}
	t := tensor.MustNew(tensor.Int32, tensor.Shape{})
	t.I32[0] = int32(c.sizeOf(v))
	return c.bind(n, c.constant(n, t))
}
