//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// mapFile maps f's first size bytes read-only; ok is false when the
// system refuses (the caller reads the file instead).
func mapFile(f *os.File, size int64) ([]byte, bool) {
	if int64(int(size)) != size {
		return nil, false
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, false
	}
	return m, true
}

func unmap(m []byte) error { return syscall.Munmap(m) }
