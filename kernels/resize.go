package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// ResizeMode selects nearest or (multi)linear resampling.
type ResizeMode uint8

// The resize modes.
const (
	ResizeNearest ResizeMode = iota
	ResizeLinear
)

// CoordMode maps an output index to a source coordinate.
type CoordMode uint8

// The coordinate transformations, for output index o, input size in and
// output size out, with scale computed in float32:
const (
	CoordAsymmetric       CoordMode = iota // c = o * in/out
	CoordAlignCorners                      // c = o * (in-1)/(out-1), 0 when out = 1
	CoordHalfPixel                         // c = (o + 0.5) * in/out - 0.5
	CoordTFHalfPixelForNN                  // c = (o + 0.5) * in/out
)

// NearestRounding rounds a source coordinate to an index in nearest mode.
type NearestRounding uint8

// The roundings.
const (
	RoundFloor       NearestRounding = iota
	RoundCeil                        // up
	RoundPreferFloor                 // to nearest, halves down
	RoundPreferCeil                  // to nearest, halves up
)

// ResizeParams are the attributes of Resize.
type ResizeParams struct {
	Mode     ResizeMode
	Coord    CoordMode
	Rounding NearestRounding // nearest mode only
	Shape    tensor.Shape    // the result's shape: x's rank, all ≥ 1
}

// Resize resamples x to p.Shape, each axis independently; axes whose size
// does not change are copied. Nearest picks index rounding(c) clamped to
// [0, in-1] (any dtype). Linear (f32, f16, bf16) uses, with c clamped below
// at 0, i0 = floor(c), i1 = min(i0+1, in-1), i0 = min(i0, in-1),
// t = c - floor(c) and x[i0] + (x[i1]-x[i0])*t in float32, axis after axis
// from the last to the first.
func Resize(x *tensor.Tensor, p ResizeParams) (*tensor.Tensor, error) {
	r, err := resize(x, p)
	if err != nil {
		return nil, fmt.Errorf("resize: %v", err)
	}
	return r, nil
}

func resize(x *tensor.Tensor, p ResizeParams) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, err
	}
	if p.Mode == ResizeLinear {
		if err := checkDType("input", x, floatTypes...); err != nil {
			return nil, err
		}
	} else if p.Mode != ResizeNearest {
		return nil, fmt.Errorf("unknown mode %d", p.Mode)
	}
	if p.Coord > CoordTFHalfPixelForNN || p.Rounding > RoundPreferCeil {
		return nil, fmt.Errorf("unknown coordinate mode %d or rounding %d", p.Coord, p.Rounding)
	}
	if len(p.Shape) != len(x.Shape) {
		return nil, fmt.Errorf("shape %v has rank %d, input has %d", p.Shape, len(p.Shape), len(x.Shape))
	}
	for i := range p.Shape {
		if p.Shape[i] < 1 || x.Shape[i] < 1 {
			return nil, fmt.Errorf("resize of %v to %v: dimensions must be ≥ 1", x.Shape, p.Shape)
		}
	}
	if _, err := p.Shape.NumElements(); err != nil {
		return nil, err
	}
	if p.Mode == ResizeNearest {
		st := x.Shape.Strides()
		maps := make([][]int, len(p.Shape))
		for a := range p.Shape {
			in, n := x.Shape[a], p.Shape[a]
			m := make([]int, n)
			for o := range m {
				i := o
				if in != n {
					i = nearestIndex(coord(p.Coord, o, in, n), p.Rounding, in)
				}
				m[o] = i * st[a]
			}
			maps[a] = m
		}
		out := tensor.MustNew(x.DType, p.Shape)
		takeTensor(out, x, maps)
		return out, nil
	}
	cur := x
	for a := len(p.Shape) - 1; a >= 0; a-- {
		if x.Shape[a] != p.Shape[a] {
			cur = linearAxis(cur, a, p.Shape[a], p.Coord)
		}
	}
	if cur == x {
		cur = x.Clone()
	}
	return finish(cur), nil
}

// coord is the source coordinate of output index o, in float32.
func coord(mode CoordMode, o, in, out int) float32 {
	fo := float32(o)
	switch mode {
	case CoordAlignCorners:
		if out == 1 {
			return 0
		}
		return fo * (float32(in-1) / float32(out-1))
	case CoordHalfPixel:
		scale := float32(in) / float32(out)
		return float32((fo+0.5)*scale) - 0.5
	case CoordTFHalfPixelForNN:
		scale := float32(in) / float32(out)
		return float32((fo + 0.5) * scale)
	}
	return fo * (float32(in) / float32(out))
}

func nearestIndex(c float32, r NearestRounding, in int) int {
	v := float64(c)
	switch r {
	case RoundFloor:
		v = math.Floor(v)
	case RoundCeil:
		v = math.Ceil(v)
	case RoundPreferFloor:
		v = math.Ceil(v - 0.5)
	case RoundPreferCeil:
		v = math.Floor(v + 0.5)
	}
	return int(min(max(v, 0), float64(in-1)))
}

// linearAxis resamples axis a of x to size n by linear interpolation.
func linearAxis(x *tensor.Tensor, a, n int, mode CoordMode) *tensor.Tensor {
	outer, in, inner := axisView(x.Shape, a)
	shape := x.Shape.Clone()
	shape[a] = n
	out := tensor.MustNew(x.DType, shape)
	i0s, i1s := make([]int, n), make([]int, n)
	ts := make([]float32, n)
	for o := range n {
		c := max(coord(mode, o, in, n), 0)
		f := float32(math.Floor(float64(c)))
		i0 := int(f)
		i1 := min(i0+1, in-1)
		i0s[o], i1s[o], ts[o] = min(i0, in-1), i1, c-f
	}
	parallelFor(outer, n*inner, func(lo, hi int) {
		for q := lo; q < hi; q++ {
			src := x.F32[q*in*inner : (q+1)*in*inner]
			dst := out.F32[q*n*inner : (q+1)*n*inner]
			for o := range n {
				r0 := src[i0s[o]*inner : (i0s[o]+1)*inner]
				r1 := src[i1s[o]*inner : (i1s[o]+1)*inner]
				d := dst[o*inner : (o+1)*inner]
				t := ts[o]
				for i := range d {
					d[i] = r0[i] + float32((r1[i]-r0[i])*t)
				}
			}
		}
	})
	return out
}
