package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/tensor"
)

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// engineRunInfo is what tfc run -engine reports beyond the outputs and the
// end-to-end latency (the "engine" object of its JSON report).
type engineRunInfo struct {
	LoadMS         float64 `json:"load_ms"`                 // reading and deserializing the plan
	FirstContextMS float64 `json:"first_context_ms"`        // the first execution context: TensorRT-RTX's JIT, or the runtime cache
	RuntimeCache   string  `json:"runtime_cache,omitempty"` // -runtime-cache: "loaded" or "new"
	CUDAGraph      bool    `json:"cuda_graph,omitempty"`
	// With -iterations/-warmup, CUDA events on the execution context's stream.
	ThroughputQPS float64  `json:"throughput_qps,omitempty"` // timed inferences per second of wall time
	H2D           *latency `json:"h2d,omitempty"`            // host-to-device copies of the inputs
	GPUCompute    *latency `json:"gpu_compute,omitempty"`    // the engine (enqueueV3)
	D2H           *latency `json:"d2h,omitempty"`            // device-to-host copies of the outputs
	TotalWallS    float64  `json:"total_wall_s,omitempty"`
}

// latencyOf summarises durations as run's latency object.
func latencyOf(ds []time.Duration, warmup int) *latency {
	s := slices.Clone(ds)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	pct := func(p float64) float64 { return ms(s[min(len(s)-1, int(p*float64(len(s))))]) }
	return &latency{Iterations: len(s), Warmup: warmup, MinMS: ms(s[0]), MaxMS: ms(s[len(s)-1]),
		MeanMS: ms(sum / time.Duration(len(s))), MedianMS: pct(0.5), P90MS: pct(0.9), P99MS: pct(0.99)}
}

func (l *latency) String() string {
	return fmt.Sprintf("min = %.3f ms, max = %.3f ms, mean = %.3f ms, median = %.3f ms, percentile(90%%) = %.3f ms, percentile(99%%) = %.3f ms",
		l.MinMS, l.MaxMS, l.MeanMS, l.MedianMS, l.P90MS, l.P99MS)
}

// measureEngine runs warmup untimed and iterations timed inferences of e,
// back to back on one execution context. The end-to-end latency covers
// copying the inputs into pinned memory, the host-to-device copies, the
// engine, the device-to-host copies and copying the outputs out.
func measureEngine(e *tensorrt.Engine, feed map[string]*tensor.Tensor, warmup, iterations int, info *engineRunInfo) (*latency, error) {
	in, err := tensorrt.HostTensors(feed)
	if err != nil {
		return nil, err
	}
	for range warmup {
		if _, _, err := e.InferShaped(in); err != nil {
			return nil, err
		}
	}
	var lat, h2d, comp, d2h []time.Duration
	start := time.Now()
	for range iterations {
		t0 := time.Now()
		_, tm, err := e.InferShaped(in)
		if err != nil {
			return nil, err
		}
		lat = append(lat, time.Since(t0))
		h2d, comp, d2h = append(h2d, tm.H2D), append(comp, tm.Compute), append(d2h, tm.D2H)
	}
	wall := time.Since(start)
	info.ThroughputQPS = float64(iterations) / wall.Seconds()
	info.H2D, info.GPUCompute, info.D2H = latencyOf(h2d, warmup), latencyOf(comp, warmup), latencyOf(d2h, warmup)
	info.TotalWallS = wall.Seconds()
	return latencyOf(lat, warmup), nil
}

// finishEngine ends tfc run -engine: the timed runs, the runtime cache,
// and the report.
func finishEngine(spec *ioSpec, feed map[string]*tensor.Tensor, rep *runReport, timed bool, warmup, iterations int, rtCache string, json bool, stdout, stderr io.Writer) error {
	e := spec.engine
	defer e.Close()
	info := spec.info
	var lat *latency
	if timed {
		var err error
		if lat, err = measureEngine(e, feed, warmup, iterations, &info); err != nil {
			return err
		}
	}
	if rtCache != "" {
		// TensorRT-RTX's IRuntimeCache::serialize was seen returning null on
		// the H200 after runs that compiled nothing new: the file from
		// before is then kept.
		if err := e.SaveRuntimeCache(); err != nil {
			fmt.Fprintf(stderr, "tfc run: warning: runtime cache %s not written: %v\n", rtCache, err)
		} else if !json {
			fmt.Fprintf(stderr, "tfc run: wrote the runtime cache %s\n", rtCache)
		}
	}
	if json {
		rep.Latency, rep.Engine = lat, &info
		return writeJSON(stdout, rep)
	}
	if lat != nil {
		fmt.Fprintf(stdout, "Timing: %d iterations after %d warm-up, one execution context, CUDA events on its stream\n", iterations, warmup)
		fmt.Fprintf(stdout, "Throughput: %.2f qps\n", info.ThroughputQPS)
		fmt.Fprintf(stdout, "Latency: %v\n", lat)
		fmt.Fprintf(stdout, "H2D Latency: %v\n", info.H2D)
		fmt.Fprintf(stdout, "GPU Compute Time: %v\n", info.GPUCompute)
		fmt.Fprintf(stdout, "D2H Latency: %v\n", info.D2H)
		fmt.Fprintf(stdout, "Total Host Walltime: %.3f s\n", info.TotalWallS)
	}
	return nil
}
