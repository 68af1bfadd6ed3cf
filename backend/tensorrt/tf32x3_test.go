//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	tfctensor "github.com/tfc-dev/tfc/tensor"
	"golang.org/x/tools/txtar"
)

// TestTF32x3Engines: the networks of lower.Options.TF32x3 (one layer per
// float32 convolution, deconvolution, matrix product and einsum, over
// operands split into TF32 parts, in the network by casts or on the host,
// and concatenated along the contracted axis), with either split of
// run-time tensors (float16, three bfloat16 parts), build, lowered
// straight into TensorRT's network and replayed from the Description: a
// convolution with bias, a depthwise one, a transposed one, one with a
// run-time filter, matmuls with constant and run-time operands, einsums
// lowered as matmuls and as IEinsumLayer, and a loop with a matmul inside.
// (The builder's TF32 flag is the process's FP32 mode, see fp32.go; these
// engines are built as the rest of the package's are.)
func TestTF32x3Engines(t *testing.T) {
	needLibrary(t)
	for _, c := range []string{"cases/conv2d_nchw_bias_relu", "cases/depthwise_m1_same_s1", "cases/conv2d_transpose_same_s2",
		"cases/conv2d_runtime_filter", "cases/matmul_const_weight", "cases/matmul_plain", "cases/einsum_bhqd_bhkd_bhqk",
		"cases/einsum_abc_cde_abde", "cases/einsum_trace_ii", "cases/einsum_outer_i_jk_kji", "control/control_while_rnn"} {
		for _, split := range []string{lower.SplitF16, lower.SplitBF16} {
			t.Run(filepath.Base(c)+"/"+split, func(t *testing.T) {
				path := filepath.Join("..", "..", "testdata", c, "model.pb")
				f, err := tfc.Load(path, tfc.LoadOptions{})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := passes.Run(f, passes.Options{}); err != nil {
					t.Fatal(err)
				}
				opts := lower.Options{TF32x3: true, TF32x3Split: split}
				d, err := tfc.LowerWith(f, opts)
				if err != nil {
					t.Fatal(err)
				}
				plan, err := Optimize(func(net trt.Network) error { return lower.LowerWith(f, net, opts) }, testOptions(t))
				if err != nil {
					t.Fatal(err)
				}
				plan2, err := OptimizeDescription(d, testOptions(t))
				if err != nil {
					t.Fatal(err)
				}
				checkEngineIO(t, plan, d)
				checkEngineIO(t, plan2, d)
			})
		}
	}
}

// TestTF32x3LayoutEngines builds engines for the TF32x3 layouts that the
// TensorFlow cases above do not reach (lower.TestTF32x3Layouts checks
// their numbers on the reference executor): a grouped deconvolution with
// a computed kernel (its parts concatenated per group), an IEinsumLayer
// of three operands concatenated along their shared letter, one without
// a shared letter (along a new one), one using every letter (a layer per
// term), and a grouped convolution with
// symbolic batch and spatial sizes (the view back to channels from a
// shape tensor), with either split.
func TestTF32x3LayoutEngines(t *testing.T) {
	needLibrary(t)
	kernel := make([]string, 4*2*9)
	for i := range kernel {
		kernel[i] = fmt.Sprint(float32(i%7)*0.37 - 1.1)
	}
	type layout struct {
		name, src string
		profile   ir.Profile
	}
	var cases []layout
	a, err := txtar.ParseFile(filepath.Join("..", "..", "testdata", "network", "tf32x3_layouts.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files { // shared with lower.TestTF32x3Layouts
		cases = append(cases, layout{name: strings.TrimSuffix(f.Name, ".ir"), src: string(f.Data)})
	}
	if len(cases) == 0 {
		t.Fatal("tf32x3_layouts.txtar holds no program")
	}
	cases = append(cases, []layout{
		{"conv_grouped_dynamic", `func @f {
  %0 = input {name="x:0"} : f32[N,4,H,W]
  %1 = const {value=dense<[` + strings.Join(kernel, ", ") + `]>} : f32[4,2,3,3]
  %2 = conv(%0, %1) {strides=[1,1], dilations=[1,1], pads=[1,1,1,1], groups=2} : f32[N,4,H,W]
  return "y:0" = %2
}`, ir.Profile{"x:0": {Min: tfctensor.Shape{1, 4, 3, 3}, Opt: tfctensor.Shape{2, 4, 5, 6}, Max: tfctensor.Shape{3, 4, 8, 8}}}},
	}...)
	for _, c := range cases {
		for _, split := range []string{lower.SplitF16, lower.SplitBF16} {
			t.Run(c.name+"/"+split, func(t *testing.T) {
				f, err := ir.Parse(c.name, []byte(c.src))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := passes.Run(f, passes.Options{Passes: passes.Required()}); err != nil {
					t.Fatal(err)
				}
				opts := lower.Options{TF32x3: true, TF32x3Split: split}
				var profiles []ir.Profile
				if c.profile != nil {
					profiles = append(profiles, c.profile)
				}
				d, err := tfc.LowerWith(f, opts, profiles...)
				if err != nil {
					t.Fatal(err)
				}
				plan, err := OptimizeDescription(d, testOptions(t))
				if err != nil {
					t.Fatal(err)
				}
				checkEngineIO(t, plan, d)
			})
		}
	}
}
