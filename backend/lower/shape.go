package lower

import (
	"fmt"
	"slices"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Shape values (ir/ops_shape.go) become TensorRT shape tensors:
//
//   - shape → IShapeLayer (kINT64), cast to kINT32 for dtype i32;
//   - the integer arithmetic on it is lowered as any other op
//     (IGatherLayer, IReduceLayer, IConcatenationLayer, IElementWiseLayer,
//     ...), which TensorRT evaluates as shape tensors;
//   - dynamic_reshape → IShuffleLayer whose reshape dimensions are its
//     input 1 (setInput(1, shape)), zeroIsPlaceholder false: TensorRT
//     resolves the -1 from the volume, as the IR does;
//   - dynamic_slice → ISliceLayer with its start and stride and its size
//     input 2 (setInput(2, size)), in kWRAP mode where a start counts
//     from the end;
//   - dynamic_broadcast → ISliceLayer with start 0, its size input 2 the
//     shape (setInput(2, shape)) and stride 0 where x's (symbolic) type
//     has a dimension of 1 (1 elsewhere), so every output index reads x's
//     only index there:
//     onnx-tensorrt's Expand. An x of lower rank is first reshaped with
//     leading 1s (x must then have a static type).
//
// The layers' parameters do not depend on the sizes, so LowerDynamic's
// two static instances agree and the generalized network reads the
// sizes when it runs.
func init() {
	register(ir.OpShape, rule{lower: func(l *lowerer, op *ir.Op) error {
		s := l.named(op, "", l.net.AddShape(l.tensor(op.Args[0])))
		if op.DType("dtype") == tensor.Int32 {
			s = l.cast(op, "i32", s, trt.Int32)
		}
		l.set(op.Result(), s)
		return nil
	}})
	register(ir.OpDynamicReshape, rule{lower: func(l *lowerer, op *ir.Op) error {
		l.set(op.Result(), l.named(op, "", l.net.AddShuffle(l.tensor(op.Args[0]), trt.Shuffle{ReshapeTensor: l.tensor(op.Args[1])})))
		return nil
	}})
	register(ir.OpDynamicBroadcast, rule{check: checkDynamicBroadcast, lower: lowerDynamicBroadcast})
	register(ir.OpDynamicTile, rule{lower: lowerDynamicTile})
	register(ir.OpRange, rule{lower: lowerRange})
	register(ir.OpDynamicSlice, rule{lower: lowerDynamicSlice})
}

// lowerDynamicSlice: an ISliceLayer with dynamic_slice's start and stride
// and its size (input 2) the size operand, a shape tensor (kINT64). A
// negative start counts from the end: in kWRAP mode TensorRT reads index
// i < 0 at d+i, which is dynamic_slice's meaning because its type rule
// keeps every index read from the end in [-d, 0) (and every other one in
// [0, d), where kWRAP reads what kSTRICT_BOUNDS does). Without a negative
// start the mode is kSTRICT_BOUNDS.
func lowerDynamicSlice(l *lowerer, op *ir.Op) error {
	size := l.tensor(op.Args[1])
	if op.Args[1].Type.DType != tensor.Int64 {
		size = l.cast(op, "size", size, trt.Int64)
	}
	start := op.Ints("start")
	mode := trt.SampleStrictBounds
	if slices.ContainsFunc(start, func(s int) bool { return s < 0 }) {
		mode = trt.SampleWrap
	}
	l.set(op.Result(), l.named(op, "", l.net.AddSlice(l.tensor(op.Args[0]), trt.Slice{
		Start: dimsOf(start...), Stride: dimsOf(op.Ints("stride")...), Mode: mode, SizeTensor: size})))
	return nil
}

// lowerDynamicTile: an ISliceLayer in kWRAP mode reading x from 0 with
// stride 1, its size (input 2) shape(x) * multiples.
func lowerDynamicTile(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	rank := x.Type.Rank()
	m := l.tensor(op.Args[1])
	if op.Args[1].Type.DType != tensor.Int64 {
		m = l.cast(op, "multiples", m, trt.Int64)
	}
	s := l.named(op, "shape", l.net.AddShape(l.tensor(x)))
	size := l.named(op, "size", l.net.AddElementWise(s, m, trt.ElementWiseProd))
	l.set(r, l.named(op, "", l.net.AddSlice(l.tensor(x), trt.Slice{Start: make(trt.Dims, rank), Stride: ones(rank), Mode: trt.SampleWrap, SizeTensor: size})))
	return nil
}

// lowerRange: an IFillLayer kLINSPACE (alpha start, beta delta) whose
// dimensions (input 0) are [ceil((limit-start)/delta)], computed on the
// shape tensor limit as floor((±(limit-start) + |delta| - 1) / |delta|).
func lowerRange(l *lowerer, op *ir.Op) error {
	start, err := constShape(op.Args[0])
	if err != nil {
		return err
	}
	delta, err := constShape(op.Args[2])
	if err != nil {
		return err
	}
	dt := mustType(op.Result().Type.DType)
	lim := l.reshape(op, "limit", l.tensor(op.Args[1]), trt.Dims{1})
	k := func(suffix string, v int64) trt.Tensor {
		t := tensor.MustNew(op.Args[1].Type.DType, tensor.Shape{1})
		if t.DType == tensor.Int32 {
			t.I32[0] = int32(v)
		} else {
			t.I64[0] = v
		}
		return l.constant(op, suffix, t, trt.Dims{1})
	}
	ad := max(delta, -delta)
	var span trt.Tensor
	if delta > 0 {
		span = l.elementwise(op, "span", lim, k("start", start), trt.ElementWiseSub)
	} else {
		span = l.elementwise(op, "span", k("start", start), lim, trt.ElementWiseSub)
	}
	n := l.elementwise(op, "round", span, k("round_up", ad-1), trt.ElementWiseSum)
	n = l.elementwise(op, "count", n, k("delta", ad), trt.ElementWiseFloorDiv)
	l.set(op.Result(), l.named(op, "", l.net.AddFill(trt.Fill{Operation: trt.FillLinspace, ToType: dt,
		Alpha: float64(start), Beta: float64(delta), DimensionsTensor: n})))
	return nil
}

// constShape is the constant value of a scalar shape value.
func constShape(v *ir.Value) (int64, error) {
	vals, err := ir.ShapeValue(v)
	if err != nil {
		return 0, err
	}
	c, ok := vals[0].Value()
	if !ok {
		return 0, fmt.Errorf("%v is not a constant", vals[0])
	}
	return c, nil
}

func checkDynamicBroadcast(op *ir.Op) error {
	x, r := op.Args[0].Type, op.Result().Type
	if x.Rank() < r.Rank() && x.Symbolic() {
		return fmt.Errorf("broadcast of %v (symbolic) to rank %d: the leading 1s would need a shape tensor", x, r.Rank())
	}
	return nil
}

func lowerDynamicBroadcast(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	rank := r.Type.Rank()
	in := l.tensorRank(op, x, rank)
	start, stride := make(trt.Dims, rank), make(trt.Dims, rank)
	off := rank - x.Type.Rank()
	xt := x.Type
	if s := l.sym[op]; s != nil {
		xt = s.Args[0].Type // the symbolic type: a dimension that is 1 for every size
	}
	for i := range stride {
		stride[i] = 1
		if i < off || xt.Shape[i-off] == 1 {
			stride[i] = 0
		}
	}
	l.set(r, l.named(op, "", l.net.AddSlice(in, trt.Slice{Start: start, Stride: stride, SizeTensor: l.tensor(op.Args[1])})))
	return nil
}

// dynSize returns the shape tensor shape(x)*mul + add (per dimension,
// kINT64), the size of a layer computed from x's dimensions when the
// network runs: in a dynamic network a size that a parameter would hold
// (a tiled or padded dimension) comes from it.
func (l *lowerer) dynSize(op *ir.Op, suffix string, x trt.Tensor, mul, add []int64) trt.Tensor {
	s := l.named(op, suffix+"/shape", l.net.AddShape(x))
	n := trt.Dims{int64(len(mul))}
	m := l.constant(op, suffix+"/mul", tensor.FromI64(tensor.Shape{len(mul)}, mul), n)
	s = l.named(op, suffix+"/scaled", l.net.AddElementWise(s, m, trt.ElementWiseProd))
	if !slices.ContainsFunc(add, func(v int64) bool { return v != 0 }) {
		return s
	}
	a := l.constant(op, suffix+"/add", tensor.FromI64(tensor.Shape{len(add)}, add), n)
	return l.named(op, suffix+"/size", l.net.AddElementWise(s, a, trt.ElementWiseSum))
}
