#!/bin/sh
# protoc plugin wrapper: runs the protoc-gen-go pinned by go.mod's tool
# directive (go get -tool google.golang.org/protobuf/cmd/protoc-gen-go@vX).
exec go tool protoc-gen-go "$@"
