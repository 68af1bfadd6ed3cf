// Package weightsfile reads and writes the weights sidecar of generated
// network builders (tfc compile -emit=go writes builder.go and
// builder.weights).
//
// # Format
//
// All integers are little-endian.
//
//	offset  size  field
//	0       4     magic "TFCW"
//	4       4     version (1)
//	8       4     entry count N
//	12      4     CRC-32C (Castagnoli) of the entry table
//	16      32×N  entry table; entry i:
//	              0  8  offset of the data from the start of the file (64-byte aligned)
//	              8  8  element count
//	              16 4  element type (trt.DataType value)
//	              20 4  CRC-32C of the data
//	              24 8  reserved, zero
//	...           data, each blob count × size(type) bytes, padded with zeros to 64 bytes
//
// A reader checks the magic, version, table checksum, that every blob lies
// inside the file, and each blob's checksum when it is read, so a missing,
// truncated or corrupt file is always an error, never silently zero weights.
package weightsfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"

	"github.com/tfc-dev/tfc/backend/trt"
)

const (
	magic      = "TFCW"
	version    = 1
	headerSize = 16
	entrySize  = 32
	align      = 64
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Check reports the first of ws whose byte length disagrees with its
// count and type: what Write refuses.
func Check(ws []trt.Weights) error {
	for i, x := range ws {
		if int64(len(x.Values)) != x.Count*int64(x.Type.Size()) {
			return fmt.Errorf("weights %d: %d bytes for %d values of %v", i, len(x.Values), x.Count, x.Type)
		}
	}
	return nil
}

// Write writes weights in order; entry i is ws[i].
func Write(w io.Writer, ws []trt.Weights) error {
	if err := Check(ws); err != nil {
		return err
	}
	n := len(ws)
	table := make([]byte, n*entrySize)
	off := alignUp(int64(headerSize + n*entrySize))
	for i, x := range ws {
		e := table[i*entrySize:]
		binary.LittleEndian.PutUint64(e[0:], uint64(off))
		binary.LittleEndian.PutUint64(e[8:], uint64(x.Count))
		binary.LittleEndian.PutUint32(e[16:], uint32(x.Type))
		binary.LittleEndian.PutUint32(e[20:], crc32.Checksum(x.Values, castagnoli))
		off = alignUp(off + int64(len(x.Values)))
	}
	hdr := make([]byte, headerSize)
	copy(hdr, magic)
	binary.LittleEndian.PutUint32(hdr[4:], version)
	binary.LittleEndian.PutUint32(hdr[8:], uint32(n))
	binary.LittleEndian.PutUint32(hdr[12:], crc32.Checksum(table, castagnoli))
	pos := int64(0)
	write := func(b []byte) error {
		_, err := w.Write(b)
		pos += int64(len(b))
		return err
	}
	pad := func() error {
		if p := alignUp(pos) - pos; p > 0 {
			return write(make([]byte, p))
		}
		return nil
	}
	if err := write(hdr); err != nil {
		return err
	}
	if err := write(table); err != nil {
		return err
	}
	for _, x := range ws {
		if err := pad(); err != nil {
			return err
		}
		if err := write(x.Values); err != nil {
			return err
		}
	}
	return pad()
}

func alignUp(x int64) int64 { return (x + align - 1) / align * align }

// File is an opened weights file.
type File struct {
	r       io.ReaderAt
	entries []entry
	err     error
}

type entry struct {
	off, count int64
	typ        trt.DataType
	crc        uint32
}

// ErrCorrupt is wrapped by every error about a malformed file.
var ErrCorrupt = errors.New("corrupt weights file")

// Open reads and checks the header and entry table. size is the file's
// size in bytes (so that blobs outside the file are detected up front).
func Open(r io.ReaderAt, size int64) (*File, error) {
	if r == nil {
		return nil, errors.New("weights: no weights file given")
	}
	hdr := make([]byte, headerSize)
	if _, err := r.ReadAt(hdr, 0); err != nil {
		return nil, fmt.Errorf("weights: reading header: %w (%w)", err, ErrCorrupt)
	}
	if string(hdr[:4]) != magic {
		return nil, fmt.Errorf("weights: not a tfc weights file (magic %q, want %q): %w", hdr[:4], magic, ErrCorrupt)
	}
	if v := binary.LittleEndian.Uint32(hdr[4:]); v != version {
		return nil, fmt.Errorf("weights: version %d, this reader knows %d: %w", v, version, ErrCorrupt)
	}
	n := int64(binary.LittleEndian.Uint32(hdr[8:]))
	if headerSize+n*entrySize > size {
		return nil, fmt.Errorf("weights: %d entries do not fit in %d bytes: %w", n, size, ErrCorrupt)
	}
	table := make([]byte, n*entrySize)
	if _, err := r.ReadAt(table, headerSize); err != nil {
		return nil, fmt.Errorf("weights: reading entry table: %w (%w)", err, ErrCorrupt)
	}
	if got, want := crc32.Checksum(table, castagnoli), binary.LittleEndian.Uint32(hdr[12:]); got != want {
		return nil, fmt.Errorf("weights: entry table checksum %08x, want %08x: %w", got, want, ErrCorrupt)
	}
	f := &File{r: r, entries: make([]entry, n)}
	for i := range f.entries {
		e := table[int64(i)*entrySize:]
		x := entry{
			off:   int64(binary.LittleEndian.Uint64(e[0:])),
			count: int64(binary.LittleEndian.Uint64(e[8:])),
			typ:   trt.DataType(binary.LittleEndian.Uint32(e[16:])),
			crc:   binary.LittleEndian.Uint32(e[20:]),
		}
		sz := int64(x.typ.Size())
		if sz == 0 || x.off < 0 || x.count < 0 || x.count > size/sz || x.off > size-x.count*sz {
			return nil, fmt.Errorf("weights: entry %d (%d values of %v at offset %d) lies outside the %d-byte file: %w", i, x.count, x.typ, x.off, size, ErrCorrupt)
		}
		f.entries[i] = x
	}
	return f, nil
}

// Len is the number of entries.
func (f *File) Len() int { return len(f.entries) }

// Weights reads and checks entry i.
func (f *File) Weights(i int) (trt.Weights, error) {
	if i < 0 || i >= len(f.entries) {
		return trt.Weights{}, fmt.Errorf("weights: entry %d of %d does not exist: %w", i, len(f.entries), ErrCorrupt)
	}
	e := f.entries[i]
	buf := make([]byte, e.count*int64(e.typ.Size()))
	if _, err := f.r.ReadAt(buf, e.off); err != nil {
		return trt.Weights{}, fmt.Errorf("weights: entry %d: %w (%w)", i, err, ErrCorrupt)
	}
	if got := crc32.Checksum(buf, castagnoli); got != e.crc {
		return trt.Weights{}, fmt.Errorf("weights: entry %d: checksum %08x, want %08x: %w", i, got, e.crc, ErrCorrupt)
	}
	return trt.Weights{Type: e.typ, Count: e.count, Values: buf}, nil
}

// Get is Weights for straight-line builder code: on error it records the
// first error (see Err) and returns empty weights. Generated builders call
// Err before returning, so a bad file fails the build, never silently.
func (f *File) Get(i int) trt.Weights {
	w, err := f.Weights(i)
	if err != nil && f.err == nil {
		f.err = err
	}
	return w
}

// Err returns the first error recorded by Get.
func (f *File) Err() error { return f.err }
