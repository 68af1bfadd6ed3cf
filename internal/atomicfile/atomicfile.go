// Package atomicfile writes files so that a failure leaves nothing behind:
// the content goes to a temporary file in the target's directory, which is
// synced and renamed over the target only once complete.
//
// Special targets are never replaced. A symlink is followed: the file it
// points to is replaced and the link stays. A character device (/dev/null,
// /dev/stdout, a terminal) or a FIFO (a shell's >(...)), or a symlink to
// one, is written through: opened for writing and written in place, not
// atomically (a failure may leave part of the output there). Block
// devices, sockets and directories are refused with an error naming the
// path.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Write creates path with the content produced by fill. If fill or any
// file operation fails, path is left untouched (an earlier file stays as it
// was) and no temporary file remains.
func Write(path string, fill func(w io.Writer) error) (err error) {
	dest, err := Resolve(path)
	if err != nil {
		return err
	}
	if dest.Direct {
		return writeDirect(path, dest.Path, fill)
	}
	path = dest.Path
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		// Name the file the user asked for, not the temporary one.
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("create %s: %w", path, err)
	}
	done := false
	defer func() {
		// Also on a panic in fill: never leave the temporary file.
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	done = true
	return nil
}

// CheckTarget reports whether path can be a file Write creates: it must
// not be an existing directory, block device or socket. Commands call it
// before long work.
func CheckTarget(path string) error {
	_, err := Resolve(path)
	return err
}

// Dest is where Write puts the content for a path.
type Dest struct {
	// Path is the file to replace: path itself, or the file a symlink
	// points to.
	Path string
	// Direct is set for a character device or a FIFO: Path is opened
	// and written in place, never replaced.
	Direct bool
}

// Resolve says how Write writes path (see the package comment): the
// regular file to replace atomically (following symlinks), or a
// character device or FIFO to write through. Directories, block devices
// and sockets are errors.
func Resolve(path string) (Dest, error) {
	target := path
	if st, err := os.Lstat(path); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		if r, err := filepath.EvalSymlinks(path); err == nil {
			target = r
		}
		// A dangling symlink is replaced by the new file, as before.
	}
	st, err := os.Stat(target)
	if err != nil {
		return Dest{Path: target}, nil // a new file (or an error Write reports)
	}
	switch m := st.Mode(); {
	case m.IsRegular():
		return Dest{Path: target}, nil
	case m.IsDir():
		return Dest{}, fmt.Errorf("%s is a directory; give a file name", path)
	case m&fs.ModeCharDevice != 0, m&fs.ModeNamedPipe != 0:
		return Dest{Path: target, Direct: true}, nil
	case m&fs.ModeDevice != 0:
		return Dest{}, fmt.Errorf("%s is a block device; tfc writes regular files, character devices and FIFOs only", path)
	default:
		return Dest{}, fmt.Errorf("%s is not a regular file (mode %s); tfc writes regular files, character devices and FIFOs only", path, m.Type())
	}
}

// OpenDirect opens a character device or FIFO (a Dest with Direct set)
// for writing in place. Like a shell's redirection, opening a FIFO waits
// for its reader.
func OpenDirect(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return f, nil
}

// writeDirect writes fill's content straight to the device or FIFO
// target (named path in errors).
func writeDirect(path, target string, fill func(w io.Writer) error) error {
	f, err := OpenDirect(target)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// WriteBytes is Write for content already in memory.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
