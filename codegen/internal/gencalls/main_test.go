package main

import (
	"bytes"
	"os"
	"testing"
)

// TestCallsGenerated checks that codegen/calls_gen.go is what gencalls
// writes from backend/trt/network.go, network_gen.go and codegen/calls.go now (go
// generate ./codegen).
func TestCallsGenerated(t *testing.T) {
	var src [][]byte
	for _, name := range networkFiles {
		b, err := os.ReadFile("../../../backend/trt/" + name)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, b)
	}
	hand, err := os.ReadFile("../../calls.go")
	if err != nil {
		t.Fatal(err)
	}
	want, err := generate(src, hand)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../calls_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("codegen/calls_gen.go is stale: run go generate ./codegen")
	}
}
