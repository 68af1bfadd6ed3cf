package passes

import (
	"fmt"
	"math"
	"sort"

	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// int8Pass inserts the quantize → dequantize pairs of TensorRT's explicit
// INT8 quantization from calibrated ranges (Config.Calibration: the
// magnitude amax of each conv, conv_transpose and matmul data input, by
// the op's TF node name, as package calib computes them):
//
//   - the data input (f32) of every such op named in the ranges gets a
//     per-tensor pair with scale amax/127, zero point 0, range [-128, 127],
//     ties to even (what TensorRT's IQuantizeLayer computes); with
//     Config.CalibrationFP8, type f8e4m3 and scale amax/448;
//   - its weights, when constant, get a pair per output channel (conv:
//     axis 0; matmul: the column axis of b; conv_transpose: per tensor)
//     with scale max|w|/127 (1 for an all-zero channel).
//
// An op whose data input is already a dequantize is left alone, so the
// pass is idempotent. A name in the ranges that matches no such op is an
// error (a wrong ranges file), as is a negative or non-finite range. With
// no ranges the pass does nothing.
func int8Pass(f *ir.Func, cfg *Config) (bool, error) {
	if len(cfg.Calibration) == 0 {
		return false, nil
	}
	seen := map[string]bool{}
	changed := false
	for _, op := range f.Ops {
		switch op.Opcode {
		case ir.OpConv, ir.OpConvTranspose, ir.OpMatMul:
		default:
			continue
		}
		amax, ok := cfg.Calibration[op.Loc]
		if !ok || op.Loc == "" {
			continue
		}
		seen[op.Loc] = true
		if op.Args[0].Type.DType != tensor.Float32 || op.Args[0].Op.Opcode == ir.OpDequantize {
			continue
		}
		if !(amax >= 0) || math.IsInf(amax, 0) {
			return false, fmt.Errorf("calibration range of %q is %g, want a finite amax ≥ 0", op.Loc, amax)
		}
		if amax == 0 {
			continue // an all-zero activation: nothing to scale
		}
		s := tensor.FromF32(tensor.Shape{}, []float32{float32(amax / qLimit(cfg))})
		dq, err := qdq(f, op, op.Args[0], s, -1, cfg.CalibrationFP8)
		if err != nil {
			return false, err
		}
		op.Args[0] = dq
		changed = true
		w := op.Args[1]
		t := constOf(w)
		if t == nil || w.Type.DType != tensor.Float32 {
			continue
		}
		axis := -1
		switch {
		case op.Opcode == ir.OpConv:
			axis = 0
		case op.Opcode == ir.OpMatMul && w.Type.Rank() == 2:
			axis = 1
			if op.Bool("transpose_b") {
				axis = 0
			}
		}
		ws := channelScales(t, axis, qLimit(cfg))
		if op.Args[1], err = qdq(f, op, w, ws, axis, cfg.CalibrationFP8); err != nil {
			return false, err
		}
	}
	var unknown []string
	for name := range cfg.Calibration {
		if !seen[name] {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return false, fmt.Errorf("calibration ranges name %d op(s) that are not a conv or matmul of this model: %q", len(unknown), unknown)
	}
	if !changed {
		return false, nil
	}
	return true, f.TopoSort()
}

// qLimit is the largest quantized magnitude: 127 (INT8) or 448 (FP8 E4M3).
func qLimit(cfg *Config) float64 {
	if cfg.CalibrationFP8 {
		return 448
	}
	return 127
}

// qdq appends quantize → dequantize of v with scales s (per tensor, axis
// -1, or along axis) and zero points 0, named after op: INT8 in [-128,
// 127], or FP8 E4M3.
func qdq(f *ir.Func, op *ir.Op, v *ir.Value, s *tensor.Tensor, axis int, fp8 bool) (*ir.Value, error) {
	sc := f.Const(s, op.Loc+"/scale")
	zp := f.Const(tensor.MustNew(tensor.Int32, s.Shape), op.Loc+"/zero_point")
	attrs := ir.Attrs{"axis": axis, "qmin": -128, "qmax": 127, "round": "half_even", "type": "int"}
	if fp8 {
		attrs["qmin"], attrs["qmax"], attrs["type"] = -448, 448, "f8e4m3"
	}
	q, err := f.Emit(ir.OpQuantize, []*ir.Value{v, sc, zp}, attrs, op.Loc+"/quantize")
	if err != nil {
		return nil, err
	}
	return f.Emit(ir.OpDequantize, []*ir.Value{q, sc, zp}, ir.Attrs{"axis": axis}, op.Loc+"/dequantize")
}

// channelScales is max|w|/limit per index of axis (one scale for axis -1).
func channelScales(w *tensor.Tensor, axis int, limit float64) *tensor.Tensor {
	n, inner := 1, max(w.Len(), 1)
	shape := tensor.Shape{}
	if axis >= 0 {
		n, inner = w.Shape[axis], 1
		for _, d := range w.Shape[axis+1:] {
			inner *= d
		}
		shape = tensor.Shape{n}
	}
	amax := make([]float32, n)
	for i, v := range w.F32 {
		c := (i / inner) % n
		amax[c] = max(amax[c], float32(math.Abs(float64(v))))
	}
	for c := range amax {
		if amax[c] == 0 {
			amax[c] = float32(limit)
		}
		amax[c] /= float32(limit)
	}
	return tensor.FromF32(shape, amax)
}
