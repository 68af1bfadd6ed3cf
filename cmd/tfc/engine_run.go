package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/tensor"
)

// engineInputs lists an engine's inputs as tfc types.
func engineInputs(e *tensorrt.Engine) (map[string]tensor.Shape, map[string]tensor.DType, error) {
	ins, _ := e.IO()
	shapes, types := map[string]tensor.Shape{}, map[string]tensor.DType{}
	for _, in := range ins {
		dt, err := in.Type.TensorDType()
		if err != nil {
			return nil, nil, fmt.Errorf("input %s: %v", in.Name, err)
		}
		s := make(tensor.Shape, len(in.Shape))
		for i, d := range in.Shape {
			s[i] = int(d)
		}
		shapes[in.Name], types[in.Name] = s, dt
	}
	return shapes, types, nil
}

// timeRuns runs warmup+iterations inferences and prints latency
// percentiles in trtexec's style.
func timeRuns(run func() error, warmup, iterations int, w io.Writer) error {
	l, err := measureRuns(run, warmup, iterations)
	if err != nil || l == nil {
		return err
	}
	fmt.Fprintf(w, "Latency: min = %.3f ms, max = %.3f ms, mean = %.3f ms, median = %.3f ms, percentile(90%%) = %.3f ms, percentile(99%%) = %.3f ms (%d iterations after %d warm-up)\n",
		l.MinMS, l.MaxMS, l.MeanMS, l.MedianMS, l.P90MS, l.P99MS, l.Iterations, l.Warmup)
	return nil
}

// latency summarises timed runs, in milliseconds (run -format=json).
type latency struct {
	Iterations int     `json:"iterations"`
	Warmup     int     `json:"warmup"`
	MinMS      float64 `json:"min_ms"`
	MaxMS      float64 `json:"max_ms"`
	MeanMS     float64 `json:"mean_ms"`
	MedianMS   float64 `json:"median_ms"`
	P90MS      float64 `json:"p90_ms"`
	P99MS      float64 `json:"p99_ms"`
}

// measureRuns runs warmup untimed and iterations timed runs.
func measureRuns(run func() error, warmup, iterations int) (*latency, error) {
	for range warmup {
		if err := run(); err != nil {
			return nil, err
		}
	}
	lat := make([]time.Duration, 0, iterations)
	for range iterations {
		t0 := time.Now()
		if err := run(); err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(t0))
	}
	if len(lat) == 0 {
		return nil, nil
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	var sum time.Duration
	for _, d := range lat {
		sum += d
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return &latency{
		Iterations: len(lat), Warmup: warmup,
		MinMS: ms(lat[0]), MaxMS: ms(lat[len(lat)-1]), MeanMS: ms(sum / time.Duration(len(lat))),
		MedianMS: ms(pct(0.5)), P90MS: ms(pct(0.9)), P99MS: ms(pct(0.99)),
	}, nil
}
