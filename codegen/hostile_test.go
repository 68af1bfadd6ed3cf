package codegen_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/backend/trt"
	"github.com/tfc-dev/tfc/codegen"
)

// hostileNames are layer and tensor names built to escape from a comment
// or a string literal of generated code, or to break go/format.
var hostileNames = []string{
	"y\n*/ fmt.Println(\"x\"); /*",
	"y\nfmt.Println(\"x\")\n//",
	"//go:generate rm -rf /\nfmt.Println(\"x\")",
	"/* fmt.Println(\"x\") */",
	"a\u2028fmt.Println(\"x\")\u2029b",
	"nul\x00byte",
	"`backquoted` \"dq\" \\ 'sq'",
	"bidi\u202e)x(tfeL",
	"\r\nfmt.Println(\"x\")",
	"invalid\xff\xfeutf8",
}

// chain is a network whose layer i is named names[i] (its output too).
func chain(names []string) *trt.Description {
	net := trt.NewRecorder()
	prev := net.AddInput(names[0], trt.Float, trt.Dims{1, 4})
	for _, n := range names {
		l := net.AddActivation(prev, trt.Activation{Type: trt.ActivationRelu})
		l.SetName(n)
		prev = l.Output(0)
		prev.SetName(n + ":out")
	}
	net.MarkOutput(prev)
	return net.Description()
}

// shape counts the syntax of a parsed file by node type, ignoring the
// values of identifiers and literals.
func shape(f *ast.File) map[string]int {
	m := map[string]int{}
	ast.Inspect(f, func(n ast.Node) bool {
		if n != nil {
			m[fmt.Sprintf("%T", n)]++
		}
		return true
	})
	return m
}

// TestHostileNames: hostile node names reach the generated builder only as
// string literals (and sanitised identifiers): the source parses, has the
// same syntax tree as with plain names, every name is the value of one of
// its string literals, and no comment or other token carries it.
func TestHostileNames(t *testing.T) {
	plain := make([]string, len(hostileNames))
	for i := range plain {
		plain[i] = fmt.Sprintf("plain%d", i)
	}
	parse := func(names []string, source string) (*ast.File, []byte) {
		t.Helper()
		res, err := codegen.Generate(chain(names), codegen.Options{Source: source, Version: "test", WeightsFile: "w.weights"})
		if err != nil {
			t.Fatalf("generate: %v", err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), "builder.go", res.Code, parser.ParseComments)
		if err != nil {
			t.Fatalf("generated code does not parse: %v", err)
		}
		return f, res.Code
	}
	want, _ := parse(plain, "model.pb")
	got, code := parse(hostileNames, "m\n*/ fmt.Println(\"x\") /*\u2028.pb")
	ws, gs := shape(want), shape(got)
	// Comments differ in number only through the source name; compare
	// the code.
	for _, k := range []string{"*ast.Comment", "*ast.CommentGroup"} {
		delete(ws, k)
		delete(gs, k)
	}
	if fmt.Sprint(ws) != fmt.Sprint(gs) {
		t.Errorf("hostile names changed the syntax tree:\nplain   %v\nhostile %v", ws, gs)
	}
	lits := map[string]bool{}
	ast.Inspect(got, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			if n.Kind == token.STRING {
				s, err := strconv.Unquote(n.Value)
				if err != nil {
					t.Errorf("bad literal %s: %v", n.Value, err)
				}
				lits[s] = true
			}
		case *ast.Ident:
			if !token.IsIdentifier(n.Name) || strings.ContainsFunc(n.Name, func(r rune) bool { return r > 127 }) {
				t.Errorf("identifier %q is not sanitised", n.Name)
			}
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Println" {
				t.Errorf("a name became a call: %s", code[n.Pos()-1:n.End()-1])
			}
		}
		return true
	})
	for _, n := range hostileNames {
		// A string that is not valid UTF-8 is kept byte for byte by
		// strconv.Quote.
		if !lits[n] || !lits[n+":out"] {
			t.Errorf("name %q is not a string literal of the builder", n)
		}
	}
	for _, cg := range got.Comments {
		for _, c := range cg.List {
			if strings.Contains(c.Text, "\n") && !strings.HasPrefix(c.Text, "//") {
				t.Errorf("block comment in generated code: %q", c.Text)
			}
			if strings.Contains(c.Text, "\u2028") || strings.Contains(c.Text, "\x00") {
				t.Errorf("comment carries raw hostile text: %q", c.Text)
			}
		}
	}
}

// TestHostileEmbedName: a weights file name that cannot follow //go:embed
// is an error, not a directive.
func TestHostileEmbedName(t *testing.T) {
	_, err := codegen.Generate(chain([]string{"a"}), codegen.Options{WeightsFile: "w\nfunc init() { panic(1) }", EmbedWeights: true})
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Fatalf("want a one-line error, got %v", err)
	}
}

// TestImportsOfStatements: packages only layer statements use (math, for
// a NaN parameter) are imported, though those statements are rendered
// apart from the file.
func TestImportsOfStatements(t *testing.T) {
	net := trt.NewRecorder()
	x := net.AddInput("x", trt.Float, trt.Dims{1, 4})
	l := net.AddActivation(x, trt.Activation{Type: trt.ActivationLeakyRelu, Alpha: float32(math.NaN())})
	net.MarkOutput(l.Output(0))
	res, err := codegen.Generate(net.Description(), codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "b.go", res.Code, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, im := range f.Imports {
		paths = append(paths, im.Path.Value)
	}
	if !slices.Contains(paths, `"math"`) || !strings.Contains(string(res.Code), "math.NaN()") {
		t.Errorf("imports %v; code:\n%s", paths, res.Code)
	}
}
