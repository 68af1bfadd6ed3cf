package kernels

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// TestNoPanics calls every kernel with random, mostly invalid, arguments:
// shapes with empty and mismatched dimensions, wrong dtypes, bad
// parameters. Kernels must return errors, never panic.
func TestNoPanics(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	dts := []tensor.DType{tensor.Float32, tensor.Float16, tensor.Int32, tensor.Int64, tensor.Bool, tensor.Int8, tensor.Float64}
	shape := func(rank int) tensor.Shape {
		s := make(tensor.Shape, rank)
		for i := range s {
			s[i] = r.Intn(4)
		}
		return s
	}
	tens := func() *tensor.Tensor {
		dt := dts[r.Intn(len(dts))]
		if r.Intn(2) == 0 {
			dt = tensor.Float32
		}
		t := tensor.MustNew(dt, shape(r.Intn(5)))
		for i := range t.Len() {
			switch dt.Storage() {
			case tensor.StoreF32:
				t.F32[i] = float32(r.NormFloat64())
			case tensor.StoreI32:
				t.I32[i] = int32(r.Intn(7) - 2)
			case tensor.StoreI64:
				t.I64[i] = int64(r.Intn(7) - 2)
			case tensor.StoreBool:
				t.B[i] = r.Intn(2) == 0
			}
		}
		return t
	}
	ints := func(n, lo, hi int) []int {
		v := make([]int, n)
		for i := range v {
			v[i] = lo + r.Intn(hi-lo+1)
		}
		return v
	}
	randLen := func() int { return r.Intn(5) }
	calls := []func(a, b, c *tensor.Tensor){
		func(a, b, c *tensor.Tensor) { Binary(BinaryOp(r.Intn(10)), a, b) },
		func(a, b, c *tensor.Tensor) { Compare(CompareOp(r.Intn(7)), a, b) },
		func(a, b, c *tensor.Tensor) { Logic(LogicOp(r.Intn(4)), a, b) },
		func(a, b, c *tensor.Tensor) { Select(a, b, c) },
		func(a, b, c *tensor.Tensor) {
			Unary(UnaryOp(r.Intn(int(numUnary)+1)), a, UnaryParams{Min: -1, Max: 1, Alpha: 0.1})
		},
		func(a, b, c *tensor.Tensor) { Cast(a, dts[r.Intn(len(dts))]) },
		func(a, b, c *tensor.Tensor) { Reshape(a, shape(r.Intn(4))) },
		func(a, b, c *tensor.Tensor) { Transpose(a, ints(randLen(), -1, 4)) },
		func(a, b, c *tensor.Tensor) { Concat(r.Intn(5)-1, a, b) },
		func(a, b, c *tensor.Tensor) {
			Slice(a, ints(randLen(), -1, 3), ints(randLen(), -1, 3), ints(randLen(), -2, 2))
		},
		func(a, b, c *tensor.Tensor) { Pad(a, PadMode(r.Intn(5)), ints(2*randLen(), -1, 3), 1) },
		func(a, b, c *tensor.Tensor) { Tile(a, ints(randLen(), -1, 3)) },
		func(a, b, c *tensor.Tensor) { Broadcast(a, shape(r.Intn(5))) },
		func(a, b, c *tensor.Tensor) { Gather(a, b, r.Intn(5)-1, r.Intn(3)-1) },
		func(a, b, c *tensor.Tensor) { Reduce(a, ReduceKind(r.Intn(8)), ints(randLen(), -1, 4), r.Intn(2) == 0) },
		func(a, b, c *tensor.Tensor) { ArgMax(a, r.Intn(5)-1, false, dts[r.Intn(len(dts))]) },
		func(a, b, c *tensor.Tensor) { TopK(a, r.Intn(5)-1, r.Intn(4)) },
		func(a, b, c *tensor.Tensor) { Softmax(a, r.Intn(5)-1) },
		func(a, b, c *tensor.Tensor) { MatMul(a, b, r.Intn(2) == 0, r.Intn(2) == 0) },
		func(a, b, c *tensor.Tensor) {
			eqs := []string{"ij,jk->ik", "i->", "ab,b->a", "abc->cba", "ij,ij->ij", "->", "i,i->i"}
			Einsum(eqs[r.Intn(len(eqs))], a, b)
		},
		func(a, b, c *tensor.Tensor) {
			s := randLen()
			p := ConvParams{Strides: ints(s, 0, 2), Dilations: ints(s, 0, 2), PadsBegin: ints(s, -1, 2), PadsEnd: ints(s, -1, 2), Groups: r.Intn(3)}
			if r.Intn(2) == 0 {
				Conv(a, b, c, p)
			} else {
				ConvTranspose(a, b, c, p)
			}
		},
		func(a, b, c *tensor.Tensor) {
			s := randLen()
			Pool(a, PoolParams{Kind: PoolKind(r.Intn(3)), Window: ints(s, 0, 3), Strides: ints(s, 0, 2), PadsBegin: ints(s, -1, 2), PadsEnd: ints(s, -1, 2), CountIncludePad: r.Intn(2) == 0})
		},
		func(a, b, c *tensor.Tensor) {
			Resize(a, ResizeParams{Mode: ResizeMode(r.Intn(3)), Coord: CoordMode(r.Intn(5)), Rounding: NearestRounding(r.Intn(5)), Shape: shape(r.Intn(5))})
		},
	}
	for i := range 20000 {
		k := i % len(calls)
		a, b, c := tens(), tens(), tens()
		if r.Intn(3) == 0 {
			b.Shape = a.Shape.Clone()
			b, _ = Cast(tensor.MustNew(tensor.Float32, a.Shape), a.DType)
		}
		if r.Intn(8) == 0 {
			a.Shape = append(a.Shape.Clone(), 2) // inconsistent storage
		}
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("call %d with %v %v %v panicked: %v", k, a, b, c, fmt.Sprint(e))
				}
			}()
			calls[k](a, b, c)
		}()
	}
}
