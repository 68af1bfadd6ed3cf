package tf_test

import (
	"slices"
	"strings"
	"testing"
	"unsafe"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/internal/synth"
	"github.com/tfc-dev/tfc/ir"
)

// TestImportLazyReleasesFile: with Release and ReleaseNodes, ImportLazy
// gives the whole graph's data back, in increasing disjoint pieces, as
// it goes (not all at the end), and imports the IR it imports without.
func TestImportLazyReleasesFile(t *testing.T) {
	data, err := proto.Marshal(synth.Graph(30_000)) // about 3.5 MB
	if err != nil {
		t.Fatal(err)
	}
	text := func(release func([]byte)) string {
		g, ok := tfpb.ParseLazy(data, "synth.pb")
		if !ok {
			t.Fatal("ParseLazy refused the graph")
		}
		f, err := tf.ImportLazy(g, tf.Options{ReleaseConsts: true, ReleaseNodes: true, Release: release})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := ir.Print(&b, f, ir.PrintOptions{ElideOver: -1}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	var pieces [][2]int
	got := text(func(b []byte) {
		start := int(uintptr(unsafe.Pointer(unsafe.SliceData(b))) - base)
		pieces = append(pieces, [2]int{start, start + len(b)})
	})
	if want := text(nil); got != want {
		t.Fatalf("the IR differs with Release:\n%.300s\nwithout:\n%.300s", got, want)
	}
	whole := 0 // pieces of 1 MiB or more: stretches of nodes
	for _, p := range pieces {
		if p[0] < 0 || p[1] > len(data) || p[0] > p[1] {
			t.Fatalf("piece %v outside the data (%d bytes)", p, len(data))
		}
		if p[1]-p[0] >= 1<<20 {
			whole++
		}
	}
	slices.SortFunc(pieces, func(a, b [2]int) int { return a[0] - b[0] })
	covered := 0 // the union of the pieces is data[:covered]
	for _, p := range pieces {
		if p[0] > covered {
			t.Fatalf("bytes %d to %d were never given back", covered, p[0])
		}
		covered = max(covered, p[1])
	}
	if covered != len(data) {
		t.Errorf("released up to %d of %d bytes", covered, len(data))
	}
	if whole < 3 {
		t.Errorf("%d pieces of 1 MiB or more, want the file given back as the import goes", whole)
	}
}
