package tensor

import (
	"testing"
	"unsafe"
)

// Large float32 storage starts on a huge-page boundary, holds exactly its
// elements (appending reallocates rather than writing into the unused
// head of another tensor) and is zero; small storage is a plain slice.
func TestNewF32HugePages(t *testing.T) {
	for _, n := range []int{0, 1, hugePageBytes/4 - 1, hugePageBytes / 4, 3*hugePageBytes/4 + 5} {
		s := newF32(n)
		if len(s) != n || cap(s) != n {
			t.Errorf("n=%d: len %d cap %d", n, len(s), cap(s))
		}
		if n*4 >= hugePageBytes && uintptr(unsafe.Pointer(&s[0]))%hugePageBytes != 0 {
			t.Errorf("n=%d: storage at %p, not on a %d-byte boundary", n, &s[0], hugePageBytes)
		}
		for i, v := range s {
			if v != 0 {
				t.Fatalf("n=%d: element %d = %v", n, i, v)
			}
		}
	}
	x := MustNew(Float32, Shape{3, hugePageBytes / 4})
	if x.Len() != len(x.F32) || uintptr(unsafe.Pointer(&x.F32[0]))%hugePageBytes != 0 {
		t.Errorf("New: %d elements at %p", len(x.F32), &x.F32[0])
	}
}
