package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// Element-type classes accepted by the kernels. Float kernels compute in
// float32 and round their results to the tensor's dtype (f16, bf16).
// Integer arithmetic is done on i32 and i64 storage with Go's two's
// complement wrapping; the narrow integer types (i8, i16, u8, u16, u32)
// are accepted only by kernels that merely move data (layout, gather,
// cast source), since arithmetic on them would need re-wrapping.
var (
	floatTypes   = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16}
	numericTypes = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64}
	compareTypes = []tensor.DType{tensor.Float32, tensor.Float16, tensor.BFloat16, tensor.Int32, tensor.Int64, tensor.Bool}
	boolTypes    = []tensor.DType{tensor.Bool}
	indexTypes   = []tensor.DType{tensor.Int32, tensor.Int64}
)

// checkDType returns an error unless t's element type is one of allowed.
func checkDType(what string, t *tensor.Tensor, allowed ...tensor.DType) error {
	if t == nil {
		return fmt.Errorf("%s is nil", what)
	}
	for _, a := range allowed {
		if t.DType == a {
			return nil
		}
	}
	return fmt.Errorf("%s has unsupported element type %v (want one of %v)", what, t.DType, allowed)
}

// checkTensor checks t is non-nil, consistent and of a dtype with storage.
func checkTensor(what string, t *tensor.Tensor) error {
	if t == nil {
		return fmt.Errorf("%s is nil", what)
	}
	if err := t.Check(); err != nil {
		return fmt.Errorf("%s: %v", what, err)
	}
	return nil
}

// isFloat reports whether t is stored as float32.
func isFloat(t *tensor.Tensor) bool { return t.DType.Storage() == tensor.StoreF32 }

// finish rounds a float result to its dtype's precision and returns it.
func finish(t *tensor.Tensor) *tensor.Tensor {
	t.RoundToDType()
	return t
}

// sameDType requires all tensors to share one element type.
func sameDType(ts ...*tensor.Tensor) error {
	for i, t := range ts[1:] {
		if t.DType != ts[0].DType {
			return fmt.Errorf("operand %d has element type %v, operand 0 has %v", i+1, t.DType, ts[0].DType)
		}
	}
	return nil
}
