package kernels

import (
	"fmt"
	"math"

	"github.com/tfc-dev/tfc/tensor"
)

// CropParams configures CropAndResize.
type CropParams struct {
	Nearest       bool   // nearest instead of bilinear
	CropSize      [2]int // height, width, both ≥ 1
	Extrapolation float32
}

// CropAndResize is TensorFlow's CropAndResize (crop_and_resize_op.cc): for
// each box b, the f32 image image[box_ind[b]] sampled on a crop_size grid
// spanning the box, with values outside the image extrapolated. See
// ir/ops_crop.go for the exact order of f32 operations.
func CropAndResize(image, boxes, boxInd *tensor.Tensor, p CropParams) (*tensor.Tensor, error) {
	r, err := cropAndResize(image, boxes, boxInd, p)
	if err != nil {
		return nil, fmt.Errorf("crop_and_resize: %v", err)
	}
	return r, nil
}

func cropAndResize(image, boxes, boxInd *tensor.Tensor, p CropParams) (*tensor.Tensor, error) {
	for _, c := range []struct {
		what string
		t    *tensor.Tensor
		dt   tensor.DType
		rank int
	}{{"image", image, tensor.Float32, 4}, {"boxes", boxes, tensor.Float32, 2}, {"box_ind", boxInd, tensor.Int32, 1}} {
		if err := checkTensor(c.what, c.t); err != nil {
			return nil, err
		}
		if err := checkDType(c.what, c.t, c.dt); err != nil {
			return nil, err
		}
		if len(c.t.Shape) != c.rank {
			return nil, fmt.Errorf("%s %v: want rank %d", c.what, c.t.Shape, c.rank)
		}
	}
	n, h, w, ch := image.Shape[0], image.Shape[1], image.Shape[2], image.Shape[3]
	nb := boxes.Shape[0]
	if h < 1 || w < 1 || boxes.Shape[1] != 4 || boxInd.Shape[0] != nb {
		return nil, fmt.Errorf("image %v, boxes %v, box_ind %v: want [N,H≥1,W≥1,C], [B,4] and [B]", image.Shape, boxes.Shape, boxInd.Shape)
	}
	cropH, cropW := p.CropSize[0], p.CropSize[1]
	if cropH < 1 || cropW < 1 {
		return nil, fmt.Errorf("crop size %v: want sizes ≥ 1", p.CropSize)
	}
	out, err := tensor.New(tensor.Float32, tensor.Shape{nb, cropH, cropW, ch})
	if err != nil {
		return nil, err
	}
	img, dst := image.F32, out.F32
	hm1, wm1 := float32(h-1), float32(w-1)
	// coord is in_y (or in_x) for output index i of size n, as TensorFlow
	// computes it; explicit float32 conversions keep each step rounded.
	coord := func(lo, hi, m1 float32, i, size int) float32 {
		if size == 1 {
			return float32(float32(0.5*float32(lo+hi)) * m1)
		}
		scale := float32(float32((hi-lo)*m1) / float32(size-1))
		return float32(lo*m1) + float32(float32(i)*scale)
	}
	at := func(b, y, x int) []float32 {
		o := ((b*h+y)*w + x) * ch
		return img[o : o+ch]
	}
	for b := 0; b < nb; b++ {
		bi := int(boxInd.I32[b])
		if bi < 0 || bi >= n {
			return nil, fmt.Errorf("box_ind[%d] = %d is not in [0, %d)", b, bi, n)
		}
		y1, x1, y2, x2 := boxes.F32[4*b], boxes.F32[4*b+1], boxes.F32[4*b+2], boxes.F32[4*b+3]
		for y := 0; y < cropH; y++ {
			inY := coord(y1, y2, hm1, y, cropH)
			row := dst[(b*cropH+y)*cropW*ch : (b*cropH+y+1)*cropW*ch]
			if !(inY >= 0 && inY <= hm1) { // NaN too (undefined in TensorFlow)
				for i := range row {
					row[i] = p.Extrapolation
				}
				continue
			}
			for x := 0; x < cropW; x++ {
				inX := coord(x1, x2, wm1, x, cropW)
				px := row[x*ch : (x+1)*ch]
				if !(inX >= 0 && inX <= wm1) {
					for i := range px {
						px[i] = p.Extrapolation
					}
					continue
				}
				if p.Nearest {
					copy(px, at(bi, int(math.Round(float64(inY))), int(math.Round(float64(inX)))))
					continue
				}
				top, bot := int(math.Floor(float64(inY))), int(math.Ceil(float64(inY)))
				left, right := int(math.Floor(float64(inX))), int(math.Ceil(float64(inX)))
				ly, lx := inY-float32(top), inX-float32(left)
				tl, tr, bl, br := at(bi, top, left), at(bi, top, right), at(bi, bot, left), at(bi, bot, right)
				for c := range px {
					t := tl[c] + float32(float32(tr[c]-tl[c])*lx)
					bo := bl[c] + float32(float32(br[c]-bl[c])*lx)
					px[c] = t + float32(float32(bo-t)*ly)
				}
			}
		}
	}
	return out, nil
}
