package golden

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestCompare(t *testing.T) {
	want := tensor.FromF32(tensor.Shape{4}, []float32{1, 0, float32(math.NaN()), float32(math.Inf(1))})
	same := want.Clone()
	if d, err := Compare(same, want, 1e-5, 1e-6); err != nil || d.Bad != 0 {
		t.Fatalf("identical: %+v %v", d, err)
	}
	near := want.Clone()
	near.F32[0] = 1 + 5e-6 // within 1e-6 + 1e-5*1
	if d, _ := Compare(near, want, 1e-5, 1e-6); d.Bad != 0 {
		t.Errorf("within tolerance flagged: %+v", d)
	}
	far := want.Clone()
	far.F32[1] = 2e-6 // beyond atol for want = 0
	far.F32[2] = 0    // NaN expected
	if d, _ := Compare(far, want, 1e-5, 1e-6); d.Bad != 2 || d.FirstBad != 1 {
		t.Errorf("want 2 bad from index 1: %+v", d)
	}
	ints := tensor.FromI32(tensor.Shape{2}, []int32{1, 2})
	if d, _ := Compare(tensor.FromI32(tensor.Shape{2}, []int32{1, 3}), ints, 1, 1); d.Bad != 1 {
		t.Errorf("integers must be exact: %+v", d)
	}
	if _, err := Compare(tensor.FromI32(tensor.Shape{1, 2}, []int32{1, 2}), ints, 0, 0); err == nil {
		t.Error("shape mismatch accepted")
	}
	if _, err := Compare(want, ints, 0, 0); err == nil {
		t.Error("dtype mismatch accepted")
	}
}

func TestLoadAllCases(t *testing.T) {
	cs, err := LoadAll("../../testdata/cases")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 150 {
		t.Fatalf("only %d cases", len(cs))
	}
	for _, c := range cs {
		if len(c.Inputs) == 0 && len(c.Outputs) == 0 || c.Name == "" {
			t.Errorf("%s: incomplete case.json", c.Dir)
		}
	}
}
