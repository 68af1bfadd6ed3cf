package passes

import (
	"testing"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// TestPrecisionPipeline runs the default pipeline at f16 and at bf16 on
// every TensorFlow-generated case and model: every pass verifies, the
// outputs keep their types, no op is left computing on f32 unless the
// keep rule allows it, and a second run changes nothing.
func TestPrecisionPipeline(t *testing.T) {
	cases := loadCases(t)
	for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
		keep, err := keepRule(nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			f, err := importCase(c)
			if err != nil {
				t.Fatal(err)
			}
			var types []tensor.DType
			for _, o := range f.Outputs {
				types = append(types, o.Value.Type.DType)
			}
			opts := Options{VerifyEach: true, Config: Config{Precision: dt}}
			if _, err := Run(f, opts); err != nil {
				t.Fatalf("%s at %v: %v", c.Name, dt, err)
			}
			for i, o := range f.Outputs {
				if o.Value.Type.DType != types[i] {
					t.Errorf("%s at %v: output %s became %v, was %v", c.Name, dt, o.Name, o.Value.Type.DType, types[i])
				}
			}
			p := &precisionRewrite{low: dt, f32Side: map[*ir.Op]bool{}, lowered: map[*ir.Value]bool{}}
			for _, op := range f.Ops {
				if usesF32(op) && p.decide(op, keep) {
					t.Errorf("%s at %v: %s %q still computes in f32", c.Name, dt, op.Opcode, op.Loc)
				}
			}
			once := f.String()
			rep, err := Run(f, opts)
			if err != nil {
				t.Fatalf("%s at %v: %v", c.Name, dt, err)
			}
			for _, r := range rep.Runs {
				if r.Changed {
					t.Errorf("%s at %v: pass %s changed the function on a second run", c.Name, dt, r.Name)
				}
			}
			if f.String() != once {
				t.Errorf("%s at %v: second run changed the text", c.Name, dt)
			}
		}
	}
}
