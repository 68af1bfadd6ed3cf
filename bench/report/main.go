// Command report turns a results file of bench/run.sh into BENCHMARKS.md
// and its PNG plots (made with gonum.org/v1/plot).
//
//	go run ./bench/report -in bench/results.json -md BENCHMARKS.md -plots bench/plots
//
// The report is a pure function of the results file: rerunning it on the
// same file writes the same Markdown and plots.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/bench/internal/results"
)

// The goals of issue 18 (which tightened issue 9's).
const (
	goalSpeedup      = 100.0 // conversion of ResNet50 at least this much faster than tf2onnx
	goalRSSFactor    = 1.0   // peak RSS ≤ goalRSSFactor × model file + goalRSSExtraMB
	goalRSSExtraMB   = 50.0
	goalExponent     = 1.05 // scaling exponent of compile time
	goalBigNodes     = 1_000_000
	goalBigTimeS     = 10.0   // synthetic graph of goalBigNodes: compile time
	goalBigRSSMB     = 1000.0 // and peak RSS
	goalInferVsCV    = 2.0    // trt-ref within this factor of OpenCV dnn on every model
	headlineModel    = "resnet50"
	referenceEngine  = "tfc-trt-ref"
	opencvEngine     = "opencv-dnn"
	interpEngine     = "tfc-interp"
	onnxruntimeEngin = "onnxruntime"
)

// inferGoalModels are the models the reference executor's goal covers,
// by their names in the results, with the names the report shows.
var inferGoalModels = map[string]string{"resnet50": "ResNet50", "mobilenetv2": "MobileNetV2"}

var engines = []string{referenceEngine, interpEngine, opencvEngine, onnxruntimeEngin}

func main() {
	in := flag.String("in", "bench/results.json", "results `file`")
	md := flag.String("md", "BENCHMARKS.md", "Markdown `file` to write")
	plots := flag.String("plots", "bench/plots", "`dir` for the PNG plots")
	gpuIn := flag.String("gpu", "bench/gpu/results.json", "GPU results `file` (scripts/gpu-bench.py --collect); its section is left out if it does not exist")
	beforeIn := flag.String("before", "bench/results-before.json", "results `file` of an earlier run, whose goal figures are shown beside this run's; left out if it does not exist")
	flag.Parse()
	gpuRes, err := readGPU(*gpuIn)
	if err != nil {
		fatal(err)
	}
	r, err := results.Read(*in)
	if err != nil {
		fatal(err)
	}
	if err := os.MkdirAll(*plots, 0o755); err != nil {
		fatal(err)
	}
	rel, err := filepath.Rel(filepath.Dir(*md), *plots)
	if err != nil {
		rel = *plots
	}
	var b bytes.Buffer
	inRel, err := filepath.Rel(filepath.Dir(*md), *in) // as the reader of the Markdown file finds it
	if err != nil {
		inRel = *in
	}
	w := &writer{b: &b, r: r, plots: *plots, plotsRel: filepath.ToSlash(rel), in: inRel, gpuRes: gpuRes}
	if _, err := os.Stat(*beforeIn); err == nil {
		before, err := results.Read(*beforeIn)
		if err != nil {
			fatal(err)
		}
		bw := &writer{b: &bytes.Buffer{}, r: before}
		bw.evaluateGoals()
		w.before, w.beforeRows = before, bw.goalRows
	}
	w.write()
	if w.err != nil {
		fatal(w.err)
	}
	if err := os.WriteFile(*md, b.Bytes(), 0o644); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "bench/report: wrote %s and %d plots in %s\n", *md, w.nplots, *plots)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench/report:", err)
	os.Exit(1)
}

type writer struct {
	gpuRes        *gpuResults // bench/gpu/results.json, if present
	b             *bytes.Buffer
	r             *results.Results
	plots         string
	plotsRel      string
	in            string
	err           error
	nplots        int
	short         []shortfall // goals not met, for the closing section
	goalRows      [][]string
	headlineFacts []string
	before        *results.Results // -before, if present
	beforeRows    [][]string       // its goal rows
}

type shortfall struct{ goal, by string }

func (w *writer) p(format string, args ...any) { fmt.Fprintf(w.b, format, args...) }

func (w *writer) plot(make func(*results.Results, string) (string, error), alt string) {
	path, err := make(w.r, w.plots)
	if err != nil {
		w.p("(plot %s not drawn: %v)\n\n", alt, err)
		return
	}
	w.nplots++
	w.p("![%s](%s/%s)\n\n", alt, w.plotsRel, filepath.Base(path))
}

// table writes a Markdown table.
func (w *writer) table(head []string, rows [][]string) {
	w.p("| %s |\n", strings.Join(head, " | "))
	seps := make([]string, len(head))
	for i := range seps {
		seps[i] = "---"
	}
	w.p("| %s |\n", strings.Join(seps, " | "))
	for _, r := range rows {
		w.p("| %s |\n", strings.Join(r, " | "))
	}
	w.p("\n")
}

// Formatting.

func secs(v float64) string {
	switch {
	case math.IsNaN(v):
		return "—"
	case v >= 100:
		return fmt.Sprintf("%.0f s", v)
	case v >= 10:
		return fmt.Sprintf("%.1f s", v)
	case v >= 1:
		return fmt.Sprintf("%.2f s", v)
	case v >= 0.1:
		return fmt.Sprintf("%.0f ms", v*1e3)
	case v >= 0.01:
		return fmt.Sprintf("%.1f ms", v*1e3)
	case v >= 0.001:
		return fmt.Sprintf("%.2f ms", v*1e3)
	}
	return fmt.Sprintf("%.0f µs", v*1e6)
}

// spread is "median (min–max)" in seconds.
func spread(v []float64) string {
	if len(v) == 0 {
		return "—"
	}
	lo, hi := results.MinMax(v)
	return fmt.Sprintf("**%s** (%s–%s)", secs(results.Median(v)), secs(lo), secs(hi))
}

func mb(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f MB", v)
	}
	return fmt.Sprintf("%.1f MB", v)
}

func mbSpread(v []float64) string {
	if len(v) == 0 {
		return "—"
	}
	lo, hi := results.MinMax(v)
	if hi-lo < 0.05*hi {
		return mb(results.Median(v))
	}
	return fmt.Sprintf("%s (%s–%s)", mb(results.Median(v)), mb(lo), mb(hi))
}

func ratio(v float64) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "—"
	case v >= 10:
		return fmt.Sprintf("%.0f×", v)
	case v < 0.95:
		return fmt.Sprintf("%.2g×", v)
	}
	return fmt.Sprintf("%.1f×", v)
}

func met(ok bool) string {
	if ok {
		return "**met**"
	}
	return "**not met**"
}

func loadStr(l results.Load) string {
	return fmt.Sprintf("%.2f → %.2f", l.Start[0], l.End[0])
}

func escape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

func speedup(m results.ConvModel) float64 {
	if !m.TFC.OK() || !m.TF2ONNX.OK() {
		return math.NaN()
	}
	return results.Median(m.TF2ONNX.Wall()) / results.Median(m.TFC.Wall())
}

// rssGoalText is the RSS goal in words.
func rssGoalText() string {
	if goalRSSFactor == 1 {
		return fmt.Sprintf("model file + %.0f MB", goalRSSExtraMB)
	}
	return fmt.Sprintf("%.1f × model file + %.0f MB", goalRSSFactor, goalRSSExtraMB)
}

func rssLimitMB(fileBytes int64) float64 {
	return goalRSSFactor*float64(fileBytes)/1e6 + goalRSSExtraMB
}

func engineRun(m results.InferModel, name string) *results.InferRun {
	for i := range m.Engines {
		if m.Engines[i].Engine == name {
			return &m.Engines[i]
		}
	}
	return nil
}

func (w *writer) write() {
	r := w.r
	w.evaluateGoals()
	w.p("# tfc benchmarks\n\n")
	w.p("<!-- Generated by bench/report from %s; do not edit. Regenerate with bench/run.sh. -->\n\n", filepath.ToSlash(w.in))
	w.p("tfc side by side with the tools a user would pick instead, on the same models on the same machine, in one run of\n\n")
	w.p("```sh\nbench/run.sh\n```\n\n")
	w.p("(see [Reproducing](#reproducing)). Times are whole processes unless stated; each cell is the **median** and (min–max) over the runs. ")
	w.p("The Go `testing.B` benchmarks (`go test -bench . ./...`) stay the tool for inner loops; this is the whole-program view.\n\n")
	w.p("Run of %s (commit `%s`), %s to %s.\n\n", dateOf(r.Started), r.Commit, timeOf(r.Started), timeOf(r.Finished))

	w.p("## Headline\n\n")
	for _, f := range w.headlineFacts {
		w.p("- %s\n", f)
	}
	w.p("\n## Goals\n\n")
	w.table([]string{"goal", "target", "measured", "status"}, w.goalRows)
	w.beforeAfter()

	w.machine()
	w.conversion()
	w.scaling()
	w.inference()
	w.builder()
	w.gpu()
	w.closing()
	w.reproducing()
}

func dateOf(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return t.Format("2006-01-02")
}

func timeOf(ts string) string {
	t, err := time.Parse(time.RFC3339, ts)
	if err != nil {
		return ts
	}
	return t.Format("15:04 UTC")
}

// evaluateGoals fills the goal table, the headline and the shortfalls.
func (w *writer) evaluateGoals() {
	r := w.r
	add := func(goal, target, measured string, ok bool, by string) {
		status := met(ok)
		if by != "" {
			status += ": " + by
		}
		w.goalRows = append(w.goalRows, []string{goal, target, measured, status})
		if !ok {
			w.short = append(w.short, shortfall{goal, by})
		}
	}
	if c := r.Conversion; c != nil {
		for _, m := range c.Models {
			if m.Name != headlineModel {
				continue
			}
			s := speedup(m)
			tfcT, onnxT := results.Median(m.TFC.Wall()), results.Median(m.TF2ONNX.Wall())
			by := ""
			if s < goalSpeedup {
				by = fmt.Sprintf("%s, %.1f× short; tfc would need %s instead of %s", ratio(s), goalSpeedup/s, secs(onnxT/goalSpeedup), secs(tfcT))
			} else {
				by = fmt.Sprintf("%.1f× above the goal", s/goalSpeedup)
			}
			add("conversion speed, ResNet50", fmt.Sprintf("tfc ≥ %.0f× faster than tf2onnx", goalSpeedup),
				fmt.Sprintf("%s (tfc %s, tf2onnx %s)", ratio(s), secs(tfcT), secs(onnxT)), s >= goalSpeedup, by)
			w.headlineFacts = append(w.headlineFacts, fmt.Sprintf(
				"**Conversion of ResNet50: tfc is %s faster than tf2onnx** (%s vs %s for the whole process, %s vs %s peak RSS).",
				ratio(s), secs(tfcT), secs(onnxT), mb(results.Median(m.TFC.RSSMB())), mb(results.Median(m.TF2ONNX.RSSMB()))))
		}
		// Peak RSS of the headline model (the 1M-node graph's is below).
		for _, m := range c.Models {
			if m.Name != headlineModel || !m.TFC.OK() {
				continue
			}
			rss, limit := results.Median(m.TFC.RSSMB()), rssLimitMB(m.FileBytes)
			by := fmt.Sprintf("%s under", mb(limit-rss))
			if rss > limit {
				by = fmt.Sprintf("%s, %.2f× the limit of %s, %s over", mb(rss), rss/limit, mb(limit), mb(rss-limit))
			}
			add("peak RSS of tfc compile, ResNet50", "≤ "+rssGoalText(),
				fmt.Sprintf("%s (limit %s)", mb(rss), mb(limit)), rss <= limit, by)
		}
	}
	if s := r.Scaling; s != nil && !math.IsNaN(s.TimeFit.Exponent) {
		k := s.TimeFit.Exponent
		by := fmt.Sprintf("%.3f, %.3f over", k, k-goalExponent)
		if k <= goalExponent {
			by = fmt.Sprintf("%.3f under", goalExponent-k)
		}
		add("scaling exponent of compile time", fmt.Sprintf("≤ %.2f", goalExponent),
			fmt.Sprintf("%.3f (R² %.3f, %s–%s nodes)", k, s.TimeFit.R2, nodesStr(s.Points[0].Nodes), nodesStr(s.Points[len(s.Points)-1].Nodes)), k <= goalExponent, by)
		for _, pt := range s.Points {
			if pt.Nodes < goalBigNodes*999/1000 || !pt.TFC.OK() {
				continue
			}
			t, rss := results.Median(pt.TFC.Wall()), results.Median(pt.TFC.RSSMB())
			name := fmt.Sprintf("synthetic %s nodes", nodesStr(pt.Nodes))
			by := fmt.Sprintf("%.1f× over", t/goalBigTimeS)
			if t <= goalBigTimeS {
				by = fmt.Sprintf("%s under", secs(goalBigTimeS-t))
			}
			add("compile time, "+name, fmt.Sprintf("≤ %s", secs(goalBigTimeS)), secs(t), t <= goalBigTimeS, by)
			by = fmt.Sprintf("%.1f× over", rss/goalBigRSSMB)
			if rss <= goalBigRSSMB {
				by = fmt.Sprintf("%s under", mb(goalBigRSSMB-rss))
			}
			add("peak RSS of tfc compile, "+name, fmt.Sprintf("≤ %s", mb(goalBigRSSMB)), mb(rss), rss <= goalBigRSSMB, by)
		}
		w.headlineFacts = append(w.headlineFacts, fmt.Sprintf(
			"**Scaling: compile time grows as nodes^%.2f** over synthetic graphs of %s to %s nodes (peak RSS as nodes^%.2f).",
			k, nodesStr(s.Points[0].Nodes), nodesStr(s.Points[len(s.Points)-1].Nodes), s.RSSFit.Exponent))
	}
	if inf := r.Inference; inf != nil {
		for _, m := range inf.Models {
			display, ok := inferGoalModels[m.Name]
			if !ok {
				continue
			}
			goal := "reference executor vs OpenCV dnn, " + display + " batch 1"
			ref, cv, ort := engineRun(m, referenceEngine), engineRun(m, opencvEngine), engineRun(m, onnxruntimeEngin)
			if ref == nil || cv == nil || ref.Status != "ok" || cv.Status != "ok" {
				add(goal, fmt.Sprintf("≤ %.0f× OpenCV's time", goalInferVsCV), "not measured", false, "an engine did not run")
				continue
			}
			rt, ct := results.Median(ref.TimesS), results.Median(cv.TimesS)
			q := rt / ct
			by := fmt.Sprintf("%s OpenCV's time, %.1f× slower than allowed; needs %s instead of %s", ratio(q), q/goalInferVsCV, secs(ct*goalInferVsCV), secs(rt))
			if q <= goalInferVsCV {
				by = fmt.Sprintf("%.1f× margin", goalInferVsCV/q)
			}
			measured := fmt.Sprintf("%s (tfc trt-ref %s, OpenCV %s", ratio(q), secs(rt), secs(ct))
			if ort != nil && ort.Status == "ok" {
				measured += fmt.Sprintf(", onnxruntime %s", secs(results.Median(ort.TimesS)))
			}
			add(goal, fmt.Sprintf("≤ %.0f× OpenCV's time", goalInferVsCV), measured+")", q <= goalInferVsCV, by)
			if m.Name != headlineModel {
				continue
			}
			fact := fmt.Sprintf("**Inference of ResNet50 on the CPU, batch 1: tfc's reference executor takes %s, %s OpenCV dnn's %s**", secs(rt), ratio(q), secs(ct))
			if ort != nil && ort.Status == "ok" {
				fact += fmt.Sprintf(" and %s onnxruntime's %s", ratio(rt/results.Median(ort.TimesS)), secs(results.Median(ort.TimesS)))
			}
			fact += fmt.Sprintf("; its outputs are within %.2g of TensorFlow's.", ref.MaxAbsErr)
			w.headlineFacts = append(w.headlineFacts, fact)
		}
	}
	if b := w.r.Builder; b != nil && b.Generate.OK() && b.Build.OK() {
		w.headlineFacts = append(w.headlineFacts, fmt.Sprintf(
			"**Generated builder of ResNet50:** `tfc compile -emit=go` in %s, and `go build` of the generated code in %s.",
			secs(results.Median(b.Generate.Wall())), secs(results.Median(b.Build.Wall()))))
	}
}

func nodesStr(n int) string {
	switch {
	case n >= 999_000:
		return fmt.Sprintf("%.0fM", float64(n)/1e6)
	case n >= 999:
		return fmt.Sprintf("%.0fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

func (w *writer) machine() {
	r := w.r
	m := r.Machine
	w.p("## Machine\n\n")
	rows := [][]string{
		{"CPU", fmt.Sprintf("%s, %d logical cores", m.CPU, m.Cores)},
		{"memory", fmt.Sprintf("%.1f GiB", float64(m.MemBytes)/(1<<30))},
		{"OS", fmt.Sprintf("%s, Linux %s, %s", m.OS, m.Kernel, m.Arch)},
		{"Go", r.Versions["go"]},
		{"Python", r.Versions["python"]},
	}
	for _, k := range []string{"tensorflow-cpu", "tf2onnx", "onnx", "onnxruntime", "opencv-python-headless", "numpy", "protobuf"} {
		if v, ok := r.Versions[k]; ok {
			rows = append(rows, []string{k, v})
		}
	}
	rows = append(rows, []string{"tfc", "commit `" + r.Commit + "`"})
	w.table([]string{"", ""}, rows)
	w.p("The 1-minute load average at the start and end of each section (the benchmark itself adds about 1–2; more is other work on the machine):\n\n")
	var lrows [][]string
	lrows = append(lrows, []string{"run start", fmt.Sprintf("%.2f", m.LoadAvg[0])})
	if r.Conversion != nil {
		lrows = append(lrows, []string{"1. conversion", loadStr(r.Conversion.Load)})
	}
	if r.Scaling != nil {
		lrows = append(lrows, []string{"2. scaling", loadStr(r.Scaling.Load)})
	}
	if r.Inference != nil {
		lrows = append(lrows, []string{"3. inference", loadStr(r.Inference.Load)})
	}
	if r.Builder != nil {
		lrows = append(lrows, []string{"4. generated builder", loadStr(r.Builder.Load)})
	}
	for _, p := range r.Profiles {
		lrows = append(lrows, []string{"profile " + p.Name, loadStr(p.Load)})
	}
	w.table([]string{"section", "load average (1 min), start → end"}, lrows)
	for _, n := range r.Notes {
		w.p("- %s\n", n)
	}
	w.p("\n")
}

func (w *writer) conversion() {
	c := w.r.Conversion
	if c == nil {
		return
	}
	w.p("## 1. Conversion: frozen graph → TensorRT network (tfc) vs frozen graph → ONNX (tf2onnx)\n\n")
	w.p("tfc: `tfc compile -emit=network MODEL > NET` (import, pass pipeline, lowering to TensorRT layers with validation, the network's text). ")
	w.p("tf2onnx: `python -m tf2onnx.convert --graphdef MODEL --inputs x:0 --outputs Identity:0 --opset 17 --output M.onnx`. ")
	w.p("Both whole processes, start-up included, %d runs each after one untimed run, the two tools alternating.\n\n", len(firstRuns(c)))
	var rows [][]string
	for _, m := range c.Models {
		rows = append(rows, []string{
			m.Name, fmt.Sprint(m.Nodes), mb(float64(m.FileBytes) / 1e6),
			procTime(m.TFC), procTime(m.TF2ONNX), "**" + ratio(speedup(m)) + "**", ratio(cpu(m.TF2ONNX) / cpu(m.TFC)),
			procRSS(m.TFC), procRSS(m.TF2ONNX), mb(rssLimitMB(m.FileBytes)),
		})
	}
	w.table([]string{"model", "GraphDef nodes", "file", "tfc wall", "tf2onnx wall", "speed-up (wall)", "speed-up (CPU time)", "tfc peak RSS", "tf2onnx peak RSS", "RSS goal"}, rows)
	w.p("Speed-up is tf2onnx's median over tfc's; the CPU-time speed-up (user + system, less sensitive to other load on the machine) is \"—\" when tfc's CPU time is below GNU time's 10 ms resolution. RSS goal: %s.\n\n", rssGoalText())
	for _, m := range c.Models {
		if m.TFC.OK() && m.TF2ONNX.OK() {
			w.p("- %s: tfc wrote %s of network text, tf2onnx %s of ONNX; CPU time (user+sys, median) %s vs %s.\n", m.Name,
				bytesStr(m.TFC.OutputBytes), bytesStr(m.TF2ONNX.OutputBytes), cpuStr(cpu(m.TFC)), cpuStr(cpu(m.TF2ONNX)))
		}
		for _, p := range []results.Proc{m.TFC, m.TF2ONNX} {
			if p.Error != "" {
				w.p("- %s: %s failed: `%s`\n", m.Name, p.Tool, escape(p.Error))
			}
		}
	}
	if st := c.TF2ONNXStartup; st.OK() {
		w.p("- tf2onnx's fixed cost, `python -c 'import tf2onnx.convert'` (the interpreter importing TensorFlow and tf2onnx, no model): %s wall, %s peak RSS, %d runs. It bounds the speed-up on small models.\n",
			spread(st.Wall()), mbSpread(st.RSSMB()), len(st.Runs))
	}
	if inf := w.r.Inference; inf != nil {
		for _, m := range inf.Models {
			if e := engineRun(m, onnxruntimeEngin); e != nil && e.Status == "unsupported" {
				w.p("- %s: tf2onnx exits 0, but onnxruntime rejects its model (see section 3): `%s`\n", m.Name, escape(short(e.Error, 300)))
			}
		}
	}
	w.p("\n")
	w.plot(plotConversion, "conversion speed-up per model")
	w.plot(plotMemory, "peak RSS per model")
}

func short(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func firstRuns(c *results.Conversion) []results.Sample {
	for _, m := range c.Models {
		if m.TFC.OK() {
			return m.TFC.Runs
		}
	}
	return nil
}

func cpu(p results.Proc) float64 {
	var v []float64
	for _, s := range p.Runs {
		v = append(v, s.UserS+s.SysS)
	}
	return results.Median(v)
}

// cpuStr is secs for CPU times, which GNU time gives in 10 ms steps.
func cpuStr(v float64) string {
	if v == 0 {
		return "< 10 ms"
	}
	return secs(v)
}

func bytesStr(n int64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d B", n)
}

func procTime(p results.Proc) string {
	if !p.OK() {
		return "failed"
	}
	return spread(p.Wall())
}

func procRSS(p results.Proc) string {
	if !p.OK() {
		return "—"
	}
	return mbSpread(p.RSSMB())
}

func (w *writer) scaling() {
	s := w.r.Scaling
	if s == nil {
		return
	}
	w.p("## 2. Scaling: tfc compile on synthetic graphs\n\n")
	w.p("`tfc compile -emit=network` on chains of dense residual blocks (`internal/synth`, written by `bench/synthgraph`: MatMul, BiasAdd, Relu, AddV2 and two Consts per block on a [1, 8] input), whole process. ")
	w.p("The exponent is the slope of a least-squares fit of log(median time) on log(nodes).\n\n")
	var rows [][]string
	for _, pt := range s.Points {
		per := "—"
		if pt.TFC.OK() {
			per = fmt.Sprintf("%.1f µs", results.Median(pt.TFC.Wall())/float64(pt.Nodes)*1e6)
		}
		rows = append(rows, []string{nodesStr(pt.Nodes), fmt.Sprint(pt.Nodes), mb(float64(pt.FileBytes) / 1e6), fmt.Sprint(len(pt.TFC.Runs)),
			procTime(pt.TFC), per, procRSS(pt.TFC), mb(rssLimitMB(pt.FileBytes))})
	}
	w.table([]string{"graph", "GraphDef nodes", "file", "runs", "tfc wall", "per node", "tfc peak RSS", "RSS goal"}, rows)
	w.p("Fitted exponent: **time ∝ nodes^%.3f** (R² %.3f); peak RSS ∝ nodes^%.3f (R² %.3f; the fixed start-up size weighs most on the smallest graph).", s.TimeFit.Exponent, s.TimeFit.R2, s.RSSFit.Exponent, s.RSSFit.R2)
	var seg []string
	for i := 1; i < len(s.Points); i++ {
		a, b := s.Points[i-1], s.Points[i]
		if a.TFC.OK() && b.TFC.OK() {
			k := math.Log(results.Median(b.TFC.Wall())/results.Median(a.TFC.Wall())) / math.Log(float64(b.Nodes)/float64(a.Nodes))
			seg = append(seg, fmt.Sprintf("%s→%s: %.3f", nodesStr(a.Nodes), nodesStr(b.Nodes), k))
		}
	}
	if len(seg) > 0 {
		w.p(" Slope between neighbouring sizes: %s.", strings.Join(seg, ", "))
	}
	w.p("\n\n")
	w.plot(plotScaling, "log-log compile time and peak RSS against nodes")
}

func (w *writer) inference() {
	inf := w.r.Inference
	if inf == nil {
		return
	}
	w.p("## 3. CPU inference, batch 1, steady state\n\n")
	w.p("Each engine loads the model once, runs 3 untimed inferences, then times inferences one by one on the case's `input_0.npy`; ")
	w.p("the error is the largest |output − TensorFlow's output| (the case's `output_0.npy`, written by TensorFlow 2.21 with oneDNN off). Engines:\n\n")
	w.p("- `tfc-trt-ref`: the TensorRT network that `tfc compile` builds, on tfc's CPU reference executor (`tfc run -backend=trt-ref` without the start-up; `bench/infer`).\n")
	w.p("- `tfc-interp`: the IR as imported, on the reference interpreter (`tfc run -backend=interp`; `bench/infer`).\n")
	w.p("- `opencv-dnn`: `cv2.dnn.readNetFromTensorflow` on the frozen graph; when that fails, on the graph after TensorFlow's grappler constant folding (noted).\n")
	w.p("- `onnxruntime`: the CPU execution provider on tf2onnx's output from section 1.\n\n")
	for _, m := range inf.Models {
		ref := engineRun(m, referenceEngine)
		cv := engineRun(m, opencvEngine)
		w.p("### %s\n\n", m.Name)
		var rows [][]string
		var notes []string
		for _, e := range m.Engines {
			if e.Status != "ok" {
				rows = append(rows, []string{"`" + e.Engine + "`", e.Status, "—", "—", "—", "—", "—", "—"})
				notes = append(notes, fmt.Sprintf("`%s` %s: `%s`", e.Engine, e.Status, escape(short(e.Error, 400))))
				continue
			}
			med := results.Median(e.TimesS)
			vsRef, vsCV := "—", "—"
			if ref != nil && ref.Status == "ok" {
				vsRef = ratio(med / results.Median(ref.TimesS))
			}
			if cv != nil && cv.Status == "ok" {
				vsCV = ratio(med / results.Median(cv.TimesS))
			}
			rows = append(rows, []string{"`" + e.Engine + "`", "ok", spread(e.TimesS), fmt.Sprint(len(e.TimesS)), vsRef, vsCV,
				fmt.Sprintf("%.2g", e.MaxAbsErr), fmt.Sprintf("%d / %s", e.Threads, secs(e.PrepareS))})
			if e.Note != "" && strings.Contains(e.Note, "fails") {
				notes = append(notes, fmt.Sprintf("`%s`: %s", e.Engine, escape(short(e.Note, 500))))
			}
		}
		w.table([]string{"engine", "status", "time per inference", "runs", "÷ tfc-trt-ref", "÷ opencv-dnn", "max abs error vs TF", "threads / prepare"}, rows)
		for _, n := range notes {
			w.p("- %s\n", n)
		}
		if len(notes) > 0 {
			w.p("\n")
		}
	}
	w.plot(plotInference, "time per inference by engine and model")
}

func (w *writer) builder() {
	b := w.r.Builder
	if b == nil {
		return
	}
	w.p("## 4. Generated builder: `tfc compile -emit=go` and `go build`, %s\n\n", b.Model)
	w.p("`tfc compile -emit=go -o builder/builder.go MODEL` writes Go code with one statement per layer and a weights file beside it. ")
	w.p("Then %s.\n\n", b.BuildNote)
	rows := [][]string{
		{"`tfc compile -emit=go` (whole process)", fmt.Sprint(len(b.Generate.Runs)), procTime(b.Generate), procRSS(b.Generate)},
		{"`go build` of the generated builder", fmt.Sprint(len(b.Build.Runs)), procTime(b.Build), procRSS(b.Build)},
		{"first `go build` (untimed above)", "1", secs(b.FirstBuild.WallS), mb(float64(b.FirstBuild.MaxRSSKB) * 1024 / 1e6)},
	}
	w.table([]string{"step", "runs", "wall", "peak RSS"}, rows)
	w.p("The generated code is %s for %d layers, the weights file %s; the built program is %s and rebuilds the same %d-layer network (checked).\n\n",
		bytesStr(b.CodeBytes), b.Layers, bytesStr(b.WeightsBytes), bytesStr(b.Build.OutputBytes), b.Layers)
	for _, p := range []results.Proc{b.Generate, b.Build} {
		if p.Error != "" {
			w.p("- %s failed: `%s`\n\n", p.Tool, escape(p.Error))
		}
	}
}

func (w *writer) closing() {
	w.p("## Where tfc falls short, and the next bottleneck\n\n")
	if len(w.short) == 0 {
		w.p("Every goal is met in this run.\n\n")
	} else {
		for _, s := range w.short {
			w.p("- **%s**: %s.\n", s.goal, s.by)
		}
		w.p("\n")
	}
	if len(w.r.Profiles) == 0 {
		return
	}
	w.p("Next bottleneck, by profile (the three largest flat entries; then tfc's stages by cumulative time, which leaves out work done on other goroutines such as the GEMM workers of `kernels`):\n\n")
	for _, p := range w.r.Profiles {
		if top := topEntries(p.Top, 3, false); top != "" {
			w.p("- %s (%s): %s", p.Name, p.Goal, top)
			if cum := topEntries(p.Cum, 4, true); cum != "" {
				w.p("; by cumulative time in tfc: %s", cum)
			}
			w.p("\n")
		}
	}
	w.p("\nThe profiles are of the Go benchmarks in `bench/prof` (the same work as the whole-program measurements, in one process); the top entries of `go tool pprof -top`:\n\n")
	for _, p := range w.r.Profiles {
		w.p("### %s (%s)\n\n", p.Name, p.Goal)
		w.p("```\n%s\n```\n\n", p.Command)
		if p.Benchmark != "" {
			w.p("```\n%s```\n\n", p.Benchmark)
		}
		w.p("```\n%s```\n\n", p.Top)
		if p.Cum != "" {
			w.p("tfc's own functions by cumulative time (`-cum -show=tfc-dev/tfc/`):\n\n```\n%s```\n\n", p.Cum)
		}
	}
}

// topEntries names the first n entries of a pprof -top listing with
// their flat share (or, with cum, their cumulative share, skipping the
// benchmark's own functions).
func topEntries(top string, n int, cum bool) string {
	var out []string
	in := false
	for _, l := range strings.Split(top, "\n") {
		f := strings.Fields(l)
		if len(f) >= 5 && f[0] == "flat" {
			in = true
			continue
		}
		if !in || len(f) < 6 {
			continue
		}
		name := strings.Join(f[5:], " ")
		name = strings.TrimPrefix(name, "github.com/tfc-dev/tfc/")
		share := f[1]
		if cum {
			if strings.HasPrefix(name, "bench/") {
				continue // the benchmark's own wrappers
			}
			share = f[4]
		}
		out = append(out, fmt.Sprintf("`%s` %s", name, share))
		if len(out) == n {
			break
		}
	}
	return strings.Join(out, ", ")
}

func (w *writer) reproducing() {
	w.p("## Reproducing\n\n")
	w.p("```sh\nbench/run.sh            # everything: venv, models, tools, all sections, results, this report\n")
	w.p("bench/run.sh -quick     # one run each and graphs up to 100k nodes, to try the harness\n")
	w.p("go run ./bench/report   # only rewrite BENCHMARKS.md and bench/plots from bench/results.json\n```\n\n")
	w.p("`bench/run.sh` creates `bench/.venv` (git-ignored) with the pinned `bench/requirements.txt` from PyPI, ")
	w.p("generates ResNet50 with `testdata/gen/generate.sh --resnet50` if `testdata/large/resnet50` is missing, builds `tfc`, `bench/infer` and `bench/synthgraph` into `bench/out` (git-ignored), ")
	w.p("runs `bench/driver` (which writes `bench/out/results.json`), copies the results to `bench/results.json` and runs `bench/report`. ")
	w.p("It needs Go 1.26, Python 3.11 and GNU time (`/usr/bin/time`; the script installs Debian's `time` package when it is missing).\n")
	if w.gpuRes != nil {
		w.p("\nThe GPU section comes from `bench/gpu/results.json`: `scripts/gpu-verify.sh pack -resnet50` here, its `run` calls on the H200 machine with the steps `setup verify`, then `bench` and `torch`, ")
		w.p("and `scripts/gpu-bench.py --collect` on the files they bring back (the script's header says how).\n")
	}
}

// beforeAfter shows each goal's figure in an earlier run (-before) beside
// this run's: what the work between the two commits changed.
func (w *writer) beforeAfter() {
	if w.before == nil {
		return
	}
	b := w.before
	w.p("### Before and after\n\n")
	w.p("The same goals in the run of %s (commit `%s`, %s) and in this one (commit `%s`), both by bench/run.sh on this kind of machine; the earlier results are kept in `bench/results-before.json`.\n\n",
		dateOf(b.Started), b.Commit, timeOf(b.Started), w.r.Commit)
	before := map[string][]string{}
	for _, row := range w.beforeRows {
		before[row[0]] = row
	}
	var rows [][]string
	for _, row := range w.goalRows {
		was, then := "not measured", ""
		if old, ok := before[row[0]]; ok {
			was, then = old[2], old[3]
		}
		if then != "" {
			was += " (" + then + ")"
		}
		rows = append(rows, []string{row[0], row[1], was, row[2] + " (" + row[3] + ")"})
	}
	w.table([]string{"goal", "target", "before", "now"}, rows)
}
