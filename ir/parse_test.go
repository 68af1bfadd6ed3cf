package ir

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tfc-dev/tfc/tensor"
)

// prog wraps op lines in a function with input %0 = f32[2,3] (line 2);
// the lines start at line 3.
func prog(lines ...string) string {
	return "func @f {\n  %0 = input {name=\"x\"} : f32[2,3]\n" + strings.Join(lines, "\n") + "\n  return\n}\n"
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		// Function structure.
		{"", `1:1: expected 'func', found end of input`},
		{"fun @f {", `1:1: expected 'func', found 'fun'`},
		{"func f {", `1:6: expected '@' after 'func', found 'f'`},
		{"func @ {", `1:8: expected function name after '@', found '{'`},
		{"func @f return }", `1:9: expected '{' after function name, found 'return'`},
		{"func @f {\n}", `2:1: expected value definition or 'return', found '}'`},
		{"func @f {\n  return\n", `3:1: expected output name (a string) or '}' after 'return', found end of input`},
		{"func @f {\n  return\n}\nx", `4:1: expected end of input after '}', found 'x'`},
		{"func @f {\n  return\n}}", `3:2: expected end of input after '}', found '}'`},
		{"func @\"a\\q\" {", `1:7: invalid string literal "a\q"`},
		{"func @\"abc {\n", `1:7: unterminated string`},
		{"func @\"abc\\", `1:7: unterminated string`},
		{"func @f {\n  %1 = input {name=\"x\\\n\"} : f32[]", `2:20: unterminated string`},

		// Lexical errors.
		{prog("  %x = relu(%0) : f32[2,3]"), `3:4: expected value number after '%', found 'x'`},
		{prog("  %1 = relu(%0) : f32[2,3] # comment"), `3:28: unexpected character '#'`},
		{prog("  %1 = relu(%0) : f32[2,3] loc(\"ä\") é"), `3:38: unexpected character byte 0xC3`},
		{prog("  %1 = relu(%0) / f32[2,3]"), `3:17: unexpected character '/'`},

		// Op structure.
		{prog("  %1 relu(%0) : f32[2,3]"), `3:6: expected ',' or '=' after result value, found 'relu'`},
		{prog("  %1, = relu(%0) : f32[2,3]"), `3:7: expected result value, found '='`},
		{prog("  %1 = (%0) : f32[2,3]"), `3:8: expected op name after '=', found '('`},
		{prog("  %1 = foo(%0) : f32[2,3]"), `3:8: unknown op "foo"`},
		{prog("  %1 = add(%0 {"), `3:15: expected ')' after operands, found '{'`},
		{prog("  %1 = relu(%0,) : f32[2,3]"), `3:16: expected operand value, found ')'`},
		{prog("  %1 = relu(x) : f32[2,3]"), `3:13: expected operand value, found 'x'`},
		{prog("  %1 = relu(%7) : f32[2,3]"), `3:13: undefined value %7`},
		{prog("  %1 = relu(%1) : f32[2,3]"), `3:13: undefined value %1`},
		{prog("  %0 = relu(%0) : f32[2,3]"), `3:3: value %0 defined twice`},
		{prog("  %1, %1 = topk(%0) {axis=1, k=1} : f32[2,1], i32[2,1]"), `3:7: value %1 defined twice`},
		{prog("  %1 = relu(%0) f32[2,3]"), `3:17: expected ':' before result types, found 'f32'`},
		{prog("  %1 = relu(%0) :"), `4:3: unknown element type "return"`},
		{prog("  %1 = relu(%0) : [2]"), `3:19: expected type, found '['`},
		{prog("  %1 = relu(%0) : f32[2,3] loc(foo)"), `3:32: expected string in loc(...), found 'foo'`},
		{prog("  %1 = relu(%0) : f32[2,3] loc(\"a\""), `4:3: expected ')' after location, found 'return'`},
		{prog("  %1 = relu(%0) : f32[2,3] loc \"a\""), `3:32: expected '(' after 'loc', found "a"`},
		{prog("  %1 = relu(%0) : f32[2,3]", "  %2 = relu(%1) : f32[2,3] relu"), `4:28: expected value definition or 'return', found 'relu'`},

		// Operand and result counts.
		{prog("  %1 = add(%0) : f32[2,3]"), `3:8: add takes 2 operands, found 1`},
		{prog("  %1 = relu : f32[2,3]"), `3:8: relu takes 1 operands, found 0`},
		{prog("  %1 = concat() {axis=0} : f32[2,3]"), `3:8: concat takes at least 1 operands, found 0`},
		{prog("  %1 = conv(%0, %0, %0, %0) {strides=[], dilations=[], pads=[], groups=1} : f32[2,3]"), `3:8: conv takes 2 to 3 operands, found 4`},
		{prog("  %1 = input(%0) {name=\"y\"} : f32[2,3]"), `3:8: input takes 0 operands, found 1`},
		{prog("  %1 = topk(%0) {axis=1, k=1} : f32[2,1]"), `3:3: topk has 2 results, found 1`},
		{prog("  %1, %2 = relu(%0) : f32[2,3], f32[2,3]"), `3:3: relu has 1 results, found 2`},
		{prog("  %1, %2 = topk(%0) {axis=1, k=1} : f32[2,1]"), `3:37: expected 2 result types, found 1`},
		{prog("  %1 = relu(%0) : f32[2,3], f32[2,3]"), `3:19: expected 1 result types, found 2`},

		// Attributes.
		{prog("  %1 = relu(%0) {alpha=1} : f32[2,3]"), `3:18: unknown attribute "alpha" for relu`},
		{prog("  %1 = transpose(%0) : f32[3,2]"), `3:8: missing attribute "perm" for transpose`},
		{prog("  %1 = transpose(%0) {} : f32[3,2]"), `3:8: missing attribute "perm" for transpose`},
		{prog("  %1 = transpose(%0) {perm=[1,0], perm=[1,0]} : f32[3,2]"), `3:35: duplicate attribute "perm"`},
		{prog("  %1 = transpose(%0) {perm=1} : f32[3,2]"), `3:28: expected an integer list [...] for attribute perm of transpose, found '1'`},
		{prog("  %1 = transpose(%0) {perm=[1,0} : f32[3,2]"), `3:32: expected ',' or ']' in attribute perm of transpose, found '}'`},
		{prog("  %1 = transpose(%0) {perm=[1,x]} : f32[3,2]"), `3:31: expected an integer in attribute perm of transpose, found 'x'`},
		{prog("  %1 = transpose(%0) {perm=[1,0] x=1} : f32[3,2]"), `3:34: expected ',' or '}' after attribute, found 'x'`},
		{prog("  %1 = transpose(%0) {perm:[1,0]} : f32[3,2]"), `3:27: expected '=' after attribute name, found ':'`},
		{prog("  %1 = transpose(%0) {[1,0]} : f32[3,2]"), `3:23: expected attribute name, found '['`},
		{prog("  %1 = concat(%0) {axis=1.5} : f32[2,3]"), `3:25: expected an integer for attribute axis of concat, found '1.5'`},
		{prog("  %1 = concat(%0) {axis=\"1\"} : f32[2,3]"), `3:25: expected an integer for attribute axis of concat, found "1"`},
		{prog("  %1 = concat(%0) {axis=99999999999999999999} : f32[2,3]"), `3:25: integer 99999999999999999999 out of range`},
		{prog("  %1 = leaky_relu(%0) {alpha=true} : f32[2,3]"), `3:30: expected a number for attribute alpha of leaky_relu, found 'true'`},
		{prog("  %1 = leaky_relu(%0) {alpha=1.} : f32[2,3]"), `3:30: expected a number for attribute alpha of leaky_relu, found '1.'`},
		{prog("  %1 = leaky_relu(%0) {alpha=--1} : f32[2,3]"), `3:30: expected a number for attribute alpha of leaky_relu, found '-'`},
		{prog("  %1 = leaky_relu(%0) {alpha=NaN} : f32[2,3]"), `3:30: expected a number for attribute alpha of leaky_relu, found 'NaN'`},
		{prog("  %1 = leaky_relu(%0) {alpha=1e400} : f32[2,3]"), `3:30: number 1e400 out of range`},
		{prog("  %1 = matmul(%0, %0) {transpose_a=1, transpose_b=false} : f32[2,2]"), `3:36: expected true or false for attribute transpose_a of matmul, found '1'`},
		{prog("  %1 = einsum(%0) {equation=ij->ji} : f32[3,2]"), `3:29: expected a string for attribute equation of einsum, found 'ij-'`},
		{prog("  %1 = pad(%0) {mode=\"wrap\", pads=[0,0,0,0], value=0} : f32[2,3]"), `3:22: attribute mode of pad must be one of "constant", "reflect", "symmetric", "edge", found "wrap"`},
		{prog("  %1 = cast(%0) {to=f33} : f32[2,3]"), `3:21: unknown element type "f33"`},
		{prog("  %1 = cast(%0) {to=\"f32\"} : f32[2,3]"), `3:21: expected an element type for attribute to of cast, found "f32"`},

		// Types.
		{prog("  %1 = relu(%0) : f33[2,3]"), `3:19: unknown element type "f33"`},
		{prog("  %1 = relu(%0) : f32"), `4:3: expected '[' after element type, found 'return'`},
		{prog("  %1 = relu(%0) : f32[-1]"), `3:23: expected dimension (an integer ≥ 0), found '-1'`},
		{prog("  %1 = relu(%0) : f32[?]"), `3:23: unexpected character '?'`},
		{prog("  %1 = relu(%0) : f32[2,]"), `3:25: expected dimension (an integer ≥ 0), found ']'`},
		{prog("  %1 = relu(%0) : f32[2 3]"), `3:25: expected ',' or ']' in shape, found '3'`},
		{prog("  %1 = relu(%0) : f32[1.5]"), `3:23: expected dimension (an integer ≥ 0), found '1.5'`},
		{prog("  %1 = relu(%0) : f32[99999999999999999999]"), `3:23: dimension 99999999999999999999 out of range`},
		{prog("  %1 = relu(%0) : f32[1048576,1048577]"), `3:19: type f32[1048576,1048577] has more than 1099511627776 elements`},

		// Tensor literals.
		{prog("  %1 = const {value=[1]} : i32[1]"), `3:21: expected a tensor dense<...> for attribute value, found '['`},
		{prog("  %1 = const {value=dense[1]} : i32[1]"), `3:26: expected '<' after 'dense', found '['`},
		{prog("  %1 = const {value=dense<foo>} : i32[1]"), `3:27: expected '[', hex data or 'elided' in tensor literal, found 'foo'`},
		{prog("  %1 = const {value=dense<[1 2]>} : i32[2]"), `3:30: expected ',' or ']' in tensor literal, found '2'`},
		{prog("  %1 = const {value=dense<[1]} : i32[1]"), `3:30: expected '>' after tensor data, found '}'`},
		{prog("  %1 = const {value=dense<[1, 2, 3]>} : i32[2]"), `3:21: tensor literal has 3 elements, type i32[2] needs 2`},
		{prog("  %1 = const {value=dense<[]>} : i32[]"), `3:21: tensor literal has 0 elements, type i32[] needs 1`},
		{prog("  %1 = const {value=dense<[1, [2]]>} : i32[2]"), `3:31: expected tensor element, found '['`},
		{prog("  %1 = const {value=dense<[1.5]>} : i32[1]"), `3:28: expected i32 element, found '1.5'`},
		{prog("  %1 = const {value=dense<[128]>} : i8[1]"), `3:28: value 128 out of range for i8`},
		{prog("  %1 = const {value=dense<[-1]>} : u32[1]"), `3:28: value -1 out of range for u32`},
		{prog("  %1 = const {value=dense<[9223372036854775808]>} : i64[1]"), `3:28: value 9223372036854775808 out of range for i64`},
		{prog("  %1 = const {value=dense<[1e39]>} : f32[1]"), `3:28: value 1e39 out of range for f32`},
		{prog("  %1 = const {value=dense<[70000]>} : f16[1]"), `3:28: value 70000 out of range for f16`},
		{prog("  %1 = const {value=dense<[1e39]>} : bf16[1]"), `3:28: value 1e39 out of range for bf16`},
		{prog("  %1 = const {value=dense<[1e309]>} : f64[1]"), `3:28: value 1e309 out of range for f64`},
		{prog("  %1 = const {value=dense<[1]>} : bool[1]"), `3:28: expected bool element, found '1'`},
		{prog("  %1 = const {value=dense<[true]>} : f32[1]"), `3:28: expected f32 element, found 'true'`},
		{prog("  %1 = const {value=dense<[nan, -nan]>} : f32[2]"), `3:33: expected f32 element, found '-nan'`},
		{prog("  %1 = const {value=dense<0x0000>} : i32[2]"), `3:27: hex data has 2 bytes, type i32[2] needs 8 bytes`},
		{prog("  %1 = const {value=dense<0x000>} : i16[1]"), `3:27: hex data has an odd number of digits (3), type i16[1] needs 2 bytes`},
		{prog("  %1 = const {value=dense<0x00G0>} : i16[1]"), `3:31: invalid hex digit 'G'`},
		{prog("  %1 = const {value=dense<0x0002>} : bool[2]"), `3:27: hex data: element 1 of bool tensor is 2, want 0 or 1`},
		{prog("  %1 = const {value=dense<0x>} : bool[1]"), `3:27: hex data has 0 bytes, type bool[1] needs 1 bytes`},
		{prog("  %1 = const {value=dense<elided>} : invalid[1]"), `3:38: unknown element type "invalid"`},

		// Outputs.
		{"func @f {\n  return \"y\" = %9\n}", `2:16: undefined value %9`},
		{"func @f {\n  return y = %0\n}", `2:10: expected output name (a string) or '}' after 'return', found 'y'`},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[]\n  return \"y\" %0\n}", `3:14: expected '=' after output name, found '%0'`},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[]\n  return \"y\" = %0 \"z\" = %0\n}", `3:19: expected ',' or '}' after output, found "z"`},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[]\n  return \"y\" = %0, \"y\" = %0\n}", `3:20: duplicate output name "y"`},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[]\n  return \"y\" = %0,\n}", `4:1: expected output name (a string), found '}'`},
		{"func @f {\n  %0 = input {name=\"x\"} : f32[]\n  return \"y\" = 0\n}", `3:16: expected output value, found '0'`},
	}
	for _, tc := range tests {
		f, err := Parse("model.tfir", []byte(tc.src))
		if err == nil {
			t.Errorf("Parse succeeded, want %s\n%s", tc.want, tc.src)
			continue
		}
		if f != nil {
			t.Errorf("Parse returned a Func and an error")
		}
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("error %T is not a *ParseError", err)
		}
		if got, want := err.Error(), "model.tfir:"+tc.want; got != want {
			t.Errorf("got  %s\nwant %s\nin\n%s", got, want, tc.src)
		}
	}
}

// TestParseLenient checks input the printer does not produce but the parser
// accepts, and what it is printed as.
func TestParseLenient(t *testing.T) {
	src := `// A comment before the function.
func   @"lenient"{%0=input{name="x"}:f32[2,3]// comment after an op
	%5 = relu ( %0 ) : f32 [ 2 , 3 ]
%2=const{value=dense<0x0100000002000000>}:i32[2]   // hex for a small tensor
  %3 = transpose(%0) {perm = [ 1 , 0 ]} : f32[3,2]
  %4 = pad(%5) {value=0.25, pads=[0,0,1,1], mode="constant"} : f32[3,4]   // attributes out of order
  %7 = input() {name=""} : f16[]   // empty operand list
  %6 = relu(%0) {} : f32[2,3]   // empty attributes
  %8 = const {value=dense<[0.1, 65519.99, 1e-7]>} : f16[3]   // rounded to f16
  %9 = const {value=dense<[0.1]>} : bf16[]
  %10 = const {value=dense<0x0000c03f>} : f32[]   // lower-case hex
  %11 = const {value=dense<elided>} : f32[0]
  %12 = leaky_relu(%0) {alpha=1E+3} : f32[2,3]
  %13 = leaky_relu(%0) {alpha=00.50} : f32[2,3]
  %14 = concat(%0) {axis=-0} : f32[2,3]
  %015 = relu(%0) : f32[2,3]
  return "a" = %4 , "b"=%3,"c"=%015
}
`
	want := `func @lenient {
  %0 = input {name="x"} : f32[2,3]
  %1 = relu(%0) : f32[2,3]
  %2 = const {value=dense<[1, 2]>} : i32[2]
  %3 = transpose(%0) {perm=[1,0]} : f32[3,2]
  %4 = pad(%1) {mode="constant", pads=[0,0,1,1], value=0.25} : f32[3,4]
  %5 = input {name=""} : f16[]
  %6 = relu(%0) : f32[2,3]
  %7 = const {value=dense<[0.099975586, 65504, 1.1920929e-07]>} : f16[3]
  %8 = const {value=dense<[0.100097656]>} : bf16[]
  %9 = const {value=dense<[1.5]>} : f32[]
  %10 = const {value=dense<[]>} : f32[0]
  %11 = leaky_relu(%0) {alpha=1000} : f32[2,3]
  %12 = leaky_relu(%0) {alpha=0.5} : f32[2,3]
  %13 = concat(%0) {axis=0} : f32[2,3]
  %14 = relu(%0) : f32[2,3]
  return "a" = %4, "b" = %3, "c" = %14
}
`
	f, err := Parse("lenient.tfir", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s\n%s", got, want, firstDiff(want, got))
	}
}

func TestParseResult(t *testing.T) {
	src := prog(
		`  %1 = const {value=dense<[1, -2]>} : i64[2] loc("c")`,
		`  %2, %3 = topk(%0) {axis=1, k=2} : f32[2,2], i32[2,2] loc("a/b")`,
		`  %4 = const {value=dense<elided>} : f32[1000,1000]`,
	)
	f, err := Parse("x", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "f" || len(f.Ops) != 4 || len(f.Outputs) != 0 {
		t.Fatalf("parsed %q with %d ops, %d outputs", f.Name, len(f.Ops), len(f.Outputs))
	}
	in, c, topk, big := f.Ops[0], f.Ops[1], f.Ops[2], f.Ops[3]
	if in.Opcode != OpInput || in.Str("name") != "x" || !in.Result().Type.Equal(TensorType(tensor.Float32, 2, 3)) || in.Loc != "" {
		t.Errorf("input op parsed wrong: %+v", in)
	}
	if ct := c.Tensor("value"); ct.DType != tensor.Int64 || !ct.Shape.Equal(tensor.Shape{2}) || len(ct.I64) != 2 || ct.I64[1] != -2 || c.Loc != "c" {
		t.Errorf("const parsed wrong: %+v", ct)
	}
	if topk.Opcode != OpTopK || len(topk.Results) != 2 || topk.Args[0] != in.Results[0] || topk.Int("k") != 2 || topk.Loc != "a/b" {
		t.Errorf("topk parsed wrong: %+v", topk)
	}
	if r := topk.Results[1]; r.Op != topk || r.Index != 1 || r.Type.DType != tensor.Int32 {
		t.Errorf("topk result 1 is %+v", r)
	}
	if bt := big.Tensor("value"); !IsElided(bt) || !bt.Shape.Equal(tensor.Shape{1000, 1000}) {
		t.Errorf("elided const parsed wrong: %+v", bt)
	}
	if err := Verify(f); err != nil {
		t.Error(err)
	}
	// Values get distinct IDs.
	ids := map[int]bool{}
	for _, op := range f.Ops {
		for _, r := range op.Results {
			if ids[r.ID] {
				t.Errorf("ID %d repeated", r.ID)
			}
			ids[r.ID] = true
		}
	}
}

func TestParseFloatSyntax(t *testing.T) {
	for s, want := range map[string]bool{
		"0": true, "-0": true, "12": true, "1.5": true, "-1.5e-07": true, "1e+06": true, "1E6": true,
		"": false, "-": false, "1.": false, ".5": false, "1e": false, "1e+": false, "+1": false, "0x10": false,
		"1_000": false, "inf": false, "1.5.5": false, "--1": false, "1e5.5": false,
	} {
		if isFloatText(s) != want {
			t.Errorf("isFloatText(%q) = %v", s, !want)
		}
	}
	for s, want := range map[string]bool{"0": true, "-12": true, "": false, "-": false, "1.0": false, "1e3": false, "+1": false} {
		if isIntText(s) != want {
			t.Errorf("isIntText(%q) = %v", s, !want)
		}
	}
}

// TestParseF16Bits checks that every f16 and bf16 bit pattern survives
// hex printing and parsing.
func TestParseF16Bits(t *testing.T) {
	for _, dt := range []tensor.DType{tensor.Float16, tensor.BFloat16} {
		tt := &tensor.Tensor{DType: dt, Shape: tensor.Shape{1 << 16}, F32: make([]float32, 1<<16)}
		for i := range tt.F32 {
			if dt == tensor.Float16 {
				tt.F32[i] = tensor.F16FromBits(uint16(i))
			} else {
				tt.F32[i] = tensor.BF16FromBits(uint16(i))
			}
		}
		f := NewFunc("bits")
		f.AddOutput("c", f.Const(tt, ""))
		s1 := printString(t, f, PrintOptions{ElideOver: -1})
		g, err := Parse("bits", []byte(s1))
		if err != nil {
			t.Fatal(err)
		}
		if s2 := printString(t, g, PrintOptions{ElideOver: -1}); s1 != s2 {
			t.Errorf("%v: hex round trip differs", dt)
		}
		got := g.Ops[0].Tensor("value").F32
		for i, v := range tt.F32 {
			if math.Float32bits(v) != math.Float32bits(got[i]) && !(v != v && got[i] != got[i]) {
				t.Errorf("%v: element %d: %v became %v", dt, i, v, got[i])
				break
			}
		}
	}
}

// TestGolden parses each testdata/*.tfir file, verifies it and checks
// that it prints back identically (without elision).
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.tfir"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.tfir files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(file, src)
			if err != nil {
				t.Fatal(err)
			}
			if err := Verify(f); err != nil {
				t.Fatal(err)
			}
			if got := printString(t, f, PrintOptions{ElideOver: -1}); got != string(src) {
				t.Errorf("%s does not print back identically:\n%s", file, firstDiff(string(src), got))
			}
			for _, c := range printOptionCases {
				checkRoundTrip(t, f, c.opts)
			}
			// CRLF line ends and comments are white space.
			crlf := strings.ReplaceAll(string(src), "\n", " // comment\r\n")
			g, err := Parse(file, []byte(crlf))
			if err != nil {
				t.Fatalf("with CRLF and comments: %v", err)
			}
			if got := printString(t, g, PrintOptions{ElideOver: -1}); got != string(src) {
				t.Errorf("with CRLF and comments: prints differently:\n%s", firstDiff(string(src), got))
			}
		})
	}
}

// FuzzParse checks that Parse never panics, that errors are positioned,
// and that Funcs that parse and verify round-trip through the printer.
func FuzzParse(f *testing.F) {
	f.Add([]byte(prog("  %1 = relu(%0) : f32[2,3]")))
	sym, _ := os.ReadFile(filepath.Join("testdata", "symbolic.tfir"))
	f.Add(sym)
	control, _ := os.ReadFile(filepath.Join("testdata", "control.tfir"))
	f.Add(control)
	f.Fuzz(func(t *testing.T, src []byte) {
		fn, err := Parse("fuzz.tfir", src)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.HasPrefix(err.Error(), "fuzz.tfir:") || pe.Line < 1 || pe.Col < 1 {
				t.Fatalf("bad error %T %v", err, err)
			}
			return
		}
		_ = fn.String() // printing never fails, even if Verify does
		if Verify(fn) != nil {
			return
		}
		for _, opts := range []PrintOptions{{}, {ElideOver: -1}} {
			var sb strings.Builder
			if err := Print(&sb, fn, opts); err != nil {
				t.Fatal(err)
			}
			s1 := sb.String()
			g, err := Parse("printed.tfir", []byte(s1))
			if err != nil {
				t.Fatalf("Parse(Print(f)): %v\n%s", err, s1)
			}
			if err := Verify(g); err != nil {
				t.Fatalf("Verify(Parse(Print(f))): %v\n%s", err, s1)
			}
			sb.Reset()
			if err := Print(&sb, g, opts); err != nil {
				t.Fatal(err)
			}
			if s2 := sb.String(); s2 != s1 {
				t.Fatalf("round trip differs:\n%s", firstDiff(s1, s2))
			}
		}
	})
}
