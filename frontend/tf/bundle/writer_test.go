package bundle

import (
	"encoding/binary"
	"hash/crc32"
)

// tableWriter writes LevelDB-format tables for tests: blocks of about
// blockSize bytes, a restart point every restartInterval entries, and the
// given compression type byte in every trailer (the contents are never
// actually compressed).
type tableWriter struct {
	blockSize       int
	restartInterval int
	compression     byte
}

type kv struct{ k, v []byte }

func (w tableWriter) write(entries []kv) []byte {
	if w.blockSize == 0 {
		w.blockSize = 4096
	}
	if w.restartInterval == 0 {
		w.restartInterval = 16
	}
	var out []byte
	var index []kv
	var block []kv
	size := 0
	flush := func() {
		if len(block) == 0 {
			return
		}
		h := w.writeBlock(&out, block)
		index = append(index, kv{append([]byte(nil), block[len(block)-1].k...), h})
		block, size = nil, 0
	}
	for _, e := range entries {
		block = append(block, e)
		size += len(e.k) + len(e.v) + 3
		if size >= w.blockSize {
			flush()
		}
	}
	flush()
	meta := w.writeBlock(&out, nil)
	idx := w.writeBlock(&out, index)
	footer := make([]byte, footerSize)
	n := copy(footer, meta)
	copy(footer[n:], idx)
	binary.LittleEndian.PutUint64(footer[handlesSize:], tableMagic)
	return append(out, footer...)
}

// writeBlock appends a block and its trailer and returns its encoded
// handle.
func (w tableWriter) writeBlock(out *[]byte, entries []kv) []byte {
	var b []byte
	var restarts []uint32
	var prev []byte
	for i, e := range entries {
		shared := 0
		if i%w.restartInterval == 0 {
			restarts = append(restarts, uint32(len(b)))
		} else {
			for shared < len(prev) && shared < len(e.k) && prev[shared] == e.k[shared] {
				shared++
			}
		}
		b = binary.AppendUvarint(b, uint64(shared))
		b = binary.AppendUvarint(b, uint64(len(e.k)-shared))
		b = binary.AppendUvarint(b, uint64(len(e.v)))
		b = append(b, e.k[shared:]...)
		b = append(b, e.v...)
		prev = e.k
	}
	if len(restarts) == 0 {
		restarts = []uint32{0}
	}
	for _, r := range restarts {
		b = binary.LittleEndian.AppendUint32(b, r)
	}
	b = binary.LittleEndian.AppendUint32(b, uint32(len(restarts)))
	off := len(*out)
	*out = append(*out, b...)
	c := crc32.Update(0, castagnoli, b)
	c = crc32.Update(c, castagnoli, []byte{w.compression})
	*out = append(*out, w.compression)
	*out = binary.LittleEndian.AppendUint32(*out, maskCRC(c))
	h := binary.AppendUvarint(nil, uint64(off))
	return binary.AppendUvarint(h, uint64(len(b)))
}
