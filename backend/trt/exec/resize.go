package exec

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerResize] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Resize)
		if len(in) > 1 && in[1] != nil {
			d, err := shapeTensorDims(in[1])
			if err != nil {
				return nil, fmt.Errorf("output dimensions (input 1): %v", err)
			}
			p.OutputDimensions = d
		}
		return one(resize(in[0], p))
	}
}

// resize is IResizeLayer with explicit OutputDimensions. Every dimension
// whose size changes is resampled independently (kNEAREST: any of them;
// kLINEAR: the innermost 3 at most; kCUBIC: the innermost 2 at most).
// Output index x maps to input coordinate c, in float32 arithmetic as on
// the GPU, with in and out the dimension's input and output sizes:
//
//	kALIGN_CORNERS  c = x * ((in-1)/(out-1))
//	kASYMMETRIC     c = x * (in/out)
//	kHALF_PIXEL     c = (x + 0.5) * (in/out) - 0.5
//
// For out = 1, kUPPER selects c = 0 and kFORMULA uses the formula
// (kALIGN_CORNERS, whose formula divides by zero, then also gives 0).
//
// kNEAREST reads index round(c) clamped to [0, in-1], where round is
// NearestRounding: kHALF_UP floor(c+0.5), kHALF_DOWN ceil(c-0.5), kFLOOR,
// kCEIL. kLINEAR clamps c to [0, in-1] and interpolates between floor(c)
// and the next index. kCUBIC takes the four taps floor(c)-1 .. floor(c)+2
// with CubicCoeff A's weights ((A+2)|t|-(A+3))t²+1 for |t| ≤ 1 and
// ((A|t|-5A)|t|+8A)|t|-4A for 1 < |t| < 2; taps outside the input are
// clamped to the edge, or with ExcludeOutside get weight 0 and the others
// are renormalized. Interpolation is computed in float64, one dimension
// after the other, and rounded once to the tensor's type.
func resize(x *tensor.Tensor, p trt.Resize) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	r := len(x.Shape)
	out, err := shapeOf(p.OutputDimensions)
	if err != nil {
		return nil, err
	}
	if len(out) != r {
		return nil, fmt.Errorf("output dimensions %v have %d dimensions, want the input rank %d", p.OutputDimensions, len(out), r)
	}
	inner := r
	switch p.ResizeMode {
	case trt.InterpolationNearest:
	case trt.InterpolationLinear:
		inner = 3
	case trt.InterpolationCubic:
		inner = 2
	default:
		return nil, fmt.Errorf("unknown resize mode %v", p.ResizeMode)
	}
	if p.CoordinateTransformation < trt.ResizeAlignCorners || p.CoordinateTransformation > trt.ResizeHalfPixel {
		return nil, fmt.Errorf("unknown coordinate transformation %v", p.CoordinateTransformation)
	}
	if p.SelectorForSinglePixel != trt.ResizeSelectorFormula && p.SelectorForSinglePixel != trt.ResizeSelectorUpper {
		return nil, fmt.Errorf("unknown selector %v", p.SelectorForSinglePixel)
	}
	for i := range r {
		if out[i] == x.Shape[i] {
			continue
		}
		if i < r-inner {
			return nil, fmt.Errorf("%v resize changes dimension %d (%d -> %d); only the innermost %d may be resized", p.ResizeMode, i, x.Shape[i], out[i], inner)
		}
		if x.Shape[i] == 0 {
			return nil, fmt.Errorf("cannot resize empty dimension %d to %d", i, out[i])
		}
	}
	cur := make([]float64, x.Len())
	for i, v := range x.F32 {
		cur[i] = float64(v)
	}
	shape := x.Shape.Clone()
	// Shrinking dimensions first keeps every intermediate no larger than
	// the input or the output.
	var order []int
	for a := range r {
		if out[a] < shape[a] {
			order = append(order, a)
		}
	}
	for a := range r {
		if out[a] > shape[a] {
			order = append(order, a)
		}
	}
	for _, a := range order {
		taps, err := resizeTaps(p, shape[a], out[a])
		if err != nil {
			return nil, fmt.Errorf("dimension %d: %v", a, err)
		}
		cur, shape = applyTaps(cur, shape, a, out[a], taps)
	}
	y := tensor.MustNew(x.DType, out)
	for i, v := range cur {
		y.F32[i] = float32(v)
	}
	y.RoundToDType()
	return y, nil
}

// tap is one input index and its weight.
type tap struct {
	i int
	w float64
}

// resizeCoord maps output index o to an input coordinate.
func resizeCoord(p trt.Resize, o, in, out int) float32 {
	if out == 1 && (p.SelectorForSinglePixel == trt.ResizeSelectorUpper || p.CoordinateTransformation == trt.ResizeAlignCorners) {
		return 0
	}
	fo := float32(o)
	switch p.CoordinateTransformation {
	case trt.ResizeAlignCorners:
		return fo * (float32(in-1) / float32(out-1))
	case trt.ResizeHalfPixel:
		return float32((fo+0.5)*(float32(in)/float32(out))) - 0.5
	}
	return fo * (float32(in) / float32(out))
}

// resizeTaps returns, for each output index of one dimension, the input
// taps it interpolates.
func resizeTaps(p trt.Resize, in, out int) ([][]tap, error) {
	taps := make([][]tap, out)
	for o := range out {
		c := resizeCoord(p, o, in, out)
		switch p.ResizeMode {
		case trt.InterpolationNearest:
			v := float64(c)
			switch p.NearestRounding {
			case trt.ResizeRoundHalfUp:
				v = math.Floor(v + 0.5)
			case trt.ResizeRoundHalfDown:
				v = math.Ceil(v - 0.5)
			case trt.ResizeRoundFloor:
				v = math.Floor(v)
			case trt.ResizeRoundCeil:
				v = math.Ceil(v)
			default:
				return nil, fmt.Errorf("unknown nearest rounding %v", p.NearestRounding)
			}
			taps[o] = []tap{{int(min(max(v, 0), float64(in-1))), 1}}
		case trt.InterpolationLinear:
			v := min(max(float64(c), 0), float64(in-1))
			i0 := int(math.Floor(v))
			t := v - float64(i0)
			i1 := min(i0+1, in-1)
			taps[o] = []tap{{i0, 1 - t}, {i1, t}}
		case trt.InterpolationCubic:
			v := float64(c)
			f := math.Floor(v)
			t := v - f
			a := float64(p.CubicCoeff)
			ts := make([]tap, 0, 4)
			var sum float64
			for k := -1; k <= 2; k++ {
				i := int(f) + k
				w := cubicWeight(math.Abs(t-float64(k)), a)
				if i < 0 || i >= in {
					if p.ExcludeOutside {
						continue
					}
					i = min(max(i, 0), in-1)
				}
				ts = append(ts, tap{i, w})
				sum += w
			}
			if p.ExcludeOutside {
				if sum == 0 {
					return nil, fmt.Errorf("output %d: every cubic tap lies outside the input", o)
				}
				for k := range ts {
					ts[k].w /= sum
				}
			}
			taps[o] = ts
		}
	}
	return taps, nil
}

// cubicWeight is the cubic convolution kernel with coefficient a at
// distance d ≥ 0.
func cubicWeight(d, a float64) float64 {
	switch {
	case d <= 1:
		return ((a+2)*d-(a+3))*d*d + 1
	case d < 2:
		return ((a*d-5*a)*d+8*a)*d - 4*a
	}
	return 0
}

// applyTaps resamples dimension a of src (shape s) to n entries.
func applyTaps(src []float64, s tensor.Shape, a, n int, taps [][]tap) ([]float64, tensor.Shape) {
	outer, inner := 1, 1
	for _, d := range s[:a] {
		outer *= d
	}
	for _, d := range s[a+1:] {
		inner *= d
	}
	in := s[a]
	dst := make([]float64, outer*n*inner)
	for q := range outer {
		sb, db := q*in*inner, q*n*inner
		for o, ts := range taps {
			row := dst[db+o*inner : db+(o+1)*inner]
			for _, t := range ts {
				if t.w == 0 {
					continue // an infinite neighbour with weight 0 is not read
				}
				src := src[sb+t.i*inner : sb+(t.i+1)*inner]
				for k, v := range src {
					row[k] += t.w * v
				}
			}
		}
	}
	ns := s.Clone()
	ns[a] = n
	return dst, ns
}
