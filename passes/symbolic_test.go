package passes

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/ir"
)

// The passes read static shapes, so a symbolic program is refused with a
// message naming the first symbolic value, not rewritten.
func TestRunRefusesSymbolic(t *testing.T) {
	f, err := ir.Parse("sym", []byte("func @f {\n  %0 = input {name=\"x:0\"} : f32[N,4]\n  %1 = relu(%0) : f32[N,4]\n  return \"y\" = %1\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(f, Options{})
	if err == nil || !strings.Contains(err.Error(), `input "x:0" (f32[N,4]) has symbolic dimensions`) {
		t.Errorf("Run = %v", err)
	}
}
