package trt

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the printer golden files in testdata")

// f32Vals encodes float32 values as kFLOAT weights.
func f32Vals(vals ...float32) Weights {
	w := Weights{Type: Float, Count: int64(len(vals)), Values: make([]byte, 4*len(vals))}
	for i, v := range vals {
		putF32(w.Values[4*i:], v)
	}
	return w
}

// ramp is n kFLOAT weights -n/2/100, ..., so min/max are predictable.
func ramp(n int) Weights {
	vals := make([]float32, n)
	for i := range vals {
		vals[i] = float32(i-n/2) / 100
	}
	return f32Vals(vals...)
}

func i32Vals(vals ...int32) Weights {
	w := Weights{Type: Int32, Count: int64(len(vals)), Values: make([]byte, 4*len(vals))}
	for i, v := range vals {
		putU32(w.Values[4*i:], uint32(v))
	}
	return w
}

// sampleNetwork is a small classifier touching most layer kinds.
func sampleNetwork() *Recorder {
	n := NewRecorder()
	x := n.AddInput("image", Float, Dims{1, 3, 32, 32})
	conv := n.AddConvolutionNd(x, Convolution{NbOutputMaps: 8, KernelSize: Dims{3, 3}, Kernel: ramp(8 * 3 * 9), Bias: ramp(8),
		Stride: Dims{2, 2}, PrePadding: Dims{1, 1}, PostPadding: Dims{1, 1}})
	conv.SetName("conv1/Conv2D")
	relu := n.AddActivation(conv.Output(0), Activation{Type: ActivationLeakyRelu, Alpha: 0.1})
	relu.SetName("conv1/LeakyRelu")
	pool := n.AddPoolingNd(relu.Output(0), Pooling{Type: PoolingAverage, WindowSize: Dims{2, 2}, Stride: Dims{2, 2}, AverageCountExcludesPadding: true})
	tr := n.AddShuffle(pool.Output(0), Shuffle{FirstTranspose: Permutation{0, 2, 3, 1}, ReshapeDimensions: Dims{1, -1}})
	mean := n.AddConstant(Dims{1, 1}, f32Vals(0.5))
	sub := n.AddElementWise(tr.Output(0), mean.Output(0), ElementWiseSub)
	wt := n.AddConstant(Dims{512, 10}, ramp(5120))
	mm := n.AddMatrixMultiply(sub.Output(0), MatrixNone, wt.Output(0), MatrixNone)
	mm.SetName("fc/MatMul")
	sm := n.AddSoftMax(mm.Output(0), 1<<1)
	sm.SetName("prob")
	sm.Output(0).SetName("prob")
	n.MarkOutput(sm.Output(0))
	topk := n.AddTopK(sm.Output(0), TopK{Operation: TopKMax, K: 3, ReduceAxes: 1 << 1, IndicesType: Int32})
	topk.Output(1).SetName("top3")
	n.MarkOutput(topk.Output(1))
	idx := n.AddConstant(Dims{2}, i32Vals(0, 2))
	g := n.AddGather(topk.Output(0), idx.Output(0), Gather{Axis: 1})
	red := n.AddReduce(g.Output(0), Reduce{Operation: ReduceSum, ReduceAxes: 0b10, KeepDimensions: true})
	sl := n.AddSlice(red.Output(0), Slice{Start: Dims{0, 0}, Size: Dims{1, 1}, Stride: Dims{1, 1}})
	c := n.AddCast(sl.Output(0), Half)
	c.Output(0).SetName("first")
	n.MarkOutput(c.Output(0))
	return n
}

func TestPrintGolden(t *testing.T) {
	n := sampleNetwork()
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	if err := Validate(n.Description()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file  string
		print func(*bytes.Buffer) error
	}{
		{"sample.txt", func(b *bytes.Buffer) error { return Print(b, n.Description()) }},
		{"sample.json", func(b *bytes.Buffer) error { return PrintJSON(b, n.Description()) }},
	} {
		var b bytes.Buffer
		if err := c.print(&b); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		c.print(&again)
		if !bytes.Equal(b.Bytes(), again.Bytes()) {
			t.Errorf("%s: output not deterministic", c.file)
		}
		path := filepath.Join("testdata", c.file)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs (go test ./backend/trt -run TestPrintGolden -update):\n%s", c.file, b.String())
		}
	}
	var b bytes.Buffer
	PrintJSON(&b, n.Description())
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatalf("PrintJSON output is not JSON: %v", err)
	}
}

// TestPrintKinds prints every output-dims case: the golden file shows each
// layer kind's parameter summary.
func TestPrintKinds(t *testing.T) {
	var b bytes.Buffer
	for _, c := range shapeCases {
		n, l := build(c.ins, c.add)
		for i := 0; i < l.NbOutputs(); i++ {
			n.MarkOutput(l.Output(i))
		}
		b.WriteString("# " + c.name + "\n")
		if err := Print(&b, n.Description()); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join("testdata", "kinds.txt")
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("kinds.txt differs (go test ./backend/trt -run TestPrintKinds -update)")
	}
}
