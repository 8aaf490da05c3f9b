package filterpattern

// This file exports a read-only view of a JSON pattern's syntax tree, for
// code that translates patterns into other languages (package athena renders
// them as SQL). It adds no behaviour: Match remains the definition of what a
// pattern means, and a translator is expected to be tested against it.

// ExprKind says what an Expr node is.
type ExprKind int

const (
	// ExprAnd is a conjunction of two or more Children (&&).
	ExprAnd ExprKind = iota
	// ExprOr is a disjunction of two or more Children (||).
	ExprOr
	// ExprCond is one condition on one selector.
	ExprCond
)

// Test says what a condition checks.
type Test int

const (
	// TestCompare compares the selected value with a literal (Op, Value).
	TestCompare Test = iota
	// TestTrue is IS TRUE: the value is the JSON literal true.
	TestTrue
	// TestFalse is IS FALSE: the value is the JSON literal false.
	TestFalse
	// TestNull is IS NULL: the value is the JSON literal null.
	TestNull
	// TestNotExists is NOT EXISTS: the selector points at nothing.
	TestNotExists
)

// ValueKind says what a comparison's literal is.
type ValueKind int

const (
	// ValueString is a quoted or bare string, with optional "*" wildcards at
	// its start and end (see Value).
	ValueString ValueKind = iota
	// ValueNumber is a bare numeric literal.
	ValueNumber
	// ValueRegex is a %regex% (Go RE2 syntax, searched anywhere in the value
	// unless anchored).
	ValueRegex
)

// Step is one component of a selector: a member Name, or an array Index
// (then Name is "" and IsIndex is true).
type Step struct {
	Name    string
	Index   int
	IsIndex bool
}

// Value is the literal on the right of a comparison.
type Value struct {
	Kind ValueKind
	// Text is the literal as written: a string's decoded text (stars
	// included), a number's source text, a regex's expression.
	Text string
	// Number is a ValueNumber's value (±Inf when out of range).
	Number float64
	// For ValueString: Core is Text without its wildcard stars; Leading
	// means a "*" started the text (the value must end with Core),
	// Trailing that one ended it (the value must start with Core). With
	// both, the value must contain Core. A "*" inside Core is an ordinary
	// character.
	Core              string
	Leading, Trailing bool
}

// Expr is a read-only view of one node of a JSON pattern's expression.
type Expr struct {
	p *Pattern
	n *node
}

// JSONExpr returns the root of a JSON pattern's expression; ok is false for
// term and space-delimited patterns.
func (p *Pattern) JSONExpr() (e Expr, ok bool) {
	if p.kind != KindJSON || p.expr == nil {
		return Expr{}, false
	}
	return Expr{p, p.expr}, true
}

func (e Expr) steps() []Step {
	sel := e.p.selectors[e.n.sel]
	out := make([]Step, len(sel))
	for i, st := range sel {
		if st.index >= 0 {
			out[i] = Step{Index: st.index, IsIndex: true}
		} else {
			out[i] = Step{Name: st.name}
		}
	}
	return out
}

// Kind reports whether e is an &&, an || or a condition.
func (e Expr) Kind() ExprKind {
	switch e.n.kind {
	case nodeAnd:
		return ExprAnd
	case nodeOr:
		return ExprOr
	}
	return ExprCond
}

// Children returns the operands of an && or ||, in pattern order (nested
// operators of the same kind are already flattened). It is nil for a
// condition.
func (e Expr) Children() []Expr {
	if e.n.kind == nodeLeaf {
		return nil
	}
	out := make([]Expr, len(e.n.kids))
	for i, k := range e.n.kids {
		out[i] = Expr{e.p, k}
	}
	return out
}

// Selector returns a condition's selector in canonical form ($.a.b[0].c)
// and as steps. It returns "" and nil for && and ||.
func (e Expr) Selector() (string, []Step) {
	if e.n.kind != nodeLeaf {
		return "", nil
	}
	return e.n.name, e.steps()
}

// Test returns what a condition checks (TestCompare for && and ||, which
// have no test).
func (e Expr) Test() Test {
	switch e.n.test {
	case testTrue:
		return TestTrue
	case testFalse:
		return TestFalse
	case testNull:
		return TestNull
	case testNotExists:
		return TestNotExists
	}
	return TestCompare
}

// Comparison returns a TestCompare condition's operator ("=", "!=", "<",
// "<=", ">" or ">=") and literal. ok is false for anything else.
func (e Expr) Comparison() (op string, v Value, ok bool) {
	if e.n.kind != nodeLeaf || e.n.test != testCmp {
		return "", Value{}, false
	}
	l := &e.n.lit
	v = Value{Text: l.src}
	switch l.kind {
	case litNumber:
		v.Kind, v.Number = ValueNumber, l.num
	case litRegex:
		v.Kind = ValueRegex
	default:
		v.Kind = ValueString
		v.Core, v.Leading, v.Trailing = string(l.core), l.lead, l.trail
	}
	return opText[e.n.op], v, true
}

// IsNumber reports whether s is a number in the grammar filter patterns use
// for numeric comparisons: optional sign, digits with an optional decimal
// point (at least one digit in all), optional exponent. A JSON string value
// compared with a numeric literal is compared numerically only if it is
// such a number.
func IsNumber(s string) bool { return isNumber(s) }
