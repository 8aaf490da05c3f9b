package filterpattern

import (
	"strconv"
	"strings"
	"testing"
)

// render rebuilds a pattern's canonical form from the exported tree only, so the test fails if
// the view loses or changes anything String prints.
func render(t *testing.T, e Expr, paren bool) string {
	t.Helper()
	switch e.Kind() {
	case ExprAnd, ExprOr:
		sep, parts := " && ", []string{}
		if e.Kind() == ExprOr {
			sep = " || "
		}
		kids := e.Children()
		if len(kids) < 2 {
			t.Fatalf("operator with %d children", len(kids))
		}
		for _, k := range kids {
			parts = append(parts, render(t, k, e.Kind() == ExprAnd))
		}
		s := strings.Join(parts, sep)
		if e.Kind() == ExprOr && paren {
			s = "(" + s + ")"
		}
		return s
	}
	if e.Children() != nil {
		t.Fatal("a condition has children")
	}
	name, steps := e.Selector()
	var b strings.Builder
	b.WriteByte('$')
	for _, st := range steps {
		if st.IsIndex {
			b.WriteString("[" + strconv.Itoa(st.Index) + "]")
		} else {
			b.WriteString("." + st.Name)
		}
	}
	if b.String() != name {
		t.Fatalf("steps give %s, name is %s", b.String(), name)
	}
	switch e.Test() {
	case TestTrue:
		return name + " IS TRUE"
	case TestFalse:
		return name + " IS FALSE"
	case TestNull:
		return name + " IS NULL"
	case TestNotExists:
		return name + " NOT EXISTS"
	}
	op, v, ok := e.Comparison()
	if !ok {
		t.Fatal("TestCompare without a comparison")
	}
	var lit string
	switch v.Kind {
	case ValueNumber:
		lit = v.Text
		if f, _ := strconv.ParseFloat(v.Text, 64); f != v.Number {
			t.Fatalf("number %s has value %v", v.Text, v.Number)
		}
	case ValueRegex:
		lit = "%" + v.Text + "%"
	default:
		core := v.Text
		if v.Leading {
			core = core[1:]
		}
		if v.Trailing {
			core = core[:len(core)-1]
		}
		if core != v.Core {
			t.Fatalf("%q: core %q, want %q", v.Text, v.Core, core)
		}
		var q strings.Builder
		quote(&q, v.Text)
		lit = q.String()
	}
	return name + " " + op + " " + lit
}

func TestJSONExprRebuildsString(t *testing.T) {
	for _, src := range []string{
		`{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`,
		`{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`,
		`{ ($.eventSource = "signin.amazonaws.com") && ((($.userIdentity.type = "Root") && ($.eventName = "PasswordUpdated")) || ($.eventName = "PasswordRecoveryRequested")) }`,
		`{ $.a[0][12].b-c >= -1.5e3 || $.x IS TRUE && $.y is false || $.z IS NULL }`,
		`{ $.a = %^Get[A-Z]+$% && $.b != "*" && $.c = "a*b" && $.d = "**" }`,
	} {
		p, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		e, ok := p.JSONExpr()
		if !ok {
			t.Fatalf("%s: no JSON expression", src)
		}
		if got, want := "{ "+render(t, e, false)+" }", p.String(); got != want {
			t.Errorf("tree of %s renders\n%s\nString gives\n%s", src, got, want)
		}
	}
	for _, src := range []string{`ERROR`, `[a, b = 1]`, ``} {
		p, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := p.JSONExpr(); ok {
			t.Errorf("%q: JSONExpr ok for a %s pattern", src, p.Kind())
		}
	}
}

func TestIsNumberExported(t *testing.T) {
	for s, want := range map[string]bool{"1": true, "-1.5e3": true, ".5": true, "1.": true, "+2": true, "e3": false, "1e": false, "0x10": false, "": false, "NaN": false} {
		if IsNumber(s) != want {
			t.Errorf("IsNumber(%q) = %v", s, !want)
		}
	}
}
