package tf

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// TestControlFlowNamed checks that TF-generated graphs with control flow
// are refused with the loop or conditional named, not as "a cycle".
func TestControlFlowNamed(t *testing.T) {
	for file, want := range map[string][]string{
		"while_v1.pb": {`TF1 while loop (frame "loop/while_context")`, "LoopCond", "NextIteration", "Enter", "Exit"},
	} {
		data, err := os.ReadFile("../../testdata/bad/" + file)
		if err != nil {
			t.Fatal(err)
		}
		g, err := tfpb.ParseGraphDef(data, file)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Import(g, Options{})
		var cf *ControlFlowError
		if !errors.As(err, &cf) {
			t.Errorf("%s: err = %v, want a ControlFlowError", file, err)
			continue
		}
		for _, w := range want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v\nlacks %q", file, err, w)
			}
		}
		if strings.Contains(err.Error(), "cycle") {
			t.Errorf("%s: %v: still says cycle", file, err)
		}
	}
	// A TF1 conditional whose predicate is computed at run time is refused
	// by its Switch.
	data, err := os.ReadFile("../../testdata/bad/cond_v1.pb")
	if err != nil {
		t.Fatal(err)
	}
	g, err := tfpb.ParseGraphDef(data, "cond_v1.pb")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(g, Options{})
	if err == nil || !strings.Contains(err.Error(), `node "branch/Switch" (Switch): TF1 conditional (tf.cond) whose predicate Greater:0 is computed at run time`) {
		t.Errorf("cond_v1.pb: err = %v", err)
	}
}

// TestTF2ControlFlowRegions checks that TF2 While and If become while and
// if ops whose regions are the functions (their numbers are checked
// against TensorFlow by the cases in testdata/cases/control_*).
func TestTF2ControlFlowRegions(t *testing.T) {
	for file, want := range map[string][]string{
		"while_v2.pb": {`while(`, `loc("loop")`, `func @cond`, `less(`, `loc("loop/cond/loop/Less")`, `func @body`, `loc("loop/body/loop/mul")`},
		"if_v2.pb":    {`if(`, `loc("branch")`, `func @then`, `func @else`, `loc("branch/then/branch/mul")`, `loc("branch/else/branch/sub")`},
	} {
		data, err := os.ReadFile("../../testdata/bad/" + file)
		if err != nil {
			t.Fatal(err)
		}
		g, err := tfpb.ParseGraphDef(data, file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Import(g, Options{})
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		text := f.String()
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: IR lacks %q:\n%s", file, w, text)
			}
		}
	}
}

// TestDropoutActive checks that a dropout with rate 0.5 left in a frozen
// graph is refused, naming its RandomUniform node.
func TestDropoutActive(t *testing.T) {
	data, err := os.ReadFile("../../testdata/bad/dropout_active.pb")
	if err != nil {
		t.Fatal(err)
	}
	g, err := tfpb.ParseGraphDef(data, "dropout_active.pb")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(g, Options{})
	if err == nil || !strings.Contains(err.Error(), `"dropout/random_uniform/RandomUniform" (RandomUniform), a dropout that is active`) {
		t.Fatalf("err = %v", err)
	}
}

// TestUniqueRefused: Unique of a run-time input, whose length depends on
// the data like Where's, is refused naming the node and the reason.
func TestUniqueRefused(t *testing.T) {
	data, err := os.ReadFile("../../testdata/bad/unique_runtime.pb")
	if err != nil {
		t.Fatal(err)
	}
	g, err := tfpb.ParseGraphDef(data, "unique_runtime.pb")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Import(g, Options{})
	if err == nil || !strings.Contains(err.Error(), `node "Unique" (Unique): x must be a constant: the outputs' length depends on its values, and TensorRT has no layer computing Unique`) {
		t.Fatalf("err = %v", err)
	}
}
