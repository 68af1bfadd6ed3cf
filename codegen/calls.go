package codegen

import (
	"reflect"

	"github.com/dave/jennifer/jen"

	"github.com/tfc-dev/tfc/backend/trt"
)

// callWriter is a trt.Network that writes each call as Go source instead
// of making it. The generator makes every layer's add call through its
// parameters' AddTo (trt.LayerParams), the method that package tensorrt
// replays a Description with, so the generated builder makes exactly the
// calls a replay makes, and a layer kind needs nothing here beyond its
// Network method (one line that names the call).
type callWriter struct {
	g    *gen
	call *jen.Statement // the last call written
}

var _ trt.Network = (*callWriter)(nil)

// exprTensor is a tensor of the generated code: the Go expression that
// refers to it (x_0, conv.Output(0)). Only the writer reads it.
type exprTensor struct{ expr *jen.Statement }

func (exprTensor) Name() string           { return "" }
func (exprTensor) SetName(string)         {}
func (exprTensor) Type() trt.DataType     { return trt.Float }
func (exprTensor) Dimensions() trt.Dims   { return nil }
func (t exprTensor) code() *jen.Statement { return t.expr }

// write records net.method(args...) as the last call, each argument
// rendered by its type: tensors as their expressions, tensor lists as
// []trt.Tensor literals, Dims, Weights (inline or from the weights file),
// enums as their constants, parameter structs as composite literals
// without zero fields, and other scalars as typed literals.
func (w *callWriter) write(method string, args ...any) trt.Layer {
	code := make([]jen.Code, len(args))
	for i, a := range args {
		code[i] = w.arg(a)
	}
	w.call = jen.Id("net").Dot(method).Call(code...)
	return nil
}

func (w *callWriter) arg(a any) *jen.Statement {
	switch x := a.(type) {
	case nil:
		return jen.Nil()
	case exprTensor:
		return x.code()
	case []trt.Tensor:
		var items []jen.Code
		for _, t := range x {
			items = append(items, w.arg(t))
		}
		return jen.Index().Qual(trtPkg, "Tensor").Values(items...)
	case trt.Dims:
		return dims(x)
	case trt.Weights:
		return w.g.weightsExpr(x)
	}
	v := reflect.ValueOf(a)
	if _, isEnum := enumNames[v.Type()]; isEnum {
		return w.g.enum(a)
	}
	if v.Kind() == reflect.Struct {
		return w.g.literal(v)
	}
	return jen.Lit(a)
}

func (w *callWriter) AddInput(name string, typ trt.DataType, dims trt.Dims) trt.Tensor {
	w.write("AddInput", name, typ, dims)
	return nil
}

func (w *callWriter) MarkOutput(t trt.Tensor) { w.write("MarkOutput", t) }

func (w *callWriter) Err() error { return nil }

func (w *callWriter) AddConvolutionNd(input trt.Tensor, p trt.Convolution) trt.Layer {
	return w.write("AddConvolutionNd", input, p)
}

func (w *callWriter) AddDeconvolutionNd(input trt.Tensor, p trt.Deconvolution) trt.Layer {
	return w.write("AddDeconvolutionNd", input, p)
}

func (w *callWriter) AddActivation(input trt.Tensor, p trt.Activation) trt.Layer {
	return w.write("AddActivation", input, p)
}

func (w *callWriter) AddPoolingNd(input trt.Tensor, p trt.Pooling) trt.Layer {
	return w.write("AddPoolingNd", input, p)
}

func (w *callWriter) AddElementWise(a, b trt.Tensor, op trt.ElementWiseOperation) trt.Layer {
	return w.write("AddElementWise", a, b, op)
}

func (w *callWriter) AddUnary(input trt.Tensor, op trt.UnaryOperation) trt.Layer {
	return w.write("AddUnary", input, op)
}

func (w *callWriter) AddReduce(input trt.Tensor, p trt.Reduce) trt.Layer {
	return w.write("AddReduce", input, p)
}

func (w *callWriter) AddSoftMax(input trt.Tensor, axes uint32) trt.Layer {
	return w.write("AddSoftMax", input, axes)
}

func (w *callWriter) AddTopK(input trt.Tensor, p trt.TopK) trt.Layer {
	return w.write("AddTopK", input, p)
}

func (w *callWriter) AddShuffle(input trt.Tensor, p trt.Shuffle) trt.Layer {
	return w.write("AddShuffle", input, p)
}

func (w *callWriter) AddSlice(input trt.Tensor, p trt.Slice) trt.Layer {
	return w.write("AddSlice", input, p)
}

func (w *callWriter) AddConcatenation(inputs []trt.Tensor, axis int32) trt.Layer {
	return w.write("AddConcatenation", inputs, axis)
}

func (w *callWriter) AddGather(data, indices trt.Tensor, p trt.Gather) trt.Layer {
	return w.write("AddGather", data, indices, p)
}

func (w *callWriter) AddMatrixMultiply(a trt.Tensor, opA trt.MatrixOperation, b trt.Tensor, opB trt.MatrixOperation) trt.Layer {
	return w.write("AddMatrixMultiply", a, opA, b, opB)
}

func (w *callWriter) AddEinsum(inputs []trt.Tensor, equation string) trt.Layer {
	return w.write("AddEinsum", inputs, equation)
}

func (w *callWriter) AddResize(input trt.Tensor, p trt.Resize) trt.Layer {
	return w.write("AddResize", input, p)
}

func (w *callWriter) AddConstant(dims trt.Dims, weights trt.Weights) trt.Layer {
	return w.write("AddConstant", dims, weights)
}

func (w *callWriter) AddIdentity(input trt.Tensor) trt.Layer {
	return w.write("AddIdentity", input)
}

func (w *callWriter) AddCast(input trt.Tensor, to trt.DataType) trt.Layer {
	return w.write("AddCast", input, to)
}

func (w *callWriter) AddQuantize(input, scale trt.Tensor, p trt.Quantize) trt.Layer {
	return w.write("AddQuantize", input, scale, p)
}

func (w *callWriter) AddDequantize(input, scale trt.Tensor, p trt.Dequantize) trt.Layer {
	return w.write("AddDequantize", input, scale, p)
}

func (w *callWriter) AddSelect(cond, then, els trt.Tensor) trt.Layer {
	return w.write("AddSelect", cond, then, els)
}

func (w *callWriter) AddScaleNd(input trt.Tensor, p trt.Scale) trt.Layer {
	return w.write("AddScaleNd", input, p)
}

func (w *callWriter) AddNormalization(input, scale, bias trt.Tensor, p trt.Normalization) trt.Layer {
	return w.write("AddNormalization", input, scale, bias, p)
}

func (w *callWriter) AddPaddingNd(input trt.Tensor, pre, post trt.Dims) trt.Layer {
	return w.write("AddPaddingNd", input, pre, post)
}

func (w *callWriter) AddFill(p trt.Fill) trt.Layer {
	return w.write("AddFill", p)
}

func (w *callWriter) AddShape(input trt.Tensor) trt.Layer {
	return w.write("AddShape", input)
}

func (w *callWriter) AddScatter(data, indices, updates trt.Tensor, p trt.Scatter) trt.Layer {
	return w.write("AddScatter", data, indices, updates, p)
}

func (w *callWriter) AddNMS(boxes, scores, maxOutputBoxesPerClass, iouThreshold, scoreThreshold trt.Tensor, p trt.NMS) trt.Layer {
	return w.write("AddNMS", boxes, scores, maxOutputBoxesPerClass, iouThreshold, scoreThreshold, p)
}

func (w *callWriter) AddCumulative(input trt.Tensor, p trt.Cumulative) trt.Layer {
	return w.write("AddCumulative", input, p)
}

// Control flow: the loops and conditionals are declared by the generator
// (gen.body); their boundary layers are calls on those variables.

func (w *callWriter) AddLoop(name string) trt.Loop {
	w.write("AddLoop", name)
	return nil
}

func (w *callWriter) AddIfConditional(name string) trt.IfConditional {
	w.write("AddIfConditional", name)
	return nil
}

func (w *callWriter) LoopAt(i int) trt.Loop { return handleWriter{w, w.handle(w.g.loops, i, "loop")} }

func (w *callWriter) ConditionalAt(i int) trt.IfConditional {
	return handleWriter{w, w.handle(w.g.conds, i, "conditional")}
}

// handle returns the variable of construct i; a missing one renders as
// an undefined identifier, and gen.layer reports the bad index first.
func (w *callWriter) handle(vars []string, i int, what string) string {
	if i < 0 || i >= len(vars) {
		return "no_such_" + what
	}
	return vars[i]
}

// handleWriter writes the calls on a loop or conditional variable.
type handleWriter struct {
	w  *callWriter
	id string
}

func (h handleWriter) on(method string, args ...any) trt.Layer {
	code := make([]jen.Code, len(args))
	for i, a := range args {
		code[i] = h.w.arg(a)
	}
	h.w.call = jen.Id(h.id).Dot(method).Call(code...)
	return nil
}

func (h handleWriter) AddRecurrence(initial trt.Tensor) trt.Layer {
	return h.on("AddRecurrence", initial)
}
func (h handleWriter) SetRecurrenceNext(rec trt.Layer, next trt.Tensor) {}
func (h handleWriter) AddTripLimit(t trt.Tensor, kind trt.TripLimitKind) trt.Layer {
	return h.on("AddTripLimit", t, kind)
}
func (h handleWriter) AddLoopOutput(t trt.Tensor, kind trt.LoopOutputKind, axis int32) trt.Layer {
	return h.on("AddLoopOutput", t, kind, axis)
}
func (h handleWriter) SetCondition(t trt.Tensor) trt.Layer { return h.on("SetCondition", t) }
func (h handleWriter) AddInput(t trt.Tensor) trt.Layer     { return h.on("AddInput", t) }
func (h handleWriter) AddOutput(then, els trt.Tensor) trt.Layer {
	return h.on("AddOutput", then, els)
}
