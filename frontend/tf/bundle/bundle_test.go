package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

const savedModels = "../../../testdata/savedmodels"

// tfListing is tf_checkpoint.json: what TensorFlow's own checkpoint reader
// (tf.train.load_checkpoint) sees in a bundle.
type tfListing struct {
	Prefix  string `json:"prefix"`
	Tensors map[string]struct {
		DType  string    `json:"dtype"`
		Shape  []int     `json:"shape"`
		Values []float64 `json:"values"`
	} `json:"tensors"`
}

func listings(t *testing.T) map[string]*tfListing {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(savedModels, "*", "tf_checkpoint.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no tf_checkpoint.json under %s (%v)", savedModels, err)
	}
	out := map[string]*tfListing{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		l := new(tfListing)
		if err := json.Unmarshal(data, l); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		l.Prefix = filepath.Join(filepath.Dir(f), l.Prefix)
		out[filepath.Base(filepath.Dir(f))] = l
	}
	return out
}

// TestTFBundles reads every TensorFlow-written bundle of testdata and
// compares keys, dtypes, shapes and values with TensorFlow's reader.
func TestTFBundles(t *testing.T) {
	for name, l := range listings(t) {
		t.Run(name, func(t *testing.T) {
			r, err := Open(l.Prefix)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			var want []string
			for k := range l.Tensors {
				want = append(want, k)
			}
			slices.Sort(want)
			if !slices.Equal(r.Keys(), want) {
				t.Fatalf("keys %q, TensorFlow has %q", r.Keys(), want)
			}
			for _, k := range want {
				w := l.Tensors[k]
				e, _ := r.Entry(k)
				if got := strings.TrimPrefix(strings.ToLower(e.DType.String()), "dt_"); got != w.DType && !(got == "float" && w.DType == "float32") {
					t.Errorf("%s: dtype %v, TensorFlow says %s", k, e.DType, w.DType)
				}
				if !e.Shape.Equal(tensor.Shape(w.Shape)) && !(len(w.Shape) == 0 && len(e.Shape) == 0) {
					t.Errorf("%s: shape %v, TensorFlow says %v", k, e.Shape, w.Shape)
				}
				if w.DType == "string" {
					if _, err := r.ReadTensor(k); err == nil || !strings.Contains(err.Error(), "DT_STRING") {
						t.Errorf("%s: reading a string tensor: err %v", k, err)
					}
					continue
				}
				got, err := r.ReadTensor(k)
				if err != nil {
					t.Fatal(err)
				}
				if got.Len() != len(w.Values) {
					t.Fatalf("%s: %d values, TensorFlow %d", k, got.Len(), len(w.Values))
				}
				for i, v := range w.Values {
					if got.Float64At(i) != float64(float32(v)) {
						t.Fatalf("%s[%d] = %v, TensorFlow %v", k, i, got.Float64At(i), v)
					}
				}
				raw, err := r.ReadBytes(k, nil)
				if err != nil || int64(len(raw)) != e.Size {
					t.Fatalf("%s: ReadBytes: %d bytes, %v", k, len(raw), err)
				}
			}
			if err := r.VerifyAll(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestMultiShard checks the sharded TF1 checkpoint: two data files, and
// tensors in each.
func TestMultiShard(t *testing.T) {
	r, err := Open(filepath.Join(savedModels, "tf1_checkpoint/ckpt/model"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumShards() != 2 {
		t.Fatalf("%d shards, want 2", r.NumShards())
	}
	seen := map[int]bool{}
	for _, k := range r.Keys() {
		e, _ := r.Entry(k)
		seen[e.Shard] = true
	}
	if !seen[0] || !seen[1] {
		t.Errorf("shards used: %v, want both", seen)
	}
}

// copyBundle copies the files of the bundle with prefix src into a
// temporary directory and returns the new prefix.
func copyBundle(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	files, _ := filepath.Glob(src + ".*")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, filepath.Base(src))
}

func mutate(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, f(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadBundles: each corruption gives a one-line error naming the file
// at fault and what is wrong.
func TestBadBundles(t *testing.T) {
	src := filepath.Join(savedModels, "tf1_checkpoint/ckpt/model")
	cases := []struct {
		name   string
		break_ func(t *testing.T, p string)
		file   string // the file the error must name (relative to the prefix)
		want   string
		onRead bool // the error comes from reading the tensors, not from Open
	}{
		{"missing shard", func(t *testing.T, p string) { os.Remove(DataFile(p, 1, 2)) },
			".data-00001-of-00002", "missing (model.index names 2 shards)", false},
		{"extra shard", func(t *testing.T, p string) { os.WriteFile(DataFile(p, 2, 3), nil, 0o644) },
			".data-00002-of-00003", "unexpected data shard (model.index names 2 shards)", false},
		{"extra shard of the same count", func(t *testing.T, p string) { os.WriteFile(DataFile(p, 2, 2), nil, 0o644) },
			".data-00002-of-00002", "unexpected data shard", false},
		{"truncated index", func(t *testing.T, p string) {
			mutate(t, IndexFile(p), func(b []byte) []byte { return b[:len(b)-1] })
		}, ".index", "bad table magic number", false},
		{"index cut to a few bytes", func(t *testing.T, p string) {
			mutate(t, IndexFile(p), func(b []byte) []byte { return b[:20] })
		}, ".index", "shorter than the 48-byte table footer", false},
		{"index cut in the middle", func(t *testing.T, p string) {
			mutate(t, IndexFile(p), func(b []byte) []byte { return append(b[:60:60], b[len(b)-48:]...) })
		}, ".index", "runs past the end of the table", false},
		{"flipped byte in an index block", func(t *testing.T, p string) {
			mutate(t, IndexFile(p), func(b []byte) []byte { b[12] ^= 0x20; return b })
		}, ".index", "data block: checksum mismatch", false},
		{"empty index", func(t *testing.T, p string) { os.WriteFile(IndexFile(p), nil, 0o644) },
			".index", "shorter than the 48-byte table footer", false},
		{"missing index", func(t *testing.T, p string) { os.Remove(IndexFile(p)) },
			".index", "no such file", false},
		{"truncated data", func(t *testing.T, p string) {
			mutate(t, DataFile(p, 0, 2), func(b []byte) []byte { return b[:len(b)-5] })
		}, ".data-00000-of-00002", "but tensor", false},
		{"flipped byte in data", func(t *testing.T, p string) {
			mutate(t, DataFile(p, 1, 2), func(b []byte) []byte { b[len(b)-3] ^= 1; return b })
		}, ".data-00001-of-00002", "checksum mismatch", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := copyBundle(t, src)
			c.break_(t, p)
			r, err := Open(p)
			if err == nil && c.onRead {
				err = r.VerifyAll()
				var err2 error
				for _, k := range r.Keys() {
					if _, e := r.ReadTensor(k); e != nil {
						err2 = e
					}
				}
				if (err == nil) != (err2 == nil) {
					t.Errorf("VerifyAll: %v; ReadTensor: %v", err, err2)
				}
				r.Close()
			}
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			if !strings.HasPrefix(msg, p+c.file+": ") {
				t.Errorf("error %q does not start with the file %s", msg, p+c.file)
			}
			if !strings.Contains(msg, c.want) {
				t.Errorf("error %q does not say %q", msg, c.want)
			}
		})
	}
}

// entryBytes encodes a BundleEntryProto.
func entryBytes(t testing.TB, e *tfpb.BundleEntryProto) []byte {
	b, err := proto.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func headerBytes(t testing.TB, shards int32) []byte {
	b, err := proto.Marshal(&tfpb.BundleHeaderProto{NumShards: shards, Version: &tfpb.VersionDef{Producer: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// synthBundle writes a bundle of n float32 vectors [i, i+1, ...] with the
// given table writer into dir and returns its prefix.
func synthBundle(t *testing.T, dir string, n int, w tableWriter) string {
	prefix := filepath.Join(dir, "synth")
	var data bytes.Buffer
	entries := []kv{{nil, headerBytes(t, 1)}}
	for i := range n {
		vals := make([]float32, 3)
		for j := range vals {
			vals[j] = float32(i + j)
		}
		raw := asBytes(vals)
		e := &tfpb.BundleEntryProto{
			Dtype: tfpb.DataType_DT_FLOAT, Shape: shapeProto(tensor.Shape{3}),
			Offset: int64(data.Len()), Size: int64(len(raw)),
			Crc32C: maskCRC(crcOf(raw)),
		}
		data.Write(raw)
		entries = append(entries, kv{[]byte(fmt.Sprintf("layer_%04d/kernel/.ATTRIBUTES/VARIABLE_VALUE", i)), entryBytes(t, e)})
	}
	if err := os.WriteFile(IndexFile(prefix), w.write(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(DataFile(prefix, 0, 1), data.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return prefix
}

// TestSynthTables reads tables with many blocks and restart intervals,
// and rejects compressed blocks.
func TestSynthTables(t *testing.T) {
	for _, w := range []tableWriter{{}, {blockSize: 64, restartInterval: 1}, {blockSize: 200, restartInterval: 3}, {blockSize: 1 << 20, restartInterval: 1000}} {
		t.Run(fmt.Sprintf("block%d_restart%d", w.blockSize, w.restartInterval), func(t *testing.T) {
			p := synthBundle(t, t.TempDir(), 300, w)
			r, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if len(r.Keys()) != 300 {
				t.Fatalf("%d keys", len(r.Keys()))
			}
			for i, k := range r.Keys() {
				v, err := r.ReadTensor(k)
				if err != nil {
					t.Fatal(err)
				}
				if v.F32[0] != float32(i) || v.F32[2] != float32(i+2) {
					t.Fatalf("%s = %v", k, v.F32)
				}
			}
		})
	}
	t.Run("snappy", func(t *testing.T) {
		p := synthBundle(t, t.TempDir(), 3, tableWriter{compression: 1})
		_, err := Open(p)
		if err == nil || !strings.Contains(err.Error(), "snappy-compressed; tfc reads uncompressed tables only") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("unknown compression", func(t *testing.T) {
		p := synthBundle(t, t.TempDir(), 3, tableWriter{compression: 7})
		_, err := Open(p)
		if err == nil || !strings.Contains(err.Error(), "unknown compression type 7") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestBadEntries covers entries and headers that TensorFlow would not
// write.
func TestBadEntries(t *testing.T) {
	f32 := func(shape tensor.Shape, size int64) *tfpb.BundleEntryProto {
		return &tfpb.BundleEntryProto{Dtype: tfpb.DataType_DT_FLOAT, Shape: shapeProto(shape), Size: size}
	}
	cases := []struct {
		name    string
		entries []kv
		want    string
	}{
		{"no header", []kv{{[]byte("a"), entryBytes(t, f32(nil, 4))}}, `no header entry (the empty key) before key "a"`},
		{"empty table", nil, "no header entry (an empty table)"},
		{"size mismatch", []kv{{nil, headerBytes(t, 1)}, {[]byte("a"), entryBytes(t, f32(tensor.Shape{2}, 4))}}, `entry "a": 4 bytes, but a DT_FLOAT tensor of shape [2] has 8`},
		{"bad shard", []kv{{nil, headerBytes(t, 1)}, {[]byte("a"), entryBytes(t, &tfpb.BundleEntryProto{Dtype: tfpb.DataType_DT_FLOAT, ShardId: 3, Size: 4})}}, `entry "a": shard 3, but the header names 1 shards`},
		{"unknown dims", []kv{{nil, headerBytes(t, 1)}, {[]byte("a"), entryBytes(t, f32(tensor.Shape{-1}, 4))}}, `entry "a": shape [?] is not fully known`},
		{"not a proto", []kv{{nil, headerBytes(t, 1)}, {[]byte("a"), []byte{0xff, 0xff}}}, `entry "a": `},
		{"big endian", []kv{{nil, func() []byte {
			b, _ := proto.Marshal(&tfpb.BundleHeaderProto{NumShards: 1, Endianness: tfpb.BundleHeaderProto_BIG})
			return b
		}()}}, "big-endian checkpoint"},
		{"newer format", []kv{{nil, func() []byte {
			b, _ := proto.Marshal(&tfpb.BundleHeaderProto{NumShards: 1, Version: &tfpb.VersionDef{Producer: 3, MinConsumer: 2}})
			return b
		}()}}, "is newer than this reader"},
		{"no shards", []kv{{nil, headerBytes(t, 0)}}, "header names 0 shards"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "m")
			os.WriteFile(IndexFile(p), tableWriter{}.write(c.entries), 0o644)
			os.WriteFile(DataFile(p, 0, 1), make([]byte, 16), 0o644)
			r, err := Open(p)
			if err == nil {
				r.Close()
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), IndexFile(p)+": ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want %s: ...%s...", err, IndexFile(p), c.want)
			}
		})
	}
}

// TestReadConversions reads dtypes whose storage differs from the file
// layout (converted through a buffer) and sliced entries (refused).
func TestReadConversions(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m")
	var data []byte
	add := func(dt tfpb.DataType, shape tensor.Shape, raw []byte) *tfpb.BundleEntryProto {
		e := &tfpb.BundleEntryProto{Dtype: dt, Shape: shapeProto(shape), Offset: int64(len(data)), Size: int64(len(raw)), Crc32C: maskCRC(crcOf(raw))}
		data = append(data, raw...)
		return e
	}
	entries := []kv{
		{nil, headerBytes(t, 1)},
		{[]byte("bool"), entryBytes(t, add(tfpb.DataType_DT_BOOL, tensor.Shape{3}, []byte{1, 0, 1}))},
		{[]byte("half"), entryBytes(t, add(tfpb.DataType_DT_HALF, tensor.Shape{2}, []byte{0x00, 0x3c, 0x00, 0xc0}))}, // 1, -2
		{[]byte("i64"), entryBytes(t, add(tfpb.DataType_DT_INT64, tensor.Shape{1}, []byte{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}))},
		{[]byte("i8"), entryBytes(t, add(tfpb.DataType_DT_INT8, tensor.Shape{2}, []byte{0xff, 7}))},
		{[]byte("sliced"), entryBytes(t, &tfpb.BundleEntryProto{Dtype: tfpb.DataType_DT_FLOAT, Shape: shapeProto(tensor.Shape{4}), Slices: []*tfpb.TensorSliceProto{{}}})},
		{[]byte("u64"), entryBytes(t, add(tfpb.DataType_DT_UINT64, tensor.Shape{1}, make([]byte, 8)))},
	}
	os.WriteFile(IndexFile(p), tableWriter{}.write(entries), 0o644)
	os.WriteFile(DataFile(p, 0, 1), data, 0o644)
	r, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	check := func(key, want string) {
		t.Helper()
		v, err := r.ReadTensor(key)
		got := ""
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = fmt.Sprintf("%v %v", v.DType, v.Shape)
			for i := range v.Len() {
				got += fmt.Sprintf(" %g", v.Float64At(i))
			}
		}
		if !strings.Contains(got, want) {
			t.Errorf("%s: got %q, want %q", key, got, want)
		}
	}
	check("bool", "[3] 1 0 1")
	check("half", "[2] 1 -2")
	check("i8", "[2] -1 7")
	check("i64", "[1] -2")
	check("sliced", `tensor "sliced" is partitioned into slices, which tfc does not read`)
	check("u64", "DT_UINT64 is not supported")
	check("nope", `no tensor "nope"`)
	if err := r.VerifyAll(); err != nil {
		t.Fatal(err)
	}
}

func crcOf(b []byte) uint32 { return crc32.Update(0, castagnoli, b) }
