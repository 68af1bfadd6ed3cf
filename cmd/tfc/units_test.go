package main

import (
	"testing"
	"time"
)

func TestUnits(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 102125440: "97.4 MiB", 3 << 30: "3.0 GiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
	for d, want := range map[time.Duration]string{
		0: "0 ns", 820 * time.Microsecond: "820 µs", 4500 * time.Microsecond: "4.5 ms",
		35 * time.Millisecond: "35 ms", 1234 * time.Millisecond: "1.2 s", 125 * time.Second: "2 min 5 s",
	} {
		if got := duration(d); got != want {
			t.Errorf("duration(%v) = %q, want %q", d, got, want)
		}
	}
	if count(1, "input") != "1 input" || count(0, "input") != "0 inputs" || count(3, "op") != "3 ops" {
		t.Error("count")
	}
}

func TestBytesFlag(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1048576": 1 << 20, "64MiB": 64 << 20, "1.5 GiB": 3 << 29, "512 B": 512, "2KiB": 2048} {
		var b bytesFlag
		if err := b.Set(in); err != nil || int64(b) != want {
			t.Errorf("Set(%q) = %d, %v; want %d", in, b, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "12MB", "-1", "1e30", "x"} {
		var b bytesFlag
		if err := b.Set(bad); err == nil {
			t.Errorf("Set(%q) = %d, want an error", bad, b)
		}
	}
	b := bytesFlag(64 << 20)
	if b.String() != "64.0 MiB" {
		t.Errorf("String() = %q", b.String())
	}
	if err := b.Set(b.String()); err != nil || b != 64<<20 {
		t.Errorf("round trip: %d, %v", b, err)
	}
}
