package trt

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRandomNoPanic adds layers with random small parameters and inputs:
// the Recorder, Validate and the printers must never panic, and a layer the
// Recorder accepted must pass Validate's layer rules.
func TestRandomNoPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	dims := func() Dims {
		if rng.IntN(8) == 0 {
			return nil
		}
		d := make(Dims, rng.IntN(6))
		for i := range d {
			d[i] = int64(rng.IntN(6)) - 1
		}
		return d
	}
	perm := func() Permutation {
		if rng.IntN(3) == 0 {
			return nil
		}
		p := make(Permutation, rng.IntN(5))
		for i := range p {
			p[i] = int32(rng.IntN(5))
		}
		return p
	}
	types := []DataType{Float, Half, Int32, Int64, Bool, BF16, Int8, Uint8, 42}
	typ := func() DataType { return types[rng.IntN(len(types))] }
	w := func() Weights {
		n := int64(rng.IntN(40))
		tp := typ()
		return Weights{Type: tp, Count: n, Values: make([]byte, n*int64(tp.Size())+int64(rng.IntN(2)))}
	}
	small := func() int64 { return int64(rng.IntN(7)) - 1 }
	for iter := 0; iter < 3000; iter++ {
		n := NewRecorder()
		var ts []Tensor
		for i := 0; i < 3; i++ {
			d := dims()
			for j := range d {
				d[j] = max(d[j], 0)
			}
			ts = append(ts, n.AddInput("in"+string(rune('a'+i)), typ(), d))
		}
		pick := func() Tensor {
			if rng.IntN(20) == 0 {
				return nil
			}
			return ts[rng.IntN(len(ts))]
		}
		var l Layer
		switch rng.IntN(25) {
		case 0:
			l = n.AddConvolutionNd(pick(), Convolution{NbOutputMaps: small(), KernelSize: dims(), Kernel: w(), Bias: w(), Stride: dims(), PrePadding: dims(), PostPadding: dims(), PaddingMode: PaddingMode(rng.IntN(5)), NbGroups: small(), Dilation: dims()})
		case 1:
			l = n.AddDeconvolutionNd(pick(), Deconvolution{NbOutputMaps: small(), KernelSize: dims(), Kernel: w(), Stride: dims(), PaddingMode: PaddingMode(rng.IntN(5)), NbGroups: small()})
		case 2:
			l = n.AddActivation(pick(), Activation{Type: ActivationType(rng.IntN(16))})
		case 3:
			l = n.AddPoolingNd(pick(), Pooling{Type: PoolingType(rng.IntN(4)), WindowSize: dims(), Stride: dims(), PrePadding: dims(), PaddingMode: PaddingMode(rng.IntN(5))})
		case 4:
			l = n.AddElementWise(pick(), pick(), ElementWiseOperation(rng.IntN(15)))
		case 5:
			l = n.AddUnary(pick(), UnaryOperation(rng.IntN(26)))
		case 6:
			l = n.AddReduce(pick(), Reduce{Operation: ReduceOperation(rng.IntN(6)), ReduceAxes: rng.Uint32N(64), KeepDimensions: rng.IntN(2) == 0})
		case 7:
			l = n.AddSoftMax(pick(), rng.Uint32N(64))
		case 8:
			l = n.AddTopK(pick(), TopK{Operation: TopKOperation(rng.IntN(3)), K: int32(small()), ReduceAxes: rng.Uint32N(64), IndicesType: typ()})
		case 9:
			l = n.AddShuffle(pick(), Shuffle{FirstTranspose: perm(), ReshapeDimensions: dims(), SecondTranspose: perm(), ZeroIsPlaceholder: rng.IntN(2) == 0})
		case 10:
			l = n.AddSlice(pick(), Slice{Start: dims(), Size: dims(), Stride: dims(), Mode: SampleMode(rng.IntN(6))})
		case 11:
			l = n.AddConcatenation([]Tensor{pick(), pick()}, int32(small()))
		case 12:
			l = n.AddGather(pick(), pick(), Gather{Axis: int32(small()), NbElementWiseDims: int32(rng.IntN(3)), Mode: GatherMode(rng.IntN(4))})
		case 13:
			l = n.AddMatrixMultiply(pick(), MatrixOperation(rng.IntN(4)), pick(), MatrixOperation(rng.IntN(4)))
		case 14:
			eqs := []string{"ij,jk->ik", "...i->i", "i...,i...", "ii", "a->aa", ",->", "ab,ba", "x"}
			l = n.AddEinsum([]Tensor{pick(), pick()}[:1+rng.IntN(2)], eqs[rng.IntN(len(eqs))])
		case 15:
			l = n.AddResize(pick(), Resize{OutputDimensions: dims(), ResizeMode: InterpolationMode(rng.IntN(4))})
		case 16:
			l = n.AddConstant(dims(), w())
		case 17:
			l = n.AddIdentity(pick())
		case 18:
			l = n.AddCast(pick(), typ())
		case 19:
			l = n.AddSelect(pick(), pick(), pick())
		case 20:
			l = n.AddScaleNd(pick(), Scale{Mode: ScaleMode(rng.IntN(4)), Shift: w(), Scale: w(), Power: w(), ChannelAxis: int32(small())})
		case 21:
			l = n.AddNormalization(pick(), pick(), pick(), Normalization{Axes: rng.Uint32N(64), NbGroups: small()})
		case 22:
			l = n.AddPaddingNd(pick(), dims(), dims())
		case 23:
			l = n.AddFill(Fill{Dimensions: dims(), Operation: FillOperation(rng.IntN(4)), ToType: typ()})
		case 24:
			l = n.AddShape(pick())
		}
		if l == nil || l.NbOutputs() == 0 {
			t.Fatal("no outputs")
		}
		for i := 0; i < l.NbOutputs(); i++ {
			n.MarkOutput(l.Output(i))
		}
		verr := Validate(n.Description())
		if n.Err() == nil && verr != nil && strings.Contains(verr.Error(), "layer 0") {
			t.Fatalf("Recorder accepted what Validate rejects: %v", verr)
		}
		if IsLayerError(n.Err(), 0) && verr == nil {
			t.Fatalf("Validate accepted what the Recorder rejects: %v", n.Err())
		}
		var b strings.Builder
		Print(&b, n.Description())
		PrintJSON(&b, n.Description())
	}
}
