package prof

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/internal/synth"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

var resnet50 = filepath.Join("..", "..", "testdata", "large", "resnet50")

// compile is what "tfc compile -emit=network MODEL" does in process:
// read and import, the pass pipeline, lowering with validation, and the
// network's text.
func compile(b *testing.B, name string, data []byte) *trt.Description {
	f, err := tfc.LoadBytes(name, data, tfc.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
		b.Fatal(err)
	}
	d, err := tfc.Lower(f)
	if err != nil {
		b.Fatal(err)
	}
	if err := trt.Print(io.Discard, d); err != nil {
		b.Fatal(err)
	}
	return d
}

// BenchmarkCompileResNet50 is tfc compile -emit=network on the full
// Keras ResNet50 (from bytes in memory, so no disk time).
func BenchmarkCompileResNet50(b *testing.B) {
	c, err := golden.Load(resnet50)
	if err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	data, err := os.ReadFile(c.Model())
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		compile(b, c.Model(), data)
	}
}

// BenchmarkCompileFileResNet50 is tfc compile -emit=network on the
// ResNet50 file as the command reads it (tfc.Load: the file mapped, the
// weights decoded straight from it): its bytes allocated per op are about
// the weights once (100 MB), not the file, its decoded copy and the
// weights' transposes besides.
func BenchmarkCompileFileResNet50(b *testing.B) {
	c, err := golden.Load(resnet50)
	if err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	st, err := os.Stat(c.Model())
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		f, err := tfc.Load(c.Model(), tfc.LoadOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tfc.Optimize(f, passes.Options{}); err != nil {
			b.Fatal(err)
		}
		d, err := tfc.Lower(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := trt.Print(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileSynthetic100k and BenchmarkCompileSynthetic1M are tfc
// compile -emit=network on synthetic chains of 100k and 1M GraphDef
// nodes (internal/synth).
func BenchmarkCompileSynthetic100k(b *testing.B) { benchSynthetic(b, 100_000) }

func BenchmarkCompileSynthetic1M(b *testing.B) { benchSynthetic(b, 1_000_000) }

func benchSynthetic(b *testing.B, n int) {
	data, err := proto.Marshal(synth.Graph(n))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		compile(b, "synth.pb", data)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/node")
}

// BenchmarkTrtRefResNet50 is one batch-1 inference of the lowered
// ResNet50 network on the TensorRT reference executor (tfc run
// -backend=trt-ref without the start-up), prepared once (exec.Prepare).
func BenchmarkTrtRefResNet50(b *testing.B) {
	c, err := golden.Load(resnet50)
	if err != nil {
		b.Skipf("%v (run testdata/gen/generate.sh --resnet50)", err)
	}
	data, err := os.ReadFile(c.Model())
	if err != nil {
		b.Skip(err)
	}
	d := compile(b, c.Model(), data)
	in, err := c.ReadInputs()
	if err != nil {
		b.Fatal(err)
	}
	prog, err := exec.Prepare(d)
	if err != nil {
		b.Fatal(err)
	}
	runPrepared(b, prog, in)
}

// BenchmarkTrtRefMobileNetV2 is one batch-1 inference of the lowered
// MobileNetV2 (testdata/models) on the TensorRT reference executor: small
// tensors, depthwise convolutions, per-layer overheads.
func BenchmarkTrtRefMobileNetV2(b *testing.B) {
	benchTrtRef(b, filepath.Join("..", "..", "testdata", "models", "mobilenetv2"))
}

func benchTrtRef(b *testing.B, dir string) {
	c, err := golden.Load(dir)
	if err != nil {
		b.Skip(err)
	}
	data, err := os.ReadFile(c.Model())
	if err != nil {
		b.Skip(err)
	}
	d := compile(b, c.Model(), data)
	in, err := c.ReadInputs()
	if err != nil {
		b.Fatal(err)
	}
	prog, err := exec.Prepare(d)
	if err != nil {
		b.Fatal(err)
	}
	runPrepared(b, prog, in)
}

// runPrepared is the timed loop of the trt-ref benchmarks: one run
// before it (the weights are packed on the first), allocations reported,
// and cpu-ns/op, the process's CPU time (user and system, every thread)
// per run, steadier than wall time on a shared machine.
func runPrepared(b *testing.B, prog *exec.Program, in map[string]*tensor.Tensor) {
	if _, err := prog.Run(in); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	c0 := cpuTime()
	for b.Loop() {
		if _, err := prog.Run(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N), "cpu-ns/op")
}
