package lower_test

import (
	"testing"
)

// TestFP8ConvKernel: an FP8 Q/DQ pair on a convolution's constant kernel
// stays layers feeding the kernel input (TensorRT's FP8 convolution
// pattern), the activation pair becomes kFP8 Q/DQ too, and the network
// computes what the interpreter does.
func TestFP8ConvKernel(t *testing.T) {
	f := parse(t, `func @f {
  %0 = input {name="x:0"} : f32[1,2,3,3]
  %1 = const {value=dense<[1, -2, 0.5, 3]>} : f32[2,2,1,1]
  %2 = const {value=dense<[0.01, 0.02]>} : f32[2]
  %3 = const {value=dense<[0, 0]>} : i32[2]
  %4 = quantize(%1, %2, %3) {axis=0, qmin=-448, qmax=448, round="half_even", type="f8e4m3"} : f32[2,2,1,1]
  %5 = dequantize(%4, %2, %3) {axis=0} : f32[2,2,1,1]
  %6 = const {value=dense<[0.05]>} : f32[]
  %7 = const {value=dense<[0]>} : i32[]
  %8 = quantize(%0, %6, %7) {axis=-1, qmin=-448, qmax=448, round="half_even", type="f8e4m3"} : f32[1,2,3,3]
  %9 = dequantize(%8, %6, %7) {axis=-1} : f32[1,2,3,3]
  %10 = conv(%9, %5) {strides=[1,1], dilations=[1,1], pads=[0,0,0,0], groups=1} : f32[1,2,3,3]
  return "y:0" = %10
}`)
	d := matchInterp(t, f, randomInputs(f, 1), 0, 0)
	want := "Constant Constant Quantize Constant Dequantize Constant Quantize Constant Dequantize Convolution"
	if got := kinds(d); got != want {
		t.Errorf("layers:\n got %s\nwant %s", got, want)
	}
	conv := d.Layers[len(d.Layers)-1]
	if len(conv.Inputs) != 2 {
		t.Errorf("the convolution has %d inputs, want 2 (data and the dequantized kernel)", len(conv.Inputs))
	}
}
