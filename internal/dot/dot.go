// Package dot writes graphs in Graphviz's DOT language, with nodes
// grouped into nested clusters by a slash-separated scope (TensorFlow name
// scopes: "model/block_1/conv" is inside "model/block_1", inside "model")
// and coloured by kind. tfc compile -emit=dot draws the IR with it, and
// -emit=network -format=dot the TensorRT network.
package dot

import (
	"bufio"
	"fmt"
	"hash/fnv"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Graph is a directed graph to draw.
type Graph struct {
	Name  string
	Nodes []Node
	Edges []Edge
}

// Node is one vertex. Scope places it in clusters ("" for none); Kind
// picks its colour (the same kind, the same colour), and is listed in the
// legend.
type Node struct {
	ID      string
	Label   string // lines separated by \n
	Scope   string
	Kind    string
	Tooltip string
	// Shape is a Graphviz node shape; "" is a rounded box.
	Shape string
}

// Edge connects two node IDs; Label is drawn on it (a tensor type).
type Edge struct {
	From, To string
	Label    string
}

// palette holds fill colours light enough for black text.
var palette = []string{
	"#aecbfa", "#fdd663", "#a8dab5", "#f6aea9", "#d7aefb", "#fcc99e",
	"#9ee0e8", "#e6c9a8", "#c5e1a5", "#f8bbd0", "#b0bec5", "#fff59d",
}

// Colors maps well-known kinds to a palette entry, so that the same
// family reads the same in the IR and the network drawings.
var Colors = map[string]string{
	"input": "#ffe082", "output": "#ffe082",
	"conv": "#aecbfa", "matmul": "#9ee0e8",
	"elementwise": "#fdd663", "unary": "#f6aea9", "activation": "#f6aea9",
	"pool": "#a8dab5", "reduce": "#c5e1a5", "softmax": "#d7aefb",
	"layout": "#e0e0e0", "shape": "#e0e0e0", "cast": "#fcc99e", "const": "#f5f5f5",
}

// Color is the fill colour of a kind.
func Color(kind string) string {
	if c, ok := Colors[kind]; ok {
		return c
	}
	h := fnv.New32a()
	h.Write([]byte(kind))
	return palette[h.Sum32()%uint32(len(palette))]
}

type cluster struct {
	name     string // full scope
	children map[string]*cluster
	nodes    []int
}

// Write writes g as DOT.
func (g *Graph) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph %s {\n", quote(g.Name))
	fmt.Fprintln(bw, `  graph [rankdir=TB, fontname="Helvetica", fontsize=10, compound=true];`)
	fmt.Fprintln(bw, `  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];`)
	fmt.Fprintln(bw, `  edge [fontname="Helvetica", fontsize=8, color="#555555"];`)
	root := &cluster{children: map[string]*cluster{}}
	for i, n := range g.Nodes {
		c := root
		if n.Scope != "" {
			parts := strings.Split(n.Scope, "/")
			for j := range parts {
				name := strings.Join(parts[:j+1], "/")
				next, ok := c.children[name]
				if !ok {
					next = &cluster{name: name, children: map[string]*cluster{}}
					c.children[name] = next
				}
				c = next
			}
		}
		c.nodes = append(c.nodes, i)
	}
	id := 0
	var walk func(c *cluster, indent string)
	walk = func(c *cluster, indent string) {
		for _, i := range c.nodes {
			n := g.Nodes[i]
			attrs := []string{"label=" + quote(n.Label), "fillcolor=" + quote(Color(n.Kind))}
			if n.Shape != "" {
				attrs = append(attrs, "shape="+n.Shape)
			}
			if n.Tooltip != "" {
				attrs = append(attrs, "tooltip="+quote(n.Tooltip))
			}
			fmt.Fprintf(bw, "%s%s [%s];\n", indent, quote(n.ID), strings.Join(attrs, ", "))
		}
		names := make([]string, 0, len(c.children))
		for name := range c.children {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			sub := c.children[name]
			// A scope holding a single node and no sub-scopes is drawn
			// as that node alone.
			if len(sub.children) == 0 && len(sub.nodes) == 1 {
				walk(sub, indent)
				continue
			}
			id++
			label := name[strings.LastIndexByte(name, '/')+1:]
			fmt.Fprintf(bw, "%ssubgraph cluster_%d {\n", indent, id)
			fmt.Fprintf(bw, "%s  label=%s; tooltip=%s; style=\"rounded\"; color=\"#9e9e9e\";\n", indent, quote(label), quote(name))
			walk(sub, indent+"  ")
			fmt.Fprintf(bw, "%s}\n", indent)
		}
	}
	walk(root, "  ")
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(bw, "  %s -> %s [label=%s];\n", quote(e.From), quote(e.To), quote(e.Label))
		} else {
			fmt.Fprintf(bw, "  %s -> %s;\n", quote(e.From), quote(e.To))
		}
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// quote makes a DOT string literal.
func quote(s string) string {
	// DOT strings take \" and \\ escapes and \n for a line break; strconv
	// quoting gives those and escapes other control characters.
	return strconv.Quote(s)
}
