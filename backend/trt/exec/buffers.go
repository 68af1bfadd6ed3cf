package exec

import (
	"sync"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/tensor"
)

// Buffer reuse. A Program plans, once, where the float32 outputs of the
// layers that can write into storage they are given (Convolution,
// Shuffle and the arithmetic ElementWise operations: writesInto) are
// stored: slots
// of an arena, each reused by later outputs once every tensor that may
// share its storage has had its last use. A run takes an arena from the
// Program's pool (allocating each slot on its first use) and puts it
// back at the end, so that repeated runs allocate no tensor storage for
// those layers.
//
// Other layers may return storage shared with their inputs (Identity,
// an Activation computed in place, ...), so the plan
// treats every output of a layer outside writesInto as possibly sharing
// the storage of each of its inputs: tensors that may share storage form
// one class (union-find), and a slot is busy until the last use of every
// tensor of the class of the output written into it. A class with a
// network output is never given a slot: returned tensors are the
// caller's. An ElementWise layer whose operand has the output's
// dimensions and is last used by it (with nothing sharing its storage
// used later) writes into that operand's slot (in place: each element is
// read before its position is written).

// bufferPlan is the arena layout of a Description.
type bufferPlan struct {
	slot  []int // by layer: the slot its output is written into, or -1
	n     []int // by layer: its output's number of elements
	sizes []int // by slot: its number of float32 elements
}

// writesInto reports whether Run writes layer l's output into the storage
// layerOpts.out gives it (when it has the output's size): l has a single
// float32 output and returns no storage shared with its inputs.
func writesInto(l *trt.LayerDesc) bool {
	if len(l.Outputs) != 1 || l.Outputs[0] == nil || l.Outputs[0].Type != trt.Float {
		return false
	}
	switch p := l.Params.(type) {
	case trt.Convolution, trt.Shuffle:
		return true
	case trt.ElementWise:
		switch p.Operation {
		case trt.ElementWiseSum, trt.ElementWiseProd, trt.ElementWiseMax, trt.ElementWiseMin,
			trt.ElementWiseSub, trt.ElementWiseDiv, trt.ElementWisePow, trt.ElementWiseFloorDiv:
			return true
		}
	}
	return false
}

// planBuffers lays out the arena of d's layers (lastUse is Run's).
func planBuffers(d *trt.Description, lastUse map[*trt.TensorDesc]int) bufferPlan {
	nl := len(d.Layers)
	bp := bufferPlan{slot: make([]int, nl), n: make([]int, nl)}
	for i := range bp.slot {
		bp.slot[i] = -1
	}
	// Classes of tensors that may share storage.
	parent := make(map[*trt.TensorDesc]*trt.TensorDesc)
	var find func(t *trt.TensorDesc) *trt.TensorDesc
	find = func(t *trt.TensorDesc) *trt.TensorDesc {
		p, ok := parent[t]
		if !ok || p == t {
			return t
		}
		r := find(p)
		parent[t] = r
		return r
	}
	union := func(a, b *trt.TensorDesc) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[ra] = rb
		}
	}
	for _, l := range d.Layers {
		if writesInto(l) {
			continue
		}
		for _, o := range l.Outputs {
			for _, t := range l.Inputs {
				if o != nil && t != nil {
					union(o, t)
				}
			}
		}
	}
	// The last use of each class (nl: a network output is in it).
	end := make(map[*trt.TensorDesc]int)
	for t, u := range lastUse {
		r := find(t)
		if e, ok := end[r]; !ok || u > e {
			end[r] = u
		}
	}
	free := []int(nil) // by slot: the layer after which it is free
	slotOf := make(map[*trt.TensorDesc]int)
	for i, l := range d.Layers {
		if !writesInto(l) {
			continue
		}
		o := l.Outputs[0]
		e, used := end[find(o)]
		if !used {
			continue // no reader: the run drops it
		}
		n, ok := elements(o.Dims)
		if !ok || e >= nl || n == 0 {
			continue
		}
		s := -1
		if _, ew := l.Params.(trt.ElementWise); ew {
			s = inPlaceSlot(l, i, slotOf, find, end)
		}
		if s < 0 {
			// The smallest free slot that holds n elements, else the
			// largest free one (grown), else a new one.
			for k, f := range free {
				if f >= i {
					continue
				}
				switch {
				case s < 0,
					bp.sizes[k] >= n && (bp.sizes[s] < n || bp.sizes[k] < bp.sizes[s]),
					bp.sizes[s] < n && bp.sizes[k] > bp.sizes[s]:
					s = k
				}
			}
			if s < 0 {
				s = len(free)
				free = append(free, 0)
				bp.sizes = append(bp.sizes, 0)
			}
		}
		bp.sizes[s] = max(bp.sizes[s], n)
		free[s] = e
		bp.slot[i], bp.n[i] = s, n
		slotOf[o] = s
	}
	return bp
}

// inPlaceSlot returns the slot of an operand of the ElementWise layer l
// (index i) that its output may overwrite, or -1: the operand has a slot
// and the output's dimensions, nothing that may share its storage is
// used after l, and the other operand does not share it.
func inPlaceSlot(l *trt.LayerDesc, i int, slotOf map[*trt.TensorDesc]int, find func(*trt.TensorDesc) *trt.TensorDesc, end map[*trt.TensorDesc]int) int {
	if len(l.Inputs) != 2 || l.Inputs[0] == nil || l.Inputs[1] == nil {
		return -1
	}
	o := l.Outputs[0]
	for k, t := range l.Inputs {
		other := l.Inputs[1-k]
		s, ok := slotOf[t]
		if !ok || t.Type != trt.Float || !sameDimsDims(t.Dims, o.Dims) || end[find(t)] != i || find(other) == find(t) {
			continue
		}
		return s
	}
	return -1
}

// elements returns the number of elements of static dimensions.
func elements(dims trt.Dims) (int, bool) {
	n := int64(1)
	for _, x := range dims {
		if x < 0 || x > tensor.MaxElements {
			return 0, false
		}
		n *= x
		if n > tensor.MaxElements {
			return 0, false
		}
	}
	return int(n), true
}

// arena is one run's storage for the planned slots.
type arena struct{ bufs [][]float32 }

// buf returns layer i's output storage under plan bp, or nil when the
// layer has no slot.
func (a *arena) buf(bp *bufferPlan, i int) []float32 {
	s := bp.slot[i]
	if s < 0 {
		return nil
	}
	if a.bufs[s] == nil {
		a.bufs[s] = make([]float32, bp.sizes[s])
	}
	return a.bufs[s][:bp.n[i]]
}

// constCache holds a Constant layer's output, decoded on the first run
// and given to every later one (see planConstants).
type constCache struct {
	once sync.Once
	res  []*tensor.Tensor
	err  error
}

func (c *constCache) get(l *trt.LayerDesc) ([]*tensor.Tensor, error) {
	c.once.Do(func() { c.res, c.err = runLayer(l, nil, layerOpts{}) })
	return c.res, c.err
}

// planConstants returns, by layer, a cache for each Constant layer whose
// output only MatrixMultiply and ElementWise layers read (they never
// write their operands, nor return them) and which is not a network
// output: its decoded weights can serve every run (ResNet50's
// classifier weights are 8 MB).
func planConstants(d *trt.Description) []*constCache {
	readOnly := make(map[*trt.TensorDesc]bool)
	for _, l := range d.Layers {
		for _, t := range l.Inputs {
			if t == nil {
				continue
			}
			ok, seen := readOnly[t]
			switch l.Params.(type) {
			case trt.MatrixMultiply, trt.ElementWise:
				readOnly[t] = ok || !seen
			default:
				readOnly[t] = false
			}
		}
	}
	for _, o := range d.Outputs {
		readOnly[o] = false
	}
	cs := make([]*constCache, len(d.Layers))
	for i, l := range d.Layers {
		if _, ok := l.Params.(trt.Constant); ok && len(l.Outputs) == 1 && readOnly[l.Outputs[0]] {
			cs[i] = new(constCache)
		}
	}
	return cs
}
