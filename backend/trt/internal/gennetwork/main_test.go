package main

import (
	"bytes"
	"os"
	"testing"
)

// TestNetworkGenerated checks that backend/trt/network_gen.go is what
// gennetwork writes from the layers_*.go files now (go generate
// ./backend/trt).
func TestNetworkGenerated(t *testing.T) {
	want, err := generate("../..")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../network_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("backend/trt/network_gen.go is stale: run go generate ./backend/trt")
	}
}
