package exec

import (
	"math/rand/v2"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func TestResizeNearestRounding(t *testing.T) {
	// in = [10,20,30] -> 4 outputs, kASYMMETRIC: c = x * 3/4 =
	// 0, 0.75, 1.5, 2.25.
	//	kFLOOR      0 0 1 2
	//	kCEIL       0 1 2 3 -> clamped to 2
	//	kHALF_UP    floor(c+0.5): 0 1 2 2
	//	kHALF_DOWN  ceil(c-0.5):  0 1 1 2 (1.5 goes down)
	x := f32(tensor.Shape{1, 3}, 10, 20, 30)
	for _, tc := range []struct {
		r    trt.ResizeRoundMode
		want []float32
	}{
		{trt.ResizeRoundFloor, []float32{10, 10, 20, 30}},
		{trt.ResizeRoundCeil, []float32{10, 20, 30, 30}},
		{trt.ResizeRoundHalfUp, []float32{10, 20, 30, 30}},
		{trt.ResizeRoundHalfDown, []float32{10, 20, 20, 30}},
	} {
		p := trt.Resize{OutputDimensions: trt.Dims{1, 4}, ResizeMode: trt.InterpolationNearest, CoordinateTransformation: trt.ResizeAsymmetric, NearestRounding: tc.r}
		outs := oneLayer(t, func(n *trt.Recorder, in []trt.Tensor) trt.Layer { return n.AddResize(in[0], p) }, x)
		expect(t, outs[0], f32(tensor.Shape{1, 4}, tc.want...))
	}
	// kHALF_PIXEL, 2 -> 4: c = (x+0.5)/2 - 0.5 = -0.25, 0.25, 0.75, 1.25;
	// kHALF_UP: 0 0 1 1 (clamped), kCEIL: 0 1 1 2 -> 1.
	x = f32(tensor.Shape{2}, 10, 20)
	p := trt.Resize{OutputDimensions: trt.Dims{4}, CoordinateTransformation: trt.ResizeHalfPixel, NearestRounding: trt.ResizeRoundHalfUp}
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{4}, 10, 10, 20, 20))
	p.NearestRounding = trt.ResizeRoundCeil
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{4}, 10, 20, 20, 20))
}

func TestResizeLinearAndSinglePixel(t *testing.T) {
	x := f32(tensor.Shape{2}, 10, 20)
	p := trt.Resize{OutputDimensions: trt.Dims{4}, ResizeMode: trt.InterpolationLinear}
	// kHALF_PIXEL: c = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
	p.CoordinateTransformation = trt.ResizeHalfPixel
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{4}, 10, 12.5, 17.5, 20))
	// kASYMMETRIC: c = 0, 0.5, 1, 1.5 (clamped to 1).
	p.CoordinateTransformation = trt.ResizeAsymmetric
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{4}, 10, 15, 20, 20))
	// kALIGN_CORNERS: c = x/3.
	p.CoordinateTransformation = trt.ResizeAlignCorners
	near(t, must(t)(resize(x, p)), f32(tensor.Shape{4}, 10, 40.0/3, 50.0/3, 20), 1e-6, 0)
	// One output pixel from [10,20,30,40]: kFORMULA with kHALF_PIXEL maps
	// it to c = 0.5*4 - 0.5 = 1.5 (nearest floor: 20; linear: 25), kUPPER
	// to the first pixel.
	x = f32(tensor.Shape{1, 4}, 10, 20, 30, 40)
	p = trt.Resize{OutputDimensions: trt.Dims{1, 1}, CoordinateTransformation: trt.ResizeHalfPixel, NearestRounding: trt.ResizeRoundFloor}
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{1, 1}, 20))
	p.ResizeMode = trt.InterpolationLinear
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{1, 1}, 25))
	p.SelectorForSinglePixel = trt.ResizeSelectorUpper
	expect(t, must(t)(resize(x, p)), f32(tensor.Shape{1, 1}, 10))
	// kLINEAR resizes only the innermost three dimensions.
	if _, err := resize(tensor.MustNew(tensor.Float32, tensor.Shape{2, 1, 1, 1}), trt.Resize{OutputDimensions: trt.Dims{3, 1, 1, 1}, ResizeMode: trt.InterpolationLinear}); err == nil {
		t.Error("linear resize of the fourth-last dimension accepted")
	}
}

func TestResizeMatchesKernel(t *testing.T) {
	// kNEAREST and kLINEAR agree with the kernel's resize, whose
	// coordinate and rounding modes are the same formulas.
	rng := rand.New(rand.NewPCG(17, 18))
	coords := map[trt.ResizeCoordinateTransformation]kernels.CoordMode{
		trt.ResizeAlignCorners: kernels.CoordAlignCorners, trt.ResizeAsymmetric: kernels.CoordAsymmetric, trt.ResizeHalfPixel: kernels.CoordHalfPixel,
	}
	rounds := map[trt.ResizeRoundMode]kernels.NearestRounding{
		trt.ResizeRoundFloor: kernels.RoundFloor, trt.ResizeRoundCeil: kernels.RoundCeil,
		trt.ResizeRoundHalfDown: kernels.RoundPreferFloor, trt.ResizeRoundHalfUp: kernels.RoundPreferCeil,
	}
	for range 40 {
		in := tensor.Shape{1 + rng.IntN(2), 1 + rng.IntN(5), 1 + rng.IntN(5), 1 + rng.IntN(5)}
		out := in.Clone()
		for a := 1; a < 4; a++ {
			out[a] = 1 + rng.IntN(9)
		}
		x := randF32(rng, in...)
		for c, kc := range coords {
			for r, kr := range rounds {
				p := trt.Resize{OutputDimensions: dimsOf(out), CoordinateTransformation: c, NearestRounding: r}
				want := must(t)(kernels.Resize(x, kernels.ResizeParams{Mode: kernels.ResizeNearest, Coord: kc, Rounding: kr, Shape: out}))
				expect(t, must(t)(resize(x, p)), want)
			}
			p := trt.Resize{OutputDimensions: dimsOf(out), ResizeMode: trt.InterpolationLinear, CoordinateTransformation: c}
			want := must(t)(kernels.Resize(x, kernels.ResizeParams{Mode: kernels.ResizeLinear, Coord: kc, Shape: out}))
			near(t, must(t)(resize(x, p)), want, 1e-5, 1e-6)
		}
	}
}

func TestResizeCubic(t *testing.T) {
	// The cubic convolution kernel's weights sum to 1 and reproduce
	// linear functions: resizing the ramp 0..9 with kALIGN_CORNERS to 19
	// samples gives c = x/2 wherever all four taps are inside (1 ≤ c < 8),
	// for any coefficient A.
	x := iota32(1, 10)
	for _, a := range []float32{-0.75, -0.5} {
		p := trt.Resize{OutputDimensions: trt.Dims{1, 19}, ResizeMode: trt.InterpolationCubic, CoordinateTransformation: trt.ResizeAlignCorners, CubicCoeff: a}
		y := must(t)(resize(x, p))
		for o, v := range y.F32 {
			if c := float32(o) / 2; c >= 1 && c < 8 && v != c {
				t.Errorf("A=%v: output %d = %v, want %v", a, o, v, c)
			}
		}
	}
	// Near the edge the outside tap is clamped: at c = 0.5 with A = -0.5
	// the taps -1, 0, 1, 2 have weights -1/16, 9/16, 9/16, -1/16 and read
	// x[0], x[0], x[1], x[2] of [0, 16, 32]: 0 + 0 + 9 - 2 = 7.
	// ExcludeOutside drops tap -1 and renormalizes by 17/16: 7/17*16.
	x = f32(tensor.Shape{1, 3}, 0, 16, 32)
	p := trt.Resize{OutputDimensions: trt.Dims{1, 5}, ResizeMode: trt.InterpolationCubic, CoordinateTransformation: trt.ResizeAlignCorners, CubicCoeff: -0.5}
	y := must(t)(resize(x, p))
	if y.F32[1] != 7 {
		t.Errorf("clamped edge: %v, want 7", y.F32)
	}
	p.ExcludeOutside = true
	y = must(t)(resize(x, p))
	if want := float32(7.0 / 17 * 16); y.F32[1] != want {
		t.Errorf("excluded edge: %v, want %v", y.F32[1], want)
	}
}
