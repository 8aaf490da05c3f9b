package filterpattern

import (
	"math/bits"
	"slices"
)

// A Set evaluates many patterns against one event in one pass, and skips most
// of them without evaluating them at all. Two ideas make it fast:
//
//   - One scan. The selectors of all JSON patterns form one trie, so the
//     event's bytes are walked once whatever the number of patterns. A
//     selector's value depends only on the event and the selector's path (not
//     on which other selectors the trie holds), so each pattern sees exactly
//     the values its own Match would.
//   - A literal index. Requires derives from each JSON pattern's syntax tree a
//     necessary condition: "this selector's value is one of these exact
//     texts", or a disjunction of such terms. The Set keeps, per indexed
//     selector, a map from text to the patterns indexed on it. After the scan
//     it looks each indexed selector's value up once; only the patterns found
//     there (candidates), and those with no condition, are evaluated. A
//     pattern that is not a candidate fails its condition, so it cannot
//     match: skipping it never changes the answer.
//
// Requires only uses = comparisons with a string literal without wildcards
// (neither a leading nor a trailing "*": quoted or bare, the same rule as
// Match). Such a comparison holds exactly when the value is a JSON string
// whose decoded text is the literal (case-sensitive), or a number or boolean
// whose JSON text is (see the package's decisions); the index looks values up
// by that same text. !=, wildcards, regexes, numbers, IS and NOT EXISTS give no
// condition.

// Term is one alternative of a Condition: the value at Selector (canonical,
// as Selectors writes it) has one of the texts in Values.
type Term struct {
	Selector string
	Values   []string
}

// Condition is a disjunction: it holds for an event when one of its Terms
// does. Written as a pattern, { T1.Selector = "v1" || T1.Selector = "v2" ||
// T2.Selector = "w1" ... }, it matches exactly the events it holds for.
type Condition []Term

// Requires returns conditions that every event p matches satisfies: p
// matches an event only if each returned Condition holds for it. It returns
// nil when it can derive none (and always for term and space-delimited
// patterns). An AND contributes the conditions of all its operands; an OR
// contributes a condition only when every operand has one: per selector that
// every operand has a single-selector condition on, the union of their
// values, or else one condition joining the first condition of each operand.
func (p *Pattern) Requires() []Condition {
	if p.kind != KindJSON {
		return nil
	}
	var out []Condition
	for _, c := range requires(p.expr) {
		cond := make(Condition, len(c))
		for i, t := range c {
			cond[i] = Term{Selector: p.selectors[t.sel].String(), Values: slices.Clone(t.vals)}
		}
		out = append(out, cond)
	}
	return out
}

// cond is a Condition over selector indices, with at most one term per selector.
type cond []term1

type term1 struct {
	sel  int
	vals []string
}

// exactText returns the literal of a leaf that holds only for values with exactly that text.
func exactText(n *node) (string, bool) {
	if n.kind != nodeLeaf || n.test != testCmp || n.op != opEq || n.lit.kind != litString || n.lit.lead || n.lit.trail {
		return "", false
	}
	return string(n.lit.core), true
}

func requires(n *node) []cond {
	switch n.kind {
	case nodeLeaf:
		if s, ok := exactText(n); ok {
			return []cond{{{sel: n.sel, vals: []string{s}}}}
		}
		return nil
	case nodeAnd:
		var out []cond
		for _, k := range n.kids {
			out = append(out, requires(k)...)
		}
		return out
	}
	kids := make([][]cond, len(n.kids))
	for i, k := range n.kids {
		if kids[i] = requires(k); len(kids[i]) == 0 {
			return nil // this operand may match without any literal
		}
	}
	var out []cond
	for _, first := range kids[0] {
		if len(first) != 1 {
			continue
		}
		sel := first[0].sel
		var vals []string
		for _, kc := range kids {
			best := -1
			for j, c := range kc {
				if len(c) == 1 && c[0].sel == sel && (best < 0 || len(c[0].vals) < len(kc[best][0].vals)) {
					best = j
				}
			}
			if best < 0 {
				vals = nil
				break
			}
			vals = union(vals, kc[best][0].vals)
		}
		if vals != nil && !slices.ContainsFunc(out, func(c cond) bool { return c[0].sel == sel }) {
			out = append(out, cond{{sel: sel, vals: vals}})
		}
	}
	if len(out) > 0 {
		return out
	}
	var joined cond
	for _, kc := range kids {
		for _, t := range kc[0] {
			i := slices.IndexFunc(joined, func(u term1) bool { return u.sel == t.sel })
			if i < 0 {
				joined = append(joined, term1{sel: t.sel})
				i = len(joined) - 1
			}
			joined[i].vals = union(joined[i].vals, t.vals)
		}
	}
	return []cond{joined}
}

// union appends to a the strings of b it lacks (a new slice; a and b are not modified).
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Set matches several patterns against each event, reading the event once; see the comment at
// the top of this file. It is immutable and safe for concurrent use.
type Set struct {
	pats   []*Pattern
	exprs  []*node // per pattern: its expression over the set's selectors (nil: not a JSON pattern)
	nsel   int
	trie   *trieNode
	index  []setIndex
	always []uint64 // patterns evaluated on every event: no condition, or not a JSON pattern
	words  int
}

// setIndex maps the texts of one selector to the patterns indexed on them (a bit set).
type setIndex struct {
	sel int
	by  map[string][]uint64
}

// NewSet returns a Set of the patterns. Set.Match reports them by their index in ps.
func NewSet(ps ...*Pattern) *Set {
	s := &Set{pats: ps, exprs: make([]*node, len(ps)), words: (len(ps) + 63) / 64}
	s.always = make([]uint64, s.words)
	ids := map[string]int{}
	var sels []selector
	remaps := make([][]int, len(ps))
	for i, p := range ps {
		if p.kind != KindJSON {
			continue
		}
		m := make([]int, len(p.selectors))
		for j, sel := range p.selectors {
			key := sel.String()
			id, ok := ids[key]
			if !ok {
				id = len(sels)
				ids[key] = id
				sels = append(sels, sel)
			}
			m[j] = id
		}
		remaps[i] = m
		s.exprs[i] = remap(p.expr, m)
	}
	s.nsel = len(sels)
	if len(sels) > 0 {
		s.trie = buildTrie(sels)
	}

	// Index each JSON pattern on one of its conditions: the one whose selectors most patterns
	// can be indexed on, so that few lookups serve many patterns.
	conds := make([][]cond, len(ps))
	popular := make([]int, len(sels))
	for i, p := range ps {
		if p.kind != KindJSON {
			continue
		}
		conds[i] = requires(p.expr)
		seen := map[int]bool{}
		for _, c := range conds[i] {
			if sel := remaps[i][c[0].sel]; len(c) == 1 && !seen[sel] {
				seen[sel] = true
				popular[sel]++
			}
		}
	}
	byIndex := map[int]int{} // selector -> position in s.index
	for i := range ps {
		best, bestScore := -1, -1
		for j, c := range conds[i] {
			score := len(ps) + 1
			for _, t := range c {
				score = min(score, popular[remaps[i][t.sel]])
			}
			if score > bestScore || score == bestScore && len(c) < len(conds[i][best]) {
				best, bestScore = j, score
			}
		}
		if best < 0 {
			s.always[i/64] |= 1 << (i % 64)
			continue
		}
		for _, t := range conds[i][best] {
			sel := remaps[i][t.sel]
			k, ok := byIndex[sel]
			if !ok {
				k = len(s.index)
				byIndex[sel] = k
				s.index = append(s.index, setIndex{sel: sel, by: map[string][]uint64{}})
			}
			for _, v := range t.vals {
				m := s.index[k].by[v]
				if m == nil {
					m = make([]uint64, s.words)
					s.index[k].by[v] = m
				}
				m[i/64] |= 1 << (i % 64)
			}
		}
	}
	return s
}

// remap copies an expression, renumbering its selectors by m.
func remap(n *node, m []int) *node {
	c := *n
	if n.kind == nodeLeaf {
		c.sel = m[n.sel]
		return &c
	}
	c.kids = make([]*node, len(n.kids))
	for i, k := range n.kids {
		c.kids[i] = remap(k, m)
	}
	return &c
}

// Len is the number of patterns in the set.
func (s *Set) Len() int { return len(s.pats) }

// Match appends to dst the indices (as given to NewSet, in increasing order) of the patterns
// that match the event message, and returns the extended slice: the patterns p for which
// p.Match(message) is true.
func (s *Set) Match(message []byte, dst []int) []int {
	sc := scanPool.Get().(*scanner)
	defer scanPool.Put(sc)
	vals, cand := s.candidates(sc, message)
	for w, word := range cand {
		for word != 0 {
			i := w*64 + bits.TrailingZeros64(word)
			word &= word - 1
			var hit bool
			if e := s.exprs[i]; e != nil {
				hit = vals != nil && evalJSON(e, vals)
			} else {
				hit = s.pats[i].Match(message)
			}
			if hit {
				dst = append(dst, i)
			}
		}
	}
	return dst
}

// candidates scans the event once and returns the selectors' values (nil if the event is not
// one well-formed JSON object) and the bit set of patterns to evaluate: those with no condition,
// and those whose indexed condition holds. Both are valid until sc is reused.
func (s *Set) candidates(sc *scanner, message []byte) (vals []jval, cand []uint64) {
	if cap(sc.cand) < s.words {
		sc.cand = make([]uint64, s.words)
	}
	cand = sc.cand[:s.words]
	copy(cand, s.always)
	if s.trie == nil {
		return nil, cand
	}
	vals, ok := sc.scanEvent(message, s.trie, s.nsel)
	if !ok {
		return nil, cand
	}
	for _, ix := range s.index {
		text, ok := valueText(&vals[ix.sel])
		if !ok {
			continue
		}
		if m, found := ix.by[string(text)]; found {
			for w := range cand {
				cand[w] |= m[w]
			}
		}
	}
	return vals, cand
}

// valueText is the text an exact = comparison compares a value with: a string's decoded
// contents, a number's JSON text, "true" or "false"; ok is false for anything else (no = on a
// string literal holds for it).
func valueText(v *jval) ([]byte, bool) {
	switch v.kind {
	case jString:
		if v.esc {
			return unescape(v.raw)
		}
		return v.raw, true
	case jNumber:
		return v.raw, true
	case jTrue:
		return trueText, true
	case jFalse:
		return falseText, true
	}
	return nil, false
}
