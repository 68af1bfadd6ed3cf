package tf

import "sort"

// Ops tfc refuses on purpose: each has a reason (a predicate following
// "it", with no semicolons: the import error separates ops with them),
// which the import error gives after the nodes that use it and
// `tfc ops -refused` lists. They are not translated and not counted among
// the supported ops.

// refusals maps a TensorFlow op type to why tfc does not translate it.
var refusals = map[string]string{}

// refuse records a reason for TF op types that tfc does not translate.
func refuse(reason string, tfOps ...string) {
	for _, op := range tfOps {
		if _, dup := refusals[op]; dup {
			panic("tf: op refused twice: " + op)
		}
		refusals[op] = reason
	}
}

func init() {
	refuse("draws random numbers: tfc compiles deterministic inference graphs, and TensorRT's random fill "+
		"(IFillLayer kRANDOM_UNIFORM/kRANDOM_NORMAL) follows neither TensorFlow's Philox streams nor its seeds, "+
		"so no output could be checked against TensorFlow: remove the sampling (or freeze its result) before export",
		"RandomStandardNormal", "RandomUniformInt", "TruncatedNormal", "ParameterizedTruncatedNormal", "Multinomial",
		"RandomShuffle", "RandomGamma", "RandomPoisson", "RandomPoissonV2", "RandomCrop")
	refuse("is a deterministic function of its seed through TensorFlow's Philox-4x32 counter-based generator, "+
		"which needs 32-bit unsigned multiplies with 64-bit products and bitwise XOR, neither of which TensorRT has "+
		"(its ElementWise XOR takes bool), so its values cannot be reproduced",
		"StatelessRandomUniform", "StatelessRandomUniformV2", "StatelessRandomNormal", "StatelessRandomNormalV2",
		"StatelessTruncatedNormal", "StatelessTruncatedNormalV2", "StatelessRandomUniformInt",
		"StatelessRandomUniformIntV2", "StatelessRandomUniformFullInt", "StatelessRandomUniformFullIntV2",
		"StatelessMultinomial", "StatelessRandomGetKeyCounter", "StatelessRandomGetKeyCounterAlg",
		"StatelessRandomGetAlg", "StatelessParameterizedTruncatedNormal", "StatelessRandomBinomial",
		"StatelessRandomGammaV2", "StatelessRandomGammaV3", "StatelessRandomPoisson", "StatelessShuffle")
	refuse("computes a Fourier transform into or from complex64/complex128 tensors: TensorRT has no complex "+
		"data type (nvinfer1::DataType has none) and no FFT layer, and tfc's IR has no complex type",
		"FFT", "IFFT", "RFFT", "IRFFT", "FFT2D", "IFFT2D", "RFFT2D", "IRFFT2D", "FFT3D", "IFFT3D", "RFFT3D", "IRFFT3D",
		"FFTND", "IFFTND", "RFFTND", "IRFFTND")
	refuse("takes or makes complex64/complex128 tensors: TensorRT has no complex data type (nvinfer1::DataType "+
		"has none) and tfc's IR has none",
		"Complex", "ComplexAbs", "Real", "Imag", "Angle", "Conj")
	refuse("reinterprets a tensor's bits as another type: TensorRT has no bit-reinterpreting layer "+
		"(ICastLayer converts values)", "Bitcast")
	refuse("counts set bits into uint8: TensorRT has no bitwise layer on integers and tfc's IR has no uint8 "+
		"arithmetic", "PopulationCount")
	refuse("returns uninitialised memory (init=false), whose values TensorFlow does not define", "Empty")
}

// OpRefusal is one TensorFlow op that tfc refuses, and why.
type OpRefusal struct {
	Op     string
	Reason string
}

// RefusedOps lists the ops tfc refuses on purpose, sorted by name.
func RefusedOps() []OpRefusal {
	var out []OpRefusal
	for op, r := range refusals {
		out = append(out, OpRefusal{Op: op, Reason: r})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Op < out[j].Op })
	return out
}
