package trt

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestWeightStats(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, tc := range []struct {
		vals    []float32
		lo, hi  float64
		wantNaN int
	}{
		{[]float32{1, -2, 3, 0.5, 7}, -2, 7, 0},
		{[]float32{1, nan, -3, 2, nan, 9, 4}, -3, 9, 2},
		{[]float32{nan}, math.Inf(1), math.Inf(-1), 1},
		{[]float32{inf, -1, 2, 3, 4, 5, 6, 7, 8}, -1, math.Inf(1), 0},
	} {
		w, err := WeightsFromTensor(tensor.FromF32(tensor.Shape{len(tc.vals)}, tc.vals))
		if err != nil {
			t.Fatal(err)
		}
		lo, hi, n := weightStats(w)
		if lo != tc.lo || hi != tc.hi || n != tc.wantNaN {
			t.Errorf("%v: got [%v,%v] nan=%d, want [%v,%v] nan=%d", tc.vals, lo, hi, n, tc.lo, tc.hi, tc.wantNaN)
		}
	}
}
