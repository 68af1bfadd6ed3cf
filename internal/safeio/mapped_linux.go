package safeio

import (
	"os"
	"syscall"
	"unsafe"
)

// release drops the pages of mapping m that lie wholly inside b.
func release(m, b []byte) {
	base := uintptr(unsafe.Pointer(unsafe.SliceData(m)))
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if lo < base || lo+uintptr(len(b)) > base+uintptr(len(m)) {
		return
	}
	page := uintptr(os.Getpagesize())
	start := (lo - base + page - 1) &^ (page - 1)
	end := (lo - base + uintptr(len(b))) &^ (page - 1)
	if end <= start {
		return
	}
	// Advice only: an error leaves the pages resident, which is harmless.
	_ = syscall.Madvise(m[start:end], syscall.MADV_DONTNEED)
}
