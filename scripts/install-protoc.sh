#!/bin/sh
# Installs protoc (Debian's protobuf-compiler), needed only to regenerate
# frontend/tf/tfpb/*.pb.go with `go generate ./frontend/tf/tfpb/`.
# protoc-gen-go itself is pinned in go.mod (tool directive) and run through
# `go tool`. Idempotent: does nothing if protoc is already installed.
#
# The committed .pb.go files were generated with libprotoc 3.21.12
# (Debian bookworm); another protoc version changes their header line.
set -eu

if command -v protoc >/dev/null 2>&1; then
	echo "protoc already installed: $(protoc --version)"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends protobuf-compiler
protoc --version
