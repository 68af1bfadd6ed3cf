package savedmodel_test

import (
	"os"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf/savedmodel"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

func readGraph(t *testing.T, path string) *tfpb.GraphDef {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g := new(tfpb.GraphDef)
	if err := proto.Unmarshal(data, g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestInlineCallsNested inlines a TF-generated frozen graph whose XLA
// function calls a _noinline function: every call is gone, the call's
// name is an IdentityN, and the body nodes are named call/node.
func TestInlineCallsNested(t *testing.T) {
	g := readGraph(t, "../../../testdata/cases/call_xla_nested/model.pb")
	out, n, err := savedmodel.InlineCalls("model.pb", g)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("inlined %d calls, want 2 (the XLA function and the one it calls)", n)
	}
	ops := map[string]string{}
	for _, nd := range out.GetNode() {
		ops[nd.GetName()] = nd.GetOp()
		if nd.GetOp() == "StatefulPartitionedCall" || nd.GetOp() == "PartitionedCall" {
			t.Errorf("call %q left in the graph", nd.GetName())
		}
	}
	if ops["StatefulPartitionedCall"] != "IdentityN" {
		t.Errorf("the outer call is %q, want an IdentityN", ops["StatefulPartitionedCall"])
	}
	var matmul bool
	for name, op := range ops {
		if op == "MatMul" && strings.HasPrefix(name, "StatefulPartitionedCall/") {
			matmul = true
		}
	}
	if !matmul {
		t.Errorf("no MatMul inlined under the call's name: %v", ops)
	}
	// A graph with no call comes back as is.
	plain := readGraph(t, "../../../testdata/cases/iterator_dense/model.pb")
	if got, n, err := savedmodel.InlineCalls("model.pb", plain); err != nil || n != 0 || got != plain {
		t.Errorf("graph without calls: n=%d err=%v, same=%v", n, err, got == plain)
	}
}

func TestInlineCallsErrors(t *testing.T) {
	g := readGraph(t, "../../../testdata/cases/call_xla_nested/model.pb")
	missing := proto.Clone(g).(*tfpb.GraphDef)
	missing.Library.Function = nil
	missing.Library.Function = append(missing.Library.Function, &tfpb.FunctionDef{Signature: &tfpb.OpDef{Name: "unrelated"}})
	if _, _, err := savedmodel.InlineCalls("model.pb", missing); err == nil || !strings.Contains(err.Error(), "not in the graph's library") {
		t.Errorf("missing function: err = %v", err)
	}
	// A function calling itself.
	rec := proto.Clone(g).(*tfpb.GraphDef)
	for _, f := range rec.GetLibrary().GetFunction() {
		for _, nd := range f.GetNodeDef() {
			if nd.GetOp() == "StatefulPartitionedCall" || nd.GetOp() == "PartitionedCall" {
				nd.Attr["f"].GetFunc().Name = f.GetSignature().GetName()
			}
		}
	}
	if _, _, err := savedmodel.InlineCalls("model.pb", rec); err == nil || !strings.Contains(err.Error(), "calls itself") {
		t.Errorf("recursion: err = %v", err)
	}
}
