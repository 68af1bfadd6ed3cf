//go:build tensorrt || tensorrt_rtx

package main

const tensorrtBuilt = true
