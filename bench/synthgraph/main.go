// Command synthgraph writes a synthetic frozen GraphDef of about N nodes
// (internal/synth: a chain of dense residual blocks on input x:0 of shape
// [1, 8]) for the scaling benchmark of bench/run.sh.
//
//	go run ./bench/synthgraph -nodes 100000 -o synth_100k.pb
//
// It prints the output tensor name (the last block's "out:0"), which
// callers pass to tools that need it.
package main

import (
	"flag"
	"fmt"
	"os"

	"google.golang.org/protobuf/proto"

	"github.com/tfc-dev/tfc/internal/atomicfile"
	"github.com/tfc-dev/tfc/internal/synth"
)

func main() {
	nodes := flag.Int("nodes", 10_000, "approximate number of GraphDef `nodes`")
	out := flag.String("o", "", "output `file` (.pb)")
	flag.Parse()
	if *out == "" || *nodes < 1 || flag.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: synthgraph -nodes N -o FILE.pb")
		os.Exit(2)
	}
	g := synth.Graph(*nodes)
	data, err := proto.MarshalOptions{Deterministic: true}.Marshal(g)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthgraph:", err)
		os.Exit(1)
	}
	if err := atomicfile.WriteBytes(*out, data); err != nil {
		fmt.Fprintln(os.Stderr, "synthgraph:", err)
		os.Exit(1)
	}
	last := g.Node[len(g.Node)-1].Name
	fmt.Printf("%s:0 %d nodes %d bytes\n", last, len(g.Node), len(data))
}
