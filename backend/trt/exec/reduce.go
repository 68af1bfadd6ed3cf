package exec

import (
	"fmt"
	"math"
	"sort"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerReduce] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Reduce)
		return one(reduce(in[0], p))
	}
	layerKernels[trt.LayerSoftMax] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.SoftMax)
		return one(softMax(in[0], p.Axes))
	}
	layerKernels[trt.LayerTopK] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.TopK)
		v, idx, err := topK(in[0], p)
		if err != nil {
			return nil, err
		}
		return []*tensor.Tensor{v, idx}, nil
	}
	layerKernels[trt.LayerNormalization] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		p := l.Params.(trt.Normalization)
		return one(normalization(in[0], in[1], in[2], p))
	}
}

// reduce is IReduceLayer: ReduceAxes is a bitmask (bit i reduces
// dimension i), KeepDimensions keeps them as 1. Inputs are floats, kINT32
// or kINT64 (not bool). Integer kAVG truncates. Reducing an empty volume
// gives NvInfer.h's table: kSUM 0, kPROD 1, kMAX -inf / the type's
// minimum, kMIN +inf / the maximum, kAVG NaN for floats and 0 for
// integers.
func reduce(x *tensor.Tensor, p trt.Reduce) (*tensor.Tensor, error) {
	if !isFloat(x) && x.DType != tensor.Int32 && x.DType != tensor.Int64 {
		return nil, fmt.Errorf("input has type %v, want a float, int32 or int64 type", x.DType)
	}
	axes, err := axesOf(p.ReduceAxes, len(x.Shape))
	if err != nil {
		return nil, err
	}
	kind, ok := map[trt.ReduceOperation]kernels.ReduceKind{
		trt.ReduceSum: kernels.ReduceSum, trt.ReduceProd: kernels.ReduceProd,
		trt.ReduceMax: kernels.ReduceMax, trt.ReduceMin: kernels.ReduceMin,
		trt.ReduceAvg: kernels.ReduceMean,
	}[p.Operation]
	if !ok {
		return nil, fmt.Errorf("unknown reduce operation %v", p.Operation)
	}
	empty := false
	for _, a := range axes {
		empty = empty || x.Shape[a] == 0
	}
	if !empty {
		return kernels.Reduce(x, kind, axes, p.KeepDimensions)
	}
	var shape tensor.Shape
	for i, d := range x.Shape {
		switch {
		case p.ReduceAxes&(1<<i) == 0:
			shape = append(shape, d)
		case p.KeepDimensions:
			shape = append(shape, 1)
		}
	}
	y, err := tensor.New(x.DType, shape)
	if err != nil {
		return nil, err
	}
	var f float64
	var lo, hi int64 = math.MinInt64, math.MaxInt64
	if x.DType == tensor.Int32 {
		lo, hi = math.MinInt32, math.MaxInt32
	}
	var iv int64
	switch p.Operation {
	case trt.ReduceProd:
		f, iv = 1, 1
	case trt.ReduceMax:
		f, iv = math.Inf(-1), lo
	case trt.ReduceMin:
		f, iv = math.Inf(1), hi
	case trt.ReduceAvg:
		f = math.NaN()
	}
	for i := range y.Len() {
		switch y.DType.Storage() {
		case tensor.StoreF32:
			y.F32[i] = float32(f)
		case tensor.StoreI32:
			y.I32[i] = int32(iv)
		case tensor.StoreI64:
			y.I64[i] = iv
		}
	}
	return y, nil
}

// softMax is ISoftMaxLayer: Axes has exactly one bit.
func softMax(x *tensor.Tensor, axes uint32) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	a, err := oneAxis(axes, len(x.Shape))
	if err != nil {
		return nil, err
	}
	return kernels.Softmax(x, a)
}

// maxTopK is the largest K TensorRT supports.
const maxTopK = 3840

// topK is ITopKLayer: the K largest (kMAX) or smallest (kMIN) elements
// along the one axis of ReduceAxes, sorted largest (smallest) first, and
// their indices as IndicesType (kINT32 or kINT64). Among equal values the
// lower index comes first; NaN counts as larger than any number.
func topK(x *tensor.Tensor, p trt.TopK) (values, indices *tensor.Tensor, err error) {
	if !isFloat(x) && x.DType != tensor.Int32 && x.DType != tensor.Int64 {
		return nil, nil, fmt.Errorf("input has type %v, want a float, int32 or int64 type", x.DType)
	}
	if p.Operation != trt.TopKMax && p.Operation != trt.TopKMin {
		return nil, nil, fmt.Errorf("unknown topk operation %v", p.Operation)
	}
	it, err := DType(p.IndicesType)
	if err != nil || (it != tensor.Int32 && it != tensor.Int64) {
		return nil, nil, fmt.Errorf("indices type %v, want kINT32 or kINT64", p.IndicesType)
	}
	axis, err := oneAxis(p.ReduceAxes, len(x.Shape))
	if err != nil {
		return nil, nil, err
	}
	n := x.Shape[axis]
	k := int(p.K)
	if k < 1 || k > maxTopK || k > n {
		return nil, nil, fmt.Errorf("top-k count K=%d outside [1, min(%d, %d)]", p.K, maxTopK, n)
	}
	outer, inner := 1, 1
	for _, d := range x.Shape[:axis] {
		outer *= d
	}
	for _, d := range x.Shape[axis+1:] {
		inner *= d
	}
	shape := x.Shape.Clone()
	shape[axis] = k
	values = tensor.MustNew(x.DType, shape)
	indices = tensor.MustNew(it, shape)
	// before(a, b) reports whether element a sorts before element b
	// (offsets into x).
	var before func(a, b int) bool
	isMax := p.Operation == trt.TopKMax
	switch x.DType.Storage() {
	case tensor.StoreF32:
		before = func(a, b int) bool {
			va, vb := x.F32[a], x.F32[b]
			switch na, nb := va != va, vb != vb; {
			case na && nb:
				return false
			case na: // NaN is the largest
				return isMax
			case nb:
				return !isMax
			case isMax:
				return va > vb
			}
			return va < vb
		}
	case tensor.StoreI32:
		before = func(a, b int) bool { return (x.I32[a] > x.I32[b]) == isMax && x.I32[a] != x.I32[b] }
	case tensor.StoreI64:
		before = func(a, b int) bool { return (x.I64[a] > x.I64[b]) == isMax && x.I64[a] != x.I64[b] }
	}
	order := make([]int, n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			for j := range order {
				order[j] = j
			}
			sort.SliceStable(order, func(p, q int) bool { return before(base+order[p]*inner, base+order[q]*inner) })
			for j := range k {
				src := base + order[j]*inner
				dst := o*k*inner + j*inner + i
				switch x.DType.Storage() {
				case tensor.StoreF32:
					values.F32[dst] = x.F32[src]
				case tensor.StoreI32:
					values.I32[dst] = x.I32[src]
				case tensor.StoreI64:
					values.I64[dst] = x.I64[src]
				}
				if it == tensor.Int32 {
					indices.I32[dst] = int32(order[j])
				} else {
					indices.I64[dst] = int64(order[j])
				}
			}
		}
	}
	return values, indices, nil
}

// normalization is INormalizationLayer:
//
//	y = (x - mean) / sqrt(var + epsilon) * scale + bias
//
// with mean and (population) variance over the Axes bitmask, or, with
// NbGroups > 1, over each group of NbGroups channel groups (dimension 1)
// and the Axes (which must then be every dimension after the channels).
// scale and bias have the input's rank and broadcast to it; with groups
// they may instead have NbGroups values along dimension 1 (TensorRT's
// addNormalization form for GroupNormalization), one per group.
func normalization(x, sc, bias *tensor.Tensor, p trt.Normalization) (*tensor.Tensor, error) {
	if err := needFloat("input", x); err != nil {
		return nil, err
	}
	if sc.DType != x.DType || bias.DType != x.DType {
		return nil, fmt.Errorf("input, scale and bias have types %v, %v and %v, want one type", x.DType, sc.DType, bias.DType)
	}
	if !sc.Shape.Equal(bias.Shape) {
		return nil, fmt.Errorf("scale %v and bias %v have different dimensions", sc.Shape, bias.Shape)
	}
	r := len(x.Shape)
	axes, err := axesOf(p.Axes, r)
	if err != nil {
		return nil, err
	}
	if len(axes) == 0 {
		return nil, fmt.Errorf("axes bitmask %#x is empty", p.Axes)
	}
	g, err := groupsOf(p.NbGroups)
	if err != nil {
		return nil, err
	}
	reduced := make([]bool, r)
	for _, a := range axes {
		reduced[a] = true
	}
	perGroupParams := false
	if g > 1 {
		if r < 2 || x.Shape[1]%g != 0 {
			return nil, fmt.Errorf("%d groups do not divide the channels of %v", g, x.Shape)
		}
		for i := range r {
			if reduced[i] != (i >= 2) {
				return nil, fmt.Errorf("with %d groups the axes bitmask %#x must name exactly the dimensions after the channels", g, p.Axes)
			}
		}
		perGroupParams = len(sc.Shape) == r && sc.Shape[1] == g && g != x.Shape[1]
		if perGroupParams {
			for i, d := range sc.Shape {
				if i != 1 && d != 1 {
					perGroupParams = false
				}
			}
		}
	}
	if !perGroupParams {
		if len(sc.Shape) != r {
			return nil, fmt.Errorf("scale %v must have the input's rank %d", sc.Shape, r)
		}
		for i, d := range sc.Shape {
			if d != 1 && d != x.Shape[i] {
				return nil, fmt.Errorf("scale %v does not broadcast to the input %v", sc.Shape, x.Shape)
			}
		}
	}
	// Normalize: each output element belongs to one reduction set,
	// identified by its coordinates on the kept dimensions (and, with
	// groups, its channel group instead of its channel).
	// radix[i] is the number of reduction sets along dimension i.
	radix := make([]int, r)
	nsets := 1
	for i := range r {
		switch {
		case reduced[i]:
			radix[i] = 1
		case g > 1 && i == 1:
			radix[i] = g
		default:
			radix[i] = x.Shape[i]
		}
		nsets *= radix[i]
	}
	n := x.Len()
	xs := x.Shape.Strides()
	set := make([]int, n) // reduction set of each element
	for e := range n {
		rem, id := e, 0
		for i := range r {
			c := rem / xs[i]
			rem %= xs[i]
			switch {
			case reduced[i]:
				c = 0
			case g > 1 && i == 1:
				c /= x.Shape[1] / g
			}
			id = id*radix[i] + c
		}
		set[e] = id
	}
	sum := make([]float64, nsets)
	cnt := make([]float64, nsets)
	for e, v := range x.F32 {
		sum[set[e]] += float64(v)
		cnt[set[e]]++
	}
	mean := make([]float64, nsets)
	for s := range mean {
		mean[s] = sum[s] / cnt[s]
	}
	vr := make([]float64, nsets)
	for e, v := range x.F32 {
		d := float64(v) - mean[set[e]]
		vr[set[e]] += d * d
	}
	ss := sc.Shape.Strides()
	y := tensor.MustNew(x.DType, x.Shape)
	eps := float64(p.Epsilon)
	for e, v := range x.F32 {
		s := set[e]
		rem := e
		off := 0
		for i := range r {
			c := rem / xs[i]
			rem %= xs[i]
			if perGroupParams {
				if i == 1 {
					off += c / (x.Shape[1] / g) * ss[1]
				}
			} else if sc.Shape[i] != 1 {
				off += c * ss[i]
			}
		}
		norm := (float64(v) - mean[s]) / math.Sqrt(vr[s]/cnt[s]+eps)
		y.F32[e] = float32(norm*float64(sc.F32[off]) + float64(bias.F32[off]))
	}
	y.RoundToDType()
	return y, nil
}
