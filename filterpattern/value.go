package filterpattern

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unsafe"
)

type op uint8

const (
	opEq op = iota
	opNe
	opLt
	opLe
	opGt
	opGe
)

var opText = [...]string{opEq: "=", opNe: "!=", opLt: "<", opLe: "<=", opGt: ">", opGe: ">="}

type litKind uint8

const (
	litString litKind = iota // quoted or bare text, with * wildcards at either end
	litNumber                // bare numeric literal
	litRegex                 // %regex%
)

// literal is the right-hand side of a comparison.
type literal struct {
	kind litKind
	src  string // number: its source text; regex: the expression; string: the decoded text
	// string wildcards: prefix means the text ends the value ("*abc"),
	// suffix means it starts it ("abc*"). core is src without those stars.
	lead, trail bool
	core        []byte
	num         float64
	re          *regexp.Regexp
}

func newStringLit(s string) literal {
	l := literal{kind: litString, src: s}
	core := s
	if strings.HasPrefix(core, "*") {
		l.lead = true
		core = core[1:]
	}
	if strings.HasSuffix(core, "*") {
		l.trail = true
		core = core[:len(core)-1]
	}
	l.core = []byte(core)
	return l
}

// matchText applies a string literal to a value's text. A "*" at the start
// or end is a wildcard; a "*" anywhere else is an ordinary character, as
// AWS documents ("Ev*ent will only match the actual string Ev*ent").
func (l *literal) matchText(v []byte) bool {
	switch {
	case l.lead && l.trail:
		return bytes.Contains(v, l.core)
	case l.lead:
		return bytes.HasSuffix(v, l.core)
	case l.trail:
		return bytes.HasPrefix(v, l.core)
	}
	return bytes.Equal(v, l.core)
}

// isNumber reports whether s is a number as AWS documents it: an integer or
// decimal with optional sign, optionally followed by e and a signed integer.
func isNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ed := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			ed++
		}
		if ed == 0 {
			return false
		}
	}
	return i == len(s)
}

// parseNum parses b as a number if it is one in the documented grammar.
func parseNum(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 64 {
		return 0, false
	}
	s := unsafe.String(unsafe.SliceData(b), len(b)) // read-only view; strconv copies on error
	if !isNumber(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		// out of range: ParseFloat still returns ±Inf, which compares sensibly
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return f, true
		}
		return 0, false
	}
	return f, true
}

func cmpNum(o op, a, b float64) bool {
	switch o {
	case opEq:
		return a == b
	case opNe:
		return a != b
	case opLt:
		return a < b
	case opLe:
		return a <= b
	case opGt:
		return a > b
	case opGe:
		return a >= b
	}
	return false
}

// compareText applies "op literal" to a textual value (a JSON string, the
// text of a JSON number or boolean, or a space-delimited field).
// isNum says the value is a JSON number (so numeric literals compare
// numerically and never fall back to text).
func compareText(o op, l *literal, v []byte, isNum bool) bool {
	switch l.kind {
	case litRegex:
		m := l.re.Match(v)
		if o == opNe {
			return !m
		}
		return m
	case litNumber:
		f, ok := parseNum(v)
		if !ok {
			// A string that is not a number is never equal, never ordered.
			return o == opNe && !isNum
		}
		return cmpNum(o, f, l.num)
	default:
		m := l.matchText(v)
		if o == opNe {
			return !m
		}
		return m
	}
}

func (l *literal) write(b *strings.Builder) {
	switch l.kind {
	case litNumber:
		b.WriteString(l.src)
	case litRegex:
		b.WriteByte('%')
		b.WriteString(l.src)
		b.WriteByte('%')
	default:
		quote(b, l.src)
	}
}

// ---------------------------------------------------------------------------
// parsing values

// isBareChar is a character allowed in an unquoted value. AWS: "Strings that
// consist entirely of alphanumeric characters do not need to be quoted";
// its own examples also use unquoted '.', '*', '-' and '_'
// (123.123.*, kms.amazonaws.com, 4*, *html*).
func isBareChar(c byte) bool {
	return isAlnum(c) || c == '_' || c == '-' || c == '.' || c == '*' || c == '+' || c == ':' || c == '/'
}

// isRegexChar is a character AWS allows inside %regex%: alphanumerics, the
// symbols _ # = @ / ; , - : and the operators ^ $ ? [ ] { } | \ * + . ;
// we also allow a space (AWS CDK's own regexValue example has one).
func isRegexChar(c byte) bool {
	return isAlnum(c) || strings.IndexByte("_#=@/;,-: ^$?[]{}|\\*+.", c) >= 0
}

// parseRegex reads %...% starting at the opening '%'.
func (p *parser) parseRegex() (literal, error) {
	start := p.pos
	p.pos++
	for p.pos < len(p.src) && p.src[p.pos] != '%' {
		c := p.src[p.pos]
		if !isRegexChar(c) {
			what := describe(p.src, p.pos)
			if c >= 0x80 {
				what = "a multi-byte character"
			}
			return literal{}, p.errf(p.pos, "unsupported character in regex: found %s (allowed: letters, digits, _ # "+
				"= @ / ; , - : space and the operators ^ $ ? [ ] { } | \\ * + .)", what)
		}
		p.pos++
	}
	if p.eof() {
		return literal{}, p.errf(start, "unterminated regex: expected a closing '%%'")
	}
	expr := p.src[start+1 : p.pos]
	p.pos++
	if expr == "" {
		return literal{}, p.errf(start, "empty regex %%%%")
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return literal{}, p.errf(start+1, "invalid regex %q: %v", expr, err)
	}
	p.regexes++
	return literal{kind: litRegex, src: expr, re: re}, nil
}

// parseValue reads the value after a comparison operator.
func (p *parser) parseValue(o op, after string) (literal, error) {
	p.skipSpace()
	start := p.pos
	if p.eof() {
		return literal{}, p.errf(p.pos, "expected a value after %s, found end of pattern", after)
	}
	var l literal
	switch c := p.peek(); {
	case c == '"':
		s, err := p.parseQuoted()
		if err != nil {
			return literal{}, err
		}
		l = newStringLit(s)
	case c == '%':
		var err error
		if l, err = p.parseRegex(); err != nil {
			return literal{}, err
		}
	case isBareChar(c):
		for p.pos < len(p.src) && isBareChar(p.src[p.pos]) {
			p.pos++
		}
		s := p.src[start:p.pos]
		if isNumber(s) {
			f, _ := parseNum([]byte(s))
			l = literal{kind: litNumber, src: s, num: f}
		} else {
			l = newStringLit(s)
		}
	case strings.IndexByte("}),]&|", c) >= 0:
		return literal{}, p.errf(p.pos, "expected a value after %s, found %s", after, p.found())
	default:
		return literal{}, p.errf(p.pos, "expected a value after %s, found %s (quote values that contain other than "+
			"letters, digits, _ - . * : / +)", after, p.found())
	}
	if o != opEq && o != opNe && l.kind != litNumber {
		return literal{}, p.errf(start, "expected a number after %q, found %s", opText[o], describe(p.src, start))
	}
	return l, nil
}

// parseOp reads a comparison operator, or returns ok=false without moving.
func (p *parser) parseOp() (op, bool) {
	rest := p.src[p.pos:]
	switch {
	case strings.HasPrefix(rest, "!="):
		p.pos += 2
		return opNe, true
	case strings.HasPrefix(rest, "<="):
		p.pos += 2
		return opLe, true
	case strings.HasPrefix(rest, ">="):
		p.pos += 2
		return opGe, true
	case strings.HasPrefix(rest, "="):
		p.pos++
		return opEq, true
	case strings.HasPrefix(rest, "<"):
		p.pos++
		return opLt, true
	case strings.HasPrefix(rest, ">"):
		p.pos++
		return opGt, true
	}
	return 0, false
}
