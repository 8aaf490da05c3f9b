package filterpattern

import (
	"strconv"
	"strings"
)

type nodeKind uint8

const (
	nodeAnd nodeKind = iota
	nodeOr
	nodeLeaf
)

type testKind uint8

const (
	testCmp testKind = iota
	testTrue
	testFalse
	testNull
	testNotExists
)

// node is a boolean expression over conditions, shared by JSON patterns and
// the conditions inside space-delimited fields.
type node struct {
	kind nodeKind
	kids []*node
	// leaf
	sel  int // JSON: selector index; space-delimited: field index (-1: unknown name)
	name string
	test testKind
	op   op
	lit  literal
}

// step is one component of a JSON selector: .name or [index].
type step struct {
	name  string
	index int // -1 for a name step
}

type selector []step

func (s selector) String() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, st := range s {
		if st.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(st.index))
			b.WriteByte(']')
		} else {
			b.WriteByte('.')
			b.WriteString(st.name)
		}
	}
	return b.String()
}

func isNameChar(c byte) bool { return isAlnum(c) || c == '_' || c == '-' }

// parseJSON parses "{ expr }".
func (p *parser) parseJSON() (*Pattern, error) {
	p.pat = &Pattern{kind: KindJSON}
	p.selIdx = map[string]int{}
	p.pos++ // {
	p.skipSpace()
	if !p.eof() && p.peek() == '}' {
		return nil, p.errf(p.pos, "expected a condition such as $.field = value inside {}, found \"}\"")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.eof() {
		return nil, p.errf(p.pos, "expected \"}\" to close the JSON pattern, found end of pattern")
	}
	if p.peek() != '}' {
		return nil, p.errf(p.pos, "expected \"&&\", \"||\" or \"}\", found %s", p.found())
	}
	p.pos++
	p.skipSpace()
	if !p.eof() {
		return nil, p.errf(p.pos, "expected end of pattern after \"}\", found %s", p.found())
	}
	if p.regexes > maxRegexes {
		return nil, p.errf(
			0,
			"pattern has %d regular expressions; AWS allows at most %d in a JSON pattern",
			p.regexes,
			maxRegexes,
		)
	}
	p.pat.expr = e
	p.pat.trie = buildTrie(p.pat.selectors)
	return p.pat, nil
}

func (p *parser) parseOr() (*node, error) {
	first, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], "||") {
			break
		}
		p.pos += 2
		n, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return flatten(nodeOr, kids), nil
}

func (p *parser) parseAnd() (*node, error) {
	first, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	kids := []*node{first}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.src[p.pos:], "&&") {
			break
		}
		p.pos += 2
		n, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		kids = append(kids, n)
	}
	return flatten(nodeAnd, kids), nil
}

// flatten builds an n-ary node, merging children of the same kind
// (a && (b && c) is a && b && c).
func flatten(k nodeKind, kids []*node) *node {
	if len(kids) == 1 {
		return kids[0]
	}
	var out []*node
	for _, c := range kids {
		if c.kind == k {
			out = append(out, c.kids...)
		} else {
			out = append(out, c)
		}
	}
	return &node{kind: k, kids: out}
}

func (p *parser) parseUnary() (*node, error) {
	p.skipSpace()
	if p.eof() {
		if p.inSpace {
			return nil, p.errf(p.pos, "expected a field condition, found end of pattern")
		}
		return nil, p.errf(p.pos, "expected a selector such as $.field or \"(\", found end of pattern")
	}
	if p.peek() == '(' {
		open := p.pos
		p.depth++
		if p.depth > maxNesting {
			return nil, p.errf(p.pos, "parentheses nested more than %d deep", maxNesting)
		}
		p.pos++
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.eof() || p.peek() != ')' {
			return nil, p.errf(p.pos, "expected \")\" to close \"(\" at offset %d, found %s", open, p.found())
		}
		p.pos++
		p.depth--
		return n, nil
	}
	if p.inSpace {
		return p.parseFieldCond()
	}
	return p.parseCond()
}

// parseSelector reads $.a.b[0].c at p.pos.
func (p *parser) parseSelector() (selector, error) {
	if p.eof() || p.peek() != '$' {
		return nil, p.errf(p.pos, "expected a selector such as $.field or \"(\", found %s", p.found())
	}
	p.pos++
	if p.eof() || p.peek() != '.' {
		return nil, p.errf(p.pos, "expected \".\" and a property name after \"$\", found %s", p.found())
	}
	var sel selector
	for !p.eof() {
		switch p.peek() {
		case '.':
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && isNameChar(p.src[p.pos]) {
				p.pos++
			}
			if p.pos == start {
				return nil, p.errf(
					p.pos,
					"expected a property name (letters, digits, - and _) after \".\", found %s",
					p.found(),
				)
			}
			sel = append(sel, step{name: p.src[start:p.pos], index: -1})
		case '[':
			open := p.pos
			p.pos++
			start := p.pos
			for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
				p.pos++
			}
			if p.pos == start {
				return nil, p.errf(p.pos, "expected an array index (digits) after \"[\", found %s", p.found())
			}
			if p.pos-start > 9 {
				return nil, p.errf(start, "array index %s is too large", p.src[start:p.pos])
			}
			idx, _ := strconv.Atoi(p.src[start:p.pos])
			if p.eof() || p.peek() != ']' {
				return nil, p.errf(p.pos, "expected \"]\" to close \"[\" at offset %d, found %s", open, p.found())
			}
			p.pos++
			sel = append(sel, step{index: idx})
		default:
			return sel, nil
		}
	}
	return sel, nil
}

// keyword matches an upper- or lower-case keyword followed by a delimiter.
func (p *parser) keyword(kw string) bool {
	end := p.pos + len(kw)
	if end > len(p.src) || !strings.EqualFold(p.src[p.pos:end], kw) {
		return false
	}
	if end < len(p.src) && (isAlnum(p.src[end]) || p.src[end] == '_') {
		return false
	}
	p.pos = end
	return true
}

const expectedOp = `"=", "!=", "<", "<=", ">", ">=", "IS TRUE", "IS FALSE", "IS NULL" or "NOT EXISTS"`

func (p *parser) parseCond() (*node, error) {
	sel, err := p.parseSelector()
	if err != nil {
		return nil, err
	}
	key := sel.String()
	id, ok := p.selIdx[key]
	if !ok {
		id = len(p.pat.selectors)
		p.selIdx[key] = id
		p.pat.selectors = append(p.pat.selectors, sel)
	}
	n := &node{kind: nodeLeaf, sel: id, name: key}
	p.skipSpace()
	if p.eof() {
		return nil, p.errf(p.pos, "expected %s after selector %s, found end of pattern", expectedOp, key)
	}
	if o, ok := p.parseOp(); ok {
		n.op = o
		n.lit, err = p.parseValue(o, "selector "+key+" "+opText[o])
		return n, err
	}
	kwStart := p.pos
	switch {
	case p.keyword("IS"):
		p.skipSpace()
		switch {
		case p.keyword("TRUE"):
			n.test = testTrue
		case p.keyword("FALSE"):
			n.test = testFalse
		case p.keyword("NULL"):
			n.test = testNull
		default:
			return nil, p.errf(p.pos, "expected TRUE, FALSE or NULL after %s IS, found %s", key, p.found())
		}
	case p.keyword("NOT"):
		p.skipSpace()
		if !p.keyword("EXISTS") {
			return nil, p.errf(p.pos, "expected EXISTS after %s NOT, found %s", key, p.found())
		}
		n.test = testNotExists
	default:
		return nil, p.errf(kwStart, "expected %s after selector %s, found %s", expectedOp, key, p.found())
	}
	return n, nil
}

// writeNode writes an expression in canonical form. paren says the caller
// needs an OR wrapped in parentheses.
func (p *Pattern) writeNode(b *strings.Builder, n *node, paren bool) {
	switch n.kind {
	case nodeLeaf:
		b.WriteString(n.name)
		switch n.test {
		case testTrue:
			b.WriteString(" IS TRUE")
		case testFalse:
			b.WriteString(" IS FALSE")
		case testNull:
			b.WriteString(" IS NULL")
		case testNotExists:
			b.WriteString(" NOT EXISTS")
		default:
			b.WriteByte(' ')
			b.WriteString(opText[n.op])
			b.WriteByte(' ')
			n.lit.write(b)
		}
	case nodeAnd:
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(" && ")
			}
			p.writeNode(b, k, true)
		}
	case nodeOr:
		if paren {
			b.WriteByte('(')
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(" || ")
			}
			p.writeNode(b, k, false)
		}
		if paren {
			b.WriteByte(')')
		}
	}
}
