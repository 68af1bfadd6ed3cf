package tensor

import (
	"syscall"
	"unsafe"
)

// hugePageBytes is the size of a transparent huge page on Linux (x86-64
// and most arm64 kernels).
const hugePageBytes = 2 << 20

// adviseHugePages asks Linux to back the 2 MB-aligned pages that lie
// wholly inside the n bytes at p, storage not yet written, with
// transparent huge pages where the system gives them on request (the
// madvise mode): one page fault and one page clear per 2 MB instead of
// 512 of each when the storage is first written (ResNet50's weights take
// 25,000 faults of 4 kB pages otherwise). Only a hint: the contents do
// not change, and an error is ignored.
func adviseHugePages(p unsafe.Pointer, n uintptr) {
	start := (uintptr(p) + hugePageBytes - 1) &^ (hugePageBytes - 1)
	end := (uintptr(p) + n) &^ (hugePageBytes - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Add(p, start-uintptr(p))), end-start)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}

// newF32 returns zeroed storage for n float32s. From one huge page up (a
// model's weights, large activations) the storage starts on a huge-page
// boundary, found in an allocation one page larger whose unused head is
// never written (address space, not memory), and gets the hint.
func newF32(n int) []float32 {
	if n*4 < hugePageBytes {
		return make([]float32, n)
	}
	const pad = hugePageBytes / 4
	b := make([]float32, n+pad)
	p := uintptr(unsafe.Pointer(&b[0]))
	off := int(((p+hugePageBytes-1)&^(hugePageBytes-1) - p) / 4)
	s := b[off : off+n : off+n]
	adviseHugePages(unsafe.Pointer(&s[0]), uintptr(n*4))
	return s
}
