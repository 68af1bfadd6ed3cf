//go:build !linux

package tensor

import "unsafe"

// hugePageBytes is the size from which New gives float32 storage the
// huge-page hint (which does nothing here).
const hugePageBytes = 2 << 20

// adviseHugePages does nothing where madvise(MADV_HUGEPAGE) is not
// available.
func adviseHugePages(p unsafe.Pointer, n uintptr) {}
