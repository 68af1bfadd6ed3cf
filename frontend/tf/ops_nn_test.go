package tf

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

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

// Equivalence tests: the golden cases cover what TensorFlow ran; these
// check lowerings no case covers (NCHW variants, 3-D and V2 forms, grouped
// convolution) against an equivalent formulation, both run by the
// reference interpreter.

// nnData returns n deterministic values in [-1, 1).
func nnData(n, seed int) []float32 {
	v := make([]float32, n)
	s := uint32(seed*7919 + 1)
	for i := range v {
		s = s*1664525 + 1013904223
		v[i] = float32(s>>8)/float32(1<<24)*2 - 1
	}
	return v
}

func pbConstF32Vals(name string, dims []int, vals []float32) string {
	var d, v strings.Builder
	for _, x := range dims {
		fmt.Fprintf(&d, " dim { size: %d }", x)
	}
	for _, x := range vals {
		fmt.Fprintf(&v, " float_val: %v", x)
	}
	return fmt.Sprintf(`node { name: %q op: "Const" attr { key: "dtype" value { type: DT_FLOAT } } attr { key: "value" value { tensor { dtype: DT_FLOAT tensor_shape {%s }%s } } } }
`, name, d.String(), v.String())
}

// runText imports a graph and runs it on x (fed to placeholder "x").
func runText(t *testing.T, text string, x *tensor.Tensor, output string) *tensor.Tensor {
	t.Helper()
	f, err := importText(t, text, output)
	if err != nil {
		t.Fatal(err)
	}
	out, err := interp.Run(f, map[string]*tensor.Tensor{"x:0": x})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

// permute transposes an f32 tensor: result dimension i is x's perm[i].
func permute(x *tensor.Tensor, perm []int) *tensor.Tensor {
	r := len(perm)
	shape := make(tensor.Shape, r)
	for i, p := range perm {
		shape[i] = x.Shape[p]
	}
	out := tensor.MustNew(x.DType, shape)
	xs := x.Shape.Strides()
	idx := make([]int, r)
	for i := range out.F32 {
		off := 0
		for k := range r {
			off += idx[k] * xs[perm[k]]
		}
		out.F32[i] = x.F32[off]
		for k := r - 1; k >= 0; k-- {
			idx[k]++
			if idx[k] < shape[k] {
				break
			}
			idx[k] = 0
		}
	}
	return out
}

// sameTensor requires float32 tensors of one dtype and shape whose elements
// differ by at most tol; a NaN matches only a NaN, an infinity only itself.
func sameTensor(t *testing.T, got, want *tensor.Tensor, tol float64) {
	t.Helper()
	if !got.Shape.Equal(want.Shape) || got.DType != want.DType {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want.F32 {
		g, w := float64(got.F32[i]), float64(want.F32[i])
		if math.IsNaN(g) || math.IsNaN(w) {
			if math.IsNaN(g) != math.IsNaN(w) {
				t.Fatalf("element %d: got %v, want %v", i, g, w)
			}
			continue
		}
		if g != w && !(math.Abs(g-w) <= tol) { // equal infinities pass
			t.Fatalf("element %d: got %v, want %v", i, g, w)
		}
	}
}

func TestNNEquivalences(t *testing.T) {
	nhwc, nchw := []int{0, 2, 3, 1}, []int{0, 3, 1, 2}
	ndhwc, ncdhw := []int{0, 2, 3, 4, 1}, []int{0, 4, 1, 2, 3}
	x4 := func(dims ...int) *tensor.Tensor {
		return tensor.FromF32(tensor.Shape(dims), nnData(tensor.Shape(dims).Size(), len(dims)))
	}
	bs := `attr { key: "block_size" value { i: 2 } } `

	t.Run("depth_to_space_nchw", func(t *testing.T) {
		x := x4(2, 8, 3, 2)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 8, 3, 2)+pbNode("y", "DepthToSpace", []string{"x"}, bs+pbStr("data_format", "NCHW")), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 3, 2, 8)+pbNode("y", "DepthToSpace", []string{"x"}, bs), permute(x, nhwc), "y")
		sameTensor(t, got, permute(ref, nchw), 0)
	})
	t.Run("space_to_depth_nchw", func(t *testing.T) {
		x := x4(2, 3, 4, 6)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 3, 4, 6)+pbNode("y", "SpaceToDepth", []string{"x"}, bs+pbStr("data_format", "NCHW")), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 4, 6, 3)+pbNode("y", "SpaceToDepth", []string{"x"}, bs), permute(x, nhwc), "y")
		sameTensor(t, got, permute(ref, nchw), 0)
	})
	t.Run("depth_to_space_inverts_space_to_depth", func(t *testing.T) {
		x := x4(1, 4, 6, 3)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 4, 6, 3)+
			pbNode("s", "SpaceToDepth", []string{"x"}, bs)+pbNode("y", "DepthToSpace", []string{"s"}, bs), x, "y")
		sameTensor(t, got, x, 0)
	})
	t.Run("batch_to_space_inverts_space_to_batch", func(t *testing.T) {
		// Rank 5 with one block dimension padded, another not, and a trailing dimension.
		x := x4(2, 3, 4, 2, 3)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 3, 4, 2, 3)+
			pbConstI32("b", []int{3}, 2, 4, 1)+pbConstI32("p", []int{3, 2}, 1, 0, 2, 2, 0, 0)+
			pbNode("s", "SpaceToBatchND", []string{"x", "b", "p"}, "")+
			pbNode("y", "BatchToSpaceND", []string{"s", "b", "p"}, ""), x, "y")
		sameTensor(t, got, x, 0)
	})
	t.Run("maxpool_v2", func(t *testing.T) {
		x := x4(1, 7, 9, 3)
		attrs := pbStr("padding", "SAME")
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 7, 9, 3)+pbConstI32("k", []int{4}, 1, 3, 3, 1)+pbConstI32("s", []int{4}, 1, 2, 2, 1)+
			pbNode("y", "MaxPoolV2", []string{"x", "k", "s"}, attrs), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 7, 9, 3)+
			pbNode("y", "MaxPool", []string{"x"}, attrs+pbInts("ksize", 1, 3, 3, 1)+pbInts("strides", 1, 2, 2, 1)), x, "y")
		sameTensor(t, got, ref, 0)
	})
	for _, op := range []string{"MaxPool", "AvgPool"} {
		t.Run(op+"3D_depth1", func(t *testing.T) {
			x := x4(1, 7, 9, 3)
			attrs := pbStr("padding", "SAME")
			got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 1, 7, 9, 3)+pbConstI32("sh", []int{5}, 1, 1, 7, 9, 3)+
				pbNode("y", op+"3D", []string{"x"}, attrs+pbInts("ksize", 1, 1, 3, 3, 1)+pbInts("strides", 1, 1, 2, 2, 1)),
				&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{1, 1, 7, 9, 3}, F32: x.F32}, "y")
			ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 7, 9, 3)+
				pbNode("y", op, []string{"x"}, attrs+pbInts("ksize", 1, 3, 3, 1)+pbInts("strides", 1, 2, 2, 1)), x, "y")
			sameTensor(t, &tensor.Tensor{DType: got.DType, Shape: got.Shape[1:], F32: got.F32}, &tensor.Tensor{DType: ref.DType, Shape: tensor.Shape{1, 4, 5, 3}, F32: ref.F32}, 0)
		})
		t.Run(op+"3D_ncdhw", func(t *testing.T) {
			x := x4(1, 2, 5, 6, 7)
			attrs := pbStr("padding", "SAME") + pbInts("ksize", 1, 1, 2, 3, 3) + pbInts("strides", 1, 1, 2, 1, 2)
			got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 2, 5, 6, 7)+pbNode("y", op+"3D", []string{"x"}, attrs+pbStr("data_format", "NCDHW")), x, "y")
			attrs = pbStr("padding", "SAME") + pbInts("ksize", 1, 2, 3, 3, 1) + pbInts("strides", 1, 2, 1, 2, 1)
			ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 5, 6, 7, 2)+pbNode("y", op+"3D", []string{"x"}, attrs), permute(x, ndhwc), "y")
			sameTensor(t, got, permute(ref, ncdhw), 0)
		})
	}
	t.Run("conv3d_backprop_input_depth1", func(t *testing.T) {
		x := x4(1, 4, 5, 3)
		w := nnData(3*3*2*3, 5)
		sizes2 := pbConstI32("sz", []int{4}, 1, 7, 9, 2)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 1, 4, 5, 3)+pbConstF32Vals("w", []int{1, 3, 3, 2, 3}, w)+
			pbConstI32("sz", []int{5}, 1, 1, 7, 9, 2)+
			pbNode("y", "Conv3DBackpropInputV2", []string{"sz", "w", "x"}, pbStr("padding", "SAME")+pbInts("strides", 1, 1, 2, 2, 1)),
			&tensor.Tensor{DType: tensor.Float32, Shape: tensor.Shape{1, 1, 4, 5, 3}, F32: x.F32}, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 4, 5, 3)+pbConstF32Vals("w", []int{3, 3, 2, 3}, w)+sizes2+
			pbNode("y", "Conv2DBackpropInput", []string{"sz", "w", "x"}, pbStr("padding", "SAME")+pbInts("strides", 1, 2, 2, 1)), x, "y")
		sameTensor(t, &tensor.Tensor{DType: got.DType, Shape: tensor.Shape{1, 7, 9, 2}, F32: got.F32}, ref, 1e-6)
	})
	t.Run("grouped_conv_is_depthwise", func(t *testing.T) {
		// Conv2D with one input channel per group and 2 outputs per group
		// equals DepthwiseConv2dNative with multiplier 2 and the same
		// kernel data ([3,3,4,2] and [3,3,1,8] flatten alike).
		x := x4(1, 6, 7, 4)
		w := nnData(3*3*4*2, 9)
		attrs := pbStr("padding", "SAME") + pbInts("strides", 1, 2, 1, 1)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 6, 7, 4)+pbConstF32Vals("w", []int{3, 3, 1, 8}, w)+
			pbNode("y", "Conv2D", []string{"x", "w"}, attrs), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 6, 7, 4)+pbConstF32Vals("w", []int{3, 3, 4, 2}, w)+
			pbNode("y", "DepthwiseConv2dNative", []string{"x", "w"}, attrs), x, "y")
		sameTensor(t, got, ref, 1e-6)
	})
	t.Run("fused_batchnorm_ncdhw", func(t *testing.T) {
		x := x4(1, 3, 2, 4, 5)
		vecs := pbConstF32Vals("sc", []int{3}, []float32{0.5, 1.5, -2}) + pbConstF32Vals("of", []int{3}, []float32{0.1, -0.2, 0.3}) +
			pbConstF32Vals("m", []int{3}, []float32{0.05, -0.1, 0.2}) + pbConstF32Vals("v", []int{3}, []float32{0.9, 1.1, 0.3})
		in := []string{"x", "sc", "of", "m", "v"}
		attrs := pbBool("is_training", false) + `attr { key: "epsilon" value { f: 0.001 } } `
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 3, 2, 4, 5)+vecs+pbNode("y", "FusedBatchNormV3", in, attrs+pbStr("data_format", "NCDHW")), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 2, 4, 5, 3)+vecs+pbNode("y", "FusedBatchNormV3", in, attrs+pbStr("data_format", "NDHWC")), permute(x, ndhwc), "y")
		sameTensor(t, got, permute(ref, ncdhw), 0)
	})
	t.Run("einsum_broadcast_ellipsis_is_batchmatmul", func(t *testing.T) {
		w := nnData(2*1*4*5, 3)
		x := x4(1, 3, 3, 4)
		wc := pbConstF32Vals("w", []int{2, 1, 4, 5}, w)
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 3, 3, 4)+wc+
			pbNode("y", "Einsum", []string{"x", "w"}, pbStr("equation", "...ij,...jk->...ik")), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 1, 3, 3, 4)+wc+pbNode("y", "BatchMatMulV2", []string{"x", "w"}, ""), x, "y")
		sameTensor(t, got, ref, 1e-6)
	})
	t.Run("biasadd_v1", func(t *testing.T) {
		x := x4(2, 3, 4)
		b := pbConstF32Vals("b", []int{4}, []float32{1, -2, 3, 0.5})
		got := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 3, 4)+b+pbNode("y", "BiasAddV1", []string{"x", "b"}, ""), x, "y")
		ref := runText(t, pbPlaceholder("x", "DT_FLOAT", 2, 3, 4)+b+pbNode("y", "BiasAdd", []string{"x", "b"}, ""), x, "y")
		sameTensor(t, got, ref, 0)
	})
}
