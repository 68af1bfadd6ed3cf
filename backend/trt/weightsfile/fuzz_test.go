package weightsfile

import (
	"bytes"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

// FuzzOpen: any bytes given as a weights file are read without a panic
// and without allocating more than the file holds; every blob returned is
// the size its entry says.
func FuzzOpen(f *testing.F) {
	var buf bytes.Buffer
	Write(&buf, []trt.Weights{
		{Type: trt.Float, Count: 3, Values: make([]byte, 12)},
		{Type: trt.Int32, Count: 1, Values: []byte{1, 2, 3, 4}},
		{Type: trt.Half, Count: 0},
	})
	f.Add(buf.Bytes())
	f.Add([]byte("TFCW"))
	f.Fuzz(func(t *testing.T, data []byte) {
		w, err := Open(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for i := range w.Len() {
			b, err := w.Weights(i)
			if err != nil {
				continue
			}
			if int64(len(b.Values)) > int64(len(data)) {
				t.Fatalf("entry %d: %d bytes from a %d-byte file", i, len(b.Values), len(data))
			}
		}
	})
}
