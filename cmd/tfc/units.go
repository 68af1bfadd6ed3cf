package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/tfc-dev/tfc/frontend/tf/tfpb"
	"github.com/tfc-dev/tfc/tensor"
)

// Every command prints sizes, times, shapes, dtypes and counts through
// these, so that they read the same everywhere: 97.4 MiB, 1.2 s,
// f32[1,224,224,3] (? for an unknown dimension), "1 input", "2 inputs".

// byteSize prints a size in binary units with one decimal: 512 B,
// 9.5 KiB, 97.4 MiB, 1.2 GiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, suffix := float64(n), ""
	for _, s := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if v /= unit; v < unit || s == "TiB" {
			suffix = s
			break
		}
	}
	return fmt.Sprintf("%.1f %s", v, suffix)
}

// duration prints a time with a space before the unit: 820 µs, 35 ms, 1.2 s, 2 min 5 s.
func duration(d time.Duration) string {
	switch {
	case d < time.Microsecond:
		return fmt.Sprintf("%d ns", d.Nanoseconds())
	case d < time.Millisecond:
		return fmt.Sprintf("%.0f µs", float64(d)/float64(time.Microsecond))
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d < time.Minute:
		return fmt.Sprintf("%.1f s", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

// bytesFlag is a size flag: a number of bytes, or a number with a unit
// B, KiB, MiB, GiB or TiB ("64MiB", "1.5 GiB"); -h shows its default as
// byteSize does.
type bytesFlag int64

func (b *bytesFlag) String() string {
	if b == nil || *b == 0 {
		return "0"
	}
	return byteSize(int64(*b))
}

func (b *bytesFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	num := strings.TrimRight(s, "BKMGTib ")
	unit := strings.TrimSpace(s[len(num):])
	scale := map[string]float64{"": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}[unit]
	v, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || scale == 0 || v < 0 || v*scale > math.MaxInt64 {
		return fmt.Errorf("want a size in bytes, or with a unit B, KiB, MiB, GiB or TiB (64MiB)")
	}
	*b = bytesFlag(v * scale)
	return nil
}

// count prints n with a noun, plural unless n is 1: "1 input", "3 inputs".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// dtypeName names a TensorFlow dtype as tfc names its tensors' (f32,
// i64, bool); quantized and other types keep TF's name without DT_
// (qint8, string, resource).
func dtypeName(dt tfpb.DataType) string {
	if dt == tfpb.DataType_DT_INVALID {
		return "?"
	}
	name := strings.ToLower(strings.TrimPrefix(dt.String(), "DT_"))
	if strings.HasPrefix(name, "q") {
		return name
	}
	if d, err := tfpb.DTypeFromProto(dt); err == nil {
		return d.String()
	}
	return name
}

// shapeText prints a TensorShapeProto in tfc's notation: [?,224,224,3],
// or [*] for an unknown rank.
func shapeText(sp *tfpb.TensorShapeProto) string {
	if sp == nil || sp.GetUnknownRank() {
		return "[*]"
	}
	s := make(tensor.Shape, len(sp.GetDim()))
	for i, d := range sp.GetDim() {
		s[i] = int(d.GetSize())
		if s[i] < 0 {
			s[i] = -1
		}
	}
	return s.String()
}

// shapeJSON is a shape for JSON output: dimensions, -1 where unknown;
// nil (null) for an unknown rank.
func shapeJSON(s tensor.Shape) []int {
	out := make([]int, len(s))
	for i, d := range s {
		out[i] = d
		if d < 0 {
			out[i] = -1
		}
	}
	return out
}

// shapeString prints a JSON shape in tfc's notation: [?,224,224,3], or
// [*] for an unknown rank (nil).
func shapeString(s []int) string {
	if s == nil {
		return "[*]"
	}
	return tensor.Shape(s).String()
}
