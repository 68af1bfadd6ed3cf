package calib

import (
	"math"
	"math/rand"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// TestRanges: on a Gaussian with a few far outliers, max takes the
// outlier, the 99.9th percentile and entropy stay near the bulk.
func TestRanges(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	x := tensor.MustNew(tensor.Float32, tensor.Shape{100000})
	for i := range x.F32 {
		x.F32[i] = float32(rng.NormFloat64())
	}
	x.F32[0], x.F32[1] = 40, -35
	var s Stats
	s.add(x)
	m, _ := s.Range(Max, 0)
	p, _ := s.Range(Percentile, 99.9)
	e, _ := s.Range(Entropy, 0)
	if m != 40 || !(p > 3 && p < 4) || !(e > 2 && e < 20) {
		t.Errorf("max %g (want 40), percentile 99.9 %g (want ~3.3), entropy %g (want well inside the outliers)", m, p, e)
	}
	// Re-binning when a later sample raises the maximum keeps the counts.
	y := tensor.FromF32(tensor.Shape{2}, []float32{80, 0})
	s.add(y)
	total := s.Zeros
	for _, c := range s.Hist {
		total += c
	}
	if s.Max != 80 || total != 100002 || math.IsNaN(total) {
		t.Errorf("after a larger sample: max %g, %g counts (want 80, 100002)", s.Max, total)
	}
	if _, err := s.Range(Percentile, 0); err == nil {
		t.Error("percentile 0 accepted")
	}
}

// TestEntropySkipsZeros: on ReLU outputs of a Gaussian (half exact zeros)
// the entropy range stays in the bulk's tail, not pulled towards 0 by the
// zeros.
func TestEntropySkipsZeros(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	x := tensor.MustNew(tensor.Float32, tensor.Shape{100000})
	for i := range x.F32 {
		x.F32[i] = float32(max(0, rng.NormFloat64()))
	}
	var s Stats
	s.add(x)
	e, _ := s.Range(Entropy, 0)
	if s.Zeros < 45000 || !(e > 2.5 && e < s.Max) {
		t.Errorf("%g zeros, entropy range %g of max %g: want most of the tail kept (> 2.5)", s.Zeros, e, s.Max)
	}
}
