package main

import (
	"fmt"
	"path"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
)

// markSpec is verify's -mark-all or -mark PATTERNS: which layers' outputs
// the compared TensorRT networks mark as outputs (trt.Mark).
type markSpec struct {
	all      bool
	patterns []string // path.Match patterns of layer names
}

func newMarkSpec(all bool, list []string) (*markSpec, error) {
	m := &markSpec{all: all}
	for _, item := range list {
		for _, p := range strings.Split(item, ",") {
			if p = strings.TrimSpace(p); p == "" {
				continue
			}
			if _, err := path.Match(p, ""); err != nil {
				return nil, fmt.Errorf("-mark %q: %v", p, err)
			}
			m.patterns = append(m.patterns, p)
		}
	}
	if !all && len(m.patterns) == 0 {
		return nil, fmt.Errorf("-mark: no layer name pattern given")
	}
	return m, nil
}

// apply returns d with the chosen layers' outputs marked. A pattern that
// names no layer of d is an error: a misspelt name never passes silently.
func (m *markSpec) apply(d *trt.Description) (*trt.Description, error) {
	if m.all {
		return trt.MarkAll(d), nil
	}
	used := make([]bool, len(m.patterns))
	for _, l := range d.Layers {
		for i, p := range m.patterns {
			if ok, _ := path.Match(p, l.Name); ok {
				used[i] = true
			}
		}
	}
	for i, p := range m.patterns {
		if !used[i] {
			return nil, fmt.Errorf("-mark %q: no layer of the network has a matching name (tfc compile -emit=network lists them)", p)
		}
	}
	return trt.Mark(d, func(l *trt.LayerDesc) bool {
		for _, p := range m.patterns {
			if ok, _ := path.Match(p, l.Name); ok {
				return true
			}
		}
		return false
	}), nil
}
