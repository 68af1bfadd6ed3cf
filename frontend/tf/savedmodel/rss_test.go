package savedmodel_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
)

const resnet50 = "../../../testdata/large/resnet50_savedmodel/model"

// TestPeakRSS measures (with -large) the peak resident set size of
// freezing the Keras ResNet50 SavedModel to a file, and of freezing it in
// memory and importing it into IR (what tfc.Load does), each in a fresh
// process, against the bytes of the weights the frozen graph holds. The
// goal for freezing is at most 1.3x.
func TestPeakRSS(t *testing.T) {
	if mode := os.Getenv("TFC_RSS_CHILD"); mode != "" {
		rssChild(t, mode)
		return
	}
	if !*large {
		t.Skip("needs -large and testdata/gen/generate.sh --resnet50-savedmodel")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads VmHWM from Linux's /proc/self/status")
	}
	if _, err := os.Stat(resnet50); err != nil {
		t.Skipf("no %s (testdata/gen/generate.sh --resnet50-savedmodel)", resnet50)
	}
	fr, err := savedmodel.Freeze(resnet50, savedmodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	weights := fr.WeightBytes
	fr.Close()
	for _, mode := range []string{"freeze", "load"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPeakRSS$", "-test.count=1")
		cmd.Env = append(os.Environ(), "TFC_RSS_CHILD="+mode, "TFC_RSS_OUT="+filepath.Join(t.TempDir(), "frozen.pb"))
		start := time.Now()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", mode, err, out)
		}
		// The child reports its own VmHWM: the rusage of a child started
		// by exec counts the parent's peak too (Linux keeps the larger).
		var kib int64
		if _, err := fmt.Sscanf(hwmLine(string(out)), "VmHWM: %d kB", &kib); err != nil {
			t.Fatalf("%s: no VmHWM in the child's output:\n%s", mode, out)
		}
		rss := kib * 1024
		ratio := float64(rss) / float64(weights)
		t.Logf("%s ResNet50: %v, peak RSS %.1f MiB, weights %.1f MiB: %.2fx", mode, time.Since(start).Round(time.Millisecond),
			float64(rss)/(1<<20), float64(weights)/(1<<20), ratio)
		if mode == "freeze" && ratio > 1.3 {
			t.Errorf("freezing peaks at %.2fx the weights, goal 1.3x", ratio)
		}
	}
}

func rssChild(t *testing.T, mode string) {
	fr, err := savedmodel.Freeze(resnet50, savedmodel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fr.Close()
	switch mode {
	case "freeze":
		f, err := os.Create(os.Getenv("TFC_RSS_OUT"))
		if err != nil {
			t.Fatal(err)
		}
		if err := fr.WriteBinary(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	case "load":
		var outs []string
		for _, o := range fr.Outputs {
			outs = append(outs, o.Name)
		}
		f, err := tf.Import(fr.Graph, tf.Options{Outputs: outs, UnknownDim: 1, Weights: fr.Weight})
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Ops) == 0 {
			t.Fatal("no ops")
		}
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println(strings.Join(strings.Fields(line), " "))
		}
	}
}

func hwmLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return line
		}
	}
	return ""
}
