// Package results is the schema of bench/out/results.json, written by
// bench/driver and read by bench/report, and the small statistics both
// use (median, min, max, log-log fits).
package results

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
)

// Schema is the version of the file format.
const Schema = 1

// Results is everything one run of bench/run.sh measured.
type Results struct {
	Schema   int               `json:"schema"`
	Started  string            `json:"started"` // RFC 3339
	Finished string            `json:"finished"`
	Command  string            `json:"command"` // how the run was started
	Commit   string            `json:"commit"`  // git HEAD of the measured tree (+dirty)
	Machine  Machine           `json:"machine"`
	Versions map[string]string `json:"versions"` // go, python, tensorflow-cpu, tf2onnx, onnx, onnxruntime, opencv, numpy
	Notes    []string          `json:"notes,omitempty"`

	Conversion *Conversion `json:"conversion,omitempty"`
	Scaling    *Scaling    `json:"scaling,omitempty"`
	Inference  *Inference  `json:"inference,omitempty"`
	Builder    *Builder    `json:"builder,omitempty"`
	Profiles   []Profile   `json:"profiles,omitempty"`
}

// Machine describes the computer the run was on.
type Machine struct {
	CPU      string  `json:"cpu"`
	Cores    int     `json:"cores"` // logical CPUs usable by the run
	MemBytes int64   `json:"mem_bytes"`
	OS       string  `json:"os"`
	Kernel   string  `json:"kernel"`
	Arch     string  `json:"arch"`
	Hostname string  `json:"hostname,omitempty"`
	LoadAvg  LoadAvg `json:"loadavg_at_start"`
}

// LoadAvg is /proc/loadavg's 1, 5 and 15 minute averages.
type LoadAvg [3]float64

// Load brackets a section with the load average at its start and end:
// other work on the machine shows up as load above the benchmark's own.
type Load struct {
	Start LoadAvg `json:"start"`
	End   LoadAvg `json:"end"`
}

// Sample is one run of a whole process.
type Sample struct {
	WallS    float64 `json:"wall_s"`
	UserS    float64 `json:"user_s"`
	SysS     float64 `json:"sys_s"`
	MaxRSSKB int64   `json:"max_rss_kb"` // GNU time %M: ru_maxrss of the process and its waited-for children
}

// Proc is a process measured several times.
type Proc struct {
	Tool    string   `json:"tool"`
	Command []string `json:"command"`
	// Stdout is the file standard output was redirected to, if any.
	Stdout string   `json:"stdout,omitempty"`
	Runs   []Sample `json:"runs"`
	Error  string   `json:"error,omitempty"` // set when a run failed; Runs holds the ones that succeeded
	// OutputBytes is the size of what the process wrote (the network
	// description, the .onnx file, the generated code).
	OutputBytes int64 `json:"output_bytes,omitempty"`
}

// OK reports whether the process ran at least once without error.
func (p *Proc) OK() bool { return p != nil && p.Error == "" && len(p.Runs) > 0 }

// Wall returns the wall times in seconds.
func (p *Proc) Wall() []float64 {
	var v []float64
	for _, s := range p.Runs {
		v = append(v, s.WallS)
	}
	return v
}

// RSSMB returns the peak RSS of each run in MB (10^6 bytes).
func (p *Proc) RSSMB() []float64 {
	var v []float64
	for _, s := range p.Runs {
		v = append(v, float64(s.MaxRSSKB)*1024/1e6)
	}
	return v
}

// Conversion is section 1: frozen graph → TensorRT network (tfc) against
// frozen graph → ONNX (tf2onnx), whole processes.
type Conversion struct {
	Load   Load        `json:"load"`
	Models []ConvModel `json:"models"`
	// TF2ONNXStartup is python importing tf2onnx.convert (and with it
	// TensorFlow) and exiting: the part of tf2onnx's time that does not
	// depend on the model.
	TF2ONNXStartup Proc `json:"tf2onnx_startup"`
}

// ConvModel is one model converted by both tools.
type ConvModel struct {
	Name      string `json:"name"`
	Path      string `json:"path"`
	FileBytes int64  `json:"file_bytes"`
	Nodes     int    `json:"graphdef_nodes"`
	TFC       Proc   `json:"tfc"`
	TF2ONNX   Proc   `json:"tf2onnx"`
}

// Scaling is section 2: tfc compile on synthetic graphs of growing size.
type Scaling struct {
	Load   Load         `json:"load"`
	Points []ScalePoint `json:"points"`
	// TimeFit and RSSFit are least-squares fits of log(median) against
	// log(nodes): the exponent is the slope.
	TimeFit Fit `json:"time_fit"`
	RSSFit  Fit `json:"rss_fit"`
}

// ScalePoint is one synthetic graph.
type ScalePoint struct {
	Nodes     int    `json:"graphdef_nodes"`
	Path      string `json:"path"`
	FileBytes int64  `json:"file_bytes"`
	TFC       Proc   `json:"tfc"`
}

// Fit is y = C * x^Exponent fitted in log-log space.
type Fit struct {
	Exponent float64 `json:"exponent"`
	C        float64 `json:"c"`
	R2       float64 `json:"r2"`
}

// Inference is section 3: steady-state CPU inference, batch 1.
type Inference struct {
	Load   Load         `json:"load"`
	Models []InferModel `json:"models"`
}

// InferModel is one model run by every engine.
type InferModel struct {
	Name    string     `json:"name"`
	Case    string     `json:"case"` // directory with case.json, input_0.npy and TF's output_0.npy
	Engines []InferRun `json:"engines"`
}

// InferRun is one engine on one model.
type InferRun struct {
	Engine string `json:"engine"` // tfc-trt-ref, tfc-interp, opencv-dnn, onnxruntime
	// Status is "ok", "unsupported" (the engine cannot load or run the
	// model; Error says why) or "failed" (the harness failed).
	Status string `json:"status"`
	Error  string `json:"error,omitempty"`
	Note   string `json:"note,omitempty"`
	// Threads is the engine's thread count (GOMAXPROCS, cv2.getNumThreads,
	// onnxruntime intra-op threads; 0 = the engine's default).
	Threads  int       `json:"threads"`
	PrepareS float64   `json:"prepare_s"` // load and build, before the first run
	Warmup   int       `json:"warmup"`
	TimesS   []float64 `json:"times_s"` // each timed inference after warm-up
	// MaxAbsErr is the largest |engine - TensorFlow| over all outputs.
	MaxAbsErr float64 `json:"max_abs_err"`
}

// Builder is section 4: -emit=go for ResNet50, then go build of the
// generated builder in a module that uses the working tree.
type Builder struct {
	Load     Load   `json:"load"`
	Model    string `json:"model"`
	Layers   int    `json:"layers"`
	Generate Proc   `json:"generate"`
	Build    Proc   `json:"build"`
	// FirstBuild is the untimed first go build (it may compile tfc's
	// packages when the build cache lacks them).
	FirstBuild Sample `json:"first_build"`
	// CodeBytes and WeightsBytes are the sizes of builder.go and builder.weights.
	CodeBytes    int64  `json:"code_bytes"`
	WeightsBytes int64  `json:"weights_bytes"`
	BuildNote    string `json:"build_note"`
}

// Profile is a CPU or memory profile of a Go benchmark.
type Profile struct {
	Name      string  `json:"name"`
	Goal      string  `json:"goal"` // the goal it explains
	Command   string  `json:"command"`
	Benchmark string  `json:"benchmark_output"`    // the go test -bench result lines
	Top       string  `json:"pprof_top"`           // go tool pprof -top, first entries
	Cum       string  `json:"pprof_cum,omitempty"` // go tool pprof -top -cum -show=tfc-dev/tfc/ (CPU profiles)
	Load      Load    `json:"load"`
	Seconds   float64 `json:"seconds"`
}

// Read loads a results file.
func Read(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if r.Schema != Schema {
		return nil, fmt.Errorf("%s: schema %d, want %d", path, r.Schema, Schema)
	}
	return &r, nil
}

// Write saves a results file, indented.
func (r *Results) Write(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Median returns the median of v (the mean of the middle two for even
// lengths), NaN for none.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// MinMax returns the smallest and largest of v.
func MinMax(v []float64) (lo, hi float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	return slices.Min(v), slices.Max(v)
}

// FitPower fits y = C x^k by least squares on (log x, log y).
func FitPower(x, y []float64) Fit {
	n := float64(len(x))
	if len(x) < 2 || len(x) != len(y) {
		return Fit{Exponent: math.NaN(), C: math.NaN(), R2: math.NaN()}
	}
	var sx, sy, sxx, sxy float64
	lx, ly := make([]float64, len(x)), make([]float64, len(y))
	for i := range x {
		lx[i], ly[i] = math.Log(x[i]), math.Log(y[i])
		sx += lx[i]
		sy += ly[i]
		sxx += lx[i] * lx[i]
		sxy += lx[i] * ly[i]
	}
	k := (n*sxy - sx*sy) / (n*sxx - sx*sx)
	b := (sy - k*sx) / n
	var ssRes, ssTot float64
	mean := sy / n
	for i := range lx {
		e := ly[i] - (b + k*lx[i])
		ssRes += e * e
		ssTot += (ly[i] - mean) * (ly[i] - mean)
	}
	r2 := 1.0
	if ssTot > 0 {
		r2 = 1 - ssRes/ssTot
	}
	return Fit{Exponent: k, C: math.Exp(b), R2: r2}
}
