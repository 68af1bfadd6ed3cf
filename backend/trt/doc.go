// Package trt describes TensorRT networks in Go: the data types, enums and
// layer parameters of TensorRT's network-definition API
// (nvinfer1::INetworkDefinition, TensorRT 10/11 and TensorRT-RTX), and the
// Network interface through which tfc builds a network.
//
// # Model
//
// A Network is built by calls that mirror INetworkDefinition one to one:
// AddInput, AddConvolutionNd, AddShuffle, ..., MarkOutput. Each Add method
// takes the layer's inputs and a parameter struct holding exactly the
// parameters TensorRT's add call and the layer's setters accept (Convolution
// for IConvolutionLayer, Shuffle for IShuffleLayer, ...), and returns a
// Layer whose outputs are Tensors. Names, enum values and defaults are
// TensorRT's; Weights are raw little-endian bytes of a DataType, as in
// nvinfer1::Weights.
//
// Each layer kind is written in one file (layers_<family>.go;
// controlflow.go for the loop and conditional boundaries): its LayerType,
// its parameter struct and LayerParams methods, its rule and the
// Recorder's Add method, from which the Network interface's add methods
// are generated (network_gen.go).
//
// The interface has two implementations: Recorder (recorder.go, pure Go,
// always available) keeps the calls as plain data — a Description of
// tensors and layers that the validator, the printer (-emit=network), the
// Go code generator and the reference executor consume — and the cgo
// binding to the real TensorRT library (a later, build-tagged package).
// The lowering from tfc IR (package backend/lower) and generated builder
// code talk only to the interface.
//
// An Add method given invalid parameters does not panic and does not
// return an error: like TensorRT it records the failure (Network.Err
// returns the first one) and returns a layer whose outputs are still
// usable handles, so builder code reads as straight-line calls.
package trt
