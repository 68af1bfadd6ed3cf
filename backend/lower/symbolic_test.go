package lower

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

const symbolicRelu = "func @f {\n  %0 = input {name=\"x:0\"} : f32[N,4]\n  %1 = relu(%0) : f32[N,4]\n  return \"y\" = %1\n}\n"

func TestLowerSymbolic(t *testing.T) {
	f, err := ir.Parse("sym", []byte(symbolicRelu))
	if err != nil {
		t.Fatal(err)
	}
	if err := Lower(f, trt.NewRecorder()); err == nil || !strings.Contains(err.Error(), `input "x:0" has symbolic type f32[N,4]; use LowerDynamic`) {
		t.Errorf("Lower = %v", err)
	}
	if _, err := LowerDynamic(f, nil); err == nil || !strings.Contains(err.Error(), "give optimization profiles (-min-shapes, -opt-shapes, -max-shapes)") {
		t.Errorf("LowerDynamic without profiles = %v", err)
	}
	p := ir.Profile{"x:0": {Min: tensor.Shape{1, 4}, Opt: tensor.Shape{3, 4}, Max: tensor.Shape{3, 4}}}
	d, err := LowerDynamic(f, []ir.Profile{p})
	if err != nil {
		t.Fatal(err)
	}
	if err := trt.Validate(d); err != nil {
		t.Fatal(err)
	}
	if got := d.Inputs[0].Dims; !got.Equal(trt.Dims{-1, 4}) {
		t.Errorf("input dims %v, want [-1,4]", got)
	}
	if got := d.Profiles; len(got) != 1 || !got[0][0].Max.Equal(trt.Dims{3, 4}) || got[0][0].Input != "x:0" {
		t.Errorf("profiles %+v", got)
	}
}
