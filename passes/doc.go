// Package passes transforms IR functions: the pass table, the pass
// manager, and the passes themselves, one file each.
//
// # Model
//
// A pass is a function from a verified ir.Func to a verified ir.Func,
// rewriting in place and reporting whether it changed anything. The
// default pipeline (the passes table in compile.go, in order) runs to a
// fixed point: it is repeated until a whole round changes nothing, so
// running it twice is the same as running it once. The table is the one
// place where pass order lives; the constraints between passes (passOrder)
// are written next to it and checked by a test.
//
// Every pass preserves the IR's invariants (ir.Verify), checked after
// every pass when Options.VerifyEach is set (always in tests), and the
// values of the outputs: exactly (Pass.Exact), or up to float
// reassociation (folding batch normalisation into convolution weights
// computes the same function with different rounding).
//
// Passes own the Func they rewrite, constants included: fuse-bn scales a
// weight constant's data in place when that constant has a single use and
// shares its tensor with no other constant (a model's weights are then not
// copied again). Callers that keep a tensor given to ir.Func.Const must not
// expect it unchanged after Run.
//
// A pass must be linear (or n log n) in the size of the function: it may
// walk the ops a bounded number of times and use ir.Func.ReplaceValues,
// RemoveDead and TopoSort, each linear, but must not search the function
// per op.
//
// # Tests
//
// testdata/passes/<pass>/*.txtar hold golden tests: the input IR and the
// IR expected after the pass, side by side (go test ./passes -update
// rewrites them). Besides, every TensorFlow-generated case in testdata runs
// through the whole pipeline and must still match TensorFlow's outputs.
package passes
