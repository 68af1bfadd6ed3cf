package tf

import "github.com/tfc-dev/tfc/frontend/tf/tfpb"

// A fileRelease gives the pages of a mapped GraphDef back to the system
// behind the import (Options.Release, tfc.Load's Mapped.Release), so that
// the file is not resident whole beside the IR it becomes: 119 MB for a
// million-node graph whose weights are too small to be released one by
// one. Nodes lie in the file in GraphDef order; the release point moves
// past each node once nothing will read its encoding again: a plain node
// once translated (releaseDef drops its encoding) or when the import does
// not translate it (a plain node needs no check at the end; see
// ImportLazy). A node that is not plain stops it until the end. Releasing
// is only ever a matter of memory: a released page that is read again is
// read again from the file.
type fileRelease struct {
	data    []byte
	offset  []int // where each node's encoding starts in data
	release func([]byte)
	skip    []bool // plain nodes the import does not translate, by node ID
	next    int    // the first node whose encoding may still be read
	done    int    // data[:done] has been given to release
}

// fileReleaseStep is how far the release point moves before the pages
// behind it are given back (one madvise call per step).
const fileReleaseStep = 1 << 20

func newFileRelease(g *tfpb.LazyGraph, release func([]byte)) *fileRelease {
	r := &fileRelease{data: g.Data, offset: make([]int, len(g.Nodes)), release: release}
	for i := range g.Nodes {
		r.offset[i] = g.Nodes[i].Offset
	}
	return r
}

// plan marks the plain nodes outside order, which the import does not
// translate.
func (r *fileRelease) plan(c *ctx, order []*node) {
	r.skip = make([]bool, len(r.offset))
	for i := range r.skip {
		r.skip[i] = c.order[i].plain
	}
	for _, n := range order {
		if n.id < len(r.skip) {
			r.skip[n.id] = false
		}
	}
}

// advance moves the release point past the nodes whose encodings will
// not be read again, and gives back the pages behind it every
// fileReleaseStep bytes.
func (r *fileRelease) advance(c *ctx) {
	for r.next < len(r.offset) && (c.order[r.next].enc == nil || r.skip != nil && r.skip[r.next]) {
		r.next++
	}
	end := len(r.data)
	if r.next < len(r.offset) {
		end = r.offset[r.next]
	}
	if end-r.done >= fileReleaseStep || end == len(r.data) && end > r.done {
		r.release(r.data[r.done:end])
		r.done = end
	}
}
