package lower

import (
	"fmt"
	"strconv"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// resize → IResizeLayer with explicit output dimensions: mode nearest /
// linear → kNEAREST / kLINEAR; coord asymmetric, align_corners, half_pixel
// → kASYMMETRIC, kALIGN_CORNERS, kHALF_PIXEL; nearest_rounding floor, ceil,
// round_prefer_floor, round_prefer_ceil → kFLOOR, kCEIL, kHALF_DOWN,
// kHALF_UP. align_corners maps a 1-pixel output to pixel 0 (the IR's
// c = 0 for out = 1): SelectorForSinglePixel kUPPER; the others use the
// formula.
//
// tf_half_pixel_for_nn (TensorFlow's nearest-neighbour rule, c = (o+0.5)*s
// with s = in/out, index floor(c)) is kHALF_PIXEL with kHALF_UP:
// kHALF_PIXEL gives c' = (o+0.5)*s - 0.5 and kHALF_UP rounds it to
// floor(c' + 0.5). In real numbers floor(c' + 0.5) = floor(c). In f32, let
// t = fl((o+0.5)*s), the same product in both; then
//   - for 0.25 ≤ t ≤ 1, t - 0.5 is exact (Sterbenz), and for 1 < t < 2^23,
//     0.5 is a multiple of ulp(t), so t - 0.5 is a multiple of ulp(t) below
//     t, representable: exact; adding 0.5 back is exact too and gives t;
//   - for 0 ≤ t < 0.25, c' = fl(t - 0.5) is in [-0.5, -0.25], so c' + 0.5 is
//     in [0, 0.25] and floors to 0 = floor(t).
//
// So both pick floor(t), then clamp to [0, in-1] (t ≥ 2^23 means an index
// past any tensor TensorRT can hold along one axis). tf_half_pixel_for_nn
// is only defined here with nearest and floor rounding, as the frontend
// emits it.
//
// TensorRT resizes the last 8 dimensions in nearest mode and the last 3
// in linear mode: a linear resize changing an earlier dimension is
// reported unsupported.
//
// IResizeLayer takes float (and int8) data only. A nearest resize of
// integers or bools (the IR allows any element type) is, along each
// resized axis, an IGatherLayer with constant indices: the IR's own
// nearest rule applied to 0, 1, ..., in-1 (evaluated with the reference
// kernel, so the indices are the IR's by construction). Exact, 2 layers
// per resized axis.
func init() {
	register(ir.OpResize, rule{check: checkResize, lower: lowerResize})
	register(ir.OpDynamicResize, rule{check: checkDynamicResize, lower: lowerDynamicResize})
}

func checkResize(op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	mode, coord := op.Str("mode"), op.Str("coord")
	if coord == "tf_half_pixel_for_nn" && (mode != "nearest" || op.Str("nearest_rounding") != "floor") {
		return fmt.Errorf("coord=tf_half_pixel_for_nn with mode=%s, nearest_rounding=%s (only nearest with floor has a TensorRT equivalent)", mode, op.Str("nearest_rounding"))
	}
	if mode == "linear" {
		rank := x.Type.Rank()
		for i := 0; i < rank-3; i++ {
			if x.Type.Shape[i] != r.Type.Shape[i] {
				return fmt.Errorf("linear resize of dimension %d of %d (TensorRT interpolates the last 3)", i, rank)
			}
		}
	}
	return nil
}

func lowerResize(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	if x.Type.Shape.Equal(r.Type.Shape) {
		l.alias(op) // every axis is copied
		return nil
	}
	if !x.Type.DType.IsFloat() {
		return lowerResizeByGather(l, op)
	}
	p := resizeParams(op)
	p.OutputDimensions = dims(r.Type.Shape)
	l.set(r, l.named(op, "", l.net.AddResize(l.tensor(x), p)))
	return nil
}

// checkDynamicResize: dynamic_resize as resize, of float data only (the
// gathers of an integer nearest resize have sizes fixed when built).
func checkDynamicResize(op *ir.Op) error {
	if !op.Args[0].Type.DType.IsFloat() {
		return fmt.Errorf("dynamic resize of %v: TensorRT resizes float data only", op.Args[0].Type)
	}
	return checkResize(op)
}

// lowerDynamicResize: the IResizeLayer of resize, its output dimensions
// input 1 (setInput(1, shape)).
func lowerDynamicResize(l *lowerer, op *ir.Op) error {
	p := resizeParams(op)
	p.OutputTensor = l.tensor(op.Args[1])
	l.set(op.Result(), l.named(op, "", l.net.AddResize(l.tensor(op.Args[0]), p)))
	return nil
}

// resizeParams maps resize's attributes to IResizeLayer's (see above),
// without output dimensions.
func resizeParams(op *ir.Op) trt.Resize {
	p := trt.Resize{
		ResizeMode:             trt.InterpolationNearest,
		SelectorForSinglePixel: trt.ResizeSelectorFormula,
		NearestRounding:        trt.ResizeRoundFloor,
	}
	if op.Str("mode") == "linear" {
		p.ResizeMode = trt.InterpolationLinear
	}
	switch op.Str("coord") {
	case "asymmetric":
		p.CoordinateTransformation = trt.ResizeAsymmetric
	case "align_corners":
		p.CoordinateTransformation = trt.ResizeAlignCorners
		p.SelectorForSinglePixel = trt.ResizeSelectorUpper
	case "half_pixel":
		p.CoordinateTransformation = trt.ResizeHalfPixel
	case "tf_half_pixel_for_nn":
		p.CoordinateTransformation = trt.ResizeHalfPixel
	}
	if p.ResizeMode == trt.InterpolationNearest {
		switch op.Str("nearest_rounding") {
		case "floor":
			p.NearestRounding = trt.ResizeRoundFloor
		case "ceil":
			p.NearestRounding = trt.ResizeRoundCeil
		case "round_prefer_floor":
			p.NearestRounding = trt.ResizeRoundHalfDown
		case "round_prefer_ceil":
			p.NearestRounding = trt.ResizeRoundHalfUp
		}
		if op.Str("coord") == "tf_half_pixel_for_nn" {
			p.NearestRounding = trt.ResizeRoundHalfUp
		}
	}
	return p
}

// lowerResizeByGather gathers, along each resized axis, the source index of
// every output position.
func lowerResizeByGather(l *lowerer, op *ir.Op) error {
	x, r := op.Args[0], op.Result()
	var axes []int
	for i := range x.Type.Shape {
		if x.Type.Shape[i] != r.Type.Shape[i] {
			axes = append(axes, i)
		}
	}
	t := l.tensor(x)
	for n, a := range axes {
		in, out := x.Type.Shape[a], r.Type.Shape[a]
		iota := tensor.MustNew(tensor.Int32, tensor.Shape{in})
		for i := range iota.I32 {
			iota.I32[i] = int32(i)
		}
		axisOp := &ir.Op{Opcode: ir.OpResize, Loc: op.Loc, Attrs: ir.Attrs{
			"mode": "nearest", "coord": op.Str("coord"), "nearest_rounding": op.Str("nearest_rounding"),
			"shape": []int{out},
		}.List()}
		res, err := interp.EvalOp(axisOp, []*tensor.Tensor{iota})
		if err != nil {
			return err
		}
		idx := l.constant(op, "indices"+strconv.Itoa(a), res[0], dimsOf(out))
		suffix := ""
		if n < len(axes)-1 {
			suffix = "axis" + strconv.Itoa(a)
		}
		t = l.named(op, suffix, l.net.AddGather(t, idx, trt.Gather{Axis: int32(a), Mode: trt.GatherDefault}))
	}
	l.set(r, t)
	return nil
}
