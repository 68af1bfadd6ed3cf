//go:build unix

package safeio

import (
	"os"
	"syscall"
)

// openNonblock opens path read-only without waiting for a FIFO's writer.
func openNonblock(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// clearNonblock puts a regular file back in blocking mode (O_NONBLOCK has
// no effect on regular files on Linux, but keep reads ordinary anywhere).
func clearNonblock(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
