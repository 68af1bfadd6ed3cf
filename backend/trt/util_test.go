package trt

import (
	"encoding/binary"
	"math"
)

func putF32(b []byte, v float32) { binary.LittleEndian.PutUint32(b, math.Float32bits(v)) }
func putU32(b []byte, v uint32)  { binary.LittleEndian.PutUint32(b, v) }
