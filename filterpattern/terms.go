package filterpattern

import (
	"bytes"
	"strings"
)

type termMode uint8

const (
	termRequired termMode = iota // ERROR
	termOptional                 // ?ERROR
	termExcluded                 // -ERROR
)

type term struct {
	mode  termMode
	regex bool
	lit   literal // litString without wildcards, or litRegex
	text  []byte
}

func isTermChar(c byte) bool { return isAlnum(c) || c == '_' }

func (p *parser) parseTerms() (*Pattern, error) {
	pat := &Pattern{kind: KindTerms}
	for {
		p.skipSpace()
		if p.eof() {
			break
		}
		var t term
		prefixAt := p.pos
		switch p.peek() {
		case '?':
			t.mode = termOptional
			p.pos++
			p.skipSpace()
		case '-':
			t.mode = termExcluded
			p.pos++
			p.skipSpace()
		}
		if p.eof() {
			return nil, p.errf(p.pos, "expected a term after %q, found end of pattern", p.src[prefixAt:prefixAt+1])
		}
		switch c := p.peek(); {
		case c == '"':
			s, err := p.parseQuoted()
			if err != nil {
				return nil, err
			}
			t.lit = literal{kind: litString, src: s}
			t.text = []byte(s)
		case c == '%':
			l, err := p.parseRegex()
			if err != nil {
				return nil, err
			}
			t.regex = true
			t.lit = l
		case isTermChar(c):
			start := p.pos
			for p.pos < len(p.src) && isTermChar(p.src[p.pos]) {
				p.pos++
			}
			s := p.src[start:p.pos]
			t.lit = literal{kind: litString, src: s}
			t.text = []byte(s)
		default:
			return nil, p.errf(p.pos, "expected a term (letters, digits and _), a \"quoted phrase\" or a %%regex%%, "+
				"found %s; quote terms that contain other characters", p.found())
		}
		if !p.eof() && !isSpace(p.peek()) {
			return nil, p.errf(p.pos, "expected a space or end of pattern after a term, found %s; quote terms that "+
				"contain characters other than letters, digits and _", p.found())
		}
		pat.terms = append(pat.terms, t)
	}
	return pat, nil
}

func (t *term) matches(msg []byte) bool {
	if t.regex {
		return t.lit.re.Match(msg)
	}
	return bytes.Contains(msg, t.text)
}

// matchTerms: every plain term must occur, no excluded term may occur, and
// if there are ?terms, at least one of them must occur. Matching is a
// case-sensitive substring search over the whole message.
func (p *Pattern) matchTerms(msg []byte) bool {
	anyOptional, gotOptional := false, false
	for i := range p.terms {
		t := &p.terms[i]
		switch t.mode {
		case termRequired:
			if !t.matches(msg) {
				return false
			}
		case termExcluded:
			if t.matches(msg) {
				return false
			}
		case termOptional:
			anyOptional = true
			if !gotOptional && t.matches(msg) {
				gotOptional = true
			}
		}
	}
	return !anyOptional || gotOptional
}

func (t *term) write(b *strings.Builder) {
	switch t.mode {
	case termOptional:
		b.WriteByte('?')
	case termExcluded:
		b.WriteByte('-')
	}
	if t.regex {
		t.lit.write(b)
		return
	}
	s := t.lit.src
	bare := s != ""
	for i := 0; i < len(s); i++ {
		if !isTermChar(s[i]) {
			bare = false
			break
		}
	}
	if bare {
		b.WriteString(s)
	} else {
		quote(b, s)
	}
}
