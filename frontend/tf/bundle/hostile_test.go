//go:build unix

package bundle

import (
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// TestSpecialFiles: a FIFO or a device in place of a shard or the index
// is refused before anything is read (a FIFO shard used to hang in open).
func TestSpecialFiles(t *testing.T) {
	for _, which := range []string{"index", "shard"} {
		for _, kind := range []string{"fifo", "/dev/zero"} {
			p := synthBundle(t, t.TempDir(), 2, tableWriter{})
			target := DataFile(p, 0, 1)
			if which == "index" {
				target = IndexFile(p)
			}
			os.Remove(target)
			want := "not a regular file (a character device)"
			if kind == "fifo" {
				if err := syscall.Mkfifo(target, 0o600); err != nil {
					t.Skipf("mkfifo: %v", err)
				}
				want = "not a regular file (a named pipe)"
			} else if err := os.Symlink(kind, target); err != nil {
				t.Fatal(err)
			}
			_, err := Open(p)
			if err == nil || err.Error() != target+": "+want {
				t.Errorf("%s as %s: %v", kind, which, err)
			}
		}
	}
}

// TestVerifyAllStreams: checking a 64 MiB tensor (a sparse shard) reads
// it through a small buffer, not into memory.
func TestVerifyAllStreams(t *testing.T) {
	const size = 64 << 20
	prefix := filepath.Join(t.TempDir(), "sparse")
	crc := uint32(0)
	zeros := make([]byte, 1<<20)
	for range size / len(zeros) {
		crc = crc32.Update(crc, castagnoli, zeros)
	}
	e := &tfpb.BundleEntryProto{Dtype: tfpb.DataType_DT_FLOAT, Shape: shapeProto(tensor.Shape{size / 4}),
		Size: size, Crc32C: maskCRC(crc)}
	idx := tableWriter{}.write([]kv{{nil, headerBytes(t, 1)}, {[]byte("big"), entryBytes(t, e)}})
	if err := os.WriteFile(IndexFile(prefix), idx, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(DataFile(prefix, 0, 1))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	f.Close()
	r, err := Open(prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if err := r.VerifyAll(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > 8<<20 {
		t.Errorf("VerifyAll allocated %d bytes for a %d-byte tensor", d, size)
	}
	// A flipped checksum is still found.
	e.Crc32C ^= 1
	idx = tableWriter{}.write([]kv{{nil, headerBytes(t, 1)}, {[]byte("big"), entryBytes(t, e)}})
	os.WriteFile(IndexFile(prefix), idx, 0o644)
	r2, err := Open(prefix)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if err := r2.VerifyAll(); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("corrupt: %v", err)
	}
}

// TestReadOverMemoryLimit: a tensor over -max-memory is an error before
// its bytes are read; VerifyAll, which streams, still checks it.
func TestReadOverMemoryLimit(t *testing.T) {
	p := synthBundle(t, t.TempDir(), 2, tableWriter{})
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer tensor.SetMaxBytes(tensor.SetMaxBytes(8))
	k := r.Keys()[0]
	if _, err := r.ReadTensor(k); err == nil || !strings.Contains(err.Error(), "needs 12 bytes, more than the memory limit of 8 bytes") {
		t.Errorf("ReadTensor: %v", err)
	}
	if _, err := r.ReadBytes(k, nil); err == nil {
		t.Errorf("ReadBytes: no error")
	}
	if err := r.VerifyAll(); err != nil {
		t.Errorf("VerifyAll: %v", err)
	}
}
