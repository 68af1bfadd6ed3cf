package exec

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerScale] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Scale)
		return one(scale(in[0], p))
	}
}

// scale is IScaleLayer (addScaleNd): out = (in*scale + shift)^power with
// one coefficient (kUNIFORM), one per index of ChannelAxis (kCHANNEL) or
// one per element of the dimensions from ChannelAxis on (kELEMENTWISE).
// Empty weights mean TensorRT's defaults: shift 0, scale 1, power 1. The
// input is a float tensor of rank ≥ 4. Computed in float64 and rounded
// once to the tensor's type.
func scale(x *tensor.Tensor, p trt.Scale) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	r := len(x.Shape)
	if r < 4 {
		return nil, fmt.Errorf("input %v has rank %d, want at least 4", x.Shape, r)
	}
	ax := int(p.ChannelAxis)
	if ax < 0 || ax >= r {
		return nil, fmt.Errorf("channel axis %d outside [0, %d)", p.ChannelAxis, r)
	}
	inner := 1 // elements per channel index
	for _, d := range x.Shape[ax+1:] {
		inner *= d
	}
	var want int
	var coef func(e int) int // coefficient index of element e
	switch p.Mode {
	case trt.ScaleUniform:
		want = 1
		coef = func(int) int { return 0 }
	case trt.ScaleChannel:
		c := x.Shape[ax]
		want = c
		coef = func(e int) int { return e / inner % c }
	case trt.ScaleElementwise:
		want = x.Shape[ax] * inner
		coef = func(e int) int { return e % want }
	default:
		return nil, fmt.Errorf("unknown scale mode %v", p.Mode)
	}
	get := func(what string, w trt.Weights) ([]float64, error) {
		v, err := weightValues(what, w)
		if err != nil {
			return nil, err
		}
		if v != nil && len(v) != want {
			return nil, fmt.Errorf("%s weights have %d values, want %d for %v", what, len(v), want, p.Mode)
		}
		return v, nil
	}
	shift, err := get("shift", p.Shift)
	if err != nil {
		return nil, err
	}
	sc, err := get("scale", p.Scale)
	if err != nil {
		return nil, err
	}
	pw, err := get("power", p.Power)
	if err != nil {
		return nil, err
	}
	y := tensor.MustNew(x.DType, x.Shape)
	for e, v := range x.F32 {
		k := coef(e)
		z := float64(v)
		if sc != nil {
			z *= sc[k]
		}
		if shift != nil {
			z += shift[k]
		}
		if pw != nil && pw[k] != 1 {
			z = math.Pow(z, pw[k])
		}
		y.F32[e] = float32(z)
	}
	y.RoundToDType()
	return y, nil
}
