package lower

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/ir"
)

// TestLowerNonZero checks nonzero's instruction selection: INonZeroLayer
// (kINT64) and the transposing Shuffle, with NOT(EQUAL(x, 0)) first for
// every element type but bool and i32 (NvInfer.h leaves NaN and -0 open,
// and the layer takes no kINT64), and a scalar as a vector of one whose
// [count, 1] rows lose their column.
func TestLowerNonZero(t *testing.T) {
	for _, c := range []struct {
		dtype, layers string
	}{
		{"bool", "NonZero Shuffle"},
		{"i32", "NonZero Shuffle"},
		{"f32", "Constant ElementWise(kEQUAL) Unary(kNOT) NonZero Shuffle"},
		{"f16", "Constant ElementWise(kEQUAL) Unary(kNOT) NonZero Shuffle"},
		{"i64", "Constant ElementWise(kEQUAL) Unary(kNOT) NonZero Shuffle"},
	} {
		src := fmt.Sprintf("func @f {\n  %%0 = input {name=\"x:0\"} : %s[2,3]\n  %%1 = nonzero(%%0) {count=\"K\"} : i64[K,2]\n  return \"y\" = %%1\n}\n", c.dtype)
		f, err := ir.Parse("nonzero", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		net := trt.NewRecorder()
		if err := Lower(f, net); err != nil {
			t.Fatalf("%s: %v", c.dtype, err)
		}
		d := net.Description()
		if err := trt.Validate(d); err != nil {
			t.Fatalf("%s: %v", c.dtype, err)
		}
		var got []string
		for _, l := range d.Layers {
			s := l.Type.String()
			switch p := l.Params.(type) {
			case trt.ElementWise:
				s += "(" + p.Operation.String() + ")"
			case trt.Unary:
				s += "(" + p.Operation.String() + ")"
			case trt.NonZero:
				if p.IndicesType != trt.Int64 {
					t.Errorf("%s: NonZero indices %v, want kINT64", c.dtype, p.IndicesType)
				}
			case trt.Shuffle:
				if len(p.FirstTranspose) != 2 || p.FirstTranspose[0] != 1 {
					t.Errorf("%s: Shuffle %v, want the transpose [1,0]", c.dtype, p.FirstTranspose)
				}
			}
			got = append(got, s)
		}
		if g := strings.Join(got, " "); g != c.layers {
			t.Errorf("%s: layers %s, want %s", c.dtype, g, c.layers)
		}
		if out := d.Outputs[0]; !out.Dims.Equal(trt.Dims{trt.DataDependent, 2}) || out.Type != trt.Int64 {
			t.Errorf("%s: output %v %v, want kINT64 [-1,2]", c.dtype, out.Type, out.Dims)
		}
	}
	f, err := ir.Parse("scalar", []byte("func @f {\n  %0 = input {name=\"x:0\"} : f32[]\n  %1 = nonzero(%0) {count=\"K\"} : i64[K,0]\n  return \"y\" = %1\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	net := trt.NewRecorder()
	if err := Lower(f, net); err != nil {
		t.Fatalf("scalar nonzero: %v", err)
	}
	if err := trt.Validate(net.Description()); err != nil {
		t.Fatalf("scalar nonzero: %v", err)
	}
	if out := net.Description().Outputs[0]; !out.Dims.Equal(trt.Dims{trt.DataDependent, 0}) {
		t.Errorf("scalar nonzero: output %v, want [-1,0]", out.Dims)
	}
}
