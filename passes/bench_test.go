package passes_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/synth"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// BenchmarkPipelineSynthetic measures the default pipeline on synthetic
// chains of 10k, 100k and 1M GraphDef nodes (import is not timed). Cost
// per node should stay flat: the ns/node metric is the one to compare.
func BenchmarkPipelineSynthetic(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			g := synth.Graph(n)
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				f, err := tf.Import(g, tf.Options{})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := passes.Run(f, passes.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
		})
	}
}

// BenchmarkPipelineResNet50 measures the default pipeline on the full
// Keras ResNet50 (generate it with testdata/gen/generate.sh --resnet50),
// at fp32 and with the precision pass at fp16 and bf16 (the difference is
// the precision pass's cost: the weights converted once, the casts).
func BenchmarkPipelineResNet50(b *testing.B) {
	for _, p := range []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16} {
		b.Run(p.String(), func(b *testing.B) { benchResNet50(b, passes.Options{Config: passes.Config{Precision: p}}) })
	}
	// The precision pass alone, on the already optimised function.
	b.Run("precision-pass-f16", func(b *testing.B) {
		benchResNet50(b, passes.Options{Config: passes.Config{Precision: tensor.Float16}, Passes: []string{"precision"}}, passes.Options{})
	})
}

// benchResNet50 times passes.Run(opts) on ResNet50, after the untimed
// pipelines of pre.
func benchResNet50(b *testing.B, opts passes.Options, pre ...passes.Options) {
	path := filepath.Join("..", "testdata", "large", "resnet50", "model.pb")
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	g, err := tfpb.ReadGraphDef(path)
	if err != nil {
		b.Fatal(err)
	}
	var f *ir.Func
	for b.Loop() {
		b.StopTimer()
		f, err = tf.Import(g, tf.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, o := range pre {
			if _, err := passes.Run(f, o); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		if _, err := passes.Run(f, opts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(f.Ops)), "ops-after")
}
