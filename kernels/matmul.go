package kernels

import (
	"fmt"

	"github.com/tfc-dev/tfc/tensor"
)

// MatMul computes the batched matrix product of a [..., M, K] and
// b [..., K, N] (stored as [..., K, M] if transA, [..., N, K] if transB).
// Both have rank ≥ 2 and one dtype (f32, f16, bf16, i32, i64); the batch
// dimensions broadcast as in numpy. The result is [batch..., M, N]. Floats
// accumulate in float32.
func MatMul(a, b *tensor.Tensor, transA, transB bool) (*tensor.Tensor, error) {
	if err := checkTensor("operand 0", a); err != nil {
		return nil, fmt.Errorf("matmul: %v", err)
	}
	if err := checkTensor("operand 1", b); err != nil {
		return nil, fmt.Errorf("matmul: %v", err)
	}
	if err := sameDType(a, b); err != nil {
		return nil, fmt.Errorf("matmul: %v", err)
	}
	if err := checkDType("operand", a, numericTypes...); err != nil {
		return nil, fmt.Errorf("matmul: %v", err)
	}
	ra, rb := len(a.Shape), len(b.Shape)
	if ra < 2 || rb < 2 {
		return nil, fmt.Errorf("matmul: operands %v and %v: want rank ≥ 2", a.Shape, b.Shape)
	}
	m, ka := a.Shape[ra-2], a.Shape[ra-1]
	if transA {
		m, ka = ka, m
	}
	kb, n := b.Shape[rb-2], b.Shape[rb-1]
	if transB {
		kb, n = n, kb
	}
	if ka != kb {
		return nil, fmt.Errorf("matmul: contracting dimensions differ: %v (K=%d) and %v (K=%d)", a.Shape, ka, b.Shape, kb)
	}
	k := ka
	batch, err := tensor.BroadcastShapes(a.Shape[:ra-2], b.Shape[:rb-2])
	if err != nil {
		return nil, fmt.Errorf("matmul: batch dimensions: %v", err)
	}
	out, err := tensor.New(a.DType, append(batch.Clone(), m, n))
	if err != nil {
		return nil, fmt.Errorf("matmul: %v", err)
	}
	offA, offB := batchOffsets(batch, a.Shape[:ra-2], b.Shape[:rb-2])
	sizeA, sizeB := m*k, k*n
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	one := func(i int) {
		oa, ob, oc := offA[i]*sizeA, offB[i]*sizeB, i*m*n
		switch a.DType.Storage() {
		case tensor.StoreF32:
			sgemm(m, n, k,
				matrix{data: a.F32[oa : oa+sizeA], ld: lda, trans: transA},
				matrix{data: b.F32[ob : ob+sizeB], ld: ldb, trans: transB},
				out.F32[oc:oc+m*n], n, false)
		case tensor.StoreI32:
			intMatMul(out.I32[oc:oc+m*n], a.I32[oa:oa+sizeA], b.I32[ob:ob+sizeB], m, n, k, transA, transB)
		case tensor.StoreI64:
			intMatMul(out.I64[oc:oc+m*n], a.I64[oa:oa+sizeA], b.I64[ob:ob+sizeB], m, n, k, transA, transB)
		}
	}
	if flops := 2 * m * n * k; flops < gemm64Flops {
		// Small matrices: one goroutine per range of the batch (big
		// ones are parallelised inside sgemm).
		parallelFor(len(offA), flops, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				one(i)
			}
		})
	} else {
		for i := range offA {
			one(i)
		}
	}
	return finish(out), nil
}

// batchOffsets lists, for every batch index of the broadcast shape out (in
// row-major order), the matching batch (matrix) index of operands of
// batch shapes sa and sb.
func batchOffsets(out, sa, sb tensor.Shape) (offA, offB []int) {
	total := out.Size()
	offA, offB = make([]int, 0, total), make([]int, 0, total)
	it := newRowIter(out, broadcastStrides(sa, out), broadcastStrides(sb, out))
	it.run(func(o int, offs []int, n int) {
		for j := range n {
			offA = append(offA, offs[0]+j*it.inner[0])
			offB = append(offB, offs[1]+j*it.inner[1])
		}
	})
	return offA, offB
}

func intMatMul[T integer](c, a, b []T, m, n, k int, transA, transB bool) {
	for i := range m {
		for j := range n {
			var s T
			for p := range k {
				var x, y T
				if transA {
					x = a[p*m+i]
				} else {
					x = a[i*k+p]
				}
				if transB {
					y = b[j*k+p]
				} else {
					y = b[p*n+j]
				}
				s += x * y
			}
			c[i*n+j] = s
		}
	}
}
