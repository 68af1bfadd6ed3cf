package codegen_test

import (
	"fmt"
	"testing"

	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
)

// BenchmarkGenerateResNet50 measures -emit=go for the full ResNet50
// (testdata/gen/generate.sh --resnet50), from a lowered network.
func BenchmarkGenerateResNet50(b *testing.B) {
	c, err := golden.Load("../testdata/large/resnet50")
	if err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	d := direct(b, c)
	var res *codegen.Result
	for b.Loop() {
		res, err = codegen.Generate(d, codegen.Options{Source: "resnet50", Version: "bench"})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(res.Code)), "code-bytes")
	b.ReportMetric(float64(len(res.WeightsBytes())), "weight-bytes")
}

// BenchmarkGenerateChain measures -emit=go of a chain of n activation
// layers (the code and its formatting grow with n; memory per layer
// should stay constant).
func BenchmarkGenerateChain(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("block%d/relu", i)
		}
		d := chain(names)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := codegen.Generate(d, codegen.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
