package npy

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tfc-dev/tfc/internal/safeio"
	"github.com/tfc-dev/tfc/tensor"
)

// Read decodes one .npy array from r, which must hold nothing after it:
// Read reads r to its end and reports trailing bytes as an error. When r is
// a *bytes.Reader, *bytes.Buffer or *strings.Reader, the sizes in the
// header are checked against its length before any data is read; for other
// readers, memory grows only as data actually arrives.
func Read(r io.Reader) (*tensor.Tensor, error) {
	size := int64(-1)
	switch r := r.(type) {
	case *bytes.Reader:
		size = int64(r.Len())
	case *bytes.Buffer:
		size = int64(r.Len())
	case *strings.Reader:
		size = int64(r.Len())
	}
	return read(r, size)
}

// ReadFile reads the .npy file at path. The file's size is checked against
// the sizes in its header before any data is read. Errors start with the
// path.
func ReadFile(path string) (*tensor.Tensor, error) {
	f, size, err := safeio.Open(path) // regular files only: never blocks on a FIFO
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := read(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// read decodes an array from r. size is the number of bytes r holds, or -1
// if unknown; when known, sizes implied by the header are checked against
// it before anything is allocated for them.
func read(r io.Reader, size int64) (*tensor.Tensor, error) {
	var pre [8]byte
	n, err := io.ReadFull(r, pre[:])
	if err != nil && !isEOF(err) {
		return nil, err
	}
	if !strings.HasPrefix(magic, string(pre[:min(n, len(magic))])) {
		return nil, badMagic(pre[:n])
	}
	if n == 0 {
		return nil, fmt.Errorf("npy: empty input, want a .npy file starting with %q", magic)
	}
	if n < len(pre) {
		return nil, truncated("preamble (magic and version)", len(pre), int64(n))
	}
	major, minor := pre[6], pre[7]
	lenSize := 4
	switch {
	case major == 1 && minor == 0:
		lenSize = 2
	case (major == 2 || major == 3) && minor == 0:
	default:
		return nil, fmt.Errorf("npy: unsupported format version %d.%d; supported: 1.0, 2.0, 3.0", major, minor)
	}
	consumed := int64(len(pre))

	var lb [4]byte
	n, err = io.ReadFull(r, lb[:lenSize])
	if err != nil {
		if !isEOF(err) {
			return nil, err
		}
		return nil, truncated("header length", lenSize, int64(n))
	}
	consumed += int64(lenSize)
	var hlen int64
	if lenSize == 2 {
		hlen = int64(binary.LittleEndian.Uint16(lb[:]))
	} else {
		hlen = int64(binary.LittleEndian.Uint32(lb[:]))
	}
	if hlen > maxHeaderLen {
		return nil, fmt.Errorf("npy: header length %d exceeds the limit of %d bytes", hlen, maxHeaderLen)
	}
	if size >= 0 && size-consumed < hlen {
		return nil, truncated("header", int(hlen), max(size-consumed, 0))
	}
	hb, err := readN(r, hlen)
	if err != nil {
		if !isEOF(err) {
			return nil, err
		}
		return nil, truncated("header", int(hlen), int64(len(hb)))
	}
	consumed += hlen
	if major >= 3 && !utf8.Valid(hb) {
		return nil, fmt.Errorf("npy: version %d.%d header is not valid UTF-8", major, minor)
	}
	h, err := decodeHeader(string(hb), major)
	if err != nil {
		return nil, err
	}

	itemSize := int64(h.dtype.Size())
	want := int64(h.n) * itemSize // at most 8 * tensor.MaxElements
	if size >= 0 {
		have := max(size-consumed, 0)
		if have < want {
			return nil, truncatedData(h, want, have)
		}
		if have > want {
			return nil, trailing(have - want)
		}
	}
	var data []byte
	if size >= 0 {
		// The size check above makes this allocation safe.
		data = make([]byte, want)
		var m int
		m, err = io.ReadFull(r, data)
		data = data[:m]
	} else {
		data, err = readN(r, want)
	}
	if err != nil {
		if !isEOF(err) {
			return nil, err
		}
		return nil, truncatedData(h, want, int64(len(data)))
	}
	// Anything after the data is an error; count it for the message.
	extra, err := io.Copy(io.Discard, r)
	if err != nil {
		return nil, err
	}
	if extra > 0 {
		return nil, trailing(extra)
	}
	return decodeData(h, data)
}

// readN reads exactly n bytes, growing its buffer only as data arrives, so
// that a header claiming a huge size costs no more memory than the input
// really has. On a short read it returns what it got and the error from r.
func readN(r io.Reader, n int64) ([]byte, error) {
	const chunk = 1 << 20
	buf := make([]byte, 0, min(n, chunk))
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, int(min(n-int64(len(buf)), int64(cap(buf)))))
		}
		end := min(int64(cap(buf)), n)
		m, err := io.ReadFull(r, buf[len(buf):end])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func isEOF(err error) bool { return err == io.EOF || err == io.ErrUnexpectedEOF }

func badMagic(got []byte) error {
	hint := ""
	if bytes.HasPrefix([]byte("PK\x03\x04"), got[:min(len(got), 4)]) && len(got) >= 2 {
		hint = " (this looks like a zip archive such as a .npz file, which is not supported)"
	}
	return fmt.Errorf("npy: not a .npy file: starts with %q, want magic %q%s", got[:min(len(got), len(magic))], magic, hint)
}

// truncated reports a short read of a fixed-size part of the file. It
// wraps io.ErrUnexpectedEOF.
func truncated(what string, want int, have int64) error {
	return fmt.Errorf("npy: truncated %s: expected %d bytes, found %d: %w", what, want, have, io.ErrUnexpectedEOF)
}

func truncatedData(h *header, want, have int64) error {
	return fmt.Errorf("npy: truncated data: %v%v needs %d bytes, found %d: %w", h.dtype, h.shape, want, have, io.ErrUnexpectedEOF)
}

func trailing(n int64) error {
	return fmt.Errorf("npy: %d trailing bytes after data", n)
}

// decodeData converts raw element bytes into a tensor in C order.
func decodeData(h *header, data []byte) (*tensor.Tensor, error) {
	t, err := tensor.New(h.dtype, h.shape)
	if err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	if err := tensor.DecodeInto(t, data, h.order); err != nil {
		return nil, fmt.Errorf("npy: %w", err)
	}
	if h.fortran {
		t.F32 = fortranToC(t.F32, t.Shape)
		t.F64 = fortranToC(t.F64, t.Shape)
		t.I32 = fortranToC(t.I32, t.Shape)
		t.I64 = fortranToC(t.I64, t.Shape)
		t.B = fortranToC(t.B, t.Shape)
	}
	return t, nil
}

// fortranToC reorders src, the elements of an array of the given shape in
// Fortran (column-major) order, into C (row-major) order.
func fortranToC[T any](src []T, shape tensor.Shape) []T {
	if len(src) == 0 || len(shape) < 2 {
		return src
	}
	// fs[a] is the distance in src between neighbours along axis a.
	fs := make([]int, len(shape))
	stride := 1
	for a, d := range shape {
		fs[a] = stride
		stride *= d
	}
	dst := make([]T, len(src))
	idx := make([]int, len(shape))
	off := 0
	for i := range dst {
		dst[i] = src[off]
		for a := len(shape) - 1; a >= 0; a-- {
			idx[a]++
			off += fs[a]
			if idx[a] < shape[a] {
				break
			}
			off -= fs[a] * shape[a]
			idx[a] = 0
		}
	}
	return dst
}
