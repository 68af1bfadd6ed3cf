//go:build tensorrt_rtx

package codegen_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/internal/golden"
)

const engineMain = `package main

import (
	"fmt"
	"os"

	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/backend/trt"

	"gentest/builder"
)

func main() {
	plan, err := tensorrt.Optimize(func(net trt.Network) error {
		return builder.BuildFromFile(net, os.Args[1])
	}, tensorrt.BuildOptions{ComputeCapabilities: []string{"SM89"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(len(plan))
}
`

// TestGeneratedBuilderBuildsEngine: a generated builder drives the real
// TensorRT-RTX builder to a serialized engine (CPU-only, explicit target).
func TestGeneratedBuilderBuildsEngine(t *testing.T) {
	if err := tensorrt.AvailableErr(); err != nil {
		// A tagged build without a usable TensorRT is broken, not a pass.
		if os.Getenv("TFC_ALLOW_NO_TRT") == "1" {
			t.Skipf("TensorRT not usable: %v (TFC_ALLOW_NO_TRT=1)", err)
		}
		t.Fatalf("TensorRT not usable: %v (set TFC_ALLOW_NO_TRT=1 to skip)", err)
	}
	for _, m := range []string{"resnet_small", "mobilenetv2", "encoder"} {
		t.Run(m, func(t *testing.T) {
			c, err := golden.Load("../testdata/models/" + m)
			if err != nil {
				t.Fatal(err)
			}
			res, err := codegen.Generate(direct(t, c), codegen.Options{Source: m, Version: "test"})
			if err != nil {
				t.Fatal(err)
			}
			mod := newChildModule(t)
			writeFile(t, filepath.Join(mod, "main.go"), []byte(engineMain))
			writeFile(t, filepath.Join(mod, "builder", "builder.go"), res.Code)
			weights := filepath.Join(mod, "builder.weights")
			writeFile(t, weights, res.WeightsBytes())
			bin := filepath.Join(mod, "engine")
			cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-mod=mod", "-tags", "tensorrt_rtx", "-o", bin, ".")
			cmd.Dir = mod
			cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			out, err := exec.Command(bin, weights).CombinedOutput()
			if err != nil {
				t.Fatalf("engine build: %v\n%s", err, out)
			}
			t.Logf("%s: engine of %s bytes", m, strings.TrimSpace(string(out)))
		})
	}
}
