package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/tfc-dev/tfc/frontend/tf"
	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// inspectGraph describes a frozen GraphDef: its candidate inputs (the
// placeholders and tf.data iterator outputs, with dtype and shape) and
// outputs (the sinks), so that a user finds the names -inputs and
// -outputs take without Python.
func inspectGraph(path string, data []byte, stdout io.Writer) error {
	g, err := tfpb.ParseGraphDef(data, path)
	if err != nil {
		return err
	}
	ins, outs := tf.Candidates(g)
	fmt.Fprintf(stdout, "%s: frozen graph, %d nodes", path, len(g.GetNode()))
	if n := len(g.GetLibrary().GetFunction()); n > 0 {
		fmt.Fprintf(stdout, ", %d functions in its library", n)
	}
	fmt.Fprintln(stdout)
	list := func(title string, cs []tf.Candidate) {
		fmt.Fprintf(stdout, "\n%s:\n", title)
		if len(cs) == 0 {
			fmt.Fprintln(stdout, "  (none)")
			return
		}
		tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		for _, c := range cs {
			dt, shape := "?", "<unknown>"
			if c.DType != tensor.Invalid {
				dt = c.DType.String()
			}
			if c.ShapeKnown {
				shape = c.Shape.String()
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", c.Tensor, dt, shape, c.Op)
		}
		tw.Flush()
	}
	list("inputs (-inputs NAME[shape], -input NAME=FILE.npy; any other tensor also cuts the graph there)", ins)
	list("outputs (-outputs NAME; default: all of these)", outs)
	return nil
}
