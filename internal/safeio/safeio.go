// Package safeio opens and reads the files tfc is given with the checks
// that hostile input needs.
//
// The rules, for every file tfc reads (models, SavedModel protos, .meta
// graphs, checkpoint state, index and shards, .npy inputs):
//
//   - The file is opened without blocking (O_NONBLOCK), then checked with
//     fstat before any byte is read: only regular files are read, so a
//     FIFO, a device (a symlink to /dev/zero) or a directory is an error,
//     never a hang or an endless read. Standard input is read only when
//     the caller asks for it explicitly ("-").
//   - Its size is checked against a limit before it is read, and a file
//     read whole is read with that limit, so a file that grows while it is
//     read cannot exceed it either.
//
// Errors are one line and start with the path.
package safeio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxProtoBytes is the size limit for protobuf files read whole: the
// protobuf wire format cannot encode a message of 2 GiB or more.
const MaxProtoBytes = 2<<30 - 1

// Open opens the regular file at path for reading and returns it with
// its size. It never blocks on a FIFO and never returns a device.
func Open(path string) (*os.File, int64, error) {
	f, err := openNonblock(path)
	if err != nil {
		return nil, 0, pathErr(path, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, pathErr(path, err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, fmt.Errorf("%s: not a regular file (%s)", path, kind(st.Mode()))
	}
	if err := clearNonblock(f); err != nil {
		f.Close()
		return nil, 0, pathErr(path, err)
	}
	return f, st.Size(), nil
}

// ReadFile reads the whole regular file at path, which must be at most
// limit bytes. path "-" reads standard input (up to limit bytes).
func ReadFile(path string, limit int64) ([]byte, error) {
	if path == "-" {
		return readLimited("<stdin>", os.Stdin, 0, limit)
	}
	f, size, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > limit {
		return nil, TooLarge(path, size, limit)
	}
	return readLimited(path, f, size, limit)
}

// readLimited reads r to its end, failing if it holds more than limit
// bytes; size is the expected size, a capacity hint.
func readLimited(name string, r io.Reader, size, limit int64) ([]byte, error) {
	buf := make([]byte, 0, min(size, limit)+1)
	data, err := readAll(r, buf, limit)
	if err != nil {
		return nil, pathErr(name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: more than the %s limit", name, Bytes(limit))
	}
	return data, nil
}

// readAll appends r's bytes to buf until EOF or until more than limit
// bytes are read.
func readAll(r io.Reader, buf []byte, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return buf, nil
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// TooLarge is the error for a file of size bytes over limit.
func TooLarge(path string, size, limit int64) error {
	return fmt.Errorf("%s: %s is more than the %s limit", path, Bytes(size), Bytes(limit))
}

// Bytes formats n bytes for messages ("1.5 GiB", "12 bytes").
func Bytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d bytes", n)
	}
	f, suffix := float64(n)/unit, "KiB"
	for _, s := range []string{"MiB", "GiB", "TiB", "PiB", "EiB"} {
		if f < unit {
			break
		}
		f, suffix = f/unit, s
	}
	return fmt.Sprintf("%.1f %s", f, suffix)
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

// pathErr is err prefixed with path once (a *fs.PathError carries its own
// path and operation; keep only its cause).
func pathErr(path string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("%s: %w", path, err)
}
