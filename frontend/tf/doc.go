// Package tf translates TensorFlow frozen graphs (GraphDef) into tfc's IR.
//
// # Model
//
// Import walks the nodes an output needs (data edges only; control edges
// are dropped, since a frozen inference graph has no side effects), in
// topological order, and hands each node to the converter registered for
// its op type. A converter reads the node's attributes, looks up the IR
// values of its inputs, emits IR ops through the Func builder (which infers
// and checks every result type), and binds the node's outputs to IR values.
// Every emitted op carries the node's name as its Loc.
//
// Shapes are static: placeholders get their shapes from the graph or from
// Options.InputShapes, and every IR value then has a known shape. Shape
// arithmetic in the graph (Shape, StridedSlice on shapes, Pack, Range, ...)
// is therefore evaluated during import: a converter that needs a constant
// operand (a reshape's target shape, a transpose's perm, a reduction's axes)
// asks for it with constInput, which evaluates the operand's IR with the
// reference interpreter's kernels (interp.EvalOp), the same kernels that
// run the model.
//
// # Files
//
// import.go holds the walk; registry.go the table from TF op type to
// converter; node.go attribute access and error wording; layout.go the
// NHWC/NCHW and padding helpers shared by the convolution-like ops. Each
// ops_*.go file translates one family of TensorFlow ops; the comment on
// each converter says what the TF op becomes.
//
// Graphs from the wild: a graph with a function library has its calls
// inlined first (savedmodel.InlineCalls, the freezing code); cut.go cuts
// the graph at any tensor Options.InputShapes names (an iterator's
// output, a PlaceholderWithDefault, the middle of a preprocessing
// subgraph); dropout.go folds a dropout whose keep mask is constant;
// controlflow.go names TF1/TF2 loops and conditionals in its refusal;
// candidates.go lists a graph's candidate inputs and outputs (tfc
// inspect).
//
// # Errors
//
// Before converting anything, Import checks that every needed node's op is
// registered and reports all unsupported ops at once, each with its count
// and node names. Errors about a node name it and its op:
//
//	node "conv1/Conv2D" (Conv2D): attribute "strides": want list(int), have string
package tf
