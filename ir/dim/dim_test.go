package dim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestCanonical(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"0", "0"},
		{"7", "7"},
		{"N", "N"},
		{"N+N", "2*N"},
		{"N-N", "0"},
		{"1+N", "N+1"},
		{"S*N", "N*S"},
		{"N*2*S", "2*N*S"},
		{"(N+1)*(N-1)", "N*N-1"},
		{"N/1", "N"},
		{"(2*N+3)/2", "N+1"},
		{"ceil((2*N+3)/2)", "N+2"},
		{"(N+2)/2", "N/2+1"},
		{"(N-1)/2", "(N+1)/2-1"},
		{"(N/2)/3", "N/6"},
		{"ceil(ceil(N/2)/3)", "ceil(N/6)"},
		{"ceil(N/2)/3", "ceil(N/2)/3"},
		{"7/2", "3"},
		{"ceil(7/2)", "4"},
		{"-7/2", "-3"},
		{"(0-7)/2", "-4"},
		{"ceil((N*S)/4)", "ceil((N*S)/4)"},
		{"3*(N/2)", "3*(N/2)"},
		{"M*(N/2)+1", "M*(N/2)+1"},
		{"-N/2", "-N/2"},
		{"2-N/2", "-N/2+2"},
		{"2 * N + 1", "2*N+1"},
		{"(N+M)-(M+N)", "0"},
		{"_b0*2", "2*_b0"},
	} {
		e, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := e.String(); got != c.want {
			t.Errorf("Parse(%q) = %s, want %s", c.in, got, c.want)
		}
		back, err := Parse(e.String())
		if err != nil || !back.Equal(e) || back.String() != e.String() {
			t.Errorf("round trip of %q: %v, %v", e, back, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", "unexpected end"},
		{"N+", "unexpected end"},
		{"N/0", "division by zero"},
		{"N/M", "want an integer"},
		{"ceil(N)", "must end in a division"},
		{"ceil(N/2", "want )"},
		{"(N", "want )"},
		{"N,3", `unexpected ","`},
		{"99999999999999999999", "out of range"},
		{"1099511627776*2", "out of range"},
		{strings.Repeat("(", 100) + "N" + strings.Repeat(")", 100), "nested too deeply"},
	} {
		_, err := Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", c.in, err, c.want)
		}
	}
}

func TestValueAndSymbols(t *testing.T) {
	e, _ := Parse("(N+1)/2*S+B-B")
	if _, ok := e.Value(); ok {
		t.Errorf("%v is not constant", e)
	}
	if got := fmt.Sprint(e.Symbols()); got != "[N S]" {
		t.Errorf("Symbols = %s", got)
	}
	c, _ := Parse("N-N+5")
	if v, ok := c.Value(); !ok || v != 5 {
		t.Errorf("Value = %d, %v", v, ok)
	}
	if !Const(0).Equal(Expr{}) {
		t.Errorf("Const(0) differs from the zero Expr")
	}
	if _, err := MulConst(Const(1<<30), 1<<30); !errors.Is(err, ErrOverflow) {
		t.Errorf("overflow not reported: %v", err)
	}
	if _, err := FloorDiv(Sym("N"), 0); err == nil {
		t.Errorf("division by 0 accepted")
	}
}

func TestSubstitute(t *testing.T) {
	e, _ := Parse("ceil((N*S+1)/2)")
	got, err := e.Substitute(func(s string) (Expr, bool) {
		if s == "N" {
			return Const(4), true
		}
		return Expr{}, false
	})
	if err != nil || got.String() != "2*S+1" {
		t.Errorf("Substitute = %v, %v; want 2*S+1", got, err)
	}
}

// node is a raw expression tree, evaluated directly to check canonical forms.
type node struct {
	op   byte // 'c' const, 's' symbol, '+', '-', '*', 'f' floor div, 'e' ceil div
	v    int64
	sym  string
	l, r *node
}

func (n *node) eval(env map[string]int64) int64 {
	switch n.op {
	case 'c':
		return n.v
	case 's':
		return env[n.sym]
	case '+':
		return n.l.eval(env) + n.r.eval(env)
	case '-':
		return n.l.eval(env) - n.r.eval(env)
	case '*':
		return n.l.eval(env) * n.r.eval(env)
	case 'f':
		return floorDiv(n.l.eval(env), n.v)
	}
	return -floorDiv(-n.l.eval(env), n.v)
}

func (n *node) build() (Expr, error) {
	switch n.op {
	case 'c':
		return Const(n.v), nil
	case 's':
		return Sym(n.sym), nil
	}
	l, err := n.l.build()
	if err != nil {
		return Expr{}, err
	}
	switch n.op {
	case 'f':
		return FloorDiv(l, n.v)
	case 'e':
		return CeilDiv(l, n.v)
	}
	r, err := n.r.build()
	if err != nil {
		return Expr{}, err
	}
	switch n.op {
	case '+':
		return Add(l, r)
	case '-':
		return Sub(l, r)
	}
	return Mul(l, r)
}

func randNode(rng *rand.Rand, depth int) *node {
	if depth == 0 || rng.IntN(4) == 0 {
		if rng.IntN(2) == 0 {
			return &node{op: 'c', v: int64(rng.IntN(9)) - 3}
		}
		return &node{op: 's', sym: []string{"N", "S", "B"}[rng.IntN(3)]}
	}
	op := "+-*fe"[rng.IntN(5)]
	n := &node{op: op, l: randNode(rng, depth-1)}
	if op == 'f' || op == 'e' {
		n.v = int64(rng.IntN(4)) + 1
	} else {
		n.r = randNode(rng, depth-1)
	}
	return n
}

// TestRandom checks on random expressions that the canonical form has the
// value of the raw expression at random symbol values, and that its text
// parses back to itself.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000; i++ {
		n := randNode(rng, 4)
		e, err := n.build()
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		back, err := Parse(e.String())
		if err != nil || back.String() != e.String() {
			t.Fatalf("round trip of %s: %v, %v", e, back, err)
		}
		for j := 0; j < 5; j++ {
			env := map[string]int64{"N": int64(rng.IntN(20)), "S": int64(rng.IntN(20)), "B": int64(rng.IntN(7)) - 3}
			got, err := e.Eval(func(s string) (int64, bool) { v, ok := env[s]; return v, ok })
			if err != nil {
				t.Fatalf("Eval(%s): %v", e, err)
			}
			if want := n.eval(env); got != want {
				t.Fatalf("%s at %v = %d, want %d (tree %s)", e, env, got, want, n)
			}
		}
	}
}

func TestEvalUnbound(t *testing.T) {
	_, err := Sym("N").Eval(func(string) (int64, bool) { return 0, false })
	if err == nil || !strings.Contains(err.Error(), "symbol N has no value") {
		t.Errorf("Eval = %v", err)
	}
}

func (n *node) String() string {
	switch n.op {
	case 'c':
		return fmt.Sprint(n.v)
	case 's':
		return n.sym
	case 'f', 'e':
		return fmt.Sprintf("%c(%v, %d)", n.op, n.l, n.v)
	}
	return fmt.Sprintf("(%v %c %v)", n.l, n.op, n.r)
}

// FuzzParse: Parse never panics, and what it accepts prints to a text that
// parses back to the same expression.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"N", "2*N+1", "(N+1)/2", "ceil((N*S)/4)", "-N/2", "3*(N/2)", "N*N-1", "ceil(N/2)/3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			return
		}
		back, err := Parse(e.String())
		if err != nil || !back.Equal(e) {
			t.Fatalf("Parse(%q) = %s, which parses back as %v, %v", s, e, back, err)
		}
	})
}

func TestDivExact(t *testing.T) {
	p := func(s string) Expr {
		e, err := Parse(s)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, c := range []struct{ e, f, want string }{
		{"64*N*S", "N*S", "64"},
		{"64*N*S", "4*S", "16*N"},
		{"2*N*S+4*S", "2*S", "N+2"},
		{"N*N", "N", "N"},
		{"12", "3", "4"},
		{"2*N+2", "N+1", "2"},
		{"(N+1)/2*S", "(N+1)/2", "S"},
	} {
		got, err := DivExact(p(c.e), p(c.f))
		if err != nil || got.String() != c.want {
			t.Errorf("DivExact(%s, %s) = %v, %v; want %s", c.e, c.f, got, err, c.want)
		}
	}
	for _, c := range [][2]string{{"N", "0"}, {"N+1", "N"}, {"3*N", "2"}, {"N*S", "M"}, {"N+2", "N+1"}, {"13", "3"}} {
		if got, err := DivExact(p(c[0]), p(c[1])); err == nil {
			t.Errorf("DivExact(%s, %s) = %v, want an error", c[0], c[1], got)
		}
	}
}

func TestUpperBound(t *testing.T) {
	max := func(s string) (int64, bool) {
		v, ok := map[string]int64{"K": 12, "N": 5}[s]
		return v, ok
	}
	for _, c := range []struct {
		e    string
		want int64
		err  string
	}{
		{"K", 12, ""},
		{"2*K+3", 27, ""},
		{"K*N", 60, ""},
		{"(K+1)/2", 6, ""},
		{"ceil(K/5)", 3, ""},
		{"(N-1)/2", 2, ""}, // canonical (N+1)/2-1: a constant term may be negative
		{"7", 7, ""},
		{"K-N", 0, "decreases in a symbol"},
		{"(12-K)/2", 0, "decreases in a symbol"},
		{"M", 0, "symbol M has no value"},
	} {
		e, err := Parse(c.e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := UpperBound(e, max)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("UpperBound(%s) = %d, %v; want error %q", c.e, got, err, c.err)
		case c.err == "" && (err != nil || got != c.want):
			t.Errorf("UpperBound(%s) = %d, %v; want %d", c.e, got, err, c.want)
		}
	}
}
