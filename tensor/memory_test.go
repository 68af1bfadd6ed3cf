package tensor

import (
	"errors"
	"testing"
)

func TestMaxBytes(t *testing.T) {
	defer SetMaxBytes(SetMaxBytes(1024))
	if _, err := New(Float32, Shape{256}); err != nil {
		t.Fatalf("1 KiB at a 1 KiB limit: %v", err)
	}
	_, err := New(Float32, Shape{257})
	var me *MemoryError
	if !errors.As(err, &me) || err.Error() != "a f32[257] tensor needs 1028 bytes, more than the memory limit of 1024 bytes (-max-memory)" {
		t.Errorf("over the limit: %v", err)
	}
	SetMaxBytes(0)
	if MaxBytes() != DefaultMaxBytes {
		t.Errorf("SetMaxBytes(0) gives %d", MaxBytes())
	}
	// 10^12 elements: refused by the limit before make runs.
	if _, err := New(Float32, Shape{1000000, 1000000}); !errors.As(err, &me) {
		t.Errorf("4 TB tensor: %v", err)
	}
}
