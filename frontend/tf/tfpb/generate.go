package tfpb

// Regenerate the *.pb.go files from the *.proto files in this directory
// with `go generate ./frontend/tf/tfpb/` (needs protoc on PATH; see
// scripts/install-protoc.sh). Proto paths are relative to the module root,
// so the protos import each other as "frontend/tf/tfpb/NAME.proto".
//go:generate protoc -I=../../.. --plugin=protoc-gen-go=./protoc-gen-go.sh --go_out=../../.. --go_opt=paths=source_relative ../../../frontend/tf/tfpb/attr_value.proto ../../../frontend/tf/tfpb/full_type.proto ../../../frontend/tf/tfpb/function.proto ../../../frontend/tf/tfpb/graph.proto ../../../frontend/tf/tfpb/graph_debug_info.proto ../../../frontend/tf/tfpb/node_def.proto ../../../frontend/tf/tfpb/op_def.proto ../../../frontend/tf/tfpb/resource_handle.proto ../../../frontend/tf/tfpb/tensor.proto ../../../frontend/tf/tfpb/tensor_shape.proto ../../../frontend/tf/tfpb/types.proto ../../../frontend/tf/tfpb/versions.proto ../../../frontend/tf/tfpb/meta_graph.proto ../../../frontend/tf/tfpb/saved_model.proto ../../../frontend/tf/tfpb/saved_object_graph.proto ../../../frontend/tf/tfpb/saver.proto ../../../frontend/tf/tfpb/tensor_bundle.proto ../../../frontend/tf/tfpb/tensor_slice.proto ../../../frontend/tf/tfpb/trackable_object_graph.proto
