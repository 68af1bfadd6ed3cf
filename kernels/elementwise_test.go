package kernels

import (
	"math"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestBinaryBroadcast(t *testing.T) {
	a := iota32(2, 1, 3)
	b := f32([]int{2, 1}, 10, 20)
	got, err := Binary(Add, a, b)
	expect(t, got, err, f32([]int{2, 2, 3}, 10, 11, 12, 20, 21, 22, 13, 14, 15, 23, 24, 25))
	got, err = Binary(Mul, f32([]int{}, 2), iota32(3))
	expect(t, got, err, f32([]int{3}, 0, 2, 4))
	got, err = Binary(Max, f32([]int{2}, 1, float32(math.NaN())), f32([]int{2}, 2, 0))
	if err != nil || got.F32[0] != 2 || !math.IsNaN(float64(got.F32[1])) {
		t.Fatalf("max: %v %v", got.F32, err)
	}
	if _, err := Binary(Add, iota32(2), iota32(3)); err == nil {
		t.Fatal("non-broadcastable shapes accepted")
	}
	if _, err := Binary(Add, iota32(2), i32([]int{2}, 1, 2)); err == nil {
		t.Fatal("mixed dtypes accepted")
	}
}

func TestIntegerDivision(t *testing.T) {
	a := i32([]int{4}, 7, -7, 7, -7)
	b := i32([]int{4}, 2, 2, -2, -2)
	got, err := Binary(Div, a, b)
	expect(t, got, err, i32([]int{4}, 3, -3, -3, 3))
	got, err = Binary(FloorDiv, a, b)
	expect(t, got, err, i32([]int{4}, 3, -4, -4, 3))
	got, err = Binary(FloorMod, a, b)
	expect(t, got, err, i32([]int{4}, 1, 1, -1, -1))
	got, err = Binary(Pow, i32([]int{2}, 3, -2), i32([]int{2}, 3, 0))
	expect(t, got, err, i32([]int{2}, 27, 1))
	if _, err := Binary(Div, a, i32([]int{}, 0)); err == nil {
		t.Fatal("division by zero accepted")
	}
	if _, err := Binary(Pow, a, i32([]int{}, -1)); err == nil {
		t.Fatal("negative integer power accepted")
	}
	fm, err := Binary(FloorMod, f32([]int{2}, 7, -7), f32([]int{2}, -2, 2))
	expect(t, fm, err, f32([]int{2}, -1, 1))
}

func TestCompareLogicSelect(t *testing.T) {
	a := i32([]int{3}, 1, 2, 3)
	got, err := Compare(Less, a, i32([]int{}, 2))
	expect(t, got, err, tensor.FromBool([]int{3}, []bool{true, false, false}))
	got, err = Logic(Xor, got, tensor.FromBool([]int{1}, []bool{true}))
	expect(t, got, err, tensor.FromBool([]int{3}, []bool{false, true, true}))
	s, err := Select(got, a, i32([]int{}, 0))
	expect(t, s, err, i32([]int{3}, 0, 2, 3))
}

func TestUnary(t *testing.T) {
	x := f32([]int{4}, -2, -1.5, 0.5, 2.5)
	got, err := Unary(Relu, x, UnaryParams{})
	expect(t, got, err, f32([]int{4}, 0, 0, 0.5, 2.5))
	got, err = Unary(Round, x, UnaryParams{})
	expect(t, got, err, f32([]int{4}, -2, -2, 0, 2))
	got, err = Unary(Clamp, x, UnaryParams{Min: -1, Max: 1})
	expect(t, got, err, f32([]int{4}, -1, -1, 0.5, 1))
	got, err = Unary(Abs, i32([]int{2}, -3, 4), UnaryParams{})
	expect(t, got, err, i32([]int{2}, 3, 4))
	got, err = Unary(Sigmoid, f32([]int{3}, 0, -1000, 1000), UnaryParams{})
	expect(t, got, err, f32([]int{3}, 0.5, 0, 1))
	got, err = Unary(Softplus, f32([]int{2}, 100, -100), UnaryParams{})
	if err != nil || got.F32[0] != 100 || got.F32[1] != float32(math.Exp(-100)) {
		t.Fatalf("softplus: %v %v", got.F32, err)
	}
	h := tensor.MustNew(tensor.Float16, tensor.Shape{1})
	h.F32[0] = 1
	got, err = Unary(Exp, h, UnaryParams{})
	if err != nil || got.F32[0] != tensor.RoundF16(float32(math.E)) {
		t.Fatalf("f16 exp: %v %v", got.F32, err)
	}
	if _, err := Unary(Exp, a32(), UnaryParams{}); err == nil {
		t.Fatal("exp of i32 accepted")
	}
}

func a32() *tensor.Tensor { return i32([]int{1}, 1) }

func TestCast(t *testing.T) {
	got, err := Cast(f32([]int{4}, -1.7, 2.9, 0, 3e10), tensor.Int32)
	expect(t, got, err, i32([]int{4}, -1, 2, 0, math.MaxInt32))
	got, err = Cast(tensor.FromI64([]int{1}, []int64{1<<32 + 5}), tensor.Int32)
	expect(t, got, err, i32([]int{1}, 5))
	got, err = Cast(f32([]int{2}, 0, -0.5), tensor.Bool)
	expect(t, got, err, tensor.FromBool([]int{2}, []bool{false, true}))
	got, err = Cast(tensor.FromBool([]int{2}, []bool{true, false}), tensor.Float32)
	expect(t, got, err, f32([]int{2}, 1, 0))
	got, err = Cast(f32([]int{1}, 1.0001), tensor.Float16)
	if err != nil || got.DType != tensor.Float16 || got.F32[0] != 1 {
		t.Fatalf("f16 cast: %v %v", got, err)
	}
}

func TestReduce(t *testing.T) {
	x := iota32(2, 3)
	got, err := Reduce(x, ReduceSum, []int{1}, false)
	expect(t, got, err, f32([]int{2}, 3, 12))
	got, err = Reduce(x, ReduceMax, []int{0}, true)
	expect(t, got, err, f32([]int{1, 3}, 3, 4, 5))
	got, err = Reduce(x, ReduceMean, []int{0, 1}, false)
	expect(t, got, err, f32([]int{}, 2.5))
	got, err = Reduce(i32([]int{2}, 3, 4), ReduceMean, []int{0}, false)
	expect(t, got, err, i32([]int{}, 3))
	got, err = Reduce(iota32(0, 2), ReduceSum, []int{0}, false)
	expect(t, got, err, f32([]int{2}, 0, 0))
	if _, err := Reduce(iota32(0, 2), ReduceMax, []int{0}, false); err == nil {
		t.Fatal("max of nothing accepted")
	}
	got, err = Reduce(tensor.FromBool([]int{2, 2}, []bool{true, false, true, true}), ReduceAll, []int{1}, false)
	expect(t, got, err, tensor.FromBool([]int{2}, []bool{false, true}))
}

func TestArgTopKSoftmax(t *testing.T) {
	x := f32([]int{2, 3}, 1, 3, 3, 2, 0, 2)
	got, err := ArgMax(x, 1, false, tensor.Int64)
	expect(t, got, err, tensor.FromI64([]int{2}, []int64{1, 0}))
	got, err = ArgMin(x, 0, true, tensor.Int32)
	expect(t, got, err, i32([]int{1, 3}, 0, 1, 1))
	v, i, err := TopK(x, 1, 2)
	expect(t, v, err, f32([]int{2, 2}, 3, 3, 2, 2))
	expect(t, i, err, i32([]int{2, 2}, 1, 2, 0, 2))
	s, err := Softmax(f32([]int{2}, 5, 5), 0)
	expect(t, s, err, f32([]int{2}, 0.5, 0.5))
	ls, err := LogSoftmax(f32([]int{1}, 5), 0)
	expect(t, ls, err, f32([]int{1}, 0))
}

func TestUnaryNames(t *testing.T) {
	if len(unaryNames) != int(numUnary) {
		t.Fatalf("%d unary names for %d ops", len(unaryNames), numUnary)
	}
	for op := range numUnary {
		x := f32([]int{2}, 0.25, 2)
		if op == Not {
			x = tensor.FromBool([]int{2}, []bool{true, false})
		}
		if _, err := Unary(op, x, UnaryParams{Min: 0, Max: 1, Alpha: 1, Beta: 0.5, Gamma: 1}); err != nil {
			t.Errorf("%v: %v", op, err)
		}
	}
}

func TestBinaryLargeParallel(t *testing.T) {
	// Big enough to be split over goroutines: by rows, and by chunks of
	// one long row.
	x := iota32(3, 200, 100)
	y := iota32(200, 1)
	got, err := Binary(Sub, x, y)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got.F32 {
		if want := float32(i) - float32((i/100)%200); v != want {
			t.Fatalf("element %d: %v, want %v", i, v, want)
		}
	}
	x = iota32(100003)
	got, err = Binary(Mul, f32([]int{1}, 2), x)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got.F32 {
		if v != 2*float32(i) {
			t.Fatalf("element %d: %v", i, v)
		}
	}
	r, err := Unary(Neg, x, UnaryParams{})
	if err != nil || r.F32[100002] != -100002 || r.F32[16384] != -16384 {
		t.Fatalf("neg: %v", err)
	}
}
