//go:build tensorrt || tensorrt_rtx

package tensorrt

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/passes"
)

func i32Weights(vals ...int32) trt.Weights {
	b := make([]byte, 4*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
	}
	return trt.Weights{Type: trt.Int32, Count: int64(len(vals)), Values: b}
}

// everyLayer adds each layer kind of trt.Network once (those richNetwork
// lacks), each feeding an output.
func everyLayer(net trt.Network) error {
	x := net.AddInput("x", trt.Float, trt.Dims{1, 4, 6, 6})
	out := func(name string, l trt.Layer, i int) {
		l.SetName(name)
		l.Output(i).SetName(name)
		net.MarkOutput(l.Output(i))
	}
	out("deconv", net.AddDeconvolutionNd(x, trt.Deconvolution{NbOutputMaps: 2, KernelSize: trt.Dims{2, 2},
		Kernel: ramp(4 * 2 * 4), Stride: trt.Dims{2, 2}}), 0)
	out("maxpool", net.AddPoolingNd(x, trt.Pooling{Type: trt.PoolingMax, WindowSize: trt.Dims{3, 3}, Stride: trt.Dims{3, 3}}), 0)
	flat := net.AddShuffle(x, trt.Shuffle{ReshapeDimensions: trt.Dims{4, 36}})
	topk := net.AddTopK(flat.Output(0), trt.TopK{Operation: trt.TopKMax, K: 2, ReduceAxes: 1 << 1, IndicesType: trt.Int32})
	out("topk_values", topk, 0)
	out("topk_indices", topk, 1)
	idx := net.AddConstant(trt.Dims{2}, i32Weights(3, 0))
	out("gather", net.AddGather(x, idx.Output(0), trt.Gather{Axis: 1}), 0)
	out("einsum", net.AddEinsum([]trt.Tensor{flat.Output(0), flat.Output(0)}, "ij,kj->ik"), 0)
	out("resize", net.AddResize(x, trt.Resize{OutputDimensions: trt.Dims{1, 4, 12, 12}, ResizeMode: trt.InterpolationLinear,
		CoordinateTransformation: trt.ResizeHalfPixel}), 0)
	zero := net.AddConstant(trt.Dims{1, 1, 1, 1}, f32Weights(0))
	pos := net.AddElementWise(x, zero.Output(0), trt.ElementWiseGreater)
	out("select", net.AddSelect(pos.Output(0), x, zero.Output(0)), 0)
	out("scale", net.AddScaleNd(x, trt.Scale{Mode: trt.ScaleChannel, Shift: ramp(4), Scale: ramp(4), ChannelAxis: 1}), 0)
	gamma := net.AddConstant(trt.Dims{1, 4, 1, 1}, ramp(4))
	beta := net.AddConstant(trt.Dims{1, 4, 1, 1}, ramp(4))
	out("prelu", net.AddParametricReLU(x, gamma.Output(0)), 0)
	out("instnorm", net.AddNormalization(x, gamma.Output(0), beta.Output(0), trt.Normalization{Epsilon: 1e-5, Axes: 1<<2 | 1<<3}), 0)
	out("groupnorm", net.AddNormalization(x, gamma.Output(0), beta.Output(0), trt.Normalization{Epsilon: 1e-5, Axes: 1<<2 | 1<<3, NbGroups: 2}), 0)
	fill := net.AddFill(trt.Fill{Dimensions: trt.Dims{5}, Operation: trt.FillLinspace, ToType: trt.Float, Alpha: 1, Beta: 0.5})
	out("linspace", fill, 0)
	shape := net.AddShape(x)
	sf := net.AddCast(shape.Output(0), trt.Float)
	out("shape", sf, 0)
	scalar := net.AddConstant(trt.Dims{}, f32Weights(7))
	out("slice_fill", net.AddSlice(x, trt.Slice{Start: trt.Dims{0, 0, -1, -1}, Size: trt.Dims{1, 4, 8, 8},
		Stride: trt.Dims{1, 1, 1, 1}, Mode: trt.SampleFill, Fill: scalar.Output(0)}), 0)
	out("slice_clamp", net.AddSlice(x, trt.Slice{Start: trt.Dims{0, 0, -1, -1}, Size: trt.Dims{1, 4, 8, 8},
		Stride: trt.Dims{1, 1, 1, 1}, Mode: trt.SampleClamp}), 0)
	rows := net.AddConstant(trt.Dims{2, 1}, i32Weights(3, 1))
	upd := net.AddShuffle(net.AddSlice(flat.Output(0), trt.Slice{Start: trt.Dims{0, 0}, Size: trt.Dims{2, 36},
		Stride: trt.Dims{1, 1}}).Output(0), trt.Shuffle{ReshapeDimensions: trt.Dims{2, 36}})
	out("scatter_nd", net.AddScatter(flat.Output(0), rows.Output(0), upd.Output(0), trt.Scatter{Mode: trt.ScatterND}), 0)
	kernel := net.AddShuffle(net.AddConstant(trt.Dims{2, 4, 3, 3}, ramp(2*4*3*3)).Output(0), trt.Shuffle{})
	out("conv_kernel_input", net.AddConvolutionNd(x, trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3},
		KernelTensor: kernel.Output(0)}), 0)
	out("cumsum", net.AddCumulative(flat.Output(0), trt.Cumulative{Axis: 1, Exclusive: true, Reverse: true}), 0)
	// Explicit INT8 quantization: per tensor on the activations, per
	// channel (axis 0) on constant weights.
	qs := net.AddConstant(trt.Dims{}, f32Weights(0.05))
	q := net.AddQuantize(x, qs.Output(0), trt.Quantize{ToType: trt.Int8})
	out("dequantize", net.AddDequantize(q.Output(0), qs.Output(0), trt.Dequantize{ToType: trt.Float}), 0)
	w := net.AddConstant(trt.Dims{2, 3}, ramp(6))
	ws := net.AddConstant(trt.Dims{2}, f32Weights(0.5, 0.25))
	wq := net.AddQuantize(w.Output(0), ws.Output(0), trt.Quantize{ToType: trt.Int8})
	out("dequantize_weights", net.AddDequantize(wq.Output(0), ws.Output(0), trt.Dequantize{ToType: trt.Float}), 0)
	q8 := net.AddQuantize(x, qs.Output(0), trt.Quantize{ToType: trt.FP8})
	out("dequantize_fp8", net.AddDequantize(q8.Output(0), qs.Output(0), trt.Dequantize{ToType: trt.Float}), 0)
	if isRTX { // no INMSLayer or INonZeroLayer implementation (AddNMS, AddNonZero say so)
		return net.Err()
	}
	// NMS over x's 36 positions as boxes of one batch item: [1,36,4]
	// boxes, [1,36,1] scores; its rows are data-dependent, so a fixed
	// 5 rows are sliced out (kFILL) before being marked.
	boxes := net.AddShuffle(x, trt.Shuffle{FirstTranspose: trt.Permutation{0, 2, 3, 1}, ReshapeDimensions: trt.Dims{1, 36, 4}})
	scores := net.AddReduce(boxes.Output(0), trt.Reduce{Operation: trt.ReduceMax, ReduceAxes: 1 << 2, KeepDimensions: true})
	limit := net.AddConstant(trt.Dims{}, i32Weights(5))
	iou := net.AddConstant(trt.Dims{}, f32Weights(0.5))
	nms := net.AddNMS(boxes.Output(0), scores.Output(0), limit.Output(0), iou.Output(0), scalar.Output(0),
		trt.NMS{BoundingBoxFormat: trt.BoxCornerPairs, TopKBoxLimit: trt.NMSTopKLimit, IndicesType: trt.Int32})
	nms.SetName("nms")
	out("nms_rows", net.AddSlice(nms.Output(0), trt.Slice{Start: trt.Dims{0, 0}, Size: trt.Dims{5, 3}, Stride: trt.Dims{1, 1},
		Mode: trt.SampleFill}), 0)
	out("nms_count", net.AddIdentity(nms.Output(1)), 0)
	// NonZero (no implementation in TensorRT-RTX either): its
	// data-dependent [rank, count] coordinates are a network output.
	out("nonzero", net.AddNonZero(x, trt.NonZero{IndicesType: trt.Int64}), 0)
	return net.Err()
}

// TestEveryLayer builds every layer kind with the real library, and checks
// the Recorder predicts TensorRT's output types and shapes (Build).
func TestEveryLayer(t *testing.T) {
	needLibrary(t)
	rec := trt.NewRecorder()
	if err := everyLayer(rec); err != nil {
		t.Fatalf("Recorder: %v", err)
	}
	var b bytes.Buffer
	trt.Print(&b, rec.Description())
	plan, err := OptimizeDescription(rec.Description(), testOptions(t))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	t.Logf("%d layers: %d-byte plan", len(rec.Description().Layers), len(plan))
	checkEngineIO(t, plan, rec.Description())
}

// TestEveryKindBuilt checks that the networks the engine tests build with
// the real library (TestEveryLayer's, and the control-flow cases of
// TestControlFlowEngines) hold every layer kind of trt.LayerKinds, so
// each kind's binding (its Network method here and its call in shim.cc)
// is exercised by a real build. It needs no library: it records them.
func TestEveryKindBuilt(t *testing.T) {
	seen := map[trt.LayerType]bool{}
	note := func(d *trt.Description) {
		for _, l := range d.Layers {
			seen[l.Type] = true
		}
	}
	for _, build := range []func(trt.Network) error{everyLayer, richNetwork} {
		rec := trt.NewRecorder()
		if err := build(rec); err != nil {
			t.Fatal(err)
		}
		note(rec.Description())
	}
	dir := filepath.Join("..", "..", "testdata", "control")
	cases, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range cases {
		if !e.IsDir() {
			continue
		}
		f, err := tfc.Load(filepath.Join(dir, e.Name(), "model.pb"), tfc.LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := passes.Run(f, passes.Options{}); err != nil {
			t.Fatal(err)
		}
		rec := trt.NewRecorder()
		if err := lower.Lower(f, rec); err != nil {
			t.Fatal(err)
		}
		note(rec.Description())
	}
	if isRTX {
		// TensorRT-RTX cannot build INMSLayer or INonZeroLayer: its
		// binding refuses them (TestNMSOnRTX, TestWhereEngines), and
		// TensorRT 10/11 build them in everyLayer.
		seen[trt.LayerNMS] = true
		seen[trt.LayerNonZero] = true
	}
	for _, p := range trt.LayerKinds() {
		if !seen[p.Kind()] {
			t.Errorf("layer kind %v is built by no engine test (add it to everyLayer)", p.Kind())
		}
	}
}

// TestNMSOnRTX: TensorRT-RTX declares INMSLayer but cannot build it; AddNMS
// says so at once instead of the builder's "no runners" failure.
func TestNMSOnRTX(t *testing.T) {
	if !isRTX {
		t.Skip("TensorRT 10/11 build INMSLayer (TestEveryLayer)")
	}
	needLibrary(t)
	rec := trt.NewRecorder()
	boxes := rec.AddInput("boxes", trt.Float, trt.Dims{1, 4, 4})
	scores := rec.AddInput("scores", trt.Float, trt.Dims{1, 4, 1})
	limit := rec.AddConstant(trt.Dims{}, i32Weights(2))
	nms := rec.AddNMS(boxes, scores, limit.Output(0), nil, nil, trt.NMS{})
	rec.MarkOutput(nms.Output(1))
	_, err := OptimizeDescription(rec.Description(), testOptions(t))
	if err == nil || !strings.Contains(err.Error(), "TensorRT-RTX has no implementation of INMSLayer") {
		t.Fatalf("building an NMS layer with TensorRT-RTX: %v, want the AddNMS error", err)
	}
}
