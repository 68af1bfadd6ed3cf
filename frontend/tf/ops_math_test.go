package tf

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// Most math converters are checked against TensorFlow by the generated
// cases (TestGolden, TestOpCases). These tests cover ops no case uses yet,
// with Go's own arithmetic as the reference, and the error paths.

const (
	dtF32  = tfpb.DataType_DT_FLOAT
	dtF64  = tfpb.DataType_DT_DOUBLE
	dtI32  = tfpb.DataType_DT_INT32
	dtI64  = tfpb.DataType_DT_INT64
	dtBool = tfpb.DataType_DT_BOOL
)

func TestTruncateMod(t *testing.T) {
	for _, op := range []string{"Mod", "TruncateMod"} {
		t.Run(op+"/f32", func(t *testing.T) {
			b := newTGraph(t)
			b.input("x", dtF32, 8)
			b.input("y", dtF32, 8)
			b.node("m", op, []string{"x", "y"}, "T", atype(dtF32))
			x := tensor.FromF32(tensor.Shape{8}, []float32{7.5, -7.5, 7.5, -7.5, 0, 3, -0.25, float32(math.Inf(1))})
			y := tensor.FromF32(tensor.Shape{8}, []float32{2, 2, -2, -2, 3, 0, 5, 2})
			got := b.run(map[string]*tensor.Tensor{"x:0": x, "y:0": y}, "m")[0]
			for i := range x.F32 {
				want := float32(math.Mod(float64(x.F32[i]), float64(y.F32[i])))
				g := got.F32[i]
				if !(g == want && math.Signbit(float64(g)) == math.Signbit(float64(want))) && !(g != g && want != want) {
					t.Errorf("fmod(%v, %v) = %v, want %v", x.F32[i], y.F32[i], g, want)
				}
			}
		})
		t.Run(op+"/i32", func(t *testing.T) {
			b := newTGraph(t)
			b.input("x", dtI32, 6)
			b.input("y", dtI32, 6)
			b.node("m", op, []string{"x", "y"}, "T", atype(dtI32))
			x := tensor.FromI32(tensor.Shape{6}, []int32{7, -7, 7, -7, 0, 6})
			y := tensor.FromI32(tensor.Shape{6}, []int32{3, 3, -3, -3, 5, 3})
			got := b.run(map[string]*tensor.Tensor{"x:0": x, "y:0": y}, "m")[0]
			for i := range x.I32 {
				if want := x.I32[i] % y.I32[i]; got.I32[i] != want {
					t.Errorf("%d %% %d = %d, want %d", x.I32[i], y.I32[i], got.I32[i], want)
				}
			}
		})
	}
}

func TestTruncateDiv(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtI64, 4)
	b.input("y", dtI64, 4)
	b.node("d", "TruncateDiv", []string{"x", "y"}, "T", atype(dtI64))
	x := tensor.FromI64(tensor.Shape{4}, []int64{7, -7, 7, -7})
	y := tensor.FromI64(tensor.Shape{4}, []int64{2, 2, -2, -2})
	got := b.run(map[string]*tensor.Tensor{"x:0": x, "y:0": y}, "d")[0]
	for i := range x.I64 {
		if want := x.I64[i] / y.I64[i]; got.I64[i] != want {
			t.Errorf("%d / %d = %d, want %d", x.I64[i], y.I64[i], got.I64[i], want)
		}
	}

	b = newTGraph(t)
	b.input("x", dtF32, 4)
	b.node("d", "TruncateDiv", []string{"x", "x"}, "T", atype(dtF32))
	_, err := b.importGraph("d")
	wantErr(t, err, `node "d" (TruncateDiv)`, "for integers")
}

func TestNoNan(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	x := tensor.FromF32(tensor.Shape{5}, []float32{3, inf, nan, 2, -1})
	y := tensor.FromF32(tensor.Shape{5}, []float32{0, 0, 0, 4, 0.5})
	for _, op := range []string{"MulNoNan", "DivNoNan"} {
		b := newTGraph(t)
		b.input("x", dtF32, 5)
		b.input("y", dtF32, 5)
		b.node("r", op, []string{"x", "y"}, "T", atype(dtF32))
		got := b.run(map[string]*tensor.Tensor{"x:0": x, "y:0": y}, "r")[0]
		for i := range x.F32 {
			want := x.F32[i] * y.F32[i]
			if op == "DivNoNan" {
				want = x.F32[i] / y.F32[i]
			}
			if y.F32[i] == 0 {
				want = 0
			}
			if got.F32[i] != want {
				t.Errorf("%s(%v, %v) = %v, want %v", op, x.F32[i], y.F32[i], got.F32[i], want)
			}
		}
	}
}

func TestIsFiniteNanInf(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	x := tensor.FromF32(tensor.Shape{6}, []float32{0, -2.5, inf, -inf, nan, math.MaxFloat32})
	ref := map[string]func(float64) bool{
		"IsFinite": func(v float64) bool { return !math.IsInf(v, 0) && !math.IsNaN(v) },
		"IsNan":    math.IsNaN,
		"IsInf":    func(v float64) bool { return math.IsInf(v, 0) },
	}
	for op, f := range ref {
		b := newTGraph(t)
		b.input("x", dtF32, 6)
		b.node("r", op, []string{"x"}, "T", atype(dtF32))
		got := b.run(map[string]*tensor.Tensor{"x:0": x}, "r")[0]
		for i, v := range x.F32 {
			if got.B[i] != f(float64(v)) {
				t.Errorf("%s(%v) = %v", op, v, got.B[i])
			}
		}
	}
}

func TestEqualIncompatibleShapes(t *testing.T) {
	for _, op := range []string{"Equal", "NotEqual"} {
		b := newTGraph(t)
		b.input("x", dtF32, 3)
		b.input("y", dtF32, 4)
		b.node("e", op, []string{"x", "y"}, "T", atype(dtF32), "incompatible_shape_error", abool(false))
		got := b.run(map[string]*tensor.Tensor{"x:0": iota32(3), "y:0": iota32(4)}, "e")[0]
		if !got.Shape.Equal(tensor.Shape{}) || got.B[0] != (op == "NotEqual") {
			t.Errorf("%s of incompatible shapes = %v %v", op, got, got.B)
		}

		b = newTGraph(t)
		b.input("x", dtF32, 3)
		b.input("y", dtF32, 4)
		b.node("e", op, []string{"x", "y"}, "T", atype(dtF32))
		_, err := b.importGraph("e")
		wantErr(t, err, op, "do not broadcast")
	}
}

func TestCastErrors(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 3)
	b.node("c", "Cast", []string{"x"}, "SrcT", atype(dtF32), "DstT", atype(dtF64))
	_, err := b.importGraph("c")
	wantErr(t, err, `node "c" (Cast)`, "cast to f64 is not supported")

	// A cast to the input's own type emits nothing.
	b = newTGraph(t)
	b.input("x", dtI32, 3)
	b.node("c", "Cast", []string{"x"}, "SrcT", atype(dtI32), "DstT", atype(dtI32))
	f, err := b.importGraph("c")
	if err != nil {
		t.Fatal(err)
	}
	if ops := opcodes(f); len(ops) != 0 {
		t.Errorf("identity cast emitted %v", ops)
	}
}

func TestSelectV1Errors(t *testing.T) {
	b := newTGraph(t)
	b.input("c", dtBool, 4)
	b.input("x", dtF32, 3, 4)
	b.node("s", "Select", []string{"c", "x", "x"}, "T", atype(dtF32))
	_, err := b.importGraph("s")
	wantErr(t, err, `node "s" (Select)`, "first dimension")
}

func TestAddNShapes(t *testing.T) {
	b := newTGraph(t)
	b.input("x", dtF32, 3, 4)
	b.input("y", dtF32, 4)
	b.node("s", "AddN", []string{"x", "y"}, "T", atype(dtF32), "N", aint(2))
	_, err := b.importGraph("s")
	wantErr(t, err, "AddN does not broadcast")
}
