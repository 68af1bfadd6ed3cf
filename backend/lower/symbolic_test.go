package lower

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

func TestLowerRefusesSymbolic(t *testing.T) {
	f, err := ir.Parse("sym", []byte("func @f {\n  %0 = input {name=\"x:0\"} : f32[N,4]\n  %1 = relu(%0) : f32[N,4]\n  return \"y\" = %1\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	err = Lower(f, trt.NewRecorder())
	if err == nil || !strings.Contains(err.Error(), `input "x:0" has symbolic type f32[N,4]`) {
		t.Errorf("Lower = %v", err)
	}
}
