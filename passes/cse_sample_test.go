package passes

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// Big constants are hashed on a sample; two that differ only in an
// element the sample skips must still not be merged.
func TestCSEBigConstantsComparedInFull(t *testing.T) {
	n := cseSample*3 + 1
	a := tensor.MustNew(tensor.Float32, tensor.Shape{n})
	b := tensor.MustNew(tensor.Float32, tensor.Shape{n})
	b.F32[1] = 1 // index 1 is not sampled (step 3)
	c := a.Clone()
	f := ir.NewFunc("f")
	x := f.Input("x:0", ir.TensorType(tensor.Float32, n))
	ca, cb, cc := f.Const(a, "a"), f.Const(b, "b"), f.Const(c, "c")
	s1, _ := f.Emit(ir.OpAdd, []*ir.Value{x, ca}, nil, "")
	s2, _ := f.Emit(ir.OpAdd, []*ir.Value{s1, cb}, nil, "")
	s3, _ := f.Emit(ir.OpAdd, []*ir.Value{s2, cc}, nil, "")
	f.AddOutput("y:0", s3)
	if _, err := Run(f, Options{Passes: []string{"cse", "dce"}, VerifyEach: true}); err != nil {
		t.Fatal(err)
	}
	consts := 0
	for _, op := range f.Ops {
		if op.Opcode == ir.OpConst {
			consts++
		}
	}
	if consts != 2 {
		t.Fatalf("want a and c merged and b kept: %d constants left", consts)
	}
}
