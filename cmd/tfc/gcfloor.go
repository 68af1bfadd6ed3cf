package main

import "os"

// The CLI collects garbage at 30% heap growth (main) to keep its peak
// memory low. But a model's weights are live from their import to the
// end, and while they are decoded every 30% of growth starts a cycle that
// finds nothing to free: eleven cycles on ResNet50, a fifth of its
// compile time. raiseGCFloor makes the 30% apply to the heap plus the
// model's file size, by holding one allocation of that size that is never
// written: the collector counts it, but it takes no memory (its pages are
// never touched) and no marking time (it holds no pointers). What garbage
// may build up before a collection grows by 30% of the file size.
var gcFloor []byte

// maxGCFloor bounds the allocation (address space, not memory).
const maxGCFloor = 1 << 30

// raiseGCFloor sizes gcFloor to the model at path, a regular file, unless
// GOGC is set (then the collector runs as it says).
func raiseGCFloor(path string) {
	if os.Getenv("GOGC") != "" {
		return
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() {
		return
	}
	if n := min(st.Size(), maxGCFloor); n > int64(len(gcFloor)) {
		gcFloor = make([]byte, n)
	}
}
