// Package bundle reads TensorFlow's tensor bundles: the V2 checkpoint
// format of tf.train.Saver, tf.train.Checkpoint and SavedModel variables
// (tensorflow/core/util/tensor_bundle). A bundle with prefix P is
//
//	P.index                       a table (LevelDB's format, see ScanTable)
//	                              from tensor key to BundleEntryProto; the
//	                              empty key holds the BundleHeaderProto
//	P.data-00000-of-0000N, ...    N shards holding the tensors' bytes
//
// An entry gives a tensor's dtype, shape, shard, byte range and the masked
// CRC32C of its bytes (little-endian, row-major, as TensorFlow keeps them
// in memory; shards pad tensors to an alignment). Open reads the index,
// checking every block checksum, the header (little-endian, format
// version), every entry (a valid shape, a byte size that matches dtype and
// shape, a range inside its shard) and that the shard files are exactly
// those the header names. ReadTensor reads one tensor straight into a
// tensor.Tensor's storage and checks its checksum, so weights are never
// held twice.
//
// Errors are one line and name the file at fault:
//
//	m/variables/variables.index: data block: checksum mismatch: ... (at byte 0)
//	m/variables/variables.data-00000-of-00001: tensor "w" (bytes 0-96): checksum mismatch: ...
//	m/variables/variables.data-00001-of-00002: missing (the index names 2 shards)
//
// Not supported, with errors that say so: partitioned (sliced) tensors,
// snappy-compressed index blocks (TensorFlow writes none), big-endian
// bundles; string and variant tensors can be listed but not read.
package bundle

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/safeio"
	"github.com/tfc-dev/tfc/tensor"
)

// Versions of the bundle format this reader accepts
// (tensor_bundle.cc: kTensorBundleVersion, kTensorBundleMinProducer).
const (
	formatVersion = 1
	minProducer   = 0
)

// IndexFile and DataFile name the files of the bundle with prefix prefix.
func IndexFile(prefix string) string { return prefix + ".index" }

// DataFile is the name of shard i of n.
func DataFile(prefix string, i, n int) string {
	return fmt.Sprintf("%s.data-%05d-of-%05d", prefix, i, n)
}

// Entry describes one tensor of a bundle.
type Entry struct {
	Key    string
	DType  tfpb.DataType
	Shape  tensor.Shape
	Shard  int
	Offset int64
	Size   int64
	CRC32C uint32 // masked, as stored
	// Sliced is set for a partitioned tensor (its slices are separate
	// entries); tfc cannot read those.
	Sliced bool
}

// Reader reads the tensors of one bundle. It is not safe for concurrent
// use.
type Reader struct {
	prefix  string
	header  *tfpb.BundleHeaderProto
	keys    []string
	entries map[string]*Entry
	shards  []*os.File
	sizes   []int64
}

// Open opens the bundle with the given prefix ("dir/model" for
// dir/model.index and dir/model.data-*). It reads and checks the whole
// index and opens every shard.
func Open(prefix string) (*Reader, error) {
	index := IndexFile(prefix)
	data, err := safeio.ReadFile(index, safeio.MaxProtoBytes)
	if err != nil {
		return nil, err
	}
	r := &Reader{prefix: prefix, entries: map[string]*Entry{}}
	if err := r.readIndex(index, data); err != nil {
		return nil, err
	}
	if err := r.openShards(); err != nil {
		r.Close()
		return nil, err
	}
	for _, k := range r.keys {
		e := r.entries[k]
		if e.Sliced {
			continue
		}
		if e.Offset > r.sizes[e.Shard] || e.Size > r.sizes[e.Shard]-e.Offset {
			err := fmt.Errorf("%s: is %d bytes, but tensor %q needs bytes %d-%d (truncated?)",
				r.shardName(e), r.sizes[e.Shard], k, e.Offset, e.Offset+e.Size)
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

func (r *Reader) readIndex(index string, data []byte) error {
	sawHeader := false
	err := ScanTable(data, func(key, value []byte) error {
		if len(key) == 0 {
			h := new(tfpb.BundleHeaderProto)
			if err := proto.Unmarshal(value, h); err != nil {
				return fmt.Errorf("header entry: %v", oneLine(err))
			}
			r.header, sawHeader = h, true
			return nil
		}
		if !sawHeader {
			return fmt.Errorf("no header entry (the empty key) before key %q", key)
		}
		k := string(key)
		e, err := parseEntry(k, value, int(r.header.GetNumShards()))
		if err != nil {
			return err
		}
		r.keys = append(r.keys, k)
		r.entries[k] = e
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %v", index, err)
	}
	if !sawHeader {
		return fmt.Errorf("%s: no header entry (an empty table)", index)
	}
	h := r.header
	if h.GetEndianness() != tfpb.BundleHeaderProto_LITTLE {
		return fmt.Errorf("%s: a big-endian checkpoint; tfc reads little-endian ones", index)
	}
	v := h.GetVersion()
	if v.GetProducer() < minProducer || v.GetMinConsumer() > formatVersion {
		return fmt.Errorf("%s: checkpoint format version (producer %d, min_consumer %d) is newer than this reader (%d)", index, v.GetProducer(), v.GetMinConsumer(), formatVersion)
	}
	for _, b := range v.GetBadConsumers() {
		if b == formatVersion {
			return fmt.Errorf("%s: checkpoint format version %d is listed as bad for reading it", index, b)
		}
	}
	if n := h.GetNumShards(); n < 1 || n > 99999 {
		return fmt.Errorf("%s: header names %d shards", index, n)
	}
	return nil
}

// parseEntry decodes and checks one entry.
func parseEntry(key string, value []byte, shards int) (*Entry, error) {
	pe := new(tfpb.BundleEntryProto)
	if err := proto.Unmarshal(value, pe); err != nil {
		return nil, fmt.Errorf("entry %q: %v", key, oneLine(err))
	}
	shape, known, err := tfpb.ShapeFromProto(pe.GetShape())
	if err != nil {
		return nil, fmt.Errorf("entry %q: %v", key, err)
	}
	if !known || !shape.Known() {
		return nil, fmt.Errorf("entry %q: shape %v is not fully known", key, shape)
	}
	e := &Entry{
		Key: key, DType: pe.GetDtype(), Shape: shape,
		Shard: int(pe.GetShardId()), Offset: pe.GetOffset(), Size: pe.GetSize(),
		CRC32C: pe.GetCrc32C(), Sliced: len(pe.GetSlices()) > 0,
	}
	if e.Sliced {
		return e, nil
	}
	if e.Shard < 0 || e.Shard >= shards {
		return nil, fmt.Errorf("entry %q: shard %d, but the header names %d shards", key, e.Shard, shards)
	}
	if e.Offset < 0 || e.Size < 0 {
		return nil, fmt.Errorf("entry %q: negative offset %d or size %d", key, e.Offset, e.Size)
	}
	if es := elemSize(e.DType); es > 0 {
		n := int64(shape.Size())
		if want := n * int64(es); e.Size != want {
			return nil, fmt.Errorf("entry %q: %d bytes, but a %v tensor of shape %v has %d", key, e.Size, e.DType, shape, want)
		}
	}
	return e, nil
}

// elemSize is the size in bytes of one element of dt, 0 for dtypes of
// variable size (strings, variants, resources) or unknown ones.
func elemSize(dt tfpb.DataType) int {
	switch dt {
	case tfpb.DataType_DT_BOOL, tfpb.DataType_DT_INT8, tfpb.DataType_DT_UINT8,
		tfpb.DataType_DT_QINT8, tfpb.DataType_DT_QUINT8,
		tfpb.DataType_DT_FLOAT8_E5M2, tfpb.DataType_DT_FLOAT8_E4M3FN,
		tfpb.DataType_DT_FLOAT8_E4M3FNUZ, tfpb.DataType_DT_FLOAT8_E4M3B11FNUZ,
		tfpb.DataType_DT_FLOAT8_E5M2FNUZ:
		return 1
	case tfpb.DataType_DT_HALF, tfpb.DataType_DT_BFLOAT16, tfpb.DataType_DT_INT16,
		tfpb.DataType_DT_UINT16, tfpb.DataType_DT_QINT16, tfpb.DataType_DT_QUINT16:
		return 2
	case tfpb.DataType_DT_FLOAT, tfpb.DataType_DT_INT32, tfpb.DataType_DT_UINT32,
		tfpb.DataType_DT_QINT32:
		return 4
	case tfpb.DataType_DT_DOUBLE, tfpb.DataType_DT_INT64, tfpb.DataType_DT_UINT64,
		tfpb.DataType_DT_COMPLEX64:
		return 8
	case tfpb.DataType_DT_COMPLEX128:
		return 16
	}
	return 0
}

// openShards opens the shard files the header names and rejects data
// files of the same prefix that it does not name.
func (r *Reader) openShards() error {
	n := int(r.header.GetNumShards())
	index := filepath.Base(IndexFile(r.prefix))
	for i := range n {
		path := DataFile(r.prefix, i, n)
		f, size, err := safeio.Open(path)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("%s: missing (%s names %d shard%s)", path, index, n, plural(n))
			}
			return err
		}
		r.shards = append(r.shards, f)
		r.sizes = append(r.sizes, size)
	}
	others, err := filepath.Glob(globEscape(r.prefix) + ".data-*")
	if err != nil {
		return err
	}
	for _, p := range others {
		var i, m int
		if _, err := fmt.Sscanf(strings.TrimPrefix(p, r.prefix), ".data-%05d-of-%05d", &i, &m); err != nil || p != DataFile(r.prefix, i, m) {
			continue // not a shard name (say, a .tempstate file)
		}
		if m != n || i >= n {
			return fmt.Errorf("%s: unexpected data shard (%s names %d shard%s)", p, index, n, plural(n))
		}
	}
	return nil
}

func globEscape(s string) string {
	var b strings.Builder
	for _, c := range s {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\u00a0", " ")), " ")
}

// Close closes the shard files.
func (r *Reader) Close() error {
	var first error
	for _, f := range r.shards {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.shards = nil
	return first
}

// Prefix is the bundle's prefix.
func (r *Reader) Prefix() string { return r.prefix }

// NumShards is the number of data files.
func (r *Reader) NumShards() int { return int(r.header.GetNumShards()) }

// Keys lists the tensor keys in sorted order (the header's empty key
// excluded).
func (r *Reader) Keys() []string { return r.keys }

// Entry returns the entry of key.
func (r *Reader) Entry(key string) (*Entry, bool) {
	e, ok := r.entries[key]
	return e, ok
}

// shardName names the file of e.
func (r *Reader) shardName(e *Entry) string { return DataFile(r.prefix, e.Shard, r.NumShards()) }

// readable checks that e can be read as bytes.
func (r *Reader) readable(e *Entry) error {
	if e.Sliced {
		return fmt.Errorf("%s: tensor %q is partitioned into slices, which tfc does not read", IndexFile(r.prefix), e.Key)
	}
	if elemSize(e.DType) == 0 {
		return fmt.Errorf("%s: tensor %q has dtype %v, which tfc does not read", IndexFile(r.prefix), e.Key, e.DType)
	}
	if e.Size > tfpb.MaxTensorBytes {
		return fmt.Errorf("%s: tensor %q is %d bytes, more than the %d-byte limit", IndexFile(r.prefix), e.Key, e.Size, int64(tfpb.MaxTensorBytes))
	}
	return nil
}

// fits checks e's bytes against the memory limit before they are read
// into memory (VerifyAll streams them and does not need it).
func (r *Reader) fits(e *Entry) error {
	if limit := tensor.MaxBytes(); e.Size > limit {
		return fmt.Errorf("%s: %w", IndexFile(r.prefix), &tensor.MemoryError{What: fmt.Sprintf("tensor %q", e.Key), Bytes: e.Size, Limit: limit})
	}
	return nil
}

// readChecked reads e's bytes into buf (len(buf) == e.Size) and checks
// their checksum.
func (r *Reader) readChecked(e *Entry, buf []byte) error {
	f := r.shards[e.Shard]
	if _, err := f.ReadAt(buf, e.Offset); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return fmt.Errorf("%s: tensor %q (bytes %d-%d): %v", r.shardName(e), e.Key, e.Offset, e.Offset+e.Size, err)
	}
	if got := maskCRC(crc32.Update(0, castagnoli, buf)); got != e.CRC32C {
		return fmt.Errorf("%s: tensor %q (bytes %d-%d): checksum mismatch: the index has masked crc32c %#08x, the data gives %#08x (corrupt file)",
			r.shardName(e), e.Key, e.Offset, e.Offset+e.Size, e.CRC32C, got)
	}
	return nil
}

// ReadBytes returns the raw bytes of tensor key (little-endian, row-major,
// as in a TensorProto's tensor_content), checked against the entry's
// checksum. The bytes go into buf when it is large enough.
func (r *Reader) ReadBytes(key string, buf []byte) ([]byte, error) {
	e, ok := r.entries[key]
	if !ok {
		return nil, fmt.Errorf("%s: no tensor %q", IndexFile(r.prefix), key)
	}
	if err := r.readable(e); err != nil {
		return nil, err
	}
	if err := r.fits(e); err != nil {
		return nil, err
	}
	if int64(cap(buf)) >= e.Size {
		buf = buf[:e.Size]
	} else {
		buf = make([]byte, e.Size)
	}
	if err := r.readChecked(e, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// ReadTensor reads tensor key into a new tensor.Tensor. Tensors whose
// storage has the file's element layout (float32, float64, int32, int64 on
// a little-endian machine) are read straight into their storage; others
// (float16, bfloat16, narrow integers, bool) are read into a temporary
// buffer and converted. The checksum is always checked. Dtypes tfc has no
// tensors for are errors.
func (r *Reader) ReadTensor(key string) (*tensor.Tensor, error) {
	e, ok := r.entries[key]
	if !ok {
		return nil, fmt.Errorf("%s: no tensor %q", IndexFile(r.prefix), key)
	}
	if err := r.readable(e); err != nil {
		return nil, err
	}
	if err := r.fits(e); err != nil {
		return nil, err
	}
	dt, err := tfpb.DTypeFromProto(e.DType)
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %v", IndexFile(r.prefix), e.Key, err)
	}
	t, err := tensor.New(dt, e.Shape)
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %v", IndexFile(r.prefix), e.Key, err)
	}
	if raw := storageBytes(t); raw != nil && int64(len(raw)) == e.Size {
		if err := r.readChecked(e, raw); err != nil {
			return nil, err
		}
		return t, nil
	}
	buf := make([]byte, e.Size)
	if err := r.readChecked(e, buf); err != nil {
		return nil, err
	}
	tp := &tfpb.TensorProto{Dtype: e.DType, TensorShape: shapeProto(e.Shape), TensorContent: buf}
	t, err = tfpb.DecodeTensor(tp)
	if err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %v", r.shardName(e), e.Key, err)
	}
	return t, nil
}

// verifyChunk is the buffer VerifyAll streams tensors through.
const verifyChunk = 1 << 20

// VerifyAll reads every readable tensor and checks its checksum,
// streaming each through one small buffer (memory does not grow with the
// checkpoint). Entries tfc cannot read (strings, slices) are skipped.
func (r *Reader) VerifyAll() error {
	buf := make([]byte, verifyChunk)
	for _, k := range r.keys {
		e := r.entries[k]
		if r.readable(e) != nil {
			continue
		}
		crc := uint32(0)
		for off := int64(0); off < e.Size; {
			n := min(e.Size-off, int64(len(buf)))
			if _, err := r.shards[e.Shard].ReadAt(buf[:n], e.Offset+off); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return fmt.Errorf("%s: tensor %q (bytes %d-%d): %v", r.shardName(e), e.Key, e.Offset, e.Offset+e.Size, err)
			}
			crc = crc32.Update(crc, castagnoli, buf[:n])
			off += n
		}
		if got := maskCRC(crc); got != e.CRC32C {
			return fmt.Errorf("%s: tensor %q (bytes %d-%d): checksum mismatch: the index has masked crc32c %#08x, the data gives %#08x (corrupt file)",
				r.shardName(e), e.Key, e.Offset, e.Offset+e.Size, e.CRC32C, got)
		}
	}
	return nil
}

// littleEndian reports whether this machine stores integers little-endian.
var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// storageBytes views t's storage as bytes when it has the file layout of
// t's dtype, else nil.
func storageBytes(t *tensor.Tensor) []byte {
	if !littleEndian {
		return nil
	}
	switch t.DType {
	case tensor.Float32:
		return asBytes(t.F32)
	case tensor.Float64:
		return asBytes(t.F64)
	case tensor.Int32:
		return asBytes(t.I32)
	case tensor.Int64:
		return asBytes(t.I64)
	}
	return nil
}

func asBytes[T float32 | float64 | int32 | int64](s []T) []byte {
	if len(s) == 0 {
		return []byte{}
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(s[0])))
}

// shapeProto converts a known shape.
func shapeProto(s tensor.Shape) *tfpb.TensorShapeProto {
	sp := &tfpb.TensorShapeProto{}
	for _, d := range s {
		sp.Dim = append(sp.Dim, &tfpb.TensorShapeProto_Dim{Size: int64(d)})
	}
	return sp
}

// TotalBytes is the sum of the sizes of the bundle's tensors.
func (r *Reader) TotalBytes() int64 {
	var n int64
	for _, e := range r.entries {
		if !e.Sliced {
			n += e.Size
		}
	}
	return n
}
