// Package golden loads the TensorFlow-generated test cases under
// testdata/cases and testdata/models (written by testdata/gen) and compares
// tensors against TensorFlow's outputs.
//
// A case is a directory holding model.pb (a frozen GraphDef), case.json
// (names, files, dtypes and shapes of inputs and outputs, tolerances) and
// the inputs and TensorFlow's outputs as .npy files.
package golden

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/tfc-dev/tfc/tensor"
	"github.com/tfc-dev/tfc/tensor/npy"
)

// Case is one generated test case.
type Case struct {
	Dir         string   `json:"-"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"` // "op" or "model"
	Description string   `json:"description"`
	Ops         []string `json:"ops"`
	Inputs      []Tensor `json:"inputs"`
	Outputs     []Tensor `json:"outputs"`
	RTol        float64  `json:"rtol"`
	ATol        float64  `json:"atol"`
	Oracle      string   `json:"oracle"`
	// TRTDiffers, when set, says why TensorRT's documented semantics (and
	// so the reference executor) differ from TensorFlow's on this case's
	// data (NaN in max pooling, for example): the TensorRT path is built
	// and run, but its numbers are not compared.
	TRTDiffers string `json:"trt_differs,omitempty"`
	// ModelFile, when set, is the model relative to Dir: a SavedModel
	// directory or checkpoint shared by several cases (testdata/savedmodels).
	ModelFile string `json:"model,omitempty"`
	// Signature selects a SavedModel's signature ("" for the default).
	Signature string `json:"signature,omitempty"`
	// ModelPath, when set, overrides Dir/model.pb (tfc verify MODEL).
	ModelPath string `json:"-"`
}

// Tensor describes one input or output of a case.
type Tensor struct {
	Name  string `json:"name"` // TensorFlow tensor name, "x:0"
	File  string `json:"file"` // .npy file in the case directory
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
	// PlaceholderShape is the placeholder's declared shape when it has
	// unknown (-1) dimensions; Shape is then the shape of the data.
	PlaceholderShape []int `json:"placeholder_shape,omitempty"`
	// RTol and ATol, when set, override the case's tolerances for this
	// output (integer outputs are exact even in a float case).
	RTol *float64 `json:"rtol,omitempty"`
	ATol *float64 `json:"atol,omitempty"`
}

// Model is the path of the case's model: Dir/model.pb (a frozen graph)
// unless case.json names another ("model") or ModelPath is set.
func (c *Case) Model() string {
	if c.ModelPath != "" {
		return c.ModelPath
	}
	if c.ModelFile != "" {
		return filepath.Join(c.Dir, filepath.FromSlash(c.ModelFile))
	}
	return filepath.Join(c.Dir, "model.pb")
}

// Load reads dir/case.json.
func Load(dir string) (*Case, error) {
	data, err := os.ReadFile(filepath.Join(dir, "case.json"))
	if err != nil {
		return nil, err
	}
	c := &Case{Dir: dir}
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, "case.json"), err)
	}
	return c, nil
}

// LoadAll loads every case in the immediate subdirectories of root,
// sorted by name. A missing root gives no cases and no error.
func LoadAll(root string) ([]*Case, error) {
	entries, err := os.ReadDir(root)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var cases []*Case
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "case.json")); err != nil {
			continue
		}
		c, err := Load(dir)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, nil
}

// Find loads every case in root and the folders below it, at any depth,
// sorted by name; a folder holding case.json is a case and is not
// searched further.
func Find(root string) ([]*Case, error) {
	if _, err := os.Stat(filepath.Join(root, "case.json")); err == nil {
		// A case directory itself, also through a symbolic link (which
		// WalkDir would not enter).
		c, err := Load(root)
		if err != nil {
			return nil, err
		}
		return []*Case{c}, nil
	}
	var cases []*Case
	err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !e.IsDir() {
			return nil
		}
		if _, err := os.Stat(filepath.Join(path, "case.json")); err != nil {
			return nil
		}
		c, err := Load(path)
		if err != nil {
			return err
		}
		cases = append(cases, c)
		return filepath.SkipDir
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	return cases, nil
}

// ReadInputs reads the case's inputs, keyed by tensor name.
func (c *Case) ReadInputs() (map[string]*tensor.Tensor, error) {
	in := map[string]*tensor.Tensor{}
	for _, t := range c.Inputs {
		v, err := npy.ReadFile(filepath.Join(c.Dir, t.File))
		if err != nil {
			return nil, err
		}
		in[t.Name] = v
	}
	return in, nil
}

// ReadOutputs reads TensorFlow's outputs, in order.
func (c *Case) ReadOutputs() ([]*tensor.Tensor, error) {
	var out []*tensor.Tensor
	for _, t := range c.Outputs {
		v, err := npy.ReadFile(filepath.Join(c.Dir, t.File))
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Tolerance returns the rtol and atol for output i.
func (c *Case) Tolerance(i int) (rtol, atol float64) {
	rtol, atol = c.RTol, c.ATol
	if o := c.Outputs[i]; o.RTol != nil {
		rtol = *o.RTol
	}
	if o := c.Outputs[i]; o.ATol != nil {
		atol = *o.ATol
	}
	return rtol, atol
}

// InputShapes gives the data shape of every input, by tensor name (for
// placeholders declared with unknown dimensions).
func (c *Case) InputShapes() map[string]tensor.Shape {
	m := map[string]tensor.Shape{}
	for _, t := range c.Inputs {
		m[t.Name] = tensor.Shape(t.Shape).Clone()
	}
	return m
}

// OutputNames lists the output tensor names in order.
func (c *Case) OutputNames() []string {
	var names []string
	for _, t := range c.Outputs {
		names = append(names, t.Name)
	}
	return names
}

// Diff is the result of comparing a tensor with TensorFlow's.
type Diff struct {
	MaxAbs float64 // largest |got - want|
	MaxRel float64 // largest |got - want| / |want| over elements with want != 0
	// MaxRatio is the largest |got - want| / (atol + rtol*|want|): the
	// worst element's error as a fraction of what is tolerated (≤ 1 passes).
	MaxRatio float64
	Bad      int // elements outside atol + rtol*|want|
	FirstBad int // index of the first bad element, -1 if none
}

// Compare checks got against want elementwise: |got - want| ≤ atol +
// rtol*|want| for floats (NaN matches NaN, infinities must be equal),
// exact equality for integers and bools. It returns an error for dtype or
// shape mismatches.
func Compare(got, want *tensor.Tensor, rtol, atol float64) (Diff, error) {
	d := Diff{FirstBad: -1}
	if got.DType != want.DType {
		return d, fmt.Errorf("dtype %v, want %v", got.DType, want.DType)
	}
	if !got.Shape.Equal(want.Shape) {
		return d, fmt.Errorf("shape %v, want %v", got.Shape, want.Shape)
	}
	n := want.Len()
	if got.Len() != n {
		return d, fmt.Errorf("%d elements, want %d", got.Len(), n)
	}
	isFloat := want.DType.IsFloat()
	for i := range n {
		var bad bool
		if isFloat {
			g, w := got.Float64At(i), want.Float64At(i)
			switch {
			case math.IsNaN(w) || math.IsNaN(g):
				bad = math.IsNaN(w) != math.IsNaN(g)
			case math.IsInf(w, 0) || math.IsInf(g, 0):
				bad = g != w
			default:
				e := math.Abs(g - w)
				d.MaxAbs = max(d.MaxAbs, e)
				if w != 0 {
					d.MaxRel = max(d.MaxRel, e/math.Abs(w))
				}
				tol := atol + rtol*math.Abs(w)
				if tol > 0 {
					d.MaxRatio = max(d.MaxRatio, e/tol)
				} else if e > 0 {
					d.MaxRatio = math.Inf(1)
				}
				bad = e > tol
			}
		} else if want.DType == tensor.Bool {
			bad = got.B[i] != want.B[i]
		} else {
			bad = got.Int64At(i) != want.Int64At(i)
			if bad {
				d.MaxAbs = max(d.MaxAbs, math.Abs(float64(got.Int64At(i)-want.Int64At(i))))
			}
		}
		if bad {
			if d.FirstBad < 0 {
				d.FirstBad = i
			}
			d.Bad++
		}
	}
	return d, nil
}
