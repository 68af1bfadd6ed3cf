package tensor

import (
	"encoding/binary"
	"testing"
)

func TestEncodeDecodeRoundTrip(t *testing.T) {
	for dt := Float32; dt <= Bool; dt++ {
		for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			x := MustNew(dt, Shape{2, 3})
			for i := range 6 {
				switch dt.Storage() {
				case StoreF32:
					x.F32[i] = float32(i) - 2.5
				case StoreF64:
					x.F64[i] = float64(i) * 1.25
				case StoreI32:
					x.I32[i] = int32(i)
				case StoreI64:
					x.I64[i] = int64(i) * 7
				case StoreBool:
					x.B[i] = i%2 == 0
				}
			}
			b, err := x.Encode(order)
			if err != nil {
				t.Fatalf("%v: %v", dt, err)
			}
			if len(b) != 6*dt.Size() {
				t.Fatalf("%v: %d bytes", dt, len(b))
			}
			y, err := Decode(dt, Shape{2, 3}, b, order)
			if err != nil {
				t.Fatal(err)
			}
			for i := range 6 {
				if x.Float64At(i) != y.Float64At(i) {
					t.Errorf("%v element %d: %v != %v", dt, i, x.Float64At(i), y.Float64At(i))
				}
			}
		}
	}
	le := binary.LittleEndian
	if b, _ := FromF32(Shape{1}, []float32{1}).Encode(le); le.Uint32(b) != 0x3f800000 {
		t.Error("f32 bits")
	}
	if _, err := Decode(Float32, Shape{2}, make([]byte, 7), le); err == nil {
		t.Error("wrong length accepted")
	}
	u8 := &Tensor{DType: Uint8, Shape: Shape{1}, I32: []int32{300}}
	if _, err := u8.Encode(le); err == nil {
		t.Error("out-of-range u8 accepted")
	}
}

func TestLittleEndianView(t *testing.T) {
	x := FromF32(Shape{2}, []float32{1, -2})
	b, ok := x.LittleEndianView()
	if !ok {
		t.Skip("big-endian machine")
	}
	want, _ := x.Encode(binary.LittleEndian)
	if string(b) != string(want) {
		t.Fatalf("view %v, encoding %v", b, want)
	}
	x.F32[0] = 3 // the view aliases the tensor
	if b2, _ := x.Encode(binary.LittleEndian); string(b) != string(b2) {
		t.Fatal("view does not alias the tensor")
	}
	if _, ok := MustNew(Float16, Shape{1}).LittleEndianView(); ok {
		t.Error("f16 has no view (its storage is float32)")
	}
}

func TestViewLittleEndian(t *testing.T) {
	x := FromF32(Shape{2, 2}, []float32{1, 2, 3, 4})
	b, ok := x.LittleEndianView()
	if !ok {
		t.Skip("big-endian machine")
	}
	v, ok := ViewLittleEndian(Shape{4}, b)
	if !ok || v.Check() != nil || v.F32[2] != 3 {
		t.Fatalf("view %v ok=%v", v, ok)
	}
	if _, ok := ViewLittleEndian(Shape{3}, b); ok {
		t.Error("length mismatch accepted")
	}
	if _, ok := ViewLittleEndian(Shape{1}, b[1:5]); ok {
		t.Error("misaligned view accepted")
	}
}
