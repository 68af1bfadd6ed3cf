package tf

import (
	"os"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// TestTF1Loops checks that a TF1 while loop (frames of Enter, Merge,
// Switch, NextIteration, LoopCond, Exit) becomes a while whose regions are
// its cond and body, and that malformed frames are refused naming the
// frame and the node, never as "a cycle" (the TF-generated loops, nested
// and with TensorArrays, are checked against TensorFlow by the cases in
// testdata/control/control_tf1_*).
func TestTF1Loops(t *testing.T) {
	load := func() *tfpb.GraphDef {
		data, err := os.ReadFile("../../testdata/bad/while_v1.pb")
		if err != nil {
			t.Fatal(err)
		}
		g, err := tfpb.ParseGraphDef(data, "while_v1.pb")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	f, err := Import(load(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := f.String()
	for _, w := range []string{`while(`, `loc("loop")`, `func @cond`, `less(`, `loc("loop/Less")`, `func @body`, `loc("loop/mul")`, `"loop/NextIteration_1" =`} {
		if !strings.Contains(text, w) {
			t.Errorf("IR lacks %q:\n%s", w, text)
		}
	}
	node := func(g *tfpb.GraphDef, name string) *tfpb.NodeDef {
		for _, n := range g.Node {
			if n.GetName() == name {
				return n
			}
		}
		t.Fatalf("no node %q", name)
		return nil
	}
	for _, tc := range []struct {
		name   string
		mutate func(g *tfpb.GraphDef)
		want   string
	}{
		{"no NextIteration", func(g *tfpb.GraphDef) { node(g, "loop/Merge").Input[1] = "loop/Enter" },
			`Merge "loop/Merge" has no NextIteration input`},
		{"predicate not a LoopCond", func(g *tfpb.GraphDef) { node(g, "loop/Switch_1").Input[1] = "loop/Less" },
			`Switch "loop/Switch_1": predicate loop/Less:0 is Less, want a LoopCond`},
		{"parallel_iterations", func(g *tfpb.GraphDef) {
			node(g, "loop/Enter_1").Attr["parallel_iterations"] = &tfpb.AttrValue{Value: &tfpb.AttrValue_I{I: 3}}
		}, `parallel_iterations 3, another Enter of the frame 10`},
		{"outside value without Enter", func(g *tfpb.GraphDef) { node(g, "loop/mul").Input[1] = "x" },
			`node "loop/mul" (Mul) reads "x" (Placeholder), a value from outside the loop that does not enter it through an Enter`},
		{"output inside", func(g *tfpb.GraphDef) { node(g, "y").Input[0] = "loop/mul" },
			`output y:0 is inside the loop`},
		{"exit side read inside", func(g *tfpb.GraphDef) { node(g, "loop/mul").Input[0] = "loop/Switch_1" },
			`node "loop/mul" reads the exit side (output 0) of Switch "loop/Switch_1" inside the loop`},
	} {
		g := load()
		tc.mutate(g)
		_, err := Import(g, Options{Outputs: []string{"y:0"}})
		if err == nil {
			t.Errorf("%s: imported", tc.name)
			continue
		}
		for _, w := range []string{`TF1 while loop (frame "loop/while_context")`, tc.want} {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %v\nlacks %q", tc.name, err, w)
			}
		}
		if strings.Contains(err.Error(), "cycle") {
			t.Errorf("%s: %v: says cycle", tc.name, err)
		}
	}
}

// TestTF1Conds checks that a TF1 conditional whose predicate is computed
// at run time (Switch/Merge) becomes an if whose regions are its branches,
// and that reading a branch's value other than through its Merge is
// refused naming the tensor (TF-generated conditionals, nested and in
// loops, are checked against TensorFlow by testdata/control/control_*cond*).
func TestTF1Conds(t *testing.T) {
	load := func() *tfpb.GraphDef {
		data, err := os.ReadFile("../../testdata/bad/cond_v1.pb")
		if err != nil {
			t.Fatal(err)
		}
		g, err := tfpb.ParseGraphDef(data, "cond_v1.pb")
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	f, err := Import(load(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	text := f.String()
	for _, w := range []string{`if(`, `loc("branch/Merge")`, `func @then`, `mul(`, `loc("branch/mul")`, `func @else`, `sub(`, `loc("branch/sub")`} {
		if !strings.Contains(text, w) {
			t.Errorf("IR lacks %q:\n%s", w, text)
		}
	}
	if _, err := Import(load(), Options{Outputs: []string{"branch/mul:0"}}); err == nil || !strings.Contains(err.Error(), "output branch/mul:0 is inside a branch of a TF1 conditional") {
		t.Errorf("output in a branch: err = %v", err)
	}
	g := load()
	for _, n := range g.Node {
		if n.GetName() == "branch/Merge" {
			n.Input[0] = "branch/mul/Switch:1"
		}
	}
	if _, err := Import(g, Options{Outputs: []string{"y:0"}}); err == nil || !strings.Contains(err.Error(), `output y:0 is inside a branch of a TF1 conditional`) {
		t.Errorf("Merge of one side: err = %v", err)
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
