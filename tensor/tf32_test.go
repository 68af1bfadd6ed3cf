package tensor

import (
	"math"
	"testing"
)

func TestRoundTF32(t *testing.T) {
	for _, c := range []struct{ in, want float32 }{
		{0, 0},
		{1, 1},
		{-1, -1},
		{1 + 0x1p-10, 1 + 0x1p-10},           // the last TF32 bit
		{1 + 0x1p-11, 1},                     // a tie, to even (down)
		{1 + 3*0x1p-11, 1 + 2*0x1p-10},       // a tie, to even (up)
		{1 + 0x1p-11 + 0x1p-23, 1 + 0x1p-10}, // above the tie
		{-(1 + 0x1p-11 + 0x1p-23), -(1 + 0x1p-10)},
		{2 - 0x1p-23, 2},     // the carry into the exponent
		{0x1p-149, 0},        // the smallest subnormal
		{0x1p-136, 0x1p-136}, // TF32's smallest subnormal
		{0x1p-137 + 0x1p-149, 0x1p-136},
		{math.MaxFloat32, float32(math.Inf(1))}, // past 0x1.ffcp127
		{0x1.ffcp127, 0x1.ffcp127},
		{float32(math.Inf(-1)), float32(math.Inf(-1))},
	} {
		if got := RoundTF32(c.in); got != c.want {
			t.Errorf("RoundTF32(%x) = %x, want %x", c.in, got, c.want)
		}
		if !IsTF32(c.want) {
			t.Errorf("IsTF32(%x) = false", c.want)
		}
	}
	if nan := float32(math.NaN()); RoundTF32(nan) == RoundTF32(nan) {
		t.Errorf("RoundTF32(NaN) is not NaN")
	}
	if IsTF32(1 + 0x1p-23) {
		t.Errorf("IsTF32(1+2^-23) = true")
	}
	// Against float64 rounding to 11 significant bits, on one binade.
	for m := uint32(0); m < 1<<23; m += 977 {
		x := math.Float32frombits(0x3f800000 | m) // [1, 2)
		want := float32(math.RoundToEven(float64(x)*0x1p10) * 0x1p-10)
		if got := RoundTF32(x); got != want {
			t.Fatalf("RoundTF32(%x) = %x, want %x", x, got, want)
		}
	}
}
