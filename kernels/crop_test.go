package kernels

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// TestCropAndResizeMatchesTensorFlow compares CropAndResize bit for bit
// with tf.image.crop_and_resize on the inputs of
// testdata/crop_and_resize_tf.py (boxes inside, outside and across the
// image, flipped, zero-height, crop sizes 1), whose outputs it reads.
func TestCropAndResizeMatchesTensorFlow(t *testing.T) {
	parse := func(s string) []float32 {
		var r []float32
		for _, w := range strings.Split(strings.TrimSpace(s), ",") {
			v, err := strconv.ParseFloat(w, 64)
			if err != nil {
				t.Fatal(err)
			}
			r = append(r, float32(v))
		}
		return r
	}
	boxes := tensor.FromF32([]int{5, 4}, []float32{0, 0, 1, 1, 0.9, -0.2, 0.1, 1.3, 0.25, 0.3, 0.25, 0.7, -0.5, 0.1, 0.6, 0.45, 0.33, 0.66, 0.77, 0.11})
	ind := tensor.FromI32([]int{5}, []int32{0, 1, 1, 0, 1})
	data, err := os.ReadFile("testdata/crop_and_resize_tf.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 7 || !strings.HasPrefix(lines[0], "image ") {
		t.Fatalf("%d lines, want the image and 6 expected outputs", len(lines))
	}
	img := tensor.FromF32([]int{2, 3, 4, 2}, parse(lines[0][len("image "):]))
	for _, line := range lines[1:] {
		// "bilinear (3, 4) v,v,..."
		f := strings.Fields(strings.NewReplacer("(", "", ")", "", ",", " ").Replace(line[:strings.Index(line, ")")+1]))
		ch, _ := strconv.Atoi(f[1])
		cw, _ := strconv.Atoi(f[2])
		p := CropParams{Nearest: f[0] == "nearest", CropSize: [2]int{ch, cw}, Extrapolation: -7.5}
		got, err := CropAndResize(img, boxes, ind, p)
		if err != nil {
			t.Fatal(err)
		}
		want := parse(line[strings.Index(line, ")")+1:])
		if len(want) != len(got.F32) {
			t.Fatalf("%s: %d values, TensorFlow has %d", line[:20], len(got.F32), len(want))
		}
		for i, w := range want {
			if got.F32[i] != w {
				t.Errorf("%s %dx%d: element %d = %v, TensorFlow %v", f[0], ch, cw, i, got.F32[i], w)
			}
		}
	}
	if _, err := CropAndResize(img, boxes, tensor.FromI32([]int{5}, []int32{0, 1, 2, 0, 1}), CropParams{CropSize: [2]int{2, 2}}); err == nil ||
		!strings.Contains(err.Error(), "box_ind[2] = 2") {
		t.Errorf("box_ind out of range: err = %v", err)
	}
}
