package weightsfile

import (
	"bytes"
	"errors"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

func sample() []trt.Weights {
	return []trt.Weights{
		{Type: trt.Float, Count: 3, Values: []byte{0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64}},
		{},
		{Type: trt.Int64, Count: 1, Values: []byte{7, 0, 0, 0, 0, 0, 0, 0}},
	}
}

func TestRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if buf.Len()%64 != 0 {
		t.Errorf("file size %d not aligned", buf.Len())
	}
	f, err := Open(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range sample() {
		got, err := f.Weights(i)
		if err != nil {
			t.Fatal(err)
		}
		if got.Type != want.Type || got.Count != want.Count || !bytes.Equal(got.Values, want.Values) && want.Count > 0 {
			t.Errorf("entry %d: %+v, want %+v", i, got, want)
		}
	}
	if _, err := f.Weights(3); err == nil {
		t.Error("entry out of range accepted")
	}
}

func TestCorruption(t *testing.T) {
	var buf bytes.Buffer
	Write(&buf, sample())
	good := buf.Bytes()
	cases := map[string]func([]byte) []byte{
		"magic":     func(b []byte) []byte { b[0] = 'X'; return b },
		"version":   func(b []byte) []byte { b[4] = 9; return b },
		"table":     func(b []byte) []byte { b[16+8] ^= 1; return b },
		"truncated": func(b []byte) []byte { return b[:70] },
		"empty":     func(b []byte) []byte { return nil },
	}
	for name, mutate := range cases {
		b := mutate(append([]byte(nil), good...))
		if _, err := Open(bytes.NewReader(b), int64(len(b))); err == nil || !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// A flipped data byte passes Open but fails the blob's checksum.
	f, _ := Open(bytes.NewReader(good), int64(len(good)))
	off := f.entries[0].off
	b := append([]byte(nil), good...)
	b[off] ^= 0xff
	f, err := Open(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if w := f.Get(0); !w.Empty() || !errors.Is(f.Err(), ErrCorrupt) {
		t.Errorf("corrupt blob: %+v, %v", w, f.Err())
	}
}
