package lower_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc"
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
			c, err := golden.Load("../../testdata/models/" + m)
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
			d, err := tfc.Lower(f)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := trt.Print(&buf, d); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("..", "..", "testdata", "network", m+".txt")
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
		})
	}
}
