//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
	tfctensor "github.com/tfc-dev/tfc/tensor"
)

// TestModelEngines compiles the test models end to end — TensorFlow graph,
// passes, lowering straight into TensorRT's network, engine — and again
// through the Recorder's Description (Build checks that TensorRT infers
// every tensor's type and shape as the Recorder did), at fp32 and, through
// the precision pass, at fp16 and bf16 (TensorRT-RTX is strongly typed:
// the f16/bf16 tensors and casts of the network are the engine's precision).
func TestModelEngines(t *testing.T) {
	needLibrary(t)
	models := []string{"models/resnet_small", "models/mobilenetv2", "models/encoder", "large/resnet50"}
	for _, m := range models {
		for _, prec := range []tfctensor.DType{tfctensor.Float32, tfctensor.Float16, tfctensor.BFloat16} {
			modelEngine(t, m, prec)
		}
	}
}

func modelEngine(t *testing.T, m string, prec tfctensor.DType) {
	{
		t.Run(filepath.Base(m)+"/"+prec.String(), func(t *testing.T) {
			path := filepath.Join("..", "..", "testdata", m, "model.pb")
			if _, err := os.Stat(path); err != nil {
				t.Skipf("%v", err)
			}
			if testing.Short() && m == "large/resnet50" {
				t.Skip("-short")
			}
			f, err := tfc.Load(path, tfc.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{Config: passes.Config{Precision: prec}}); err != nil {
				t.Fatal(err)
			}
			rec := trt.NewRecorder()
			if err := lower.Lower(f, rec); err != nil {
				t.Fatal(err)
			}
			d := rec.Description()
			start := time.Now()
			plan, err := Optimize(func(net trt.Network) error { return lower.Lower(f, net) }, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d layers: %d-byte plan in %v", len(d.Layers), len(plan), time.Since(start).Round(time.Millisecond))

			// The same network replayed from the Description.
			start = time.Now()
			plan2, err := OptimizeDescription(d, testOptions(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("replayed: %d-byte plan in %v", len(plan2), time.Since(start).Round(time.Millisecond))
			checkEngineIO(t, plan, d)
			checkEngineIO(t, plan2, d)
		})
	}
}

// TestVectorTopKSoftmax: TopK (ArgMax, TopKV2) and softmax of a vector build
// with the real library. TensorRT-RTX wants two dimensions for both (on the
// H200 these TF cases failed at AddTopK/AddSoftMax); the lowering goes
// through [1,N].
func TestVectorTopKSoftmax(t *testing.T) {
	needLibrary(t)
	for _, c := range []string{"argmax_rank1_i32", "topk_k5_rank1", "odd_rank1_softmax"} {
		t.Run(c, func(t *testing.T) {
			f, err := tfc.Load(filepath.Join("..", "..", "testdata", "cases", c, "model.pb"), tfc.LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := passes.Run(f, passes.Options{}); err != nil {
				t.Fatal(err)
			}
			if _, err := Optimize(func(net trt.Network) error { return lower.Lower(f, net) }, testOptions(t)); err != nil {
				t.Fatal(err)
			}
		})
	}
}
