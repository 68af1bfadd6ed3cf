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
