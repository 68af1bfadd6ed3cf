// Package dim is the algebra of symbolic tensor dimensions: a dimension is
// an integer expression over named symbols (N, S, ...) that stand for sizes
// chosen when a network runs (a dynamic batch, a sequence length).
//
// # Expressions
//
// An Expr is a polynomial with integer coefficients whose atoms are symbols
// and integer divisions of expressions by positive constants (floor or
// ceiling): exactly what the type rules of conv, pool, slice, concat,
// reshape and broadcasting produce from their inputs' dimensions, for
// example
//
//	N          a symbol
//	2*N+1      affine
//	N*S        a flattened batch and sequence (reshape)
//	(N+1)/2    floor((N+1)/2), a strided slice or pool output
//	ceil(N/2)  ceil(N/2), SAME-padded stride 2
//
// Every Expr is kept in one canonical form, so two expressions are equal
// exactly when Equal says so (when their canonical texts are identical):
// like monomials are collected and zero terms dropped; monomials are
// sorted; a division splits off the terms whose coefficients the divisor
// divides (floor((2*N+3)/2) = N+1+floor(1/2) = N+1), a division of a
// constant is evaluated, and nested divisions of one kind merge
// (floor(floor(x/a)/b) = floor(x/(a*b)), likewise for ceil). A constant
// expression's value is Const.
//
// Canonical form decides equality only up to these rules: N/2*2 and
// N-N%2 are not recognised as equal. Type rules that cannot prove two
// dimensions equal must reject the program (the verifier never guesses).
//
// # Text form
//
// String prints, and Parse reads, the grammar
//
//	expr   = term { ("+" | "-") term }
//	term   = factor { "*" factor | "/" int }
//	factor = int | symbol | "(" expr ")" | "-" factor | "ceil" "(" term ")"
//
// where "/" is floor division by a positive integer, ceil's operand must end
// in such a division, and a symbol is a letter or underscore followed by
// letters, digits and underscores (not "ceil"). The text has no commas or
// brackets, so it can stand for one dimension of a shape ("f32[N,96,96,3]").
//
// Every coefficient and constant stays within ±tensor.MaxElements; an
// operation whose result would not is an error, never a wrap-around.
package dim

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tfc-dev/tfc/tensor"
)

// Expr is a dimension: an integer expression over symbols in canonical form.
// The zero Expr is the constant 0. Exprs are immutable values.
type Expr struct {
	terms []term // sorted by key, nonzero coefficients, at most one per key
}

// term is coeff * atom_1 * ... * atom_k (k = 0: a constant).
type term struct {
	coeff int64
	atoms []atom // sorted by key; repeats allowed (N*N)
	key   string // the atoms' text, joined by "*"; "" for a constant
}

// atom is a symbol or a division of an expression by a constant.
type atom struct {
	sym  string // when div == nil
	div  *division
	text string
}

type division struct {
	num  Expr
	den  int64 // > 1
	ceil bool
}

// ErrOverflow is returned when a coefficient or constant would exceed
// tensor.MaxElements in magnitude.
var ErrOverflow = errors.New("dimension expression out of range")

const limit = tensor.MaxElements

// Const returns the constant expression c.
func Const(c int64) Expr {
	if c == 0 {
		return Expr{}
	}
	return Expr{terms: []term{{coeff: c}}}
}

// Sym returns the expression consisting of the symbol name. It panics if
// name is not a valid symbol (see the package comment): symbols come from
// program text checked by Parse or from the caller's own constants.
func Sym(name string) Expr {
	if !ValidSymbol(name) {
		panic(fmt.Sprintf("dim: invalid symbol %q", name))
	}
	a := atom{sym: name, text: name}
	return Expr{terms: []term{{coeff: 1, atoms: []atom{a}, key: name}}}
}

// ValidSymbol reports whether name can name a symbol.
func ValidSymbol(name string) bool {
	if name == "" || name == "ceil" {
		return false
	}
	for i, r := range name {
		letter := r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// Value returns e's value and true when e is a constant.
func (e Expr) Value() (int64, bool) {
	switch {
	case len(e.terms) == 0:
		return 0, true
	case len(e.terms) == 1 && len(e.terms[0].atoms) == 0:
		return e.terms[0].coeff, true
	}
	return 0, false
}

// IsConst reports whether e is a constant.
func (e Expr) IsConst() bool { _, ok := e.Value(); return ok }

// Equal reports whether e and f have the same canonical form.
func (e Expr) Equal(f Expr) bool {
	if len(e.terms) != len(f.terms) {
		return false
	}
	for i := range e.terms {
		if e.terms[i].coeff != f.terms[i].coeff || e.terms[i].key != f.terms[i].key {
			return false
		}
	}
	return true
}

// Symbols returns the symbols e mentions, sorted, without repeats.
func (e Expr) Symbols() []string {
	var out []string
	var walk func(Expr)
	walk = func(e Expr) {
		for _, t := range e.terms {
			for _, a := range t.atoms {
				if a.div != nil {
					walk(a.div.num)
				} else {
					out = append(out, a.sym)
				}
			}
		}
	}
	walk(e)
	slices.Sort(out)
	return slices.Compact(out)
}

func checked(c int64) error {
	if c > limit || c < -limit {
		return ErrOverflow
	}
	return nil
}

func mulChecked(a, b int64) (int64, error) {
	if a == 0 || b == 0 {
		return 0, nil
	}
	abs := func(x int64) int64 {
		if x < 0 {
			return -x
		}
		return x
	}
	if abs(a) > limit || abs(b) > limit/abs(a) {
		return 0, ErrOverflow
	}
	return a * b, nil
}

// normalize sorts and merges terms and drops zero ones.
func normalize(ts []term) (Expr, error) {
	slices.SortFunc(ts, func(a, b term) int { return compareKeys(a.key, b.key) })
	out := ts[:0:0]
	for _, t := range ts {
		if n := len(out); n > 0 && out[n-1].key == t.key {
			out[n-1].coeff += t.coeff
			if err := checked(out[n-1].coeff); err != nil {
				return Expr{}, err
			}
			continue
		}
		if err := checked(t.coeff); err != nil {
			return Expr{}, err
		}
		out = append(out, t)
	}
	out = slices.DeleteFunc(out, func(t term) bool { return t.coeff == 0 })
	if len(out) == 0 {
		return Expr{}, nil
	}
	return Expr{terms: out}, nil
}

// compareKeys orders monomials: non-constants by their text, the constant last.
func compareKeys(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

// Add returns e+f.
func Add(e, f Expr) (Expr, error) {
	ts := make([]term, 0, len(e.terms)+len(f.terms))
	ts = append(append(ts, e.terms...), f.terms...)
	return normalize(ts)
}

// Sub returns e-f.
func Sub(e, f Expr) (Expr, error) {
	nf, err := MulConst(f, -1)
	if err != nil {
		return Expr{}, err
	}
	return Add(e, nf)
}

// MulConst returns c*e.
func MulConst(e Expr, c int64) (Expr, error) {
	ts := make([]term, len(e.terms))
	for i, t := range e.terms {
		k, err := mulChecked(t.coeff, c)
		if err != nil {
			return Expr{}, err
		}
		ts[i] = term{coeff: k, atoms: t.atoms, key: t.key}
	}
	return normalize(ts)
}

// Mul returns e*f.
func Mul(e, f Expr) (Expr, error) {
	ts := make([]term, 0, len(e.terms)*len(f.terms))
	for _, a := range e.terms {
		for _, b := range f.terms {
			k, err := mulChecked(a.coeff, b.coeff)
			if err != nil {
				return Expr{}, err
			}
			atoms := append(slices.Clip(a.atoms), b.atoms...)
			slices.SortFunc(atoms, func(x, y atom) int { return strings.Compare(x.text, y.text) })
			ts = append(ts, term{coeff: k, atoms: atoms, key: joinAtoms(atoms)})
		}
	}
	return normalize(ts)
}

func joinAtoms(atoms []atom) string {
	var b strings.Builder
	for i, a := range atoms {
		if i > 0 {
			b.WriteByte('*')
		}
		b.WriteString(a.text)
	}
	return b.String()
}

// FloorDiv returns floor(e/d) for d > 0.
func FloorDiv(e Expr, d int64) (Expr, error) { return divide(e, d, false) }

// CeilDiv returns ceil(e/d) for d > 0.
func CeilDiv(e Expr, d int64) (Expr, error) { return divide(e, d, true) }

func divide(e Expr, d int64, ceil bool) (Expr, error) {
	if d <= 0 {
		return Expr{}, fmt.Errorf("dim: division of %v by %d: divisor must be positive", e, d)
	}
	if d == 1 {
		return e, nil
	}
	// e = d*q + r with every coefficient of r in [0, d): floor/ceil(e/d) =
	// q + floor/ceil(r/d), exact because q has integer coefficients.
	var q, r []term
	for _, t := range e.terms {
		qc, rc := t.coeff/d, t.coeff%d
		if rc < 0 {
			qc, rc = qc-1, rc+d
		}
		if qc != 0 {
			q = append(q, term{coeff: qc, atoms: t.atoms, key: t.key})
		}
		if rc != 0 {
			r = append(r, term{coeff: rc, atoms: t.atoms, key: t.key})
		}
	}
	quot, err := normalize(q)
	if err != nil {
		return Expr{}, err
	}
	rest, _ := normalize(r)
	if c, ok := rest.Value(); ok {
		// 0 <= c < d
		if ceil && c > 0 {
			return Add(quot, Const(1))
		}
		return quot, nil
	}
	// Nested divisions of one kind merge: floor(floor(x/a)/b) = floor(x/(ab)).
	if len(rest.terms) == 1 && rest.terms[0].coeff == 1 && len(rest.terms[0].atoms) == 1 {
		if in := rest.terms[0].atoms[0].div; in != nil && in.ceil == ceil {
			if den, err := mulChecked(in.den, d); err == nil {
				inner, err := divide(in.num, den, ceil)
				if err != nil {
					return Expr{}, err
				}
				return Add(quot, inner)
			}
		}
	}
	a := atom{div: &division{num: rest, den: d, ceil: ceil}}
	a.text = a.div.String()
	return Add(quot, Expr{terms: []term{{coeff: 1, atoms: []atom{a}, key: a.text}}})
}

func (v *division) String() string {
	num := v.num.String()
	if t := v.num.terms; len(t) != 1 || t[0].coeff != 1 || len(t[0].atoms) != 1 || (t[0].atoms[0].div != nil && !t[0].atoms[0].div.ceil) {
		num = "(" + num + ")"
	}
	s := num + "/" + strconv.FormatInt(v.den, 10)
	if v.ceil {
		return "ceil(" + s + ")"
	}
	return s
}

// String returns e's canonical text (see the package comment).
func (e Expr) String() string {
	if len(e.terms) == 0 {
		return "0"
	}
	var b strings.Builder
	for i, t := range e.terms {
		c := t.coeff
		if c < 0 {
			b.WriteByte('-')
			c = -c
		} else if i > 0 {
			b.WriteByte('+')
		}
		if len(t.atoms) == 0 {
			b.WriteString(strconv.FormatInt(c, 10))
			continue
		}
		wrap := c != 1 || len(t.atoms) > 1
		if c != 1 {
			b.WriteString(strconv.FormatInt(c, 10))
			b.WriteByte('*')
		}
		for j, a := range t.atoms {
			if j > 0 {
				b.WriteByte('*')
			}
			if wrap && a.div != nil && !a.div.ceil {
				b.WriteString("(" + a.text + ")")
			} else {
				b.WriteString(a.text)
			}
		}
	}
	return b.String()
}

// Eval returns e's value when every symbol has the value bind gives it.
// Division rounds toward minus infinity (floor) or plus infinity (ceil).
func (e Expr) Eval(bind func(sym string) (int64, bool)) (int64, error) {
	var sum int64
	for _, t := range e.terms {
		v := t.coeff
		for _, a := range t.atoms {
			var x int64
			if a.div == nil {
				var ok bool
				if x, ok = bind(a.sym); !ok {
					return 0, fmt.Errorf("dim: symbol %s has no value", a.sym)
				}
			} else {
				n, err := a.div.num.Eval(bind)
				if err != nil {
					return 0, err
				}
				x = floorDiv(n, a.div.den)
				if a.div.ceil {
					x = -floorDiv(-n, a.div.den)
				}
			}
			var err error
			if v, err = mulChecked(v, x); err != nil {
				return 0, fmt.Errorf("%v: %w", e, err)
			}
		}
		sum += v
		if err := checked(sum); err != nil {
			return 0, fmt.Errorf("%v: %w", e, err)
		}
	}
	return sum, nil
}

func floorDiv(n, d int64) int64 {
	q := n / d
	if n%d != 0 && n < 0 {
		q--
	}
	return q
}

// Substitute replaces the symbols that sub maps with expressions and
// re-canonicalises.
func (e Expr) Substitute(sub func(sym string) (Expr, bool)) (Expr, error) {
	out := Const(0)
	for _, t := range e.terms {
		v := Const(t.coeff)
		for _, a := range t.atoms {
			var x Expr
			if a.div == nil {
				var ok bool
				if x, ok = sub(a.sym); !ok {
					x = Expr{terms: []term{{coeff: 1, atoms: []atom{a}, key: a.text}}}
				}
			} else {
				n, err := a.div.num.Substitute(sub)
				if err != nil {
					return Expr{}, err
				}
				if x, err = divide(n, a.div.den, a.div.ceil); err != nil {
					return Expr{}, err
				}
			}
			var err error
			if v, err = Mul(v, x); err != nil {
				return Expr{}, err
			}
		}
		var err error
		if out, err = Add(out, v); err != nil {
			return Expr{}, err
		}
	}
	return out, nil
}

// DivExact returns the polynomial q with q*f = e, when f is a nonzero
// monomial (a coefficient times atoms) that divides every term of e: its
// coefficient divides each term's and its atoms are among each term's
// (so 64*N*S / (N*S) = 64 and (2*N*S+4*S) / (2*S) = N+2), or when e equals
// a multiple of f by a constant. Any other division (by 0, by a sum that
// is not a factor, with a remainder) is an error: the quotient might not
// be an integer polynomial, and a type rule must not guess.
func DivExact(e, f Expr) (Expr, error) {
	if len(f.terms) == 0 {
		return Expr{}, fmt.Errorf("dim: division of %v by 0", e)
	}
	if len(f.terms) > 1 {
		// A sum divides e only as e = k*f here.
		if len(e.terms) == len(f.terms) && e.terms[0].key == f.terms[0].key && e.terms[0].coeff%f.terms[0].coeff == 0 {
			k := e.terms[0].coeff / f.terms[0].coeff
			if m, err := MulConst(f, k); err == nil && m.Equal(e) {
				return Const(k), nil
			}
		}
		return Expr{}, fmt.Errorf("dim: %v is not a multiple of %v", e, f)
	}
	d := f.terms[0]
	ts := make([]term, 0, len(e.terms))
	for _, t := range e.terms {
		if t.coeff%d.coeff != 0 {
			return Expr{}, fmt.Errorf("dim: %v is not a multiple of %v", e, f)
		}
		rest := slices.Clone(t.atoms)
		for _, a := range d.atoms {
			i := slices.IndexFunc(rest, func(b atom) bool { return b.text == a.text })
			if i < 0 {
				return Expr{}, fmt.Errorf("dim: %v is not a multiple of %v", e, f)
			}
			rest = slices.Delete(rest, i, i+1)
		}
		ts = append(ts, term{coeff: t.coeff / d.coeff, atoms: rest, key: joinAtoms(rest)})
	}
	return normalize(ts)
}

// UpperBound returns the largest value e can take when every symbol s
// ranges over [0, max(s)]: e evaluated at the maxima, provided e is
// nondecreasing in every symbol (every non-constant monomial, and every
// division's numerator, has a coefficient ≥ 0; all atoms are ≥ 0 since
// symbols are sizes). A symbol without a maximum, or an expression that
// decreases in some symbol (N-M), is an error: the bound of a
// data-dependent size (a nonzero's count) is only sound for expressions
// that grow with it.
func UpperBound(e Expr, max func(sym string) (int64, bool)) (int64, error) {
	if !e.nondecreasing() {
		return 0, fmt.Errorf("dim: %v decreases in a symbol; it has no upper bound from its symbols' maxima", e)
	}
	return e.Eval(max)
}

func (e Expr) nondecreasing() bool {
	for _, t := range e.terms {
		if len(t.atoms) > 0 && t.coeff < 0 {
			return false
		}
		for _, a := range t.atoms {
			if a.div != nil && !a.div.num.nondecreasing() {
				return false
			}
		}
	}
	return true
}
