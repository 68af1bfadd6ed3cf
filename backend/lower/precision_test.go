package lower_test

import (
	"testing"

	"github.com/tfc-dev/tfc/backend/lower"
	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/backend/trt/exec"
	"github.com/tfc-dev/tfc/internal/golden"
	"github.com/tfc-dev/tfc/interp"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// TestPrecisionLowering runs the default pipeline at f16 and bf16 on every
// TensorFlow case and model, lowers the result (the strongly typed network
// TensorRT-RTX builds: f16/bf16 tensors, weights and casts), validates it,
// and runs it on the reference executor against the interpreter on the
// same IR. The two agree on where rounding happens (after every IR op, and
// after every layer); they differ only where one IR op becomes several
// layers, each rounding, so the tolerance is the precision's default.
func TestPrecisionLowering(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
		tol := passes.PrecisionTolerance(dt)
		for _, c := range loadCases(t, *large) {
			t.Run(dt.String()+"/"+c.Name, func(t *testing.T) {
				f, err := importCase(c)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := passes.Run(f, passes.Options{Config: passes.Config{Precision: dt}}); err != nil {
					t.Fatal(err)
				}
				rec := trt.NewRecorder()
				if err := lower.Lower(f, rec); err != nil {
					t.Fatalf("lower: %v", err)
				}
				d := rec.Description()
				if err := trt.Validate(d); err != nil {
					t.Fatalf("validate: %v", err)
				}
				in, err := c.ReadInputs()
				if err != nil {
					t.Fatal(err)
				}
				want, err := interp.Run(f, in)
				if err != nil {
					t.Fatalf("interp: %v", err)
				}
				got, err := exec.Run(d, in)
				if err != nil {
					t.Fatalf("exec: %v", err)
				}
				if c.TRTDiffers != "" {
					t.Logf("built and run; numbers not compared: %s", c.TRTDiffers)
					return
				}
				for i := range want {
					diff, err := golden.Compare(got[i], want[i], tol, tol)
					if err != nil {
						t.Fatalf("output %s: %v", c.Outputs[i].Name, err)
					}
					if diff.Bad > 0 {
						t.Errorf("output %s: %d of %d elements differ, first at %d: got %v, want %v", c.Outputs[i].Name,
							diff.Bad, want[i].Len(), diff.FirstBad, got[i].Float64At(diff.FirstBad), want[i].Float64At(diff.FirstBad))
					}
				}
			})
		}
	}
}
