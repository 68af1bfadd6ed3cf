package tf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// tgraph builds small GraphDefs for converter tests and runs the imported
// IR with the interpreter's kernels (op by op, through interp.EvalOp).
type tgraph struct {
	t *testing.T
	g *tfpb.GraphDef
}

func newTGraph(t *testing.T) *tgraph {
	t.Helper()
	return &tgraph{t: t, g: &tfpb.GraphDef{}}
}

// Attribute constructors.
func atype(dt tfpb.DataType) *tfpb.AttrValue {
	return &tfpb.AttrValue{Value: &tfpb.AttrValue_Type{Type: dt}}
}
func aint(i int) *tfpb.AttrValue { return &tfpb.AttrValue{Value: &tfpb.AttrValue_I{I: int64(i)}} }
func abool(b bool) *tfpb.AttrValue {
	return &tfpb.AttrValue{Value: &tfpb.AttrValue_B{B: b}}
}
func astr(s string) *tfpb.AttrValue { return &tfpb.AttrValue{Value: &tfpb.AttrValue_S{S: []byte(s)}} }
func aints(v ...int) *tfpb.AttrValue {
	l := &tfpb.AttrValue_ListValue{}
	for _, x := range v {
		l.I = append(l.I, int64(x))
	}
	return &tfpb.AttrValue{Value: &tfpb.AttrValue_List{List: l}}
}

// node adds a node; attrs alternate name, value.
func (b *tgraph) node(name, op string, inputs []string, attrs ...any) string {
	nd := &tfpb.NodeDef{Name: name, Op: op, Input: inputs, Attr: map[string]*tfpb.AttrValue{}}
	for i := 0; i+1 < len(attrs); i += 2 {
		nd.Attr[attrs[i].(string)] = attrs[i+1].(*tfpb.AttrValue)
	}
	b.g.Node = append(b.g.Node, nd)
	return name
}

func shapeProto(s []int) *tfpb.TensorShapeProto {
	sp := &tfpb.TensorShapeProto{}
	for _, d := range s {
		sp.Dim = append(sp.Dim, &tfpb.TensorShapeProto_Dim{Size: int64(d)})
	}
	return sp
}

// input adds a placeholder.
func (b *tgraph) input(name string, dt tfpb.DataType, shape ...int) string {
	return b.node(name, "Placeholder", nil, "dtype", atype(dt),
		"shape", &tfpb.AttrValue{Value: &tfpb.AttrValue_Shape{Shape: shapeProto(shape)}})
}

// consti adds an int32 constant (shape nil: a vector of the values).
func (b *tgraph) consti(name string, shape []int, vals ...int) string {
	if shape == nil {
		shape = []int{len(vals)}
	}
	tp := &tfpb.TensorProto{Dtype: tfpb.DataType_DT_INT32, TensorShape: shapeProto(shape)}
	for _, v := range vals {
		tp.IntVal = append(tp.IntVal, int32(v))
	}
	return b.node(name, "Const", nil, "dtype", atype(tfpb.DataType_DT_INT32),
		"value", &tfpb.AttrValue{Value: &tfpb.AttrValue_Tensor{Tensor: tp}})
}

// constf adds a float32 constant.
func (b *tgraph) constf(name string, shape []int, vals ...float32) string {
	if shape == nil {
		shape = []int{len(vals)}
	}
	tp := &tfpb.TensorProto{Dtype: tfpb.DataType_DT_FLOAT, TensorShape: shapeProto(shape), FloatVal: vals}
	return b.node(name, "Const", nil, "dtype", atype(tfpb.DataType_DT_FLOAT),
		"value", &tfpb.AttrValue{Value: &tfpb.AttrValue_Tensor{Tensor: tp}})
}

// importGraph imports the graph with the given outputs.
func (b *tgraph) importGraph(outputs ...string) (*ir.Func, error) {
	return Import(b.g, Options{Outputs: outputs})
}

// run imports and evaluates the graph on the inputs (by tensor name).
func (b *tgraph) run(in map[string]*tensor.Tensor, outputs ...string) []*tensor.Tensor {
	b.t.Helper()
	f, err := b.importGraph(outputs...)
	if err != nil {
		b.t.Fatalf("import: %v", err)
	}
	if err := ir.Verify(f); err != nil {
		b.t.Fatalf("verify: %v\n%s", err, dumpFunc(f))
	}
	out, err := evalFunc(f, in)
	if err != nil {
		b.t.Fatalf("eval: %v\n%s", err, dumpFunc(f))
	}
	return out
}

// evalFunc runs f op by op with interp.EvalOp, checking that every
// kernel result has the type the op's type rule gave it.
func evalFunc(f *ir.Func, in map[string]*tensor.Tensor) ([]*tensor.Tensor, error) {
	vals := map[*ir.Value]*tensor.Tensor{}
	for _, op := range f.Ops {
		if op.Opcode == ir.OpInput {
			t, ok := in[op.Str("name")]
			if !ok {
				return nil, fmt.Errorf("no value for input %q", op.Str("name"))
			}
			vals[op.Results[0]] = t
			continue
		}
		args := make([]*tensor.Tensor, len(op.Args))
		for i, a := range op.Args {
			args[i] = vals[a]
		}
		res, err := interp.EvalOp(op, args)
		if err != nil {
			return nil, err
		}
		for i, r := range op.Results {
			if !res[i].Shape.Equal(r.Type.Shape) || res[i].DType != r.Type.DType {
				return nil, fmt.Errorf("%s loc(%q): kernel gave %v, type rule says %v", op.Opcode, op.Loc, res[i], r.Type)
			}
			vals[r] = res[i]
		}
	}
	var out []*tensor.Tensor
	for _, o := range f.Outputs {
		out = append(out, vals[o.Value])
	}
	return out, nil
}

// dumpFunc lists f's ops, for failure messages.
func dumpFunc(f *ir.Func) string {
	var b strings.Builder
	for _, op := range f.Ops {
		fmt.Fprintf(&b, "  %s %v -> ", op.Opcode, op.Attrs)
		for _, r := range op.Results {
			fmt.Fprintf(&b, "%v ", r.Type)
		}
		fmt.Fprintf(&b, "loc(%q)\n", op.Loc)
	}
	return b.String()
}

// opcodes lists f's opcodes other than input and const.
func opcodes(f *ir.Func) []string {
	var s []string
	for _, op := range f.Ops {
		if op.Opcode != ir.OpInput && op.Opcode != ir.OpConst {
			s = append(s, op.Opcode.String())
		}
	}
	return s
}

// iota32 returns a float32 tensor holding 0, 1, 2, ... in the given shape.
func iota32(shape ...int) *tensor.Tensor {
	t := tensor.MustNew(tensor.Float32, shape)
	for i := range t.F32 {
		t.F32[i] = float32(i)
	}
	return t
}

// wantF32 checks t is f32 of the given shape holding vals.
func wantF32(t *testing.T, got *tensor.Tensor, shape []int, vals ...float32) {
	t.Helper()
	if got.DType != tensor.Float32 || !got.Shape.Equal(shape) {
		t.Fatalf("got %v, want f32%v", got, tensor.Shape(shape))
	}
	if len(vals) != len(got.F32) {
		t.Fatalf("got %v, want %v", got.F32, vals)
	}
	for i := range vals {
		if got.F32[i] != vals[i] {
			t.Fatalf("got %v, want %v", got.F32, vals)
		}
	}
}

// wantInts checks t is an integer tensor of dtype dt and the given shape holding vals.
func wantInts(t *testing.T, got *tensor.Tensor, dt tensor.DType, shape []int, vals ...int) {
	t.Helper()
	if got.DType != dt || !got.Shape.Equal(shape) {
		t.Fatalf("got %v, want %v%v", got, dt, tensor.Shape(shape))
	}
	g, _ := got.Ints()
	if fmt.Sprint(g) != fmt.Sprint(vals) {
		t.Fatalf("got %v, want %v", g, vals)
	}
}

// wantErr checks err is non-nil and mentions every fragment.
func wantErr(t *testing.T, err error, frags ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one mentioning %q", frags)
	}
	for _, f := range frags {
		if !strings.Contains(err.Error(), f) {
			t.Fatalf("error %q does not mention %q", err, f)
		}
	}
}
