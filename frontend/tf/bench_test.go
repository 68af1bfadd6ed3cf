package tf_test

import (
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/internal/synth"
)

// BenchmarkLoadSynthetic100k measures GraphDef parse + import + verify of
// a 100k-node graph.
func BenchmarkLoadSynthetic100k(b *testing.B) {
	data, err := proto.Marshal(synth.Graph(100_000))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		f, err := tfc.LoadBytes("synth.pb", data, tfc.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(f.Ops)), "ir-ops")
	}
}

// BenchmarkLoadResNet50 measures import of the full Keras ResNet50
// (generate it first: testdata/gen/generate.sh --resnet50).
func BenchmarkLoadResNet50(b *testing.B) {
	path := filepath.Join("..", "..", "testdata", "large", "resnet50", "model.pb")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := tfc.LoadBytes(path, data, tfc.LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
