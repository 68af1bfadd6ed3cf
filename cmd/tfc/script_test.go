package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts under testdata/script run this test binary
// as the tfc command.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"tfc": main})
}

// TestScripts runs the CLI scripts in testdata/script: one behaviour a
// user sees per file, with the exact command lines and their output. In
// the scripts $MODELS, $CASES, $SAVEDMODELS and $DYNAMIC are the shipped test data.
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("MODELS", filepath.Join(root, "models"))
			e.Setenv("CASES", filepath.Join(root, "cases"))
			e.Setenv("SAVEDMODELS", filepath.Join(root, "savedmodels"))
			e.Setenv("DYNAMIC", filepath.Join(root, "dynamic"))
			e.Setenv("GOGC", os.Getenv("GOGC"))
			return nil
		},
		RequireExplicitExec: true,
	})
}
