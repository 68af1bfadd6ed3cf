package codegen_test

import (
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
	b.ReportMetric(float64(len(res.Weights)), "weight-bytes")
}
