package npy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tfc-dev/tfc/internal/atomicfile"
	"github.com/tfc-dev/tfc/tensor"
)

// Write encodes t as a version 1.0, C-order, little-endian .npy file, byte
// for byte as numpy.save would. It checks t (dtype, storage length, and
// that integer elements lie in their dtype's range) before writing
// anything, so an invalid tensor leaves w untouched.
func Write(w io.Writer, t *tensor.Tensor) error {
	hdr, err := prepare(t)
	if err != nil {
		return err
	}
	return writeBody(w, hdr, t)
}

// prepare validates t and returns its header.
func prepare(t *tensor.Tensor) ([]byte, error) {
	if t == nil {
		return nil, errors.New("npy: cannot write a nil tensor")
	}
	descr, err := descrOf(t.DType)
	if err != nil {
		return nil, err
	}
	if err := t.Check(); err != nil {
		return nil, fmt.Errorf("npy: cannot write invalid tensor: %w", err)
	}
	if err := checkRange(t); err != nil {
		return nil, err
	}
	return encodeHeader(descr, t.Shape), nil
}

// checkRange verifies that integer elements fit their dtype, so that
// encoding never silently truncates.
func checkRange(t *tensor.Tensor) error {
	var lo, hi int64
	switch t.DType {
	case tensor.Int8:
		lo, hi = math.MinInt8, math.MaxInt8
	case tensor.Int16:
		lo, hi = math.MinInt16, math.MaxInt16
	case tensor.Uint8:
		lo, hi = 0, math.MaxUint8
	case tensor.Uint16:
		lo, hi = 0, math.MaxUint16
	case tensor.Uint32:
		for i, v := range t.I64 {
			if v < 0 || v > math.MaxUint32 {
				return outOfRange(t, i, v)
			}
		}
		return nil
	default:
		return nil
	}
	for i, v := range t.I32 {
		if int64(v) < lo || int64(v) > hi {
			return outOfRange(t, i, int64(v))
		}
	}
	return nil
}

func outOfRange(t *tensor.Tensor, i int, v int64) error {
	return fmt.Errorf("npy: cannot write %v: element %d is %d, outside the range of %v", t, i, v, t.DType)
}

// writeBody writes hdr and then t's elements, in chunks.
func writeBody(w io.Writer, hdr []byte, t *tensor.Tensor) error {
	const chunk = 64 << 10
	buf := make([]byte, 0, chunk+len(hdr))
	buf = append(buf, hdr...)
	le := binary.LittleEndian
	flush := func(force bool) error {
		if len(buf) == 0 || !force && len(buf) < chunk {
			return nil
		}
		_, err := w.Write(buf)
		buf = buf[:0]
		return err
	}
	var err error
	switch t.DType {
	case tensor.Float32:
		for _, v := range t.F32 {
			buf = le.AppendUint32(buf, math.Float32bits(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Float16:
		for _, v := range t.F32 {
			buf = le.AppendUint16(buf, tensor.F16Bits(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Float64:
		for _, v := range t.F64 {
			buf = le.AppendUint64(buf, math.Float64bits(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Int8, tensor.Uint8:
		for _, v := range t.I32 {
			buf = append(buf, byte(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Int16, tensor.Uint16:
		for _, v := range t.I32 {
			buf = le.AppendUint16(buf, uint16(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Int32:
		for _, v := range t.I32 {
			buf = le.AppendUint32(buf, uint32(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Uint32:
		for _, v := range t.I64 {
			buf = le.AppendUint32(buf, uint32(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Int64:
		for _, v := range t.I64 {
			buf = le.AppendUint64(buf, uint64(v))
			if err = flush(false); err != nil {
				return err
			}
		}
	case tensor.Bool:
		for _, v := range t.B {
			var b byte
			if v {
				b = 1
			}
			buf = append(buf, b)
			if err = flush(false); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("npy: internal error: no encoder for %v", t.DType)
	}
	return flush(true)
}

// syncFile is f.Sync; tests replace it to simulate a failure after the
// data has been written.
var syncFile = (*os.File).Sync

// WriteFile writes t to path as Write does, atomically: the data goes to a
// temporary file in the same directory, which is synced and then renamed
// over path. On any failure the temporary file is removed and path is left
// as it was. The file gets mode 0666 less the umask, as a new file from
// os.Create would (the mode of a file it replaces is not kept). Errors
// start with the path.
//
// A symlink is followed (the link stays); a character device or a FIFO is
// written through, never replaced (see package atomicfile).
func WriteFile(path string, t *tensor.Tensor) error {
	dest, err := atomicfile.Resolve(path)
	if err != nil {
		return err
	}
	if dest.Direct {
		err = writeDirect(dest.Path, t)
	} else {
		err = writeFile(dest.Path, t)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeDirect writes t to the device or FIFO at path in place.
func writeDirect(path string, t *tensor.Tensor) error {
	hdr, err := prepare(t)
	if err != nil {
		return err
	}
	f, err := atomicfile.OpenDirect(path)
	if err != nil {
		return err
	}
	if err := writeBody(f, hdr, t); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeFile(path string, t *tensor.Tensor) (err error) {
	hdr, err := prepare(t)
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := createTemp(dir, filepath.Base(path))
	if err != nil {
		return err
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()
	if err = writeBody(f, hdr, t); err != nil {
		return err
	}
	if err = syncFile(f); err != nil {
		return err
	}
	closed = true
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	// Make the rename itself durable. The file is in place whatever
	// happens here, so a failure is not reported.
	if d, derr := os.Open(dir); derr == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// createTemp creates a new file in dir for writing base, with the
// permissions os.Create would give it (os.CreateTemp uses 0600).
func createTemp(dir, base string) (*os.File, error) {
	if len(base) > 64 {
		base = base[:64]
	}
	for range 100 {
		name := filepath.Join(dir, "."+base+".tmp"+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("npy: cannot create a temporary file in %s", dir)
}
