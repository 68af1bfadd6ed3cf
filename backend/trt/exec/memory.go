package exec

import (
	"fmt"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// checkMemory refuses, before any layer runs, a run whose tensors would
// exceed tensor.MaxBytes: a single layer output over the limit, or, at
// some layer, the outputs still to be used plus that layer's new
// outputs (tensors are released after their last use, as Run does).
// Network inputs are the caller's and are not counted; neither is kernel
// scratch space. Tensors with unknown dimensions count as empty (their
// size is checked when they are allocated). The error names the layer.
func checkMemory(d *trt.Description, lastUse map[*trt.TensorDesc]int) error {
	limit := tensor.MaxBytes()
	bytes := func(t *trt.TensorDesc) int64 {
		if t == nil || t.Producer == nil {
			return 0
		}
		dt, err := DType(t.Type)
		if err != nil {
			return 0
		}
		s := make(tensor.Shape, len(t.Dims))
		for i, x := range t.Dims {
			if x < 0 || x > tensor.MaxElements {
				return 0
			}
			s[i] = int(x)
		}
		b, err := tensor.StorageBytes(dt, s)
		if err != nil {
			return limit + 1 // over MaxElements: over the limit too
		}
		return b
	}
	var live int64
	for i, l := range d.Layers {
		for _, o := range l.Outputs {
			b := bytes(o)
			if b > limit {
				return &tensor.MemoryError{What: fmt.Sprintf("exec: layer %d %q (%s) output %v", i, l.Name, l.Type, o.Dims), Bytes: b, Limit: limit}
			}
			live += b
		}
		if live > limit {
			return &tensor.MemoryError{What: fmt.Sprintf("exec: the run, at layer %d %q (%s),", i, l.Name, l.Type), Bytes: live, Limit: limit}
		}
		for _, o := range l.Outputs {
			if _, used := lastUse[o]; !used {
				live -= bytes(o)
			}
		}
		for k, t := range l.Inputs {
			if t == nil || lastUse[t] != i || repeated(l.Inputs, k) {
				continue
			}
			live -= bytes(t)
		}
	}
	return nil
}

// repeated reports whether in[k] occurs earlier in in.
func repeated(in []*trt.TensorDesc, k int) bool {
	for _, t := range in[:k] {
		if t == in[k] {
			return true
		}
	}
	return false
}
