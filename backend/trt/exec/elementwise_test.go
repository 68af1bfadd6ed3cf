package exec

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func TestActivationAlphaBeta(t *testing.T) {
	x := f32(tensor.Shape{6}, -3, -1, 0, 0.5, 1.5, 3)
	e1 := math.Exp(-1) - 1 // exp(x)-1 at x = -1
	e3 := math.Exp(-3) - 1
	for _, tc := range []struct {
		p    trt.Activation
		want []float64
	}{
		// kCLIP: max(alpha, min(beta, x)) with alpha = -1, beta = 2.
		{trt.Activation{Type: trt.ActivationClip, Alpha: -1, Beta: 2}, []float64{-1, -1, 0, 0.5, 1.5, 2}},
		// kSELU: beta * (x > 0 ? x : alpha*(exp(x)-1)), alpha = 2,
		// beta = 3: the scale is beta, not alpha.
		{trt.Activation{Type: trt.ActivationSelu, Alpha: 2, Beta: 3}, []float64{3 * 2 * e3, 3 * 2 * e1, 0, 1.5, 4.5, 9}},
		// kLEAKY_RELU: x ≥ 0 ? x : alpha*x.
		{trt.Activation{Type: trt.ActivationLeakyRelu, Alpha: 0.25}, []float64{-0.75, -0.25, 0, 0.5, 1.5, 3}},
		// kELU: x ≥ 0 ? x : alpha*(exp(x)-1).
		{trt.Activation{Type: trt.ActivationElu, Alpha: 0.5}, []float64{0.5 * e3, 0.5 * e1, 0, 0.5, 1.5, 3}},
		// kHARD_SIGMOID: max(0, min(1, alpha*x+beta)), alpha = 0.5,
		// beta = 0.25: -1.25 -0.25 0.25 0.5 1 1.75 clipped.
		{trt.Activation{Type: trt.ActivationHardSigmoid, Alpha: 0.5, Beta: 0.25}, []float64{0, 0, 0.25, 0.5, 1, 1}},
		// kTHRESHOLDED_RELU: x > alpha ? x : 0, alpha = 0.5 (0.5
		// itself is not above the threshold).
		{trt.Activation{Type: trt.ActivationThresholdedRelu, Alpha: 0.5}, []float64{0, 0, 0, 0, 1.5, 3}},
		// kSCALED_TANH: alpha*tanh(beta*x).
		{trt.Activation{Type: trt.ActivationScaledTanh, Alpha: 2, Beta: 0.5}, []float64{2 * math.Tanh(-1.5), 2 * math.Tanh(-0.5), 0, 2 * math.Tanh(0.25), 2 * math.Tanh(0.75), 2 * math.Tanh(1.5)}},
		// kSOFTPLUS: alpha*log(exp(beta*x)+1).
		{trt.Activation{Type: trt.ActivationSoftplus, Alpha: 2, Beta: 3}, []float64{2 * math.Log(math.Exp(-9)+1), 2 * math.Log(math.Exp(-3)+1), 2 * math.Log(2), 2 * math.Log(math.Exp(1.5)+1), 2 * math.Log(math.Exp(4.5)+1), 2 * math.Log(math.Exp(9)+1)}},
	} {
		outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer { return n.AddActivation(in[0], tc.p) }, x)
		want := tensor.MustNew(tensor.Float32, x.Shape)
		for i, v := range tc.want {
			want.F32[i] = float32(v)
		}
		near(t, outs[0], want, 1e-6, 1e-7)
	}
}

func TestActivationMatchesKernels(t *testing.T) {
	// The activations that are IR unary ops agree with their kernels.
	rng := rand.New(rand.NewPCG(5, 6))
	x := randF32(rng, 3, 50)
	for i := range x.F32 {
		x.F32[i] *= 4
	}
	for _, tc := range []struct {
		p  trt.Activation
		op kernels.UnaryOp
		kp kernels.UnaryParams
	}{
		{trt.Activation{Type: trt.ActivationRelu}, kernels.Relu, kernels.UnaryParams{}},
		{trt.Activation{Type: trt.ActivationSigmoid}, kernels.Sigmoid, kernels.UnaryParams{}},
		{trt.Activation{Type: trt.ActivationTanh}, kernels.Tanh, kernels.UnaryParams{}},
		{trt.Activation{Type: trt.ActivationSoftsign}, kernels.Softsign, kernels.UnaryParams{}},
		{trt.Activation{Type: trt.ActivationLeakyRelu, Alpha: 0.2}, kernels.LeakyRelu, kernels.UnaryParams{Alpha: float64(float32(0.2))}},
		{trt.Activation{Type: trt.ActivationElu, Alpha: 1.5}, kernels.Elu, kernels.UnaryParams{Alpha: 1.5}},
		{trt.Activation{Type: trt.ActivationSelu, Alpha: 1.6732632, Beta: 1.050701}, kernels.Selu,
			kernels.UnaryParams{Alpha: float64(float32(1.6732632)), Gamma: float64(float32(1.050701))}},
		{trt.Activation{Type: trt.ActivationHardSigmoid, Alpha: 0.2, Beta: 0.5}, kernels.HardSigmoid,
			kernels.UnaryParams{Alpha: float64(float32(0.2)), Beta: 0.5}},
		{trt.Activation{Type: trt.ActivationClip, Alpha: -1, Beta: 6}, kernels.Clamp, kernels.UnaryParams{Min: -1, Max: 6}},
		{trt.Activation{Type: trt.ActivationGeluErf}, kernels.Gelu, kernels.UnaryParams{}},
		{trt.Activation{Type: trt.ActivationGeluTanh}, kernels.GeluTanh, kernels.UnaryParams{}},
	} {
		for _, dt := range []tensor.DType{tensor.Float32, tensor.Float16} {
			xd := must(t)(kernels.Cast(x, dt))
			want := must(t)(kernels.Unary(tc.op, xd, tc.kp))
			got := must(t)(activation(xd, tc.p))
			near(t, got, want, 1e-6, 0)
		}
	}
}

func TestUnary(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	x := f32(tensor.Shape{7}, 0.5, 1.5, 2.5, -0.5, -2.5, inf, nan)
	// kROUND rounds half to even.
	expect(t, must(t)(unary(x, trt.UnaryRound)), f32(tensor.Shape{7}, 0, 2, 2, float32(math.Copysign(0, -1)), -2, inf, nan))
	expect(t, must(t)(unary(x, trt.UnaryIsInf)), tensor.FromBool(tensor.Shape{7}, []bool{false, false, false, false, false, true, false}))
	expect(t, must(t)(unary(x, trt.UnaryIsNan)), tensor.FromBool(tensor.Shape{7}, []bool{false, false, false, false, false, false, true}))
	expect(t, must(t)(unary(x, trt.UnarySign)), f32(tensor.Shape{7}, 1, 1, 1, -1, -1, 1, nan))
	// kABS and kSIGN take integers; kNEG and kEXP do not.
	n := i32(tensor.Shape{3}, -4, 0, 7)
	expect(t, must(t)(unary(n, trt.UnaryAbs)), i32(tensor.Shape{3}, 4, 0, 7))
	expect(t, must(t)(unary(n, trt.UnarySign)), i32(tensor.Shape{3}, -1, 0, 1))
	for _, op := range []trt.UnaryOperation{trt.UnaryNeg, trt.UnaryExp, trt.UnaryNot, trt.UnaryIsNan} {
		if _, err := unary(n, op); err == nil {
			t.Errorf("%v accepted int32", op)
		}
	}
	// kNOT takes only bool.
	b := tensor.FromBool(tensor.Shape{2}, []bool{true, false})
	expect(t, must(t)(unary(b, trt.UnaryNot)), tensor.FromBool(tensor.Shape{2}, []bool{false, true}))
	if _, err := unary(x, trt.UnaryNot); err == nil {
		t.Error("kNOT accepted floats")
	}
	// Through a network, every float operation runs.
	outs := oneLayer(t, func(nw *trt.Recorder, in []trt.Tensor) trt.Layer {
		return nw.AddUnary(in[0], trt.UnaryRecip)
	}, f32(tensor.Shape{2}, 4, -0.5))
	expect(t, outs[0], f32(tensor.Shape{2}, 0.25, -2))
}

func TestElementWise(t *testing.T) {
	// TensorRT needs equal ranks: [2] and [1,2] do not broadcast.
	if _, err := elementWise(f32(tensor.Shape{2}, 1, 2), f32(tensor.Shape{1, 2}, 1, 2), trt.ElementWiseSum); err == nil {
		t.Error("inputs of different ranks accepted")
	}
	// Size-1 dimensions broadcast: [2,1] + [1,3].
	got := must(t)(elementWise(f32(tensor.Shape{2, 1}, 10, 20), f32(tensor.Shape{1, 3}, 1, 2, 3), trt.ElementWiseSum))
	expect(t, got, f32(tensor.Shape{2, 3}, 11, 12, 13, 21, 22, 23))
	// Integer kDIV truncates toward zero, kFLOOR_DIV rounds down.
	a, b := i32(tensor.Shape{4}, -7, 7, -7, 7), i32(tensor.Shape{4}, 2, 2, -2, -2)
	expect(t, must(t)(elementWise(a, b, trt.ElementWiseDiv)), i32(tensor.Shape{4}, -3, 3, 3, -3))
	expect(t, must(t)(elementWise(a, b, trt.ElementWiseFloorDiv)), i32(tensor.Shape{4}, -4, 3, 3, -4))
	expect(t, must(t)(elementWise(f32(tensor.Shape{2}, -7, 7), f32(tensor.Shape{2}, 2, 2), trt.ElementWiseFloorDiv)), f32(tensor.Shape{2}, -4, 3))
	expect(t, must(t)(elementWise(i32(tensor.Shape{2}, 3, -2), i32(tensor.Shape{2}, 4, 3), trt.ElementWisePow)), i32(tensor.Shape{2}, 81, -8))
	// Comparisons give bool.
	expect(t, must(t)(elementWise(a, b, trt.ElementWiseGreater)), tensor.FromBool(tensor.Shape{4}, []bool{false, true, false, true}))
	expect(t, must(t)(elementWise(a, b, trt.ElementWiseLess)), tensor.FromBool(tensor.Shape{4}, []bool{true, false, true, false}))
	expect(t, must(t)(elementWise(a, a, trt.ElementWiseEqual)), tensor.FromBool(tensor.Shape{4}, []bool{true, true, true, true}))
	// Logic takes only bool, comparisons and arithmetic never bool.
	tb := tensor.FromBool(tensor.Shape{2}, []bool{true, false})
	fb := tensor.FromBool(tensor.Shape{2}, []bool{true, true})
	expect(t, must(t)(elementWise(tb, fb, trt.ElementWiseXor)), tensor.FromBool(tensor.Shape{2}, []bool{false, true}))
	for _, tc := range []struct {
		a, b *tensor.Tensor
		op   trt.ElementWiseOperation
	}{{a, b, trt.ElementWiseAnd}, {tb, fb, trt.ElementWiseEqual}, {tb, fb, trt.ElementWiseSum}, {a, f32(tensor.Shape{4}, 1, 2, 3, 4), trt.ElementWiseSum}} {
		if _, err := elementWise(tc.a, tc.b, tc.op); err == nil {
			t.Errorf("%v of %v and %v accepted", tc.op, tc.a, tc.b)
		}
	}
}

func TestSelectAndCast(t *testing.T) {
	c := tensor.FromBool(tensor.Shape{2, 1}, []bool{true, false})
	got := must(t)(selectLayer(c, f32(tensor.Shape{1, 2}, 1, 2), f32(tensor.Shape{2, 2}, 5, 6, 7, 8)))
	expect(t, got, f32(tensor.Shape{2, 2}, 1, 2, 7, 8))
	if _, err := selectLayer(tensor.FromBool(tensor.Shape{2}, []bool{true, false}), f32(tensor.Shape{1, 2}, 1, 2), f32(tensor.Shape{1, 2}, 1, 2)); err == nil {
		t.Error("select of different ranks accepted")
	}
	// Casting to int truncates toward zero (the TensorRT Cast operator
	// example: 5.6 -> 5); to bool tests ≠ 0.
	x := f32(tensor.Shape{4}, 5.6, -5.6, 0, 0.25)
	expect(t, must(t)(cast(x, trt.Int32)), i32(tensor.Shape{4}, 5, -5, 0, 0))
	expect(t, must(t)(cast(x, trt.Bool)), tensor.FromBool(tensor.Shape{4}, []bool{true, true, false, true}))
	// To half: 5.6 rounds to the nearest half, 5.6015625.
	h := must(t)(cast(x, trt.Half))
	if h.DType != tensor.Float16 || h.F32[0] != 5.6015625 {
		t.Errorf("cast to half: %v %v", h, h.F32)
	}
	// Identity converts to its output's recorded type.
	expect(t, must(t)(identity(x, trt.Int32)), i32(tensor.Shape{4}, 5, -5, 0, 0))
	if _, err := identity(x, trt.Int64); err == nil {
		t.Error("identity converted kFLOAT to kINT64")
	}
}

func TestReduceBitmask(t *testing.T) {
	// x[a,b,c] = 12a + 4b + c of shape [2,3,4]; axes 0b101 reduce a and
	// c: Σ_a Σ_c (12a + 4b + c) = 4·12 + 8·4b + 2·6 = 60 + 32b.
	x := iota32(2, 3, 4)
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddReduce(in[0], trt.Reduce{Operation: trt.ReduceSum, ReduceAxes: 0b101, KeepDimensions: true})
	}, x)
	expect(t, outs[0], f32(tensor.Shape{1, 3, 1}, 60, 92, 124))
	// kAVG divides by the 8 reduced elements; without keepDimensions
	// the reduced dimensions go.
	expect(t, must(t)(reduce(x, trt.Reduce{Operation: trt.ReduceAvg, ReduceAxes: 0b101})), f32(tensor.Shape{3}, 7.5, 11.5, 15.5))
	// kMAX over b: 12a + 8 + c.
	expect(t, must(t)(reduce(x, trt.Reduce{Operation: trt.ReduceMax, ReduceAxes: 0b010})), f32(tensor.Shape{2, 4}, 8, 9, 10, 11, 20, 21, 22, 23))
	// Integer kAVG truncates: (1+2)/2 = 1.
	expect(t, must(t)(reduce(i32(tensor.Shape{2}, 1, 2), trt.Reduce{Operation: trt.ReduceAvg, ReduceAxes: 1})), i32(tensor.Shape{}, 1))
	// Empty volumes give NvInfer.h's table.
	e := tensor.MustNew(tensor.Float32, tensor.Shape{2, 0})
	ei := tensor.MustNew(tensor.Int32, tensor.Shape{2, 0})
	for _, tc := range []struct {
		x    *tensor.Tensor
		op   trt.ReduceOperation
		want *tensor.Tensor
	}{
		{e, trt.ReduceSum, f32(tensor.Shape{2}, 0, 0)},
		{e, trt.ReduceProd, f32(tensor.Shape{2}, 1, 1)},
		{e, trt.ReduceMax, f32(tensor.Shape{2}, float32(math.Inf(-1)), float32(math.Inf(-1)))},
		{e, trt.ReduceMin, f32(tensor.Shape{2}, float32(math.Inf(1)), float32(math.Inf(1)))},
		{e, trt.ReduceAvg, f32(tensor.Shape{2}, float32(math.NaN()), float32(math.NaN()))},
		{ei, trt.ReduceMax, i32(tensor.Shape{2}, math.MinInt32, math.MinInt32)},
		{ei, trt.ReduceAvg, i32(tensor.Shape{2}, 0, 0)},
	} {
		expect(t, must(t)(reduce(tc.x, trt.Reduce{Operation: tc.op, ReduceAxes: 0b10})), tc.want)
	}
	if _, err := reduce(x, trt.Reduce{ReduceAxes: 0b1000}); err == nil {
		t.Error("axis 3 of a rank-3 tensor accepted")
	}
	if _, err := reduce(tensor.FromBool(tensor.Shape{1}, []bool{true}), trt.Reduce{ReduceAxes: 1}); err == nil {
		t.Error("bool reduce accepted")
	}
}

// TestSoftMaxAxis checks softmax along each axis against the closed form
// exp(x[i]) / Σ_j exp(x[i with i_axis = j]), written here with explicit
// multi-indices in float64 (not the kernel the executor calls), and a NaN
// poisoning exactly the slices along the axis that contain it.
func TestSoftMaxAxis(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	shape := []int{2, 3, 4}
	x := randF32(rng, shape...)
	idx := func(i, j, k int) int { return (i*shape[1]+j)*shape[2] + k }
	for a := range 3 {
		want := tensor.MustNew(tensor.Float32, shape)
		for i := range shape[0] {
			for j := range shape[1] {
				for k := range shape[2] {
					var sum float64
					for r := range shape[a] {
						at := [3]int{i, j, k}
						at[a] = r
						sum += math.Exp(float64(x.F32[idx(at[0], at[1], at[2])]))
					}
					want.F32[idx(i, j, k)] = float32(math.Exp(float64(x.F32[idx(i, j, k)])) / sum)
				}
			}
		}
		near(t, must(t)(softMax(x, 1<<a)), want, 1e-6, 1e-7)
		// A NaN at [1,2,3] makes NaN exactly the elements sharing its
		// slice along a.
		xn := tensor.FromF32(shape, append([]float32(nil), x.F32...))
		xn.F32[idx(1, 2, 3)] = float32(math.NaN())
		got := must(t)(softMax(xn, 1<<a))
		for i := range shape[0] {
			for j := range shape[1] {
				for k := range shape[2] {
					at, nan := [3]int{i, j, k}, [3]int{1, 2, 3}
					at[a], nan[a] = 0, 0
					if g := got.F32[idx(i, j, k)]; math.IsNaN(float64(g)) != (at == nan) {
						t.Errorf("axis %d: element [%d %d %d] = %v with a NaN at [1 2 3]", a, i, j, k, g)
					}
				}
			}
		}
	}
	if _, err := softMax(x, 0b11); err == nil {
		t.Error("two softmax axes accepted")
	}
}

func TestTopK(t *testing.T) {
	x := f32(tensor.Shape{1, 5}, 3, 1, 2, 1, 5)
	// kMIN: smallest first; the two 1s keep index order (1 before 3).
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddTopK(in[0], trt.TopK{Operation: trt.TopKMin, K: 3, ReduceAxes: 0b10, IndicesType: trt.Int64})
	}, x)
	expect(t, outs[0], f32(tensor.Shape{1, 3}, 1, 1, 2))
	expect(t, outs[1], tensor.FromI64(tensor.Shape{1, 3}, []int64{1, 3, 2}))
	// kMAX over axis 0.
	v, idx, err := topK(f32(tensor.Shape{3, 2}, 1, 6, 4, 5, 4, 2), trt.TopK{Operation: trt.TopKMax, K: 2, ReduceAxes: 1, IndicesType: trt.Int32})
	expect(t, must(t)(v, err), f32(tensor.Shape{2, 2}, 4, 6, 4, 5))
	expect(t, idx, i32(tensor.Shape{2, 2}, 1, 0, 2, 1))
	// NaN is the largest: first for kMAX, last for kMIN.
	nan := float32(math.NaN())
	v, _, err = topK(f32(tensor.Shape{3}, 1, nan, 2), trt.TopK{Operation: trt.TopKMax, K: 3, ReduceAxes: 1, IndicesType: trt.Int32})
	expect(t, must(t)(v, err), f32(tensor.Shape{3}, nan, 2, 1))
	v, _, err = topK(f32(tensor.Shape{3}, 1, nan, 2), trt.TopK{Operation: trt.TopKMin, K: 3, ReduceAxes: 1, IndicesType: trt.Int32})
	expect(t, must(t)(v, err), f32(tensor.Shape{3}, 1, 2, nan))
	// kMAX agrees with the kernel on random data with ties.
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20 {
		x := tensor.MustNew(tensor.Int32, tensor.Shape{3, 4, 5})
		for i := range x.I32 {
			x.I32[i] = int32(rng.IntN(4))
		}
		axis := rng.IntN(3)
		k := 1 + rng.IntN(x.Shape[axis])
		wv, wi, err := kernels.TopK(x, axis, k)
		if err != nil {
			t.Fatal(err)
		}
		gv, gi, err := topK(x, trt.TopK{Operation: trt.TopKMax, K: int32(k), ReduceAxes: 1 << axis, IndicesType: trt.Int32})
		expect(t, must(t)(gv, err), wv)
		expect(t, gi, wi)
	}
}

func TestScaleChannel(t *testing.T) {
	// x [1,2,1,2] = [[1,2],[3,4]] per channel; kCHANNEL on axis 1 with
	// scale (2,3), power (1,2) and empty shift (0): channel 0 gives
	// x*2 = 2,4 and channel 1 (x*3)^2 = 81,144.
	x := f32(tensor.Shape{1, 2, 1, 2}, 1, 2, 3, 4)
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddScaleNd(in[0], trt.Scale{Mode: trt.ScaleChannel, Scale: weightsOf(t, 2, 3), Power: weightsOf(t, 1, 2), ChannelAxis: 1})
	}, x)
	expect(t, outs[0], f32(tensor.Shape{1, 2, 1, 2}, 2, 4, 81, 144))
	// kUNIFORM with only a shift, kELEMENTWISE over the dimensions from
	// the channel axis (here 2: the last two, 1*2 coefficients).
	expect(t, must(t)(scale(x, trt.Scale{Mode: trt.ScaleUniform, Shift: weightsOf(t, -1)})), f32(tensor.Shape{1, 2, 1, 2}, 0, 1, 2, 3))
	expect(t, must(t)(scale(x, trt.Scale{Mode: trt.ScaleElementwise, Scale: weightsOf(t, 10, 100), ChannelAxis: 2})), f32(tensor.Shape{1, 2, 1, 2}, 10, 200, 30, 400))
	// All weights empty: the identity.
	expect(t, must(t)(scale(x, trt.Scale{Mode: trt.ScaleChannel, ChannelAxis: 1})), x)
	if _, err := scale(x, trt.Scale{Mode: trt.ScaleChannel, Scale: weightsOf(t, 1, 2, 3), ChannelAxis: 1}); err == nil {
		t.Error("3 channel coefficients for 2 channels accepted")
	}
}

func TestNormalization(t *testing.T) {
	// Instance normalization of x [2,3,8] over axis 2 with scale s and
	// bias b of shape [1,3,1]: each row of the result has mean b[c] and
	// variance s[c]² · var/(var + eps).
	rng := rand.New(rand.NewPCG(11, 12))
	x := randF32(rng, 2, 3, 8)
	s, b := f32(tensor.Shape{1, 3, 1}, 1, 2, -0.5), f32(tensor.Shape{1, 3, 1}, 0, 1, -3)
	const eps = 1e-3
	outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer {
		return n.AddNormalization(in[0], in[1], in[2], trt.Normalization{Epsilon: eps, Axes: 0b100})
	}, x, s, b)
	y := outs[0]
	for row := range 6 {
		c := row % 3
		_, vx := stats(x.F32[row*8 : row*8+8])
		m, v := stats(y.F32[row*8 : row*8+8])
		wantV := float64(s.F32[c]*s.F32[c]) * vx / (vx + eps)
		if math.Abs(m-float64(b.F32[c])) > 1e-5 || math.Abs(v-wantV) > 1e-5 {
			t.Errorf("row %d: mean %v variance %v, want %v and %v", row, m, v, b.F32[c], wantV)
		}
	}
	// Group normalization, 2 groups of 2 channels of x [1,4,3]: each
	// group's 6 values are normalized together.
	x = randF32(rng, 1, 4, 3)
	ones, zeros := f32(tensor.Shape{1, 4, 1}, 1, 1, 1, 1), f32(tensor.Shape{1, 4, 1}, 0, 0, 0, 0)
	y = must(t)(normalization(x, ones, zeros, trt.Normalization{Epsilon: 0, Axes: 0b100, NbGroups: 2}))
	for g := range 2 {
		m, v := stats(y.F32[g*6 : g*6+6])
		if math.Abs(m) > 1e-6 || math.Abs(v-1) > 1e-5 {
			t.Errorf("group %d: mean %v variance %v, want 0 and 1", g, m, v)
		}
	}
	if _, err := normalization(x, ones, zeros, trt.Normalization{Axes: 0b110, NbGroups: 2}); err == nil {
		t.Error("group normalization over the channel axis accepted")
	}
}

// stats returns the mean and population variance.
func stats(v []float32) (mean, variance float64) {
	for _, x := range v {
		mean += float64(x)
	}
	mean /= float64(len(v))
	for _, x := range v {
		variance += (float64(x) - mean) * (float64(x) - mean)
	}
	return mean, variance / float64(len(v))
}

func TestEveryOperationRuns(t *testing.T) {
	// Every enum value of Unary, Activation, ElementWise and Reduce is
	// implemented for a type it accepts (a missing table entry fails).
	x := f32(tensor.Shape{1, 3}, 0.25, 0.5, 0.75)
	b := tensor.FromBool(tensor.Shape{1, 3}, []bool{true, false, true})
	for op := trt.UnaryExp; op <= trt.UnaryIsNan; op++ {
		in := x
		if op == trt.UnaryNot {
			in = b
		}
		if _, err := unary(in, op); err != nil {
			t.Errorf("%v: %v", op, err)
		}
	}
	for typ := trt.ActivationRelu; typ <= trt.ActivationGeluTanh; typ++ {
		if _, err := activation(x, trt.Activation{Type: typ, Alpha: 1, Beta: 1}); err != nil {
			t.Errorf("%v: %v", typ, err)
		}
	}
	for op := trt.ElementWiseSum; op <= trt.ElementWiseLess; op++ {
		in := x
		if op >= trt.ElementWiseAnd && op <= trt.ElementWiseXor {
			in = b
		}
		if _, err := elementWise(in, in, op); err != nil {
			t.Errorf("%v: %v", op, err)
		}
	}
	for op := trt.ReduceSum; op <= trt.ReduceAvg; op++ {
		if _, err := reduce(x, trt.Reduce{Operation: op, ReduceAxes: 0b10}); err != nil {
			t.Errorf("%v: %v", op, err)
		}
	}
	if _, err := unary(x, trt.UnaryOperation(25)); err == nil {
		t.Error("unknown unary operation accepted")
	}
	if _, err := activation(x, trt.Activation{Type: 14}); err == nil {
		t.Error("unknown activation accepted")
	}
}

// TestClipMatchesFloat64Formula checks the float32 kCLIP loop against
// NvInfer.h's max(alpha, min(beta, x)) computed with math.Max and
// math.Min in float64, bit for bit (any NaN for NaN), on signed zeros,
// infinities, NaN and bounds in either order.
func TestClipMatchesFloat64Formula(t *testing.T) {
	nz := float32(math.Copysign(0, -1))
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	vals := []float32{0, nz, 1, -1, 6, -6, 0.5, 5.999999, 6.000001, inf, -inf, nan, 1e-45, -1e-45}
	for _, lo := range vals {
		for _, hi := range vals {
			apply, err := activationFunc(trt.Activation{Type: trt.ActivationClip, Alpha: lo, Beta: hi})
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float32, len(vals))
			apply(got, vals)
			for i, v := range vals {
				want := float32(math.Max(float64(lo), math.Min(float64(hi), float64(v))))
				if math.Float32bits(got[i]) != math.Float32bits(want) && !(got[i] != got[i] && want != want) {
					t.Errorf("clip(%v, %v) of %v = %v, want %v", lo, hi, v, got[i], want)
				}
			}
		}
	}
}
