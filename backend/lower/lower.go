// Package lower translates tfc IR into a TensorRT network through the
// trt.Network interface (the Recorder or the real TensorRT binding).
//
// # Model
//
// Lower walks the ops of a verified ir.Func in program order and adds, for
// each, the fewest TensorRT layers that compute exactly what the op's
// specification (ir/ops_*.go) says under TensorRT's documented semantics.
// Each op family has its file (conv.go, pool.go, elementwise.go, ...), each
// registering a rule per opcode: a check (can this op be lowered?) and a
// lowering. The lowering accepts any verified IR: the canonical form the
// pass pipeline produces (channels-first convs with folded batch norm and
// bias, keep_dims reductions, rank-equal elementwise operands) lowers to
// the fewest layers, anything else still lowers, with Shuffle layers where
// TensorRT needs equal ranks.
//
// Before adding anything, Lower checks every op and reports all that cannot
// be lowered at once (UnsupportedError); nothing falls back silently.
//
// Names: network inputs and outputs carry the TensorFlow tensor names of
// the IR inputs and outputs ("x:0"). Every layer is named after the Loc of
// the IR op it comes from (the TensorFlow node name): the layer computing
// the op's result gets the Loc itself, helper layers of a composition get
// the Loc plus a suffix ("conv1/Conv2D/pad"). Names are unique: a repeated
// name gets "#2", "#3", ... (a character TensorFlow node names cannot
// contain).
//
// Constants are added lazily, at their first use as a tensor: constants
// used only as convolution weights become Weights, not layers.
package lower

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/internal/listing"
	"github.com/tfc-dev/tfc/internal/strset"
	"github.com/tfc-dev/tfc/ir"
	"github.com/tfc-dev/tfc/tensor"
)

// rule is how one opcode is lowered.
type rule struct {
	// check, if set, reports why op cannot be lowered (nil: it can).
	check func(op *ir.Op) error
	// lower adds op's layers and records its results' tensors.
	lower func(l *lowerer, op *ir.Op) error
}

var rules = map[ir.Opcode]rule{}

// register records the rule of an opcode; each family file calls it from init.
func register(opc ir.Opcode, r rule) {
	if _, dup := rules[opc]; dup {
		panic("lower: opcode registered twice: " + opc.String())
	}
	rules[opc] = r
}

// Lower adds to net one input per IR input, the layers computing every op,
// and one output per IR output, and returns net.Err() or the first
// lowering error. f must verify and be canonical (the output of the pass
// pipeline; see canonical.go). Unlowerable and non-canonical ops are
// reported, all at once, as an *UnsupportedError before anything is added
// to net.
func Lower(f *ir.Func, net trt.Network) error {
	return lowerFunc(f, net, nil, Options{})
}

// LowerWith is Lower with lowering strategies other than the default
// (Options).
func LowerWith(f *ir.Func, net trt.Network, opts Options) error {
	return lowerFunc(f, net, nil, opts)
}

func lowerFunc(f *ir.Func, net trt.Network, sym map[*ir.Op]*ir.Op, opts Options) error {
	for _, op := range f.Inputs() {
		if t := op.Results[0].Type; t.Symbolic() {
			return fmt.Errorf("lower: input %q has symbolic type %v; use LowerDynamic with optimization profiles", op.Str("name"), t)
		}
	}
	if err := opts.check(); err != nil {
		return err
	}
	if err := Check(f); err != nil {
		return err
	}
	l := newLowerer(f, net)
	l.sym = sym
	l.opts = opts
	var rel *releaser
	if opts.Consume && sym == nil {
		rel = newReleaser(l)
	}
	for i, op := range f.Ops {
		if !l.skip[op] {
			if err := l.lowerOp(op); err != nil {
				return err
			}
		}
		if rel != nil {
			rel.drop(i, op)
		}
	}
	if err := l.markOutputs(f); err != nil {
		return err
	}
	if rel != nil {
		f.Ops = nil
	}
	return net.Err()
}

// lowerOp lowers one op of the Func and checks that each of its results
// has a tensor.
func (l *lowerer) lowerOp(op *ir.Op) error {
	if err := rules[op.Opcode].lower(l, op); err != nil {
		return fmt.Errorf("%s: %v", describe(op), err)
	}
	for _, r := range op.Results {
		if _, ok := l.lowered(r); !ok && op.Opcode != ir.OpConst && (len(op.Regions) == 0 || l.used(r)) {
			return fmt.Errorf("%s: internal error: result %d has no tensor", describe(op), r.Index)
		}
	}
	if err := l.net.Err(); err != nil {
		return fmt.Errorf("%s: %v", describe(op), err)
	}
	return nil
}

// describe names an op in errors: its Loc and opcode.
func describe(op *ir.Op) string {
	if op.Loc == "" {
		return fmt.Sprintf("op %s", op.Opcode)
	}
	return fmt.Sprintf("op %q (%s)", op.Loc, op.Opcode)
}

// UnsupportedError lists every op of a Func that cannot be lowered,
// grouped by opcode and reason.
type UnsupportedError struct {
	Ops []UnsupportedOp // sorted by opcode, then reason
}

// UnsupportedOp is one opcode and reason, and the ops (by Loc) it applies to.
type UnsupportedOp struct {
	Opcode string
	Reason string
	Locs   []string // in program order; "" for ops without a Loc
}

func (e *UnsupportedError) Error() string {
	var b strings.Builder
	n := 0
	for _, u := range e.Ops {
		n += len(u.Locs)
	}
	b.WriteString(listing.Count(n, "IR op") + " cannot be lowered to TensorRT:")
	for _, u := range e.Ops {
		fmt.Fprintf(&b, "\n  %s: %s", listing.Group(u.Opcode, u.Locs, "op"), u.Reason)
	}
	return b.String()
}

// Check reports, as an *UnsupportedError, every op of f that Lower cannot
// translate (unsupported, or not in the canonical form; see canonical.go),
// or returns nil.
func Check(f *ir.Func) error {
	type key struct{ opc, reason string }
	bad := map[key][]string{}
	canon := canonicalErrs(f)
	for _, op := range f.Ops {
		err := checkOp(op)
		if err == nil {
			err = canon[op]
		}
		if err == nil {
			continue
		}
		k := key{op.Opcode.String(), err.Error()}
		bad[k] = append(bad[k], op.Loc)
	}
	if len(bad) == 0 {
		return nil
	}
	e := &UnsupportedError{}
	for k, locs := range bad {
		e.Ops = append(e.Ops, UnsupportedOp{Opcode: k.opc, Reason: k.reason, Locs: locs})
	}
	sort.Slice(e.Ops, func(i, j int) bool {
		a, b := e.Ops[i], e.Ops[j]
		if a.Opcode != b.Opcode {
			return a.Opcode < b.Opcode
		}
		return a.Reason < b.Reason
	})
	return e
}

func checkOp(op *ir.Op) error {
	r, ok := rules[op.Opcode]
	if !ok {
		return fmt.Errorf("no TensorRT lowering for %s", op.Opcode)
	}
	for _, vs := range [2][]*ir.Value{op.Args, op.Results} {
		for _, v := range vs {
			if _, ok := trtType(v.Type.DType); !ok {
				return fmt.Errorf("element type %v has no TensorRT equivalent", v.Type.DType)
			}
			if v.Type.Rank() > trt.MaxDims {
				return fmt.Errorf("rank %d exceeds TensorRT's %d dimensions", v.Type.Rank(), trt.MaxDims)
			}
		}
	}
	if r.check != nil {
		return r.check(op)
	}
	return nil
}

// trtType maps an IR element type to TensorRT's.
func trtType(dt tensor.DType) (trt.DataType, bool) {
	t, err := trt.DataTypeOf(dt)
	return t, err == nil
}

func mustType(dt tensor.DType) trt.DataType {
	t, ok := trtType(dt)
	if !ok {
		panic("lower: unchecked element type " + dt.String())
	}
	return t
}

// lowerer holds the state of one Lower call.
type lowerer struct {
	net  trt.Network
	opts Options
	// sym maps each op of an instance of a symbolic Func (LowerDynamic)
	// to its op in that Func; nil for a static Func. A size that a layer
	// parameter would hold and that is symbolic there comes from a shape
	// tensor instead (dynSize), so both instances agree.
	sym   map[*ir.Op]*ir.Op
	fn    *ir.Func
	index map[*ir.Op]int // positions in fn of the ops without a Loc, for their names (built when needed)
	uses  []int32        // operand uses by value ID (see useCount)
	outs  map[*ir.Value]bool
	// skip holds ops another op's lowering absorbs (a transpose folded
	// into the Shuffle of the reshape that consumes it).
	skip map[*ir.Op]bool
	// fused holds the transposes and reshapes absorbed into the Shuffle
	// of their only consumer (also in skip).
	fused map[*ir.Op]bool
	vals  []trt.Tensor // by value ID, where has is set
	has   []bool
	// ranked caches values reshaped to a higher rank (by prepending 1s).
	ranked map[rankKey]trt.Tensor
	names  *strset.Set
	// nextSuffix is, per name, the next "#k" unique tries.
	nextSuffix map[string]int
	inputs     map[trt.Tensor]bool // network inputs
	marked     map[trt.Tensor]bool // tensors already marked as outputs
	// int8 holds the quantize results lowered as kINT8 IQuantizeLayer
	// outputs (planQDQ): their users are all IDequantizeLayers.
	int8 map[*ir.Value]bool
}

type rankKey struct {
	v    *ir.Value
	rank int
}

func newLowerer(f *ir.Func, net trt.Network) *lowerer {
	l := &lowerer{
		net: net,
		// Sized by the op count: a million-op function grows no table.
		fn:         f,
		uses:       make([]int32, f.NumValueIDs()),
		outs:       map[*ir.Value]bool{},
		skip:       map[*ir.Op]bool{},
		fused:      map[*ir.Op]bool{},
		vals:       make([]trt.Tensor, f.NumValueIDs()),
		has:        make([]bool, f.NumValueIDs()),
		ranked:     map[rankKey]trt.Tensor{},
		names:      strset.New(len(f.Ops)),
		nextSuffix: map[string]int{},
		inputs:     map[trt.Tensor]bool{},
		marked:     map[trt.Tensor]bool{},
		int8:       map[*ir.Value]bool{},
	}
	for _, op := range f.Ops {
		for _, a := range op.Args {
			if a.ID < 0 {
				continue
			}
			if a.ID >= len(l.uses) { // a value assembled by hand
				l.uses = append(l.uses, make([]int32, a.ID+1-len(l.uses))...)
			}
			l.uses[a.ID]++
		}
	}
	for _, o := range f.Outputs {
		l.outs[o.Value] = true
	}
	planQDQ(l, f)
	planShuffles(l, f)
	return l
}

// markOutputs names and marks one network output per IR output. A tensor
// that is a network input or already an output under another name is
// first copied by an Identity layer (TensorRT tensors have one name).
func (l *lowerer) markOutputs(f *ir.Func) error {
	for _, o := range f.Outputs {
		t := l.tensor(o.Value)
		if l.inputs[t] || l.marked[t] {
			id := l.net.AddIdentity(t)
			id.SetName(l.unique(o.Name + "/identity"))
			t = id.Output(0)
		}
		t.SetName(o.Name)
		l.net.MarkOutput(t)
		l.marked[t] = true
	}
	return nil
}

// unique returns name, or name#2, name#3, ... if taken, and reserves it.
// The search for a free suffix resumes where the last one for the same
// name stopped, so N layers named alike cost O(N), not O(N²).
func (l *lowerer) unique(name string) string {
	// The usual case, a new name, costs one hash: the insertion.
	if l.names.Add(name) {
		return name
	}
	k := max(l.nextSuffix[name], 2)
	n := name + "#" + strconv.Itoa(k)
	for ; !l.names.Add(n); n = name + "#" + strconv.Itoa(k) {
		k++
	}
	l.nextSuffix[name] = k + 1
	return n
}

// layerName is the name of a layer op adds: op's Loc (or "opcode@index"
// without one), plus "/suffix" for helper layers, made unique.
func (l *lowerer) layerName(op *ir.Op, suffix string) string {
	base := op.Loc
	if base == "" {
		if l.index == nil { // built at the first op without a Loc
			l.indexOps()
		}
		base = fmt.Sprintf("%s@%d", op.Opcode, l.index[op])
	}
	if suffix != "" {
		base += "/" + suffix
	}
	return l.unique(base)
}

// indexOps records the position in f.Ops of every op without a Loc
// (layerName names those by position), and makes l.index non-nil.
func (l *lowerer) indexOps() {
	l.index = map[*ir.Op]int{}
	for i, op := range l.fn.Ops {
		if op != nil && op.Loc == "" {
			l.index[op] = i
		}
	}
}

// named names layer after op (and suffix) and returns its first output.
func (l *lowerer) named(op *ir.Op, suffix string, layer trt.Layer) trt.Tensor {
	layer.SetName(l.layerName(op, suffix))
	return layer.Output(0)
}

// symbolicResult reports whether op's result is symbolic in the Func
// being lowered dynamically (always false for a static Func).
func (l *lowerer) symbolicResult(op *ir.Op) bool {
	s := l.sym[op]
	return s != nil && s.Results[0].Type.Symbolic()
}

// set records t as the tensor of v.
func (l *lowerer) set(v *ir.Value, t trt.Tensor) {
	if v.ID >= len(l.vals) { // a value assembled by hand
		l.vals = append(l.vals, make([]trt.Tensor, v.ID+1-len(l.vals))...)
		l.has = append(l.has, make([]bool, v.ID+1-len(l.has))...)
	}
	l.vals[v.ID], l.has[v.ID] = t, true // t may be nil (a region input no op reads)
}

// lowered returns v's tensor if v has been lowered.
func (l *lowerer) lowered(v *ir.Value) (trt.Tensor, bool) {
	if v.ID < 0 || v.ID >= len(l.vals) || !l.has[v.ID] {
		return nil, false
	}
	return l.vals[v.ID], true
}

// useCount returns the number of v's uses as an operand.
func (l *lowerer) useCount(v *ir.Value) int {
	if v.ID < 0 || v.ID >= len(l.uses) {
		return 0
	}
	return int(l.uses[v.ID])
}

// tensor returns v's tensor; constants get their Constant layer at first use.
func (l *lowerer) tensor(v *ir.Value) trt.Tensor {
	if t, ok := l.lowered(v); ok {
		return t
	}
	if v.Op.Opcode != ir.OpConst {
		panic(fmt.Sprintf("lower: %s used before it was lowered", describe(v.Op)))
	}
	t := l.constant(v.Op, "", v.Op.Tensor("value"), dims(v.Type.Shape))
	l.set(v, t)
	return t
}

// tensorRank returns v's tensor with rank r ≥ v's rank: the tensor itself,
// or reshaped with leading 1s (numpy broadcasting aligns trailing
// dimensions; TensorRT needs equal ranks). A constant is re-emitted with
// the new dimensions instead of reshaped; a reshape is shared between
// uses. op names the layers.
func (l *lowerer) tensorRank(op *ir.Op, v *ir.Value, r int) trt.Tensor {
	if v.Type.Rank() == r {
		return l.tensor(v)
	}
	k := rankKey{v, r}
	if t, ok := l.ranked[k]; ok {
		return t
	}
	d := make(trt.Dims, r)
	for i := range d {
		d[i] = 1
	}
	copy(d[r-v.Type.Rank():], dims(v.Type.Shape))
	t := l.tensorAs(op, "expand", v, d)
	l.ranked[k] = t
	return t
}

// tensorAs returns v's tensor reshaped to d (same volume): a constant used
// only here is emitted with dimensions d, anything else goes through a
// Shuffle named after op and suffix.
func (l *lowerer) tensorAs(op *ir.Op, suffix string, v *ir.Value, d trt.Dims) trt.Tensor {
	if _, done := l.lowered(v); !done && isConst(v) && l.useCount(v) == 1 && !l.outs[v] {
		return l.constant(v.Op, "", v.Op.Tensor("value"), d)
	}
	return l.reshape(op, suffix, l.tensor(v), d)
}

// sameRank returns the tensors of vs, all reshaped to the highest rank among them.
func (l *lowerer) sameRank(op *ir.Op, vs ...*ir.Value) []trt.Tensor {
	r := 0
	for _, v := range vs {
		r = max(r, v.Type.Rank())
	}
	ts := make([]trt.Tensor, len(vs))
	for i, v := range vs {
		ts[i] = l.tensorRank(op, v, r)
	}
	return ts
}

// constant adds a Constant layer holding t with dimensions d (same
// volume). IConstantLayer does not take kBOOL weights (NvInfer.h), so a
// bool constant is an i32 Constant of 0s and 1s and a Cast.
func (l *lowerer) constant(op *ir.Op, suffix string, t *tensor.Tensor, d trt.Dims) trt.Tensor {
	if t.DType == tensor.Bool {
		i := tensor.MustNew(tensor.Int32, t.Shape)
		for k, b := range t.B {
			if b {
				i.I32[k] = 1
			}
		}
		sub := "i32"
		if suffix != "" {
			sub = suffix + "/i32"
		}
		c := l.named(op, sub, l.net.AddConstant(d, weights(i)))
		return l.cast(op, suffix, c, trt.Bool)
	}
	return l.named(op, suffix, l.net.AddConstant(d, weights(t)))
}

// scalar adds a constant of dtype dt holding x, with rank dimensions of 1
// (so it broadcasts against any tensor of that rank).
func (l *lowerer) scalar(op *ir.Op, suffix string, dt tensor.DType, x float64, rank int) trt.Tensor {
	d := make(trt.Dims, rank)
	for i := range d {
		d[i] = 1
	}
	return l.constant(op, suffix, tensor.Scalar(dt, x), d)
}

// reshape adds a Shuffle reshaping t to d.
func (l *lowerer) reshape(op *ir.Op, suffix string, t trt.Tensor, d trt.Dims) trt.Tensor {
	return l.named(op, suffix, l.net.AddShuffle(t, trt.Shuffle{ReshapeDimensions: d}))
}

// transpose adds a Shuffle permuting t's dimensions.
func (l *lowerer) transpose(op *ir.Op, suffix string, t trt.Tensor, perm []int) trt.Tensor {
	return l.named(op, suffix, l.net.AddShuffle(t, trt.Shuffle{FirstTranspose: permutation(perm)}))
}

func (l *lowerer) elementwise(op *ir.Op, suffix string, a, b trt.Tensor, e trt.ElementWiseOperation) trt.Tensor {
	return l.named(op, suffix, l.net.AddElementWise(a, b, e))
}

func (l *lowerer) unary(op *ir.Op, suffix string, t trt.Tensor, u trt.UnaryOperation) trt.Tensor {
	return l.named(op, suffix, l.net.AddUnary(t, u))
}

func (l *lowerer) cast(op *ir.Op, suffix string, t trt.Tensor, dt trt.DataType) trt.Tensor {
	return l.named(op, suffix, l.net.AddCast(t, dt))
}

func (l *lowerer) reduce(op *ir.Op, suffix string, t trt.Tensor, r trt.ReduceOperation, axes []int, keep bool) trt.Tensor {
	return l.named(op, suffix, l.net.AddReduce(t, trt.Reduce{Operation: r, ReduceAxes: axisMask(axes), KeepDimensions: keep}))
}

// isConst reports whether v is defined by a const op.
func isConst(v *ir.Value) bool { return v.Op.Opcode == ir.OpConst }

// constValue returns the tensor of a const operand, or nil.
func constValue(v *ir.Value) *tensor.Tensor {
	if !isConst(v) {
		return nil
	}
	return v.Op.Tensor("value")
}

// dims converts an IR shape.
func dims(s tensor.Shape) trt.Dims {
	d := make(trt.Dims, len(s))
	for i, x := range s {
		d[i] = int64(x)
	}
	return d
}

func dimsOf(xs ...int) trt.Dims { return dims(tensor.Shape(xs)) }

func permutation(perm []int) trt.Permutation {
	p := make(trt.Permutation, len(perm))
	for i, x := range perm {
		p[i] = int32(x)
	}
	return p
}

// axisMask is TensorRT's axes bitmask (bit i: dimension i).
func axisMask(axes []int) uint32 {
	var m uint32
	for _, a := range axes {
		m |= 1 << uint(a)
	}
	return m
}

// weights converts a tensor to TensorRT weights of its element type,
// sharing the tensor's memory where the layouts agree (IR constants are
// never modified).
func weights(t *tensor.Tensor) trt.Weights {
	w, err := trt.WeightsView(t)
	if err != nil {
		panic("lower: " + err.Error()) // checked: constants hold data of a TensorRT type
	}
	return w
}

// alias makes op's result the tensor of its first operand (an op that
// computes nothing: identity transpose, full slice, ...). No layer.
func (l *lowerer) alias(op *ir.Op) {
	l.set(op.Result(), l.tensor(op.Args[0]))
}
