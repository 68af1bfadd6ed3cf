package trt

import "slices"

// MarkAll returns a copy of d whose outputs are d's own and every other
// tensor a layer computes that a network can mark as an output, all in
// the order of the layers computing them: what polygraphy's "--trt-outputs mark all" does, so that
// an engine and the reference executor can be compared layer by layer
// (tfc verify -mark-all) to find the first layer where they part.
//
// Left out: the outputs of Constant layers (weights, not computed),
// shape tensors (ShapeValues known, or computed from a Shape layer's
// output and constants: TensorRT computes them while it builds, and they
// are not execution tensors),
// tensors with a data-dependent dimension, and every tensor computed
// inside a loop or a conditional (TensorRT marks only tensors outside
// them): what a Recurrence, TripLimit, Condition or ConditionalInput layer
// computes and whatever depends on it short of a LoopOutput or
// ConditionalOutput layer. d itself is not changed; the copy shares its
// layers and tensors.
func MarkAll(d *Description) *Description {
	return Mark(d, func(*LayerDesc) bool { return true })
}

// Mark is MarkAll for the layers chosen by pick: d's own outputs and the
// outputs of the picked layers that MarkAll would mark, in layer order
// (polygraphy's --trt-outputs NAME...: fewer marked tensors, fewer fusions
// changed).
func Mark(d *Description, pick func(*LayerDesc) bool) *Description {
	m := *d
	m.Outputs = nil
	output := map[*TensorDesc]bool{}
	for _, t := range d.Outputs {
		output[t] = true
	}
	inside := map[*TensorDesc]bool{} // computed in a loop or conditional
	shape := map[*TensorDesc]bool{}  // a shape tensor
	for _, l := range d.Layers {
		fromShape := l.Type == LayerShape
		if !fromShape && l.Type != LayerConstant {
			// Computed from shape tensors and constants only.
			fromShape = len(l.Inputs) > 0
			for _, t := range l.Inputs {
				fromShape = fromShape && (t == nil || shape[t] || t.Producer != nil && t.Producer.Type == LayerConstant)
			}
			fromShape = fromShape && slices.ContainsFunc(l.Inputs, func(t *TensorDesc) bool { return t != nil && shape[t] })
		}
		in := false
		switch l.Type {
		case LayerRecurrence, LayerTripLimit, LayerCondition, LayerConditionalInput:
			in = true
		case LayerLoopOutput, LayerConditionalOutput:
		default:
			for _, t := range l.Inputs {
				in = in || t != nil && inside[t]
			}
		}
		for _, t := range l.Outputs {
			inside[t] = in
			shape[t] = fromShape && intType(t.Type) && len(t.Dims) <= 1
			if output[t] || !in && !shape[t] && markable(l, t) && pick(l) {
				m.Outputs = append(m.Outputs, t)
			}
		}
	}
	return &m
}

// markable reports whether t, an output of l outside any loop or
// conditional, is worth and allowed marking (see MarkAll).
func markable(l *LayerDesc, t *TensorDesc) bool {
	if l.Type == LayerConstant || l.Type == LayerShape || t.ShapeValues != nil {
		return false
	}
	return !slices.Contains(t.Dims, DataDependent)
}
