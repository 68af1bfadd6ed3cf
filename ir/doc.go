// Package ir defines tfc's intermediate representation: a small set of
// tensor operations with exact semantics, in SSA form.
//
// # Model
//
// A Func is a tensor program: a list of Ops in program order and a list of
// named Outputs. Each Op applies an Opcode to operand Values (Args) and
// defines one or more result Values. Every Value is exactly one tensor with
// a static Type: an element type (tensor.DType) and a fully known shape.
// There are no side effects and no variables: a Func is a pure function
// from its input values to its outputs. Control flow is structured: a
// while or if op owns regions, nested Funcs isolated from the enclosing
// one (ops_control.go), so a Func is still a list of ops in topological
// order, at every level.
//
// Inputs are Ops too (opcode input, attribute name = the TensorFlow tensor
// name such as "input_1:0"), as are constants (opcode const, attribute
// value = the tensor). Outputs are named after the TensorFlow tensors they
// came from ("dense/Softmax:0"). Each Op records in Loc the TensorFlow node
// it was translated from, so every value can be traced back to the model.
//
// # Op set
//
// The opcodes are few and canonical, in the spirit of TOSA and StableHLO:
// one conv (N-D, channels first, explicit pads, groups), one pool, one
// reduce with a kind, numpy-broadcasting elementwise ops, explicit
// reshape/transpose/slice/pad, and so on; see opcode.go for the list and
// the ops_*.go files for each op's specification: operands, attributes,
// result type rule, semantics, and what is an error. The specification is
// the doc comment on the op's type rule (inferConv, inferPool, ...); a
// second implementation could be written from it. TensorFlow's many ops are
// translated into this set by the frontend (package frontend/tf); the
// reference interpreter (package interp) and the TensorRT backend only
// see this set.
//
// Attributes are typed (AttrKind) and always explicit: every attribute an
// opcode declares is present on every op, so nothing is implied by a
// default. Layout is explicit too: conv and pool are channels first (NCHW),
// so a TensorFlow NHWC convolution becomes transpose, conv, transpose.
//
// # Invariants
//
// Verify checks, and every pass must preserve:
//   - ops are in topological order and every operand is defined earlier in
//     the same Func (hence acyclic, no dangling uses);
//   - each op has its opcode's operand count and attributes, and its
//     result types are exactly those InferTypes computes;
//   - shapes are static and within tensor.MaxElements, or symbolic:
//     dimensions that are expressions over named symbols (package ir/dim),
//     which only inputs introduce (each such input dimension is one
//     symbol) and only type rules that hold for every value of the symbols
//     propagate (symbolic.go);
//   - input names are unique; output names are unique and non-empty.
//
// # Reduced precision
//
// Float values are f32, f16 or bf16. An op whose float operands and result
// are f16 (or bf16) computes as TensorRT does in that precision: each
// element is computed in float32 from the operands' exact values and the
// result is rounded to the result's type (round to nearest even) once,
// after the op. Ops that accumulate (conv, conv_transpose, matmul, einsum,
// pool avg, reduce, softmax, log_softmax) accumulate in float32 and round
// only the final result. So a chain of f16 ops rounds after every op,
// exactly as TensorRT stores every layer's output in the layer's type; the
// difference from TensorRT's kernels is only in float32 reassociation, not
// in where rounding happens. Mixed precision is explicit: operands of one
// op share their float type, and cast converts between f32, f16 and bf16.
//
// # Text form
//
// Print and Parse convert a Func to and from text; print(parse(print(f)))
// is byte-identical to print(f). Large constants are elided unless asked
// for, so printed IR stays readable.
package ir
