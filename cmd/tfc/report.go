package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// The -format=json output of check, inspect, verify and run: one JSON
// document per command on standard output, with the schemas of
// docs/json.md. Field names are snake_case and stable: a field is added,
// never renamed or removed, and "schema" names the document's version.

// schemaVersion is the "schema" field of every JSON document.
const schemaVersion = "tfc/v1"

// formatFlag is -format: text (for people) or json (for tools).
type formatFlag struct{ json bool }

func addFormatFlag(fs *flag.FlagSet) *formatFlag {
	f := &formatFlag{}
	fs.Func("format", "output `format`: text or json (schema in docs/json.md)", func(s string) error {
		switch s {
		case "text":
			f.json = false
		case "json":
			f.json = true
		default:
			return fmt.Errorf("want text or json")
		}
		return nil
	})
	return f
}

// tensorInfo describes an input or output: the tensor name, its dtype in
// tfc's names (f32, i64, ...) and its shape, -1 for an unknown dimension
// (null for an unknown rank).
type tensorInfo struct {
	Name  string `json:"name"`
	Key   string `json:"key,omitempty"` // the signature key (SavedModels)
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	Op    string `json:"op,omitempty"` // the op producing it, where known
}

// funcTensors lists a Func's inputs and outputs.
func funcTensors(f *ir.Func) (ins, outs []tensorInfo) {
	for _, in := range f.Inputs() {
		t := in.Results[0].Type
		ins = append(ins, tensorInfo{Name: in.Str("name"), DType: t.DType.String(), Shape: shapeJSON(t.Shape)})
	}
	for _, o := range f.Outputs {
		outs = append(outs, tensorInfo{Name: o.Name, DType: o.Value.Type.DType.String(), Shape: shapeJSON(o.Value.Type.Shape)})
	}
	return ins, outs
}

// writeJSON writes v indented, with a final newline; arrays of integers
// (shapes) stay on one line: "shape": [1,224,224,3].
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = intArray.ReplaceAllFunc(b, func(m []byte) []byte { return space.ReplaceAll(m, nil) })
	_, err = w.Write(append(b, '\n'))
	return err
}

var (
	intArray = regexp.MustCompile(`\[\s*-?[0-9]+(,\s*-?[0-9]+)*\s*\]`)
	space    = regexp.MustCompile(`\s+`)
)

// typeText prints a tensorInfo's type as the IR does: f32[1,224,224,3].
func typeText(t tensorInfo) string {
	if t.Shape == nil {
		return t.DType + "[*]"
	}
	return t.DType + tensor.Shape(t.Shape).String()
}

// number is a float64 that JSON can always carry: NaN and ±Inf (an
// error over a zero tolerance, a NaN output) are the strings "NaN",
// "+Inf" and "-Inf".
type number float64

func (n number) MarshalJSON() ([]byte, error) {
	f := float64(n)
	switch {
	case math.IsNaN(f):
		return []byte(`"NaN"`), nil
	case math.IsInf(f, 1):
		return []byte(`"+Inf"`), nil
	case math.IsInf(f, -1):
		return []byte(`"-Inf"`), nil
	}
	return strconv.AppendFloat(nil, f, 'g', -1, 64), nil
}
