// Command driver runs the measurements of bench/run.sh and writes
// bench/out/results.json (bench/internal/results). It expects the tools
// run.sh prepares: the tfc, infer and synthgraph binaries in -out, the
// peers' venv python, and the models.
//
//	go run ./bench/driver [-repeat 5] [-sections conversion,scaling,inference,builder,profiles]
//
// Every whole-process measurement runs the process under os/exec and
// takes wall time from the clock and user, system and peak RSS from the
// wait4 rusage (the process and its waited-for children, as
// /usr/bin/time -v reports them).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/bench/internal/results"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/golden"
)

type config struct {
	root, out, tfc, infer, synthgraph, python string
	repeat, repeatSlow                        int
	scale                                     []int
	sections                                  map[string]bool
}

// model is one of the compared models.
type model struct{ name, dir string }

var models = []model{
	{"resnet50", "testdata/large/resnet50"},
	{"mobilenetv2", "testdata/models/mobilenetv2"},
	{"encoder", "testdata/models/encoder"},
}

func main() {
	var c config
	var scale, sections, command string
	flag.StringVar(&c.root, "root", ".", "the repository `dir`")
	flag.StringVar(&c.out, "out", "bench/out", "scratch and results `dir`")
	flag.StringVar(&c.python, "python", "bench/.venv/bin/python", "the peers' `python`")
	flag.IntVar(&c.repeat, "repeat", 5, "runs of each whole-process measurement")
	flag.IntVar(&c.repeatSlow, "repeat-slow", 3, "runs of the slowest ones (tfc on the 1M-node graph)")
	flag.StringVar(&scale, "scale", "10000,100000,1000000", "synthetic graph sizes in `nodes`")
	flag.StringVar(&sections, "sections", "conversion,scaling,inference,builder,profiles", "sections to run")
	flag.StringVar(&command, "command", "bench/run.sh", "the command recorded in the results")
	flag.Parse()
	c.sections = map[string]bool{}
	for _, s := range strings.Split(sections, ",") {
		c.sections[strings.TrimSpace(s)] = true
	}
	for _, s := range strings.Split(scale, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			fatal(fmt.Errorf("-scale: %v", err))
		}
		c.scale = append(c.scale, n)
	}
	var err error
	if c.root, err = filepath.Abs(c.root); err != nil {
		fatal(err)
	}
	if err := os.Chdir(c.root); err != nil {
		fatal(err)
	}
	c.tfc = filepath.Join(c.out, "tfc")
	c.infer = filepath.Join(c.out, "infer")
	c.synthgraph = filepath.Join(c.out, "synthgraph")

	r := &results.Results{
		Schema:  results.Schema,
		Started: time.Now().UTC().Format(time.RFC3339),
		Command: command,
		Commit:  commit(),
		Machine: machine(),
	}
	r.Versions = versions(c)
	save := func() {
		if err := r.Write(filepath.Join(c.out, "results.json")); err != nil {
			fatal(err)
		}
	}
	r.Notes = append(r.Notes,
		fmt.Sprintf("Whole-process runs: %d each (%d for tfc on graphs of 1M nodes or more), after one untimed run per tool and model in the conversion section so that binaries and models are in the page cache.", c.repeat, c.repeatSlow),
		"tfc compile -emit=network writes to standard output redirected to a file: with -o it writes atomically and calls fsync, whose time depends on the disk and on other writers, and tf2onnx does not fsync. tfc compile -emit=go (section 4) does write with -o.",
		"Wall time from the clock around the process; user, system and peak RSS from GNU time (/usr/bin/time: wait4 rusage of the process and its waited-for children).",
		"The machine is shared: other work may run during the benchmark; each section records the load average at its start and end.")
	if c.sections["conversion"] {
		r.Conversion = conversion(c)
		save()
	}
	if c.sections["scaling"] {
		r.Scaling = scaling(c)
		save()
	}
	if c.sections["inference"] {
		r.Inference = inference(c)
		save()
	}
	if c.sections["builder"] {
		r.Builder = builder(c)
		save()
	}
	if c.sections["profiles"] {
		r.Profiles = profiles(c)
	}
	r.Finished = time.Now().UTC().Format(time.RFC3339)
	save()
	logf("wrote %s", filepath.Join(c.out, "results.json"))
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "bench/driver:", err)
	os.Exit(1)
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: %s "+format+"\n", append([]any{time.Now().Format("15:04:05")}, args...)...)
}

// loadavg reads /proc/loadavg.
func loadavg() results.LoadAvg {
	var l results.LoadAvg
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return l
	}
	f := strings.Fields(string(data))
	for i := range 3 {
		if i < len(f) {
			l[i], _ = strconv.ParseFloat(f[i], 64)
		}
	}
	return l
}

// timeBin is GNU time, which reports the peak RSS of the command alone:
// Go starts children with vfork, and a child's ru_maxrss from wait4
// then includes the parent's resident set at the time of the fork, which
// would charge the driver's own memory to small commands.
const timeBin = "/usr/bin/time"

// run runs a command once and measures it. Its standard output and error
// go to logFile; on failure the error carries the log's last lines.
func run(argv []string, env []string, logFile string) (results.Sample, error) {
	return runTo(argv, env, "", logFile)
}

// runTo is run with standard output to the file stdout (when not empty).
func runTo(argv []string, env []string, stdout, logFile string) (results.Sample, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	if stdout != "" {
		f, err := os.Create(stdout)
		if err != nil {
			return results.Sample{}, err
		}
		defer f.Close()
		cmd.Stdout = f
	}
	return runIn(cmd, logFile)
}

// runIn runs a prepared command under GNU time.
func runIn(cmd *exec.Cmd, logFile string) (results.Sample, error) {
	tf, err := os.CreateTemp("", "bench-time-*")
	if err != nil {
		return results.Sample{}, err
	}
	tf.Close()
	defer os.Remove(tf.Name())
	cmd.Args = append([]string{timeBin, "-f", "%U %S %M", "-o", tf.Name()}, cmd.Args...)
	cmd.Path = timeBin
	if logFile != "" {
		log, err := os.Create(logFile)
		if err != nil {
			return results.Sample{}, err
		}
		defer log.Close()
		if cmd.Stdout == nil {
			cmd.Stdout = log
		}
		cmd.Stderr = log
	}
	t := time.Now()
	err = cmd.Run()
	s := results.Sample{WallS: time.Since(t).Seconds()}
	if data, rerr := os.ReadFile(tf.Name()); rerr == nil {
		// A failing command makes time write "Command exited with
		// non-zero status N" first.
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if f := strings.Fields(lines[len(lines)-1]); len(f) == 3 {
			s.UserS, _ = strconv.ParseFloat(f[0], 64)
			s.SysS, _ = strconv.ParseFloat(f[1], 64)
			s.MaxRSSKB, _ = strconv.ParseInt(f[2], 10, 64)
		}
	}
	if err != nil && logFile != "" {
		err = fmt.Errorf("%v: %s", err, tail(logFile, 5))
	}
	return s, err
}

// tail returns the last n non-empty lines of a file, joined by " | ".
func tail(path string, n int) string {
	data, _ := os.ReadFile(path)
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	s := strings.Join(lines, " | ")
	if len(s) > 1500 {
		s = "..." + s[len(s)-1500:]
	}
	return s
}

// measure runs a command warmup+n times and records the last n.
func measure(p *results.Proc, warmup, n int, env []string, logFile string) {
	for i := range warmup + n {
		s, err := runTo(p.Command, env, p.Stdout, logFile)
		if err != nil {
			p.Error = err.Error()
			logf("  %s failed: %v", p.Tool, err)
			return
		}
		if i >= warmup {
			p.Runs = append(p.Runs, s)
		}
	}
	if n > 0 {
		logf("  %s: median %.3f s, peak RSS %.0f MB", p.Tool, results.Median(p.Wall()), results.Median(p.RSSMB()))
	}
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func countNodes(path string) int {
	g, err := tfpb.ReadGraphDef(path)
	if err != nil {
		return 0
	}
	return len(g.Node)
}

var tfEnv = []string{"TF_CPP_MIN_LOG_LEVEL=2"}

func onnxPath(c config, name string) string { return filepath.Join(c.out, "onnx", name+".onnx") }

func tf2onnxCommand(c config, cs *golden.Case, name string) []string {
	var ins, outs []string
	for _, t := range cs.Inputs {
		ins = append(ins, t.Name)
	}
	for _, t := range cs.Outputs {
		outs = append(outs, t.Name)
	}
	return []string{c.python, "-m", "tf2onnx.convert", "--graphdef", cs.Model(),
		"--inputs", strings.Join(ins, ","), "--outputs", strings.Join(outs, ","),
		"--opset", "17", "--output", onnxPath(c, name)}
}

func conversion(c config) *results.Conversion {
	logf("section 1: conversion")
	s := &results.Conversion{Load: results.Load{Start: loadavg()}}
	for _, d := range []string{"net", "onnx", "logs"} {
		os.MkdirAll(filepath.Join(c.out, d), 0o755)
	}
	for _, m := range models {
		cs, err := golden.Load(m.dir)
		if err != nil {
			logf("  %s: %v (skipped)", m.name, err)
			continue
		}
		cm := results.ConvModel{Name: m.name, Path: cs.Model(), FileBytes: fileSize(cs.Model()), Nodes: countNodes(cs.Model())}
		net := filepath.Join(c.out, "net", m.name+".net")
		cm.TFC = results.Proc{Tool: "tfc", Command: []string{c.tfc, "compile", "-emit=network", cs.Model()}, Stdout: net}
		cm.TF2ONNX = results.Proc{Tool: "tf2onnx", Command: tf2onnxCommand(c, cs, m.name)}
		logf(" %s (%d nodes, %.1f MB)", m.name, cm.Nodes, float64(cm.FileBytes)/1e6)
		tfcLog := filepath.Join(c.out, "logs", "tfc-"+m.name+".log")
		onnxLog := filepath.Join(c.out, "logs", "tf2onnx-"+m.name+".log")
		// One untimed run each, then alternate the tools so that load
		// from elsewhere falls on both.
		measure(&cm.TFC, 1, 0, nil, tfcLog)
		measure(&cm.TF2ONNX, 1, 0, tfEnv, onnxLog)
		for range c.repeat {
			if cm.TFC.Error == "" {
				sample(&cm.TFC, nil, tfcLog)
			}
			if cm.TF2ONNX.Error == "" {
				sample(&cm.TF2ONNX, tfEnv, onnxLog)
			}
		}
		cm.TFC.OutputBytes = fileSize(net)
		cm.TF2ONNX.OutputBytes = fileSize(onnxPath(c, m.name))
		logf("  tfc %.3f s %.0f MB, tf2onnx %.3f s %.0f MB", results.Median(cm.TFC.Wall()), results.Median(cm.TFC.RSSMB()),
			results.Median(cm.TF2ONNX.Wall()), results.Median(cm.TF2ONNX.RSSMB()))
		s.Models = append(s.Models, cm)
	}
	// tf2onnx's fixed cost: the interpreter importing TensorFlow and tf2onnx.
	s.TF2ONNXStartup = results.Proc{Tool: "python -c 'import tf2onnx.convert'", Command: []string{c.python, "-c", "import tf2onnx.convert"}}
	measure(&s.TF2ONNXStartup, 1, c.repeat, tfEnv, filepath.Join(c.out, "logs", "tf2onnx-startup.log"))
	s.Load.End = loadavg()
	return s
}

func sample(p *results.Proc, env []string, logFile string) {
	smp, err := runTo(p.Command, env, p.Stdout, logFile)
	if err != nil {
		p.Error = err.Error()
		logf("  %s failed: %v", p.Tool, err)
		return
	}
	p.Runs = append(p.Runs, smp)
}

func scaling(c config) *results.Scaling {
	logf("section 2: scaling")
	s := &results.Scaling{Load: results.Load{Start: loadavg()}}
	var xs, ts, ms []float64
	for _, n := range c.scale {
		pb := filepath.Join(c.out, fmt.Sprintf("synth_%d.pb", n))
		if fileSize(pb) == 0 {
			if _, err := run([]string{c.synthgraph, "-nodes", strconv.Itoa(n), "-o", pb}, nil, ""); err != nil {
				logf("  synthgraph %d: %v", n, err)
				continue
			}
		}
		pt := results.ScalePoint{Nodes: countNodes(pb), Path: pb, FileBytes: fileSize(pb)}
		net := filepath.Join(c.out, "net", fmt.Sprintf("synth_%d.net", n))
		pt.TFC = results.Proc{Tool: "tfc", Command: []string{c.tfc, "compile", "-emit=network", pb}, Stdout: net}
		reps := c.repeat
		if n >= 1_000_000 {
			reps = c.repeatSlow
		}
		logf(" %d nodes (%.1f MB)", pt.Nodes, float64(pt.FileBytes)/1e6)
		measure(&pt.TFC, 0, reps, nil, filepath.Join(c.out, "logs", fmt.Sprintf("tfc-synth_%d.log", n)))
		pt.TFC.OutputBytes = fileSize(net)
		os.Remove(net)
		if pt.TFC.OK() {
			xs = append(xs, float64(pt.Nodes))
			ts = append(ts, results.Median(pt.TFC.Wall()))
			ms = append(ms, results.Median(pt.TFC.RSSMB()))
		}
		s.Points = append(s.Points, pt)
	}
	s.TimeFit = results.FitPower(xs, ts)
	s.RSSFit = results.FitPower(xs, ms)
	logf("  time exponent %.3f, RSS exponent %.3f", s.TimeFit.Exponent, s.RSSFit.Exponent)
	s.Load.End = loadavg()
	return s
}

// runJSON runs a measuring helper and decodes the JSON object on the last
// line of its standard output.
func runJSON(argv, env []string, logFile string, into *results.InferRun) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	if log, err := os.Create(logFile); err == nil {
		defer log.Close()
		cmd.Stderr = log
	}
	err := cmd.Run()
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if jerr := json.Unmarshal([]byte(lines[len(lines)-1]), into); jerr != nil {
		if err == nil {
			err = jerr
		}
		return fmt.Errorf("%v: %s", err, tail(logFile, 5))
	}
	return nil
}

func inference(c config) *results.Inference {
	logf("section 3: inference")
	s := &results.Inference{Load: results.Load{Start: loadavg()}}
	// Run alone (-sections inference), the section converts the models
	// with tf2onnx itself and writes logs: its directories must exist.
	for _, d := range []string{"onnx", "logs"} {
		os.MkdirAll(filepath.Join(c.out, d), 0o755)
	}
	for _, m := range models {
		cs, err := golden.Load(m.dir)
		if err != nil {
			logf("  %s: %v (skipped)", m.name, err)
			continue
		}
		runs := 30
		if m.name == "resnet50" {
			runs = 10
		}
		im := results.InferModel{Name: m.name, Case: m.dir}
		logf(" %s (%d timed runs after 3 warm-up runs)", m.name, runs)
		if fileSize(onnxPath(c, m.name)) == 0 {
			logf("  converting with tf2onnx first")
			if _, err := run(tf2onnxCommand(c, cs, m.name), tfEnv, filepath.Join(c.out, "logs", "tf2onnx-"+m.name+".log")); err != nil {
				logf("  tf2onnx: %v", err)
			}
		}
		n, w := strconv.Itoa(runs), "3"
		engines := []struct {
			name string
			argv []string
		}{
			{"tfc-trt-ref", []string{c.infer, "-backend", "trt-ref", "-warmup", w, "-runs", n, m.dir}},
			{"tfc-interp", []string{c.infer, "-backend", "interp", "-warmup", w, "-runs", n, m.dir}},
			{"opencv-dnn", []string{c.python, "bench/peers.py", "infer", "--engine", "opencv-dnn",
				"--fold-dir", filepath.Join(c.out, "folded"), "--warmup", w, "--runs", n, m.dir}},
			{"onnxruntime", []string{c.python, "bench/peers.py", "infer", "--engine", "onnxruntime",
				"--onnx", onnxPath(c, m.name), "--warmup", w, "--runs", n, m.dir}},
		}
		for _, e := range engines {
			r := results.InferRun{Engine: e.name}
			logFile := filepath.Join(c.out, "logs", "infer-"+e.name+"-"+m.name+".log")
			if err := runJSON(e.argv, tfEnv, logFile, &r); err != nil {
				r = results.InferRun{Engine: e.name, Status: "failed", Error: err.Error()}
			}
			if r.Status == "ok" {
				logf("  %s: median %.4f s, max abs err %.3g", e.name, results.Median(r.TimesS), r.MaxAbsErr)
			} else {
				logf("  %s: %s: %s", e.name, r.Status, r.Error)
			}
			im.Engines = append(im.Engines, r)
		}
		s.Models = append(s.Models, im)
	}
	s.Load.End = loadavg()
	return s
}

const childMain = `package main

import (
	"fmt"
	"os"

	"github.com/tfc-dev/tfc/backend/trt"

	"benchbuilder/builder"
)

// usage: child WEIGHTS; builds the network with the generated builder.
func main() {
	net := trt.NewRecorder()
	if err := builder.BuildFromFile(net, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
	fmt.Println(len(net.Description().Layers), "layers")
}
`

func builder(c config) *results.Builder {
	logf("section 4: generated builder")
	m := models[0]
	s := &results.Builder{Load: results.Load{Start: loadavg()}, Model: m.name}
	cs, err := golden.Load(m.dir)
	if err != nil {
		s.Generate.Error = err.Error()
		return s
	}
	mod, err := filepath.Abs(filepath.Join(c.out, "builder"))
	if err != nil {
		fatal(err)
	}
	os.RemoveAll(mod)
	os.MkdirAll(filepath.Join(mod, "builder"), 0o755)
	code := filepath.Join(mod, "builder", "builder.go")
	weights := filepath.Join(mod, "builder", "builder.weights")
	genLog := filepath.Join(c.out, "logs", "emit-go.log")
	s.Generate = results.Proc{Tool: "tfc compile -emit=go", Command: []string{c.tfc, "compile", "-emit=go", "-o", code, cs.Model()}}
	measure(&s.Generate, 0, c.repeat, nil, genLog)
	if !s.Generate.OK() {
		s.Load.End = loadavg()
		return s
	}
	s.CodeBytes, s.WeightsBytes = fileSize(code), fileSize(weights)
	if m := regexp.MustCompile(`\((\d+) layers\)`).FindStringSubmatch(tail(genLog, 1)); m != nil {
		s.Layers, _ = strconv.Atoi(m[1])
	}
	gomod := fmt.Sprintf("module benchbuilder\n\ngo 1.26\n\nrequire github.com/tfc-dev/tfc v0.0.0\n\nreplace github.com/tfc-dev/tfc => %s\n", c.root)
	sum, _ := os.ReadFile(filepath.Join(c.root, "go.sum"))
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte(gomod), 0o644)
	os.WriteFile(filepath.Join(mod, "go.sum"), sum, 0o644)
	os.WriteFile(filepath.Join(mod, "main.go"), []byte(childMain), 0o644)
	src, _ := os.ReadFile(code)
	bin := filepath.Join(mod, "child")
	goBin := goCommand()
	s.Build = results.Proc{Tool: "go build", Command: []string{goBin, "build", "-mod=mod", "-o", bin, "."}}
	s.BuildNote = "go build of a main package calling the generated builder, in a module that replaces github.com/tfc-dev/tfc with the working tree; " +
		"before each run a variable added to builder.go changes, so the builder package is compiled and the binary linked every time, while tfc's own packages come from the build cache (filled by the untimed first build)"
	buildLog := filepath.Join(c.out, "logs", "go-build.log")
	// One untimed build fills the cache with tfc's packages.
	for i := range c.repeat + 1 {
		os.WriteFile(code, append(src, fmt.Sprintf("\nvar benchBuild = \"%d-%d\"\n", i, time.Now().UnixNano())...), 0o644)
		cmd := exec.Command(s.Build.Command[0], s.Build.Command[1:]...)
		cmd.Dir = mod
		smp, err := runIn(cmd, buildLog)
		if err != nil {
			s.Build.Error = err.Error()
			logf("  go build failed: %v", err)
			break
		}
		if i == 0 {
			s.FirstBuild = smp
		} else {
			s.Build.Runs = append(s.Build.Runs, smp)
		}
	}
	if s.Build.OK() {
		s.Build.OutputBytes = fileSize(bin)
		logf("  generate median %.3f s; go build median %.3f s", results.Median(s.Generate.Wall()), results.Median(s.Build.Wall()))
		out, err := exec.Command(bin, weights).CombinedOutput()
		if err != nil || !strings.Contains(string(out), fmt.Sprintf("%d layers", s.Layers)) {
			s.Build.Error = fmt.Sprintf("the built program did not rebuild the %d-layer network: %v %s", s.Layers, err, out)
		}
	}
	s.Load.End = loadavg()
	return s
}

// profiles runs the Go benchmarks of bench/prof under pprof.
func profiles(c config) []results.Profile {
	logf("profiles")
	dir, err := filepath.Abs(filepath.Join(c.out, "prof"))
	if err != nil {
		fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	testBin := filepath.Join(dir, "prof.test")
	specs := []struct {
		name, goal, bench, benchtime, kind string
	}{
		{"compile-resnet50-cpu", "conversion time", "BenchmarkCompileResNet50", "5x", "cpu"},
		{"compile-resnet50-alloc", "peak RSS: bytes allocated, by allocation site", "BenchmarkCompileResNet50", "3x", "alloc"},
		{"compile-synthetic-1m-cpu", "scaling exponent", "BenchmarkCompileSynthetic1M", "1x", "cpu"},
		{"trt-ref-resnet50-cpu", "reference executor vs OpenCV dnn", "BenchmarkTrtRefResNet50", "10x", "cpu"},
	}
	var out []results.Profile
	for _, sp := range specs {
		p := results.Profile{Name: sp.name, Goal: sp.goal, Load: results.Load{Start: loadavg()}}
		prof := filepath.Join(dir, sp.name+".prof")
		flagName := "-cpuprofile"
		if sp.kind == "alloc" {
			flagName = "-memprofile"
		}
		args := []string{"test", "-vet=off", "-run", "NONE", "-bench", "^" + sp.bench + "$", "-benchtime", sp.benchtime,
			"-benchmem", flagName, prof, "-o", testBin, "./prof"}
		p.Command = "cd bench && go " + strings.Join(args, " ")
		logf(" %s", p.Command)
		t := time.Now()
		cmd := exec.Command("go", args...)
		cmd.Dir = "bench" // its own module
		bout, err := cmd.CombinedOutput()
		p.Seconds = time.Since(t).Seconds()
		for _, l := range strings.Split(string(bout), "\n") {
			if strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "cpu:") {
				p.Benchmark += l + "\n"
			}
		}
		if err != nil {
			p.Top = fmt.Sprintf("go test failed: %v\n%s", err, bout)
			out = append(out, p)
			continue
		}
		pargs := []string{"tool", "pprof", "-top", "-nodecount=18"}
		if sp.kind == "alloc" {
			pargs = append(pargs, "-sample_index=alloc_space")
		}
		pargs = append(pargs, testBin, prof)
		top, err := exec.Command("go", pargs...).CombinedOutput()
		if err != nil {
			p.Top = fmt.Sprintf("pprof failed: %v\n%s", err, top)
		} else {
			p.Top = trimPprof(string(top))
		}
		if sp.kind == "cpu" {
			// Cumulative time of tfc's own functions: which stage the
			// flat entries (often the runtime's) are spent under.
			cargs := []string{"tool", "pprof", "-top", "-cum", "-nodecount=16", "-show=tfc-dev/tfc/", testBin, prof}
			if cum, err := exec.Command("go", cargs...).CombinedOutput(); err == nil {
				p.Cum = trimPprof(string(cum))
			}
		}
		p.Load.End = loadavg()
		out = append(out, p)
	}
	return out
}

// trimPprof drops pprof's File/Build ID/Type header lines that name
// local paths.
func trimPprof(s string) string {
	var b strings.Builder
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Build ID:") || strings.HasPrefix(l, "Time:") {
			continue
		}
		b.WriteString(strings.TrimRight(l, " ") + "\n")
	}
	return b.String()
}

func commit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	c := strings.TrimSpace(string(out))
	st, _ := exec.Command("git", "status", "--porcelain", "--untracked-files=no").Output()
	if len(bytes.TrimSpace(st)) > 0 {
		c += "+dirty"
	}
	return c
}

func machine() results.Machine {
	m := results.Machine{Cores: runtime.NumCPU(), Arch: runtime.GOARCH, LoadAvg: loadavg()}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseInt(f[1], 10, 64)
				m.MemBytes = kb * 1024
			}
		}
	}
	if data, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(data), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`)
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	return m
}

func versions(c config) map[string]string {
	v := map[string]string{"go": runtime.Version()}
	out, err := exec.Command(c.python, "bench/peers.py", "versions").Output()
	if err != nil {
		v["python"] = fmt.Sprintf("unavailable: %v", err)
		return v
	}
	var py map[string]string
	if err := json.Unmarshal(out, &py); err == nil {
		for k, s := range py {
			v[k] = s
		}
	}
	return v
}

// goCommand is the go command: the one on PATH, else the one in
// go/build's GOROOT (runtime.GOROOT is deprecated).
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(build.Default.GOROOT, "bin", "go")
}
