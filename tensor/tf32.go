package tensor

import "math"

// RoundTF32 rounds a float32 to the nearest TF32 value (ties to even), as
// float32. TF32 is the input format of NVIDIA's tensor cores for float32
// convolutions and matrix products: float32's sign and 8-bit exponent
// (so the same range, subnormals included) with 10 of its 23 fraction
// bits, 11 significant bits in all. Values that round past the largest
// TF32 value (0x1.ffcp127) become ±inf, as IEEE rounding does; NaN and
// infinities are unchanged.
func RoundTF32(v float32) float32 {
	b := math.Float32bits(v)
	if b&0x7f800000 == 0x7f800000 { // inf, NaN
		return v
	}
	b += 0xfff + (b>>13)&1 // a carry into the exponent is the rounding up
	return math.Float32frombits(b &^ 0x1fff)
}

// IsTF32 reports whether v is a TF32 value: its low 13 fraction bits are
// zero (infinities included; NaN too when its payload lies in the high
// fraction bits).
func IsTF32(v float32) bool { return math.Float32bits(v)&0x1fff == 0 }
