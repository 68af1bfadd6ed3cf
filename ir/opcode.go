package ir

import (
	"fmt"
	"sort"
)

// Opcode identifies an operation. The specification of each opcode (its
// operands, attributes, result type rule and semantics) is the doc comment
// on its type rule in the file of its family:
//
//	ops_source.go       input, const
//	ops_elementwise.go  binary arithmetic, comparison, logic, select
//	ops_unary.go        unary math and activations
//	ops_cast.go         cast
//	ops_conv.go         conv, conv_transpose
//	ops_matmul.go       matmul, einsum
//	ops_pool.go         pool
//	ops_reduce.go       reduce, argmax, argmin, topk, softmax, log_softmax
//	ops_layout.go       reshape, transpose, concat, slice, pad, tile, broadcast, gather
//	ops_gather_nd.go    gather_nd, scatter_nd, nonzero (a data-dependent shape)
//	ops_scan.go         cumulative
//	ops_resize.go       resize
//	ops_quant.go        quantize, dequantize
//	ops_shape.go        shape, dynamic_reshape, dynamic_broadcast, dynamic_tile, range, dynamic_resize (shape values)
//	ops_control.go      while, if (ops with regions)
type Opcode uint16

// The opcodes. Their text-form names are in OpInfo.Name.
const (
	OpInvalid Opcode = iota

	// ops_source.go
	OpInput
	OpConst

	// ops_elementwise.go: binary, numpy broadcasting
	OpAdd
	OpSub
	OpMul
	OpDiv
	OpFloorDiv
	OpFloorMod
	OpPow
	OpMax
	OpMin
	OpEqual
	OpNotEqual
	OpLess
	OpLessEqual
	OpGreater
	OpGreaterEqual
	OpAnd
	OpOr
	OpXor
	OpSelect
	OpPRelu

	// ops_unary.go
	OpNot
	OpNeg
	OpAbs
	OpSign
	OpExp
	OpExpm1
	OpLog
	OpLog1p
	OpSqrt
	OpRsqrt
	OpReciprocal
	OpSin
	OpCos
	OpTan
	OpAsin
	OpAcos
	OpAtan
	OpSinh
	OpCosh
	OpAsinh
	OpAcosh
	OpAtanh
	OpErf
	OpErfc
	OpFloor
	OpCeil
	OpRound
	OpTanh
	OpSigmoid
	OpSoftplus
	OpSoftsign
	OpRelu
	OpClamp
	OpLeakyRelu
	OpElu
	OpSelu
	OpHardSigmoid
	OpGelu

	// ops_cast.go
	OpCast

	// ops_conv.go
	OpConv
	OpConvTranspose

	// ops_matmul.go
	OpMatMul
	OpEinsum

	// ops_pool.go
	OpPool

	// ops_reduce.go
	OpReduce
	OpArgMax
	OpArgMin
	OpTopK
	OpSoftmax
	OpLogSoftmax
	OpL2Normalize

	// ops_layout.go
	OpReshape
	OpTranspose
	OpConcat
	OpSlice
	OpPad
	OpTile
	OpBroadcast
	OpGather
	OpGatherND
	OpScatterND
	OpNonZero

	// ops_scan.go
	OpCumulative

	// ops_resize.go
	OpResize
	OpCropAndResize

	// ops_nms.go
	OpNonMaxSuppression
	OpCombinedNonMaxSuppression

	// ops_quant.go
	OpQuantize
	OpDequantize

	// ops_shape.go
	OpShape
	OpDynamicReshape
	OpDynamicBroadcast
	OpDynamicTile
	OpRange
	OpDynamicResize
	OpDynamicSlice

	// ops_control.go: ops with regions
	OpWhile
	OpIf

	numOpcodes
)

// OpInfo is the static description of an opcode.
type OpInfo struct {
	Name    string // text-form mnemonic, e.g. "conv"
	Family  string // the ops_*.go file that specifies it, e.g. "conv"
	Summary string // one line, for listings
	// MinArgs and MaxArgs bound the number of operands; MaxArgs -1 means
	// variadic.
	MinArgs, MaxArgs int
	// NumResults is the number of results; -1 means as many as the
	// type rule gives (ops with regions).
	NumResults int
	// NumRegions is the number of regions (nested Funcs, Op.Regions)
	// every op of the opcode owns; 0 for ordinary ops.
	NumRegions int
	Attrs      []AttrSpec
	// Symbolic marks a type rule written for symbolic operands (it reads
	// dimension expressions itself); other rules reach symbolic operands
	// through inferSymbolic's probing.
	Symbolic bool
	// Infer checks the operands and attributes (already checked for
	// count and kind) and returns the result types.
	Infer func(op *Op) ([]Type, error)
}

// Attr returns the spec of the named attribute, or nil.
func (info *OpInfo) Attr(name string) *AttrSpec {
	for i := range info.Attrs {
		if info.Attrs[i].Name == name {
			return &info.Attrs[i]
		}
	}
	return nil
}

var opInfos [numOpcodes]OpInfo

// register records an opcode's description; family files call it from init.
func register(opc Opcode, info OpInfo) {
	if opInfos[opc].Name != "" {
		panic("ir: opcode registered twice: " + info.Name)
	}
	opInfos[opc] = info
}

// Info returns opc's description. Invalid opcodes get an empty OpInfo.
func (opc Opcode) Info() *OpInfo {
	if opc >= numOpcodes {
		return &opInfos[OpInvalid]
	}
	return &opInfos[opc]
}

func (opc Opcode) String() string {
	if n := opc.Info().Name; n != "" {
		return n
	}
	return fmt.Sprintf("Opcode(%d)", uint16(opc))
}

// LookupOpcode finds an opcode by its text-form name.
func LookupOpcode(name string) (Opcode, bool) {
	for i := range opInfos {
		if opInfos[i].Name == name && name != "" {
			return Opcode(i), true
		}
	}
	return OpInvalid, false
}

// Opcodes returns every opcode, sorted by family then name.
func Opcodes() []Opcode {
	var ops []Opcode
	for i := 1; i < int(numOpcodes); i++ {
		if opInfos[i].Name != "" {
			ops = append(ops, Opcode(i))
		}
	}
	sort.SliceStable(ops, func(i, j int) bool {
		a, b := ops[i].Info(), ops[j].Info()
		if a.Family != b.Family {
			return a.Family < b.Family
		}
		return a.Name < b.Name
	})
	return ops
}

// InferTypes checks op's operand count, attributes and operand types
// against its opcode's rules and returns the types its results must have.
func InferTypes(op *Op) ([]Type, error) {
	info := op.Opcode.Info()
	if info.Name == "" {
		return nil, fmt.Errorf("invalid opcode %d", op.Opcode)
	}
	if n := len(op.Args); n < info.MinArgs || (info.MaxArgs >= 0 && n > info.MaxArgs) {
		switch {
		case info.MinArgs == info.MaxArgs:
			return nil, fmt.Errorf("%s takes %d operands, has %d", info.Name, info.MinArgs, n)
		case info.MaxArgs < 0:
			return nil, fmt.Errorf("%s takes at least %d operands, has %d", info.Name, info.MinArgs, n)
		default:
			return nil, fmt.Errorf("%s takes %d to %d operands, has %d", info.Name, info.MinArgs, info.MaxArgs, n)
		}
	}
	for i, a := range op.Args {
		if a == nil {
			return nil, fmt.Errorf("%s: operand %d is nil", info.Name, i)
		}
	}
	if err := checkAttrs(op); err != nil {
		return nil, fmt.Errorf("%s: %v", info.Name, err)
	}
	if info.NumRegions == 0 && len(op.Regions) > 0 {
		return nil, fmt.Errorf("%s: has %d regions, takes none", info.Name, len(op.Regions))
	}
	if info.NumRegions > 0 {
		// Control flow: the rule checks the regions and rejects
		// symbolic operands itself.
		types, err := info.Infer(op)
		if err == nil {
			err = knownOperands(op)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %v", info.Name, err)
		}
		return types, nil
	}
	for _, a := range op.Args {
		if a.Type.Symbolic() && !info.Symbolic {
			types, err := inferSymbolic(op, info)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", info.Name, err)
			}
			return types, nil
		}
	}
	if err := knownOperands(op); err != nil {
		return nil, fmt.Errorf("%s: %v", info.Name, err)
	}
	types, err := info.Infer(op)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", info.Name, err)
	}
	if info.NumResults >= 0 && len(types) != info.NumResults {
		return nil, fmt.Errorf("%s: type rule gave %d results, want %d", info.Name, len(types), info.NumResults)
	}
	for _, t := range types {
		if t.Symbolic() {
			if err := checkSymbolicType(t); err != nil {
				return nil, fmt.Errorf("%s: result %v: %v", info.Name, t, err)
			}
			continue
		}
		if _, err := t.Shape.NumElements(); err != nil {
			return nil, fmt.Errorf("%s: result %v: %v", info.Name, t, err)
		}
	}
	return types, nil
}
