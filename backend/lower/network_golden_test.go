package lower_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/passes"
)

var updateNetworks = flag.Bool("update-networks", false, "rewrite testdata/network/*.txt")

// TestNetworkGolden keeps the -emit=network text of the small models in
// testdata/network, so a change in lowering or passes shows in review.
func TestNetworkGolden(t *testing.T) {
	for _, m := range []string{"resnet_small", "mobilenetv2", "encoder"} {
		t.Run(m, func(t *testing.T) {
			checkNetworkGolden(t, "../../testdata/models/"+m, m+".txt", lower.Options{})
		})
	}
}

// TestNetworkGoldenTF32x3 keeps the -emit=network -tf32x3 text of a small
// convolution (with bias and ReLU), a depthwise one (grouped), a matmul
// with constant weights and one of two run-time operands (tf32x3.go), and
// the last with run-time tensors split into three bfloat16 parts.
func TestNetworkGoldenTF32x3(t *testing.T) {
	for _, c := range []string{"conv2d_nchw_bias_relu", "depthwise_m1_same_s1", "matmul_const_weight", "matmul_plain"} {
		t.Run(c, func(t *testing.T) {
			checkNetworkGolden(t, "../../testdata/cases/"+c, "tf32x3_"+c+".txt", lower.Options{TF32x3: true})
		})
	}
	t.Run("matmul_plain/bf16", func(t *testing.T) {
		checkNetworkGolden(t, "../../testdata/cases/matmul_plain", "tf32x3_bf16_matmul_plain.txt", lower.Options{TF32x3: true, TF32x3Split: lower.SplitBF16})
	})
}

// checkNetworkGolden compares the network text of the case in dir,
// optimized and lowered with opts, with testdata/network/name.
func checkNetworkGolden(t *testing.T, dir, name string, opts lower.Options) {
	c, err := golden.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tfc.Optimize(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	d, err := tfc.LowerWith(f, opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := trt.Print(&buf, d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "testdata", "network", name)
	if *updateNetworks {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./backend/lower -run TestNetworkGolden -update-networks)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("network text differs from %s (-want +got):\n%s", path, diff)
	}
}
