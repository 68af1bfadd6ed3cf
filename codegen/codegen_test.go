package codegen_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor/npy"
)

var update = flag.Bool("update", false, "rewrite the golden generated code in testdata")

// direct lowers a case the way tfc compile does.
func direct(t testing.TB, c *golden.Case) *trt.Description {
	t.Helper()
	f, err := tfc.Load(c.Model(), tfc.LoadOptions{Outputs: c.OutputNames(), InputShapes: c.InputShapes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{VerifyEach: true}); err != nil {
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
			if !bytes.Equal(res.Code, again.Code) || !bytes.Equal(res.Weights, again.Weights) {
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

// TestGeneratedBuilders generates, compiles and runs the builder of every
// shipped model and a sample of op cases: the network it builds must equal
// the direct lowering's (layers, parameters, names, weight digests), and
// running it with the reference executor must match TensorFlow.
func TestGeneratedBuilders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	var cases []*golden.Case
	models, _ := golden.LoadAll("../testdata/models")
	cases = append(cases, models...)
	for _, name := range []string{"conv2d_nhwc_same_s2", "stridedslice_masks", "topkv2_k3", "resize_bilinear_half_pixel", "pad_mirror_reflect", "einsum_mha_qk"} {
		if c, err := golden.Load("../testdata/cases/" + name); err == nil {
			cases = append(cases, c)
		}
	}
	if large, err := golden.Load("../testdata/large/resnet50"); err == nil {
		cases = append(cases, large)
	}
	mod := t.TempDir()
	gomod := fmt.Sprintf("module gentest\n\ngo 1.26\n\nrequire github.com/tfc-dev/tfc v0.0.0\n\nreplace github.com/tfc-dev/tfc => %s\n", root)
	write := func(p string, data []byte) {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(mod, "go.mod"), []byte(gomod))
	write(filepath.Join(mod, "main.go"), []byte(childMain))
	// go.sum: the project's own.
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(mod, "go.sum"), sum)
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			d := direct(t, c)
			res, err := codegen.Generate(d, codegen.Options{Source: c.Name, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			write(filepath.Join(mod, "builder", "builder.go"), res.Code)
			weights := filepath.Join(mod, "builder.weights")
			write(weights, res.Weights)
			bin := filepath.Join(mod, "child")
			cmd := exec.Command(gobin, "build", "-mod=mod", "-o", bin, ".")
			cmd.Dir = mod
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
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
	_ = strings.TrimSpace
}
