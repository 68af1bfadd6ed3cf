package kernels

import (
	"fmt"
	"sort"

	"github.com/tfc-dev/tfc/tensor"
)

// ReduceKind selects the reduction of Reduce.
type ReduceKind uint8

// The reductions. Sum, Mean, Max, Min and Prod take f32, f16, i32 or i64;
// All and Any take bool.
const (
	ReduceSum ReduceKind = iota
	ReduceMean
	ReduceMax
	ReduceMin
	ReduceProd
	ReduceAll
	ReduceAny
)

var reduceNames = [...]string{"sum", "mean", "max", "min", "prod", "all", "any"}

func (k ReduceKind) String() string {
	if int(k) < len(reduceNames) {
		return reduceNames[k]
	}
	return fmt.Sprintf("ReduceKind(%d)", uint8(k))
}

// ParseReduceKind maps a name (sum, mean, max, min, prod, all, any) to its kind.
func ParseReduceKind(s string) (ReduceKind, bool) {
	for i, n := range reduceNames {
		if n == s {
			return ReduceKind(i), true
		}
	}
	return 0, false
}

// reducedShape is s with axes set to 1 (keep) or removed.
func reducedShape(s tensor.Shape, axes []bool, keep bool) tensor.Shape {
	out := tensor.Shape{}
	for i, d := range s {
		switch {
		case !axes[i]:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return out
}

// axisSet checks axes (distinct, in [0, rank)) and returns them as a mask.
func axisSet(axes []int, rank int) ([]bool, error) {
	set := make([]bool, rank)
	for _, a := range axes {
		if a < 0 || a >= rank {
			return nil, fmt.Errorf("axis %d out of range for rank %d", a, rank)
		}
		if set[a] {
			return nil, fmt.Errorf("axis %d repeated", a)
		}
		set[a] = true
	}
	return set, nil
}

// Reduce reduces x over axes (distinct, in [0, rank), any order; empty:
// a copy of x). The result has x's dtype and x's shape with the reduced
// axes set to 1 (keepDims) or removed. Sum and Prod of no elements are 0
// and 1; Max, Min and Mean of no elements are errors. Floats accumulate
// in float32 (sums pairwise); Mean is sum / count, truncating for integers;
// Max and Min propagate NaN.
func Reduce(x *tensor.Tensor, kind ReduceKind, axes []int, keepDims bool) (*tensor.Tensor, error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("reduce: %v", err)
	}
	var err error
	switch kind {
	case ReduceAll, ReduceAny:
		err = checkDType("operand", x, boolTypes...)
	case ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd:
		err = checkDType("operand", x, numericTypes...)
	default:
		err = fmt.Errorf("unknown kind %d", kind)
	}
	if err != nil {
		return nil, fmt.Errorf("reduce %v: %v", kind, err)
	}
	set, err := axisSet(axes, len(x.Shape))
	if err != nil {
		return nil, fmt.Errorf("reduce %v: %v", kind, err)
	}
	// Bring the reduced axes last (a copy unless they already are), so
	// that every output element reduces one contiguous row.
	var perm []int
	for i := range set {
		if !set[i] {
			perm = append(perm, i)
		}
	}
	kept := len(perm)
	for i := range set {
		if set[i] {
			perm = append(perm, i)
		}
	}
	src := x
	for i, p := range perm {
		if p != i {
			if src, err = Transpose(x, perm); err != nil {
				return nil, err
			}
			break
		}
	}
	outer, inner := 1, 1
	for _, p := range perm[:kept] {
		outer *= x.Shape[p]
	}
	for _, p := range perm[kept:] {
		inner *= x.Shape[p]
	}
	out := tensor.MustNew(x.DType, reducedShape(x.Shape, set, keepDims))
	if inner == 0 && outer > 0 && (kind == ReduceMax || kind == ReduceMin || kind == ReduceMean) {
		return nil, fmt.Errorf("reduce %v: no elements to reduce", kind)
	}
	switch x.DType.Storage() {
	case tensor.StoreF32:
		for i := range outer {
			out.F32[i] = reduceF32(kind, src.F32[i*inner:(i+1)*inner])
		}
		finish(out)
	case tensor.StoreI32:
		for i := range outer {
			out.I32[i] = reduceInt(kind, src.I32[i*inner:(i+1)*inner])
		}
	case tensor.StoreI64:
		for i := range outer {
			out.I64[i] = reduceInt(kind, src.I64[i*inner:(i+1)*inner])
		}
	case tensor.StoreBool:
		for i := range outer {
			row := src.B[i*inner : (i+1)*inner]
			r := kind == ReduceAll
			for _, v := range row {
				if v != r {
					r = v
					break
				}
			}
			out.B[i] = r
		}
	}
	return out, nil
}

// sumF32 adds x pairwise in float32 (error O(log n) rather than O(n)).
func sumF32(x []float32) float32 {
	if len(x) <= 64 {
		var s float32
		for _, v := range x {
			s += v
		}
		return s
	}
	h := len(x) / 2
	return sumF32(x[:h]) + sumF32(x[h:])
}

func reduceF32(kind ReduceKind, row []float32) float32 {
	switch kind {
	case ReduceSum:
		return sumF32(row)
	case ReduceMean:
		return sumF32(row) / float32(len(row))
	case ReduceProd:
		p := float32(1)
		for _, v := range row {
			p *= v
		}
		return p
	case ReduceMax:
		m := row[0]
		for _, v := range row {
			if v > m || v != v {
				m = v
				if v != v {
					break
				}
			}
		}
		return m
	case ReduceMin:
		m := row[0]
		for _, v := range row {
			if v < m || v != v {
				m = v
				if v != v {
					break
				}
			}
		}
		return m
	}
	panic("unreachable")
}

func reduceInt[T integer](kind ReduceKind, row []T) T {
	switch kind {
	case ReduceSum, ReduceMean:
		var s T
		for _, v := range row {
			s += v
		}
		if kind == ReduceMean {
			s /= T(len(row))
		}
		return s
	case ReduceProd:
		p := T(1)
		for _, v := range row {
			p *= v
		}
		return p
	case ReduceMax:
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		return m
	case ReduceMin:
		m := row[0]
		for _, v := range row {
			m = min(m, v)
		}
		return m
	}
	panic("unreachable")
}

// axisView splits shape around axis: the product of the dimensions
// before it, its size, and the product of those after.
func axisView(s tensor.Shape, axis int) (outer, n, inner int) {
	outer, inner = 1, 1
	for _, d := range s[:axis] {
		outer *= d
	}
	for _, d := range s[axis+1:] {
		inner *= d
	}
	return outer, s[axis], inner
}

// ArgMax returns the index of the largest element along axis, as
// indexType (i32 or i64), with axis removed (or kept as 1), as
// TensorFlow's CPU kernel (Eigen's argmax reducer) finds it: the best
// value starts as the element type's lowest finite value at index 0, and
// an element replaces it only when strictly larger. Ties resolve to the
// smallest index, NaN never wins, and a line of NaN and -Inf gives 0.
func ArgMax(x *tensor.Tensor, axis int, keepDims bool, indexType tensor.DType) (*tensor.Tensor, error) {
	return argExtreme(x, axis, keepDims, indexType, true)
}

// ArgMin is ArgMax for the smallest element: the best value starts as the
// largest finite value, NaN never wins, a line of NaN and +Inf gives 0.
func ArgMin(x *tensor.Tensor, axis int, keepDims bool, indexType tensor.DType) (*tensor.Tensor, error) {
	return argExtreme(x, axis, keepDims, indexType, false)
}

func argExtreme(x *tensor.Tensor, axis int, keepDims bool, indexType tensor.DType, isMax bool) (*tensor.Tensor, error) {
	name := "argmin"
	if isMax {
		name = "argmax"
	}
	if err := checkTensor("operand", x); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if err := checkDType("operand", x, numericTypes...); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if indexType != tensor.Int32 && indexType != tensor.Int64 {
		return nil, fmt.Errorf("%s: index type %v, want i32 or i64", name, indexType)
	}
	if axis < 0 || axis >= len(x.Shape) {
		return nil, fmt.Errorf("%s: axis %d out of range for rank %d", name, axis, len(x.Shape))
	}
	outer, n, inner := axisView(x.Shape, axis)
	if n == 0 {
		return nil, fmt.Errorf("%s: axis %d of %v is empty", name, axis, x.Shape)
	}
	set := make([]bool, len(x.Shape))
	set[axis] = true
	out := tensor.MustNew(indexType, reducedShape(x.Shape, set, keepDims))
	idx := make([]int, outer*inner)
	switch x.DType.Storage() {
	case tensor.StoreF32:
		low := lowestFinite(x.DType)
		argFrom(idx, x.F32, outer, n, inner, low, -low, isMax)
	case tensor.StoreI32:
		argT(idx, x.I32, outer, n, inner, func(v, best int32) bool { return (v > best) == isMax && v != best })
	case tensor.StoreI64:
		argT(idx, x.I64, outer, n, inner, func(v, best int64) bool { return (v > best) == isMax && v != best })
	}
	for i, v := range idx {
		if out.I32 != nil {
			out.I32[i] = int32(v)
		} else {
			out.I64[i] = int64(v)
		}
	}
	return out, nil
}

// argT finds, for each (outer, inner), the first index along the axis
// whose element no later one beats (better reports v beats best).
// argFrom is argT for floats in TensorFlow's way: the best value starts
// at start (the lowest finite value for argmax, the largest for argmin)
// with index 0, and only a strictly better element replaces it.
func argFrom(idx []int, x []float32, outer, n, inner int, low, high float32, isMax bool) {
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			best, bi := high, 0
			if isMax {
				best = low
			}
			for j := range n {
				v := x[base+j*inner]
				if isMax && v > best || !isMax && v < best {
					best, bi = v, j
				}
			}
			idx[o*inner+i] = bi
		}
	}
}

func argT[T any](idx []int, x []T, outer, n, inner int, better func(v, best T) bool) {
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			best, bi := x[base], 0
			for j := 1; j < n; j++ {
				if v := x[base+j*inner]; better(v, best) {
					best, bi = v, j
				}
			}
			idx[o*inner+i] = bi
		}
	}
}

// TopK returns the k largest elements along axis in decreasing order and
// their indices (i32); among equal values the smaller index comes first,
// and NaN counts as larger than any number. 1 ≤ k ≤ the axis size.
func TopK(x *tensor.Tensor, axis, k int) (values, indices *tensor.Tensor, err error) {
	if err := checkTensor("operand", x); err != nil {
		return nil, nil, fmt.Errorf("topk: %v", err)
	}
	if err := checkDType("operand", x, numericTypes...); err != nil {
		return nil, nil, fmt.Errorf("topk: %v", err)
	}
	if axis < 0 || axis >= len(x.Shape) {
		return nil, nil, fmt.Errorf("topk: axis %d out of range for rank %d", axis, len(x.Shape))
	}
	outer, n, inner := axisView(x.Shape, axis)
	if k < 1 || k > n {
		return nil, nil, fmt.Errorf("topk: k=%d out of range [1,%d]", k, n)
	}
	shape := x.Shape.Clone()
	shape[axis] = k
	values = tensor.MustNew(x.DType, shape)
	indices = tensor.MustNew(tensor.Int32, shape)
	order := make([]int, n)
	key := make([]float64, n)
	for o := range outer {
		for i := range inner {
			base := o*n*inner + i
			for j := range n {
				order[j] = j
				key[j] = x.Float64At(base + j*inner)
				if x.DType.Storage() == tensor.StoreI64 {
					key[j] = 0 // compared exactly below
				}
			}
			less := func(a, b int) bool { // a sorts before b
				if x.DType.Storage() == tensor.StoreI64 {
					return x.I64[base+a*inner] > x.I64[base+b*inner]
				}
				va, vb := key[a], key[b]
				if va != va {
					return vb == vb
				}
				return va > vb
			}
			sort.SliceStable(order, func(p, q int) bool { return less(order[p], order[q]) })
			for j := range k {
				src := base + order[j]*inner
				dst := o*k*inner + j*inner + i
				indices.I32[dst] = int32(order[j])
				switch x.DType.Storage() {
				case tensor.StoreF32:
					values.F32[dst] = x.F32[src]
				case tensor.StoreI32:
					values.I32[dst] = x.I32[src]
				case tensor.StoreI64:
					values.I64[dst] = x.I64[src]
				}
			}
		}
	}
	return values, indices, nil
}

// L2Normalize is x / sqrt(max(sum(x*x over axes), epsilon)), the sum
// keeping the reduced axes so that it broadcasts back over x. It computes
// in f32 (an f16 or bf16 x is widened first) and rounds to x's dtype once.
func L2Normalize(x *tensor.Tensor, axes []int, epsilon float32) (*tensor.Tensor, error) {
	if err := checkDType("operand", x, floatTypes...); err != nil {
		return nil, fmt.Errorf("l2_normalize: %v", err)
	}
	xf := x
	if x.DType != tensor.Float32 {
		var err error
		if xf, err = Cast(x, tensor.Float32); err != nil {
			return nil, err
		}
	}
	sq, err := Binary(Mul, xf, xf)
	if err != nil {
		return nil, err
	}
	s, err := Reduce(sq, ReduceSum, axes, true)
	if err != nil {
		return nil, fmt.Errorf("l2_normalize: %v", err)
	}
	m, err := Binary(Max, s, tensor.FromF32(tensor.Shape{}, []float32{epsilon}))
	if err != nil {
		return nil, err
	}
	r, err := Unary(Sqrt, m, UnaryParams{})
	if err != nil {
		return nil, err
	}
	y, err := Binary(Div, xf, r)
	if err != nil || x.DType == tensor.Float32 {
		return y, err
	}
	return Cast(y, x.DType)
}
