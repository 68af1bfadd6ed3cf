package exec

import (
	"fmt"
	"sort"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/kernels"
	"github.com/tfc-dev/tfc/tensor"
)

func init() {
	layerKernels[trt.LayerNMS] = func(l *trt.LayerDesc, in []*tensor.Tensor, _ layerOpts) ([]*tensor.Tensor, error) {
		return nms(in, l.Params.(trt.NMS))
	}
}

// nms is INMSLayer with kCORNER_PAIRS boxes. Per batch item, the (box,
// class) pairs whose score exceeds the score threshold (NaN never does)
// are ordered by decreasing score, and only the first TopKBoxLimit are
// considered; each is selected if its class has fewer than
// MaxOutputBoxesPerClass selections and its IoU with every selected box of
// its class is ≤ the IoU threshold. The rows (batch, class, box) come in
// selection order, which is by batch, then decreasing score.
//
// Where NvInfer.h leaves a choice, the executor takes one that TensorRT
// allows and that matches TensorFlow: equal scores are taken by
// increasing class, then increasing box index; the IoU is TensorFlow's f32
// formula (kernels.BoxIoU: corners in either order, 0 when an area is
// ≤ 0), which is symmetric in the two axes, so (x, y) and (y, x) corner
// pairs give the same value. A GPU may order equal scores otherwise and
// round its IoU otherwise.
func nms(in []*tensor.Tensor, p trt.NMS) ([]*tensor.Tensor, error) {
	if p.BoundingBoxFormat != trt.BoxCornerPairs {
		return nil, fmt.Errorf("bounding box format %v is not implemented by the reference executor", p.BoundingBoxFormat)
	}
	boxes, scores, limitT := in[0], in[1], in[2]
	for _, t := range []*tensor.Tensor{boxes, scores} {
		if t.DType != tensor.Float32 && t.DType != tensor.Float16 {
			return nil, fmt.Errorf("boxes and scores have type %v, want f32 or f16", t.DType)
		}
	}
	if limitT.DType != tensor.Int32 || limitT.Len() != 1 {
		return nil, fmt.Errorf("maxOutputBoxesPerClass is %v, want a 0-D int32", limitT)
	}
	limit := int(limitT.I32[0])
	thr := func(i int) float32 {
		if i < len(in) && in[i] != nil {
			return float32(in[i].Float64At(0))
		}
		return 0
	}
	iouThr, scoreThr := thr(3), thr(4)
	nb, n, nc := scores.Shape[0], scores.Shape[1], scores.Shape[2]
	perClass := len(boxes.Shape) == 4
	box := func(b, i, c int) []float32 {
		o := (b*n + i) * 4
		if perClass {
			o = ((b*n+i)*nc + c) * 4
		}
		v := make([]float32, 4)
		for k := range v {
			v[k] = float32(boxes.Float64At(o + k))
		}
		return v
	}
	type cand struct {
		box, class int
		score      float32
	}
	var rows []int64
	for b := 0; b < nb; b++ {
		var cs []cand
		for c := 0; c < nc; c++ {
			for i := 0; i < n; i++ {
				if s := float32(scores.Float64At((b*n+i)*nc + c)); s > scoreThr {
					cs = append(cs, cand{i, c, s})
				}
			}
		}
		sort.SliceStable(cs, func(i, j int) bool { return cs[i].score > cs[j].score })
		if len(cs) > int(p.TopKBoxLimit) {
			cs = cs[:p.TopKBoxLimit]
		}
		selected := make([][]int, nc)
		for _, c := range cs {
			sel := selected[c.class]
			if len(sel) >= limit {
				continue
			}
			keep := true
			for j := len(sel) - 1; j >= 0; j-- {
				if kernels.BoxIoU(box(b, c.box, c.class), box(b, sel[j], c.class)) > iouThr {
					keep = false
					break
				}
			}
			if keep {
				selected[c.class] = append(sel, c.box)
				rows = append(rows, int64(b), int64(c.class), int64(c.box))
			}
		}
	}
	m := len(rows) / 3
	dt, err := DType(p.IndicesType)
	if err != nil {
		return nil, err
	}
	idx, err := tensor.New(dt, tensor.Shape{m, 3})
	if err != nil {
		return nil, err
	}
	for i, v := range rows {
		if dt == tensor.Int64 {
			idx.I64[i] = v
		} else {
			idx.I32[i] = int32(v)
		}
	}
	return []*tensor.Tensor{idx, tensor.FromI32(tensor.Shape{}, []int32{int32(m)})}, nil
}
