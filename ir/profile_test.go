package ir

import (
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

func TestCheckProfiles(t *testing.T) {
	f, err := Parse("p", []byte("func @f {\n  %0 = input {name=\"x\"} : f32[N,S,4]\n  %1 = input {name=\"m\"} : f32[N,1,4]\n  %2 = add(%0, %1) : f32[N,S,4]\n  return \"y\" = %2\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	r := func(min, opt, max tensor.Shape) ShapeRange { return ShapeRange{Min: min, Opt: opt, Max: max} }
	good := Profile{
		"x": r(tensor.Shape{1, 1, 4}, tensor.Shape{2, 8, 4}, tensor.Shape{4, 32, 4}),
		"m": r(tensor.Shape{1, 1, 4}, tensor.Shape{2, 1, 4}, tensor.Shape{4, 1, 4}),
	}
	if err := CheckProfiles(f, []Profile{good}); err != nil {
		t.Errorf("good profile: %v", err)
	}
	if !good.Contains(map[string]tensor.Shape{"x": {3, 32, 4}, "m": {3, 1, 4}}) || good.Contains(map[string]tensor.Shape{"x": {5, 2, 4}, "m": {5, 1, 4}}) {
		t.Error("Contains")
	}
	bad := Profile{
		"x": r(tensor.Shape{1, 1, 4}, tensor.Shape{2, 8, 4}, tensor.Shape{4, 32, 4}),
		"m": r(tensor.Shape{1, 1, 4}, tensor.Shape{3, 1, 4}, tensor.Shape{4, 1, 5}),
	}
	err = CheckProfiles(f, []Profile{good, bad, {}})
	for _, want := range []string{
		`profile 1: input "m": dimension 2 is fixed at 4 by the graph, but the max shape [4,1,5] gives 5`,
		`profile 1: input "x": dimension 0 is N, which input "m" gives as min/opt/max 1/3/4, not 1/2/4`,
		`profile 2: input "x" (f32[N,S,4]) has no shapes`,
		`profile 2: input "m" (f32[N,1,4]) has no shapes`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckProfiles: %v\nwant a line %q", err, want)
		}
	}
	if err != nil && strings.Contains(err.Error(), "profile 0") {
		t.Errorf("the good profile is reported: %v", err)
	}
}
