package safeio

// A Mapped is the content of a file read with Map: the file mapped into
// memory read-only where the system allows it (Unix), else read whole.
//
// A mapped file costs no copy: its pages are read from the page cache as
// Data is touched, and Release gives pages that are no longer needed back
// to the system (they are read again if touched after all), so a reader
// that decodes a large file front to back and releases what it has
// decoded holds about one piece of it in memory at a time. Data must not
// be written, and must not be used after Close. If the file is truncated
// by another process while mapped, reading past its new end faults (the
// program crashes): tfc's inputs are files at rest.
type Mapped struct {
	// Data is the file's content.
	Data []byte
	// mapped is the whole mapping (nil when Data was read).
	mapped []byte
}

// minMapBytes is the size from which Map maps a file rather than
// reading it: below it a mapping saves nothing worth its page faults.
const minMapBytes = 1 << 20

// Map returns the content of the regular file at path (at most limit
// bytes; "-" reads standard input), mapped into memory when the file is
// large and the system can map it, else read. Close it when done.
func Map(path string, limit int64) (*Mapped, error) {
	if path == "-" {
		data, err := ReadFile(path, limit)
		if err != nil {
			return nil, err
		}
		return &Mapped{Data: data}, nil
	}
	f, size, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if size > limit {
		return nil, TooLarge(path, size, limit)
	}
	if size >= minMapBytes {
		if m, ok := mapFile(f, size); ok {
			return &Mapped{Data: m, mapped: m}, nil
		}
	}
	data, err := readLimited(path, f, size, limit)
	if err != nil {
		return nil, err
	}
	return &Mapped{Data: data}, nil
}

// Release tells the system that the pages lying wholly inside b, a piece
// of Data, are not needed for now. Data keeps its content (a page touched
// again is read again from the file). It does nothing for data that was
// read rather than mapped, or for b outside Data.
func (m *Mapped) Release(b []byte) {
	if m == nil || m.mapped == nil || len(b) == 0 {
		return
	}
	release(m.mapped, b)
}

// Close unmaps the file. Data, and every slice of it, must not be used
// afterwards.
func (m *Mapped) Close() error {
	if m == nil {
		return nil
	}
	var err error
	if m.mapped != nil {
		err = unmap(m.mapped)
	}
	m.mapped, m.Data = nil, nil
	return err
}
