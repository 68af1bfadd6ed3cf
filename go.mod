module github.com/tfc-dev/tfc

go 1.26.8

require github.com/x448/float16 v0.8.4

require google.golang.org/protobuf v1.36.12

require gonum.org/v1/gonum v0.17.0

require golang.org/x/tools v0.52.0

require (
	github.com/dave/jennifer v1.7.1 // indirect
	github.com/google/go-cmp v0.7.0 // indirect
)

tool google.golang.org/protobuf/cmd/protoc-gen-go
