package codegen_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

var update = flag.Bool("update", false, "rewrite the golden generated code in testdata")

// direct lowers a case the way tfc compile does.
func direct(t testing.TB, c *golden.Case) *trt.Description {
	return directAt(t, c, passes.Config{})
}

// directAt is direct with a pass configuration (-precision).
func directAt(t testing.TB, c *golden.Case, cfg passes.Config) *trt.Description {
	t.Helper()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{VerifyEach: true, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	net := trt.NewRecorder()
	if err := lower.Lower(f, net); err != nil {
		t.Fatal(err)
	}
	return net.Description()
}

func jsonOf(t testing.TB, d *trt.Description) any {
	var buf bytes.Buffer
	if err := trt.PrintJSON(&buf, d); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestGoldenCode keeps the generated code of the small models in
// testdata, so a reviewer sees its shape; -update rewrites it.
func TestGoldenCode(t *testing.T) {
	for _, m := range []string{"resnet_small", "encoder", "mobilenetv2"} {
		t.Run(m, func(t *testing.T) {
			c, err := golden.Load("../testdata/models/" + m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := codegen.Generate(direct(t, c), codegen.Options{Source: m + "/model.pb", Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			again, _ := codegen.Generate(direct(t, c), codegen.Options{Source: m + "/model.pb", Version: "test"})
			if !bytes.Equal(res.Code, again.Code) || !bytes.Equal(res.WeightsBytes(), again.WeightsBytes()) {
				t.Error("generation is not deterministic")
			}
			path := filepath.Join("testdata", m+".go.golden")
			if *update {
				if err := os.WriteFile(path, res.Code, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./codegen -update)", err)
			}
			if diff := cmp.Diff(string(want), string(res.Code)); diff != "" {
				t.Errorf("generated code differs from %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

const childMain = `package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"

	"gentest/builder"
)

// usage: child WEIGHTS OUTDIR [NAME=FILE.npy ...]
// Builds the network with the generated builder, prints its JSON
// description, runs it with the reference executor and writes outputs.
func main() {
	net := trt.NewRecorder()
	if err := builder.BuildFromFile(net, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(3)
	}
	d := net.Description()
	if err := trt.PrintJSON(os.Stdout, d); err != nil {
		panic(err)
	}
	in := map[string]*tensor.Tensor{}
	for _, a := range os.Args[3:] {
		name, file, _ := strings.Cut(a, "=")
		t, err := npy.ReadFile(file)
		if err != nil {
			panic(err)
		}
		in[name] = t
	}
	out, err := exec.Run(d, in)
	if err != nil {
		fmt.Fprintln(os.Stderr, "run:", err)
		os.Exit(4)
	}
	for i, t := range out {
		if err := npy.WriteFile(filepath.Join(os.Args[2], fmt.Sprint(i)+".npy"), t); err != nil {
			panic(err)
		}
	}
	_ = json.Valid
}
`

// TestGeneratedBuilders generates, compiles and runs the builder of the
// variant network (every layer kind with every parameter variant the
// lowering can emit, codegen/variants_test.go), of every shipped model and
// of a sample of op cases: the network it builds must equal the recorded
// or directly lowered one (layers, parameters, names, weight digests), and
// running it with the reference executor must match TensorFlow (or, for
// the variant network, the executor on the recorded network, bit for bit).
func TestGeneratedBuilders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	var cases []*golden.Case
	models, _ := golden.LoadAll("../testdata/models")
	cases = append(cases, models...)
	for _, name := range []string{"conv2d_nhwc_same_s2", "einsum_acbe_aecd_abcd", "mirrorpad_symmetric", "resize_bilinear_up2_half_pixel", "strided_slice_ellipsis_new_axis_shrink", "topk_k3"} {
		c, err := golden.Load("../testdata/cases/" + name)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	if large, err := golden.Load("../testdata/large/resnet50"); err == nil {
		cases = append(cases, large)
	}
	mod := newChildModule(t)
	t.Run("variants", func(t *testing.T) { testVariantBuilder(t, mod) })
	type variant struct {
		c    *golden.Case
		prec tensor.DType // -precision; the outputs then compare at its tolerance
	}
	var runs []variant
	for _, c := range cases {
		runs = append(runs, variant{c, tensor.Float32})
	}
	for _, c := range models { // -emit=go reproduces -precision networks too
		switch c.Name {
		case "mobilenetv2":
			runs = append(runs, variant{c, tensor.Float16})
		case "encoder":
			runs = append(runs, variant{c, tensor.BFloat16})
		}
	}
	for _, v := range runs {
		c := v.c
		name := c.Name
		if v.prec != tensor.Float32 {
			name += "/" + v.prec.String()
		}
		t.Run(name, func(t *testing.T) {
			d := directAt(t, c, passes.Config{Precision: v.prec})
			res, err := codegen.Generate(d, codegen.Options{Source: c.Name, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			bin, weights := buildChild(t, mod, res)
			outDir := t.TempDir()
			args := []string{weights, outDir}
			for _, in := range c.Inputs {
				args = append(args, in.Name+"="+filepath.Join(c.Dir, in.File))
			}
			var stdout, stderr bytes.Buffer
			run := exec.Command(bin, args...)
			run.Stdout, run.Stderr = &stdout, &stderr
			if err := run.Run(); err != nil {
				t.Fatalf("generated builder: %v\n%s", err, stderr.String())
			}
			var got any
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(jsonOf(t, d), got); diff != "" {
				t.Fatalf("generated builder's network differs from the direct one (-direct +generated):\n%s", diff)
			}
			want, err := c.ReadOutputs()
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				g, err := npy.ReadFile(filepath.Join(outDir, fmt.Sprint(i)+".npy"))
				if err != nil {
					t.Fatal(err)
				}
				rtol, atol := c.Tolerance(i)
				if rtol > 0 || atol > 0 {
					rtol, atol = rtol+passes.Tolerance, atol+passes.Tolerance/10
				}
				if p := passes.PrecisionTolerance(v.prec); p > 0 {
					rtol, atol = p, p
				}
				diff, err := golden.Compare(g, want[i], rtol, atol)
				if err == nil && diff.Bad > 0 {
					err = fmt.Errorf("%d elements differ (max abs %g)", diff.Bad, diff.MaxAbs)
				}
				if err != nil {
					t.Errorf("output %s: %v", c.Outputs[i].Name, err)
				}
			}
		})
	}
}

// newChildModule makes a module that uses the working tree's tfc and has
// a main package that runs a generated builder package "builder".
func newChildModule(t *testing.T) string {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	gomod := fmt.Sprintf("module gentest\n\ngo 1.26\n\nrequire github.com/tfc-dev/tfc v0.0.0\n\nreplace github.com/tfc-dev/tfc => %s\n", root)
	writeFile(t, filepath.Join(mod, "go.mod"), []byte(gomod))
	writeFile(t, filepath.Join(mod, "main.go"), []byte(childMain))
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.sum"), sum)
	return mod
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildChild writes the generated builder into the child module and
// builds it; it returns the binary and the weights file.
func buildChild(t *testing.T, mod string, res *codegen.Result) (bin, weights string) {
	t.Helper()
	writeFile(t, filepath.Join(mod, "builder", "builder.go"), res.Code)
	weights = filepath.Join(mod, "builder.weights")
	writeFile(t, weights, res.WeightsBytes())
	bin = filepath.Join(mod, "child")
	cmd := exec.Command(goCommand(), "build", "-mod=mod", "-o", bin, ".")
	cmd.Dir = mod
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin, weights
}

// TestWeirdNamesAndCorruptWeights: layer and tensor names that are Go
// keywords, start with digits, contain punctuation or non-ASCII letters,
// or collide after sanitising still give code that compiles and rebuilds
// the same network; a corrupt or missing weights file is a clear error.
func TestWeirdNamesAndCorruptWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	net := trt.NewRecorder()
	x := net.AddInput("x:0", trt.Float, trt.Dims{1, 3, 4, 4})
	kernel := make([]byte, 2*3*3*3*4)
	for i := range kernel {
		kernel[i] = byte(i % 7)
	}
	conv := net.AddConvolutionNd(x, trt.Convolution{NbOutputMaps: 2, KernelSize: trt.Dims{3, 3},
		Kernel: trt.Weights{Type: trt.Float, Count: 54, Values: kernel}})
	conv.SetName("type")
	prev := conv.Output(0)
	for _, name := range []string{"func", "1abc", "a/b", "a_b", "a-b", "日本", "net", "err", "x:0", "Output"} {
		l := net.AddActivation(prev, trt.Activation{Type: trt.ActivationRelu})
		l.SetName(name)
		prev = l.Output(0)
	}
	prev.SetName("weird output:0 \"quoted\"")
	net.MarkOutput(prev)
	if err := net.Err(); err != nil {
		t.Fatal(err)
	}
	d := net.Description()
	res, err := codegen.Generate(d, codegen.Options{Source: "weird", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	mod := newChildModule(t)
	bin, weights := buildChild(t, mod, res)
	var stdout, stderr bytes.Buffer
	run := exec.Command(bin, weights, t.TempDir())
	run.Stdout, run.Stderr = &stdout, &stderr
	// No inputs given: the build must succeed; the executor then fails
	// on the missing input, which is fine here.
	run.Run()
	var got any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("no description printed: %v\n%s", err, stderr.String())
	}
	if diff := cmp.Diff(jsonOf(t, d), got); diff != "" {
		t.Fatalf("network differs (-direct +generated):\n%s", diff)
	}
	for name, mutate := range map[string]func([]byte) []byte{
		"flipped byte": func(b []byte) []byte { b[len(b)-70] ^= 0xff; return b },
		"truncated":    func(b []byte) []byte { return b[:40] },
		"empty":        func(b []byte) []byte { return nil },
	} {
		bad := mutate(res.WeightsBytes())
		writeFile(t, weights, bad)
		var se bytes.Buffer
		cmd := exec.Command(bin, weights, t.TempDir())
		cmd.Stderr = &se
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			t.Errorf("%s: want exit 3 (build error), got %v: %s", name, err, se.String())
		}
		if !strings.Contains(se.String(), "weights") || strings.Contains(se.String(), "panic") {
			t.Errorf("%s: unclear error %q", name, se.String())
		}
	}
	os.Remove(weights)
	var se bytes.Buffer
	cmd := exec.Command(bin, weights, t.TempDir())
	cmd.Stderr = &se
	if err := cmd.Run(); err == nil || !strings.Contains(se.String(), "no such file") {
		t.Errorf("missing weights file: %v %q", err, se.String())
	}
}

// goCommand is the go command: the one on PATH, else the one in
// go/build's GOROOT (runtime.GOROOT is deprecated).
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(build.Default.GOROOT, "bin", "go")
}
