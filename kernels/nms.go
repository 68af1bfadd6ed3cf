package kernels

import (
	"fmt"
	"sort"

	"github.com/tfc-dev/tfc/tensor"
)

// NMSParams configures NonMaxSuppression and CombinedNonMaxSuppression.
type NMSParams struct {
	MaxOutput      int // non_max_suppression: K; combined: max_per_class
	MaxTotal       int // combined only
	IoUThreshold   float32
	ScoreThreshold float32
	PadPerClass    bool // combined only
	ClipBoxes      bool // combined only
}

// BoxIoU is TensorFlow's IOU (non_max_suppression_op.cc) of the boxes at
// a and b, each (y1, x1, y2, x2) with corners in either order, in f32.
func BoxIoU(a, b []float32) float32 {
	ymin1, ymax1 := min32(a[0], a[2]), max32(a[0], a[2])
	xmin1, xmax1 := min32(a[1], a[3]), max32(a[1], a[3])
	ymin2, ymax2 := min32(b[0], b[2]), max32(b[0], b[2])
	xmin2, xmax2 := min32(b[1], b[3]), max32(b[1], b[3])
	area1 := (ymax1 - ymin1) * (xmax1 - xmin1)
	area2 := (ymax2 - ymin2) * (xmax2 - xmin2)
	if area1 <= 0 || area2 <= 0 {
		return 0
	}
	ih := max32(min32(ymax1, ymax2)-max32(ymin1, ymin2), 0)
	iw := max32(min32(xmax1, xmax2)-max32(xmin1, xmin2), 0)
	inter := float32(ih * iw)
	return inter / float32(float32(area1+area2)-inter)
}

// min32 and max32 are Eigen's numext::mini/maxi: b < a ? b : a and
// a < b ? b : a, so a NaN in b gives a.
func min32(a, b float32) float32 {
	if b < a {
		return b
	}
	return a
}

func max32(a, b float32) float32 {
	if a < b {
		return b
	}
	return a
}

// greedyNMS selects, among the n boxes box(i) with score(i) > threshold,
// in order of decreasing score (equal scores by increasing i), those whose
// IoU with every box selected before is ≤ p.IoUThreshold, at most limit.
func greedyNMS(n int, score func(int) float32, box func(int) []float32, limit int, p NMSParams) []int {
	var cand []int
	for i := 0; i < n; i++ {
		if score(i) > p.ScoreThreshold {
			cand = append(cand, i)
		}
	}
	sort.SliceStable(cand, func(a, b int) bool { return score(cand[a]) > score(cand[b]) })
	var sel []int
	for _, c := range cand {
		if len(sel) >= limit {
			break
		}
		keep := true
		for j := len(sel) - 1; j >= 0; j-- {
			if BoxIoU(box(c), box(sel[j])) > p.IoUThreshold {
				keep = false
				break
			}
		}
		if keep {
			sel = append(sel, c)
		}
	}
	return sel
}

// NonMaxSuppression is the IR's non_max_suppression (TensorFlow's
// NonMaxSuppressionV4 with pad_to_max_output_size): boxes [N,4], scores
// [N]; the selected indices padded with 0 to p.MaxOutput, and their count.
func NonMaxSuppression(boxes, scores *tensor.Tensor, p NMSParams) (*tensor.Tensor, *tensor.Tensor, error) {
	if err := nmsCheck(boxes, scores, 2); err != nil {
		return nil, nil, fmt.Errorf("non_max_suppression: %v", err)
	}
	n := boxes.Shape[0]
	if scores.Shape[0] != n || p.MaxOutput < 0 {
		return nil, nil, fmt.Errorf("non_max_suppression: boxes %v, scores %v, max_output_size %d: want [N,4], [N] and ≥ 0", boxes.Shape, scores.Shape, p.MaxOutput)
	}
	sel := greedyNMS(n, func(i int) float32 { return scores.F32[i] }, func(i int) []float32 { return boxes.F32[4*i : 4*i+4] }, p.MaxOutput, p)
	idx, err := tensor.New(tensor.Int32, tensor.Shape{p.MaxOutput})
	if err != nil {
		return nil, nil, err
	}
	for i, s := range sel {
		idx.I32[i] = int32(s)
	}
	return idx, tensor.FromI32(tensor.Shape{}, []int32{int32(len(sel))}), nil
}

// CombinedNonMaxSuppression is the IR's combined_non_max_suppression
// (TensorFlow's CombinedNonMaxSuppression): boxes [B,N,Q,4], scores
// [B,N,C]; detections boxes [B,D,4], scores [B,D], classes [B,D] and the
// valid counts [B], with ties ordered as the IR specifies.
func CombinedNonMaxSuppression(boxes, scores *tensor.Tensor, p NMSParams) ([]*tensor.Tensor, error) {
	r, err := combinedNMS(boxes, scores, p)
	if err != nil {
		return nil, fmt.Errorf("combined_non_max_suppression: %v", err)
	}
	return r, nil
}

func combinedNMS(boxes, scores *tensor.Tensor, p NMSParams) ([]*tensor.Tensor, error) {
	if err := nmsCheck(boxes, scores, 4); err != nil {
		return nil, err
	}
	bs, ss := boxes.Shape, scores.Shape
	nb, n, q, nc := bs[0], bs[1], bs[2], ss[2]
	if ss[0] != nb || ss[1] != n || (q != 1 && q != nc) || p.MaxOutput < 1 || p.MaxTotal < 1 {
		return nil, fmt.Errorf("boxes %v, scores %v, max_per_class %d, max_total %d: want [B,N,Q,4], [B,N,C] with Q = 1 or C, and limits ≥ 1",
			bs, ss, p.MaxOutput, p.MaxTotal)
	}
	d := p.MaxTotal
	if p.PadPerClass {
		switch {
		case nc == 0:
			d = 0
		case p.MaxOutput <= p.MaxTotal/nc:
			d = p.MaxOutput * nc
		}
	}
	outBoxes, err := tensor.New(tensor.Float32, tensor.Shape{nb, d, 4})
	if err != nil {
		return nil, err
	}
	outScores := tensor.MustNew(tensor.Float32, tensor.Shape{nb, d})
	outClasses := tensor.MustNew(tensor.Float32, tensor.Shape{nb, d})
	valid := tensor.MustNew(tensor.Int32, tensor.Shape{nb})
	type det struct {
		box   []float32
		score float32
		class int
	}
	for b := 0; b < nb; b++ {
		var dets []det
		for c := 0; c < nc; c++ {
			qc := 0
			if q > 1 {
				qc = c
			}
			score := func(i int) float32 { return scores.F32[(b*n+i)*nc+c] }
			box := func(i int) []float32 { o := ((b*n+i)*q + qc) * 4; return boxes.F32[o : o+4] }
			for _, i := range greedyNMS(n, score, box, min(p.MaxOutput, n), p) {
				dets = append(dets, det{box(i), score(i), c})
			}
		}
		sort.SliceStable(dets, func(i, j int) bool { return dets[i].score > dets[j].score })
		k := min(len(dets), d)
		valid.I32[b] = int32(k)
		for i, dt := range dets[:k] {
			for j, v := range dt.box {
				if p.ClipBoxes {
					v = max32(min32(v, 1), 0)
				}
				outBoxes.F32[(b*d+i)*4+j] = v
			}
			outScores.F32[b*d+i] = dt.score
			outClasses.F32[b*d+i] = float32(dt.class)
		}
	}
	return []*tensor.Tensor{outBoxes, outScores, outClasses, valid}, nil
}

func nmsCheck(boxes, scores *tensor.Tensor, boxesRank int) error {
	for _, c := range []struct {
		what string
		t    *tensor.Tensor
		rank int
	}{{"boxes", boxes, boxesRank}, {"scores", scores, boxesRank - 1}} {
		if err := checkTensor(c.what, c.t); err != nil {
			return err
		}
		if err := checkDType(c.what, c.t, tensor.Float32); err != nil {
			return err
		}
		if len(c.t.Shape) != c.rank {
			return fmt.Errorf("%s %v: want rank %d", c.what, c.t.Shape, c.rank)
		}
	}
	if boxes.Shape[boxesRank-1] != 4 {
		return fmt.Errorf("boxes %v: want a last dimension of 4", boxes.Shape)
	}
	return nil
}
