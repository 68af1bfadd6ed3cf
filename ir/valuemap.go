package ir

// A ValueMap maps values to Ts. A value is held in the slot of its ID
// (value IDs are dense, see Func.NumValueIDs) when it is the first value
// set there, any other (a value assembled by hand with an ID already
// taken or outside f's, see NewValueMap) in a map by pointer: so a pass
// over a million-op function keeps no million-entry hash table, and
// values with equal IDs (which Verify reports) are still told apart.
type ValueMap[T any] struct {
	f     *Func
	keys  []*Value // keys[id]: the value whose entry is vals[id], or nil
	vals  []T
	other map[*Value]T
}

// NewValueMap returns an empty ValueMap for the values of f, which may
// still grow: the slots cover the IDs f has given when a value is set.
func NewValueMap[T any](f *Func) *ValueMap[T] {
	n := f.NumValueIDs()
	return &ValueMap[T]{f: f, keys: make([]*Value, n), vals: make([]T, n)}
}

// Get returns v's entry and whether it has one.
func (m *ValueMap[T]) Get(v *Value) (T, bool) {
	if id := v.ID; id >= 0 && id < len(m.keys) && m.keys[id] == v {
		return m.vals[id], true
	}
	x, ok := m.other[v]
	return x, ok
}

// At returns v's entry, or the zero T.
func (m *ValueMap[T]) At(v *Value) T {
	x, _ := m.Get(v)
	return x
}

// Set sets v's entry.
func (m *ValueMap[T]) Set(v *Value, x T) {
	id := v.ID
	if m.f != nil && id >= len(m.keys) && id < m.f.NumValueIDs() { // a value made since: grow
		m.keys = append(m.keys, make([]*Value, m.f.NumValueIDs()-len(m.keys))...)
		m.vals = append(m.vals, make([]T, len(m.keys)-len(m.vals))...)
	}
	if id >= 0 && id < len(m.keys) {
		switch m.keys[id] {
		case nil:
			m.keys[id], m.vals[id] = v, x
			return
		case v:
			m.vals[id] = x
			return
		}
	}
	if m.other == nil {
		m.other = map[*Value]T{}
	}
	m.other[v] = x
}
