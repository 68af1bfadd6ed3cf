package ir

import (
	"math"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// Hostile attributes must give errors, not wrapped-around shapes.
func TestTypeRulesRejectOverflow(t *testing.T) {
	big := math.MaxInt64
	tests := []struct {
		name  string
		opc   Opcode
		in    Type
		attrs Attrs
	}{
		{"tile", OpTile, TensorType(tensor.Float32, 3), Attrs{"multiples": []int{6148914691236517206}}},
		{"tile2", OpTile, TensorType(tensor.Float32, 1<<20, 1<<20), Attrs{"multiples": []int{1 << 20, 1 << 20}}},
		{"slice", OpSlice, TensorType(tensor.Float32, 1), Attrs{"start": []int{0}, "size": []int{5}, "stride": []int{1 << 40}}},
		{"pad", OpPad, TensorType(tensor.Float32, 2), Attrs{"mode": "constant", "pads": []int{big, big}, "value": 0.0}},
		{"conv", OpConv, TensorType(tensor.Float32, 1, 1, 10), Attrs{"strides": []int{1}, "dilations": []int{1 << 40}, "pads": []int{0, 0}, "groups": 1}},
		{"reshape-unknown", OpReshape, TensorType(tensor.Float32, -1, 2), Attrs{"shape": []int{2}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := NewFunc("f")
			x := f.Input("x", tc.in)
			args := []*Value{x}
			if tc.opc == OpConv {
				args = append(args, f.Const(tensor.MustNew(tensor.Float32, tensor.Shape{1, 1, 3}), ""))
			}
			_, err := f.NewOp(tc.opc, args, tc.attrs, "")
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "panic") {
				t.Fatal(err)
			}
		})
	}
}
