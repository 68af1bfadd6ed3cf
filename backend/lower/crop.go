package lower

import (
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// crop_and_resize → the IR's own arithmetic in ElementWise, Unary, Select,
// Cast and Gather layers (no new layer kind; TensorRT's IGridSampleLayer
// computes its sample points from a [-1, 1] grid with other roundings, so
// it would not reproduce TensorFlow's coordinates):
//
//   - per box and output row, in_y with the IR's f32 steps in the same order
//     (Sub, Prod, Div, Prod, Sum against a constant 0..ch-1 row; for ch = 1,
//     Sum, Prod by 0.5, Prod by H-1); in_x likewise per column;
//   - valid = (in ≥ 0) AND (in ≤ H-1), each ≥/≤ an OR of GREATER/LESS and
//     EQUAL so that NaN is invalid; invalid coordinates are replaced by 0
//     before they become indices;
//   - bilinear: Floor and Ceil give the source rows and columns (Cast to
//     kINT32, exact for values in [0, H-1]); the four corners are one Gather
//     each from the image flattened to [N*H*W, C] at (b*H + row)*W + col;
//     the lerps are the IR's three Sub/Prod/Sum chains;
//     nearest: the IR rounds halves away from zero, and coordinates here are
//     ≥ 0, so the index is floor(c) + (c - floor(c) ≥ 0.5) (c - floor(c) is
//     exact in f32); one Gather;
//   - a Select by valid_y AND valid_x puts extrapolation_value outside.
//
// Every step is one IEEE f32 operation in both places, so the reference
// executor reproduces the interpreter bit for bit. On a GPU, TensorRT may
// fuse a product and a sum into one FMA, or use an approximate division,
// which can move a coordinate by an ulp (and a bilinear value by about
// 1e-6 relative). box_ind outside [0, N) is an error in TensorFlow and the
// interpreter; TensorRT's Gather does not check it.
func init() {
	register(ir.OpCropAndResize, rule{lower: lowerCropAndResize})
}

func lowerCropAndResize(l *lowerer, op *ir.Op) error {
	img, boxes, ind, r := op.Args[0], op.Args[1], op.Args[2], op.Result()
	n, h, w, c := img.Type.Shape[0], img.Type.Shape[1], img.Type.Shape[2], img.Type.Shape[3]
	b := boxes.Type.Shape[0]
	cs := op.Ints("crop_size")
	ch, cw := cs[0], cs[1]
	nearest := op.Str("mode") == "nearest"

	flat := l.tensorAs(op, "flat", img, dimsOf(n*h*w, c))
	bt := l.tensor(boxes)
	col := func(i int, name string) trt.Tensor {
		return l.named(op, name, l.net.AddSlice(bt, trt.Slice{Start: dimsOf(0, i), Size: dimsOf(b, 1), Stride: dimsOf(1, 1)}))
	}
	y1, x1, y2, x2 := col(0, "y1"), col(1, "x1"), col(2, "y2"), col(3, "x2")

	// Source indices, lerp weights and validity of the rows ([B,ch]) and
	// of the columns ([B,cw]).
	ya := cropAxis(l, op, "y", y1, y2, h, ch, nearest)
	xa := cropAxis(l, op, "x", x1, x2, w, cw, nearest)

	// Flat row offsets (box_ind*H + row)*W as [B,ch,1], columns as [B,1,cw].
	bi := l.tensorAs(op, "box_ind", ind, dimsOf(b, 1))
	bh := l.elementwise(op, "box_ind*H", bi, l.scalar(op, "H", tensor.Int32, float64(h), 2), trt.ElementWiseProd)
	rowBase := func(rows trt.Tensor, name string) trt.Tensor {
		s := l.elementwise(op, name+"+row", bh, rows, trt.ElementWiseSum)
		s = l.elementwise(op, name+"*W", s, l.scalar(op, name+"/W", tensor.Int32, float64(w), 2), trt.ElementWiseProd)
		return l.reshape(op, name+"/rows", s, dimsOf(b, ch, 1))
	}
	colIdx := func(cols trt.Tensor, name string) trt.Tensor {
		return l.reshape(op, name+"/cols", cols, dimsOf(b, 1, cw))
	}
	gather := func(rows, cols trt.Tensor, name string) trt.Tensor {
		idx := l.elementwise(op, name+"/index", rows, cols, trt.ElementWiseSum)
		return l.named(op, name, l.net.AddGather(flat, idx, trt.Gather{Axis: 0, Mode: trt.GatherDefault}))
	}

	var out trt.Tensor
	if nearest {
		out = gather(rowBase(ya.lo, "top"), colIdx(xa.lo, "left"), "sample")
	} else {
		top, bot := rowBase(ya.lo, "top"), rowBase(ya.hi, "bottom")
		left, right := colIdx(xa.lo, "left"), colIdx(xa.hi, "right")
		tl, tr := gather(top, left, "top_left"), gather(top, right, "top_right")
		bl, br := gather(bot, left, "bottom_left"), gather(bot, right, "bottom_right")
		lx := l.reshape(op, "x_lerp", xa.frac, dimsOf(b, 1, cw, 1))
		ly := l.reshape(op, "y_lerp", ya.frac, dimsOf(b, ch, 1, 1))
		lerp := func(a, z, t trt.Tensor, name string) trt.Tensor {
			d := l.elementwise(op, name+"/diff", z, a, trt.ElementWiseSub)
			d = l.elementwise(op, name+"/scaled", d, t, trt.ElementWiseProd)
			return l.elementwise(op, name, a, d, trt.ElementWiseSum)
		}
		out = lerp(lerp(tl, tr, lx, "top"), lerp(bl, br, lx, "bottom"), ly, "bilinear")
	}
	vy := l.reshape(op, "y_valid4", ya.valid, dimsOf(b, ch, 1, 1))
	vx := l.reshape(op, "x_valid4", xa.valid, dimsOf(b, 1, cw, 1))
	valid := l.elementwise(op, "valid", vy, vx, trt.ElementWiseAnd)
	extrap := l.scalar(op, "extrapolation_value", tensor.Float32, op.Float("extrapolation_value"), 4)
	l.set(r, l.named(op, "", l.net.AddSelect(valid, out, extrap)))
	return nil
}

// cropCoords are one axis's sample points: lo (and hi, bilinear only) are
// kINT32 source indices, frac the lerp weight, valid the kBOOL mask.
type cropCoords struct{ lo, hi, frac, valid trt.Tensor }

// cropAxis computes in_y (or in_x) for every box and output index, as
// inferCropAndResize specifies, from the box columns lo and hi ([B,1]) and
// the image size m along the axis; n is the crop size along it.
func cropAxis(l *lowerer, op *ir.Op, axis string, lo, hi trt.Tensor, m, n int, nearest bool) cropCoords {
	sfx := func(s string) string { return axis + "/" + s }
	f32 := func(name string, v float64) trt.Tensor { return l.scalar(op, sfx(name), tensor.Float32, v, 2) }
	m1 := f32("size-1", float64(m-1))
	var in trt.Tensor
	if n == 1 {
		s := l.elementwise(op, sfx("lo+hi"), lo, hi, trt.ElementWiseSum)
		s = l.elementwise(op, sfx("centre"), s, f32("half", 0.5), trt.ElementWiseProd)
		in = l.elementwise(op, sfx("in"), s, m1, trt.ElementWiseProd)
	} else {
		d := l.elementwise(op, sfx("hi-lo"), hi, lo, trt.ElementWiseSub)
		d = l.elementwise(op, sfx("extent"), d, m1, trt.ElementWiseProd)
		scale := l.elementwise(op, sfx("scale"), d, f32("n-1", float64(n-1)), trt.ElementWiseDiv)
		start := l.elementwise(op, sfx("start"), lo, m1, trt.ElementWiseProd)
		iota := tensor.MustNew(tensor.Float32, tensor.Shape{1, n})
		for i := range iota.F32 {
			iota.F32[i] = float32(i)
		}
		step := l.elementwise(op, sfx("step"), l.constant(op, sfx("iota"), iota, dimsOf(1, n)), scale, trt.ElementWiseProd)
		in = l.elementwise(op, sfx("in"), start, step, trt.ElementWiseSum)
	}
	zero := f32("zero", 0)
	orEq := func(name string, strict trt.ElementWiseOperation, bound trt.Tensor) trt.Tensor {
		s := l.elementwise(op, sfx(name+"/strict"), in, bound, strict)
		e := l.elementwise(op, sfx(name+"/equal"), in, bound, trt.ElementWiseEqual)
		return l.elementwise(op, sfx(name), s, e, trt.ElementWiseOr)
	}
	valid := l.elementwise(op, sfx("valid"), orEq(">=0", trt.ElementWiseGreater, zero), orEq("<=size-1", trt.ElementWiseLess, m1), trt.ElementWiseAnd)
	safe := l.named(op, sfx("safe"), l.net.AddSelect(valid, in, zero))
	fl := l.unary(op, sfx("floor"), safe, trt.UnaryFloor)
	frac := l.elementwise(op, sfx("frac"), safe, fl, trt.ElementWiseSub)
	cc := cropCoords{frac: frac, valid: valid}
	if nearest {
		half := f32("half", 0.5)
		gt := l.elementwise(op, sfx("frac>0.5"), frac, half, trt.ElementWiseGreater)
		eq := l.elementwise(op, sfx("frac=0.5"), frac, half, trt.ElementWiseEqual)
		up := l.elementwise(op, sfx("round_up"), gt, eq, trt.ElementWiseOr)
		next := l.elementwise(op, sfx("floor+1"), fl, f32("one", 1), trt.ElementWiseSum)
		rounded := l.named(op, sfx("round"), l.net.AddSelect(up, next, fl))
		cc.lo = l.cast(op, sfx("index"), rounded, trt.Int32)
		return cc
	}
	cc.lo = l.cast(op, sfx("floor/index"), fl, trt.Int32)
	cc.hi = l.cast(op, sfx("ceil/index"), l.unary(op, sfx("ceil"), safe, trt.UnaryCeil), trt.Int32)
	return cc
}
