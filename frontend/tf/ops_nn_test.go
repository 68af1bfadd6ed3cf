package tf

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// nnFamilies are the families of ops_conv.go, ops_pool.go, ops_norm.go,
// ops_matmul.go, ops_activation.go, ops_resize.go and ops_space.go.
var nnFamilies = map[string]bool{
	"conv": true, "pool": true, "norm": true, "matmul": true,
	"activation": true, "resize": true, "space": true,
}

func caseDType(s string) (tensor.DType, error) {
	switch s {
	case "float32":
		return tensor.Float32, nil
	case "float16":
		return tensor.Float16, nil
	case "int32":
		return tensor.Int32, nil
	case "int64":
		return tensor.Int64, nil
	case "bool":
		return tensor.Bool, nil
	}
	return 0, fmt.Errorf("unknown dtype %q", s)
}

// TestNNCasesImport imports every TensorFlow-generated case that uses an
// op of the NN families and checks the IR outputs' types against
// case.json. (TestGolden checks the values.) Cases needing ops no
// converter handles yet are skipped.
func TestNNCasesImport(t *testing.T) {
	var all []*golden.Case
	for _, root := range []string{"../../testdata/cases", "../../testdata/models"} {
		cs, err := golden.LoadAll(root)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, cs...)
	}
	ran := 0
	for _, gc := range all {
		mine := false
		for _, op := range gc.Ops {
			if e, ok := registry[op]; ok && nnFamilies[e.family] {
				mine = true
			}
		}
		if !mine {
			continue
		}
		ran++
		t.Run(gc.Name, func(t *testing.T) {
			var missing []string
			for _, op := range gc.Ops {
				if !Supported(op) {
					missing = append(missing, op)
				}
			}
			if len(missing) > 0 {
				t.Skipf("needs unsupported ops %v", missing)
			}
			g, err := tfpb.ReadGraphDef(gc.Model())
			if err != nil {
				t.Fatal(err)
			}
			f, err := Import(g, Options{Name: gc.Name, Outputs: gc.OutputNames()})
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if len(f.Outputs) != len(gc.Outputs) {
				t.Fatalf("%d outputs, want %d", len(f.Outputs), len(gc.Outputs))
			}
			for i, o := range gc.Outputs {
				dt, err := caseDType(o.DType)
				if err != nil {
					t.Fatal(err)
				}
				want := ir.Type{DType: dt, Shape: tensor.Shape(o.Shape)}
				if got := f.Outputs[i].Value.Type; !got.Equal(want) {
					t.Errorf("output %s: type %v, want %v", o.Name, got, want)
				}
			}
		})
	}
	if ran == 0 {
		t.Fatal("no cases use the NN ops; run testdata/gen/generate.sh")
	}
}

// Text-form graph building for the unit tests below.

func pbPlaceholder(name, dtype string, dims ...int) string {
	var d strings.Builder
	for _, x := range dims {
		fmt.Fprintf(&d, " dim { size: %d }", x)
	}
	return fmt.Sprintf(`node { name: %q op: "Placeholder" attr { key: "dtype" value { type: %s } } attr { key: "shape" value { shape {%s } } } }
`, name, dtype, d.String())
}

func pbConstF32(name string, fill float64, dims ...int) string {
	var d strings.Builder
	for _, x := range dims {
		fmt.Fprintf(&d, " dim { size: %d }", x)
	}
	return fmt.Sprintf(`node { name: %q op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {%s } float_val: %g } } } }
`, name, d.String(), fill)
}

func pbConstI32(name string, dims []int, vals ...int) string {
	var d, v strings.Builder
	for _, x := range dims {
		fmt.Fprintf(&d, " dim { size: %d }", x)
	}
	for _, x := range vals {
		fmt.Fprintf(&v, " int_val: %d", x)
	}
	return fmt.Sprintf(`node { name: %q op: "Const" attr { key: "dtype" value { type: DT_INT32 } } attr { key: "value" value { tensor { dtype: DT_INT32 tensor_shape {%s }%s } } } }
`, name, d.String(), v.String())
}

// pbNode writes a node; attrs is text-form attr entries.
func pbNode(name, op string, inputs []string, attrs string) string {
	var in strings.Builder
	for _, s := range inputs {
		fmt.Fprintf(&in, " input: %q", s)
	}
	return fmt.Sprintf("node { name: %q op: %q%s %s }\n", name, op, in.String(), attrs)
}

func pbInts(key string, vals ...int) string {
	var b strings.Builder
	for _, x := range vals {
		fmt.Fprintf(&b, " i: %d", x)
	}
	return fmt.Sprintf(`attr { key: %q value { list {%s } } } `, key, b.String())
}

func pbStr(key, val string) string {
	return fmt.Sprintf(`attr { key: %q value { s: %q } } `, key, val)
}

func pbBool(key string, v bool) string {
	return fmt.Sprintf(`attr { key: %q value { b: %v } } `, key, v)
}

func importText(t *testing.T, text string, outputs ...string) (*ir.Func, error) {
	t.Helper()
	g, err := tfpb.ParseGraphDef([]byte(text), "test.pbtxt")
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, text)
	}
	return Import(g, Options{Outputs: outputs})
}

// findOp returns the only op of opcode opc in f.
func findOp(t *testing.T, f *ir.Func, opc ir.Opcode) *ir.Op {
	t.Helper()
	var found *ir.Op
	for _, op := range f.Ops {
		if op.Opcode == opc {
			if found != nil {
				t.Fatalf("more than one %s op", opc)
			}
			found = op
		}
	}
	if found == nil {
		t.Fatalf("no %s op", opc)
	}
	return found
}

func TestConvBackpropInputPads(t *testing.T) {
	for _, tc := range []struct {
		name     string
		in, out  int // spatial sizes of the result and of out_backprop
		k, s     int
		padding  string
		explicit []int
		pads     []int
	}{
		// SAME: forward pad total (4-1)*2+3-7 = 2 → 1 before; full 9 → 1 after.
		{"same_s2_odd", 7, 4, 3, 2, "SAME", nil, []int{1, 1, 1, 1}},
		// SAME on an even size: forward total (4-1)*2+3-8 = 1 → 0 before; full 9 → extend 1... 9-8-0 = 1.
		{"same_s2_even", 8, 4, 3, 2, "SAME", nil, []int{0, 0, 1, 1}},
		// VALID with an extra row: full (4-1)*2+3 = 9, output 10 → -1 at the end.
		{"valid_s2_extra", 10, 4, 3, 2, "VALID", nil, []int{0, 0, -1, -1}},
		{"explicit", 8, 4, 3, 2, "EXPLICIT", []int{0, 0, 1, 1, 1, 1, 0, 0}, []int{1, 1, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			attrs := pbInts("strides", 1, tc.s, tc.s, 1) + pbStr("padding", tc.padding) + pbStr("data_format", "NHWC")
			if tc.explicit != nil {
				attrs += pbInts("explicit_paddings", tc.explicit...)
			}
			text := pbPlaceholder("dy", "DT_FLOAT", 1, tc.out, tc.out, 5) +
				pbConstF32("w", 0.5, tc.k, tc.k, 3, 5) +
				pbConstI32("sizes", []int{4}, 1, tc.in, tc.in, 3) +
				pbNode("deconv", "Conv2DBackpropInput", []string{"sizes", "w", "dy"}, attrs)
			f, err := importText(t, text, "deconv")
			if err != nil {
				t.Fatal(err)
			}
			op := findOp(t, f, ir.OpConvTranspose)
			if got := op.Ints("pads"); fmt.Sprint(got) != fmt.Sprint(tc.pads) {
				t.Errorf("pads %v, want %v", got, tc.pads)
			}
			want := ir.TensorType(tensor.Float32, 1, tc.in, tc.in, 3)
			if got := f.Outputs[0].Value.Type; !got.Equal(want) {
				t.Errorf("output %v, want %v", got, want)
			}
			if w := op.Args[1].Type.Shape; !w.Equal(tensor.Shape{5, 3, tc.k, tc.k}) {
				t.Errorf("kernel %v, want [5,3,%d,%d]", w, tc.k, tc.k)
			}
		})
	}
}

func TestDepthwiseLowering(t *testing.T) {
	text := pbPlaceholder("x", "DT_FLOAT", 1, 6, 6, 4) +
		pbConstF32("w", 0.5, 3, 3, 4, 2) +
		pbNode("dw", "DepthwiseConv2dNative", []string{"x", "w"},
			pbInts("strides", 1, 2, 2, 1)+pbStr("padding", "SAME")+pbStr("data_format", "NHWC"))
	f, err := importText(t, text, "dw")
	if err != nil {
		t.Fatal(err)
	}
	op := findOp(t, f, ir.OpConv)
	if op.Int("groups") != 4 || !op.Args[1].Type.Shape.Equal(tensor.Shape{8, 1, 3, 3}) {
		t.Errorf("conv groups=%d kernel %v, want groups=4 kernel [8,1,3,3]", op.Int("groups"), op.Args[1].Type.Shape)
	}
	if got := f.Outputs[0].Value.Type; !got.Equal(ir.TensorType(tensor.Float32, 1, 3, 3, 8)) {
		t.Errorf("output %v", got)
	}
}

func TestGroupedConv(t *testing.T) {
	text := pbPlaceholder("x", "DT_FLOAT", 1, 5, 5, 6) +
		pbConstF32("w", 0.5, 3, 3, 2, 9) +
		pbNode("conv", "Conv2D", []string{"x", "w"},
			pbInts("strides", 1, 1, 1, 1)+pbStr("padding", "VALID")+pbStr("data_format", "NHWC"))
	f, err := importText(t, text, "conv")
	if err != nil {
		t.Fatal(err)
	}
	if g := findOp(t, f, ir.OpConv).Int("groups"); g != 3 {
		t.Errorf("groups=%d, want 3", g)
	}
	if got := f.Outputs[0].Value.Type; !got.Equal(ir.TensorType(tensor.Float32, 1, 3, 3, 9)) {
		t.Errorf("output %v", got)
	}
}

func TestEinsumEllipsis(t *testing.T) {
	for _, tc := range []struct {
		eq     string
		a, b   []int
		want   string
		outDim []int
	}{
		{"...ij,...jk->...ik", []int{2, 3, 4}, []int{2, 4, 5}, "aij,ajk->aik", []int{2, 3, 5}},
		{"...ij,jk->...ik", []int{2, 6, 3, 4}, []int{4, 5}, "abij,jk->abik", []int{2, 6, 3, 5}},
		// Broadcasting under the ellipsis: a [1,3] batch against [2].
		{"...ij,...jk->...ik", []int{1, 3, 3, 4}, []int{2, 1, 4, 5}, "abij,abjk->abik", []int{2, 3, 3, 5}},
		{"ij,jk", []int{3, 4}, []int{4, 5}, "ij,jk->ik", []int{3, 5}},
	} {
		t.Run(tc.eq, func(t *testing.T) {
			text := pbPlaceholder("a", "DT_FLOAT", tc.a...) + pbPlaceholder("b", "DT_FLOAT", tc.b...) +
				pbNode("e", "Einsum", []string{"a", "b"}, pbStr("equation", tc.eq)+`attr { key: "N" value { i: 2 } }`)
			f, err := importText(t, text, "e")
			if err != nil {
				t.Fatal(err)
			}
			op := findOp(t, f, ir.OpEinsum)
			if op.Str("equation") != tc.want {
				t.Errorf("equation %q, want %q", op.Str("equation"), tc.want)
			}
			if got := f.Outputs[0].Value.Type.Shape; !got.Equal(tc.outDim) {
				t.Errorf("output %v, want %v", got, tc.outDim)
			}
		})
	}
}

func TestSpaceOpsShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		want []int
	}{
		{"depth_to_space_nhwc", pbPlaceholder("x", "DT_FLOAT", 1, 2, 3, 8) +
			pbNode("y", "DepthToSpace", []string{"x"}, `attr { key: "block_size" value { i: 2 } }`), []int{1, 4, 6, 2}},
		{"depth_to_space_nchw", pbPlaceholder("x", "DT_FLOAT", 1, 8, 2, 3) +
			pbNode("y", "DepthToSpace", []string{"x"}, `attr { key: "block_size" value { i: 2 } }`+pbStr("data_format", "NCHW")), []int{1, 2, 4, 6}},
		{"space_to_depth_nhwc", pbPlaceholder("x", "DT_FLOAT", 1, 4, 6, 2) +
			pbNode("y", "SpaceToDepth", []string{"x"}, `attr { key: "block_size" value { i: 2 } }`), []int{1, 2, 3, 8}},
		{"space_to_batch", pbPlaceholder("x", "DT_FLOAT", 2, 5, 6, 3) +
			pbConstI32("bs", []int{2}, 2, 3) + pbConstI32("pads", []int{2, 2}, 1, 0, 0, 0) +
			pbNode("y", "SpaceToBatchND", []string{"x", "bs", "pads"}, ""), []int{12, 3, 2, 3}},
		{"batch_to_space", pbPlaceholder("x", "DT_FLOAT", 12, 3, 2, 3) +
			pbConstI32("bs", []int{2}, 2, 3) + pbConstI32("crops", []int{2, 2}, 1, 0, 0, 1) +
			pbNode("y", "BatchToSpaceND", []string{"x", "bs", "crops"}, ""), []int{2, 5, 5, 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := importText(t, tc.text, "y")
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Outputs[0].Value.Type.Shape; !got.Equal(tc.want) {
				t.Errorf("output %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNNErrors(t *testing.T) {
	x := pbPlaceholder("x", "DT_FLOAT", 1, 8, 8, 4)
	w := pbConstF32("w", 0.5, 3, 3, 4, 2)
	vec := pbConstF32("v", 1, 4)
	for _, tc := range []struct {
		name, text, want string
	}{
		{"conv_channel_stride", x + w + pbNode("y", "Conv2D", []string{"x", "w"},
			pbInts("strides", 1, 1, 1, 2)+pbStr("padding", "SAME")), `strides on the batch or channel dimension`},
		{"conv_bad_padding", x + w + pbNode("y", "Conv2D", []string{"x", "w"},
			pbInts("strides", 1, 1, 1, 1)+pbStr("padding", "FULL")), `unsupported padding "FULL"`},
		{"conv_channels", x + pbConstF32("w", 0.5, 3, 3, 3, 2) + pbNode("y", "Conv2D", []string{"x", "w"},
			pbInts("strides", 1, 1, 1, 1)+pbStr("padding", "SAME")), `not a multiple of the filter's 3 input channels`},
		{"batchnorm_training", x + vec + pbNode("y", "FusedBatchNormV3", []string{"x", "v", "v", "v", "v"},
			pbBool("is_training", true)), `is_training=true`},
		{"pool_channel_window", x + pbNode("y", "MaxPool", []string{"x"},
			pbInts("ksize", 1, 2, 2, 2)+pbInts("strides", 1, 2, 2, 1)+pbStr("padding", "VALID")), `ksize on the batch or channel dimension`},
		{"resize_align_half", x + pbConstI32("size", []int{2}, 16, 16) + pbNode("y", "ResizeBilinear", []string{"x", "size"},
			pbBool("align_corners", true)+pbBool("half_pixel_centers", true)), `align_corners and half_pixel_centers`},
		{"einsum_two_ellipses", x + pbNode("y", "Einsum", []string{"x"}, pbStr("equation", "...i...->i")), `malformed ellipsis`},
		{"deconv_size_mismatch", pbPlaceholder("dy", "DT_FLOAT", 1, 5, 5, 2) + w + pbConstI32("sizes", []int{4}, 1, 8, 8, 4) +
			pbNode("y", "Conv2DBackpropInput", []string{"sizes", "w", "dy"},
				pbInts("strides", 1, 2, 2, 1)+pbStr("padding", "SAME")), `gives 4`},
		{"depth_to_space_channels", x + pbNode("y", "DepthToSpace", []string{"x"}, `attr { key: "block_size" value { i: 4 } }`),
			`not a multiple of block_size² = 16`},
		{"bmm_v3_tout", x + pbNode("y", "BatchMatMulV3", []string{"x", "x"},
			`attr { key: "Tout" value { type: DT_HALF } }`), `Tout=f16`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := importText(t, tc.text, "y")
			if err == nil {
				t.Fatalf("import succeeded, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), `node "y"`) {
				t.Errorf("error %q, want it to name node \"y\" and contain %q", err, tc.want)
			}
		})
	}
}
