package bundle

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// The table format (LevelDB's, which TensorFlow's tsl/lib/io/table keeps
// unchanged): data blocks, meta blocks, a metaindex block, an index block
// and a fixed 48-byte footer:
//
//	metaindex handle, index handle   two BlockHandles (varint64 offset, varint64 size)
//	zero padding                     to 40 bytes
//	magic                            fixed64 0xdb4775248b80fb57, little-endian
//
// Every block is followed by a 5-byte trailer: a compression type byte (0:
// none, 1: snappy) and the masked CRC32C of the block contents and the type
// byte. A block is a sequence of entries
//
//	shared varint32, unshared varint32, value length varint32,
//	key[shared:] (unshared bytes), value
//
// whose key shares its first `shared` bytes with the previous key, then
// the restart array (fixed32 offsets of entries whose shared is 0) and its
// length (fixed32). The index block maps a key ≥ the last key of each data
// block (and < the first key of the next) to the data block's handle.

const (
	footerSize    = 48
	handlesSize   = 40 // two BlockHandles, zero padded
	trailerSize   = 5
	tableMagic    = 0xdb4775248b80fb57
	noCompression = 0
	snappyType    = 1
	crcMaskDelta  = 0xa282ead8
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checkBlockCRC is turned off only by the fuzz test, so that mutations
// reach the block parser past the checksums.
var checkBlockCRC = true

// maskCRC is LevelDB's and TensorFlow's CRC masking: stored checksums are
// rotated right by 15 bits plus a constant, so that a CRC of data that
// holds CRCs is not degenerate.
func maskCRC(c uint32) uint32 { return (c>>15 | c<<17) + crcMaskDelta }

// blockHandle locates a block (without its trailer).
type blockHandle struct {
	offset, size uint64
}

// TableError is a malformed or corrupt table; Offset is the byte offset in
// the file of what is wrong.
type TableError struct {
	Offset int64
	Msg    string
}

func (e *TableError) Error() string {
	return fmt.Sprintf("%s (at byte %d)", e.Msg, e.Offset)
}

func tableErr(off uint64, format string, args ...any) error {
	return &TableError{Offset: int64(off), Msg: fmt.Sprintf(format, args...)}
}

// ScanTable calls fn for every key and value of the table held in data, in
// key order, after checking the footer, every block's checksum and
// compression type, the block structure (entry bounds, prefix compression,
// restart points) and that keys strictly increase. The key and value
// slices are only valid during the call. ScanTable stops at the first
// error, fn's or the table's; it does not panic on any input.
func ScanTable(data []byte, fn func(key, value []byte) error) error {
	n := uint64(len(data))
	if n < footerSize {
		return tableErr(0, "file is %d bytes, shorter than the %d-byte table footer (truncated?)", n, footerSize)
	}
	footerOff := n - footerSize
	footer := data[footerOff:]
	if m := binary.LittleEndian.Uint64(footer[handlesSize:]); m != tableMagic {
		return tableErr(footerOff+handlesSize, "bad table magic number %#016x, want %#016x (truncated, or not a checkpoint index)", m, uint64(tableMagic))
	}
	metaindex, k, err := decodeHandle(footer[:handlesSize])
	if err != nil {
		return tableErr(footerOff, "footer: metaindex handle: %v", err)
	}
	index, _, err := decodeHandle(footer[k:handlesSize])
	if err != nil {
		return tableErr(footerOff+uint64(k), "footer: index handle: %v", err)
	}
	if _, err := readBlock(data, footerOff, metaindex, "metaindex block"); err != nil {
		return err
	}
	ib, err := readBlock(data, footerOff, index, "index block")
	if err != nil {
		return err
	}
	var last, lastSep []byte // last key and index entry seen, for the ordering checks
	haveKey, haveSep := false, false
	return scanBlock(ib, index.offset, "index block", func(sep, hv []byte, off uint64) error {
		h, k, err := decodeHandle(hv)
		if err != nil || k != len(hv) {
			if err == nil {
				err = fmt.Errorf("%d trailing bytes", len(hv)-k)
			}
			return tableErr(off, "index block: entry %q: bad block handle: %v", sep, err)
		}
		if haveSep && bytes.Compare(sep, lastSep) <= 0 {
			return tableErr(off, "index block: entry %q does not sort after the previous entry %q", sep, lastSep)
		}
		db, err := readBlock(data, footerOff, h, "data block")
		if err != nil {
			return err
		}
		err = scanBlock(db, h.offset, "data block", func(key, value []byte, off uint64) error {
			if haveKey && bytes.Compare(key, last) <= 0 {
				return tableErr(off, "data block: key %q does not sort after the previous key %q", key, last)
			}
			if bytes.Compare(key, sep) > 0 {
				return tableErr(off, "data block: key %q sorts after its index entry %q", key, sep)
			}
			haveKey = true
			last = append(last[:0], key...)
			return fn(key, value)
		})
		haveSep = true
		lastSep = append(lastSep[:0], sep...)
		return err
	})
}

// decodeHandle decodes a BlockHandle at the start of b and returns the
// bytes it used.
func decodeHandle(b []byte) (blockHandle, int, error) {
	off, k1 := binary.Uvarint(b)
	if k1 <= 0 {
		return blockHandle{}, 0, fmt.Errorf("bad varint offset")
	}
	size, k2 := binary.Uvarint(b[k1:])
	if k2 <= 0 {
		return blockHandle{}, 0, fmt.Errorf("bad varint size")
	}
	return blockHandle{off, size}, k1 + k2, nil
}

// readBlock returns the contents of the block h points to, checking that
// it and its trailer lie before the footer, its compression type and its
// checksum.
func readBlock(data []byte, limit uint64, h blockHandle, what string) ([]byte, error) {
	if h.offset > limit || h.size > limit-h.offset || limit-h.offset-h.size < trailerSize {
		return nil, tableErr(h.offset, "%s of %d bytes at offset %d runs past the end of the table (%d bytes before the footer; truncated?)", what, h.size, h.offset, limit)
	}
	end := h.offset + h.size
	contents := data[h.offset:end]
	typ := data[end]
	stored := binary.LittleEndian.Uint32(data[end+1 : end+trailerSize])
	c := crc32.Update(0, castagnoli, contents)
	c = crc32.Update(c, castagnoli, data[end:end+1])
	if got := maskCRC(c); got != stored && checkBlockCRC {
		return nil, tableErr(h.offset, "%s: checksum mismatch: trailer has masked crc32c %#08x, contents give %#08x (corrupt file)", what, stored, got)
	}
	switch typ {
	case noCompression:
		return contents, nil
	case snappyType:
		return nil, tableErr(h.offset, "%s is snappy-compressed; tfc reads uncompressed tables only (TensorFlow writes checkpoint indexes uncompressed)", what)
	}
	return nil, tableErr(end, "%s: unknown compression type %d", what, typ)
}

// scanBlock calls fn with every entry of block b (which starts at byte
// base of the file), checking its structure.
func scanBlock(b []byte, base uint64, what string, fn func(key, value []byte, off uint64) error) error {
	if len(b) < 4 {
		return tableErr(base, "%s of %d bytes is too short for its restart count", what, len(b))
	}
	nr := uint64(binary.LittleEndian.Uint32(b[len(b)-4:]))
	maxRestarts := uint64(len(b)-4) / 4
	if nr > maxRestarts {
		return tableErr(base+uint64(len(b))-4, "%s: %d restart points do not fit in %d bytes", what, nr, len(b))
	}
	limit := uint64(len(b)) - 4 - 4*nr // end of the entries
	restarts := b[limit : len(b)-4]
	if nr == 0 && limit > 0 {
		return tableErr(base+limit, "%s: entries but no restart points", what)
	}
	if limit == 0 { // an empty block: LevelDB writes one restart point, 0
		for i := range int(nr) {
			if binary.LittleEndian.Uint32(restarts[4*i:]) != 0 {
				return tableErr(base+4*uint64(i), "%s: empty block with a restart point at %d", what, binary.LittleEndian.Uint32(restarts[4*i:]))
			}
		}
		return nil
	}
	nextRestart := 0 // index into restarts of the next restart point
	restartAt := func(i int) uint64 { return uint64(binary.LittleEndian.Uint32(restarts[4*i:])) }
	var key []byte
	for p := uint64(0); p < limit; {
		off := base + p
		isRestart := false
		if nextRestart < int(nr) && restartAt(nextRestart) == p {
			isRestart = true
			nextRestart++
		} else if nextRestart < int(nr) && restartAt(nextRestart) < p {
			return tableErr(base+limit+4*uint64(nextRestart), "%s: restart point %d (offset %d) is not at an entry", what, nextRestart, restartAt(nextRestart))
		}
		if p == 0 && !isRestart {
			return tableErr(base+limit, "%s: the first restart point is not 0", what)
		}
		var hdr [3]uint64
		for i := range hdr {
			v, k := binary.Uvarint(b[p:limit])
			if k <= 0 || v > 1<<32-1 {
				return tableErr(base+p, "%s: bad entry header varint", what)
			}
			hdr[i] = v
			p += uint64(k)
		}
		shared, unshared, vlen := hdr[0], hdr[1], hdr[2]
		if shared > uint64(len(key)) {
			return tableErr(off, "%s: entry shares %d key bytes with a previous key of %d", what, shared, len(key))
		}
		if isRestart && shared != 0 {
			return tableErr(off, "%s: entry at a restart point shares %d key bytes", what, shared)
		}
		if unshared > limit-p || vlen > limit-p-unshared {
			return tableErr(off, "%s: entry of %d key and %d value bytes runs past the block's entries", what, unshared, vlen)
		}
		key = append(key[:shared], b[p:p+unshared]...)
		p += unshared
		if err := fn(key, b[p:p+vlen], off); err != nil {
			return err
		}
		p += vlen
	}
	if nextRestart != int(nr) {
		return tableErr(base+limit+4*uint64(nextRestart), "%s: restart point %d (offset %d) is not at an entry", what, nextRestart, restartAt(nextRestart))
	}
	return nil
}
