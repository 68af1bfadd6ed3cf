module github.com/tfc-dev/tfc

go 1.26.8

toolchain go1.26.11

require github.com/x448/float16 v0.8.4

require google.golang.org/protobuf v1.36.12

require gonum.org/v1/gonum v0.17.0

require golang.org/x/tools v0.52.0

require golang.org/x/sys v0.50.0

require github.com/rogpeppe/go-internal v1.14.1

require (
	github.com/dave/jennifer v1.7.1
	github.com/google/go-cmp v0.7.0
	github.com/mitchellh/colorstring v0.0.0-20190213212951-d06e56a500db // indirect
	github.com/rivo/uniseg v0.4.7 // indirect
	github.com/schollz/progressbar/v3 v3.19.1
	golang.org/x/term v0.44.0
)

tool google.golang.org/protobuf/cmd/protoc-gen-go
