package bundle

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz/FuzzIndex from the TensorFlow-written indexes and synthetic tables")

// FuzzIndex feeds arbitrary bytes to the index reader (the table scan and
// the header and entry checks). It must never panic, and an error must be
// one line; a table it accepts must have strictly increasing keys. With
// noCRC the block checksums are not checked, so that mutated inputs reach
// the block and entry parsers.
//
// The seed corpus (testdata/fuzz/FuzzIndex) holds the .index files
// TensorFlow wrote for testdata/savedmodels, synthetic tables with many
// blocks and restart points, and corrupted variants; TestFuzzSeeds
// rewrites it with -update-seeds.
func FuzzIndex(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte, noCRC bool) {
		checkBlockCRC = !noCRC
		defer func() { checkBlockCRC = true }()
		var keys [][]byte
		err := ScanTable(data, func(k, v []byte) error {
			if len(keys) > 0 && bytes.Compare(k, keys[len(keys)-1]) <= 0 {
				t.Fatalf("key %q after %q", k, keys[len(keys)-1])
			}
			keys = append(keys, append([]byte(nil), k...))
			return nil
		})
		if err != nil && strings.ContainsAny(err.Error(), "\r\n") {
			t.Fatalf("error not one line: %q", err)
		}
		r := &Reader{prefix: "fuzz", entries: map[string]*Entry{}}
		if err := r.readIndex("fuzz.index", data); err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.index: ") || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error not one line naming the file: %q", err)
			}
			return
		}
		if len(r.keys) != len(keys)-1 { // the header is not a tensor key
			t.Fatalf("%d entries from %d keys", len(r.keys), len(keys))
		}
	})
}

// fuzzSeeds returns the seed inputs by name.
func fuzzSeeds(t *testing.T) map[string][]byte {
	seeds := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join(savedModels, "*", "*", "*", "*.index"))
	more, _ := filepath.Glob(filepath.Join(savedModels, "*", "*", "*.index"))
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.SplitN(strings.TrimPrefix(f, savedModels+string(filepath.Separator)), string(filepath.Separator), 2)[0]
		seeds["tf-"+name] = data
		flipped := bytes.Clone(data)
		flipped[len(flipped)/3] ^= 0x10
		seeds["tf-"+name+"-flipped"] = flipped
		seeds["tf-"+name+"-truncated"] = data[:len(data)-7]
	}
	dir := t.TempDir()
	for _, w := range []tableWriter{{blockSize: 64, restartInterval: 1}, {blockSize: 150, restartInterval: 4}, {compression: 1}} {
		p := synthBundle(t, filepath.Join(dir), 12, w)
		data, err := os.ReadFile(IndexFile(p))
		if err != nil {
			t.Fatal(err)
		}
		seeds[fmt.Sprintf("synth-block%d-restart%d-type%d", w.blockSize, w.restartInterval, w.compression)] = data
	}
	seeds["empty"] = nil
	seeds["footer-only"] = tableWriter{}.write(nil)
	return seeds
}

// TestFuzzSeeds runs the fuzz checks on the seeds, and rewrites the
// committed corpus with -update-seeds.
func TestFuzzSeeds(t *testing.T) {
	seeds := fuzzSeeds(t)
	dir := filepath.Join("testdata", "fuzz", "FuzzIndex")
	if *updateSeeds {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range seeds {
			content := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(%v)\n", data, strings.Contains(name, "flipped"))
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Every named seed is committed; the other files are inputs the
	// fuzzer found interesting (scripts/fuzz.sh -save).
	for name := range seeds {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("seed %s is not committed (go test -run TestFuzzSeeds -update-seeds)", name)
		}
	}
}

// FuzzBundle: an arbitrary index and data shard (written to files) open,
// read and verify without a panic, a hang or an allocation beyond the
// memory limit; errors are one line; every tensor read has its entry's
// shape.
func FuzzBundle(f *testing.F) {
	src := filepath.Join(savedModels, "tf1_checkpoint/ckpt/model")
	index, _ := os.ReadFile(IndexFile(src))
	data, _ := os.ReadFile(DataFile(src, 0, 1))
	f.Add(index, data)
	f.Add(index, data[:len(data)/2])
	defer tensor.SetMaxBytes(tensor.SetMaxBytes(64 << 20))
	f.Fuzz(func(t *testing.T, index, data []byte) {
		prefix := filepath.Join(t.TempDir(), "m")
		os.WriteFile(IndexFile(prefix), index, 0o644)
		os.WriteFile(DataFile(prefix, 0, 1), data, 0o644)
		oneLine := func(err error) {
			if strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error not one line: %q", err)
			}
		}
		r, err := Open(prefix)
		if err != nil {
			oneLine(err)
			return
		}
		defer r.Close()
		for _, k := range r.Keys() {
			v, err := r.ReadTensor(k)
			if err != nil {
				oneLine(err)
				continue
			}
			if e, _ := r.Entry(k); !v.Shape.Equal(e.Shape) {
				t.Fatalf("%s: shape %v, entry says %v", k, v.Shape, e.Shape)
			}
		}
		if err := r.VerifyAll(); err != nil {
			oneLine(err)
		}
	})
}
