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

// TestGeneratedDynamicBuilder generates the builders of the shipped models
// with dynamic inputs (testdata/dynamic), compiles them and checks that the
// network each builds, with the generated profiles, is the directly
// lowered one (go-cmp of the JSON, profiles included), and that the
// reference executor runs it at TensorFlow's cases' sizes as TensorFlow
// does: MobileNetV2 with a dynamic batch and two profiles (batch 3 in the
// first, 8 in the second), the encoder with dynamic batch and sequence
// length (shape tensors in the network), resnet_small with a dynamic batch.
func TestGeneratedDynamicBuilder(t *testing.T) {
	if testing.Short() {
		t.Skip("builds Go programs")
	}
	mnv2 := func(n int) tensor.Shape { return tensor.Shape{n, 96, 96, 3} }
	enc := func(n, s int) tensor.Shape { return tensor.Shape{n, s, 64} }
	rs := func(n int) tensor.Shape { return tensor.Shape{n, 64, 64, 3} }
	for _, m := range []struct {
		name     string
		profiles []ir.Profile
		cases    []string
	}{
		{"mobilenetv2_dynamic_", []ir.Profile{
			{"x:0": {Min: mnv2(1), Opt: mnv2(3), Max: mnv2(4)}},
			{"x:0": {Min: mnv2(5), Opt: mnv2(8), Max: mnv2(16)}}}, []string{"b3", "b8"}},
		{"encoder_dynamic_", []ir.Profile{
			{"x:0": {Min: enc(1, 8), Opt: enc(4, 16), Max: enc(8, 32)}}}, []string{"b1_s8", "b3_s32", "b8_s32"}},
		{"resnet_small_dynamic_", []ir.Profile{
			{"x:0": {Min: rs(1), Opt: rs(4), Max: rs(16)}}}, []string{"b1", "b8"}},
	} {
		t.Run(m.name, func(t *testing.T) { testDynamicBuilder(t, "../testdata/dynamic/"+m.name, m.profiles, m.cases) })
	}
}

func testDynamicBuilder(t *testing.T, dir string, profiles []ir.Profile, cases []string) {
	f, err := tfc.Load(dir+cases[0]+"/model.pb", tfc.LoadOptions{Symbolic: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := passes.Run(f, passes.Options{VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	d, err := tfc.Lower(f, profiles...)
	if err != nil {
		t.Fatal(err)
	}
	if !d.Dynamic() || len(d.Profiles) != len(profiles) {
		t.Fatalf("direct network: dynamic %v, %d profiles", d.Dynamic(), len(d.Profiles))
	}
	res, err := codegen.Generate(d, codegen.Options{Source: filepath.Base(dir), Version: "test"})
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
	for _, batch := range cases {
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
