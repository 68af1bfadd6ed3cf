package lower

import (
	"math"
	"strconv"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Layout ops. An op that changes nothing (same-shape reshape, identity
// transpose, full slice, zero pads, unit tiles, same-shape broadcast,
// single-operand concat) adds no layer.
//
//	reshape    IShuffleLayer reshape (ZeroIsPlaceholder=false: real sizes);
//	           a single-use constant is re-emitted with the new dimensions
//	transpose  IShuffleLayer first transpose (TensorRT's Permutation order[i]
//	           = input dimension of output dimension i, the IR's perm)
//	           A transpose feeding only a reshape, or a reshape feeding only a
//	           transpose, shares one Shuffle (transpose, reshape, transpose).
//	concat     IConcatenationLayer
//	slice      ISliceLayer kSTRICT_BOUNDS (start, size, stride as given)
//	pad        ISliceLayer starting at -begins, of the padded size:
//	             constant  kFILL, the value a scalar Constant fill input
//	                       (none for +0: TensorRT fills 0)
//	             reflect   kREFLECT (mirror about the edge element, numpy
//	                       "reflect"; the IR's pads are < dim, one reflection)
//	             edge      kCLAMP
//	             symmetric TensorRT has no mirror that repeats the edge: per
//	                       padded axis an IGatherLayer with constant indices
//	                       (2 layers per axis)
//	tile       ISliceLayer kWRAP of the tiled size: index i mod dim
//	broadcast  ISliceLayer kWRAP of the target size on the operand reshaped
//	           to the target rank: along a dimension of 1, i mod 1 = 0
//	gather     IGatherLayer kDEFAULT, axis, NbElementWiseDims = batch_dims.
//	           TensorRT allows at most one elementwise dimension: with
//	           batch_dims ≥ 2 the batch dimensions of data and indices are
//	           merged into one by Shuffles, and split again after.
func init() {
	register(ir.OpReshape, rule{lower: lowerReshape})
	register(ir.OpTranspose, rule{lower: lowerTranspose})
	register(ir.OpConcat, rule{lower: lowerConcat})
	register(ir.OpSlice, rule{lower: lowerSlice})
	register(ir.OpPad, rule{lower: lowerPad})
	register(ir.OpTile, rule{lower: lowerTile})
	register(ir.OpBroadcast, rule{lower: lowerBroadcast})
	register(ir.OpGather, rule{lower: lowerGather})
}

// fusable reports whether v is defined by an op of opcode opc whose result
// is used once and is not an output, so its consumer may absorb it.
func (l *lowerer) fusable(v *ir.Value, opc ir.Opcode) bool {
	return v.Op.Opcode == opc && l.useCount(v) == 1 && !l.outs[v]
}

// planShuffles marks the transposes and reshapes that the Shuffle of their
// only consumer absorbs.
func planShuffles(l *lowerer, f *ir.Func) {
	for _, op := range f.Ops {
		if l.skip[op] {
			continue
		}
		switch op.Opcode {
		case ir.OpReshape:
			if l.absorbsReduce(op) {
				l.fused[op.Args[0].Op] = true
				continue
			}
			// A Shuffle is transpose, reshape, transpose: a transpose
			// that already absorbed a reshape stays a layer.
			if a := op.Args[0]; l.fusable(a, ir.OpTranspose) && !isIdentityPerm(a.Op.Ints("perm")) && !l.fused[a.Op.Args[0].Op] {
				l.fused[a.Op] = true
			}
		case ir.OpTranspose:
			// Not a reshape that absorbed a reduce: that is a Reduce layer.
			if a := op.Args[0]; l.fusable(a, ir.OpReshape) && !isIdentityPerm(op.Ints("perm")) &&
				!(l.fused[a.Op.Args[0].Op] && a.Op.Args[0].Op.Opcode == ir.OpReduce) {
				l.fused[a.Op] = true
			}
		}
	}
	for op := range l.fused {
		l.skip[op] = true
	}
}

func isIdentityPerm(perm []int) bool {
	for i, p := range perm {
		if p != i {
			return false
		}
	}
	return true
}

// reshapeSource returns the tensor a reshape op reads and the first
// transpose its Shuffle applies (an absorbed transpose), or nil.
func (l *lowerer) reshapeSource(reshape *ir.Op) (trt.Tensor, trt.Permutation) {
	a := reshape.Args[0]
	if l.fused[a.Op] && a.Op.Opcode == ir.OpTranspose {
		return l.tensor(a.Op.Args[0]), permutation(a.Op.Ints("perm"))
	}
	return l.tensor(a), nil
}

func lowerReshape(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	if l.fused[x.Op] && x.Op.Opcode == ir.OpReduce {
		return reduceInto(l, x.Op, false, r)
	}
	if x.Type.Shape.Equal(r.Type.Shape) && !l.fused[x.Op] {
		l.alias(op)
		return nil
	}
	if isConst(x) {
		l.set(r, l.tensorAs(op, "", x, dims(r.Type.Shape)))
		return nil
	}
	in, first := l.reshapeSource(op)
	l.set(r, l.named(op, "", l.net.AddShuffle(in, trt.Shuffle{FirstTranspose: first, ReshapeDimensions: dims(r.Type.Shape)})))
	return nil
}

func lowerTranspose(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	perm := op.Ints("perm")
	if isIdentityPerm(perm) {
		l.alias(op)
		return nil
	}
	if l.fused[x.Op] && x.Op.Opcode == ir.OpReshape {
		in, first := l.reshapeSource(x.Op)
		l.set(r, l.named(op, "", l.net.AddShuffle(in, trt.Shuffle{
			FirstTranspose:    first,
			ReshapeDimensions: dims(x.Type.Shape),
			SecondTranspose:   permutation(perm),
		})))
		return nil
	}
	l.set(r, l.transpose(op, "", l.tensor(x), perm))
	return nil
}

func lowerConcat(l *lowerer, op *ir.Op) error {
	if len(op.Args) == 1 {
		l.alias(op)
		return nil
	}
	ts := make([]trt.Tensor, len(op.Args))
	for i, a := range op.Args {
		ts[i] = l.tensor(a)
	}
	l.set(op.Result(), l.named(op, "", l.net.AddConcatenation(ts, int32(op.Int("axis")))))
	return nil
}

func lowerSlice(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	start, size, stride := op.Ints("start"), op.Ints("size"), op.Ints("stride")
	full := true
	st := make([]int, len(start))
	for i := range start {
		st[i] = start[i]
		if size[i] == 0 {
			st[i] = 0 // nothing is read; keep the start in bounds
		}
		full = full && start[i] == 0 && stride[i] == 1 && size[i] == x.Type.Shape[i]
	}
	if full {
		l.alias(op)
		return nil
	}
	l.set(r, l.named(op, "", l.net.AddSlice(l.tensor(x), trt.Slice{
		Start:  dimsOf(st...),
		Size:   dimsOf(size...),
		Stride: dimsOf(stride...),
		Mode:   trt.SampleStrictBounds,
	})))
	return nil
}

func lowerPad(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	rank := x.Type.Rank()
	pads := op.Ints("pads")
	zero := true
	for _, p := range pads {
		zero = zero && p == 0
	}
	if zero {
		l.alias(op)
		return nil
	}
	mode := op.Str("mode")
	if mode == "symmetric" {
		return lowerSymmetricPad(l, op)
	}
	start := make(trt.Dims, rank)
	for i := range rank {
		start[i] = -int64(pads[i])
	}
	p := trt.Slice{Start: start, Size: dims(r.Type.Shape), Stride: ones(rank)}
	if l.symbolicResult(op) {
		// The padded size is shape(x) + pre + post when the network runs.
		mul, add := make([]int64, rank), make([]int64, rank)
		for i := range rank {
			mul[i], add[i] = 1, int64(pads[i]+pads[rank+i])
		}
		p.Size, p.SizeTensor = nil, l.dynSize(op, "size", l.tensor(x), mul, add)
	}
	switch mode {
	case "constant":
		p.Mode = trt.SampleFill
		if v := op.Float("value"); v != 0 || math.Signbit(v) {
			p.Fill = l.constant(op, "value", tensor.Scalar(x.Type.DType, v), trt.Dims{})
		}
	case "reflect":
		p.Mode = trt.SampleReflect
	case "edge":
		p.Mode = trt.SampleClamp
	}
	l.set(r, l.named(op, "", l.net.AddSlice(l.tensor(x), p)))
	return nil
}

// lowerSymmetricPad gathers, along each padded axis, the indices of the
// symmetric (edge-repeating) mirror: i < 0 reads -i-1, i ≥ d reads 2d-i-1.
func lowerSymmetricPad(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	rank := x.Type.Rank()
	pads := op.Ints("pads")
	var axes []int
	for i := range rank {
		if pads[i] != 0 || pads[rank+i] != 0 {
			axes = append(axes, i)
		}
	}
	t := l.tensor(x)
	for n, axis := range axes {
		d, b, e := x.Type.Shape[axis], pads[axis], pads[rank+axis]
		idx := make([]int32, 0, d+b+e)
		for i := -b; i < d+e; i++ {
			j := i
			if j < 0 {
				j = -j - 1
			}
			if j >= d {
				j = 2*d - j - 1
			}
			idx = append(idx, int32(j))
		}
		suffix := ""
		if n < len(axes)-1 {
			suffix = "axis" + strconv.Itoa(axis)
		}
		c := l.constant(op, "indices"+strconv.Itoa(axis), tensor.FromI32(tensor.Shape{len(idx)}, idx), dimsOf(len(idx)))
		t = l.named(op, suffix, l.net.AddGather(t, c, trt.Gather{Axis: int32(axis), Mode: trt.GatherDefault}))
	}
	l.set(r, t)
	return nil
}

func lowerTile(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	if x.Type.Shape.Equal(r.Type.Shape) {
		l.alias(op)
		return nil
	}
	p := trt.Slice{
		Start:  make(trt.Dims, x.Type.Rank()),
		Size:   dims(r.Type.Shape),
		Stride: ones(x.Type.Rank()),
		Mode:   trt.SampleWrap,
	}
	if l.symbolicResult(op) {
		// The tiled size is shape(x)*multiples when the network runs.
		mul := make([]int64, x.Type.Rank())
		for i, m := range op.Ints("multiples") {
			mul[i] = int64(m)
		}
		p.Size, p.SizeTensor = nil, l.dynSize(op, "size", l.tensor(x), mul, make([]int64, len(mul)))
	}
	l.set(r, l.named(op, "", l.net.AddSlice(l.tensor(x), p)))
	return nil
}

func lowerBroadcast(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	if x.Type.Shape.Equal(r.Type.Shape) {
		l.alias(op)
		return nil
	}
	t := l.tensorRank(op, x, r.Type.Rank())
	if r.Type.Rank() > x.Type.Rank() && padded(x.Type.Shape, r.Type.Rank()).Equal(r.Type.Shape) {
		l.set(r, t) // only new leading 1s
		return nil
	}
	l.set(r, l.broadcastTo(op, "", t, r.Type.Shape))
	return nil
}

// padded is s with leading 1s up to rank r.
func padded(s tensor.Shape, r int) tensor.Shape {
	p := make(tensor.Shape, r-len(s), r)
	for i := range p {
		p[i] = 1
	}
	return append(p, s...)
}

func lowerGather(l *lowerer, op *ir.Op) error {
	x, idx, r := op.Args[0], op.Args[1], op.Result()
	axis, bd := op.Int("axis"), op.Int("batch_dims")
	if bd <= 1 {
		l.set(r, l.named(op, "", l.net.AddGather(l.tensor(x), l.tensor(idx), trt.Gather{
			Axis: int32(axis), NbElementWiseDims: int32(bd), Mode: trt.GatherDefault,
		})))
		return nil
	}
	// Merge the batch dimensions into one.
	b := 1
	for _, d := range x.Type.Shape[:bd] {
		b *= d
	}
	xd := append(tensor.Shape{b}, x.Type.Shape[bd:]...)
	id := append(tensor.Shape{b}, idx.Type.Shape[bd:]...)
	xt := l.tensorAs(op, "merge_batch", x, dims(xd))
	it := l.tensorAs(op, "merge_batch_indices", idx, dims(id))
	g := l.named(op, "gather", l.net.AddGather(xt, it, trt.Gather{
		Axis: int32(axis - bd + 1), NbElementWiseDims: 1, Mode: trt.GatherDefault,
	}))
	l.set(r, l.reshape(op, "", g, dims(r.Type.Shape)))
	return nil
}
