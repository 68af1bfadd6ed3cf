package ir

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpReduce, OpInfo{
		Name: "reduce", Family: "reduce", Summary: "sum, mean, max, min, prod, all, any over axes",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "kind", Kind: AttrString, Enum: []string{"sum", "mean", "max", "min", "prod", "all", "any"}},
			{Name: "axes", Kind: AttrInts},
			{Name: "keep_dims", Kind: AttrBool},
		},
		Infer: inferReduce,
	})
	argAttrs := []AttrSpec{
		{Name: "axis", Kind: AttrInt},
		{Name: "keep_dims", Kind: AttrBool},
		{Name: "index_type", Kind: AttrDType},
	}
	register(OpArgMax, OpInfo{
		Name: "argmax", Family: "reduce", Summary: "index of the largest element along an axis",
		MinArgs: 1, MaxArgs: 1, NumResults: 1, Attrs: argAttrs, Infer: inferArg,
	})
	register(OpArgMin, OpInfo{
		Name: "argmin", Family: "reduce", Summary: "index of the smallest element along an axis",
		MinArgs: 1, MaxArgs: 1, NumResults: 1, Attrs: argAttrs, Infer: inferArg,
	})
	register(OpTopK, OpInfo{
		Name: "topk", Family: "reduce", Summary: "k largest elements along an axis and their indices",
		MinArgs: 1, MaxArgs: 1, NumResults: 2,
		Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}, {Name: "k", Kind: AttrInt}},
		Infer: inferTopK,
	})
	register(OpSoftmax, OpInfo{
		Name: "softmax", Family: "reduce", Summary: "exp(x) / sum(exp(x)) along an axis",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferSoftmax,
	})
	register(OpLogSoftmax, OpInfo{
		Name: "log_softmax", Family: "reduce", Summary: "x - max - log(sum(exp(x - max))) along an axis",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{{Name: "axis", Kind: AttrInt}}, Infer: inferSoftmax,
	})
	register(OpL2Normalize, OpInfo{
		Name: "l2_normalize", Family: "reduce", Summary: "x / sqrt(max(sum(x²) over axes, epsilon))",
		MinArgs: 1, MaxArgs: 1, NumResults: 1,
		Attrs: []AttrSpec{{Name: "axes", Kind: AttrInts}, {Name: "epsilon", Kind: AttrFloat}},
		Infer: inferL2Normalize,
	})
}

// l2_normalize: x scaled to unit L2 norm over a set of axes
// (tf.math.l2_normalize, Keras UnitNormalization).
//
//	%r = l2_normalize(%x) {axes=[1], epsilon=1e-12} : T
//
// x is f32, f16 or bf16; axes are distinct, in [0, rank), increasing and
// not empty; epsilon is not NaN. With s = sum of x*x over axes (keeping
// them, so s broadcasts over x), r = x / sqrt(max(s, epsilon)), computed in
// f32 and rounded to T once: a zero slice gives zeros when epsilon > 0,
// NaN when epsilon ≤ 0 (0/0), as TensorFlow's x * rsqrt(max(s, epsilon)).
// The result has x's type.
func inferL2Normalize(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "operand", floatDTypes...); err != nil {
		return nil, err
	}
	axes := op.Ints("axes")
	if len(axes) == 0 {
		return nil, fmt.Errorf("axes are empty")
	}
	if err := checkAxes(axes, x.Rank(), "axes"); err != nil {
		return nil, err
	}
	for i := 1; i < len(axes); i++ {
		if axes[i] <= axes[i-1] {
			return nil, fmt.Errorf("axes %v are not increasing", axes)
		}
	}
	if math.IsNaN(op.Float("epsilon")) {
		return nil, fmt.Errorf("epsilon is NaN")
	}
	return []Type{{DType: x.DType, Shape: x.Shape.Clone()}}, nil
}

// reduce: reduction over a set of axes.
//
//	%r = reduce(%x) {kind="sum", axes=[1,2], keep_dims=true} : T
//
// axes: distinct, in [0, rank), in increasing order (may be empty: r = x).
// kind sum, mean, max, min, prod need f32, f16, bf16, i32 or i64; all and any need
// bool. The result has x's element type and x's shape with the reduced axes
// set to 1 (keep_dims=true) or removed (keep_dims=false).
// sum/prod of no elements is 0/1; max/min/mean of no elements are errors at
// run time. Floats accumulate in f32 (f64 is not used); mean is sum / count,
// integer mean truncates toward zero.
func inferReduce(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	kind := op.Str("kind")
	var err error
	if kind == "all" || kind == "any" {
		err = requireDType(x.DType, "operand", boolDTypes...)
	} else {
		err = requireDType(x.DType, "operand", numericDTypes...)
	}
	if err != nil {
		return nil, err
	}
	axes := op.Ints("axes")
	if err := checkAxes(axes, x.Rank(), "axes"); err != nil {
		return nil, err
	}
	for i := 1; i < len(axes); i++ {
		if axes[i] < axes[i-1] {
			return nil, fmt.Errorf("axes=%v: want increasing order", axes)
		}
	}
	return []Type{{DType: x.DType, Shape: reducedShape(x.Shape, axes, op.Bool("keep_dims"))}}, nil
}

func reducedShape(s tensor.Shape, axes []int, keep bool) tensor.Shape {
	out := tensor.Shape{}
	for i, d := range s {
		reduced := false
		for _, a := range axes {
			reduced = reduced || a == i
		}
		switch {
		case !reduced:
			out = append(out, d)
		case keep:
			out = append(out, 1)
		}
	}
	return out
}

// argmax, argmin: position of the extreme element along one axis.
//
//	%r = argmax(%x) {axis=1, keep_dims=false, index_type=i64} : i64[...]
//
// x: f32, f16, bf16, i32 or i64, rank ≥ 1, with a non-empty axis. axis in
// [0, rank). The result has element type index_type (i32 or i64) and x's
// shape with axis removed (or 1 with keep_dims). Ties resolve to the
// smallest index. For floats, as TensorFlow's CPU kernel: the search
// starts from the element type's lowest finite value (argmax; the largest
// for argmin) at index 0 and only a strictly better element replaces it,
// so NaN never wins and a line of only NaN and -Inf (+Inf for argmin)
// gives 0.
func inferArg(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "operand", numericDTypes...); err != nil {
		return nil, err
	}
	if err := requireDType(op.DType("index_type"), "index_type", indexDTypes...); err != nil {
		return nil, err
	}
	axis := op.Int("axis")
	if err := checkAxes([]int{axis}, x.Rank(), "axis"); err != nil {
		return nil, err
	}
	if x.Shape[axis] == 0 {
		return nil, fmt.Errorf("axis %d of %v is empty", axis, x.Shape)
	}
	return []Type{{DType: op.DType("index_type"), Shape: reducedShape(x.Shape, []int{axis}, op.Bool("keep_dims"))}}, nil
}

// topk: the k largest elements along an axis, in decreasing order.
//
//	%v, %i = topk(%x) {axis=1, k=5} : f32[2,5], i32[2,5]
//
// x: f32, f16, bf16, i32 or i64, rank ≥ 1; axis in [0, rank); 1 ≤ k ≤ x's size
// along axis. Results: the values (x's element type) and their indices
// (i32) along axis, both with x's shape where axis has size k. Among equal
// values the smaller index comes first.
func inferTopK(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "operand", numericDTypes...); err != nil {
		return nil, err
	}
	axis, k := op.Int("axis"), op.Int("k")
	if err := checkAxes([]int{axis}, x.Rank(), "axis"); err != nil {
		return nil, err
	}
	if k < 1 || k > x.Shape[axis] {
		return nil, fmt.Errorf("k=%d out of range [1,%d]", k, x.Shape[axis])
	}
	s := x.Shape.Clone()
	s[axis] = k
	return []Type{{DType: x.DType, Shape: s}, {DType: tensor.Int32, Shape: s.Clone()}}, nil
}

// softmax, log_softmax: normalised exponentials along one axis.
//
//	%r = softmax(%x) {axis=1} : T
//
// x: f32, f16 or bf16 (computed in f32, rounded once), rank ≥ 1; axis in [0, rank). Result type = x's type.
//
//	softmax:     r = exp(x - m) / Σ exp(x - m)
//	log_softmax: r = (x - m) - log(Σ exp(x - m))
//
// where m is the maximum along axis and Σ sums along axis.
func inferSoftmax(op *Op) ([]Type, error) {
	x := op.Args[0].Type
	if err := requireDType(x.DType, "operand", floatDTypes...); err != nil {
		return nil, err
	}
	if err := checkAxes([]int{op.Int("axis")}, x.Rank(), "axis"); err != nil {
		return nil, err
	}
	return []Type{{DType: x.DType, Shape: x.Shape.Clone()}}, nil
}
