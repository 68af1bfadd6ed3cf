// Package strset is a set of strings for the name tables of million-op
// programs: the import's node names (a name's index is its node's), the
// layer names made unique by the lowering, and checked unique by
// trt.Validate.
//
// A Go map[string]T of a million names misses the cache two or three
// times per insertion (its control word, its slot, the key's bytes, to
// compare). A Set keeps the names in insertion order and an open-addressed
// table of 64-bit slots, each the top half of the name's hash beside the
// name's index: an insertion of a new name reads one slot that is
// (almost always) in a different cache line from the last, and reads a
// name back only when the hash halves agree (the same name, or one chance
// in 2^32 per probe).
package strset

import "hash/maphash"

// A Set is a set of strings. The zero Set is empty and ready to use.
type Set struct {
	seed  maphash.Seed
	slots []uint64 // hash<<32 | (index+1); 0 is free
	names []string // in insertion order
}

// New returns an empty Set with room for n names before it grows.
func New(n int) *Set {
	s := &Set{}
	s.init(n)
	return s
}

func (s *Set) init(n int) {
	size := 16
	for size < 2*n { // at most half full
		size *= 2
	}
	s.seed = maphash.MakeSeed()
	s.slots = make([]uint64, size)
	s.names = make([]string, 0, n)
}

// Len returns the number of names in s.
func (s *Set) Len() int { return len(s.names) }

// Has reports whether name is in s.
func (s *Set) Has(name string) bool { return s.Index(name) >= 0 }

// Index returns the position of name in the order of the names' addition,
// or -1 if it is not in s. A caller that keeps a value per name in a
// slice, appended as the names are added, has a map from names to values.
func (s *Set) Index(name string) int {
	if s.slots == nil {
		return -1
	}
	i, found := s.find(name, s.hash(name))
	if !found {
		return -1
	}
	return int(uint32(s.slots[i]) - 1)
}

// IndexBytes is Index of string(b), without making the string.
func (s *Set) IndexBytes(b []byte) int {
	if s.slots == nil {
		return -1
	}
	h := maphash.Bytes(s.seed, b) >> 32
	mask := len(s.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		x := s.slots[i]
		if x == 0 {
			return -1
		}
		if x>>32 == h && s.names[uint32(x)-1] == string(b) {
			return int(uint32(x) - 1)
		}
	}
}

// Add adds name to s and reports whether it was absent.
func (s *Set) Add(name string) bool {
	if s.slots == nil {
		s.init(0)
	}
	h := s.hash(name)
	i, found := s.find(name, h)
	if found {
		return false
	}
	if len(s.names) >= 1<<31-1 {
		panic("strset: too many names")
	}
	s.names = append(s.names, name)
	s.slots[i] = h<<32 | uint64(len(s.names))
	if 2*len(s.names) > len(s.slots) {
		s.grow()
	}
	return true
}

func (s *Set) hash(name string) uint64 { return maphash.String(s.seed, name) >> 32 }

// find returns the slot holding name, or the free slot where it goes.
func (s *Set) find(name string, h uint64) (int, bool) {
	mask := len(s.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		x := s.slots[i]
		if x == 0 {
			return i, false
		}
		if x>>32 == h && s.names[uint32(x)-1] == name {
			return i, true
		}
	}
}

// grow doubles the table and enters every name again.
func (s *Set) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := len(s.slots) - 1
	for _, x := range old {
		if x == 0 {
			continue
		}
		i := int(x>>32) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = x
	}
}
