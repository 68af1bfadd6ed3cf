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
