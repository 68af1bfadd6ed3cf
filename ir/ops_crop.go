package ir

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	register(OpCropAndResize, OpInfo{
		Name: "crop_and_resize", Family: "resize", Summary: "TensorFlow's CropAndResize: resample boxes of an NHWC image to a fixed size",
		MinArgs: 3, MaxArgs: 3, NumResults: 1,
		Attrs: []AttrSpec{
			{Name: "mode", Kind: AttrString, Enum: []string{"bilinear", "nearest"}},
			{Name: "crop_size", Kind: AttrInts},
			{Name: "extrapolation_value", Kind: AttrFloat},
		},
		Infer: inferCropAndResize,
	})
}

// crop_and_resize: crops of an NHWC image, each resampled to crop_size.
//
//	%r = crop_and_resize(%image, %boxes, %box_ind) {mode="bilinear", crop_size=[7,7], extrapolation_value=0.0} : f32[B,7,7,C]
//
// image: f32[N,H,W,C], H, W ≥ 1; boxes: f32[B,4] (y1, x1, y2, x2 in
// normalized coordinates; any values, flipped boxes included); box_ind:
// i32[B], each in [0, N) (checked at run time). crop_size: [ch, cw], both
// ≥ 1. The result is f32[B,ch,cw,C]. The semantics are TensorFlow's
// crop_and_resize_op.cc, with every step rounded to f32 in this order:
//
//	hs = (y2-y1)*(H-1)/(ch-1)        (0 when ch = 1)
//	in_y = y1*(H-1) + y*hs           (0.5*(y1+y2)*(H-1) when ch = 1)
//
// and the same for x with W and cw. A row with in_y outside [0, H-1] is
// extrapolation_value in every column; a column with in_x outside
// [0, W-1] likewise. A NaN coordinate (undefined behaviour in TensorFlow)
// extrapolates too. backend/lower/crop.go lowers it to ElementWise,
// Unary, Select, Cast and Gather layers computing these same steps.
//
// bilinear: t = floor(in_y), b = ceil(in_y), ly = in_y - t (and l, r, lx
// for x); top = I[t,l] + (I[t,r]-I[t,l])*lx, bottom likewise with b, the
// value top + (bottom-top)*ly.
// nearest: I[round(in_y), round(in_x)], rounding halves away from zero.
func inferCropAndResize(op *Op) ([]Type, error) {
	img, boxes, ind := op.Args[0].Type, op.Args[1].Type, op.Args[2].Type
	if err := requireDType(img.DType, "image", tensor.Float32); err != nil {
		return nil, err
	}
	if err := requireDType(boxes.DType, "boxes", tensor.Float32); err != nil {
		return nil, err
	}
	if err := requireDType(ind.DType, "box_ind", tensor.Int32); err != nil {
		return nil, err
	}
	if img.Rank() != 4 || boxes.Rank() != 2 || ind.Rank() != 1 {
		return nil, fmt.Errorf("image %v, boxes %v, box_ind %v: want ranks 4, 2 and 1", img.Shape, boxes.Shape, ind.Shape)
	}
	if img.Shape[1] < 1 || img.Shape[2] < 1 {
		return nil, fmt.Errorf("image %v: height and width must be ≥ 1", img.Shape)
	}
	if boxes.Shape[1] != 4 || boxes.Shape[0] != ind.Shape[0] {
		return nil, fmt.Errorf("boxes %v, box_ind %v: want boxes [B,4] and box_ind [B]", boxes.Shape, ind.Shape)
	}
	cs := op.Ints("crop_size")
	if len(cs) != 2 || cs[0] < 1 || cs[1] < 1 {
		return nil, fmt.Errorf("crop_size=%v: want two sizes ≥ 1", cs)
	}
	return []Type{{DType: tensor.Float32, Shape: tensor.Shape{boxes.Shape[0], cs[0], cs[1], img.Shape[3]}}}, nil
}
