package tensor

import (
	"math"
	"math/rand"
	"testing"

	"github.com/x448/float16"
)

func TestParseDTypeRoundTrip(t *testing.T) {
	for d := Float32; d <= Bool; d++ {
		got, ok := ParseDType(d.String())
		if !ok || got != d {
			t.Errorf("ParseDType(%q) = %v, %v", d.String(), got, ok)
		}
		if d.Size() == 0 || d.Storage() == NoStorage {
			t.Errorf("%v has no size or storage", d)
		}
	}
	if _, ok := ParseDType("invalid"); ok {
		t.Error("ParseDType accepted invalid")
	}
}

func TestParseShape(t *testing.T) {
	for _, s := range []string{"[]", "[1]", "[1,224,224,3]", "[?,3]", "[0,5]"} {
		sh, err := ParseShape(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		if sh.String() != s {
			t.Errorf("%s printed back as %s", s, sh)
		}
	}
	for _, s := range []string{"", "[", "1,2", "[a]", "[-2]", "[1,,2]", "[1099511627776,2]"} {
		if _, err := ParseShape(s); err == nil {
			t.Errorf("ParseShape(%q) accepted", s)
		}
	}
}

func TestNumElementsOverflow(t *testing.T) {
	if _, err := (Shape{1 << 30, 1 << 30, 1 << 30}).NumElements(); err == nil {
		t.Error("no overflow error")
	}
	if _, err := (Shape{2, Unknown}).NumElements(); err == nil {
		t.Error("unknown dim accepted")
	}
	if n, err := (Shape{}).NumElements(); n != 1 || err != nil {
		t.Errorf("scalar: %d, %v", n, err)
	}
	if n, _ := (Shape{3, 0, 1 << 40}).NumElements(); n != 0 {
		t.Errorf("zero-size: %d", n)
	}
}

func TestBroadcastShapes(t *testing.T) {
	tests := []struct {
		a, b, want Shape
		ok         bool
	}{
		{Shape{2, 3}, Shape{3}, Shape{2, 3}, true},
		{Shape{2, 1}, Shape{1, 3}, Shape{2, 3}, true},
		{Shape{}, Shape{4, 5}, Shape{4, 5}, true},
		{Shape{5, 1, 3}, Shape{4, 1}, Shape{5, 4, 3}, true},
		{Shape{2, 3}, Shape{4}, nil, false},
	}
	for _, tc := range tests {
		got, err := BroadcastShapes(tc.a, tc.b)
		if (err == nil) != tc.ok || (tc.ok && !got.Equal(tc.want)) {
			t.Errorf("BroadcastShapes(%v, %v) = %v, %v", tc.a, tc.b, got, err)
		}
	}
}

func TestNewAndCheck(t *testing.T) {
	for d := Float32; d <= Bool; d++ {
		x, err := New(d, Shape{2, 3})
		if err != nil {
			t.Fatal(err)
		}
		if x.Len() != 6 || x.Check() != nil {
			t.Errorf("%v: len %d, check %v", d, x.Len(), x.Check())
		}
	}
	bad := &Tensor{DType: Float32, Shape: Shape{2}, F32: []float32{1}}
	if bad.Check() == nil {
		t.Error("Check accepted a short tensor")
	}
	if _, err := New(Float32, Shape{-3}); err == nil {
		t.Error("New accepted a negative dim")
	}
}

func TestHalfRounding(t *testing.T) {
	// 1 + 2^-11 is halfway between two f16 values: ties to even gives 1.
	if got := RoundF16(1 + 1.0/2048); got != 1 {
		t.Errorf("RoundF16 tie: %v", got)
	}
	if got := RoundF16(65520); !math.IsInf(float64(got), 1) {
		t.Errorf("RoundF16 overflow: %v", got)
	}
	if F16FromBits(F16Bits(0.5)) != 0.5 || F16Bits(1) != 0x3c00 {
		t.Error("f16 bits")
	}
	if BF16Bits(1) != 0x3f80 || BF16FromBits(0x3f80) != 1 {
		t.Error("bf16 bits")
	}
	// 1 + 2^-8 is halfway between bf16 1 and 1+2^-7: ties to even gives 1.
	if got := RoundBF16(1 + 1.0/256); got != 1 {
		t.Errorf("RoundBF16 tie: %v", got)
	}
	if nan := BF16FromBits(BF16Bits(float32(math.NaN()))); !math.IsNaN(float64(nan)) {
		t.Error("bf16 NaN lost")
	}
}

func TestReshapeSharesData(t *testing.T) {
	x := FromF32(Shape{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	y, err := x.Reshape(Shape{3, 2})
	if err != nil {
		t.Fatal(err)
	}
	y.F32[0] = 9
	if x.F32[0] != 9 {
		t.Error("Reshape copied")
	}
	if _, err := x.Reshape(Shape{4}); err == nil {
		t.Error("bad reshape accepted")
	}
}

// TestRoundF16Bits checks the bit-level RoundF16 against conversion through
// float16 on every float32 whose top 16 bits vary and whose low 16 bits
// take the values around every half's rounding boundary, and on random
// bit patterns.
func TestRoundF16Bits(t *testing.T) {
	ref := func(v float32) float32 { return float16.Fromfloat32(v).Float32() }
	check := func(b uint32) {
		v := math.Float32frombits(b)
		got, want := RoundF16(v), ref(v)
		if math.Float32bits(got) != math.Float32bits(want) && !(got != got && want != want) {
			t.Fatalf("RoundF16(%v = %#08x) = %v, float16 gives %v", v, b, got, want)
		}
	}
	for hi := uint32(0); hi < 1<<16; hi++ {
		for _, lo := range []uint32{0, 1, 0xfff, 0x1000, 0x1001, 0x1fff, 0x2000, 0x2001, 0x3000, 0x7fff, 0x8000, 0xffff} {
			check(hi<<16 | lo)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for range 1 << 20 {
		check(rng.Uint32())
	}
}
