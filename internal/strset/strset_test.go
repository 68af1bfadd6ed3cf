package strset

import (
	"strconv"
	"testing"
)

// TestSetMatchesMap: a Set agrees with a map[string]bool on a sequence
// of additions with repeats, through several growths, from New and from
// the zero Set.
func TestSetMatchesMap(t *testing.T) {
	for _, s := range []*Set{New(0), New(1000), {}} {
		want := map[string]bool{}
		for i := range 20000 {
			name := "layer/" + strconv.Itoa(i*7919%5003) // repeats
			if i%11 == 0 {
				name = ""
			}
			if got, absent := s.Add(name), !want[name]; got != absent {
				t.Fatalf("Add(%q) = %v, want %v", name, got, absent)
			}
			want[name] = true
			if !s.Has(name) {
				t.Fatalf("Has(%q) = false after Add", name)
			}
		}
		if s.Len() != len(want) {
			t.Errorf("Len() = %d, want %d", s.Len(), len(want))
		}
		for i := range 6000 {
			name := "layer/" + strconv.Itoa(i)
			if s.Has(name) != want[name] {
				t.Errorf("Has(%q) = %v, want %v", name, s.Has(name), want[name])
			}
		}
		if s.Has("not/there") {
			t.Error(`Has("not/there") = true`)
		}
	}
}

// TestSetHashHalvesCollide: names whose hash halves agree are still told
// apart by comparing them (the table's slots are forced to collide).
func TestSetHashHalvesCollide(t *testing.T) {
	s := New(4)
	s.Add("a")
	h := s.hash("a")
	// Enter "b" as if it hashed like "a": same starting slot, same half.
	i, found := s.find("b", h)
	if found {
		t.Fatal(`find("b") found it`)
	}
	s.names = append(s.names, "b")
	s.slots[i] = h<<32 | uint64(len(s.names))
	if _, found := s.find("a", h); !found {
		t.Error(`"a" lost`)
	}
	if _, found := s.find("b", h); !found {
		t.Error(`"b" not found past "a"`)
	}
	if _, found := s.find("c", h); found {
		t.Error(`"c" found`)
	}
}

func BenchmarkAdd1M(b *testing.B) {
	names := make([]string, 1_000_000)
	for i := range names {
		names[i] = "block" + strconv.Itoa(i/6) + "/op" + strconv.Itoa(i%6)
	}
	b.Run("strset", func(b *testing.B) {
		for b.Loop() {
			s := New(len(names))
			for _, n := range names {
				s.Add(n)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			m := make(map[string]bool, len(names))
			for _, n := range names {
				m[n] = true
			}
		}
	})
}

// TestSetIndex: Index and IndexBytes give the position of each name's
// first addition, -1 for an absent name.
func TestSetIndex(t *testing.T) {
	s := New(2)
	names := []string{"a", "b/c", "", "d:0", "b/c", "e"}
	want := map[string]int{}
	for _, n := range names {
		if s.Add(n) {
			want[n] = len(want)
		}
	}
	for n, i := range want {
		if got := s.Index(n); got != i {
			t.Errorf("Index(%q) = %d, want %d", n, got, i)
		}
		if got := s.IndexBytes([]byte(n)); got != i {
			t.Errorf("IndexBytes(%q) = %d, want %d", n, got, i)
		}
	}
	if s.Index("zz") != -1 || s.IndexBytes([]byte("zz")) != -1 || (&Set{}).Index("a") != -1 {
		t.Error("an absent name has an index")
	}
}

func BenchmarkIndex1M(b *testing.B) {
	names := make([]string, 1_000_000)
	for i := range names {
		names[i] = "block" + strconv.Itoa(i/6) + "/op" + strconv.Itoa(i%6)
	}
	s := New(len(names))
	m := make(map[string]int, len(names))
	for i, n := range names {
		s.Add(n)
		m[n] = i
	}
	probe := make([]string, len(names)) // copies: the bytes are elsewhere, as a graph's inputs
	for i := range probe {
		probe[i] = string([]byte(names[(i*7919)%len(names)]))
	}
	b.Run("strset", func(b *testing.B) {
		for b.Loop() {
			for _, n := range probe {
				s.Index(n)
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		for b.Loop() {
			for _, n := range probe {
				_ = m[n]
			}
		}
	})
}
