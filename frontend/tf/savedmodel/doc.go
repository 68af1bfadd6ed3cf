// Package savedmodel freezes TensorFlow SavedModels and TF1 checkpoints:
// it turns one signature of a model into a frozen GraphDef (one flat
// graph, weights as constants, nothing the outputs do not need), in pure
// Go, with no Python.
//
// # Models
//
// Detect and Open recognise
//
//   - a SavedModel directory (TF2 tf.saved_model.save and Keras
//     model.export, or TF1 SavedModelBuilder): saved_model.pb (or .pbtxt)
//     holding one MetaGraphDef per tag set, and the checkpoint
//     variables/variables.{index,data-NNNNN-of-NNNNN};
//   - a TF1 checkpoint, PREFIX.meta (a MetaGraphDef, from
//     tf.compat.v1.train.Saver) with PREFIX.index and its data shards;
//     the path may be PREFIX, PREFIX.meta, PREFIX.index, or the Saver's
//     directory (its "checkpoint" state file names the latest PREFIX).
//
// saved_model.pbtxt and .meta files in the protobuf text format are read
// too.
//
// A meta graph is chosen by its tag set (default "serve"), a signature by
// its key (default serving_default). Checkpoints have no signatures, so
// the outputs are given by tensor name.
//
// # Freezing
//
// Freeze starts from the signature's outputs and walks the graph back
// through data edges, so only what the outputs need is kept:
//
//   - Calls (StatefulPartitionedCall, PartitionedCall, a node whose op
//     is a library function, or an If/StatelessIf whose predicate is a
//     constant — a Const or a PlaceholderWithDefault at its constant
//     default, such as the Keras learning phase — calling the branch it
//     selects) are inlined, recursively and only when reached: the body's nodes join the graph as "call/node"; a body
//     input "node:out_arg:i" becomes the flat output index of node, from
//     the op's OpDef in the meta graph's stripped_op_list (list outputs
//     sized by the node's number or type-list attribute, or its OpDef
//     default) or, for a called function, its signature; argument names
//     become the call's inputs; the call's outputs become the tensors the
//     function's ret map names.
//   - Variable reads become constants. ReadVariableOp(handle), the handle
//     resolved through inlined arguments and Identity nodes to a
//     VarHandleOp, becomes a Const named like the read; a TF1 reference
//     variable (VariableV2) becomes a Const of its own name (its "read"
//     Identity stays); ResourceGather becomes GatherV2 of a Const.
//   - Signature inputs become the graph's placeholders, named by their
//     key when the name is free; each signature output gets an Identity
//     named by its key (when free).
//   - Control edges (and so NoOps), device placements and internal
//     attributes ("_"-prefixed: _class, _output_shapes,
//     _user_specified_name, ...) are dropped; attributes missing because
//     the producer stripped defaults get their OpDef default.
//
// InlineCalls applies the same inlining to a frozen GraphDef that still
// holds calls (XLA-compiled functions are not inlined by TensorFlow's
// freezing); frontend/tf's Import calls it for every graph with a
// function library.
//
// # Which checkpoint tensor is which variable
//
// TensorFlow has two loaders. The C++ one (loader_impl.cc, used by TF
// Serving; also the TF1 Saver's way) feeds the variables' path to
// saver_def.filename_tensor_name and runs saver_def.restore_op_name: a
// restore subgraph in which RestoreV2(prefix, tensor_names,
// shape_and_slices) reads the checkpoint and Assign (TF1 reference
// variables) or AssignVariableOp (resource variables) stores each output
// in its variable. In TF2 SavedModels that op is a StatefulPartitionedCall
// of a __inference__traced_restore function whose arguments are the
// outer graph's VarHandleOps, and the serving signatures are calls whose
// trailing arguments are the same VarHandleOps (the captured variables).
// The Python loader (load.py) instead rebuilds the SavedObjectGraph's
// objects, binds each concrete function's captures to objects by the
// node ids in SavedConcreteFunction.bound_inputs, and restores
// SavedVariable objects by matching the object graph against the
// checkpoint's own TrackableObjectGraph (key _CHECKPOINTABLE_OBJECT_GRAPH,
// attribute VARIABLE_VALUE gives keys such as
// "layer_with_weights-0/kernel/.ATTRIBUTES/VARIABLE_VALUE").
//
// tfc follows the C++ loader, which works the same for every form here:
// it visits everything the restore op runs (inputs, control inputs, the
// whole body of every call), and for each Assign/AssignVariableOp follows
// the value back through Identity nodes to output k of a RestoreV2, whose
// tensor_names constant gives the key (its shape_and_slices entry must be
// empty: partitioned variables are not supported). The variable is the
// VarHandleOp (through Identity nodes and inlined arguments) or
// VariableV2 assigned to. A read of a variable the restore op does not
// assign is an error, as are a key missing from the checkpoint and a dtype
// or shape that differs between the variable's node and the checkpoint.
//
// # Weights
//
// The frozen graph's weight constants are placeholders for checkpoint
// tensors until needed (see Frozen): WriteBinary and WriteText stream the
// graph node by node, reading each weight just before writing it, and
// Frozen.Weight reads one weight straight into a tensor.Tensor for
// frontend/tf's Import (tf.Options.Weights), so weights are never held
// twice. Every read checks the tensor's CRC32C (package bundle).
//
// # Compared with TensorFlow's convert_variables_to_constants_v2
//
// The tests (testdata/savedmodels, written by testdata/gen/savedmodels.py)
// compare each frozen signature's op histogram with the one of
// TensorFlow's own frozen graph for the same signature; they are equal
// except for Identity and NoOp nodes, by design: TensorFlow keeps the
// Identity of every inlined function's returns and the NoOps that carried
// control dependencies, tfc drops control edges (so the NoOps) and adds an
// Identity per output named by its key (TensorFlow also adds Identity
// nodes for function inputs, "Func/.../input/_0", and turns the captured
// variables into constants named after the function's arguments, read
// through Identity nodes). Both name inlined nodes by their call path,
// TensorFlow's from inside the signature function
// ("StatefulPartitionedCall/MatMul"), tfc's from the outer graph's call
// node ("StatefulPartitionedCall_1/StatefulPartitionedCall/MatMul").
//
// # Not supported
//
// Control flow in functions (If, While, Case and their stateless forms;
// they are errors when the outputs need them), functions with list
// arguments or attribute placeholders (polymorphic functions), partitioned
// variables, V1 (pre-bundle) checkpoints, assets and lookup tables
// (string ops are left to the importer, which reports them as
// unsupported), sparse and composite signature tensors, and the TF2 init
// op (__saved_model_init_op, which is ignored).
package savedmodel
