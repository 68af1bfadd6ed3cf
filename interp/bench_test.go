package interp_test

import (
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
)

func benchRun(b *testing.B, dir string) {
	c, err := golden.Load(dir)
	if err != nil {
		b.Skipf("%v", err)
	}
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames()})
	if err != nil {
		b.Fatal(err)
	}
	in, err := c.ReadInputs()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := interp.Run(f, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunResnetSmall measures the interpreter on the small
// ResNet-style model.
func BenchmarkRunResnetSmall(b *testing.B) { benchRun(b, "../testdata/models/resnet_small") }

// BenchmarkRunMobileNetV2 measures the interpreter on MobileNetV2 (alpha 0.35, 96x96).
func BenchmarkRunMobileNetV2(b *testing.B) { benchRun(b, "../testdata/models/mobilenetv2") }

// BenchmarkRunResNet50 measures the interpreter on the full ResNet50, batch 1.
func BenchmarkRunResNet50(b *testing.B) { benchRun(b, "../testdata/large/resnet50") }
