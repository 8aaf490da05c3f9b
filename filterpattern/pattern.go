package filterpattern

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxLength is the longest filter pattern, in characters, that Parse
// accepts. CloudWatch Logs rejects longer patterns (PutMetricFilter,
// PutSubscriptionFilter and FilterLogEvents all cap filterPattern at 1024).
const MaxLength = 1024

// maxRegexes is how many %regex% values a JSON or space-delimited pattern may
// hold; AWS: "There is a limit of 2 regex for each filter pattern when
// creating a delimited or JSON filter pattern".
const maxRegexes = 2

// maxNesting bounds parenthesis nesting in a pattern, so Parse never recurses
// deeply whatever its input.
const maxNesting = 64

// Kind says which of the three filter-pattern languages a Pattern uses.
type Kind int

const (
	// KindTerms is a term pattern: bare terms, "quoted phrases", %regex%,
	// with ? (any of) and - (none of) prefixes. The empty pattern is a
	// term pattern with no terms and matches every event.
	KindTerms Kind = iota
	// KindJSON is a JSON pattern: { $.selector op value && ... }.
	KindJSON
	// KindSpaceDelimited is a space-delimited pattern: [field, field = value, ...].
	KindSpaceDelimited
)

// String returns "terms", "json" or "space-delimited".
func (k Kind) String() string {
	switch k {
	case KindTerms:
		return "terms"
	case KindJSON:
		return "json"
	case KindSpaceDelimited:
		return "space-delimited"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// SyntaxError is the error Parse returns for a pattern it cannot accept.
// Offset is the byte offset into the pattern where the problem was found.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("filterpattern: at offset %d: %s", e.Offset, e.Msg)
}

// Pattern is a parsed filter pattern. It is immutable, and safe for
// concurrent use by multiple goroutines.
type Pattern struct {
	kind Kind

	// KindTerms
	terms []term

	// KindJSON
	expr      *node
	selectors []selector // distinct selectors, indexed by cond.sel
	trie      *trieNode

	// KindSpaceDelimited
	fields []field
	local  bool // every field condition refers only to its own field
	nEll   int  // number of "..." fields
}

// Parse parses a CloudWatch Logs filter pattern. A pattern starting with "{"
// is a JSON pattern, one starting with "[" is a space-delimited pattern,
// anything else (including the empty pattern) is a term pattern. Errors are
// of type *SyntaxError.
func Parse(pattern string) (*Pattern, error) {
	if n := utf8.RuneCountInString(pattern); n > MaxLength {
		return nil, &SyntaxError{
			Offset: len(pattern),
			Msg:    fmt.Sprintf("pattern is %d characters long; the limit is %d", n, MaxLength),
		}
	}
	p := &parser{src: pattern}
	p.skipSpace()
	var pat *Pattern
	var err error
	switch {
	case p.eof():
		pat = &Pattern{kind: KindTerms}
	case p.peek() == '{':
		pat, err = p.parseJSON()
	case p.peek() == '[':
		pat, err = p.parseSpaceDelimited()
	default:
		pat, err = p.parseTerms()
	}
	if err != nil {
		return nil, err
	}
	return pat, nil
}

// Kind reports which filter-pattern language p uses.
func (p *Pattern) Kind() Kind { return p.kind }

// Selectors returns the distinct JSON selectors a JSON pattern uses, in
// canonical form ($.a.b[0].c) and in order of first appearance. It returns
// nil for other kinds.
func (p *Pattern) Selectors() []string {
	if p.kind != KindJSON {
		return nil
	}
	out := make([]string, len(p.selectors))
	for i, s := range p.selectors {
		out[i] = s.String()
	}
	return out
}

// Match reports whether the log event message matches the pattern.
func (p *Pattern) Match(message []byte) bool {
	switch p.kind {
	case KindTerms:
		return p.matchTerms(message)
	case KindJSON:
		return p.matchJSON(message)
	case KindSpaceDelimited:
		return p.matchSpaceDelimited(message)
	}
	return false
}

// String returns the pattern in canonical form: keywords upper case, every
// string value quoted, one space around operators, parentheses only where
// precedence needs them. Parse(p.String()) gives an equivalent pattern.
func (p *Pattern) String() string {
	var b strings.Builder
	switch p.kind {
	case KindTerms:
		for i, t := range p.terms {
			if i > 0 {
				b.WriteByte(' ')
			}
			t.write(&b)
		}
	case KindJSON:
		b.WriteString("{ ")
		p.writeNode(&b, p.expr, false)
		b.WriteString(" }")
	case KindSpaceDelimited:
		b.WriteByte('[')
		for i, f := range p.fields {
			if i > 0 {
				b.WriteString(", ")
			}
			switch {
			case f.ellipsis:
				b.WriteString("...")
			case f.cond != nil:
				p.writeNode(&b, f.cond, false)
			default:
				b.WriteString(f.name)
			}
		}
		b.WriteByte(']')
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// shared lexing

type parser struct {
	src     string
	pos     int
	depth   int
	regexes int
	pat     *Pattern
	inSpace bool // parsing a space-delimited pattern (names instead of selectors)
	selIdx  map[string]int
}

func (p *parser) eof() bool  { return p.pos >= len(p.src) }
func (p *parser) peek() byte { return p.src[p.pos] }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() {
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
}

func (p *parser) errf(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// found describes what is at the current position, for error messages.
func (p *parser) found() string {
	return describe(p.src, p.pos)
}

func describe(src string, pos int) string {
	if pos >= len(src) {
		return "end of pattern"
	}
	rest := src[pos:]
	for _, op := range []string{"&&", "||", "!=", "<=", ">=", "..."} {
		if strings.HasPrefix(rest, op) {
			return fmt.Sprintf("%q", op)
		}
	}
	c := rest[0]
	if !isAlnum(c) && c != '_' && c != '$' && c != '"' && c < utf8.RuneSelf {
		return fmt.Sprintf("%q", string(c))
	}
	end := 0
	for end < len(rest) && end < 24 {
		r, size := utf8.DecodeRuneInString(rest[end:])
		if r < utf8.RuneSelf && (isSpace(byte(r)) || strings.IndexByte("(){}[],&|=!<>", byte(r)) >= 0) && end > 0 {
			break
		}
		end += size
	}
	return fmt.Sprintf("%q", rest[:end])
}

// quote writes s as a double-quoted filter-pattern string, escaping " and \.
func quote(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
}

// parseQuoted reads a "..." string starting at p.pos (which holds the opening
// quote). \" and \\ are escapes; any other backslash is kept literally.
func (p *parser) parseQuoted() (string, error) {
	start := p.pos
	p.pos++
	var b []byte
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(b), nil
		case c == '\\' && p.pos+1 < len(p.src) && (p.src[p.pos+1] == '"' || p.src[p.pos+1] == '\\'):
			b = append(b, p.src[p.pos+1])
			p.pos += 2
		default:
			b = append(b, c)
			p.pos++
		}
	}
	return "", p.errf(start, "unterminated quoted string: expected a closing '\"'")
}
