package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// PoolKind selects max or average pooling.
type PoolKind uint8

// The pooling kinds.
const (
	PoolMax PoolKind = iota
	PoolAvg
	// PoolMaxSkipNaN is TensorFlow's 2-D MaxPool on the CPU: the maximum
	// starts from the element type's lowest finite value and NaN never
	// replaces it.
	PoolMaxSkipNaN
)

// PoolParams are the attributes of Pool, one value per spatial dimension
// in each slice.
type PoolParams struct {
	Kind               PoolKind
	Window, Strides    []int // ≥ 1
	PadsBegin, PadsEnd []int // in [0, window)
	// CountIncludePad divides averages by the window size instead of the
	// number of window positions inside the input; false for PoolMax.
	CountIncludePad bool
}

// Pool is N-D max or average pooling, channels first: x [N, C, i...] (f32,
// f16, bf16) gives [N, C, o...] with o_j = floor((i_j + p0_j + p1_j -
// k_j) / s_j) + 1 ≥ 1. Max takes the maximum over the window's positions
// inside x (padding never wins; NaN propagates); max-skip-NaN the largest
// non-NaN element of those positions, but at least the element type's
// lowest finite value (a window of NaN and -Inf gives that value); avg sums
// them in float32 and divides by their number (or by the window size with
// CountIncludePad).
func Pool(x *tensor.Tensor, p PoolParams) (*tensor.Tensor, error) {
	r, err := pool(x, p)
	if err != nil {
		return nil, fmt.Errorf("pool: %v", err)
	}
	return r, nil
}

func pool(x *tensor.Tensor, p PoolParams) (*tensor.Tensor, error) {
	if err := checkTensor("input", x); err != nil {
		return nil, err
	}
	if err := checkDType("input", x, floatTypes...); err != nil {
		return nil, err
	}
	if len(x.Shape) < 3 {
		return nil, fmt.Errorf("input %v: want rank ≥ 3 (N, C, spatial...)", x.Shape)
	}
	s := len(x.Shape) - 2
	if len(p.Window) != s || len(p.Strides) != s || len(p.PadsBegin) != s || len(p.PadsEnd) != s {
		return nil, fmt.Errorf("window %v, strides %v, pads %v/%v: want %d values each", p.Window, p.Strides, p.PadsBegin, p.PadsEnd, s)
	}
	if p.Kind > PoolMaxSkipNaN {
		return nil, fmt.Errorf("unknown kind %d", p.Kind)
	}
	if p.Kind != PoolAvg && p.CountIncludePad {
		return nil, fmt.Errorf("count_include_pad with max pooling")
	}
	in := []int(x.Shape[2:])
	outSp := make([]int, s)
	for j := range s {
		k, p0, p1 := p.Window[j], p.PadsBegin[j], p.PadsEnd[j]
		if k < 1 || p.Strides[j] < 1 {
			return nil, fmt.Errorf("window %v, strides %v: values must be ≥ 1", p.Window, p.Strides)
		}
		if p0 < 0 || p1 < 0 || p0 >= k || p1 >= k {
			return nil, fmt.Errorf("pads %v/%v: each must be in [0, window)", p.PadsBegin, p.PadsEnd)
		}
		span := in[j] + p0 + p1 - k
		if span < 0 {
			return nil, fmt.Errorf("spatial dimension %d: padded input %d is smaller than the window %d", j, in[j]+p0+p1, k)
		}
		outSp[j] = span/p.Strides[j] + 1
	}
	N, C := x.Shape[0], x.Shape[1]
	out, err := tensor.New(x.DType, append(tensor.Shape{N, C}, outSp...))
	if err != nil {
		return nil, err
	}
	if out.Len() == 0 {
		return out, nil
	}
	cp := ConvParams{Strides: p.Strides, Dilations: ones(s), PadsBegin: p.PadsBegin, PadsEnd: p.PadsEnd}
	tm := tapMaps(in, p.Window, outSp, cp)
	IS, OS, KS := prod(in), prod(outSp), prod(p.Window)
	// The divisor of an average: the window size, or the product over
	// dimensions of the number of taps inside x.
	var div []float32
	if p.Kind == PoolAvg {
		div = make([]float32, OS)
		cnt := make([][]int, s)
		for j := range s {
			cnt[j] = make([]int, outSp[j])
			for k := range p.Window[j] {
				for o, m := range tm[j][k] {
					if m >= 0 || p.CountIncludePad {
						cnt[j][o]++
					}
				}
			}
		}
		for i := range div {
			n, rest := 1, i
			for j := s - 1; j >= 0; j-- {
				n *= cnt[j][rest%outSp[j]]
				rest /= outSp[j]
			}
			div[i] = float32(n)
		}
	}
	spans := mapSpans(tm[s-1])
	parallelFor(N*C, KS*OS, func(lo, hi int) {
		maps := make([][]int, s)
		for nc := lo; nc < hi; nc++ {
			dst := out.F32[nc*OS : (nc+1)*OS]
			src := x.F32[nc*IS : (nc+1)*IS]
			switch p.Kind {
			case PoolMax:
				for i := range dst {
					dst[i] = float32(math.Inf(-1))
				}
			case PoolMaxSkipNaN:
				low := lowestFinite(x.DType)
				for i := range dst {
					dst[i] = low
				}
			}
			forTaps(tm, p.Window, maps, func(t int) {
				sp := spans[t%p.Window[s-1]]
				if sp.lo >= sp.hi {
					return
				}
				forRows(maps, func(o, base int) {
					d := dst[o+sp.lo : o+sp.hi]
					x := src[base+sp.first:]
					if p.Kind == PoolAvg {
						for i, j := 0, 0; i < len(d); i, j = i+1, j+sp.step {
							d[i] += x[j]
						}
						return
					}
					if p.Kind == PoolMaxSkipNaN {
						for i, j := 0, 0; i < len(d); i, j = i+1, j+sp.step {
							if v := x[j]; v > d[i] {
								d[i] = v
							}
						}
						return
					}
					for i, j := 0, 0; i < len(d); i, j = i+1, j+sp.step {
						if v := x[j]; v > d[i] || v != v {
							d[i] = v
						}
					}
				})
			})
			if p.Kind == PoolAvg {
				for i := range dst {
					dst[i] /= div[i]
				}
			}
		}
	})
	return finish(out), nil
}

// lowestFinite is the most negative finite value of a float element type
// (stored as float32): Eigen's NumTraits<T>::lowest().
func lowestFinite(dt tensor.DType) float32 {
	switch dt {
	case tensor.Float16:
		return -65504
	case tensor.BFloat16:
		return -math.Float32frombits(0x7f7f0000)
	}
	return -math.MaxFloat32
}

func ones(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = 1
	}
	return s
}
