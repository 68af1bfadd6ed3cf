package kernels

import (
	"runtime"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Single-precision GEMM. The float32 matrix products of conv, conv
// transpose, matmul and einsum all go through sgemm. Large products use
// the packed AVX2+FMA SGEMM of gemm_packed.go where the CPU has it, and
// otherwise gonum's blas32 (a cache-blocked, goroutine-parallel SGEMM
// whose inner loops are SSE assembly). See the package comment.

// matrix is a row-major float32 matrix view; trans means the logical
// matrix is the transpose of the stored one.
type matrix struct {
	data  []float32
	ld    int // row stride of the stored matrix
	trans bool

	// packed, when not nil, is the matrix packed whole by packAll for
	// the packed SGEMM's kernel (data is then unused).
	packed []float32

	// gather, when not nil, computes the matrix instead (the packed
	// SGEMM's B only, not transposed; data is then unused): it sets dst
	// to the elements [j0, j0+len(dst)) of row p. It may be called
	// concurrently.
	gather func(p, j0 int, dst []float32)
}

// at returns the logical element (i, j).
func (m matrix) at(i, j int) float32 {
	if m.trans {
		return m.data[j*m.ld+i]
	}
	return m.data[i*m.ld+j]
}

// sgemm computes C = A·B (accumulate=false) or C += A·B, with A m×k, B k×n
// and C m×n row-major with row stride ldc. Small products (under
// gemm64Flops) accumulate in float64 and are rounded once; larger ones
// accumulate in float32 (FMA chains in the packed kernel; SSE dot
// products with interleaved partial sums in gonum's).
func sgemm(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	if m == 0 || n == 0 {
		return
	}
	if k == 0 {
		if !accumulate {
			for i := range m {
				clear(c[i*ldc : i*ldc+n])
			}
		}
		return
	}
	if 2*m*n*k < gemm64Flops {
		dgemmSmall(m, n, k, a, b, c, ldc, accumulate)
		return
	}
	if haveSgemmKernel {
		sgemmPacked(m, n, k, a, b, c, ldc, accumulate)
		return
	}
	// gonum's fastest form is C = A·Bᵀ with both operands stored
	// row-major along k (its inner loop is then an SSE dot product):
	// about 1.5-4x the speed of the other forms for conv- and
	// matmul-sized products. Copy the operands into that form when the
	// product is big enough to pay for the copy.
	if 2*m*n*k >= 1<<20 {
		if !b.trans {
			bt := make([]float32, n*k)
			transposeMatrix(bt, b.data, k, n, b.ld)
			b = matrix{data: bt, ld: k, trans: true}
		}
		if a.trans {
			at := make([]float32, m*k)
			transposeMatrix(at, a.data, k, m, a.ld)
			a = matrix{data: at, ld: k}
		}
	}
	ta, tb := blas.NoTrans, blas.NoTrans
	if a.trans {
		ta = blas.Trans
	}
	if b.trans {
		tb = blas.Trans
	}
	beta := float32(0)
	if accumulate {
		beta = 1
	}
	// gonum checks that every slice covers its matrix exactly up to the
	// last element; trim the views accordingly.
	rowsA, colsA := m, k
	if a.trans {
		rowsA, colsA = k, m
	}
	rowsB, colsB := k, n
	if b.trans {
		rowsB, colsB = n, k
	}
	blas32.Implementation().Sgemm(ta, tb, m, n, k, 1,
		a.data[:(rowsA-1)*a.ld+colsA], a.ld,
		b.data[:(rowsB-1)*b.ld+colsB], b.ld,
		beta, c[:(m-1)*ldc+n], ldc)
}

// gemm64Flops is the size (2mnk) below which products accumulate in
// float64: small products cost little either way, and a correctly rounded
// result halves the expected difference from TensorFlow's own float32
// sums, which matters for the small test cases compared at rtol 1e-5.
const gemm64Flops = 1 << 22

// dgemmSmall is sgemm computed in float64 and rounded once: through the
// micro-kernel of dgemm_small.go where the CPU has it and C has a few
// columns, else with plain loops (no operand copies, so matrix-vector
// products stay cheap). Both give the same bits.
func dgemmSmall(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	if haveSgemmKernel && n >= 8 {
		dgemmTiled(m, n, k, a, b, c, ldc, accumulate)
		return
	}
	dgemmLoops(m, n, k, a, b, c, ldc, accumulate)
}

// dgemmLoops is dgemmSmall with plain loops.
func dgemmLoops(m, n, k int, a, b matrix, c []float32, ldc int, accumulate bool) {
	acc := make([]float64, n)
	arow := make([]float64, k)
	for i := range m {
		for p := range arow {
			arow[p] = float64(a.at(i, p))
		}
		if b.trans {
			for j := range acc {
				brow := b.data[j*b.ld : j*b.ld+k]
				var s float64
				for p, bv := range brow {
					s += arow[p] * float64(bv)
				}
				acc[j] = s
			}
		} else {
			clear(acc)
			for p, av := range arow {
				brow := b.data[p*b.ld : p*b.ld+n]
				for j, bv := range brow {
					acc[j] += av * float64(bv)
				}
			}
		}
		row := c[i*ldc : i*ldc+n]
		for j, v := range acc {
			if accumulate {
				v += float64(row[j])
			}
			row[j] = float32(v)
		}
	}
}

// transposeMatrix writes the transpose of the rows×cols matrix src (row
// stride ld) to dst (cols×rows, dense), in cache-sized tiles.
func transposeMatrix(dst, src []float32, rows, cols, ld int) {
	nb := (rows + transposeTile - 1) / transposeTile
	parallelFor(nb, transposeTile*cols, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			i0 := b * transposeTile
			transposeRows(dst, src, rows, cols, ld, i0, min(i0+transposeTile, rows))
		}
	})
}

// parallelFor runs fn(i) for i in [0, n) on up to GOMAXPROCS goroutines,
// each taking a contiguous range. cost is a rough number of operations
// per i; tiny loops run inline.
func parallelFor(n int, cost int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 || n*cost < parallelMin {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

// parallelMin is the total cost below which parallelFor runs inline.
var parallelMin = 1 << 18
