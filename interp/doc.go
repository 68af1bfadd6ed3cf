// Package interp is tfc's reference interpreter: it executes an ir.Func on
// concrete tensors with the CPU kernels of package kernels.
//
// EvalOp evaluates one op on concrete arguments (the TensorFlow frontend
// uses it for static shape arithmetic, constant folding uses it too); Run
// executes a whole Func, checking its inputs and freeing intermediate
// values after their last use.
package interp
