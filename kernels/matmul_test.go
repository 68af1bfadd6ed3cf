package kernels

import (
	"math/rand"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestMatMulSmall(t *testing.T) {
	a := iota32(2, 3) // [[0 1 2] [3 4 5]]
	id := f32([]int{3, 3}, 1, 0, 0, 0, 1, 0, 0, 0, 1)
	got, err := MatMul(a, id, false, false)
	expect(t, got, err, a)
	ones := f32([]int{2, 3}, 1, 1, 1, 1, 1, 1)
	got, err = MatMul(a, ones, false, true) // row sums
	expect(t, got, err, f32([]int{2, 2}, 3, 3, 12, 12))
	got, err = MatMul(ones, a, true, false) // column sums, repeated
	expect(t, got, err, f32([]int{3, 3}, 3, 5, 7, 3, 5, 7, 3, 5, 7))
	// Batch broadcasting: [2,1,2,3] x [3,3] -> [2,1,2,3].
	got, err = MatMul(iota32(2, 1, 2, 3), id, false, false)
	expect(t, got, err, iota32(2, 1, 2, 3))
	// Integers.
	got, err = MatMul(i32([]int{1, 2}, 2, 3), i32([]int{2, 1}, 4, 5), false, false)
	expect(t, got, err, i32([]int{1, 1}, 23))
	if _, err := MatMul(a, a, false, false); err == nil {
		t.Fatal("K mismatch accepted")
	}
}

func TestMatMulAgainstNaive(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for range 40 {
		m, n, k := 1+r.Intn(90), 1+r.Intn(90), 1+r.Intn(200)
		ta, tb := r.Intn(2) == 1, r.Intn(2) == 1
		as, bs := []int{3, m, k}, []int{1, k, n}
		if ta {
			as = []int{3, k, m}
		}
		if tb {
			bs = []int{1, n, k}
		}
		a, b := randTensor(r, as...), randTensor(r, bs...)
		got, err := MatMul(a, b, ta, tb)
		if err != nil {
			t.Fatal(err)
		}
		want := tensor.MustNew(tensor.Float32, tensor.Shape{3, m, n})
		for bi := range 3 {
			am := matrix{data: a.F32[bi*m*k:], ld: k, trans: ta}
			if ta {
				am.ld = m
			}
			bm := matrix{data: b.F32, ld: n, trans: tb}
			if tb {
				bm.ld = k
			}
			copy(want.F32[bi*m*n:], naiveGemm(m, n, k, am, bm))
		}
		closeTo(t, "matmul", got, want)
	}
}

func TestEinsum(t *testing.T) {
	a, b := iota32(2, 3), iota32(3, 2)
	mm, _ := MatMul(a, b, false, false)
	got, err := Einsum("ij,jk->ik", a, b)
	expect(t, got, err, mm)
	got, err = Einsum("ij->ji", a)
	tr, _ := Transpose(a, []int{1, 0})
	expect(t, got, err, tr)
	got, err = Einsum("ij->", a)
	expect(t, got, err, f32([]int{}, 15))
	got, err = Einsum("ij,ij->i", a, a) // row dot products
	expect(t, got, err, f32([]int{2}, 0+1+4, 9+16+25))
	got, err = Einsum("i,j->ij", f32([]int{2}, 1, 2), f32([]int{2}, 3, 4))
	expect(t, got, err, f32([]int{2, 2}, 3, 4, 6, 8))
	// Three operands and a batch letter: (a·b) with a diagonal scale.
	got, err = Einsum("bij,bjk,bk->bik", iota32(1, 2, 2), f32([]int{1, 2, 2}, 1, 0, 0, 1), f32([]int{1, 2}, 10, 100))
	expect(t, got, err, f32([]int{1, 2, 2}, 0, 100, 20, 300))
	for _, bad := range []string{"ij,jk", "ij,jk->il", "ii->i", "i.j->ij", "ijk,jk->ik"} {
		if _, err := Einsum(bad, a, b); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestResize(t *testing.T) {
	x := f32([]int{1, 2}, 0, 10)
	got, err := Resize(x, ResizeParams{Mode: ResizeLinear, Coord: CoordAlignCorners, Shape: tensor.Shape{1, 3}})
	expect(t, got, err, f32([]int{1, 3}, 0, 5, 10))
	got, err = Resize(x, ResizeParams{Mode: ResizeLinear, Coord: CoordHalfPixel, Shape: tensor.Shape{1, 4}})
	expect(t, got, err, f32([]int{1, 4}, 0, 2.5, 7.5, 10))
	got, err = Resize(x, ResizeParams{Mode: ResizeLinear, Coord: CoordAsymmetric, Shape: tensor.Shape{1, 4}})
	expect(t, got, err, f32([]int{1, 4}, 0, 5, 10, 10))
	got, err = Resize(x, ResizeParams{Mode: ResizeNearest, Coord: CoordAsymmetric, Rounding: RoundFloor, Shape: tensor.Shape{2, 4}})
	expect(t, got, err, f32([]int{2, 4}, 0, 0, 10, 10, 0, 0, 10, 10))
	y := i32([]int{3}, 1, 2, 3)
	got, err = Resize(y, ResizeParams{Mode: ResizeNearest, Coord: CoordHalfPixel, Rounding: RoundPreferCeil, Shape: tensor.Shape{2}})
	// c = (o+0.5)*1.5-0.5: 0.25, 1.75 -> 0, 2
	expect(t, got, err, i32([]int{2}, 1, 3))
	got, err = Resize(y, ResizeParams{Mode: ResizeNearest, Coord: CoordAlignCorners, Rounding: RoundPreferFloor, Shape: tensor.Shape{5}})
	// c = o*0.5: 0, 0.5, 1, 1.5, 2 -> 0, 0, 1, 1, 2
	expect(t, got, err, i32([]int{5}, 1, 1, 2, 2, 3))
	// Bilinear 2-D: along width, then height.
	img := f32([]int{1, 1, 2, 2}, 0, 1, 2, 3)
	got, err = Resize(img, ResizeParams{Mode: ResizeLinear, Coord: CoordAlignCorners, Shape: tensor.Shape{1, 1, 3, 3}})
	expect(t, got, err, f32([]int{1, 1, 3, 3}, 0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3))
	if _, err := Resize(y, ResizeParams{Mode: ResizeLinear, Shape: tensor.Shape{2}}); err == nil {
		t.Fatal("linear resize of i32 accepted")
	}
}
