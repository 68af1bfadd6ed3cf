package dot

import (
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	g := &Graph{Name: "m", Nodes: []Node{
		{ID: "x", Label: "input x:0", Kind: "input"},
		{ID: "c", Label: "conv\nf32[1,8,8,4]", Scope: "net/block_1", Kind: "conv"},
		{ID: "r", Label: "relu", Scope: "net/block_1", Kind: "unary"},
		{ID: "s", Label: `say "hi"`, Scope: "net/head", Kind: "softmax"},
	}, Edges: []Edge{{From: "x", To: "c", Label: "f32[1,8,8,3]"}, {From: "c", To: "r"}, {From: "r", To: "s"}}}
	var b strings.Builder
	if err := g.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`digraph "m" {`,
		`subgraph cluster_1 {`, `label="net"`, `label="block_1"; tooltip="net/block_1"`,
		`"c" [label="conv\nf32[1,8,8,4]", fillcolor="#aecbfa"]`,
		`"s" [label="say \"hi\""`,
		`"x" -> "c" [label="f32[1,8,8,3]"];`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// net/head holds one node: no cluster of its own.
	if strings.Contains(out, `label="head"`) {
		t.Errorf("single-node scope drawn as a cluster:\n%s", out)
	}
	if strings.Count(out, "{") != strings.Count(out, "}") {
		t.Errorf("unbalanced braces:\n%s", out)
	}
}
