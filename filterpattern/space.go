package filterpattern

import "strings"

// field is one comma-separated entry of a space-delimited pattern.
type field struct {
	ellipsis bool
	name     string // "" for an empty (anonymous) field
	cond     *node  // nil: no condition
}

// matchBudget bounds the work spent aligning fields to words when a pattern
// has several "..." and conditions that refer to other fields.
const matchBudget = 1 << 20

func (p *parser) parseSpaceDelimited() (*Pattern, error) {
	p.pat = &Pattern{kind: KindSpaceDelimited}
	p.inSpace = true
	open := p.pos
	p.pos++ // [
	p.skipSpace()
	if !p.eof() && p.peek() == ']' {
		return nil, p.errf(p.pos, "expected a field name, \"...\" or a condition inside [], found \"]\"")
	}
	for {
		f, err := p.parseField()
		if err != nil {
			return nil, err
		}
		p.pat.fields = append(p.pat.fields, f)
		p.skipSpace()
		if p.eof() {
			return nil, p.errf(p.pos, "expected \",\" or \"]\" to close \"[\" at offset %d, found end of pattern", open)
		}
		if p.peek() == ',' {
			p.pos++
			continue
		}
		if p.peek() == ']' {
			p.pos++
			break
		}
		return nil, p.errf(p.pos, "expected \",\", \"]\", \"&&\" or \"||\" after a field, found %s", p.found())
	}
	p.skipSpace()
	if !p.eof() {
		return nil, p.errf(p.pos, "expected end of pattern after \"]\", found %s", p.found())
	}
	if p.regexes > maxRegexes {
		return nil, p.errf(
			0,
			"pattern has %d regular expressions; AWS allows at most %d in a space-delimited pattern",
			p.regexes,
			maxRegexes,
		)
	}
	// Resolve the names conditions refer to.
	pat := p.pat
	index := map[string]int{}
	for i, f := range pat.fields {
		if f.name != "" {
			if _, dup := index[f.name]; !dup {
				index[f.name] = i
			}
		}
		if f.ellipsis {
			pat.nEll++
		}
	}
	pat.local = true
	for i := range pat.fields {
		if c := pat.fields[i].cond; c != nil {
			resolve(c, index, i, &pat.local)
		}
	}
	return pat, nil
}

func resolve(n *node, index map[string]int, self int, local *bool) {
	if n.kind != nodeLeaf {
		for _, k := range n.kids {
			resolve(k, index, self, local)
		}
		return
	}
	i, ok := index[n.name]
	if !ok {
		i = -1 // a name no field has: the comparison is always false
	}
	n.sel = i
	if i != self {
		*local = false
	}
}

func (p *parser) parseField() (field, error) {
	p.skipSpace()
	if p.eof() {
		return field{}, p.errf(p.pos, "expected a field name, \"...\" or a condition, found end of pattern")
	}
	switch c := p.peek(); {
	case c == ',' || c == ']':
		return field{}, nil
	case strings.HasPrefix(p.src[p.pos:], "..."):
		p.pos += 3
		return field{ellipsis: true}, nil
	case isTermChar(c):
		// a bare name, or the start of a condition
		start := p.pos
		for p.pos < len(p.src) && isTermChar(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		p.skipSpace()
		if p.eof() || p.peek() == ',' || p.peek() == ']' {
			return field{name: name}, nil
		}
		p.pos = start
	case c == '(':
	default:
		return field{}, p.errf(
			p.pos,
			"expected a field name (letters, digits and _), \"...\" or a condition, found %s",
			p.found(),
		)
	}
	n, err := p.parseOr()
	if err != nil {
		return field{}, err
	}
	return field{name: firstLeaf(n).name, cond: n}, nil
}

func firstLeaf(n *node) *node {
	for n.kind != nodeLeaf {
		n = n.kids[0]
	}
	return n
}

// parseFieldCond parses "name op value" inside a space-delimited field.
func (p *parser) parseFieldCond() (*node, error) {
	start := p.pos
	for p.pos < len(p.src) && isTermChar(p.src[p.pos]) {
		p.pos++
	}
	if p.pos == start {
		return nil, p.errf(p.pos, "expected a field name (letters, digits and _) or \"(\", found %s", p.found())
	}
	name := p.src[start:p.pos]
	p.skipSpace()
	o, ok := p.parseOp()
	if !ok {
		return nil, p.errf(
			p.pos,
			"expected \"=\", \"!=\", \"<\", \"<=\", \">\" or \">=\" after field %s, found %s",
			name,
			p.found(),
		)
	}
	lit, err := p.parseValue(o, "field "+name+" "+opText[o])
	if err != nil {
		return nil, err
	}
	return &node{kind: nodeLeaf, name: name, op: o, lit: lit}, nil
}

type span struct{ start, end int }

// tokenize splits a message into words: runs of non-space characters, or
// the contents of "..." or [...] (which may hold spaces).
func tokenize(msg []byte, out []span) []span {
	i := 0
	for {
		for i < len(msg) && isSpace(msg[i]) {
			i++
		}
		if i >= len(msg) {
			return out
		}
		switch msg[i] {
		case '"':
			j := i + 1
			for j < len(msg) && msg[j] != '"' {
				j++
			}
			out = append(out, span{i + 1, j})
			i = j + 1
		case '[':
			depth := 0
			j := i
			for ; j < len(msg); j++ {
				if msg[j] == '[' {
					depth++
				} else if msg[j] == ']' {
					depth--
					if depth == 0 {
						break
					}
				}
			}
			out = append(out, span{i + 1, j})
			i = j + 1
		default:
			j := i
			for j < len(msg) && !isSpace(msg[j]) {
				j++
			}
			out = append(out, span{i, j})
			i = j
		}
	}
}

type sdMatcher struct {
	p      *Pattern
	msg    []byte
	toks   []span
	assign []int
	after  []int // non-ellipsis fields after index i
	ells   []int // "..." fields after index i
	budget int
}

func (p *Pattern) matchSpaceDelimited(msg []byte) bool {
	var tbuf [64]span
	toks := tokenize(msg, tbuf[:0])
	need := len(p.fields) - p.nEll
	if len(toks) < need || (p.nEll == 0 && len(toks) != need) {
		return false
	}
	var abuf, fbuf [32]int
	m := sdMatcher{p: p, msg: msg, toks: toks, budget: matchBudget}
	if len(p.fields) <= len(abuf) {
		m.assign, m.after = abuf[:len(p.fields)], fbuf[:len(p.fields)]
	} else {
		m.assign, m.after = make([]int, len(p.fields)), make([]int, len(p.fields))
	}
	if p.local {
		return m.dp()
	}
	m.ells = make([]int, len(p.fields))
	cnt, ells := 0, 0
	for i := len(p.fields) - 1; i >= 0; i-- {
		m.after[i], m.ells[i] = cnt, ells
		if p.fields[i].ellipsis {
			ells++
		} else {
			cnt++
		}
	}
	return m.try(0, 0)
}

// dp aligns fields to words when every condition refers only to its own
// field: reach[t] says the fields so far can consume exactly the first t
// words. O(fields x words) time, no recursion, no work limit.
func (m *sdMatcher) dp() bool {
	n := len(m.toks) + 1
	var b1, b2 [65]bool
	var reach, next []bool
	if n <= len(b1) {
		reach, next = b1[:n], b2[:n]
	} else {
		reach, next = make([]bool, n), make([]bool, n)
	}
	reach[0] = true
	for fi := range m.p.fields {
		f := &m.p.fields[fi]
		alive := false
		if f.ellipsis {
			run := false
			for t := 0; t < n; t++ {
				run = run || reach[t]
				next[t] = run
				alive = alive || run
			}
		} else {
			next[0] = false
			for t := 0; t+1 < n; t++ {
				ok := reach[t]
				if ok && f.cond != nil {
					m.assign[fi] = t
					ok = m.eval(f.cond)
				}
				next[t+1] = ok
				alive = alive || ok
			}
		}
		if !alive {
			return false
		}
		reach, next = next, reach
	}
	return reach[n-1]
}

func (m *sdMatcher) try(fi, ti int) bool {
	m.budget--
	if m.budget < 0 {
		return false
	}
	p := m.p
	if fi == len(p.fields) {
		if ti != len(m.toks) {
			return false
		}
		if !p.local {
			for i := range p.fields {
				if c := p.fields[i].cond; c != nil && !m.eval(c) {
					return false
				}
			}
		}
		return true
	}
	return m.step(fi, ti)
}

func (m *sdMatcher) step(fi, ti int) bool {
	f := &m.p.fields[fi]
	if f.ellipsis {
		last := len(m.toks) - m.after[fi]
		if m.ells[fi] == 0 {
			// the last "...": the words left for the fields after it are fixed
			return last >= ti && m.try(fi+1, last)
		}
		for k := ti; k <= last; k++ {
			if m.try(fi+1, k) {
				return true
			}
		}
		return false
	}
	if ti >= len(m.toks) {
		return false
	}
	m.assign[fi] = ti
	if m.p.local && f.cond != nil && !m.eval(f.cond) {
		return false
	}
	return m.try(fi+1, ti+1)
}

func (m *sdMatcher) eval(n *node) bool {
	switch n.kind {
	case nodeAnd:
		for _, k := range n.kids {
			if !m.eval(k) {
				return false
			}
		}
		return true
	case nodeOr:
		for _, k := range n.kids {
			if m.eval(k) {
				return true
			}
		}
		return false
	}
	if n.sel < 0 {
		return false
	}
	t := m.toks[m.assign[n.sel]]
	return compareText(n.op, &n.lit, m.msg[t.start:t.end], false)
}
