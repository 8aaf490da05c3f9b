package athenasql

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rootwatch/rootwatch/filterpattern"
)

// UnsupportedError is the error for a pattern the translator cannot express exactly in SQL over
// AWS's table. Selector is the selector at fault ("" when the whole pattern is).
type UnsupportedError struct {
	Pattern  string
	Selector string
	Reason   string
}

func (e *UnsupportedError) Error() string {
	if e.Selector == "" {
		return fmt.Sprintf("athenasql: cannot translate %s: %s", e.Pattern, e.Reason)
	}
	return fmt.Sprintf("athenasql: cannot translate %s in %s: %s", e.Selector, e.Pattern, e.Reason)
}

// Where parses a CloudWatch Logs filter pattern and translates it (see Translate).
func Where(pattern string, d Dialect) (string, error) {
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		return "", fmt.Errorf("athenasql: %w", err)
	}
	return Translate(p, d)
}

// Translate renders a JSON filter pattern as a SQL boolean expression over AWS's Athena CloudTrail
// table (see Columns), in dialect d, for use in a WHERE clause. The expression is never NULL: it
// is TRUE for a row exactly when p.Match is true for the CloudTrail record the row was read from,
// for every record in CloudTrail's format, in which each member the table keeps as a string or
// struct is a JSON string, boolean or object as CloudTrail documents it, or absent, never a JSON
// null (the table cannot tell a null from an absent member there). Inside the JSON-string columns
// (requestParameters, responseElements, additionalEventData, serviceEventDetails,
// edgeDeviceDetails) every JSON type, null included, is told apart.
//
// A pattern the table cannot answer exactly is an *UnsupportedError: a term or space-delimited
// pattern, a selector no column holds (or spelled in another letter case than CloudTrail's), a
// selector of a whole JSON-string column or into an array or map column, a number literal out of
// range, and, for Trino, a regex whose meaning differs between the engines (see dialect.go).
func Translate(p *filterpattern.Pattern, d Dialect) (string, error) {
	e, ok := p.JSONExpr()
	if !ok {
		return "", &UnsupportedError{
			Pattern: p.String(),
			Reason: fmt.Sprintf(
				"a %s pattern reads the log line as text; only JSON patterns ({ $.field ... }) translate to "+
					"the table's columns",
				p.Kind(),
			),
		}
	}
	t := translator{d: d, pattern: p.String()}
	return t.expr(e)
}

type translator struct {
	d       Dialect
	pattern string
}

func (t *translator) unsupported(sel, format string, args ...any) error {
	return &UnsupportedError{Pattern: t.pattern, Selector: sel, Reason: fmt.Sprintf(format, args...)}
}

func (t *translator) expr(e filterpattern.Expr) (string, error) {
	switch e.Kind() {
	case filterpattern.ExprAnd, filterpattern.ExprOr:
		sep := " AND "
		if e.Kind() == filterpattern.ExprOr {
			sep = " OR "
		}
		kids := e.Children()
		parts := make([]string, len(kids))
		for i, k := range kids {
			s, err := t.expr(k)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "(" + strings.Join(parts, sep) + ")", nil
	}
	return t.cond(e)
}

// target is where a selector's value is in the table.
type target struct {
	m        *member // the member the selector ends at, when it ends at a column or struct field
	col      string  // SQL: the column or field (dotted path), or the JSON-string column
	jsonPath string  // for a member inside a JSON-string column: its JSON path
}

func (t *translator) resolve(sel string, steps []filterpattern.Step) (target, error) {
	cur := record
	var path []string
	for i, st := range steps {
		switch cur.kind {
		case kJSON:
			var jp strings.Builder
			jp.WriteByte('$')
			for _, s := range steps[i:] {
				if s.IsIndex {
					jp.WriteString("[" + strconv.Itoa(s.Index) + "]")
				} else {
					jp.WriteString(t.d.pathName(s.Name))
				}
			}
			return target{col: strings.Join(path, "."), jsonPath: jp.String()}, nil
		case kStruct:
			if st.IsIndex {
				return target{}, t.unsupported(sel, "%s is an object in CloudTrail records, not an array",
					prefix(steps[:i]))
			}
			f := cur.field(st.Name)
			if f == nil {
				return target{}, t.unsupported(sel, "AWS's CloudTrail table has no column for %s%s",
					prefix(steps[:i+1]), t.caseHint(cur, st.Name))
			}
			path = append(path, f.column)
			cur = f
		case kOther:
			return target{}, t.unsupported(sel, "%s is an array or map column; the translator does not reach into it",
				prefix(steps[:i]))
		default:
			return target{}, t.unsupported(sel, "%s is a %s in CloudTrail records and has no members",
				prefix(steps[:i]), map[kind]string{kString: "string", kBool: "boolean"}[cur.kind])
		}
	}
	switch cur.kind {
	case kJSON:
		return target{}, t.unsupported(sel,
			"%s is kept as JSON text, where a JSON null and an absent member are both NULL; select a member inside it",
			sel)
	case kOther:
		return target{}, t.unsupported(sel, "%s is an array or map column; the translator does not reach into it", sel)
	}
	return target{m: cur, col: strings.Join(path, ".")}, nil
}

func prefix(steps []filterpattern.Step) string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range steps {
		if s.IsIndex {
			b.WriteString("[" + strconv.Itoa(s.Index) + "]")
		} else {
			b.WriteString("." + s.Name)
		}
	}
	return b.String()
}

func (t *translator) caseHint(parent *member, name string) string {
	for _, f := range parent.fields {
		if strings.EqualFold(f.name, name) {
			return fmt.Sprintf(" (CloudTrail spells it %s; selectors are case-sensitive)", f.name)
		}
	}
	return ""
}

// numberRe is filterpattern.IsNumber's grammar, anchored at both ends of the text (for Trino, with
// \z: Java's $ also matches before a final line terminator).
func (d Dialect) numberRe() string {
	end := "$"
	if d == Trino {
		end = `\z`
	}
	return `^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?` + end
}

func (d Dialect) regexRaw(s, re string) string {
	if d == Trino {
		return fmt.Sprintf("regexp_like(%s, %s)", s, quoteSQL(re))
	}
	return fmt.Sprintf("regexp_matches(%s, %s)", s, quoteSQL(re))
}

var sqlOp = map[string]string{"=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// match renders "s matches the string or regex literal v" (no NULL handling).
func (t *translator) match(sel, s string, v filterpattern.Value) (string, error) {
	if v.Kind == filterpattern.ValueRegex {
		r, err := t.d.regex(s, v.Text)
		if err != nil {
			return "", t.unsupported(sel, "%v", err)
		}
		return r, nil
	}
	if !v.Leading && !v.Trailing {
		return s + " = " + quoteSQL(v.Core), nil
	}
	var like strings.Builder
	if v.Leading {
		like.WriteByte('%')
	}
	for i := 0; i < len(v.Core); i++ {
		c := v.Core[i]
		if c == '%' || c == '_' || c == '\\' {
			like.WriteByte('\\')
		}
		like.WriteByte(c)
	}
	if v.Trailing {
		like.WriteByte('%')
	}
	return s + " LIKE " + quoteSQL(like.String()) + ` ESCAPE '\'`, nil
}

// stringCmp renders "op v" applied to a string expression s that holds the text of a JSON string,
// number or boolean (NULL when absent), as filterpattern compares text: for a number literal, s
// must be a number; otherwise text matching.
func (t *translator) stringCmp(sel, s, op string, v filterpattern.Value, isJSONNumber bool) (string, error) {
	if v.Kind == filterpattern.ValueNumber {
		n, err := t.number(sel, v)
		if err != nil {
			return "", err
		}
		num := fmt.Sprintf("TRY_CAST(%s AS DOUBLE) %s %s", s, sqlOp[op], n)
		if isJSONNumber {
			return num, nil
		}
		isNum := t.d.regexRaw(s, t.d.numberRe())
		if op == "!=" {
			// a string that is not a number is unequal to every number
			return fmt.Sprintf("(NOT %s OR %s)", isNum, num), nil
		}
		return fmt.Sprintf("(%s AND %s)", isNum, num), nil
	}
	m, err := t.match(sel, s, v)
	if err != nil {
		return "", err
	}
	if op == "!=" {
		return "NOT (" + m + ")", nil
	}
	return m, nil
}

func (t *translator) number(sel string, v filterpattern.Value) (string, error) {
	if math.IsInf(v.Number, 0) || math.IsNaN(v.Number) {
		return "", t.unsupported(sel, "the number %s is out of range", v.Text)
	}
	return "CAST(" + quoteSQL(strconv.FormatFloat(v.Number, 'g', -1, 64)) + " AS DOUBLE)", nil
}

func coalesce(s string) string { return "COALESCE(" + s + ", FALSE)" }

func (t *translator) cond(e filterpattern.Expr) (string, error) {
	sel, steps := e.Selector()
	tg, err := t.resolve(sel, steps)
	if err != nil {
		return "", err
	}
	if tg.jsonPath != "" {
		return t.jsonCond(sel, e, tg)
	}
	c := tg.col
	switch e.Test() {
	case filterpattern.TestNotExists:
		return "(" + c + " IS NULL)", nil
	case filterpattern.TestNull:
		return "FALSE", nil // CloudTrail writes no null here; an absent member is not null
	case filterpattern.TestTrue, filterpattern.TestFalse:
		if tg.m.kind != kBool {
			return "FALSE", nil
		}
		want := "true"
		if e.Test() == filterpattern.TestFalse {
			want = "false"
		}
		return coalesce(c + " = " + quoteSQL(want)), nil
	}
	op, v, _ := e.Comparison()
	switch tg.m.kind {
	case kStruct:
		return "FALSE", nil // an object is neither equal nor unequal to a value
	case kBool:
		if v.Kind == filterpattern.ValueNumber {
			return "FALSE", nil // a boolean is neither equal nor unequal to a number
		}
	}
	s, err := t.stringCmp(sel, c, op, v, false)
	if err != nil {
		return "", err
	}
	return coalesce(s), nil
}

// jsonCond renders a condition on a member inside a JSON-string column, telling JSON types apart
// by the first character of the member's JSON text.
func (t *translator) jsonCond(sel string, e filterpattern.Expr, tg target) (string, error) {
	text := t.d.jsonText(tg.col, tg.jsonPath)
	switch e.Test() {
	case filterpattern.TestNotExists:
		return "(" + text + " IS NULL)", nil
	case filterpattern.TestNull:
		return coalesce(text + " = 'null'"), nil
	case filterpattern.TestTrue:
		return coalesce(text + " = 'true'"), nil
	case filterpattern.TestFalse:
		return coalesce(text + " = 'false'"), nil
	}
	op, v, _ := e.Comparison()
	first := "substr(" + text + ", 1, 1)"
	scalar := t.d.jsonScalar(tg.col, tg.jsonPath)
	const digits = "'-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'"
	if v.Kind == filterpattern.ValueNumber {
		str, err := t.stringCmp(sel, scalar, op, v, false)
		if err != nil {
			return "", err
		}
		num, err := t.stringCmp(sel, scalar, op, v, true)
		if err != nil {
			return "", err
		}
		return coalesce(
			fmt.Sprintf("CASE WHEN %s = '\"' THEN %s WHEN %s IN (%s) THEN %s ELSE FALSE END", first, str, first, digits,
				num),
		), nil
	}
	s, err := t.stringCmp(sel, scalar, op, v, false)
	if err != nil {
		return "", err
	}
	// strings, numbers and booleans compare by their text; null, objects and arrays never compare
	return coalesce(fmt.Sprintf("%s NOT IN ('n', '{', '[') AND %s", first, s)), nil
}
