package lower

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// reduce → IReduceLayer with the axes as a bitmask and keep_dims as is:
// sum, prod, max, min → kSUM, kPROD, kMAX, kMIN; mean → kAVG on floats.
// Integer mean truncates toward zero in the IR: kSUM then kDIV by the
// count (TensorRT's integer kDIV truncates). all / any: TensorRT reduces
// numbers only, so cast to i32, kMIN / kMAX, cast back to bool (exact: the
// values are 0 and 1). No axes: the operand itself, no layer. A keep_dims
// reduce whose only use is a reshape dropping the reduced dimensions (the
// pass pipeline's canonical form) is one Reduce without keep_dims.
//
// argmax, argmin → ITopKLayer kMAX / kMIN with k=1 on the axis, its index
// output (indices type = index_type, i32 or i64); keep_dims=false drops the
// axis with a Shuffle. TensorRT does not document how TopK breaks ties or
// orders NaN; the IR wants the smallest index among equals and never
// picks NaN (TensorFlow's kernel, which starts from the lowest finite
// value), while the reference executor orders NaN as the largest value:
// on lines holding NaN the two differ (case argmax_argmin_nan).
//
// topk → ITopKLayer kMAX, k, both outputs (indices i32). k ≤ 3840
// (TensorRT's limit). TensorRT's TopK works on one of the last four
// dimensions: an earlier axis is transposed to the end and back.
//
// softmax → ISoftMaxLayer with axes = 1<<axis.
//
// log_softmax: softmax then log would give -inf where the probability
// underflows (x - max < -104 in f32), so it is the IR's formula:
// d = x - max(x), d - log(sum(exp(d))), with max and sum as keep_dims
// Reduce layers (6 layers).
//
// l2_normalize: TensorRT has no L2 reduction and INormalizationLayer
// subtracts the mean, so it is the IR's formula x / sqrt(max(s, epsilon)),
// s = kSUM of x*x over the axes (kept): kPROD, Reduce kSUM, kMAX with an
// epsilon constant, kSQRT, kDIV (5 layers). f16 and bf16 x compute in
// kFLOAT between two Casts, as the IR computes in f32 and rounds once.
func init() {
	register(ir.OpReduce, rule{lower: lowerReduce})
	register(ir.OpArgMax, rule{lower: func(l *lowerer, op *ir.Op) error { return lowerArg(l, op, trt.TopKMax) }})
	register(ir.OpArgMin, rule{lower: func(l *lowerer, op *ir.Op) error { return lowerArg(l, op, trt.TopKMin) }})
	register(ir.OpTopK, rule{check: checkTopK, lower: lowerTopK})
	register(ir.OpSoftmax, rule{lower: lowerSoftmax})
	register(ir.OpLogSoftmax, rule{lower: lowerLogSoftmax})
	register(ir.OpL2Normalize, rule{lower: lowerL2Normalize})
}

func lowerL2Normalize(l *lowerer, op *ir.Op) error {
	xv := op.Args[0]
	x := l.tensor(xv)
	wide := xv.Type.DType != tensor.Float32
	if wide {
		x = l.cast(op, "f32", x, trt.Float)
	}
	axes := op.Ints("axes")
	sq := l.elementwise(op, "square", x, x, trt.ElementWiseProd)
	s := l.reduce(op, "sum", sq, trt.ReduceSum, axes, true)
	eps := l.scalar(op, "epsilon", tensor.Float32, float64(float32(op.Float("epsilon"))), xv.Type.Rank())
	m := l.elementwise(op, "max", s, eps, trt.ElementWiseMax)
	n := l.unary(op, "sqrt", m, trt.UnarySqrt)
	suffix := ""
	if wide {
		suffix = "div"
	}
	y := l.elementwise(op, suffix, x, n, trt.ElementWiseDiv)
	if wide {
		t, _ := trtType(xv.Type.DType)
		y = l.cast(op, "", y, t)
	}
	l.set(op.Result(), y)
	return nil
}

func lowerReduce(l *lowerer, op *ir.Op) error {
	if len(op.Ints("axes")) == 0 {
		l.alias(op)
		return nil
	}
	return reduceInto(l, op, op.Bool("keep_dims"), op.Result())
}

// reduceInto lowers a reduce op with the given keep_dims, recording the
// result as r's tensor (r is op's result, or the result of the reshape
// dropping the reduced unit dimensions that absorbed op).
func reduceInto(l *lowerer, op *ir.Op, keep bool, r *ir.Value) error {
	x := op.Args[0]
	axes := op.Ints("axes")
	in := l.tensor(x)
	dt := x.Type.DType
	switch kind := op.Str("kind"); kind {
	case "sum", "prod", "max", "min":
		red := map[string]trt.ReduceOperation{"sum": trt.ReduceSum, "prod": trt.ReduceProd, "max": trt.ReduceMax, "min": trt.ReduceMin}[kind]
		l.set(r, l.reduce(op, "", in, red, axes, keep))
	case "mean":
		if dt.IsFloat() {
			l.set(r, l.reduce(op, "", in, trt.ReduceAvg, axes, keep))
			break
		}
		count := 1
		for _, a := range axes {
			count *= x.Type.Shape[a]
		}
		s := l.reduce(op, "sum", in, trt.ReduceSum, axes, keep)
		c := l.scalar(op, "count", dt, float64(count), r.Type.Rank())
		l.set(r, l.elementwise(op, "", s, c, trt.ElementWiseDiv))
	case "all", "any":
		red := trt.ReduceMin
		if kind == "any" {
			red = trt.ReduceMax
		}
		i := l.cast(op, "to_int", in, trt.Int32)
		m := l.reduce(op, kind, i, red, axes, keep)
		l.set(r, l.cast(op, "", m, trt.Bool))
	default:
		return fmt.Errorf("unknown reduce kind %q", kind)
	}
	return nil
}

// absorbsReduce reports whether reshape only drops the unit dimensions a
// keep_dims reduce (used only by it) left: then one Reduce without
// keep_dims computes both.
func (l *lowerer) absorbsReduce(reshape *ir.Op) bool {
	a := reshape.Args[0]
	if !l.fusable(a, ir.OpReduce) || !a.Op.Bool("keep_dims") || len(a.Op.Ints("axes")) == 0 {
		return false
	}
	x := a.Op.Args[0].Type.Shape
	var dropped []int
	axes := a.Op.Ints("axes")
	for i, d := range x {
		reduced := false
		for _, ax := range axes {
			reduced = reduced || ax == i
		}
		if !reduced {
			dropped = append(dropped, d)
		}
	}
	return reshape.Result().Type.Shape.Equal(dropped)
}

// maxTopK is TensorRT's largest k.
const maxTopK = 3840

// topkAxes are the last dimensions TensorRT's TopK can work on.
const topkAxes = 4

func checkTopK(op *ir.Op) error {
	if k := op.Int("k"); k > maxTopK {
		return fmt.Errorf("k=%d exceeds TensorRT's TopK limit %d", k, maxTopK)
	}
	return nil
}

// topk adds a TopK layer over axis of x, transposing axis to the end first
// when TensorRT cannot reduce it in place. It returns the layer and the
// permutation applied (nil: none).
func (l *lowerer) topk(op *ir.Op, suffix string, x *ir.Value, axis, k int, typ trt.TopKOperation, indices tensor.DType) (trt.Layer, []int) {
	in := l.tensor(x)
	rank := x.Type.Rank()
	if rank == 1 {
		// TensorRT-RTX's TopK wants at least two dimensions (seen on the
		// H200: "at least 2 dimensions are required for input"): [1,N].
		in = l.reshape(op, "to_2d", in, trt.Dims{1, -1})
		layer := l.net.AddTopK(in, trt.TopK{Operation: typ, K: int32(k), ReduceAxes: 1 << 1, IndicesType: mustType(indices)})
		layer.SetName(l.layerName(op, suffix))
		return layer, nil
	}
	var perm []int
	if axis < rank-topkAxes {
		for i := range rank {
			if i != axis {
				perm = append(perm, i)
			}
		}
		perm = append(perm, axis)
		in = l.transpose(op, "to_last", in, perm)
		axis = rank - 1
	}
	layer := l.net.AddTopK(in, trt.TopK{Operation: typ, K: int32(k), ReduceAxes: 1 << uint(axis), IndicesType: mustType(indices)})
	layer.SetName(l.layerName(op, suffix))
	return layer, perm
}

// inverse returns the inverse of a permutation.
func inverse(perm []int) []int {
	inv := make([]int, len(perm))
	for i, p := range perm {
		inv[p] = i
	}
	return inv
}

func lowerArg(l *lowerer, op *ir.Op, typ trt.TopKOperation) error {
	x, r := op.Args[0], op.Result()
	axis := op.Int("axis")
	keep := op.Bool("keep_dims")
	suffix := "topk"
	if keep && axis >= x.Type.Rank()-topkAxes && x.Type.Rank() > 1 {
		suffix = "" // the TopK layer is the only one
	}
	layer, perm := l.topk(op, suffix, x, axis, 1, typ, op.DType("index_type"))
	if suffix == "" {
		l.set(r, layer.Output(1))
		return nil
	}
	p := trt.Shuffle{ReshapeDimensions: dims(r.Type.Shape)}
	if perm != nil {
		p.FirstTranspose = permutation(inverse(perm))
	}
	l.set(r, l.named(op, "", l.net.AddShuffle(layer.Output(1), p)))
	return nil
}

// lowerSoftmax: ISoftMaxLayer with axes = 1<<axis. TensorRT-RTX wants at
// least two dimensions (seen on the H200: "at least 2 dimensions are
// required for input"), so a vector goes through [1,N] and back.
func lowerSoftmax(l *lowerer, op *ir.Op) error {
	x, axis := l.tensor(op.Args[0]), op.Int("axis")
	if op.Args[0].Type.Rank() == 1 {
		x, axis = l.reshape(op, "to_2d", x, trt.Dims{1, -1}), 1
		s := l.named(op, "softmax", l.net.AddSoftMax(x, 1<<uint(axis)))
		l.set(op.Result(), l.reshape(op, "", s, trt.Dims{-1}))
		return nil
	}
	l.set(op.Result(), l.named(op, "", l.net.AddSoftMax(x, 1<<uint(axis))))
	return nil
}

func lowerTopK(l *lowerer, op *ir.Op) error {
	x := op.Args[0]
	layer, perm := l.topk(op, "", x, op.Int("axis"), op.Int("k"), trt.TopKMax, tensor.Int32)
	// A result nothing reads gets no reshape or transpose (a layer none
	// of whose outputs is used is invalid); it stands for the TopK
	// layer's own output, which may go unread.
	for i, name := range []string{"values", "indices"} {
		r, out := op.Results[i], layer.Output(i)
		switch {
		case perm == nil && x.Type.Rank() > 1, l.useCount(r) == 0 && !l.outs[r]:
			l.set(r, out)
		case x.Type.Rank() == 1: // topk made it [1,N]: back to vectors
			l.set(r, l.reshape(op, name, out, trt.Dims{-1}))
		default:
			l.set(r, l.transpose(op, name, out, inverse(perm)))
		}
	}
	return nil
}

func lowerLogSoftmax(l *lowerer, op *ir.Op) error {
	x := l.tensor(op.Args[0])
	axes := []int{op.Int("axis")}
	m := l.reduce(op, "max", x, trt.ReduceMax, axes, true)
	d := l.elementwise(op, "sub_max", x, m, trt.ElementWiseSub)
	e := l.unary(op, "exp", d, trt.UnaryExp)
	s := l.reduce(op, "sum", e, trt.ReduceSum, axes, true)
	lg := l.unary(op, "log", s, trt.UnaryLog)
	l.set(op.Result(), l.elementwise(op, "", d, lg, trt.ElementWiseSub))
	return nil
}
