package exec

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func iota32(shape ...int) *tensor.Tensor {
	t := tensor.MustNew(tensor.Float32, shape)
	for i := range t.F32 {
		t.F32[i] = float32(i)
	}
	return t
}

func TestShuffleTransposesAroundPlaceholderReshape(t *testing.T) {
	// x[a,b,c] = 12a + 4b + c, shape [2,3,4].
	// FirstTranspose [2,0,1]: t1[c,a,b] = x[a,b,c], shape [4,2,3].
	// Reshape [0,-1] with 0 as placeholder: the 0 copies t1's dimension 0
	// (4) and -1 is 24/4 = 6: t2[c, 3a+b] = x[a,b,c].
	// SecondTranspose [1,0]: out[3a+b, c] = x[a,b,c] = 12a + 4b + c,
	// shape [6,4]; i.e. out[j, c] = 12*(j/3) + 4*(j%3) + c.
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddShuffle(in[0], trt.Shuffle{
			FirstTranspose: trt.Permutation{2, 0, 1}, ReshapeDimensions: trt.Dims{0, -1},
			SecondTranspose: trt.Permutation{1, 0}, ZeroIsPlaceholder: true,
		})
	}, iota32(2, 3, 4))
	want := tensor.MustNew(tensor.Float32, tensor.Shape{6, 4})
	for j := range 6 {
		for c := range 4 {
			want.F32[j*4+c] = float32(12*(j/3) + 4*(j%3) + c)
		}
	}
	expect(t, outs[0], want)

	// Without the placeholder meaning, a 0 is a zero-length dimension,
	// so [0,-1] cannot infer the -1 ...
	x := iota32(2, 3, 4)
	if _, err := shuffle(x, trt.Shuffle{ReshapeDimensions: trt.Dims{0, -1}}); err == nil {
		t.Error("reshape [0,-1] of a non-empty tensor accepted with ZeroIsPlaceholder=false")
	}
	// ... and a placeholder past the input rank is an error.
	if _, err := shuffle(x, trt.Shuffle{ReshapeDimensions: trt.Dims{2, 3, 4, 0}, ZeroIsPlaceholder: true}); err == nil {
		t.Error("placeholder past the input rank accepted")
	}
	// A shuffle with nothing set is a copy.
	y := must(t)(shuffle(x, trt.Shuffle{}))
	expect(t, y, x)
	y.F32[0] = 5
	if x.F32[0] != 0 {
		t.Error("shuffle shares storage with its input")
	}
}

func TestSliceSampleModes(t *testing.T) {
	// in = [10,11,12] (d = 3), start -4, size 9, stride 1: the sampled
	// coordinates are x = -4..4.
	x := f32(tensor.Shape{3}, 10, 11, 12)
	p := trt.Slice{Start: trt.Dims{-4}, Size: trt.Dims{9}, Stride: trt.Dims{1}}
	for _, tc := range []struct {
		mode trt.SampleMode
		fill *tensor.Tensor
		want []float32
	}{
		// mod(x, 3) for x = -4..4: 2 0 1 2 0 1 2 0 1.
		{trt.SampleWrap, nil, []float32{12, 10, 11, 12, 10, 11, 12, 10, 11}},
		// clamp(x, 0, 2): 0 0 0 0 0 1 2 2 2.
		{trt.SampleClamp, nil, []float32{10, 10, 10, 10, 10, 11, 12, 12, 12}},
		// In bounds only for x = 0..2; the rest is the fill value.
		{trt.SampleFill, f32(tensor.Shape{}, 7), []float32{7, 7, 7, 7, 10, 11, 12, 7, 7}},
		// No fill input: 0.
		{trt.SampleFill, nil, []float32{0, 0, 0, 0, 10, 11, 12, 0, 0}},
		// c = mod(|x|, 2*3-2 = 4): 0 3 2 1 0 1 2 3 0; c ≥ 3 becomes
		// 4 - c: 0 1 2 1 0 1 2 1 0 (numpy's "reflect" pattern).
		{trt.SampleReflect, nil, []float32{10, 11, 12, 11, 10, 11, 12, 11, 10}},
	} {
		p.Mode = tc.mode
		outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
			q := p
			if tc.fill != nil {
				q.Fill = in[1]
			}
			return n.AddSlice(in[0], q)
		}, append([]*tensor.Tensor{x}, nonNil(tc.fill)...)...)
		expect(t, outs[0], f32(tensor.Shape{9}, tc.want...))
	}
	// kREFLECT of a single element repeats it.
	got := must(t)(slice(f32(tensor.Shape{1}, 5), nil, trt.Slice{Start: trt.Dims{-2}, Size: trt.Dims{4}, Stride: trt.Dims{3}, Mode: trt.SampleReflect}))
	expect(t, got, f32(tensor.Shape{4}, 5, 5, 5, 5))
	// kSTRICT_BOUNDS fails on any out-of-bounds coordinate ...
	p.Mode = trt.SampleStrictBounds
	if _, err := slice(x, nil, p); err == nil {
		t.Error("kSTRICT_BOUNDS accepted out-of-bounds coordinates")
	}
	// ... and reads in-bounds ones, here backwards with stride -1.
	got = must(t)(slice(x, nil, trt.Slice{Start: trt.Dims{2}, Size: trt.Dims{3}, Stride: trt.Dims{-1}}))
	expect(t, got, f32(tensor.Shape{3}, 12, 11, 10))
	// A fill value with another mode is an error.
	if _, err := slice(x, f32(tensor.Shape{}, 1), trt.Slice{Start: trt.Dims{0}, Size: trt.Dims{1}, Stride: trt.Dims{1}, Mode: trt.SampleClamp}); err == nil {
		t.Error("fill value accepted with kCLAMP")
	}
	// Empty input dimensions: kWRAP and kREFLECT have nothing to read.
	empty := tensor.MustNew(tensor.Float32, tensor.Shape{0})
	for _, m := range []trt.SampleMode{trt.SampleWrap, trt.SampleClamp, trt.SampleReflect} {
		if _, err := slice(empty, nil, trt.Slice{Start: trt.Dims{0}, Size: trt.Dims{2}, Stride: trt.Dims{1}, Mode: m}); err == nil {
			t.Errorf("%v of an empty dimension accepted", m)
		}
	}
}

func nonNil(ts ...*tensor.Tensor) []*tensor.Tensor {
	var out []*tensor.Tensor
	for _, t := range ts {
		if t != nil {
			out = append(out, t)
		}
	}
	return out
}

func TestSliceMatchesKernel(t *testing.T) {
	// In-bounds strided slices are the kernel's Slice in every mode.
	rng := rand.New(rand.NewPCG(1, 2))
	x := randF32(rng, 5, 6, 7)
	for range 50 {
		var start, size, stride []int
		for _, d := range x.Shape {
			st := 1 + rng.IntN(2)
			if rng.IntN(3) == 0 {
				st = -st
			}
			n := 1 + rng.IntN((d+1)/2)
			s := rng.IntN(d - (n-1)*abs(st))
			if st < 0 {
				s += (n - 1) * -st
			}
			start, size, stride = append(start, s), append(size, n), append(stride, st)
		}
		want := must(t)(kernels.Slice(x, start, size, stride))
		for _, m := range []trt.SampleMode{trt.SampleStrictBounds, trt.SampleWrap, trt.SampleClamp, trt.SampleFill, trt.SampleReflect} {
			p := trt.Slice{Start: dimsOf(start), Size: dimsOf(size), Stride: dimsOf(stride), Mode: m}
			expect(t, must(t)(slice(x, nil, p)), want)
		}
	}
}

func TestPadding(t *testing.T) {
	// x = [[1,2,3],[4,5,6]] (last two dims of [1,1,2,3]); pre (1,-1) adds a
	// zero row on top and crops the first column, post (0,2) adds two
	// zero columns on the right: [[0,0,0,0],[2,3,0,0],[5,6,0,0]].
	x := f32(tensor.Shape{1, 1, 2, 3}, 1, 2, 3, 4, 5, 6)
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddPaddingNd(in[0], trt.Dims{1, -1}, trt.Dims{0, 2})
	}, x)
	expect(t, outs[0], f32(tensor.Shape{1, 1, 3, 4}, 0, 0, 0, 0, 2, 3, 0, 0, 5, 6, 0, 0))
	// Bool tensors pad with false.
	b := tensor.FromBool(tensor.Shape{1, 1}, []bool{true})
	got := must(t)(padding(b, trt.Padding{PrePadding: trt.Dims{0, 1}, PostPadding: trt.Dims{0, 0}}))
	expect(t, got, tensor.FromBool(tensor.Shape{1, 2}, []bool{false, true}))
}

func TestConcatenation(t *testing.T) {
	a, b := iota32(2, 1, 2), f32(tensor.Shape{2, 2, 2}, 10, 11, 12, 13, 14, 15, 16, 17)
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddConcatenation(in, 1)
	}, a, b)
	expect(t, outs[0], f32(tensor.Shape{2, 3, 2}, 0, 1, 10, 11, 12, 13, 2, 3, 14, 15, 16, 17))
	if _, err := concatenation([]*tensor.Tensor{a, b}, -1); err == nil {
		t.Error("negative axis accepted")
	}
}

func TestGatherDefault(t *testing.T) {
	// data [3,2] = [[0,1],[2,3],[4,5]], axis 0: index -1 is the last row
	// (TensorRT wraps negative indices), 3 and -4 are out of bounds and
	// gather zeros.
	data := iota32(3, 2)
	idx := i32(tensor.Shape{2, 2}, 2, -1, 3, -4)
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddGather(in[0], in[1], trt.Gather{Axis: 0})
	}, data, idx)
	expect(t, outs[0], f32(tensor.Shape{2, 2, 2}, 4, 5, 4, 5, 0, 0, 0, 0))

	// In-bounds indices agree with the kernel on random cases.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 30 {
		x := randF32(rng, 2+rng.IntN(3), 1+rng.IntN(4), 1+rng.IntN(3))
		axis := rng.IntN(3)
		ix := tensor.MustNew(tensor.Int64, tensor.Shape{1 + rng.IntN(3), 1 + rng.IntN(2)})
		for i := range ix.I64 {
			ix.I64[i] = int64(rng.IntN(x.Shape[axis]))
		}
		want := must(t)(kernels.Gather(x, ix, axis, 0))
		expect(t, must(t)(gather(x, ix, trt.Gather{Axis: int32(axis)})), want)
		// With one elementwise dimension (equal sizes) it is the
		// kernel's batch_dims = 1.
		if axis >= 1 {
			ib := tensor.MustNew(tensor.Int32, tensor.Shape{x.Shape[0], 2})
			for i := range ib.I32 {
				ib.I32[i] = int32(rng.IntN(x.Shape[axis]))
			}
			want := must(t)(kernels.Gather(x, ib, axis, 1))
			expect(t, must(t)(gather(x, ib, trt.Gather{Axis: int32(axis), NbElementWiseDims: 1})), want)
		}
	}
}

func TestGatherElementwiseBroadcast(t *testing.T) {
	// NbElementWiseDims 1 with data [1,3] broadcast against indices
	// [2,2]: out[e, i] = data[0, idx[e, i]].
	data := f32(tensor.Shape{1, 3}, 10, 11, 12)
	idx := i32(tensor.Shape{2, 2}, 0, 2, 1, 1)
	got := must(t)(gather(data, idx, trt.Gather{Axis: 1, NbElementWiseDims: 1}))
	expect(t, got, f32(tensor.Shape{2, 2}, 10, 12, 11, 11))
	// And data [2,3] against indices [1,2]: the same indices per row.
	data = iota32(2, 3)
	got = must(t)(gather(data, i32(tensor.Shape{1, 2}, 2, 0), trt.Gather{Axis: 1, NbElementWiseDims: 1}))
	expect(t, got, f32(tensor.Shape{2, 2}, 2, 0, 5, 3))
}

func TestGatherElementAndND(t *testing.T) {
	// kELEMENT, axis 1: out[i,j] = data[i, idx[i,j]] with data
	// [[0,1,2],[3,4,5]].
	data := iota32(2, 3)
	got := must(t)(gather(data, i32(tensor.Shape{2, 2}, 2, 0, -1, 1), trt.Gather{Axis: 1, Mode: trt.GatherElement}))
	expect(t, got, f32(tensor.Shape{2, 2}, 2, 0, 5, 4))
	// kND: each row of idx is a coordinate into data [2,3]; [1,2] is 5,
	// [0,-1] is 2, and a one-element tuple [1] selects the row [3,4,5].
	got = must(t)(gather(data, i32(tensor.Shape{2, 2}, 1, 2, 0, -1), trt.Gather{Mode: trt.GatherND}))
	expect(t, got, f32(tensor.Shape{2}, 5, 2))
	got = must(t)(gather(data, i32(tensor.Shape{1, 1}, 1), trt.Gather{Mode: trt.GatherND}))
	expect(t, got, f32(tensor.Shape{1, 3}, 3, 4, 5))
	// kND with one elementwise dimension: batch b reads data[b, idx[b]].
	// data [2,3,2] = 0..11; idx [2,1] = [[2],[0]]: data[0,2,:] = [4,5],
	// data[1,0,:] = [6,7].
	got = must(t)(gather(iota32(2, 3, 2), i32(tensor.Shape{2, 1}, 2, 0), trt.Gather{Mode: trt.GatherND, NbElementWiseDims: 1}))
	expect(t, got, f32(tensor.Shape{2, 2}, 4, 5, 6, 7))
	// Out-of-bounds tuples gather zeros.
	got = must(t)(gather(data, i32(tensor.Shape{1, 2}, 2, 0), trt.Gather{Mode: trt.GatherND}))
	expect(t, got, f32(tensor.Shape{1}, 0))
}

func TestConstantFillShape(t *testing.T) {
	n := trt.NewRecorder()
	x := n.AddInput("x", trt.Float, trt.Dims{2, 0, 5})
	c := n.AddConstant(trt.Dims{2, 1}, weightsOfTensor(t, tensor.FromI64(tensor.Shape{2}, []int64{-3, 1 << 40}))).Output(0)
	// kLINSPACE: alpha + beta*i.
	lf := n.AddFill(trt.Fill{Dimensions: trt.Dims{4}, Operation: trt.FillLinspace, ToType: trt.Float, Alpha: 0.5, Beta: -2}).Output(0)
	li := n.AddFill(trt.Fill{Dimensions: trt.Dims{3}, Operation: trt.FillLinspace, ToType: trt.Int32, Alpha: 7, Beta: 3}).Output(0)
	sh := n.AddShape(x).Output(0)
	for _, o := range []trt.Tensor{c, lf, li, sh} {
		n.MarkOutput(o)
	}
	outs := runNet(t, n, map[string]*tensor.Tensor{"x": tensor.MustNew(tensor.Float32, tensor.Shape{2, 0, 5})})
	expect(t, outs[0], tensor.FromI64(tensor.Shape{2, 1}, []int64{-3, 1 << 40}))
	expect(t, outs[1], f32(tensor.Shape{4}, 0.5, -1.5, -3.5, -5.5))
	expect(t, outs[2], i32(tensor.Shape{3}, 7, 10, 13))
	expect(t, outs[3], tensor.FromI64(tensor.Shape{3}, []int64{2, 0, 5}))
	// Integer kLINSPACE with a fractional delta, multi-dimensional static
	// linspace and bool constants are rejected.
	for _, p := range []trt.Fill{
		{Dimensions: trt.Dims{3}, ToType: trt.Int32, Beta: 0.5},
		{Dimensions: trt.Dims{2, 2}, ToType: trt.Float, Beta: 1},
		{Dimensions: trt.Dims{2}, ToType: trt.Float, Operation: trt.FillRandomUniform},
	} {
		if _, err := fill(p); err == nil {
			t.Errorf("fill %+v accepted", p)
		}
	}
	bw := weightsOfTensor(t, tensor.FromBool(tensor.Shape{1}, []bool{true}))
	if _, err := constant(trt.Constant{Dimensions: trt.Dims{1}, Weights: bw}); err == nil || !strings.Contains(err.Error(), "kBOOL") {
		t.Errorf("bool constant: err = %v", err)
	}
}
