package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/backend/tensorrt"
	"github.com/tfc-dev/tfc/internal/safeio"
	"github.com/tfc-dev/tfc/ir"
)

// inspectIR describes tfc IR text: its inputs, outputs, IR opcode
// histogram and the bytes of its constants.
func inspectIR(rep *inspectReport, path string, data []byte) error {
	f, err := tfc.LoadBytes(path, data, tfc.LoadOptions{})
	if err != nil {
		return err
	}
	rep.Kind = "tfir"
	rep.Nodes = len(f.Ops)
	for _, op := range f.Ops {
		rep.Ops[op.Opcode.String()]++
		if op.Opcode == ir.OpConst {
			t := op.Results[0].Type
			if t.Shape.Known() {
				rep.WeightBytes += int64(t.Shape.Size()) * int64(t.DType.Size())
			}
		}
	}
	rep.Inputs, rep.Outputs = funcTensors(f)
	return nil
}

// inspectEngine describes a TensorRT plan from its sidecar (no TensorRT
// needed) and checks the plan is the one the sidecar describes.
func inspectEngine(rep *inspectReport, path string) error {
	side, err := tensorrt.ReadSidecar(path)
	if err != nil {
		return err
	}
	// The plan is hashed as a stream: never read whole.
	f, planBytes, err := safeio.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fileError(path, err)
	}
	sum := h.Sum(nil)
	rep.Kind = "engine"
	rep.Engine = &engineInfo{
		Library: side.Library, TFCVersion: side.TFCVersion, ComputeCapabilities: side.ComputeCapabilities,
		PlanBytes:   planBytes,
		PlanMatches: planBytes == side.PlanBytes && hex.EncodeToString(sum) == side.PlanSHA256,
		Profiles:    side.Profiles,
	}
	rep.WeightBytes = planBytes
	for _, l := range []struct {
		from []tensorrt.TensorInfo
		to   *[]tensorInfo
	}{{side.Inputs, &rep.Inputs}, {side.Outputs, &rep.Outputs}} {
		for _, t := range l.from {
			shape := make([]int, len(t.Shape))
			for i, d := range t.Shape {
				shape[i] = int(max(d, -1))
			}
			*l.to = append(*l.to, tensorInfo{Name: t.Name, DType: t.Type.String(), Shape: shape})
		}
	}
	return nil
}
