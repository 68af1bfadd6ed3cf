package kernels

import (
	"math"
	"math/rand"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func randTensor(r *rand.Rand, shape ...int) *tensor.Tensor {
	t := tensor.MustNew(tensor.Float32, shape)
	for i := range t.F32 {
		t.F32[i] = float32(r.NormFloat64())
	}
	return t
}

// unravel returns the row-major coordinates of flat index i in shape.
func unravel(i int, shape []int) []int {
	c := make([]int, len(shape))
	for j := len(shape) - 1; j >= 0; j-- {
		c[j] = i % shape[j]
		i /= shape[j]
	}
	return c
}

func ravel(c, shape []int) int {
	i := 0
	for j := range shape {
		i = i*shape[j] + c[j]
	}
	return i
}

// refConv is the IR spec's formula, evaluated literally (float64 sums).
func refConv(x, w, b *tensor.Tensor, p ConvParams) *tensor.Tensor {
	s := len(x.Shape) - 2
	N, C, O, g := x.Shape[0], x.Shape[1], w.Shape[0], p.Groups
	Cg, Og := C/g, O/g
	shape := tensor.Shape{N, O}
	for j := range s {
		shape = append(shape, (x.Shape[2+j]+p.PadsBegin[j]+p.PadsEnd[j]-p.Dilations[j]*(w.Shape[2+j]-1)-1)/p.Strides[j]+1)
	}
	out := tensor.MustNew(tensor.Float32, shape)
	ks := w.Shape[2:]
	KS := prod(ks)
	for i := range out.F32 {
		c := unravel(i, shape)
		n, o := c[0], c[1]
		G := o / Og
		var sum float64
		if b != nil {
			sum = float64(b.F32[o])
		}
		for ci := range Cg {
			for t := range KS {
				k := unravel(t, ks)
				xc := []int{n, G*Cg + ci}
				inside := true
				for j := range s {
					v := c[2+j]*p.Strides[j] + k[j]*p.Dilations[j] - p.PadsBegin[j]
					inside = inside && v >= 0 && v < x.Shape[2+j]
					xc = append(xc, v)
				}
				if !inside {
					continue
				}
				wc := append([]int{o, ci}, k...)
				sum += float64(x.F32[ravel(xc, x.Shape)]) * float64(w.F32[ravel(wc, w.Shape)])
			}
		}
		out.F32[i] = float32(sum)
	}
	return out
}

// refConvTranspose scatters as the IR spec describes.
func refConvTranspose(x, w, b *tensor.Tensor, p ConvParams) *tensor.Tensor {
	s := len(x.Shape) - 2
	N, C, g := x.Shape[0], x.Shape[1], p.Groups
	Cg, Og := C/g, w.Shape[1]
	O := Og * g
	shape := tensor.Shape{N, O}
	for j := range s {
		shape = append(shape, (x.Shape[2+j]-1)*p.Strides[j]+p.Dilations[j]*(w.Shape[2+j]-1)+1-p.PadsBegin[j]-p.PadsEnd[j])
	}
	acc := make([]float64, shape.Size())
	ks := w.Shape[2:]
	for i, xv := range x.F32 {
		xc := unravel(i, x.Shape)
		n, c := xc[0], xc[1]
		G := c / Cg
		for op := range Og {
			for t := range prod(ks) {
				k := unravel(t, ks)
				oc := []int{n, G*Og + op}
				inside := true
				for j := range s {
					v := xc[2+j]*p.Strides[j] + k[j]*p.Dilations[j] - p.PadsBegin[j]
					inside = inside && v >= 0 && v < shape[2+j]
					oc = append(oc, v)
				}
				if inside {
					acc[ravel(oc, shape)] += float64(xv) * float64(w.F32[ravel(append([]int{c, op}, k...), w.Shape)])
				}
			}
		}
	}
	out := tensor.MustNew(tensor.Float32, shape)
	for i := range acc {
		if b != nil {
			acc[i] += float64(b.F32[unravel(i, shape)[1]])
		}
		out.F32[i] = float32(acc[i])
	}
	return out
}

func closeTo(t *testing.T, what string, got, want *tensor.Tensor) {
	t.Helper()
	if !got.Shape.Equal(want.Shape) || got.DType != want.DType {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
	for i := range want.F32 {
		g, w := float64(got.F32[i]), float64(want.F32[i])
		if math.IsNaN(g) && math.IsNaN(w) || g == w {
			continue
		}
		if !(math.Abs(g-w) <= 1e-4+1e-4*math.Abs(w)) { // NaN on one side fails
			t.Fatalf("%s: element %d (%v): got %v, want %v", what, i, unravel(i, want.Shape), g, w)
		}
	}
}

func randConvCase(r *rand.Rand, transpose bool) (x, w, b *tensor.Tensor, p ConvParams, ok bool) {
	s := 1 + r.Intn(3)
	g := 1 + r.Intn(3)
	Cg, Og := 1+r.Intn(4), 1+r.Intn(4)
	switch r.Intn(4) {
	case 0: // depthwise
		Cg = 1
		g = 1 + r.Intn(5)
	case 1: // pointwise
	}
	N := 1 + r.Intn(2)
	xs := []int{N, Cg * g}
	ws := []int{Og * g, Cg}
	if transpose {
		ws = []int{Cg * g, Og}
	}
	p.Groups = g
	pointwise := r.Intn(4) == 0
	for range s {
		k := 1 + r.Intn(3)
		st, d := 1+r.Intn(3), 1+r.Intn(2)
		p0, p1 := r.Intn(3), r.Intn(3)
		if pointwise {
			k, st, p0, p1 = 1, 1, 0, 0
		}
		if transpose && r.Intn(4) == 0 {
			p1 = -r.Intn(2)
		}
		size := 1 + r.Intn(7)
		if s == 3 {
			size = 1 + r.Intn(4)
		}
		xs = append(xs, size)
		ws = append(ws, k)
		p.Strides = append(p.Strides, st)
		p.Dilations = append(p.Dilations, d)
		p.PadsBegin = append(p.PadsBegin, p0)
		p.PadsEnd = append(p.PadsEnd, p1)
		if transpose {
			if (size-1)*st+d*(k-1)+1-p0-p1 < 1 {
				return nil, nil, nil, p, false
			}
		} else if size+p0+p1-d*(k-1)-1 < 0 {
			return nil, nil, nil, p, false
		}
	}
	x, w = randTensor(r, xs...), randTensor(r, ws...)
	if r.Intn(2) == 0 {
		o := ws[0]
		if transpose {
			o = Og * g
		}
		b = randTensor(r, o)
	}
	return x, w, b, p, true
}

func TestConvAgainstReference(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	for n := 0; n < 300; {
		x, w, b, p, ok := randConvCase(r, false)
		if !ok {
			continue
		}
		n++
		got, err := Conv(x, w, b, p)
		if err != nil {
			t.Fatalf("x %v w %v %+v: %v", x.Shape, w.Shape, p, err)
		}
		closeTo(t, "conv", got, refConv(x, w, b, p))
	}
}

func TestConvTransposeAgainstReference(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for n := 0; n < 300; {
		x, w, b, p, ok := randConvCase(r, true)
		if !ok {
			continue
		}
		n++
		got, err := ConvTranspose(x, w, b, p)
		if err != nil {
			t.Fatalf("x %v w %v %+v: %v", x.Shape, w.Shape, p, err)
		}
		closeTo(t, "conv_transpose", got, refConvTranspose(x, w, b, p))
	}
}

func TestConvLargeAgainstReference(t *testing.T) {
	// Big enough for the parallel paths and several GEMM blocks.
	r := rand.New(rand.NewSource(4))
	p := ConvParams{Strides: []int{2, 1}, Dilations: []int{1, 2}, PadsBegin: []int{1, 2}, PadsEnd: []int{1, 2}, Groups: 2}
	x, w, b := randTensor(r, 1, 32, 20, 20), randTensor(r, 96, 16, 3, 3), randTensor(r, 96)
	got, err := Conv(x, w, b, p)
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "conv", got, refConv(x, w, b, p))
	p.Groups = 32
	w = randTensor(r, 64, 1, 3, 3)
	got, err = Conv(x, w, nil, p)
	if err != nil {
		t.Fatal(err)
	}
	closeTo(t, "depthwise", got, refConv(x, w, nil, p))
}

func TestConvIdentity(t *testing.T) {
	// A centred 3x3 one-hot kernel with pad 1 is the identity.
	x := iota32(1, 1, 3, 3)
	w := tensor.MustNew(tensor.Float32, tensor.Shape{1, 1, 3, 3})
	w.F32[4] = 1
	p := ConvParams{Strides: []int{1, 1}, Dilations: []int{1, 1}, PadsBegin: []int{1, 1}, PadsEnd: []int{1, 1}, Groups: 1}
	got, err := Conv(x, w, f32([]int{1}, 10), p)
	expect(t, got, err, f32([]int{1, 1, 3, 3}, 10, 11, 12, 13, 14, 15, 16, 17, 18))
	// All-ones 2x2 kernel, stride 2: sums of blocks.
	x = iota32(1, 1, 2, 4)
	w = f32([]int{1, 1, 2, 2}, 1, 1, 1, 1)
	p.PadsBegin, p.PadsEnd, p.Strides = []int{0, 0}, []int{0, 0}, []int{2, 2}
	got, err = Conv(x, w, nil, p)
	expect(t, got, err, f32([]int{1, 1, 1, 2}, 0+1+4+5, 2+3+6+7))
	if _, err := Conv(x, iota32(1, 2, 2, 2), nil, p); err == nil {
		t.Fatal("channel mismatch accepted")
	}
}

func TestPool(t *testing.T) {
	x := iota32(1, 1, 3, 3)
	p := PoolParams{Kind: PoolMax, Window: []int{2, 2}, Strides: []int{1, 1}, PadsBegin: []int{0, 0}, PadsEnd: []int{1, 1}}
	got, err := Pool(x, p)
	expect(t, got, err, f32([]int{1, 1, 3, 3}, 4, 5, 5, 7, 8, 8, 7, 8, 8))
	p.Kind = PoolAvg
	got, err = Pool(x, p)
	expect(t, got, err, f32([]int{1, 1, 3, 3}, 2, 3, 3.5, 5, 6, 6.5, 6.5, 7.5, 8))
	p.CountIncludePad = true
	got, err = Pool(x, p)
	expect(t, got, err, f32([]int{1, 1, 3, 3}, 2, 3, 7.0/4, 5, 6, 13.0/4, 13.0/4, 15.0/4, 2))
	p = PoolParams{Kind: PoolAvg, Window: []int{3}, Strides: []int{3}, PadsBegin: []int{0}, PadsEnd: []int{0}}
	got, err = Pool(iota32(1, 2, 6), p)
	expect(t, got, err, f32([]int{1, 2, 2}, 1, 4, 7, 10))
	// max propagates NaN wherever it is in the window; max-skip-NaN
	// (TensorFlow's 2-D MaxPool) ignores it, and a window of only NaN and
	// padding gives the lowest finite value.
	nan := float32(math.NaN())
	x = f32([]int{1, 1, 5}, 1, nan, 3, 2, nan)
	p = PoolParams{Kind: PoolMax, Window: []int{2}, Strides: []int{1}, PadsBegin: []int{0}, PadsEnd: []int{1}}
	got, err = Pool(x, p)
	expect(t, got, err, f32([]int{1, 1, 5}, nan, nan, 3, nan, nan))
	p.Kind = PoolMaxSkipNaN
	got, err = Pool(x, p)
	expect(t, got, err, f32([]int{1, 1, 5}, 1, 3, 3, 2, -math.MaxFloat32))
}

// refPool is the IR spec's pool, evaluated literally.
func refPool(x *tensor.Tensor, p PoolParams) *tensor.Tensor {
	s := len(x.Shape) - 2
	shape := tensor.Shape{x.Shape[0], x.Shape[1]}
	for j := range s {
		shape = append(shape, (x.Shape[2+j]+p.PadsBegin[j]+p.PadsEnd[j]-p.Window[j])/p.Strides[j]+1)
	}
	out := tensor.MustNew(tensor.Float32, shape)
	for i := range out.F32 {
		c := unravel(i, shape)
		m, sum, n := math.Inf(-1), 0.0, 0
		for t := range prod(p.Window) {
			k := unravel(t, p.Window)
			xc := []int{c[0], c[1]}
			inside := true
			for j := range s {
				v := c[2+j]*p.Strides[j] + k[j] - p.PadsBegin[j]
				inside = inside && v >= 0 && v < x.Shape[2+j]
				xc = append(xc, v)
			}
			if !inside {
				continue
			}
			v := float64(x.F32[ravel(xc, x.Shape)])
			m = math.Max(m, v)
			sum += v
			n++
		}
		if p.CountIncludePad {
			n = prod(p.Window)
		}
		if p.Kind == PoolMax {
			out.F32[i] = float32(m)
		} else {
			out.F32[i] = float32(sum / float64(n))
		}
	}
	return out
}

func TestPoolAgainstReference(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	for n := 0; n < 300; {
		s := 1 + r.Intn(3)
		p := PoolParams{Kind: PoolKind(r.Intn(2))}
		p.CountIncludePad = p.Kind == PoolAvg && r.Intn(2) == 0
		xs := []int{1 + r.Intn(2), 1 + r.Intn(3)}
		ok := true
		for range s {
			k := 1 + r.Intn(3)
			p0, p1 := r.Intn(k), r.Intn(k)
			size := 1 + r.Intn(6)
			p.Window = append(p.Window, k)
			p.Strides = append(p.Strides, 1+r.Intn(3))
			p.PadsBegin = append(p.PadsBegin, p0)
			p.PadsEnd = append(p.PadsEnd, p1)
			xs = append(xs, size)
			ok = ok && size+p0+p1 >= k
		}
		if !ok {
			continue
		}
		n++
		x := randTensor(r, xs...)
		got, err := Pool(x, p)
		if err != nil {
			t.Fatalf("x %v %+v: %v", x.Shape, p, err)
		}
		closeTo(t, "pool", got, refPool(x, p))
	}
}

// TestConvOut: a convolution written into given storage (ConvParams.Out,
// filled with NaN first) has the bits of one into new storage, on every
// path (direct and generic depthwise, im2col, pointwise), with a
// weights pack reused between calls.
func TestConvOut(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	for n := 0; n < 300; {
		x, w, b, p, ok := randConvCase(r, false)
		if !ok {
			continue
		}
		n++
		want, err := Conv(x, w, b, p)
		if err != nil {
			t.Fatalf("x %v w %v %+v: %v", x.Shape, w.Shape, p, err)
		}
		p.Pack = new(ConvPack)
		for range 2 {
			p.Out = make([]float32, want.Len())
			for i := range p.Out {
				p.Out[i] = float32(math.NaN())
			}
			got, err := Conv(x, w, b, p)
			if err != nil {
				t.Fatal(err)
			}
			if &got.F32[0] != &p.Out[0] {
				t.Fatalf("x %v w %v: result not written into Out", x.Shape, w.Shape)
			}
			for i, v := range want.F32 {
				if math.Float32bits(got.F32[i]) != math.Float32bits(v) {
					t.Fatalf("x %v w %v %+v: element %d = %v, want %v", x.Shape, w.Shape, p, i, got.F32[i], v)
				}
			}
		}
	}
}

// TestBinaryInto: BinaryInto writes into dst, also in place of an
// operand of the result's shape, with Binary's values.
func TestBinaryInto(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	a, b := randTensor(r, 3, 4), randTensor(r, 1, 4)
	for _, op := range []BinaryOp{Add, Sub, Mul, Div, Max, Min, Pow, FloorDiv} {
		want, err := Binary(op, a, b)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]float32, 12)
		got, err := BinaryInto(op, a, b, dst)
		if err != nil || &got.F32[0] != &dst[0] {
			t.Fatalf("%v: err %v, or not written into dst", op, err)
		}
		a2 := a.Clone()
		inPlace, err := BinaryInto(op, a2, b, a2.F32)
		if err != nil || &inPlace.F32[0] != &a2.F32[0] {
			t.Fatalf("%v in place: err %v, or not written into dst", op, err)
		}
		for i, v := range want.F32 {
			for _, g := range []float32{got.F32[i], inPlace.F32[i]} {
				if math.Float32bits(g) != math.Float32bits(v) && (g == g || v == v) {
					t.Fatalf("%v: element %d = %v, want %v", op, i, g, v)
				}
			}
		}
	}
}

// TestConvPackLarge: convolutions large enough for the packed SGEMM give
// the same bits with their weights packed once (ConvPack, reused) as
// without: one and two groups, C wider than tall (split by columns) and
// taller than wide (split by rows), k over one packed block.
func TestConvPackLarge(t *testing.T) {
	if !useSgemmPacked(96, 400, 288) {
		t.Skip("no packed SGEMM on this CPU")
	}
	r := rand.New(rand.NewSource(6))
	for _, s := range [][4]int{{32, 20, 96, 1}, {32, 20, 96, 2}, {64, 7, 500, 1}} {
		c, hw, o, g := s[0], s[1], s[2], s[3]
		x, w, b := randTensor(r, 1, c, hw, hw), randTensor(r, o, c/g, 3, 3), randTensor(r, o)
		p := ConvParams{Strides: []int{1, 1}, Dilations: []int{1, 1}, PadsBegin: []int{1, 1}, PadsEnd: []int{1, 1}, Groups: g}
		want, err := Conv(x, w, b, p)
		if err != nil {
			t.Fatal(err)
		}
		p.Pack = new(ConvPack)
		for range 2 {
			got, err := Conv(x, w, b, p)
			if err != nil {
				t.Fatal(err)
			}
			if p.Pack.sPanels == nil {
				t.Fatal("the weights were not packed")
			}
			for i, v := range want.F32 {
				if math.Float32bits(got.F32[i]) != math.Float32bits(v) {
					t.Fatalf("groups %d: element %d = %v, want %v", g, i, got.F32[i], v)
				}
			}
		}
	}
}

// TestGather2D: gather2D (through which im2col runs in two dimensions)
// gives im2colTaps's matrix, for segments that start anywhere and cross
// output rows.
func TestGather2D(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for n := 0; n < 200; {
		x, w, _, p, ok := randConvCase(r, false)
		if !ok || len(x.Shape) != 4 {
			continue
		}
		n++
		Cg := w.Shape[1]
		in, ks := []int(x.Shape[2:]), []int(w.Shape[2:])
		outSp := make([]int, 2)
		for j := range 2 {
			outSp[j] = (in[j]+p.PadsBegin[j]+p.PadsEnd[j]-p.Dilations[j]*(ks[j]-1)-1)/p.Strides[j] + 1
		}
		IS, KS, OS := prod(in), prod(ks), prod(outSp)
		tm := tapMaps(in, ks, outSp, p)
		xg := x.F32[:Cg*IS]
		col := make([]float32, Cg*KS*OS)
		im2colTaps(col, xg, tm, ks, IS, OS, Cg)
		g := gather2D(xg, tm, ks, IS, outSp[1])
		for row := range Cg * KS {
			j0 := r.Intn(OS)
			dst := make([]float32, 1+r.Intn(OS-j0))
			g(row, j0, dst)
			for i, v := range dst {
				if want := col[row*OS+j0+i]; math.Float32bits(v) != math.Float32bits(want) {
					t.Fatalf("x %v w %v %+v: row %d column %d = %v, im2col has %v", x.Shape, w.Shape, p, row, j0+i, v, want)
				}
			}
		}
	}
}
