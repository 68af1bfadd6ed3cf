//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"path/filepath"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
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
