package npy

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzRead checks that Read never panics, that its two paths (known length
// and stream) agree, that every error is an npy error, and that whatever it
// accepts is a valid tensor that Write accepts and Read reproduces.
// The seed corpus is in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readBoth(t, data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "npy: ") {
				t.Fatalf("error without the npy: prefix: %v", err)
			}
			return
		}
		if err := got.Check(); err != nil {
			t.Fatalf("Read returned an invalid tensor: %v", err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, got); err != nil {
			t.Fatalf("Write rejects what Read returned (%v): %v", got, err)
		}
		again, err := Read(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("Read rejects what Write wrote: %v", err)
		}
		if !sameTensor(again, got) {
			t.Fatalf("round trip changed the tensor:\n got %s\nwant %s", dump(again), dump(got))
		}
		var buf2 bytes.Buffer
		if err := Write(&buf2, again); err != nil || !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Fatalf("Write is not deterministic (%v)", err)
		}
	})
}
