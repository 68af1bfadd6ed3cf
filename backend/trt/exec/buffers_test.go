package exec

import (
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// runUnplanned runs d layer by layer into new storage, with no buffer
// plan, fusion or weight packs: what a planned run must equal bit for
// bit.
func runUnplanned(t *testing.T, d *trt.Description, inputs map[string]*tensor.Tensor) []*tensor.Tensor {
	t.Helper()
	vals := make(map[*trt.TensorDesc]*tensor.Tensor)
	for _, in := range d.Inputs {
		vals[in] = inputs[in.Name]
	}
	for i, l := range d.Layers {
		var args []*tensor.Tensor
		for _, x := range l.Inputs {
			args = append(args, vals[x])
		}
		res, err := runLayer(l, args, layerOpts{})
		if err != nil {
			t.Fatalf("layer %d: %v", i, err)
		}
		for j, o := range l.Outputs {
			vals[o] = res[j]
		}
	}
	var outs []*tensor.Tensor
	for _, o := range d.Outputs {
		outs = append(outs, vals[o])
	}
	return outs
}

func sameBits(t *testing.T, what string, got, want []*tensor.Tensor) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d outputs, want %d", what, len(got), len(want))
	}
	for i := range want {
		if !got[i].Shape.Equal(want[i].Shape) || len(got[i].F32) != len(want[i].F32) {
			t.Fatalf("%s: output %d is %v, want %v", what, i, got[i], want[i])
		}
		for j, v := range want[i].F32 {
			if g := got[i].F32[j]; g != v && (g == g || v == v) {
				t.Fatalf("%s: output %d element %d = %v, want %v", what, i, j, g, v)
			}
		}
	}
}

// TestBufferPlan runs a network whose planned outputs share slots, one
// of them kept alive by an Activation fused into its Convolution (the
// same storage), one ElementWise computed in place, Shuffles written
// into slots and one network output reached through an Identity,
// repeatedly and concurrently from one Program, and compares every run
// with the unplanned layers.
func TestBufferPlan(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 0))
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{1, 4, 8, 8})
	conv := func(in trt.Tensor, c, o, k, groups int64) trt.Tensor {
		p := int64(k / 2)
		return n.AddConvolutionNd(in, trt.Convolution{
			NbOutputMaps: o, KernelSize: trt.Dims{k, k}, NbGroups: groups,
			Kernel:     weightsOfTensor(t, randF32(rng, int(o), int(c/groups), int(k), int(k))),
			Bias:       weightsOfTensor(t, randF32(rng, int(o))),
			PrePadding: trt.Dims{p, p}, PostPadding: trt.Dims{p, p},
		}).Output(0)
	}
	c1 := conv(x, 4, 6, 3, 1)
	r1 := n.AddActivation(c1, trt.Activation{Type: trt.ActivationRelu}).Output(0)
	c2 := conv(r1, 6, 6, 3, 6)
	s := n.AddActivation(c2, trt.Activation{Type: trt.ActivationSigmoid}).Output(0) // fused: c2's storage
	c3 := conv(r1, 6, 6, 1, 1)
	c4 := conv(c3, 6, 6, 1, 1) // may not take c2's slot: s is read later
	t1 := n.AddShuffle(c4, trt.Shuffle{FirstTranspose: trt.Permutation{0, 1, 3, 2}}).Output(0)
	t2 := n.AddShuffle(t1, trt.Shuffle{ReshapeDimensions: trt.Dims{1, 6, 8, 8}, SecondTranspose: trt.Permutation{0, 1, 3, 2}}).Output(0)
	b := n.AddElementWise(s, t2, trt.ElementWiseProd).Output(0)
	e := n.AddElementWise(b, c3, trt.ElementWiseSum).Output(0) // in place of b
	f := n.AddElementWise(e, c1, trt.ElementWiseSub).Output(0)
	g := n.AddElementWise(f, c3, trt.ElementWiseMax).Output(0)
	n.MarkOutput(conv(f, 6, 3, 1, 1))
	n.MarkOutput(n.AddIdentity(g).Output(0))
	n.MarkOutput(n.AddShuffle(f, trt.Shuffle{ReshapeDimensions: trt.Dims{6, 64}}).Output(0))
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	d := n.Description()
	in := map[string]*tensor.Tensor{"x": randF32(rng, 1, 4, 8, 8)}
	want := runUnplanned(t, d, in)

	prog, err := Prepare(d)
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := prog.prepared()
	bp := pl.bufs
	layerOf := func(o trt.Tensor) int {
		for i, l := range d.Layers {
			for _, x := range l.Outputs {
				if x.Name == o.Name() {
					return i
				}
			}
		}
		t.Fatalf("no layer computes %v", o)
		return -1
	}
	slot := func(o trt.Tensor) int { return bp.slot[layerOf(o)] }
	if slot(c2) < 0 || slot(c4) < 0 || slot(c2) == slot(c4) {
		t.Errorf("c2 in slot %d, c4 in slot %d: want two different slots", slot(c2), slot(c4))
	}
	if slot(e) != slot(b) || slot(b) < 0 {
		t.Errorf("b in slot %d, e in slot %d: want e in place of b", slot(b), slot(e))
	}
	if slot(t1) < 0 || slot(t2) < 0 || slot(f) < 0 {
		t.Errorf("t1, t2, f in slots %d, %d, %d: want slots", slot(t1), slot(t2), slot(f))
	}
	if slot(g) >= 0 {
		t.Errorf("g (an Identity's input, a network output) in slot %d, want none", slot(g))
	}
	if planned := len(bp.sizes); planned >= 9 {
		t.Errorf("%d slots for 11 planned layers: want reuse", planned)
	}
	for i := range 3 {
		got, err := prog.Run(in)
		if err != nil {
			t.Fatal(err)
		}
		sameBits(t, "run "+string(rune('1'+i)), got, want)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got, err := prog.Run(in)
			if err != nil {
				t.Error(err)
				return
			}
			sameBits(t, "concurrent run", got, want)
		})
	}
	wg.Wait()
}

// TestBufferPlanChain: a chain of 200 additions runs in one slot, in
// place.
func TestBufferPlanChain(t *testing.T) {
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{4})
	one := n.AddConstant(trt.Dims{1}, weightsOf(t, 1)).Output(0)
	v := x
	for range 200 {
		v = n.AddElementWise(v, one, trt.ElementWiseSum).Output(0)
	}
	v = n.AddElementWise(v, one, trt.ElementWiseSum).Output(0)
	n.MarkOutput(n.AddActivation(v, trt.Activation{Type: trt.ActivationRelu}).Output(0))
	d := n.Description()
	prog, err := Prepare(d)
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := prog.prepared()
	if len(pl.bufs.sizes) != 1 {
		t.Errorf("%d slots, want 1", len(pl.bufs.sizes))
	}
	for range 2 {
		outs, err := prog.Run(map[string]*tensor.Tensor{"x": f32(tensor.Shape{4}, 0, 1, 2, 3)})
		if err != nil {
			t.Fatal(err)
		}
		expect(t, outs[0], f32(tensor.Shape{4}, 201, 202, 203, 204))
	}
}

// invertedResiduals records MobileNetV2's inverted residual blocks (1×1
// expansion ×6 with ReLU6, 3×3 depthwise with ReLU6, 1×1 projection,
// residual sum) on a [1, c, hw, hw] input: small tensors, many layers.
func invertedResiduals(t testing.TB, blocks, c, hw int) (*trt.Description, map[string]*tensor.Tensor) {
	rng := rand.New(rand.NewPCG(5, 0))
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{1, int64(c), int64(hw), int64(hw)})
	conv := func(in trt.Tensor, c, o, k, groups int) trt.Tensor {
		p := int64(k / 2)
		w := randF32(rng, o, c/groups, k, k)
		for i := range w.F32 {
			w.F32[i] *= 0.3
		}
		return n.AddConvolutionNd(in, trt.Convolution{
			NbOutputMaps: int64(o), KernelSize: trt.Dims{int64(k), int64(k)}, NbGroups: int64(groups),
			Kernel:     weightsOfTensor(t, w),
			Bias:       weightsOfTensor(t, randF32(rng, o)),
			PrePadding: trt.Dims{p, p}, PostPadding: trt.Dims{p, p},
		}).Output(0)
	}
	relu6 := func(v trt.Tensor) trt.Tensor {
		return n.AddActivation(v, trt.Activation{Type: trt.ActivationClip, Alpha: 0, Beta: 6}).Output(0)
	}
	v := x
	for range blocks {
		h := relu6(conv(v, c, 6*c, 1, 1))
		h = relu6(conv(h, 6*c, 6*c, 3, 6*c))
		v = n.AddElementWise(v, conv(h, 6*c, c, 1, 1), trt.ElementWiseSum).Output(0)
	}
	n.MarkOutput(v)
	if err := n.Err(); err != nil {
		t.Fatal(err)
	}
	return n.Description(), map[string]*tensor.Tensor{"x": randF32(rng, 1, c, hw, hw)}
}

// TestProgramReusesStorage: repeated runs of a prepared network allocate
// far less than its tensors' storage (the planned outputs live in the
// Program's arena), and give the unplanned layers' values.
func TestProgramReusesStorage(t *testing.T) {
	d, in := invertedResiduals(t, 4, 8, 24)
	prog, err := Prepare(d)
	if err != nil {
		t.Fatal(err)
	}
	got, err := prog.Run(in)
	if err != nil {
		t.Fatal(err)
	}
	sameBits(t, "run", got, runUnplanned(t, d, in))
	var total int
	for _, l := range d.Layers {
		for _, o := range l.Outputs {
			k, _ := elements(o.Dims)
			total += 4 * k
		}
	}
	var m0, m1 runtime.MemStats
	const runs = 5
	runtime.ReadMemStats(&m0)
	for range runs {
		if _, err := prog.Run(in); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&m1)
	if per := int(m1.TotalAlloc-m0.TotalAlloc) / runs; per > total/8 {
		t.Errorf("%d bytes allocated per run, want at most 1/8 of the %d bytes of its tensors", per, total)
	}
}

// BenchmarkProgramInvertedResiduals is a prepared run of 8 of
// MobileNetV2's inverted residual blocks at 16 channels and 24×24: the
// per-layer costs of small tensors. cpu-ns/op is the process's CPU time
// (user and system, every thread) per run.
func BenchmarkProgramInvertedResiduals(b *testing.B) {
	d, in := invertedResiduals(b, 8, 16, 24)
	prog, err := Prepare(d)
	if err != nil {
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

// TestConstantCache: a Constant read only by ElementWise and
// MatrixMultiply layers is decoded once per Program; one that is a
// network output, or read by another kind of layer, is decoded on every
// run (a caller may change a returned tensor).
func TestConstantCache(t *testing.T) {
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{2, 2})
	c1 := n.AddConstant(trt.Dims{2, 2}, weightsOf(t, 1, 2, 3, 4)).Output(0)
	c2 := n.AddConstant(trt.Dims{2, 2}, weightsOf(t, 5, 6, 7, 8)).Output(0)
	c3 := n.AddConstant(trt.Dims{2, 2}, weightsOf(t, 1, 1, 1, 1)).Output(0)
	m := n.AddMatrixMultiply(x, trt.MatrixNone, c1, trt.MatrixNone).Output(0)
	s := n.AddElementWise(m, c1, trt.ElementWiseSum).Output(0)
	n.MarkOutput(n.AddElementWise(s, c2, trt.ElementWiseProd).Output(0))
	n.MarkOutput(c2)
	n.MarkOutput(n.AddActivation(c3, trt.Activation{Type: trt.ActivationRelu}).Output(0))
	d := n.Description()
	prog, err := Prepare(d)
	if err != nil {
		t.Fatal(err)
	}
	pl, _ := prog.prepared()
	var cached []int
	for i, c := range pl.consts {
		if c != nil {
			cached = append(cached, i)
		}
	}
	if len(cached) != 1 || cached[0] != 0 {
		t.Errorf("cached Constant layers %v, want [0] (c1 only)", cached)
	}
	in := map[string]*tensor.Tensor{"x": f32(tensor.Shape{2, 2}, 1, 0, 0, 1)}
	for range 2 {
		outs, err := prog.Run(in)
		if err != nil {
			t.Fatal(err)
		}
		expect(t, outs[0], f32(tensor.Shape{2, 2}, 10, 24, 42, 64))
		expect(t, outs[1], f32(tensor.Shape{2, 2}, 5, 6, 7, 8))
		expect(t, outs[2], f32(tensor.Shape{2, 2}, 1, 1, 1, 1))
		outs[1].F32[0] = -1 // the caller's: the next run is unchanged
	}
}
