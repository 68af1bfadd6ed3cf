package tensor

import (
	"fmt"
	"sync/atomic"
)

// DefaultMaxBytes is the default memory limit (see MaxBytes): 4 GiB.
const DefaultMaxBytes = 4 << 30

var maxBytes atomic.Int64

func init() { maxBytes.Store(DefaultMaxBytes) }

// MaxBytes is tfc's memory limit for tensor data: no single tensor is
// allocated larger (New refuses it), and the executors (interp, the
// TensorRT reference executor) refuse, before running anything, a run
// whose live tensors would at some point exceed it in total. It is a
// process-wide setting (the CLI's -max-memory); the default is
// DefaultMaxBytes.
func MaxBytes() int64 { return maxBytes.Load() }

// SetMaxBytes sets MaxBytes (n ≤ 0 restores the default) and returns the
// previous value.
func SetMaxBytes(n int64) int64 {
	if n <= 0 {
		n = DefaultMaxBytes
	}
	return maxBytes.Swap(n)
}

// StorageBytes is the number of bytes a tensor of dtype dt and shape s
// occupies in memory (its storage slice), or an error for unknown or
// too large shapes and dtypes without storage.
func StorageBytes(dt DType, s Shape) (int64, error) {
	n, err := s.NumElements()
	if err != nil {
		return 0, err
	}
	var size int64
	switch dt.Storage() {
	case StoreF32, StoreI32:
		size = 4
	case StoreF64, StoreI64:
		size = 8
	case StoreBool:
		size = 1
	default:
		return 0, fmt.Errorf("tensors of dtype %v are not supported", dt)
	}
	return int64(n) * size, nil
}

// CheckAlloc returns an error if a tensor of dtype dt and shape s is over
// MaxBytes. New calls it; callers that allocate otherwise call it first.
func CheckAlloc(dt DType, s Shape) error {
	b, err := StorageBytes(dt, s)
	if err != nil {
		return err
	}
	if limit := MaxBytes(); b > limit {
		return &MemoryError{What: fmt.Sprintf("a %v%v tensor", dt, s), Bytes: b, Limit: limit}
	}
	return nil
}

// MemoryError reports an allocation over the memory limit.
type MemoryError struct {
	What  string // what needs the memory
	Bytes int64
	Limit int64
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("%s needs %s, more than the memory limit of %s (-max-memory)", e.What, FormatBytes(e.Bytes), FormatBytes(e.Limit))
}

// FormatBytes formats n bytes for messages ("1.5 GiB", "1028 bytes":
// exact below 10 KiB).
func FormatBytes(n int64) string {
	const unit = 1024
	if n < 10*unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB", "PiB", "EiB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return fmt.Sprintf("%.1f %s", f, suffix)
}
