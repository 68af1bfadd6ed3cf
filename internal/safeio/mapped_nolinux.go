//go:build !linux

package safeio

// release does nothing where madvise(MADV_DONTNEED) is not available:
// the pages stay resident until Close.
func release(m, b []byte) {}
