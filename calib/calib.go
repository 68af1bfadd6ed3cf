// Package calib collects post-training quantization statistics: it runs a
// function on sample inputs with the reference interpreter and records, for
// every activation TensorRT quantizes (the data input of each conv,
// conv_transpose and matmul), the distribution of its absolute values; a
// Method turns that into the symmetric range [-amax, amax] of an INT8
// quantizer, as TensorRT's calibrators do (max, percentile, entropy).
//
// Ranges are keyed by the consuming op's TF node name (its Loc), so they
// survive a recompile of the same model with the same pipeline; the
// passes package's "int8" pass reads them (Config.Calibration) and
// inserts the quantize/dequantize pairs.
package calib

import (
	"fmt"
	"math"
	"sort"

	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Bins is the number of histogram bins per tensor (TensorRT's entropy
// calibrator uses 2048).
const Bins = 2048

// Quantized reports whether op's data input (Args[0]) is one the int8 pass
// quantizes: conv, conv_transpose and matmul on f32.
func Quantized(op *ir.Op) bool {
	switch op.Opcode {
	case ir.OpConv, ir.OpConvTranspose, ir.OpMatMul:
		return op.Args[0].Type.DType == tensor.Float32 && op.Loc != ""
	}
	return false
}

// Stats is the distribution of one tensor's absolute values: the maximum,
// the count of exact zeros (ReLU outputs; they quantize exactly whatever
// the range), and a histogram of the other values in Bins bins over [0,
// Max] (kept by Collect over every sample; a later sample with a larger
// maximum re-bins the earlier ones).
type Stats struct {
	Max   float64
	Zeros float64
	Hist  []float64
}

func (s *Stats) add(x *tensor.Tensor) {
	m := s.Max
	for _, v := range x.F32 {
		m = max(m, math.Abs(float64(v)))
	}
	if m > s.Max {
		if s.Hist != nil && s.Max > 0 {
			h := make([]float64, Bins)
			for i, c := range s.Hist {
				h[min(int((float64(i)+0.5)*s.Max/m), Bins-1)] += c // the old bin's centre
			}
			s.Hist = h
		}
		s.Max = m
	}
	if s.Hist == nil {
		s.Hist = make([]float64, Bins)
	}
	for _, v := range x.F32 {
		a := math.Abs(float64(v))
		switch {
		case a == 0:
			s.Zeros++
		case a == a: // not NaN
			s.Hist[min(int(a/s.Max*Bins), Bins-1)]++
		}
	}
}

// Collect runs f on each sample (inputs by name) with the interpreter and
// returns the statistics of every quantized activation, by the consuming
// op's Loc. f is not modified.
func Collect(f *ir.Func, samples []map[string]*tensor.Tensor) (map[string]*Stats, error) {
	g := *f
	g.Outputs = nil
	var locs []string
	for _, op := range f.Ops {
		if Quantized(op) {
			g.Outputs = append(g.Outputs, ir.Output{Name: fmt.Sprintf("calib:%d", len(locs)), Value: op.Args[0]})
			locs = append(locs, op.Loc)
		}
	}
	stats := map[string]*Stats{}
	if len(locs) == 0 {
		return stats, nil
	}
	for i, in := range samples {
		outs, err := interp.RunWithOptions(&g, in, interp.Options{NoVerify: true})
		if err != nil {
			return nil, fmt.Errorf("sample %d: %v", i, err)
		}
		for j, o := range outs {
			s := stats[locs[j]]
			if s == nil {
				s = &Stats{}
				stats[locs[j]] = s
			}
			s.add(o)
		}
	}
	return stats, nil
}

// Method names how a range is chosen from the statistics.
type Method string

// The methods: the largest magnitude seen; the given percentile of the
// magnitudes; the threshold minimising the KL divergence between the
// distribution and its 128-level quantization (TensorRT's entropy
// calibrator).
const (
	Max        Method = "max"
	Percentile Method = "percentile"
	Entropy    Method = "entropy"
)

// Range returns amax, the magnitude mapped to ±127, by method (pct is the
// percentile for Percentile, e.g. 99.99).
func (s *Stats) Range(m Method, pct float64) (float64, error) {
	if s.Max == 0 {
		return 0, nil
	}
	w := s.Max / Bins
	switch m {
	case Max:
		return s.Max, nil
	case Percentile:
		if !(pct > 0 && pct <= 100) {
			return 0, fmt.Errorf("percentile %g: want (0, 100]", pct)
		}
		total := s.Zeros
		for _, c := range s.Hist {
			total += c
		}
		acc := s.Zeros
		for i, c := range s.Hist {
			acc += c
			if acc >= total*pct/100 {
				return float64(i+1) * w, nil
			}
		}
		return s.Max, nil
	case Entropy:
		return float64(entropyBins(s.Hist)) * w, nil
	}
	return 0, fmt.Errorf("unknown calibration method %q (want max, percentile or entropy)", m)
}

// entropyBins returns the number of histogram bins i (128 ≤ i ≤ Bins)
// whose range [0, i·w] minimises KL(P‖Q): P is the histogram cut at i with
// the clipped mass added to its last bin, Q is P merged into 128 levels
// and spread back uniformly over each level's non-empty bins (TensorRT's
// entropy calibration). Exact zeros are not in the histogram: they are
// represented exactly at any range, and a ReLU's half of zeros merged into
// the first level would otherwise push the range down.
func entropyBins(h []float64) int {
	const levels = 128
	best, bestKL := len(h), math.Inf(1)
	for i := levels; i <= len(h); i++ {
		p := make([]float64, i)
		copy(p, h[:i])
		for _, c := range h[i:] {
			p[i-1] += c
		}
		q := make([]float64, i)
		for l := range levels {
			lo, hi := l*i/levels, (l+1)*i/levels
			sum, n := 0.0, 0
			for k := lo; k < hi; k++ {
				sum += h[k]
				if h[k] != 0 {
					n++
				}
			}
			for k := lo; k < hi; k++ {
				if h[k] != 0 {
					q[k] = sum / float64(n)
				}
			}
		}
		kl := divergence(p, q)
		if kl < bestKL {
			best, bestKL = i, kl
		}
	}
	return best
}

// divergence is KL(p‖q) of two unnormalised histograms (bins where p is 0
// contribute nothing; where q is 0 and p is not, a small floor stands in).
func divergence(p, q []float64) float64 {
	sp, sq := 0.0, 0.0
	for i := range p {
		sp += p[i]
		sq += q[i]
	}
	if sp == 0 || sq == 0 {
		return math.Inf(1)
	}
	kl := 0.0
	for i := range p {
		if p[i] == 0 {
			continue
		}
		pi, qi := p[i]/sp, max(q[i]/sq, 1e-12)
		kl += pi * math.Log(pi/qi)
	}
	return kl
}

// Ranges chooses every tensor's amax by method, sorted by name.
func Ranges(stats map[string]*Stats, m Method, pct float64) (map[string]float64, error) {
	out := make(map[string]float64, len(stats))
	names := make([]string, 0, len(stats))
	for n := range stats {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		r, err := stats[n].Range(m, pct)
		if err != nil {
			return nil, err
		}
		out[n] = r
	}
	return out, nil
}
