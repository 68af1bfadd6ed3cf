package tf

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
)

// TestRefusedOpsAreNotSupported: an op is either translated or refused
// with a reason, never both.
func TestRefusedOpsAreNotSupported(t *testing.T) {
	refused := RefusedOps()
	if len(refused) == 0 {
		t.Fatal("no refused ops")
	}
	for _, r := range refused {
		if Supported(r.Op) {
			t.Errorf("%s is both supported and refused", r.Op)
		}
		if r.Reason == "" || strings.Contains(r.Reason, ";") {
			t.Errorf("%s: reason %q is empty or has a semicolon", r.Op, r.Reason)
		}
	}
}

// TestRefusalReasonInError: importing a refused op names the node, the
// op and the reason; an op neither supported nor refused keeps the plain
// message.
func TestRefusalReasonInError(t *testing.T) {
	b := newTGraph(t)
	shape := b.consti("shape", []int{2}, 2, 3)
	b.node("rnd", "RandomStandardNormal", []string{shape}, "dtype", atype(tfpb.DataType_DT_FLOAT), "T", atype(tfpb.DataType_DT_INT32))
	b.node("odd", "NoSuchOp", []string{"rnd"})
	_, err := b.importGraph("odd")
	if err == nil {
		t.Fatal("import succeeded")
	}
	msg := err.Error()
	for _, want := range []string{`RandomStandardNormal (1 node: "rnd") is refused: it draws random numbers`, `NoSuchOp (1 node: "odd");`} {
		if !strings.Contains(msg+";", want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
}
