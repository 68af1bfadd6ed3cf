//go:build tensorrt || tensorrt_rtx

package tensorrt

/*
#cgo CXXFLAGS: -std=c++17 -Wall -Wno-deprecated-declarations -Wno-unused-parameter
#include <stdlib.h>
#include "shim.h"

// The layer add calls (shim.cc), one per layer kind, each wrapped by the
// Network method below of the same kind.
tfc_layer* tfc_add_convolution(tfc_network*, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor);
tfc_layer* tfc_add_deconvolution(tfc_network*, tfc_tensor* in, int64_t nb_output_maps, tfc_dims kernel_size,
	tfc_weights kernel, tfc_weights bias, tfc_dims stride, tfc_dims pre, tfc_dims post, int32_t padding_mode,
	int64_t nb_groups, tfc_dims dilation, tfc_tensor* kernel_tensor);
tfc_layer* tfc_add_activation(tfc_network*, tfc_tensor* in, int32_t type, float alpha, float beta);
tfc_layer* tfc_add_pooling(tfc_network*, tfc_tensor* in, int32_t type, tfc_dims window, tfc_dims stride,
	tfc_dims pre, tfc_dims post, int32_t padding_mode, float blend_factor, int32_t average_count_excludes_padding);
tfc_layer* tfc_add_elementwise(tfc_network*, tfc_tensor* a, tfc_tensor* b, int32_t op);
tfc_layer* tfc_add_unary(tfc_network*, tfc_tensor* in, int32_t op);
tfc_layer* tfc_add_reduce(tfc_network*, tfc_tensor* in, int32_t op, uint32_t axes, int32_t keep_dims);
tfc_layer* tfc_add_softmax(tfc_network*, tfc_tensor* in, uint32_t axes);
tfc_layer* tfc_add_topk(tfc_network*, tfc_tensor* in, int32_t op, int32_t k, uint32_t axes, int32_t indices_type);
tfc_layer* tfc_add_shuffle(tfc_network*, tfc_tensor* in, tfc_perm first, tfc_dims reshape, tfc_perm second,
	int32_t zero_is_placeholder, tfc_tensor* reshape_tensor);
tfc_layer* tfc_add_slice(tfc_network*, tfc_tensor* in, tfc_dims start, tfc_dims size, tfc_dims stride,
	int32_t mode, tfc_tensor* fill, tfc_tensor* size_tensor);
tfc_layer* tfc_add_concatenation(tfc_network*, tfc_tensor* const* inputs, int32_t n, int32_t axis);
tfc_layer* tfc_add_gather(tfc_network*, tfc_tensor* data, tfc_tensor* indices, int32_t axis,
	int32_t nb_elementwise_dims, int32_t mode);
tfc_layer* tfc_add_matrix_multiply(tfc_network*, tfc_tensor* a, int32_t op_a, tfc_tensor* b, int32_t op_b);
tfc_layer* tfc_add_einsum(tfc_network*, tfc_tensor* const* inputs, int32_t n, const char* equation);
tfc_layer* tfc_add_resize(tfc_network*, tfc_tensor* in, tfc_dims output_dims, int32_t mode, int32_t coord,
	int32_t selector, int32_t nearest_rounding, float cubic_coeff, int32_t exclude_outside, tfc_tensor* output_tensor);
tfc_layer* tfc_add_constant(tfc_network*, tfc_dims dims, tfc_weights w);
tfc_layer* tfc_add_identity(tfc_network*, tfc_tensor* in);
tfc_layer* tfc_add_cast(tfc_network*, tfc_tensor* in, int32_t to);
tfc_layer* tfc_add_quantize(tfc_network*, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to);
tfc_layer* tfc_add_dequantize(tfc_network*, tfc_tensor* in, tfc_tensor* scale, int32_t axis, int32_t to);
tfc_layer* tfc_add_select(tfc_network*, tfc_tensor* cond, tfc_tensor* then_, tfc_tensor* else_);
tfc_layer* tfc_add_parametric_relu(tfc_network*, tfc_tensor* input, tfc_tensor* slope);
tfc_layer* tfc_add_scale(tfc_network*, tfc_tensor* in, int32_t mode, tfc_weights shift, tfc_weights scale,
	tfc_weights power, int32_t channel_axis);
tfc_layer* tfc_add_normalization(tfc_network*, tfc_tensor* in, tfc_tensor* scale, tfc_tensor* bias,
	float epsilon, uint32_t axes, int64_t nb_groups);
tfc_layer* tfc_add_padding(tfc_network*, tfc_tensor* in, tfc_dims pre, tfc_dims post);
tfc_layer* tfc_add_fill(tfc_network*, tfc_dims dims, int32_t op, int32_t to_type, double alpha, double beta,
	tfc_tensor* dims_tensor);
tfc_layer* tfc_add_shape(tfc_network*, tfc_tensor* in);
tfc_layer* tfc_add_scatter(tfc_network*, tfc_tensor* data, tfc_tensor* indices, tfc_tensor* updates, int32_t mode,
	int32_t axis);
tfc_layer* tfc_add_cumulative(tfc_network*, tfc_tensor* in, int32_t axis, int32_t op, int32_t exclusive, int32_t reverse);
tfc_layer* tfc_add_nonzero(tfc_network*, tfc_tensor* in, int32_t indices_type);
tfc_layer* tfc_add_nms(tfc_network*, tfc_tensor* boxes, tfc_tensor* scores, tfc_tensor* max_per_class, tfc_tensor* iou,
	tfc_tensor* score, int32_t format, int32_t topk, int32_t indices_type);
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/cgo"
	"unsafe"

	"github.com/tfc-dev/tfc/backend/trt"
)

// logger is a TensorRT ILogger (shim.cc) forwarding to a Go func.
type logger struct {
	c *C.tfc_logger
	h cgo.Handle // the func(Severity, string), or 0
}

func newLogger(log func(Severity, string), verbose bool) (*logger, error) {
	l := &logger{}
	max := SeverityInfo
	if verbose {
		max = SeverityVerbose
	}
	if log != nil {
		l.h = cgo.NewHandle(log)
	}
	l.c = C.tfc_logger_new(C.uintptr_t(l.h), C.int32_t(max))
	if l.c == nil {
		l.free()
		return nil, errors.New("tensorrt: out of memory creating a logger")
	}
	return l, nil
}

func (l *logger) errCount() int { return int(C.tfc_logger_error_count(l.c)) }

// errorSince is the first error message TensorRT logged since the error
// count was before (later ones are mostly consequences), or def.
func (l *logger) errorSince(before int, def string) string {
	if l.errCount() <= before {
		return def
	}
	p := C.tfc_logger_error(l.c, C.int32_t(before))
	if p == nil {
		return def
	}
	defer C.free(unsafe.Pointer(p))
	if m := C.GoString(p); m != "" {
		return m
	}
	return def
}

func (l *logger) free() {
	if l.c != nil {
		C.tfc_logger_free(l.c)
		l.c = nil
	}
	if l.h != 0 {
		l.h.Delete()
		l.h = 0
	}
}

// Network is a TensorRT INetworkDefinition. Each method is one shim call,
// which is one TensorRT add call plus the layer's setters. Like the
// Recorder, a failing call records its error (Err) and returns a layer
// whose outputs are usable, inert handles. Networks are made by Optimize.
type Network struct {
	lg  *logger
	b   *C.tfc_builder
	n   *C.tfc_network
	err error
	// loops and conds are the loops and conditionals added, by index.
	loops []*loop
	conds []*conditional
}

var _ trt.Network = (*Network)(nil)

func newNetwork(lg *logger) (*Network, error) {
	before := lg.errCount()
	b := C.tfc_builder_new(lg.c)
	if b == nil {
		return nil, fmt.Errorf("tensorrt: creating the builder: %s", lg.errorSince(before, "failed"))
	}
	n := C.tfc_network_new(b)
	if n == nil {
		C.tfc_builder_free(b)
		return nil, fmt.Errorf("tensorrt: creating the network: %s", lg.errorSince(before, "failed"))
	}
	return &Network{lg: lg, b: b, n: n}, nil
}

func (n *Network) free() {
	if n.n != nil {
		C.tfc_network_free(n.n)
		n.n = nil
	}
	if n.b != nil {
		C.tfc_builder_free(n.b)
		n.b = nil
	}
}

// Err returns the first error of any call, or nil.
func (n *Network) Err() error { return n.err }

func (n *Network) fail(format string, args ...any) {
	if n.err == nil {
		n.err = fmt.Errorf("tensorrt: "+format, args...)
	}
}

// tensor is an ITensor of a Network; p == nil for the outputs of a failed call.
type tensor struct {
	net *Network
	p   *C.tfc_tensor
}

func (t *tensor) Name() string {
	if t.p == nil {
		return ""
	}
	return C.GoString(C.tfc_tensor_name(t.p))
}

func (t *tensor) SetName(name string) {
	if t.p == nil {
		return
	}
	s := C.CString(name)
	defer C.free(unsafe.Pointer(s))
	C.tfc_tensor_set_name(t.p, s)
}

func (t *tensor) Type() trt.DataType {
	if t.p == nil {
		return 0
	}
	return trt.DataType(C.tfc_tensor_type(t.p))
}

func (t *tensor) Dimensions() trt.Dims {
	if t.p == nil {
		return nil
	}
	return goDims(C.tfc_tensor_dims(t.p))
}

// layer is an ILayer of a Network; p == nil for a failed call, which has
// nout inert outputs.
type layer struct {
	net  *Network
	p    *C.tfc_layer
	nout int
}

func (l *layer) Name() string {
	if l.p == nil {
		return ""
	}
	return C.GoString(C.tfc_layer_name(l.p))
}

func (l *layer) SetName(name string) {
	if l.p == nil {
		return
	}
	s := C.CString(name)
	defer C.free(unsafe.Pointer(s))
	C.tfc_layer_set_name(l.p, s)
}

func (l *layer) NbOutputs() int {
	if l.p == nil {
		return l.nout
	}
	return int(C.tfc_layer_nb_outputs(l.p))
}

func (l *layer) Output(i int) trt.Tensor {
	if l.p == nil || i < 0 || i >= l.NbOutputs() {
		if l.p != nil {
			l.net.fail("layer %q: output %d of %d", l.Name(), i, l.NbOutputs())
		}
		return &tensor{net: l.net}
	}
	return &tensor{net: l.net, p: C.tfc_layer_output(l.p, C.int32_t(i))}
}

// args converts a call's arguments; the first problem fails the call.
type args struct {
	n    *Network
	what string
	bad  bool
}

func (n *Network) args(what string) *args { return &args{n: n, what: what} }

func (a *args) failf(format string, v ...any) {
	if !a.bad {
		a.bad = true
		// The outputs of a failed call are inert; using one is no new error.
		a.n.fail("%s: "+format, append([]any{a.what}, v...)...)
	}
}

// tensor converts t, which must come from this network.
func (a *args) tensor(t trt.Tensor, name string) *C.tfc_tensor {
	tt, ok := t.(*tensor)
	switch {
	case t == nil || (ok && tt == nil):
		a.failf("%s is nil", name)
	case !ok || tt.net != a.n:
		a.failf("%s is a tensor of another network", name)
	case tt.p == nil:
		a.bad = true // the output of a failed call: that failure is the error
		a.n.fail("%s: %s is the output of a failed call", a.what, name)
	default:
		return tt.p
	}
	return nil
}

// dims converts d; nil gives def (nil def: "not set", TensorRT's default).
func (a *args) dims(d trt.Dims, name string, def trt.Dims) C.tfc_dims {
	var r C.tfc_dims
	if d == nil {
		d = def
	}
	if d == nil {
		r.nb = -1
		return r
	}
	if len(d) > trt.MaxDims {
		a.failf("%s %v has %d dimensions, more than %d", name, d, len(d), trt.MaxDims)
		return r
	}
	r.nb = C.int32_t(len(d))
	for i, x := range d {
		r.d[i] = C.int64_t(x)
	}
	return r
}

func (a *args) perm(p trt.Permutation, name string) C.tfc_perm {
	var r C.tfc_perm
	if p == nil {
		r.nb = -1
		return r
	}
	if len(p) > trt.MaxDims {
		a.failf("%s %v has %d entries, more than %d", name, p, len(p), trt.MaxDims)
		return r
	}
	r.nb = C.int32_t(len(p))
	for i, x := range p {
		r.order[i] = C.int32_t(x)
	}
	return r
}

// weights converts w; its values stay in Go memory for the call (the shim
// copies them).
func (a *args) weights(w trt.Weights, name string) C.tfc_weights {
	r := C.tfc_weights{_type: C.int32_t(w.Type), count: C.int64_t(w.Count)}
	if w.Count < 0 || int64(len(w.Values)) != w.Count*int64(w.Type.Size()) || w.Type.Size() == 0 {
		a.failf("%s: %d values of %v in %d bytes", name, w.Count, w.Type, len(w.Values))
		r.count = 0
		return r
	}
	if w.Count > 0 {
		r.values = unsafe.Pointer(unsafe.SliceData(w.Values))
	}
	return r
}

func filled(n int, v int64) trt.Dims {
	d := make(trt.Dims, n)
	for i := range d {
		d[i] = v
	}
	return d
}

func cbool(b bool) C.int32_t {
	if b {
		return 1
	}
	return 0
}

// layer finishes an add call: p is the shim's result, before the logger's
// error count before the call. TensorRT checks most parameters only when
// it infers the output dimensions, so that is done here, to report an
// invalid call at the call.
func (a *args) layer(p *C.tfc_layer, before, nout int) trt.Layer {
	if p != nil && C.tfc_layer_check(a.n.n, p) != 0 && a.n.lg.errCount() == before {
		a.failf("TensorRT could not infer the output dimensions")
	}
	if p == nil || a.n.lg.errCount() > before {
		a.failf("%s", a.n.lg.errorSince(before, "TensorRT returned no layer"))
	}
	if p == nil {
		return &layer{net: a.n, nout: nout}
	}
	return &layer{net: a.n, p: p}
}

func (a *args) dead(nout int) trt.Layer { return &layer{net: a.n, nout: nout} }

func (n *Network) AddInput(name string, typ trt.DataType, dims trt.Dims) trt.Tensor {
	a := n.args("AddInput " + fmt.Sprintf("%q", name))
	cd := a.dims(dims, "dimensions", trt.Dims{})
	if a.bad {
		return &tensor{net: n}
	}
	s := C.CString(name)
	defer C.free(unsafe.Pointer(s))
	before := n.lg.errCount()
	p := C.tfc_add_input(n.n, s, C.int32_t(typ), cd)
	if p == nil || n.lg.errCount() > before {
		a.failf("%s", n.lg.errorSince(before, "TensorRT returned no tensor"))
	}
	return &tensor{net: n, p: p}
}

func (n *Network) MarkOutput(t trt.Tensor) {
	a := n.args("MarkOutput")
	p := a.tensor(t, "tensor")
	if a.bad {
		return
	}
	before := n.lg.errCount()
	if C.tfc_mark_output(n.n, p) != 0 || n.lg.errCount() > before {
		a.failf("%s", n.lg.errorSince(before, "failed"))
	}
}

func (n *Network) AddConvolutionNd(input trt.Tensor, p trt.Convolution) trt.Layer {
	return n.addConv("AddConvolutionNd", input, p, false)
}

func (n *Network) AddDeconvolutionNd(input trt.Tensor, p trt.Deconvolution) trt.Layer {
	return n.addConv("AddDeconvolutionNd", input, trt.Convolution(p), true)
}

// addConv is addConvolutionNd or addDeconvolutionNd with their setters:
// the two layers take the same parameters.
func (n *Network) addConv(call string, input trt.Tensor, p trt.Convolution, deconv bool) trt.Layer {
	a := n.args(call)
	in := a.tensor(input, "input")
	var kt *C.tfc_tensor
	if p.KernelTensor != nil {
		kt = a.tensor(p.KernelTensor, "kernel input")
	}
	k := len(p.KernelSize)
	ks := a.dims(p.KernelSize, "kernel size", nil)
	kw, bw := a.weights(p.Kernel, "kernel"), a.weights(p.Bias, "bias")
	st := a.dims(p.Stride, "stride", filled(k, 1))
	pre := a.dims(p.PrePadding, "pre-padding", filled(k, 0))
	post := a.dims(p.PostPadding, "post-padding", filled(k, 0))
	dil := a.dims(p.Dilation, "dilation", filled(k, 1))
	if a.bad {
		return a.dead(1)
	}
	groups := max(p.NbGroups, 1)
	before := n.lg.errCount()
	maps, mode, g := C.int64_t(p.NbOutputMaps), C.int32_t(p.PaddingMode), C.int64_t(groups)
	if deconv {
		return a.layer(C.tfc_add_deconvolution(n.n, in, maps, ks, kw, bw, st, pre, post, mode, g, dil, kt), before, 1)
	}
	return a.layer(C.tfc_add_convolution(n.n, in, maps, ks, kw, bw, st, pre, post, mode, g, dil, kt), before, 1)
}

func (n *Network) AddActivation(input trt.Tensor, p trt.Activation) trt.Layer {
	a := n.args("AddActivation")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_activation(n.n, in, C.int32_t(p.Type), C.float(p.Alpha), C.float(p.Beta)), before, 1)
}

func (n *Network) AddPoolingNd(input trt.Tensor, p trt.Pooling) trt.Layer {
	a := n.args("AddPoolingNd")
	in := a.tensor(input, "input")
	k := len(p.WindowSize)
	win := a.dims(p.WindowSize, "window size", nil)
	st := a.dims(p.Stride, "stride", filled(k, 1))
	pre := a.dims(p.PrePadding, "pre-padding", filled(k, 0))
	post := a.dims(p.PostPadding, "post-padding", filled(k, 0))
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_pooling(n.n, in, C.int32_t(p.Type), win, st, pre, post, C.int32_t(p.PaddingMode),
		C.float(p.BlendFactor), cbool(p.AverageCountExcludesPadding)), before, 1)
}

func (n *Network) AddElementWise(x, y trt.Tensor, op trt.ElementWiseOperation) trt.Layer {
	a := n.args("AddElementWise")
	cx, cy := a.tensor(x, "input 0"), a.tensor(y, "input 1")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_elementwise(n.n, cx, cy, C.int32_t(op)), before, 1)
}

func (n *Network) AddUnary(input trt.Tensor, op trt.UnaryOperation) trt.Layer {
	a := n.args("AddUnary")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_unary(n.n, in, C.int32_t(op)), before, 1)
}

func (n *Network) AddReduce(input trt.Tensor, p trt.Reduce) trt.Layer {
	a := n.args("AddReduce")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_reduce(n.n, in, C.int32_t(p.Operation), C.uint32_t(p.ReduceAxes), cbool(p.KeepDimensions)), before, 1)
}

func (n *Network) AddSoftMax(input trt.Tensor, axes uint32) trt.Layer {
	a := n.args("AddSoftMax")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_softmax(n.n, in, C.uint32_t(axes)), before, 1)
}

func (n *Network) AddTopK(input trt.Tensor, p trt.TopK) trt.Layer {
	a := n.args("AddTopK")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(2)
	}
	it := p.IndicesType
	if it == 0 { // kFLOAT is no index type: the zero value means TensorRT's default
		it = trt.Int32
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_topk(n.n, in, C.int32_t(p.Operation), C.int32_t(p.K), C.uint32_t(p.ReduceAxes), C.int32_t(it)), before, 2)
}

func (n *Network) AddShuffle(input trt.Tensor, p trt.Shuffle) trt.Layer {
	a := n.args("AddShuffle")
	in := a.tensor(input, "input")
	first := a.perm(p.FirstTranspose, "first transpose")
	second := a.perm(p.SecondTranspose, "second transpose")
	reshape := a.dims(p.ReshapeDimensions, "reshape dimensions", nil)
	if p.ReshapeDimensions != nil && len(p.ReshapeDimensions) == 0 {
		reshape.nb = 0 // reshape to a scalar
	}
	var rt *C.tfc_tensor
	if p.ReshapeTensor != nil {
		rt = a.tensor(p.ReshapeTensor, "reshape tensor")
	}
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_shuffle(n.n, in, first, reshape, second, cbool(p.ZeroIsPlaceholder), rt), before, 1)
}

func (n *Network) AddSlice(input trt.Tensor, p trt.Slice) trt.Layer {
	a := n.args("AddSlice")
	in := a.tensor(input, "input")
	var fill *C.tfc_tensor
	if p.Fill != nil {
		fill = a.tensor(p.Fill, "fill value")
	}
	var st *C.tfc_tensor
	if p.SizeTensor != nil {
		st = a.tensor(p.SizeTensor, "size tensor")
	}
	start := a.dims(p.Start, "start", trt.Dims{})
	defSize := trt.Dims{}
	if st != nil {
		defSize = filled(len(p.Start), 0) // replaced by the size tensor
	}
	size := a.dims(p.Size, "size", defSize)
	stride := a.dims(p.Stride, "stride", filled(len(p.Start), 1))
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_slice(n.n, in, start, size, stride, C.int32_t(p.Mode), fill, st), before, 1)
}

// tensors converts a list of inputs to a C array (C memory).
func (a *args) tensors(ts []trt.Tensor) (*C.tfc_tensor, func()) {
	if len(ts) == 0 {
		a.failf("no inputs")
		return nil, func() {}
	}
	arr := (**C.tfc_tensor)(C.malloc(C.size_t(len(ts)) * C.size_t(unsafe.Sizeof((*C.tfc_tensor)(nil)))))
	s := unsafe.Slice(arr, len(ts))
	for i, t := range ts {
		s[i] = a.tensor(t, fmt.Sprintf("input %d", i))
	}
	return (*C.tfc_tensor)(unsafe.Pointer(arr)), func() { C.free(unsafe.Pointer(arr)) }
}

func (n *Network) AddConcatenation(inputs []trt.Tensor, axis int32) trt.Layer {
	a := n.args("AddConcatenation")
	arr, free := a.tensors(inputs)
	defer free()
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_concatenation(n.n, (**C.tfc_tensor)(unsafe.Pointer(arr)), C.int32_t(len(inputs)), C.int32_t(axis)), before, 1)
}

func (n *Network) AddGather(data, indices trt.Tensor, p trt.Gather) trt.Layer {
	a := n.args("AddGather")
	d, i := a.tensor(data, "data"), a.tensor(indices, "indices")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_gather(n.n, d, i, C.int32_t(p.Axis), C.int32_t(p.NbElementWiseDims), C.int32_t(p.Mode)), before, 1)
}

func (n *Network) AddMatrixMultiply(x trt.Tensor, opA trt.MatrixOperation, y trt.Tensor, opB trt.MatrixOperation) trt.Layer {
	a := n.args("AddMatrixMultiply")
	cx, cy := a.tensor(x, "input 0"), a.tensor(y, "input 1")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_matrix_multiply(n.n, cx, C.int32_t(opA), cy, C.int32_t(opB)), before, 1)
}

func (n *Network) AddEinsum(inputs []trt.Tensor, equation string) trt.Layer {
	a := n.args("AddEinsum")
	arr, free := a.tensors(inputs)
	defer free()
	if a.bad {
		return a.dead(1)
	}
	eq := C.CString(equation)
	defer C.free(unsafe.Pointer(eq))
	before := n.lg.errCount()
	return a.layer(C.tfc_add_einsum(n.n, (**C.tfc_tensor)(unsafe.Pointer(arr)), C.int32_t(len(inputs)), eq), before, 1)
}

func (n *Network) AddResize(input trt.Tensor, p trt.Resize) trt.Layer {
	a := n.args("AddResize")
	in := a.tensor(input, "input")
	var ot *C.tfc_tensor
	if p.OutputTensor != nil {
		ot = a.tensor(p.OutputTensor, "output tensor")
	}
	out := a.dims(p.OutputDimensions, "output dimensions", trt.Dims{})
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_resize(n.n, in, out, C.int32_t(p.ResizeMode), C.int32_t(p.CoordinateTransformation),
		C.int32_t(p.SelectorForSinglePixel), C.int32_t(p.NearestRounding), C.float(p.CubicCoeff), cbool(p.ExcludeOutside), ot), before, 1)
}

func (n *Network) AddConstant(dims trt.Dims, w trt.Weights) trt.Layer {
	a := n.args("AddConstant")
	d := a.dims(dims, "dimensions", trt.Dims{})
	cw := a.weights(w, "weights")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_constant(n.n, d, cw), before, 1)
}

func (n *Network) AddIdentity(input trt.Tensor) trt.Layer {
	a := n.args("AddIdentity")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_identity(n.n, in), before, 1)
}

func (n *Network) AddCast(input trt.Tensor, to trt.DataType) trt.Layer {
	a := n.args("AddCast")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_cast(n.n, in, C.int32_t(to)), before, 1)
}

func (n *Network) AddQuantize(input, scale trt.Tensor, p trt.Quantize) trt.Layer {
	a := n.args("AddQuantize")
	in, s := a.tensor(input, "input"), a.tensor(scale, "scale")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_quantize(n.n, in, s, C.int32_t(p.Axis), C.int32_t(p.ToType)), before, 1)
}

func (n *Network) AddDequantize(input, scale trt.Tensor, p trt.Dequantize) trt.Layer {
	a := n.args("AddDequantize")
	in, s := a.tensor(input, "input"), a.tensor(scale, "scale")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_dequantize(n.n, in, s, C.int32_t(p.Axis), C.int32_t(p.ToType)), before, 1)
}

func (n *Network) AddSelect(cond, then, els trt.Tensor) trt.Layer {
	a := n.args("AddSelect")
	c, t, e := a.tensor(cond, "condition"), a.tensor(then, "then input"), a.tensor(els, "else input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_select(n.n, c, t, e), before, 1)
}

func (n *Network) AddParametricReLU(input, slope trt.Tensor) trt.Layer {
	a := n.args("AddParametricReLU")
	x, s := a.tensor(input, "input"), a.tensor(slope, "slope")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_parametric_relu(n.n, x, s), before, 1)
}

func (n *Network) AddScaleNd(input trt.Tensor, p trt.Scale) trt.Layer {
	a := n.args("AddScaleNd")
	in := a.tensor(input, "input")
	shift, scale, power := a.weights(p.Shift, "shift"), a.weights(p.Scale, "scale"), a.weights(p.Power, "power")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_scale(n.n, in, C.int32_t(p.Mode), shift, scale, power, C.int32_t(p.ChannelAxis)), before, 1)
}

func (n *Network) AddNormalization(input, scale, bias trt.Tensor, p trt.Normalization) trt.Layer {
	a := n.args("AddNormalization")
	in, s, b := a.tensor(input, "input"), a.tensor(scale, "scale"), a.tensor(bias, "bias")
	if a.bad {
		return a.dead(1)
	}
	groups := max(p.NbGroups, 1)
	before := n.lg.errCount()
	return a.layer(C.tfc_add_normalization(n.n, in, s, b, C.float(p.Epsilon), C.uint32_t(p.Axes), C.int64_t(groups)), before, 1)
}

func (n *Network) AddPaddingNd(input trt.Tensor, pre, post trt.Dims) trt.Layer {
	a := n.args("AddPaddingNd")
	in := a.tensor(input, "input")
	cpre, cpost := a.dims(pre, "pre-padding", trt.Dims{}), a.dims(post, "post-padding", trt.Dims{})
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_padding(n.n, in, cpre, cpost), before, 1)
}

func (n *Network) AddFill(p trt.Fill) trt.Layer {
	a := n.args("AddFill")
	var dt *C.tfc_tensor
	defDims := trt.Dims{}
	if p.DimensionsTensor != nil {
		dt = a.tensor(p.DimensionsTensor, "dimensions tensor")
		defDims = trt.Dims{0} // replaced by the dimensions tensor
	}
	d := a.dims(p.Dimensions, "dimensions", defDims)
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_fill(n.n, d, C.int32_t(p.Operation), C.int32_t(p.ToType), C.double(p.Alpha), C.double(p.Beta), dt), before, 1)
}

func (n *Network) AddShape(input trt.Tensor) trt.Layer {
	a := n.args("AddShape")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_shape(n.n, in), before, 1)
}

func (n *Network) AddScatter(data, indices, updates trt.Tensor, p trt.Scatter) trt.Layer {
	a := n.args("AddScatter")
	d, i, u := a.tensor(data, "data"), a.tensor(indices, "indices"), a.tensor(updates, "updates")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_scatter(n.n, d, i, u, C.int32_t(p.Mode), C.int32_t(p.Axis)), before, 1)
}

func (n *Network) AddCumulative(input trt.Tensor, p trt.Cumulative) trt.Layer {
	a := n.args("AddCumulative")
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_cumulative(n.n, in, C.int32_t(p.Axis), C.int32_t(p.Operation), cbool(p.Exclusive), cbool(p.Reverse)), before, 1)
}

func (n *Network) AddNonZero(input trt.Tensor, p trt.NonZero) trt.Layer {
	a := n.args("AddNonZero")
	if isRTX {
		// The header declares addNonZero, but the builder fails with
		// "has no runners that implement it" (TensorRT-RTX 1.6.1, every
		// input and indices type).
		a.failf("TensorRT-RTX has no implementation of INonZeroLayer (its builder: \"has no runners that implement it\"); build this network with TensorRT 10/11")
		return a.dead(1)
	}
	in := a.tensor(input, "input")
	if a.bad {
		return a.dead(1)
	}
	it := p.IndicesType
	if it == 0 { // kFLOAT is no index type: the zero value means TensorRT's default
		it = trt.Int32
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_nonzero(n.n, in, C.int32_t(it)), before, 1)
}

// AddLoop adds an ILoop.
func (n *Network) AddLoop(name string) trt.Loop {
	s := C.CString(name)
	defer C.free(unsafe.Pointer(s))
	before := n.lg.errCount()
	p := C.tfc_add_loop(n.n, s)
	if p == nil || n.lg.errCount() > before {
		n.fail("AddLoop: %s", n.lg.errorSince(before, "TensorRT returned no loop"))
	}
	l := &loop{n: n, p: p}
	n.loops = append(n.loops, l)
	return l
}

// LoopAt returns loop i (an invalid index gives a loop whose calls fail).
func (n *Network) LoopAt(i int) trt.Loop {
	if i < 0 || i >= len(n.loops) {
		n.fail("LoopAt: no loop %d (%d added)", i, len(n.loops))
		return &loop{n: n}
	}
	return n.loops[i]
}

// ConditionalAt returns conditional i (likewise).
func (n *Network) ConditionalAt(i int) trt.IfConditional {
	if i < 0 || i >= len(n.conds) {
		n.fail("ConditionalAt: no conditional %d (%d added)", i, len(n.conds))
		return &conditional{n: n}
	}
	return n.conds[i]
}

// AddIfConditional adds an IIfConditional.
func (n *Network) AddIfConditional(name string) trt.IfConditional {
	s := C.CString(name)
	defer C.free(unsafe.Pointer(s))
	before := n.lg.errCount()
	p := C.tfc_add_if_conditional(n.n, s)
	if p == nil || n.lg.errCount() > before {
		n.fail("AddIfConditional: %s", n.lg.errorSince(before, "TensorRT returned no conditional"))
	}
	c := &conditional{n: n, p: p}
	n.conds = append(n.conds, c)
	return c
}

type loop struct {
	n *Network
	p *C.tfc_loop
}

func (l *loop) AddRecurrence(initial trt.Tensor) trt.Layer {
	a := l.n.args("AddRecurrence")
	in := a.tensor(initial, "initial value")
	if a.bad || l.p == nil {
		return a.dead(1)
	}
	before := l.n.lg.errCount()
	return a.layer(C.tfc_loop_add_recurrence(l.n.n, l.p, in), before, 1)
}

func (l *loop) SetRecurrenceNext(rec trt.Layer, next trt.Tensor) {
	a := l.n.args("SetRecurrenceNext")
	t := a.tensor(next, "next value")
	rl, ok := rec.(*layer)
	if !ok || rl == nil || rl.p == nil || rl.net != l.n {
		a.failf("the recurrence is not a layer of this network")
	}
	if a.bad {
		return
	}
	before := l.n.lg.errCount()
	if C.tfc_recurrence_set_next(l.n.n, rl.p, t) != 0 || l.n.lg.errCount() > before {
		a.failf("%s", l.n.lg.errorSince(before, "failed"))
	}
}

func (l *loop) AddTripLimit(t trt.Tensor, kind trt.TripLimitKind) trt.Layer {
	a := l.n.args("AddTripLimit")
	in := a.tensor(t, "limit")
	if a.bad || l.p == nil {
		return a.dead(0)
	}
	before := l.n.lg.errCount()
	return a.layer(C.tfc_loop_add_trip_limit(l.n.n, l.p, in, C.int32_t(kind)), before, 0)
}

func (l *loop) AddLoopOutput(t trt.Tensor, kind trt.LoopOutputKind, axis int32) trt.Layer {
	a := l.n.args("AddLoopOutput")
	in := a.tensor(t, "value")
	if a.bad || l.p == nil {
		return a.dead(1)
	}
	before := l.n.lg.errCount()
	return a.layer(C.tfc_loop_add_output(l.n.n, l.p, in, C.int32_t(kind), C.int32_t(axis)), before, 1)
}

type conditional struct {
	n *Network
	p *C.tfc_cond
}

func (c *conditional) SetCondition(t trt.Tensor) trt.Layer {
	a := c.n.args("SetCondition")
	in := a.tensor(t, "condition")
	if a.bad || c.p == nil {
		return a.dead(0)
	}
	before := c.n.lg.errCount()
	return a.layer(C.tfc_cond_set_condition(c.n.n, c.p, in), before, 0)
}

func (c *conditional) AddInput(t trt.Tensor) trt.Layer {
	a := c.n.args("IIfConditional.AddInput")
	in := a.tensor(t, "input")
	if a.bad || c.p == nil {
		return a.dead(1)
	}
	before := c.n.lg.errCount()
	return a.layer(C.tfc_cond_add_input(c.n.n, c.p, in), before, 1)
}

func (c *conditional) AddOutput(then, els trt.Tensor) trt.Layer {
	a := c.n.args("IIfConditional.AddOutput")
	t, e := a.tensor(then, "then value"), a.tensor(els, "else value")
	if a.bad || c.p == nil {
		return a.dead(1)
	}
	before := c.n.lg.errCount()
	return a.layer(C.tfc_cond_add_output(c.n.n, c.p, t, e), before, 1)
}

func (n *Network) AddNMS(boxes, scores, maxOutputBoxesPerClass, iouThreshold, scoreThreshold trt.Tensor, p trt.NMS) trt.Layer {
	a := n.args("AddNMS")
	if isRTX {
		// The header declares addNMS, but the builder fails with "has no
		// runners that implement it" (NVIDIA/TensorRT-RTX issue 5).
		a.failf("TensorRT-RTX has no implementation of INMSLayer (NVIDIA/TensorRT-RTX issue 5); build this network with TensorRT 10/11")
		return a.dead(2)
	}
	b, s, m := a.tensor(boxes, "boxes"), a.tensor(scores, "scores"), a.tensor(maxOutputBoxesPerClass, "maxOutputBoxesPerClass")
	var iou, score *C.tfc_tensor
	if iouThreshold != nil {
		iou = a.tensor(iouThreshold, "IoUThreshold")
	}
	if scoreThreshold != nil {
		score = a.tensor(scoreThreshold, "ScoreThreshold")
	}
	if a.bad {
		return a.dead(2)
	}
	it := p.IndicesType
	if it == 0 { // kFLOAT is no index type: the zero value means TensorRT's default
		it = trt.Int32
	}
	limit := p.TopKBoxLimit
	if limit == 0 {
		limit = trt.NMSTopKLimit
	}
	before := n.lg.errCount()
	return a.layer(C.tfc_add_nms(n.n, b, s, m, iou, score, C.int32_t(p.BoundingBoxFormat), C.int32_t(limit), C.int32_t(it)), before, 2)
}

func goDims(d C.tfc_dims) trt.Dims {
	if d.nb < 0 {
		return nil
	}
	r := make(trt.Dims, int(d.nb))
	for i := range r {
		r[i] = int64(d.d[i])
	}
	return r
}
