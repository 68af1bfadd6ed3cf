package ir

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// builder wraps a Func for tests: its methods fail the test on error.
type builder struct {
	t testing.TB
	f *Func
}

func newBuilder(t testing.TB, name string) *builder { return &builder{t: t, f: NewFunc(name)} }

func (b *builder) op(opc Opcode, args []*Value, attrs Attrs, loc string) *Op {
	b.t.Helper()
	op, err := b.f.NewOp(opc, args, attrs, loc)
	if err != nil {
		b.t.Fatalf("NewOp %v: %v", opc, err)
	}
	return op
}

func (b *builder) emit(opc Opcode, args []*Value, attrs Attrs, loc string) *Value {
	b.t.Helper()
	return b.op(opc, args, attrs, loc).Results[0]
}

func (b *builder) input(name string, dt tensor.DType, shape ...int) *Value {
	return b.f.Input(name, TensorType(dt, shape...))
}

// constant makes a constant of dtype dt and shape with elements 0, 1, 2, ...
// (bools alternate), valid in every dtype.
func (b *builder) constant(dt tensor.DType, shape ...int) *Value {
	b.t.Helper()
	t := tensor.MustNew(dt, tensor.Shape(shape))
	for i := range t.Len() {
		switch dt.Storage() {
		case tensor.StoreF32:
			t.F32[i] = float32(i) * 0.5
		case tensor.StoreF64:
			t.F64[i] = float64(i) * 0.1
		case tensor.StoreI32:
			t.I32[i] = int32(i % 100)
		case tensor.StoreI64:
			t.I64[i] = int64(i)
		case tensor.StoreBool:
			t.B[i] = i%2 == 1
		}
	}
	t.RoundToDType()
	return b.f.Const(t, "")
}

// exampleFunc builds a Func with at least one op of every opcode, all
// type-correct, plus constants of every dtype in every printed form.
func exampleFunc(t testing.TB) *Func {
	b := newBuilder(t, "examples")
	f32, f16, i32, i64, boolean := tensor.Float32, tensor.Float16, tensor.Int32, tensor.Int64, tensor.Bool
	x := b.input("x:0", f32, 2, 3)
	row := b.input("row", f32, 3)
	xi := b.input("xi", i32, 2, 3)
	xb := b.input("xb", boolean, 2, 3)
	img := b.input("img", f32, 1, 4, 8, 8)
	h := b.input("h", f16, 4)
	_ = b.input("i64", i64, 2)
	out := func(name string, v *Value) { b.f.AddOutput(name, v) }

	for _, bin := range binaryOps {
		var v *Value
		switch bin.kind {
		case arith:
			v = b.emit(bin.opc, []*Value{x, row}, nil, "")
		case compare:
			v = b.emit(bin.opc, []*Value{xi, xi}, nil, "")
		case order:
			v = b.emit(bin.opc, []*Value{row, x}, nil, "")
		case logic:
			v = b.emit(bin.opc, []*Value{xb, xb}, nil, "")
		}
		out(bin.name, v)
	}
	out("select", b.emit(OpSelect, []*Value{xb, x, row}, nil, "select"))

	unaryAttrs := map[Opcode]Attrs{
		OpClamp:       {"min": -1.0, "max": 6.0},
		OpLeakyRelu:   {"alpha": 0.2},
		OpElu:         {"alpha": 1.0},
		OpSelu:        {"alpha": 1.6732632423543772, "gamma": 1.0507009873554805},
		OpHardSigmoid: {"alpha": 0.2, "beta": 0.5},
		OpGelu:        {"approximate": "tanh"},
	}
	for _, u := range unaryOps {
		arg := x
		switch u.dtypes {
		case "signed":
			arg = xi
		case "bool":
			arg = xb
		}
		out(u.name, b.emit(u.opc, []*Value{arg}, unaryAttrs[u.opc], ""))
	}
	out("clamp_inf", b.emit(OpClamp, []*Value{h}, Attrs{"min": math.Inf(-1), "max": math.Inf(1)}, ""))
	out("leaky_relu_tiny", b.emit(OpLeakyRelu, []*Value{h}, Attrs{"alpha": 1e-300}, ""))

	out("cast_f16", b.emit(OpCast, []*Value{x}, Attrs{"to": f16}, ""))
	out("cast_i64", b.emit(OpCast, []*Value{x}, Attrs{"to": i64}, ""))
	out("cast_bool", b.emit(OpCast, []*Value{xi}, Attrs{"to": boolean}, ""))

	convAttrs := func(strides, pads []int, groups int) Attrs {
		return Attrs{"strides": strides, "dilations": []int{1, 1}, "pads": pads, "groups": groups}
	}
	w := b.constant(f32, 6, 2, 3, 3)
	bias := b.constant(f32, 6)
	out("conv", b.emit(OpConv, []*Value{img, w, bias}, convAttrs([]int{1, 1}, []int{1, 1, 1, 1}, 2), "conv1/Conv2D"))
	out("conv_nobias", b.emit(OpConv, []*Value{img, b.constant(f32, 2, 4, 1, 1)}, convAttrs([]int{2, 2}, []int{0, 0, 0, 0}, 1), ""))
	wt := b.constant(f32, 4, 3, 2, 2)
	out("crop_and_resize", b.emit(OpCropAndResize, []*Value{img, b.constant(f32, 3, 4), b.constant(tensor.Int32, 3)},
		Attrs{"mode": "nearest", "crop_size": []int{2, 3}, "extrapolation_value": -0.5}, "crop"))
	out("conv_transpose", b.emit(OpConvTranspose, []*Value{img, wt}, convAttrs([]int{2, 2}, []int{0, 0, 0, 0}, 1), "deconv"))
	out("conv_transpose_bias", b.emit(OpConvTranspose, []*Value{img, wt, b.constant(f32, 3)}, convAttrs([]int{1, 1}, []int{1, 0, 1, 0}, 1), ""))

	a3 := b.input("a3", f32, 2, 3, 4)
	out("matmul", b.emit(OpMatMul, []*Value{a3, b.constant(f32, 4, 5)}, Attrs{"transpose_a": false, "transpose_b": false}, ""))
	out("matmul_t", b.emit(OpMatMul, []*Value{a3, b.constant(f32, 5, 4)}, Attrs{"transpose_a": false, "transpose_b": true}, ""))
	out("einsum", b.emit(OpEinsum, []*Value{a3, b.constant(f32, 4, 5)}, Attrs{"equation": "abc,cd->abd"}, ""))
	out("einsum1", b.emit(OpEinsum, []*Value{x}, Attrs{"equation": "ij->ji"}, ""))

	out("maxpool", b.emit(OpPool, []*Value{img}, Attrs{"kind": "max", "window": []int{3, 3}, "strides": []int{2, 2}, "pads": []int{1, 1, 1, 1}, "count_include_pad": false}, ""))
	out("avgpool", b.emit(OpPool, []*Value{img}, Attrs{"kind": "avg", "window": []int{2, 2}, "strides": []int{2, 2}, "pads": []int{0, 0, 0, 0}, "count_include_pad": true}, ""))

	out("sum", b.emit(OpReduce, []*Value{x}, Attrs{"kind": "sum", "axes": []int{1}, "keep_dims": false}, ""))
	out("mean", b.emit(OpReduce, []*Value{img}, Attrs{"kind": "mean", "axes": []int{2, 3}, "keep_dims": true}, ""))
	out("all", b.emit(OpReduce, []*Value{xb}, Attrs{"kind": "all", "axes": []int{}, "keep_dims": false}, ""))
	out("argmax", b.emit(OpArgMax, []*Value{x}, Attrs{"axis": 1, "keep_dims": false, "index_type": i64}, ""))
	out("argmin", b.emit(OpArgMin, []*Value{xi}, Attrs{"axis": 0, "keep_dims": true, "index_type": i32}, ""))
	topk := b.op(OpTopK, []*Value{x}, Attrs{"axis": 1, "k": 2}, "top")
	out("topk_values", topk.Results[0])
	out("topk_indices", topk.Results[1])
	nms := b.op(OpNonMaxSuppression, []*Value{b.constant(f32, 5, 4), b.constant(f32, 5)},
		Attrs{"max_output_size": 3, "iou_threshold": 0.5, "score_threshold": math.Inf(-1)}, "nms")
	out("nms_indices", nms.Results[0])
	out("nms_valid", nms.Results[1])
	cnms := b.op(OpCombinedNonMaxSuppression, []*Value{b.constant(f32, 2, 5, 1, 4), b.constant(f32, 2, 5, 3)},
		Attrs{"max_per_class": 2, "max_total": 7, "pad_per_class": true, "clip_boxes": false, "iou_threshold": 0.25, "score_threshold": 0.125}, "cnms")
	for i, r := range cnms.Results {
		out("cnms"+strconv.Itoa(i), r)
	}
	out("softmax", b.emit(OpSoftmax, []*Value{x}, Attrs{"axis": 1}, ""))
	out("log_softmax", b.emit(OpLogSoftmax, []*Value{x}, Attrs{"axis": 0}, ""))
	out("l2_normalize", b.emit(OpL2Normalize, []*Value{x}, Attrs{"axes": []int{0, 1}, "epsilon": 1e-12}, ""))

	out("reshape", b.emit(OpReshape, []*Value{x}, Attrs{"shape": []int{3, 1, 2}}, ""))
	out("reshape_scalar", b.emit(OpReshape, []*Value{b.constant(f32, 1)}, Attrs{"shape": []int{}}, ""))
	out("transpose", b.emit(OpTranspose, []*Value{img}, Attrs{"perm": []int{0, 2, 3, 1}}, ""))
	out("concat", b.emit(OpConcat, []*Value{x, x, b.constant(f32, 2, 1)}, Attrs{"axis": 1}, ""))
	out("slice", b.emit(OpSlice, []*Value{x}, Attrs{"start": []int{1, 2}, "size": []int{1, 2}, "stride": []int{1, -2}}, ""))
	out("pad", b.emit(OpPad, []*Value{x}, Attrs{"mode": "constant", "pads": []int{0, 1, 1, 0}, "value": -0.5}, ""))
	out("pad_reflect", b.emit(OpPad, []*Value{x}, Attrs{"mode": "reflect", "pads": []int{1, 2, 1, 2}, "value": 0.0}, ""))
	out("tile", b.emit(OpTile, []*Value{x}, Attrs{"multiples": []int{2, 1}}, ""))
	out("broadcast", b.emit(OpBroadcast, []*Value{row}, Attrs{"shape": []int{4, 2, 3}}, ""))
	idx := b.f.Const(tensor.FromI32(tensor.Shape{2, 2}, []int32{0, 2, 1, 1}), "idx")
	out("gather", b.emit(OpGather, []*Value{x, idx}, Attrs{"axis": 1, "batch_dims": 0}, ""))
	out("gather_batch", b.emit(OpGather, []*Value{x, idx}, Attrs{"axis": 1, "batch_dims": 1}, ""))
	gnd := b.emit(OpGatherND, []*Value{x, idx}, Attrs{"batch_dims": 0}, "")
	out("gather_nd", gnd)
	out("shape", b.emit(OpShape, []*Value{x}, Attrs{"dtype": i64}, ""))
	out("dynamic_reshape", b.emit(OpDynamicReshape, []*Value{x, b.f.Const(tensor.FromI32(tensor.Shape{2}, []int32{3, -1}), "ds")}, nil, ""))
	out("dynamic_tile", b.emit(OpDynamicTile, []*Value{x, b.f.Const(tensor.FromI32(tensor.Shape{2}, []int32{1, 2}), "tm")}, nil, ""))
	out("dynamic_resize", b.emit(OpDynamicResize, []*Value{img, b.f.Const(tensor.FromI64(tensor.Shape{4}, []int64{1, 4, 16, 12}), "rs")},
		Attrs{"mode": "nearest", "coord": "asymmetric", "nearest_rounding": "floor"}, ""))
	out("range", b.emit(OpRange, []*Value{b.f.Const(tensor.FromI64(tensor.Shape{}, []int64{0}), "r0"), b.f.Const(tensor.FromI64(tensor.Shape{}, []int64{7}), "r1"), b.f.Const(tensor.FromI64(tensor.Shape{}, []int64{2}), "r2")}, nil, ""))
	out("dynamic_slice", b.emit(OpDynamicSlice, []*Value{x, b.f.Const(tensor.FromI64(tensor.Shape{2}, []int64{1, 2}), "ss")}, Attrs{"start": []int{1, 2}, "stride": []int{1, -2}}, ""))
	out("dynamic_broadcast", b.emit(OpDynamicBroadcast, []*Value{row, b.f.Const(tensor.FromI64(tensor.Shape{3}, []int64{4, 2, 3}), "bs")}, nil, ""))
	out("cumulative", b.emit(OpCumulative, []*Value{x}, Attrs{"kind": "sum", "axis": 1, "exclusive": true, "reverse": false}, ""))
	out("scatter_nd", b.emit(OpScatterND, []*Value{idx, gnd}, Attrs{"shape": []int{2, 3}}, ""))
	nz := b.emit(OpNonZero, []*Value{x}, Attrs{"count": "K"}, "")
	out("nonzero", nz)
	out("gather_nd_nonzero", b.emit(OpGatherND, []*Value{x, nz}, Attrs{"batch_dims": 0}, ""))
	out("resize", b.emit(OpResize, []*Value{img}, Attrs{"mode": "linear", "coord": "half_pixel", "nearest_rounding": "floor", "shape": []int{1, 4, 16, 12}}, ""))
	out("resize_nearest", b.emit(OpResize, []*Value{xi}, Attrs{"mode": "nearest", "coord": "asymmetric", "nearest_rounding": "round_prefer_ceil", "shape": []int{4, 6}}, ""))
	qs := b.f.Const(tensor.FromF32(tensor.Shape{3}, []float32{0.5, 0.25, 0.125}), "q/scale")
	qz := b.f.Const(tensor.FromI32(tensor.Shape{3}, []int32{0, 128, 1}), "q/zero_point")
	q := b.emit(OpQuantize, []*Value{x, qs, qz}, Attrs{"axis": 1, "qmin": 1, "qmax": 255, "round": "half_up", "type": "int"}, "q")
	out("quantize", q)
	out("dequantize", b.emit(OpDequantize, []*Value{q, qs, qz}, Attrs{"axis": 1}, "dq"))
	qt := b.f.Const(tensor.FromF32(tensor.Shape{}, []float32{0.5}), "qt/scale")
	qtz := b.f.Const(tensor.FromI32(tensor.Shape{}, []int32{0}), "qt/zero_point")
	out("quantize_tensor", b.emit(OpQuantize, []*Value{x, qt, qtz}, Attrs{"axis": -1, "qmin": -127, "qmax": 127, "round": "half_even", "type": "int"}, "qt"))
	q8 := b.emit(OpQuantize, []*Value{x, qt, qtz}, Attrs{"axis": -1, "qmin": -448, "qmax": 448, "round": "half_even", "type": "f8e4m3"}, "q8")
	out("dequantize_fp8", b.emit(OpDequantize, []*Value{q8, qt, qtz}, Attrs{"axis": -1}, "dq8"))

	// Constants of every dtype: scalar, empty, list, hex, elided.
	for dt := tensor.Float32; dt <= tensor.Bool; dt++ {
		b.constant(dt)
		b.constant(dt, 0, 3)
		b.constant(dt, 2, 3)
		b.constant(dt, 16)
		b.constant(dt, 17)
		b.constant(dt, 3, 5, 4)
		b.f.Const(&tensor.Tensor{DType: dt, Shape: tensor.Shape{7, 7}}, "elided_"+dt.String())
	}
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), math.MaxFloat32, math.SmallestNonzeroFloat32, 0.1, -1e-20}
	b.f.Const(tensor.FromF32(tensor.Shape{8}, special), "special")
	b.f.Const(tensor.FromF32(tensor.Shape{2, 10}, append(append([]float32{}, special...), make([]float32, 12)...)), "special_hex")
	for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
		t := &tensor.Tensor{DType: dt, Shape: tensor.Shape{2, 4}, F32: append([]float32{}, special...)}
		t.RoundToDType()
		b.f.Const(t, "special_"+dt.String())
		big := &tensor.Tensor{DType: dt, Shape: tensor.Shape{20}, F32: make([]float32, 20)}
		copy(big.F32, special)
		big.RoundToDType()
		b.f.Const(big, "")
	}
	b.f.Const(&tensor.Tensor{DType: tensor.Float64, Shape: tensor.Shape{4}, F64: []float64{0.1, math.MaxFloat64, math.NaN(), math.Inf(-1)}}, "f64")
	b.f.Const(&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{2}, I32: []int32{-128, 127}}, "i8")
	b.f.Const(&tensor.Tensor{DType: tensor.Uint32, Shape: tensor.Shape{2}, I64: []int64{0, math.MaxUint32}}, "u32")
	b.f.Const(&tensor.Tensor{DType: tensor.Int64, Shape: tensor.Shape{2}, I64: []int64{math.MinInt64, math.MaxInt64}}, "i64")
	b.f.Const(&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{17}, I32: []int32{-128, 127, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}}, "i8_hex")

	// Control flow: a loop squaring x three times, and a conditional.
	{
		cond, body := NewFunc("cond"), NewFunc("body")
		scalar := TensorType(i32)
		ci := cond.Input("i", scalar)
		cond.Input("x", x.Type)
		three := cond.Const(&tensor.Tensor{DType: i32, Shape: tensor.Shape{}, I32: []int32{3}}, "")
		lt, err := cond.Emit(OpLess, []*Value{ci, three}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		cond.AddOutput("c", lt)
		bi := body.Input("i", scalar)
		bx := body.Input("x", x.Type)
		one := body.Const(&tensor.Tensor{DType: i32, Shape: tensor.Shape{}, I32: []int32{1}}, "")
		next, err1 := body.Emit(OpAdd, []*Value{bi, one}, nil, "")
		sq, err2 := body.Emit(OpMul, []*Value{bx, bx}, nil, "")
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		body.AddOutput("i", next)
		body.AddOutput("x", sq)
		zero := b.f.Const(&tensor.Tensor{DType: i32, Shape: tensor.Shape{}, I32: []int32{0}}, "")
		w, err := b.f.NewRegionOp(OpWhile, []*Value{zero, x}, []*Func{cond, body}, "while")
		if err != nil {
			t.Fatal(err)
		}
		out("while", w.Results[1])
		then, els := NewFunc("then"), NewFunc("else")
		tx := then.Input("x", x.Type)
		neg, err := then.Emit(OpNeg, []*Value{tx}, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		then.AddOutput("y", neg)
		els.AddOutput("y", els.Input("x", x.Type))
		pred := b.f.Const(&tensor.Tensor{DType: boolean, Shape: tensor.Shape{}, B: []bool{true}}, "")
		c, err := b.f.NewRegionOp(OpIf, []*Value{pred, x}, []*Func{then, els}, "if")
		if err != nil {
			t.Fatal(err)
		}
		out("if", c.Results[0])
	}

	// Opcodes added to the table without an example above: try simple
	// operand lists without attributes.
	covered := make(map[Opcode]bool)
	for _, op := range b.f.Ops {
		covered[op.Opcode] = true
	}
	for _, opc := range Opcodes() {
		if covered[opc] {
			continue
		}
		for _, args := range [][]*Value{{x}, {xi}, {xb}, {x, x}, {xi, xi}, {xb, xb}, {xb, x, x}, {img}} {
			if op, err := b.f.NewOp(opc, args, nil, ""); err == nil {
				out(opc.String(), op.Results[0])
				covered[opc] = true
				break
			}
		}
		if !covered[opc] {
			t.Errorf("exampleFunc has no example of opcode %v: add one to exampleFunc in print_test.go", opc)
		}
	}
	return b.f
}

func printString(t testing.TB, f *Func, opts PrintOptions) string {
	t.Helper()
	var sb strings.Builder
	if err := Print(&sb, f, opts); err != nil {
		t.Fatalf("Print: %v", err)
	}
	return sb.String()
}

// checkRoundTrip checks that f verifies, that Print(Parse(Print(f)))
// equals Print(f), and that the parsed Func verifies. It returns the text.
func checkRoundTrip(t *testing.T, f *Func, opts PrintOptions) string {
	t.Helper()
	if err := Verify(f); err != nil {
		t.Fatalf("Verify(f):\n%v", err)
	}
	s1 := printString(t, f, opts)
	g, err := Parse("roundtrip.tfir", []byte(s1))
	if err != nil {
		t.Fatalf("Parse(Print(f)): %v\n%s", err, s1)
	}
	if err := Verify(g); err != nil {
		t.Fatalf("Verify(Parse(Print(f))):\n%v\n%s", err, s1)
	}
	if s2 := printString(t, g, opts); s2 != s1 {
		t.Fatalf("Print(Parse(Print(f))) differs from Print(f):\n%s", firstDiff(s1, s2))
	}
	return s1
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range max(len(al), len(bl)) {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return "line " + strconv.Itoa(i+1) + ":\n  want " + x + "\n  got  " + y
		}
	}
	return "(no difference)"
}

var printOptionCases = []struct {
	name string
	opts PrintOptions
}{
	{"default", PrintOptions{}},
	{"never", PrintOptions{ElideOver: -1}},
	{"over4", PrintOptions{ElideOver: 4}},
	{"over100", PrintOptions{ElideOver: 100}},
}

func TestRoundTripEveryOpcode(t *testing.T) {
	f := exampleFunc(t)
	covered := make(map[Opcode]bool)
	for _, op := range f.Ops {
		covered[op.Opcode] = true
	}
	for _, opc := range Opcodes() {
		if !covered[opc] {
			t.Errorf("no example of %v", opc)
		}
	}
	for _, c := range printOptionCases {
		t.Run(c.name, func(t *testing.T) {
			s := checkRoundTrip(t, f, c.opts)
			hasHex, hasElided := strings.Contains(s, "dense<0x"), strings.Contains(s, "dense<elided>")
			if hasHex != (c.opts.ElideOver < 0 || c.opts.ElideOver > 16) || !hasElided {
				t.Errorf("hex %v, elided %v: elision options not applied", hasHex, hasElided)
			}
		})
	}
	// Never eliding keeps the data: the parsed constants equal the originals.
	g, err := Parse("x", []byte(printString(t, f, PrintOptions{ElideOver: -1})))
	if err != nil {
		t.Fatal(err)
	}
	for i, op := range f.Ops {
		if op.Opcode != OpConst {
			continue
		}
		a, b := op.Tensor("value"), g.Ops[i].Tensor("value")
		if !sameTensor(a, b) {
			t.Errorf("op %d: constant %v changed in the round trip", i, a)
		}
	}
}

// sameTensor compares tensors bit for bit (NaNs compare equal).
func sameTensor(a, b *tensor.Tensor) bool {
	if a.DType != b.DType || !a.Shape.Equal(b.Shape) || a.Len() != b.Len() || IsElided(a) != IsElided(b) {
		return false
	}
	for i := range a.Len() {
		x, y := a.Float64At(i), b.Float64At(i)
		if x != y && !(math.IsNaN(x) && math.IsNaN(y)) || math.Signbit(x) != math.Signbit(y) && !math.IsNaN(x) {
			return false
		}
		if a.DType.Storage() == tensor.StoreI64 && a.I64[i] != b.I64[i] {
			return false
		}
	}
	return true
}

// opLine prints a Func and returns its line for the op that defines v.
func opLine(t *testing.T, f *Func, opts PrintOptions, v *Value) string {
	t.Helper()
	n := valueNumbers(f)[v]
	prefix := "  %" + strconv.Itoa(n)
	for _, line := range strings.Split(printString(t, f, opts), "\n") {
		if strings.HasPrefix(line, prefix+" ") || strings.HasPrefix(line, prefix+",") {
			return strings.TrimSpace(line)
		}
	}
	t.Fatalf("no line for %s", prefix)
	return ""
}

func TestPrintExample(t *testing.T) {
	b := newBuilder(t, "resnet")
	x := b.input("x:0", tensor.Float32, 1, 8, 8, 3)
	b.f.Const(tensor.FromI32(tensor.Shape{2}, []int32{1, 2}), "")
	tr := b.emit(OpTranspose, []*Value{x}, Attrs{"perm": []int{0, 3, 1, 2}}, "conv/Conv2D")
	add := b.emit(OpAdd, []*Value{tr, tr}, nil, "add")
	topk := b.op(OpTopK, []*Value{add}, Attrs{"axis": 3, "k": 2}, "")
	b.f.Const(tensor.MustNew(tensor.Float32, tensor.Shape{64, 3, 7, 7}), "conv1/kernel")
	b.f.AddOutput("y:0", add)
	b.f.AddOutput("z:0", topk.Results[0])
	const want = `func @resnet {
  %0 = input {name="x:0"} : f32[1,8,8,3]
  %1 = const {value=dense<[1, 2]>} : i32[2]
  %2 = transpose(%0) {perm=[0,3,1,2]} : f32[1,3,8,8] loc("conv/Conv2D")
  %3 = add(%2, %2) : f32[1,3,8,8] loc("add")
  %4, %5 = topk(%3) {axis=3, k=2} : f32[1,3,8,2], i32[1,3,8,2]
  %6 = const {value=dense<elided>} : f32[64,3,7,7] loc("conv1/kernel")
  return "y:0" = %3, "z:0" = %4
}
`
	if got := b.f.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	checkRoundTrip(t, b.f, PrintOptions{})
}

func TestPrintAttrs(t *testing.T) {
	b := newBuilder(t, "attrs")
	x := b.input("x", tensor.Float32, 2, 3)
	xi := b.input("xi", tensor.Int32, 2, 3)
	img := b.input("img", tensor.Float32, 1, 2, 4, 4)
	tenth := 0.1
	tests := []struct {
		opc   Opcode
		args  []*Value
		attrs Attrs
		want  string
	}{
		// int, ints (including empty), bool, dtype
		{OpConcat, []*Value{x, x}, Attrs{"axis": 1}, `concat(%0, %0) {axis=1} : f32[2,6]`},
		{OpTranspose, []*Value{x}, Attrs{"perm": []int{1, 0}}, `transpose(%0) {perm=[1,0]} : f32[3,2]`},
		{OpReduce, []*Value{x}, Attrs{"kind": "max", "axes": []int{}, "keep_dims": true}, `reduce(%0) {kind="max", axes=[], keep_dims=true} : f32[2,3]`},
		{OpSlice, []*Value{x}, Attrs{"start": []int{1, 2}, "size": []int{1, 3}, "stride": []int{-1, -1}}, `slice(%0) {start=[1,2], size=[1,3], stride=[-1,-1]} : f32[1,3]`},
		{OpArgMax, []*Value{xi}, Attrs{"axis": 1, "keep_dims": false, "index_type": tensor.Int32}, `argmax(%1) {axis=1, keep_dims=false, index_type=i32} : i32[2]`},
		{OpCast, []*Value{x}, Attrs{"to": tensor.Float16}, `cast(%0) {to=f16} : f16[2,3]`},
		// floats
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": 0.2}, `leaky_relu(%0) {alpha=0.2} : f32[2,3]`},
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": 1.0}, `leaky_relu(%0) {alpha=1} : f32[2,3]`},
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": 1e-7}, `leaky_relu(%0) {alpha=1e-07} : f32[2,3]`},
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": 1e21}, `leaky_relu(%0) {alpha=1e+21} : f32[2,3]`},
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": math.Copysign(0, -1)}, `leaky_relu(%0) {alpha=-0} : f32[2,3]`},
		{OpLeakyRelu, []*Value{x}, Attrs{"alpha": tenth + 2*tenth}, `leaky_relu(%0) {alpha=0.30000000000000004} : f32[2,3]`},
		{OpClamp, []*Value{x}, Attrs{"min": math.Inf(-1), "max": math.Inf(1)}, `clamp(%0) {min=-inf, max=inf} : f32[2,3]`},
		{OpPad, []*Value{x}, Attrs{"mode": "constant", "pads": []int{0, 0, 1, 1}, "value": math.NaN()}, `pad(%0) {mode="constant", pads=[0,0,1,1], value=nan} : f32[3,4]`},
		// strings
		{OpEinsum, []*Value{x, x}, Attrs{"equation": "ij,ij->i"}, `einsum(%0, %0) {equation="ij,ij->i"} : f32[2]`},
		{OpPool, []*Value{img}, Attrs{"kind": "avg", "window": []int{2, 2}, "strides": []int{1, 2}, "pads": []int{0, 1, 1, 0}, "count_include_pad": true},
			`pool(%2) {kind="avg", window=[2,2], strides=[1,2], pads=[0,1,1,0], count_include_pad=true} : f32[1,2,4,2]`},
		// no attributes
		{OpRelu, []*Value{x}, nil, `relu(%0) : f32[2,3]`},
		{OpSelect, []*Value{b.emit(OpLess, []*Value{x, x}, nil, ""), x, x}, nil, `select(%3, %0, %0) : f32[2,3]`},
	}
	for _, tc := range tests {
		v := b.emit(tc.opc, tc.args, tc.attrs, "")
		got := opLine(t, b.f, PrintOptions{}, v)
		want := "%" + strconv.Itoa(valueNumbers(b.f)[v]) + " = " + tc.want
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
	checkRoundTrip(t, b.f, PrintOptions{})
}

func TestPrintTensors(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	seq := func(n int) []float32 {
		s := make([]float32, n)
		for i := range s {
			s[i] = 1
		}
		return s
	}
	tests := []struct {
		t    *tensor.Tensor
		opts PrintOptions
		want string
	}{
		{tensor.FromF32(tensor.Shape{}, []float32{1.5}), PrintOptions{}, `dense<[1.5]>`},
		{tensor.FromF32(tensor.Shape{0, 2}, []float32{}), PrintOptions{}, `dense<[]>`},
		{tensor.FromF32(tensor.Shape{2, 3}, []float32{0.1, -2, 1e-45, 3.4028235e+38, 1e10, 123456.79}), PrintOptions{}, `dense<[0.1, -2, 1e-45, 3.4028235e+38, 1e+10, 123456.79]>`},
		{tensor.FromF32(tensor.Shape{4}, []float32{nan, inf, -inf, float32(math.Copysign(0, -1))}), PrintOptions{}, `dense<[nan, inf, -inf, -0]>`},
		{&tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{3}, F32: []float32{tensor.RoundF16(0.1), 65504, tensor.RoundF16(1e-7)}}, PrintOptions{}, `dense<[0.099975586, 65504, 1.1920929e-07]>`},
		{&tensor.Tensor{DType: tensor.BFloat16, Shape: tensor.Shape{2}, F32: []float32{tensor.RoundBF16(0.1), tensor.RoundBF16(3e38)}}, PrintOptions{}, `dense<[0.100097656, 3.0040553e+38]>`},
		{&tensor.Tensor{DType: tensor.Float64, Shape: tensor.Shape{3}, F64: []float64{0.1, 1e300, math.Inf(-1)}}, PrintOptions{}, `dense<[0.1, 1e+300, -inf]>`},
		{&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{2}, I32: []int32{-128, 127}}, PrintOptions{}, `dense<[-128, 127]>`},
		{&tensor.Tensor{DType: tensor.Uint32, Shape: tensor.Shape{1}, I64: []int64{4294967295}}, PrintOptions{}, `dense<[4294967295]>`},
		{tensor.FromI64(tensor.Shape{2}, []int64{math.MinInt64, 7}), PrintOptions{}, `dense<[-9223372036854775808, 7]>`},
		{tensor.FromBool(tensor.Shape{1, 2}, []bool{true, false}), PrintOptions{}, `dense<[true, false]>`},
		// 16 elements: a list; 17: elided by default, hex if not eliding.
		{tensor.FromF32(tensor.Shape{16}, seq(16)), PrintOptions{}, `dense<[` + strings.Repeat("1, ", 15) + `1]>`},
		{tensor.FromF32(tensor.Shape{17}, seq(17)), PrintOptions{}, `dense<elided>`},
		{tensor.FromF32(tensor.Shape{17}, seq(17)), PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("0000803F", 17) + `>`},
		{tensor.FromF32(tensor.Shape{17}, seq(17)), PrintOptions{ElideOver: 17}, `dense<0x` + strings.Repeat("0000803F", 17) + `>`},
		{tensor.FromF32(tensor.Shape{5}, seq(5)), PrintOptions{ElideOver: 4}, `dense<elided>`},
		{tensor.FromF32(tensor.Shape{4}, seq(4)), PrintOptions{ElideOver: 4}, `dense<[1, 1, 1, 1]>`},
		// hex encodings of every storage class
		{&tensor.Tensor{DType: tensor.Float16, Shape: tensor.Shape{17}, F32: append(seq(16), -2)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("003C", 16) + "00C0>"},
		{&tensor.Tensor{DType: tensor.BFloat16, Shape: tensor.Shape{17}, F32: append(seq(16), -2)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("803F", 16) + "00C0>"},
		{&tensor.Tensor{DType: tensor.Float64, Shape: tensor.Shape{17}, F64: append(make([]float64, 16), 1)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("0000000000000000", 16) + "000000000000F03F>"},
		{&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{17}, I32: append(make([]int32, 16), -2)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("00", 16) + "FE>"},
		{&tensor.Tensor{DType: tensor.Uint16, Shape: tensor.Shape{17}, I32: append(make([]int32, 16), 0xABCD)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("0000", 16) + "CDAB>"},
		{&tensor.Tensor{DType: tensor.Int32, Shape: tensor.Shape{17}, I32: append(make([]int32, 16), -2)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("00000000", 16) + "FEFFFFFF>"},
		{&tensor.Tensor{DType: tensor.Uint32, Shape: tensor.Shape{17}, I64: append(make([]int64, 16), 0xDEADBEEF)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("00000000", 16) + "EFBEADDE>"},
		{&tensor.Tensor{DType: tensor.Int64, Shape: tensor.Shape{17}, I64: append(make([]int64, 16), -2)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("0000000000000000", 16) + "FEFFFFFFFFFFFFFF>"},
		{&tensor.Tensor{DType: tensor.Bool, Shape: tensor.Shape{17}, B: append(make([]bool, 16), true)}, PrintOptions{ElideOver: -1}, `dense<0x` + strings.Repeat("00", 16) + "01>"},
		// elided constants (no data) stay elided
		{&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{2}}, PrintOptions{ElideOver: -1}, `dense<elided>`},
		{&tensor.Tensor{DType: tensor.Int8, Shape: tensor.Shape{1000, 1000}}, PrintOptions{}, `dense<elided>`},
	}
	for _, tc := range tests {
		f := NewFunc("t")
		v := f.Const(tc.t, "")
		f.AddOutput("out", v)
		got := opLine(t, f, tc.opts, v)
		want := "%0 = const {value=" + tc.want + "} : " + tc.t.String()
		if got != want {
			t.Errorf("%v with %+v:\ngot  %s\nwant %s", tc.t, tc.opts, got, want)
			continue
		}
		checkRoundTrip(t, f, tc.opts)
	}
}

func TestPrintQuoting(t *testing.T) {
	tests := []struct{ s, quoted string }{
		{"", `""`},
		{"my model", `"my model"`},
		{`quote"d`, `"quote\"d"`},
		{`back\slash`, `"back\\slash"`},
		{"tab\tnew\nline", `"tab\tnew\nline"`},
		{"unicode модель ∑ 😀", `"unicode модель ∑ 😀"`},
		{"\x00\x7f\u200b", `"\x00\x7f\u200b"`},
		{"bad utf8 \xff\xfe", `"bad utf8 \xff\xfe"`},
		{"%1", `"%1"`},
		{"}", `"}"`},
		{"//comment", `"//comment"`},
		{"1x", `"1x"`},
	}
	for _, tc := range tests {
		s := tc.s
		b := newBuilder(t, s)
		x := b.input(s, tensor.Float32, 1)
		y := b.emit(OpRelu, []*Value{x}, nil, s)
		b.f.AddOutput(s, y)
		got := b.f.String()
		want := "func @" + tc.quoted + " {\n" +
			"  %0 = input {name=" + tc.quoted + "} : f32[1]\n" +
			"  %1 = relu(%0) : f32[1]"
		if s != "" {
			want += " loc(" + tc.quoted + ")"
		}
		want += "\n  return " + tc.quoted + " = %1\n}\n"
		if got != want {
			t.Errorf("name %q:\ngot\n%s\nwant\n%s", s, got, want)
		}
		g, err := Parse("q", []byte(got))
		if err != nil {
			t.Errorf("name %q: %v", s, err)
			continue
		}
		if g.Name != s || g.Ops[1].Loc != s || g.Outputs[0].Name != s || g.Ops[0].Str("name") != s {
			t.Errorf("name %q: strings changed in round trip", s)
		}
		if s != "" {
			checkRoundTrip(t, b.f, PrintOptions{})
		}
	}
	// Plain identifiers are not quoted.
	for _, s := range []string{"x", "return", "func", "a.b-c_d", "_9"} {
		f := NewFunc(s)
		if got, want := f.String(), "func @"+s+" {\n  return\n}\n"; got != want {
			t.Errorf("got %q, want %q", got, want)
		}
		checkRoundTrip(t, f, PrintOptions{})
	}
}

func TestPrintPlainIdent(t *testing.T) {
	for s, want := range map[string]bool{"a": true, "_": true, "A9.b-c": true, "": false, "9a": false, "-a": false, ".a": false, "a b": false, "é": false, "a\"": false} {
		if isPlainIdent(s) != want {
			t.Errorf("isPlainIdent(%q) = %v", s, !want)
		}
	}
}

func TestPrintNoOutputs(t *testing.T) {
	f := NewFunc("empty")
	if got, want := f.String(), "func @empty {\n  return\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	checkRoundTrip(t, f, PrintOptions{})
	f.Input("x", TensorType(tensor.Bool))
	if got, want := f.String(), "func @empty {\n  %0 = input {name=\"x\"} : bool[]\n  return\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	checkRoundTrip(t, f, PrintOptions{})
}

// TestPrintBroken checks that Funcs that do not verify still print.
func TestPrintBroken(t *testing.T) {
	other := NewFunc("other")
	foreign := other.Input("foreign", TensorType(tensor.Float32, 2))
	f := NewFunc("broken")
	x := f.Input("x", TensorType(tensor.Float32, 2))
	f.Ops = append(f.Ops, nil)
	f.Append(&Op{Opcode: OpAdd, Args: []*Value{x, nil, foreign}, Attrs: Attrs{"bogus": struct{}{}, "alpha": 1.5}.List()}, []Type{{DType: tensor.Invalid, Shape: tensor.Shape{-1}}})
	f.Append(&Op{Opcode: Opcode(9999), Attrs: Attrs{"value": (*tensor.Tensor)(nil), "t": &tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{3}, F32: []float32{1}}}.List()}, nil)
	f.Ops = append(f.Ops, &Op{Opcode: OpConst, Results: []*Value{nil}})
	f.AddOutput("nil", nil)
	f.AddOutput("foreign", foreign)
	want := `func @broken {
  %0 = input {name="x"} : f32[2]
  <nil op>
  %1 = add(%0, %nil, %?) {alpha=1.5, bogus=<bad attribute>} : invalid[?]
  Opcode(9999) {t=dense<invalid>, value=dense<nil>} : 
  %nil = const : <nil>
  return "nil" = %nil, "foreign" = %?
}
`
	if got := f.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if err := Print(&strings.Builder{}, nil, PrintOptions{}); err == nil {
		t.Error("Print(nil) succeeded")
	}
}
