package tf

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
)

// Where of run-time inputs is checked against TensorFlow by the generated
// cases (where_runtime_*); this test covers the IR it becomes and the
// scalar, which TensorFlow's kernel refuses.
func TestWhereImport(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 2, 3)
	b.node("w", "Where", []string{"x"}, "T", atype(dtF32))
	b.node("w2", "Where", []string{"x"}, "T", atype(dtF32))
	f, err := b.importGraph("w", "w2")
	if err != nil {
		t.Fatal(err)
	}
	var counts []string
	for _, op := range f.Ops {
		if op.Opcode == ir.OpNonZero {
			counts = append(counts, op.Str("count")+" "+op.Result().Type.String())
		}
	}
	if len(counts) != 2 || counts[0] != "NZ1 i64[NZ1,2]" || counts[1] != "NZ2 i64[NZ2,2]" {
		t.Errorf("nonzero ops: %q, want NZ1 i64[NZ1,2] and NZ2 i64[NZ2,2]", counts)
	}

	b = newTGraph(t)
	b.input("x", dtF32)
	b.node("w", "Where", []string{"x"}, "T", atype(dtF32))
	_, err = b.importGraph("w")
	wantErr(t, err, `node "w" (Where)`, "a scalar operand: TensorFlow's Where kernel refuses it")
}
