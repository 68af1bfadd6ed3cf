package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// gpuResults is bench/gpu/results.json, which scripts/gpu-bench.py --collect
// writes from a run of scripts/gpu-verify.sh on the GPU machine.
type gpuResults struct {
	Commit     string      `json:"commit"`
	Date       string      `json:"date"`
	Machine    string      `json:"machine"`
	Note       string      `json:"note"`
	Warmup     int         `json:"warmup"`
	Iterations int         `json:"iterations"`
	TFC        []gpuEngine `json:"tfc"`
	TFCTF32    []gpuEngine `json:"tfc_tf32"` // TF32 rows measured in another run, when given apart
	Verify     *struct {
		Passed   int      `json:"passed"`
		Total    int      `json:"total"`
		Failures []string `json:"failures"`
	} `json:"verify"`
	Torch *struct {
		Torch   string     `json:"torch"`
		Results []torchRow `json:"results"`
	} `json:"torch"`
}

type gpuEngine struct {
	Model           string     `json:"model"`
	Batch           int        `json:"batch"`
	FP32Math        string     `json:"fp32_math"`
	Commit          string     `json:"commit"`
	CompileS        float64    `json:"compile_s"`
	PlanBytes       int64      `json:"plan_bytes"`
	LoadMS          float64    `json:"load_ms"`
	ContextColdMS   float64    `json:"context_cold_ms"`
	ContextCachedMS float64    `json:"context_cached_ms"`
	ProcessCachedS  float64    `json:"process_cached_s"`
	Timing          *gpuTiming `json:"timing"`
	TimingGraph     *gpuTiming `json:"timing_cuda_graph"`
	Error           string     `json:"error"`
}

type gpuLatency struct {
	MedianMS float64 `json:"median_ms"`
	P99MS    float64 `json:"p99_ms"`
}

// gpuTiming is tfc run -engine -format=json's latency and engine objects.
// The first bench runs wrote the engine figures at the top level.
type gpuTiming struct {
	Latency gpuLatency `json:"latency"`
	Engine  struct {
		ThroughputQPS float64    `json:"throughput_qps"`
		GPUCompute    gpuLatency `json:"gpu_compute"`
	} `json:"engine"`
	ThroughputQPS float64    `json:"throughput_qps"`
	GPUCompute    gpuLatency `json:"gpu_compute"`
}

func (t *gpuTiming) qps() float64 { return max(t.Engine.ThroughputQPS, t.ThroughputQPS) }
func (t *gpuTiming) compute() float64 {
	return max(t.Engine.GPUCompute.MedianMS, t.GPUCompute.MedianMS)
}

type torchRow struct {
	Batch         int     `json:"batch"`
	FP32Math      string  `json:"fp32_math"`
	Mode          string  `json:"mode"`
	FirstCallS    float64 `json:"first_call_s"`
	P50MS         float64 `json:"p50_ms"`
	P99MS         float64 `json:"p99_ms"`
	ThroughputQPS float64 `json:"throughput_qps"`
	Error         string  `json:"error"`
}

func readGPU(path string) (*gpuResults, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var g gpuResults
	if err := json.Unmarshal(b, &g); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &g, nil
}

func msStr(v float64) string {
	if v >= 100 {
		return fmt.Sprintf("%.0f ms", v)
	}
	return fmt.Sprintf("%.3g ms", v)
}

// gpu writes the GPU section.
func (w *writer) gpu() {
	g := w.gpuRes
	if g == nil {
		return
	}
	w.p("## 5. GPU: tfc's TensorRT-RTX engines on the project's GPU machine, next to PyTorch\n\n")
	w.p("Measured on the project's GPU machine (%s) on %s with tfc at `%s`, by `scripts/gpu-verify.sh` (steps `verify`, `bench`, `torch`), which also holds the exact commands; results in `bench/gpu/results.json`. ", g.Machine, g.Date, g.Commit)
	w.p("Each tfc figure is one `tfc run -engine` process: %d untimed then %d timed inferences back to back on one execution context. ", g.Warmup, g.Iterations)
	w.p("**Latency** is end to end on the host (input copied into pinned memory, host-to-device copy, the engine, device-to-host copy, output copied out); **GPU compute** is the engine alone (CUDA events around enqueueV3); throughput is inferences per second of wall time. PyTorch's latency is the same span: a pinned input copied to the GPU, the model, the output copied back, synchronized.\n\n")
	if g.Note != "" {
		w.p("%s\n\n", g.Note)
	}
	if v := g.Verify; v != nil {
		w.p("**Verification** (`tfc verify -backend=trt`, strict FP32, every shipped case and model and ResNet50): **%d of %d match TensorFlow**. Not matching:\n\n", v.Passed, v.Total)
		for _, f := range v.Failures {
			w.p("- %s\n", f)
		}
		w.p("\n")
	}
	rows := append(append([]gpuEngine{}, g.TFC...), g.TFCTF32...)
	var tr [][]string
	for _, e := range rows {
		name := fmt.Sprintf("%s (batch %d)", e.Model, e.Batch)
		if e.Timing == nil {
			tr = append(tr, []string{name, e.FP32Math, "failed: " + escape(firstLine(e.Error)), "", "", "", "", ""})
			continue
		}
		row := []string{name, e.FP32Math, msStr(e.Timing.Latency.MedianMS), msStr(e.Timing.Latency.P99MS), msStr(e.Timing.compute()),
			fmt.Sprintf("%.0f/s", e.Timing.qps()*float64(e.Batch))}
		if t := e.TimingGraph; t != nil {
			row = append(row, msStr(t.Latency.MedianMS), fmt.Sprintf("%.0f/s", t.qps()*float64(e.Batch)))
		} else {
			row = append(row, "failed: "+escape(firstLine(e.Error)), "")
		}
		tr = append(tr, row)
	}
	w.p("### tfc engines\n\n")
	w.table([]string{"model", "FP32 math", "latency p50", "p99", "GPU compute p50", "images/s", "with `-cuda-graph`: p50", "images/s"}, tr)

	if g.Torch != nil {
		w.p("### ResNet50 next to PyTorch %s (torchvision ResNet50, random weights, `cudnn.benchmark`)\n\n", g.Torch.Torch)
		var pr [][]string
		for _, math := range []string{"fp32", "tf32x3", "tf32"} {
			for _, batch := range []int{1, 32} {
				for _, e := range rows {
					if e.Model == "resnet50" && e.Batch == batch && e.FP32Math == math && e.Timing != nil {
						pr = append(pr, []string{"tfc engine", math, fmt.Sprint(batch), msStr(e.Timing.Latency.MedianMS), msStr(e.Timing.Latency.P99MS), fmt.Sprintf("%.0f/s", e.Timing.qps()*float64(batch))})
						if t := e.TimingGraph; t != nil {
							pr = append(pr, []string{"tfc engine, `-cuda-graph`", math, fmt.Sprint(batch), msStr(t.Latency.MedianMS), msStr(t.Latency.P99MS), fmt.Sprintf("%.0f/s", t.qps()*float64(batch))})
						}
					}
				}
				for _, t := range g.Torch.Results {
					if t.Batch == batch && t.FP32Math == math && t.Error == "" {
						pr = append(pr, []string{"PyTorch " + t.Mode, math, fmt.Sprint(batch), msStr(t.P50MS), msStr(t.P99MS), fmt.Sprintf("%.0f/s", t.ThroughputQPS*float64(batch))})
					}
				}
			}
		}
		w.table([]string{"runner", "FP32 math", "batch", "latency p50", "p99", "images/s"}, pr)
	}

	w.gpuGoals(rows)

	w.p("### Start-up: JIT compilation and the runtime cache\n\n")
	w.p("TensorRT-RTX compiles its kernels when the first execution context is made. `-runtime-cache FILE` keeps them: the first process compiles and writes the cache, a second one loads it.\n\n")
	var sr [][]string
	for _, e := range rows {
		if e.ContextColdMS == 0 {
			continue
		}
		sr = append(sr, []string{fmt.Sprintf("%s (batch %d)", e.Model, e.Batch), e.FP32Math, fmt.Sprintf("%.2f s", e.CompileS),
			fmt.Sprintf("%.1f MB", float64(e.PlanBytes)/1e6), msStr(e.LoadMS), msStr(e.ContextColdMS), msStr(e.ContextCachedMS), fmt.Sprintf("%.2f s", e.ProcessCachedS)})
	}
	w.table([]string{"model", "FP32 math", "`tfc compile -emit=engine`", "plan", "load", "first context, no cache (JIT)", "with the runtime cache", "whole second `tfc run -engine` (one inference)"}, sr)
}

// firstLine is the gist of an error: its last "tfc run: " message, on one line.
func firstLine(s string) string {
	if i := strings.LastIndex(s, "tfc run: "); i >= 0 {
		s = s[i+len("tfc run: "):]
	}
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// gpuGoals checks issue #22's targets for ResNet50 against PyTorch eager in
// the same FP32 math: at least 2x faster at batch 1 (about 2 ms or less),
// faster at batch 32, and a second tfc run -engine with the runtime cache
// under a second.
func (w *writer) gpuGoals(rows []gpuEngine) {
	if w.gpuRes.Torch == nil {
		return
	}
	best := func(e gpuEngine) float64 { // the faster of plain and -cuda-graph
		v := e.Timing.Latency.MedianMS
		if e.TimingGraph != nil {
			v = min(v, e.TimingGraph.Latency.MedianMS)
		}
		return v
	}
	eager := func(batch int, math string) float64 {
		for _, t := range w.gpuRes.Torch.Results {
			if t.Mode == "eager" && t.Batch == batch && t.FP32Math == math && t.Error == "" {
				return t.P50MS
			}
		}
		return 0
	}
	status := func(ok bool) string {
		if ok {
			return "**met**"
		}
		return "**not met**"
	}
	var gr [][]string
	for _, math := range []string{"fp32", "tf32x3", "tf32"} {
		// tf32x3 engines are FP32-accurate (verified at the strict FP32 tolerances): they
		// are compared with PyTorch in strict FP32.
		ref, what := math, math
		if math == "tf32x3" {
			ref, what = "fp32", "tf32x3 (FP32-accurate) against PyTorch's fp32"
		}
		for _, e := range rows {
			if e.Model != "resnet50" || e.FP32Math != math || e.Timing == nil {
				continue
			}
			t, p := best(e), eager(e.Batch, ref)
			if p == 0 {
				continue
			}
			if e.Batch == 1 {
				gr = append(gr, []string{fmt.Sprintf("ResNet50 batch 1, %s: ≥ 2× PyTorch eager and ≈ 2 ms or less", what),
					fmt.Sprintf("%s vs %s: %.2f×", msStr(t), msStr(p), p/t), status(p/t >= 2 && t <= 2.05)})
			} else {
				gr = append(gr, []string{fmt.Sprintf("ResNet50 batch %d, %s: faster than PyTorch eager", e.Batch, what),
					fmt.Sprintf("%s vs %s: %.2f×", msStr(t), msStr(p), p/t), status(t < p)})
			}
		}
	}
	worst := 0.0
	for _, e := range rows {
		worst = max(worst, e.ProcessCachedS)
	}
	if worst > 0 {
		gr = append(gr, []string{"a second `tfc run -engine` with the runtime cache starts in under a second", fmt.Sprintf("slowest whole process %.2f s", worst), status(worst < 1)})
	}
	w.p("Issue #22's targets (tfc's faster of plain and `-cuda-graph`, p50):\n\n")
	w.table([]string{"goal", "measured", "status"}, gr)
}
