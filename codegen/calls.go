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
// calls a replay makes. Its Network methods, one line each naming the
// call, are generated from trt.Network (calls_gen.go, go generate
// ./codegen), so a new layer kind needs nothing written here.
//
//go:generate go run ./internal/gencalls
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

func (w *callWriter) Err() error { return nil }

// Control flow: the loops and conditionals are declared by the generator
// (gen.body); their boundary layers are calls on those variables. These
// methods are written by hand, so gencalls leaves them out.

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
