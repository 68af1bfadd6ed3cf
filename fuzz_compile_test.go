package tfc_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc"
	"github.com/tfc-dev/tfc/codegen"
	"github.com/tfc-dev/tfc/passes"
	"github.com/tfc-dev/tfc/tensor"
)

// FuzzCompile takes whatever GraphDef (or IR text) it is given through
// import, the default pipeline, lowering and Go code generation. Nothing
// may panic; the generated builder must parse, and its Build body may
// hold only the statements the generator writes (layer constructions on
// net, SetName, MarkOutput and the fixed weights checks): no statement
// may come from a name. Tensors are limited to 64 MiB so the fuzzer
// cannot exhaust memory.
func FuzzCompile(f *testing.F) {
	for _, c := range []string{"binary_add", "conv2d_nhwc_same_s1", "concat_neg_axis", "pad_nhwc_spatial",
		"maxpool_argmax_valid", "matmul_transpose_b", "batchmatmul_v2_bcast_batch", "concat_with_const"} {
		if data, err := os.ReadFile(filepath.Join("testdata/cases", c, "model.pb")); err == nil {
			f.Add(data)
		}
	}
	bad, _ := filepath.Glob("testdata/bad/*.pb*")
	for _, b := range bad {
		if data, err := os.ReadFile(b); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("node { name: \"x\\n*/ fmt.Println(1) /*\" op: \"Placeholder\" attr { key: \"dtype\" value { type: DT_FLOAT } } attr { key: \"shape\" value { shape { dim { size: 2 } } } } }\n" +
		"node { name: \"y\\u2028\" op: \"Relu\" input: \"x\\n*/ fmt.Println(1) /*\" attr { key: \"T\" value { type: DT_FLOAT } } }"))
	defer tensor.SetMaxBytes(tensor.SetMaxBytes(64 << 20))
	f.Fuzz(func(t *testing.T, data []byte) {
		fn, err := tfc.LoadBytes("fuzz.pb", data, tfc.LoadOptions{})
		if err != nil {
			return
		}
		if _, err := passes.Run(fn, passes.Options{VerifyEach: true}); err != nil {
			return
		}
		d, err := tfc.Lower(fn)
		if err != nil {
			return
		}
		res, err := codegen.Generate(d, codegen.Options{})
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error: %q", err)
			}
			return
		}
		checkBuilder(t, res.Code)
	})
}

// checkBuilder parses generated code and checks that every statement of
// Build is one the generator writes.
func checkBuilder(t *testing.T, code []byte) {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "builder.go", code, 0)
	if err != nil {
		t.Fatalf("generated code does not parse: %v", err)
	}
	var build *ast.FuncDecl
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "Build" {
			build = fd
		}
	}
	if build == nil {
		t.Fatal("no Build function")
	}
	// callOn reports whether e is a call of a method named one of names.
	callOn := func(e ast.Expr, names ...string) bool {
		c, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		sel, ok := c.Fun.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		if len(names) == 0 {
			return true
		}
		for _, n := range names {
			if sel.Sel.Name == n {
				return true
			}
		}
		return false
	}
	// handles are the loops and conditionals (x := net.AddLoop(...) or
	// net.AddIfConditional(...)): their methods add the boundary layers.
	handles := map[string]bool{}
	for _, st := range build.Body.List {
		switch s := st.(type) {
		case *ast.AssignStmt:
			// x := net.AddX(...), x := loop.AddRecurrence(...) or w, err := weightsfile.Open(...)
			if len(s.Rhs) != 1 || !callOn(s.Rhs[0]) {
				t.Fatalf("unexpected assignment at %d", s.Pos())
			}
			sel := s.Rhs[0].(*ast.CallExpr).Fun.(*ast.SelectorExpr)
			x, ok := sel.X.(*ast.Ident)
			if !ok || (x.Name != "net" && x.Name != "weightsfile" && !handles[x.Name]) {
				t.Fatalf("assignment from %v at %d", sel.X, s.Pos())
			}
			if x.Name == "net" && (sel.Sel.Name == "AddLoop" || sel.Sel.Name == "AddIfConditional") && len(s.Lhs) == 1 {
				if id, ok := s.Lhs[0].(*ast.Ident); ok {
					handles[id.Name] = true
				}
			}
		case *ast.ExprStmt:
			if callOn(s.X, "SetRecurrenceNext", "AddTripLimit", "SetCondition") {
				if x, ok := s.X.(*ast.CallExpr).Fun.(*ast.SelectorExpr).X.(*ast.Ident); !ok || !handles[x.Name] {
					t.Fatalf("control-flow call on something other than a loop or conditional at %d", s.Pos())
				}
				continue
			}
			if !callOn(s.X, "SetName", "MarkOutput") {
				t.Fatalf("unexpected expression statement at %d", s.Pos())
			}
			for _, a := range s.X.(*ast.CallExpr).Args {
				if _, isLit := a.(*ast.BasicLit); !isLit && s.X.(*ast.CallExpr).Fun.(*ast.SelectorExpr).Sel.Name == "SetName" {
					t.Fatalf("SetName argument is not a literal at %d", s.Pos())
				}
			}
		case *ast.IfStmt, *ast.ReturnStmt:
			// The fixed weights-file checks and the final return.
		default:
			t.Fatalf("unexpected statement %T at %d", st, st.Pos())
		}
	}
}
