//go:build !tensorrt && !tensorrt_rtx

package tensorrt

import (
	"errors"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
)

func TestNotBuilt(t *testing.T) {
	const want = "tfc was built without TensorRT; build with -tags tensorrt_rtx (see scripts/trt-setup.sh)"
	if Available() {
		t.Fatal("Available() = true without a TensorRT build tag")
	}
	if ErrNotBuilt.Error() != want {
		t.Errorf("ErrNotBuilt = %q, want %q", ErrNotBuilt, want)
	}
	_, err := Optimize(func(trt.Network) error { return nil }, BuildOptions{})
	if !errors.Is(err, ErrNotBuilt) {
		t.Errorf("Optimize: %v, want ErrNotBuilt", err)
	}
	_, err = OptimizeDescription(&trt.Description{}, BuildOptions{})
	if !errors.Is(err, ErrNotBuilt) {
		t.Errorf("OptimizeDescription: %v, want ErrNotBuilt", err)
	}
	_, err = Load("model.plan")
	if !errors.Is(err, ErrNotBuilt) || err.Error() != want {
		t.Errorf("Load: %v, want %q", err, want)
	}
	if _, err := (&Engine{}).Infer(nil); !errors.Is(err, ErrNotBuilt) {
		t.Errorf("Infer: %v, want ErrNotBuilt", err)
	}
}
