package trt

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLayerKinds checks LayerKinds against the layer types: one kind per
// LayerType, in LayerType order, each Arity sane, and each AddTo making the
// add call of its own kind with the inputs it is given.
func TestLayerKinds(t *testing.T) {
	seen := map[LayerType]bool{}
	var last LayerType = -1
	for _, p := range LayerKinds() {
		k := p.Kind()
		if _, ok := layerTypeNames[k]; !ok {
			t.Errorf("%T: kind %v has no name in layerTypeNames", p, k)
		}
		if seen[k] {
			t.Errorf("%T: kind %v listed twice", p, k)
		}
		seen[k] = true
		if k <= last {
			t.Errorf("%T: kind %v listed after %v", p, k, last)
		}
		last = k
		min, max := p.Arity()
		if min < 0 || (max >= 0 && max < min) {
			t.Errorf("%T: Arity %d, %d", p, min, max)
		}
		// AddTo with the fewest inputs (two for a variadic kind) records
		// one layer of kind k reading exactly those inputs.
		n := min
		if max < 0 {
			n = 2
		}
		r := NewRecorder()
		ins := make([]Tensor, n)
		for i := range ins {
			ins[i] = r.AddInput(fmt.Sprintf("in%d", i), Float, Dims{1, 2, 3, 4})
		}
		p.AddTo(r, ins)
		d := r.Description()
		if len(d.Layers) != 1 {
			t.Errorf("%T: AddTo recorded %d layers, want 1", p, len(d.Layers))
			continue
		}
		l := d.Layers[0]
		if l.Type != k {
			t.Errorf("%T: AddTo recorded a %v layer, want %v", p, l.Type, k)
		}
		if len(l.Inputs) != n {
			t.Errorf("%T: AddTo recorded %d inputs, want %d", p, len(l.Inputs), n)
		}
		for i, in := range l.Inputs {
			if in != d.Inputs[i] {
				t.Errorf("%T: AddTo recorded input %d from %v, want %q", p, i, in, d.Inputs[i].Name)
			}
		}
	}
	// Every LayerType constant of the package's sources is a registered
	// kind (a constant without its struct's registerKinds fails here).
	consts, err := layerTypeConsts(".")
	if err != nil {
		t.Fatal(err)
	}
	if len(consts) == 0 {
		t.Fatal("no LayerType constants found")
	}
	for name, k := range consts {
		if !seen[k] {
			t.Errorf("layer type %s (%d) has no parameters in LayerKinds", name, k)
		}
	}
	if len(consts) != len(seen) {
		t.Errorf("%d LayerType constants, %d kinds", len(consts), len(seen))
	}
}

// layerTypeConsts returns the LayerType constants declared with literal
// values in the non-test Go files of dir.
func layerTypeConsts(dir string) (map[string]LayerType, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	out := map[string]LayerType{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, s := range gd.Specs {
				vs := s.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "LayerType" {
					continue
				}
				for i, n := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						return nil, fmt.Errorf("%s: not a literal", n.Name)
					}
					v, err := strconv.Atoi(lit.Value)
					if err != nil {
						return nil, err
					}
					out[n.Name] = LayerType(v)
				}
			}
		}
	}
	return out, nil
}
