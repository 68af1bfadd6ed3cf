package exec

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

// decodeWeights returns w as a tensor of the given shape (whose volume
// must be w.Count), in the element type DType(w.Type). Half and BF16
// values are exact in their float32 storage.
func decodeWeights(w trt.Weights, shape tensor.Shape) (*tensor.Tensor, error) {
	if _, err := DType(w.Type); err != nil {
		return nil, fmt.Errorf("weights: %v", err)
	}
	dims := make(trt.Dims, len(shape))
	for i, d := range shape {
		dims[i] = int64(d)
	}
	return w.Tensor(dims)
}

// floatWeights decodes float weights (kFLOAT, kHALF or kBF16) of the
// given shape and converts them to element type dt (rounding to half
// precision for f16).
func floatWeights(what string, w trt.Weights, shape tensor.Shape, dt tensor.DType) (*tensor.Tensor, error) {
	if w.Type != trt.Float && w.Type != trt.Half && w.Type != trt.BF16 {
		return nil, fmt.Errorf("%s weights have type %v, want kFLOAT, kHALF or kBF16", what, w.Type)
	}
	if w.Type == trt.Float && dt == tensor.Float32 && w.Count == int64(len(w.Values)/4) {
		// Kernels only read their operands: read the weights in place
		// instead of decoding 100 MB of them on every ResNet50 run.
		if t, ok := tensor.ViewLittleEndian(shape, w.Values); ok {
			return t, nil
		}
	}
	t, err := decodeWeights(w, shape)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", what, err)
	}
	if t.DType != dt {
		return kernels.Cast(t, dt)
	}
	return t, nil
}

// weightValues decodes float weights to float64 values (nil for empty
// weights).
func weightValues(what string, w trt.Weights) ([]float64, error) {
	if w.Empty() {
		return nil, nil
	}
	t, err := floatWeights(what, w, tensor.Shape{int(w.Count)}, tensor.Float32)
	if err != nil {
		return nil, err
	}
	v := make([]float64, len(t.F32))
	for i, x := range t.F32 {
		v[i] = float64(x)
	}
	return v, nil
}

// axesOf turns an axis bitmask into a sorted axis list; every set bit
// must be a dimension of a rank-r tensor.
func axesOf(mask uint32, r int) ([]int, error) {
	var axes []int
	for a := range 32 {
		if mask&(1<<a) == 0 {
			continue
		}
		if a >= r {
			return nil, fmt.Errorf("axes bitmask %#x names dimension %d of a rank-%d tensor", mask, a, r)
		}
		axes = append(axes, a)
	}
	return axes, nil
}

// oneAxis decodes a bitmask that must have exactly one bit.
func oneAxis(mask uint32, r int) (int, error) {
	axes, err := axesOf(mask, r)
	if err != nil {
		return 0, err
	}
	if len(axes) != 1 {
		return 0, fmt.Errorf("axes bitmask %#x must have exactly one bit set", mask)
	}
	return axes[0], nil
}

// dimsOr returns d as ints, or n copies of def for a nil d; a non-nil d
// must have n values.
func dimsOr(what string, d trt.Dims, n int, def int) ([]int, error) {
	out := make([]int, n)
	if d == nil {
		for i := range out {
			out[i] = def
		}
		return out, nil
	}
	if len(d) != n {
		return nil, fmt.Errorf("%s %v: want %d values", what, d, n)
	}
	for i, v := range d {
		if v < math.MinInt32 || v > math.MaxInt32 {
			return nil, fmt.Errorf("%s %v: value %d out of range", what, d, v)
		}
		out[i] = int(v)
	}
	return out, nil
}

// shapeOf converts TensorRT dimensions (all ≥ 0) to a shape.
func shapeOf(d trt.Dims) (tensor.Shape, error) {
	s := make(tensor.Shape, len(d))
	for i, v := range d {
		if v < 0 || v > tensor.MaxElements {
			return nil, fmt.Errorf("dimensions %v: bad dimension %d", d, v)
		}
		s[i] = int(v)
	}
	if _, err := s.NumElements(); err != nil {
		return nil, err
	}
	return s, nil
}

func isFloat(t *tensor.Tensor) bool { return t.DType.Storage() == tensor.StoreF32 }

func needFloat(what string, t *tensor.Tensor) error {
	if !isFloat(t) {
		return fmt.Errorf("%s has type %v, want a floating-point type", what, t.DType)
	}
	return nil
}

// take fills dst (of shape len(maps[k]) per dimension) from src: along
// dimension k, output index i reads source index maps[k][i], or the fill
// value where that is -1. src has shape srcShape.
func take(dst, src *tensor.Tensor, maps [][]int, fill *tensor.Tensor) {
	st := src.Shape.Strides()
	offs := make([][]int, len(maps))
	for k, m := range maps {
		o := make([]int, len(m))
		for i, j := range m {
			if j < 0 {
				o[i] = -1
			} else {
				o[i] = j * st[k]
			}
		}
		offs[k] = o
	}
	switch src.DType.Storage() {
	case tensor.StoreF32:
		takeT(dst.F32, src.F32, offs, fillValue(fill, func(t *tensor.Tensor) float32 { return t.F32[0] }))
	case tensor.StoreF64:
		takeT(dst.F64, src.F64, offs, fillValue(fill, func(t *tensor.Tensor) float64 { return t.F64[0] }))
	case tensor.StoreI32:
		takeT(dst.I32, src.I32, offs, fillValue(fill, func(t *tensor.Tensor) int32 { return t.I32[0] }))
	case tensor.StoreI64:
		takeT(dst.I64, src.I64, offs, fillValue(fill, func(t *tensor.Tensor) int64 { return t.I64[0] }))
	case tensor.StoreBool:
		takeT(dst.B, src.B, offs, fillValue(fill, func(t *tensor.Tensor) bool { return t.B[0] }))
	}
}

func fillValue[T any](fill *tensor.Tensor, get func(*tensor.Tensor) T) T {
	var v T
	if fill != nil {
		v = get(fill)
	}
	return v
}

// takeT walks the output in row-major order; offs[k][i] is the source
// offset contributed by index i of dimension k, or -1 for the fill value.
func takeT[T any](dst, src []T, offs [][]int, fill T) {
	if len(dst) == 0 {
		return
	}
	r := len(offs)
	if r == 0 {
		dst[0] = src[0]
		return
	}
	idx := make([]int, r)
	// base[k] is the source offset of dimensions < k, or -1 if any of
	// them is a fill position.
	base := make([]int, r+1)
	last := offs[r-1]
	for o := 0; o < len(dst); {
		for k := 0; k < r-1; k++ {
			b := base[k]
			if b >= 0 {
				if v := offs[k][idx[k]]; v >= 0 {
					b += v
				} else {
					b = -1
				}
			}
			base[k+1] = b
		}
		b := base[r-1]
		row := dst[o : o+len(last)]
		if b < 0 {
			for i := range row {
				row[i] = fill
			}
		} else {
			for i, v := range last {
				if v < 0 {
					row[i] = fill
				} else {
					row[i] = src[b+v]
				}
			}
		}
		o += len(last)
		for k := r - 2; k >= 0; k-- {
			idx[k]++
			if idx[k] < len(offs[k]) {
				break
			}
			idx[k] = 0
		}
	}
}

// mod is the non-negative remainder of a floored division (m > 0).
func mod(a, m int) int {
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}
