package codegen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// TestGeneratedDynamicBuilder generates the builder of MobileNetV2 with a
// dynamic batch and two optimization profiles, compiles it and checks that
// the network it builds, with the generated profiles, is the directly
// lowered one (go-cmp of the JSON, profiles included), and that the
// reference executor runs it at batches 3 and 8 (profiles 0 and 1) as
// TensorFlow does.
func TestGeneratedDynamicBuilder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	dir := "../testdata/dynamic/mobilenetv2_dynamic_"
	f, err := tfc.Load(dir+"b1/model.pb", tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	shape := func(n int) tensor.Shape { return tensor.Shape{n, 96, 96, 3} }
	d, err := tfc.Lower(f,
		ir.Profile{"x:0": {Min: shape(1), Opt: shape(3), Max: shape(4)}},
		ir.Profile{"x:0": {Min: shape(5), Opt: shape(8), Max: shape(16)}})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Dynamic() || len(d.Profiles) != 2 {
		t.Fatalf("direct network: dynamic %v, %d profiles", d.Dynamic(), len(d.Profiles))
	}
	res, err := codegen.Generate(d, codegen.Options{Source: "mobilenetv2_dynamic", Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.Code, []byte("func BuildProfiles() []trt.Profile {")) {
		t.Fatal("no BuildProfiles in the generated code")
	}
	mod := newChildModule(t)
	// The child records the network as tfc's lowering does: two instances
	// of the builder's network merged (trt.RecordDynamic).
	main := strings.Replace(childMain, `	net := trt.NewRecorder()
	if err := builder.BuildFromFile(net, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(3)
	}
	d := net.Description()
`, `	d, err := trt.RecordDynamic(func(net trt.Network) error { return builder.BuildFromFile(net, os.Args[1]) }, builder.BuildProfiles())
	if err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(3)
	}
`, 1)
	if main == childMain {
		t.Fatal("childMain has changed: update the dynamic child")
	}
	writeFile(t, filepath.Join(mod, "main.go"), []byte(main))
	bin, weights := buildChild(t, mod, res)
	for _, batch := range []string{"b3", "b8"} {
		c, err := golden.Load(dir + batch)
		if err != nil {
			t.Fatal(err)
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
			diff, err := golden.Compare(g, want[i], rtol+passes.Tolerance, atol+passes.Tolerance/10)
			if err == nil && diff.Bad > 0 {
				err = fmt.Errorf("%d elements differ (max abs %g)", diff.Bad, diff.MaxAbs)
			}
			if err != nil {
				t.Errorf("%s: output %s: %v", batch, c.Outputs[i].Name, err)
			}
		}
	}
}
