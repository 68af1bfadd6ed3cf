package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("resize", "resize{mode=linear} on NHWC (cast to f32 first unless f32)", convertResize, "ResizeBilinear")
	register("resize", "resize{mode=nearest} on NHWC", convertResize, "ResizeNearestNeighbor")
}

// ResizeBilinear and ResizeNearestNeighbor become resize on the NHWC image
// itself, to shape [N, newH, newW, C] (size is a constant input). The
// coordinate rule follows TensorFlow's kernels (image_resizer_state.h,
// resize_bilinear_op.cc, resize_nearest_neighbor_op.cc):
//
//	bilinear: align_corners → coord=align_corners; half_pixel_centers →
//	          half_pixel; else asymmetric. The result is f32 whatever the
//	          input type (TensorFlow's ResizeBilinear outputs float), so
//	          other inputs are cast to f32 first.
//	nearest:  align_corners → align_corners with round_prefer_ceil
//	          (TensorFlow rounds with roundf, halves away from zero, and
//	          coordinates are ≥ 0); half_pixel_centers → tf_half_pixel_for_nn
//	          with floor; else asymmetric with floor.
//
// align_corners together with half_pixel_centers is an error, as in
// TensorFlow.
func convertResize(c *ctx, n *node) error {
	vs, err := c.inputs(n, 2, 2)
	if err != nil {
		return err
	}
	x := vs[0]
	if err := nnCheckRank(n, "images", x, 4); err != nil {
		return err
	}
	size, dynSize, err := c.shapeInput(n, 1)
	if err != nil {
		return err
	}
	if dynSize == nil && (len(size) != 2 || size[0] < 1 || size[1] < 1) {
		return n.errorf("size %v: want two sizes ≥ 1 (height, width)", size)
	}
	if dynSize != nil || x.Type.Symbolic() {
		return c.dynamicResize(n, x, size, dynSize)
	}
	for i := 1; i <= 2; i++ {
		if x.Type.Shape[i] < 1 {
			return n.errorf("images %v: height and width must be ≥ 1", x.Type)
		}
	}
	s := x.Type.Shape
	attrs, x, err := c.resizeAttrs(n, x)
	if err != nil {
		return err
	}
	attrs["shape"] = []int{s[0], size[0], size[1], s[3]}
	y, err := c.emit(n, ir.OpResize, attrs, x)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// dynamicResize converts a resize of a symbolic x, or to a computed size
// (a shape value), to dynamic_resize with the output shape
// concat(shape(x)[0:1], size, shape(x)[3:4]); the attributes are the
// static converter's.
func (c *ctx) dynamicResize(n *node, x *ir.Value, size []int, dynSize *ir.Value) error {
	dt := tensor.Int64
	if dynSize != nil {
		dt = dynSize.Type.DType
		if dynSize.Type.Shape[0] != 2 {
			return n.errorf("size %v: want two sizes (height, width)", dynSize.Type)
		}
	} else {
		dynSize = c.constant(n, tensor.FromI64(tensor.Shape{2}, []int64{int64(size[0]), int64(size[1])}))
	}
	s, err := c.shapeOf(n, x, dt)
	if err != nil {
		return err
	}
	batch, err := c.emit(n, ir.OpSlice, ir.Attrs{"start": []int{0}, "size": []int{1}, "stride": []int{1}}, s)
	if err != nil {
		return err
	}
	chans, err := c.emit(n, ir.OpSlice, ir.Attrs{"start": []int{3}, "size": []int{1}, "stride": []int{1}}, s)
	if err != nil {
		return err
	}
	shape, err := c.emit(n, ir.OpConcat, ir.Attrs{"axis": 0}, batch, dynSize, chans)
	if err != nil {
		return err
	}
	attrs, x, err := c.resizeAttrs(n, x)
	if err != nil {
		return err
	}
	y, err := c.emit(n, ir.OpDynamicResize, attrs, x, shape)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}

// resizeAttrs returns the attributes of a TensorFlow resize (all but the
// shape) and the images, cast to f32 for a bilinear resize of another type.
func (c *ctx) resizeAttrs(n *node, x *ir.Value) (ir.Attrs, *ir.Value, error) {
	align, err := n.attrBoolOr("align_corners", false)
	if err != nil {
		return nil, nil, err
	}
	half, err := n.attrBoolOr("half_pixel_centers", false)
	if err != nil {
		return nil, nil, err
	}
	if align && half {
		return nil, nil, n.errorf("align_corners and half_pixel_centers are both true (TensorFlow rejects this)")
	}
	attrs := ir.Attrs{"nearest_rounding": "floor"}
	if n.op == "ResizeBilinear" {
		attrs["mode"] = "linear"
		switch {
		case align:
			attrs["coord"] = "align_corners"
		case half:
			attrs["coord"] = "half_pixel"
		default:
			attrs["coord"] = "asymmetric"
		}
		if x.Type.DType != tensor.Float32 {
			if x, err = c.emit(n, ir.OpCast, ir.Attrs{"to": tensor.Float32}, x); err != nil {
				return nil, nil, err
			}
		}
	} else {
		attrs["mode"] = "nearest"
		switch {
		case align:
			attrs["coord"] = "align_corners"
			attrs["nearest_rounding"] = "round_prefer_ceil"
		case half:
			attrs["coord"] = "tf_half_pixel_for_nn"
		default:
			attrs["coord"] = "asymmetric"
		}
	}
	return attrs, x, nil
}
