package lower_test

import (
	"fmt"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// nmsInputs fills boxes and scores so that ties and overlaps are common:
// corners on a coarse grid (some flipped, some empty boxes), scores from a
// few values, with a NaN and a +Inf among them when special.
func nmsInputs(seed int64, boxes, scores tensor.Shape, special bool) map[string]*tensor.Tensor {
	rng := rand.New(rand.NewSource(seed))
	bx := tensor.MustNew(tensor.Float32, boxes)
	for i := range bx.F32 {
		bx.F32[i] = float32(rng.Intn(9)) / 8
	}
	sc := tensor.MustNew(tensor.Float32, scores)
	for i := range sc.F32 {
		sc.F32[i] = float32(rng.Intn(6)) / 5
	}
	if special {
		sc.F32[rng.Intn(len(sc.F32))] = float32(math.NaN())
		sc.F32[rng.Intn(len(sc.F32))] = float32(math.Inf(1))
	}
	return map[string]*tensor.Tensor{"boxes": bx, "scores": sc}
}

// TestStaticCombinedNMSMatchesInterpreter: combined_non_max_suppression
// within the static bounds lowers to fixed-shape layers (no NMS layer),
// and the reference executor's results equal the interpreter's exactly on
// inputs full of tied scores and overlapping boxes, for shared and
// per-class boxes, per-class limits below and at N, total limits below and
// above the selections, pad_per_class and clip_boxes.
func TestStaticCombinedNMSMatchesInterpreter(t *testing.T) {
	for _, tc := range []struct {
		b, n, q, c, kc, total int
		pad, clip             bool
		iou, score            float64
	}{
		{2, 12, 1, 3, 4, 7, false, true, 0.5, 0},
		{2, 10, 3, 3, 2, 20, true, false, 0.3, 0.05},
		{1, 16, 1, 4, 5, 3, false, true, 0.5, 0.1},
		{3, 9, 1, 1, 9, 5, false, false, 0.2, 0},
		{2, 7, 2, 2, 100, 100, false, true, 0, -1},
		{1, 1, 1, 2, 1, 4, true, true, 0.5, 0},
		{1, 24, 1, 5, 3, 12, false, false, 0.6, 0.3},
	} {
		name := fmt.Sprintf("B%d_N%d_Q%d_C%d_Kc%d_T%d_pad%v_clip%v", tc.b, tc.n, tc.q, tc.c, tc.kc, tc.total, tc.pad, tc.clip)
		t.Run(name, func(t *testing.T) {
			d := tc.total
			if tc.pad {
				d = min(tc.total, tc.kc*tc.c)
			}
			src := fmt.Sprintf(`func @f {
  %%0 = input {name="boxes"} : f32[%d,%d,%d,4]
  %%1 = input {name="scores"} : f32[%d,%d,%d]
  %%2, %%3, %%4, %%5 = combined_non_max_suppression(%%0, %%1) {max_per_class=%d, max_total=%d, pad_per_class=%v, clip_boxes=%v, iou_threshold=%.2f, score_threshold=%.2f} : f32[%d,%d,4], f32[%d,%d], f32[%d,%d], i32[%d]
  return "nmsed_boxes" = %%2, "nmsed_scores" = %%3, "nmsed_classes" = %%4, "nmsed_valid" = %%5
}`, tc.b, tc.n, tc.q, tc.b, tc.n, tc.c, tc.kc, tc.total, tc.pad, tc.clip, tc.iou, tc.score, tc.b, d, tc.b, d, tc.b, d, tc.b)
			for seed := int64(1); seed <= 6; seed++ {
				f := parse(t, src)
				in := nmsInputs(seed, f.Inputs()[0].Result().Type.Shape, f.Inputs()[1].Result().Type.Shape, seed%2 == 0)
				dd := matchInterp(t, f, in, 0, 0)
				if k := kinds(dd); strings.Contains(k, "NMS") {
					t.Fatalf("static bounds, but the network has an NMS layer: %s", k)
				}
			}
		})
	}
}

// TestStaticNMSMatchesInterpreter: the same for non_max_suppression.
func TestStaticNMSMatchesInterpreter(t *testing.T) {
	for _, tc := range []struct {
		n, k       int
		iou, score float64
	}{{12, 6, 0.5, 0}, {20, 25, 0.3, 0.1}, {1, 1, 0.5, 0}, {16, 4, 0, -1}} {
		t.Run(fmt.Sprintf("N%d_K%d", tc.n, tc.k), func(t *testing.T) {
			src := fmt.Sprintf(`func @f {
  %%0 = input {name="boxes"} : f32[%d,4]
  %%1 = input {name="scores"} : f32[%d]
  %%2, %%3 = non_max_suppression(%%0, %%1) {max_output_size=%d, iou_threshold=%.2f, score_threshold=%.2f} : i32[%d], i32[]
  return "nmsed_selected" = %%2, "nmsed_valid" = %%3
}`, tc.n, tc.n, tc.k, tc.iou, tc.score, tc.k)
			for seed := int64(1); seed <= 6; seed++ {
				f := parse(t, src)
				in := nmsInputs(seed, tensor.Shape{tc.n, 4}, tensor.Shape{tc.n}, seed%2 == 0)
				d := matchInterp(t, f, in, 0, 0)
				if k := kinds(d); strings.Contains(k, "NMS") {
					t.Fatalf("static bounds, but the network has an NMS layer: %s", k)
				}
			}
		})
	}
}

// TestNMSBeyondStaticBounds: more boxes, or (class, box) pairs, than the
// static lowerings take go to INMSLayer and its adaptation layers, which
// the reference executor runs as TensorFlow does (ties included).
func TestNMSBeyondStaticBounds(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"combined", `func @f {
  %0 = input {name="boxes"} : f32[2,200,1,4]
  %1 = input {name="scores"} : f32[2,200,11]
  %2, %3, %4, %5 = combined_non_max_suppression(%0, %1) {max_per_class=10, max_total=50, pad_per_class=false, clip_boxes=true, iou_threshold=0.5, score_threshold=0.1} : f32[2,50,4], f32[2,50], f32[2,50], i32[2]
  return "nmsed_boxes" = %2, "nmsed_scores" = %3, "nmsed_classes" = %4, "nmsed_valid" = %5
}`},
		{"single", `func @f {
  %0 = input {name="boxes"} : f32[300,4]
  %1 = input {name="scores"} : f32[300]
  %2, %3 = non_max_suppression(%0, %1) {max_output_size=40, iou_threshold=0.5, score_threshold=0.1} : i32[40], i32[]
  return "nmsed_selected" = %2, "nmsed_valid" = %3
}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := parse(t, tc.src)
			in := nmsInputs(1, f.Inputs()[0].Result().Type.Shape, f.Inputs()[1].Result().Type.Shape, true)
			if k := kinds(matchInterp(t, f, in, 0, 0)); !strings.Contains(k, "NMS") {
				t.Errorf("beyond the static bounds, lowered without an NMS layer: %s", k)
			}
		})
	}
}
