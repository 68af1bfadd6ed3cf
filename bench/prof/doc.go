// Package prof holds the Go benchmarks that bench/run.sh profiles
// (go test -run NONE -bench ... -cpuprofile) to name the next bottleneck
// of the whole-program measurements: the whole of "tfc compile
// -emit=network" in one process (ResNet50 and a synthetic graph) and the
// TensorRT reference executor on ResNet50. They need
// testdata/large/resnet50 (testdata/gen/generate.sh --resnet50) and skip
// without it.
package prof
