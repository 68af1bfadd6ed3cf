package main

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// memoryFlag is -max-memory: the limit on tensor memory (tensor.MaxBytes),
// set as soon as the flag is parsed. Values are bytes with an optional
// binary suffix: 512M, 8G, 8GiB, 1T; 0 restores the default.
type memoryFlag struct{}

func (memoryFlag) String() string { return tensor.FormatBytes(tensor.DefaultMaxBytes) }

func (memoryFlag) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	tensor.SetMaxBytes(n)
	return nil
}

// parseBytes parses "1024", "512K", "64M", "8G", "8GiB", "1TB" (binary
// units).
func parseBytes(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSuffix(strings.TrimSuffix(t, "B"), "i")
	shift := 0
	if t != "" {
		switch t[len(t)-1] {
		case 'k', 'K':
			shift = 10
		case 'm', 'M':
			shift = 20
		case 'g', 'G':
			shift = 30
		case 't', 'T':
			shift = 40
		}
		if shift > 0 {
			t = t[:len(t)-1]
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)>>shift {
		return 0, fmt.Errorf("%q is not a size in bytes (like 512M, 8G, 1T)", s)
	}
	return n << shift, nil
}

// addMemoryFlag adds -max-memory.
func addMemoryFlag(fs *flag.FlagSet) {
	fs.Var(memoryFlag{}, "max-memory", "the most tensor memory a run may hold, and any one tensor may take (`SIZE`: 512M, 8G, ...); checked before allocating")
}
