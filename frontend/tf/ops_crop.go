package tf

import (
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register("crop", "crop_and_resize on NHWC (cast to f32 first unless f32)", convertCropAndResize, "CropAndResize")
}

// CropAndResize(image, boxes, box_ind, crop_size) becomes crop_and_resize
// with crop_size a constant input, method (bilinear or nearest) and
// extrapolation_value as attributes. TensorFlow's kernel reads every image
// element as float (crop_and_resize_op.cc), so an image of another type is
// cast to f32 first; the result is f32, as TensorFlow's.
func convertCropAndResize(c *ctx, n *node) error {
	vs, err := c.inputs(n, 4, 4)
	if err != nil {
		return err
	}
	img, boxes, ind := vs[0], vs[1], vs[2]
	if err := nnCheckRank(n, "image", img, 4); err != nil {
		return err
	}
	size, err := c.constInts(n, 3)
	if err != nil {
		return err
	}
	if len(size) != 2 || size[0] < 1 || size[1] < 1 {
		return n.errorf("crop_size %v: want two sizes ≥ 1 (height, width)", size)
	}
	method, err := n.attrStringOr("method", "bilinear")
	if err != nil {
		return err
	}
	if method != "bilinear" && method != "nearest" {
		return n.errorf("method %q: want \"bilinear\" or \"nearest\"", method)
	}
	extrap, err := n.attrFloatOr("extrapolation_value", 0)
	if err != nil {
		return err
	}
	if boxes.Type.DType != tensor.Float32 {
		return n.errorf("boxes %v: want float32 (TensorFlow's only boxes type)", boxes.Type)
	}
	if ind.Type.DType != tensor.Int32 {
		return n.errorf("box_ind %v: want int32 (TensorFlow's only box_ind type)", ind.Type)
	}
	if img.Type.DType != tensor.Float32 {
		if img, err = c.emit(n, ir.OpCast, ir.Attrs{"to": tensor.Float32}, img); err != nil {
			return err
		}
	}
	y, err := c.emit(n, ir.OpCropAndResize, ir.Attrs{"mode": method, "crop_size": size, "extrapolation_value": extrap}, img, boxes, ind)
	if err != nil {
		return err
	}
	return c.bind(n, y)
}
