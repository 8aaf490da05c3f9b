package filterpattern

import (
	"bytes"
	"sync"
	"unicode/utf8"

	"github.com/rootwatch/rootwatch/internal/jsonlex"
)

// The JSON evaluator walks the event's bytes once. A trie built from the
// pattern's selectors says which object members and array elements to
// descend into; everything else is skipped (but still checked for
// well-formedness, so a malformed event never matches). No map or tree is
// built per event, and events without escapes in the selected strings are
// evaluated without allocating.

// maxJSONDepth bounds nesting in an event; deeper events do not match. It is the limit the log
// reader (cmd/rootwatch/internal/scan) splits records by, so a record it yields is never too deep to evaluate.
const maxJSONDepth = jsonlex.MaxDepth

type trieEdge struct {
	name  string
	child *trieNode
}

type trieIdx struct {
	index int
	child *trieNode
}

type trieNode struct {
	sel   int // selector ending here, or -1
	names []trieEdge
	idxs  []trieIdx
}

func buildTrie(sels []selector) *trieNode {
	root := &trieNode{sel: -1}
	for id, s := range sels {
		n := root
		for _, st := range s {
			var next *trieNode
			if st.index >= 0 {
				for _, e := range n.idxs {
					if e.index == st.index {
						next = e.child
					}
				}
				if next == nil {
					next = &trieNode{sel: -1}
					n.idxs = append(n.idxs, trieIdx{st.index, next})
				}
			} else {
				for _, e := range n.names {
					if e.name == st.name {
						next = e.child
					}
				}
				if next == nil {
					next = &trieNode{sel: -1}
					n.names = append(n.names, trieEdge{st.name, next})
				}
			}
			n = next
		}
		n.sel = id
	}
	return root
}

type jsonKind uint8

const (
	jMissing jsonKind = iota
	jNull
	jTrue
	jFalse
	jNumber
	jString
	jObject
	jArray
)

// jval is what a selector points at in one event.
type jval struct {
	kind jsonKind
	esc  bool   // string contains backslash escapes
	raw  []byte // string: bytes between the quotes; number: its text
	span []byte // the whole value's JSON text (a string with its quotes)
}

type scanner struct {
	b    []byte
	i    int
	vals []jval
	err  bool
	cand []uint64 // Set.Match's candidate patterns
	fold bool     // keys match names case-insensitively (Extractor.FoldKeys); never for patterns
}

func (s *scanner) ws() {
	for s.i < len(s.b) && jsonlex.IsSpace(s.b[s.i]) {
		s.i++
	}
}

// str scans a string whose opening quote is at s.i and returns its raw
// contents and whether it holds escapes.
func (s *scanner) str() ([]byte, bool) {
	start := s.i + 1
	for i := start; ; {
		j := bytes.IndexByte(s.b[i:], '"')
		if j < 0 {
			s.err = true
			return nil, false
		}
		k := i + j
		if !jsonlex.Escaped(s.b, k) {
			s.i = k + 1
			raw := s.b[start:k]
			return raw, bytes.IndexByte(raw, '\\') >= 0
		}
		i = k + 1
	}
}

func (s *scanner) lit(word string, k jsonKind) jsonKind {
	if bytes.HasPrefix(s.b[s.i:], []byte(word)) {
		s.i += len(word)
		return k
	}
	s.err = true
	return jMissing
}

func (s *scanner) number() []byte {
	start := s.i
	for s.i < len(s.b) {
		c := s.b[s.i]
		if c >= '0' && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			s.i++
			continue
		}
		break
	}
	if s.i == start {
		s.err = true
	}
	return s.b[start:s.i]
}

// value scans one JSON value at s.i. n is the trie node for this position
// (nil: not selected, just skip it).
func (s *scanner) value(n *trieNode, depth int) {
	if depth > maxJSONDepth {
		s.err = true
		return
	}
	s.ws()
	if s.i >= len(s.b) {
		s.err = true
		return
	}
	var v jval
	start := s.i
	switch c := s.b[s.i]; {
	case c == '{':
		v.kind = jObject
		s.object(n, depth)
	case c == '[':
		v.kind = jArray
		s.array(n, depth)
	case c == '"':
		v.kind = jString
		v.raw, v.esc = s.str()
	case c == 't':
		v.kind = s.lit("true", jTrue)
	case c == 'f':
		v.kind = s.lit("false", jFalse)
	case c == 'n':
		v.kind = s.lit("null", jNull)
	case c == '-' || c >= '0' && c <= '9':
		v.kind = jNumber
		v.raw = s.number()
	default:
		s.err = true
	}
	if n != nil && n.sel >= 0 {
		v.span = s.b[start:s.i]
		s.vals[n.sel] = v
	}
}

// empty consumes the opening bracket at s.i and, if the object or array closes right away, its
// closing bracket; it reports whether it did.
func (s *scanner) empty(close byte) bool {
	s.i++
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == close {
		s.i++
		return true
	}
	return false
}

// more reads what follows a member or element: ',' (it reports true: another follows) or the
// closing bracket (false). Anything else, or the end of input, is an error (false, s.err set).
func (s *scanner) more(close byte) bool {
	s.ws()
	if s.i >= len(s.b) {
		s.err = true
		return false
	}
	switch s.b[s.i] {
	case ',':
		s.i++
		return true
	case close:
		s.i++
		return false
	}
	s.err = true
	return false
}

func (s *scanner) object(n *trieNode, depth int) {
	if s.empty('}') {
		return
	}
	for !s.err {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			s.err = true
			return
		}
		key, esc := s.str()
		if s.err {
			return
		}
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			s.err = true
			return
		}
		s.i++
		var child *trieNode
		if n != nil && len(n.names) > 0 {
			if esc {
				key, _ = unescape(key)
			}
			for _, e := range n.names {
				if string(key) == e.name {
					child = e.child
					break
				}
			}
			if child == nil && s.fold {
				for _, e := range n.names {
					if bytes.EqualFold(key, []byte(e.name)) {
						child = e.child
						break
					}
				}
			}
		}
		s.value(child, depth+1)
		if s.err || !s.more('}') {
			return
		}
	}
}

func (s *scanner) array(n *trieNode, depth int) {
	if s.empty(']') {
		return
	}
	for idx := 0; !s.err; idx++ {
		var child *trieNode
		if n != nil {
			for _, e := range n.idxs {
				if e.index == idx {
					child = e.child
					break
				}
			}
		}
		s.value(child, depth+1)
		if s.err || !s.more(']') {
			return
		}
	}
}

// unescape decodes JSON string escapes. ok is false for a malformed escape.
func unescape(raw []byte) ([]byte, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(raw) {
			return out, false
		}
		switch raw[i] {
		case '"', '\\', '/':
			out = append(out, raw[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw, i+1)
			if !ok {
				return out, false
			}
			i += 4
			if r >= 0xD800 && r < 0xDC00 {
				// surrogate pair
				if i+2 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
					if r2, ok := hex4(raw, i+3); ok && r2 >= 0xDC00 && r2 < 0xE000 {
						r = (r-0xD800)<<10 + (r2 - 0xDC00) + 0x10000
						i += 6
					} else {
						r = 0xFFFD
					}
				} else {
					r = 0xFFFD
				}
			} else if r >= 0xDC00 && r < 0xE000 {
				r = 0xFFFD
			}
			out = utf8.AppendRune(out, r)
		default:
			return out, false
		}
	}
	return out, true
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// matchJSON evaluates a JSON pattern against one event.
func (p *Pattern) matchJSON(msg []byte) bool {
	s := scanPool.Get().(*scanner)
	defer scanPool.Put(s)
	vals, ok := s.scanEvent(msg, p.trie, len(p.selectors))
	return ok && evalJSON(p.expr, vals)
}

// scanEvent walks msg once, recording the values of the nsel selectors of trie, and returns
// them; ok is false unless msg is one well-formed JSON object (then no JSON pattern matches it).
// The values are valid until s is reused.
func (s *scanner) scanEvent(msg []byte, trie *trieNode, nsel int) (vals []jval, ok bool) {
	if cap(s.vals) < nsel {
		s.vals = make([]jval, nsel)
	}
	s.vals = s.vals[:nsel]
	clear(s.vals)
	s.b, s.i, s.err = msg, 0, false
	defer func() { s.b = nil }()
	s.ws()
	if s.i >= len(msg) || msg[s.i] != '{' {
		return nil, false // JSON patterns only apply to JSON objects
	}
	s.value(trie, 0)
	if s.err {
		return nil, false
	}
	s.ws()
	if s.i != len(msg) {
		return nil, false
	}
	return s.vals, true
}

func evalJSON(n *node, vals []jval) bool {
	switch n.kind {
	case nodeAnd:
		for _, k := range n.kids {
			if !evalJSON(k, vals) {
				return false
			}
		}
		return true
	case nodeOr:
		for _, k := range n.kids {
			if evalJSON(k, vals) {
				return true
			}
		}
		return false
	}
	v := &vals[n.sel]
	switch n.test {
	case testTrue:
		return v.kind == jTrue
	case testFalse:
		return v.kind == jFalse
	case testNull:
		return v.kind == jNull
	case testNotExists:
		return v.kind == jMissing
	}
	switch v.kind {
	case jString:
		raw := v.raw
		if v.esc {
			var ok bool
			if raw, ok = unescape(raw); !ok {
				return false
			}
		}
		return compareText(n.op, &n.lit, raw, false)
	case jNumber:
		return compareText(n.op, &n.lit, v.raw, true)
	case jTrue:
		if n.lit.kind == litNumber {
			return false
		}
		return compareText(n.op, &n.lit, trueText, false)
	case jFalse:
		if n.lit.kind == litNumber {
			return false
		}
		return compareText(n.op, &n.lit, falseText, false)
	}
	// missing, null, object, array: no comparison applies, = and != alike.
	return false
}

var scanPool = sync.Pool{New: func() any { return new(scanner) }}

var (
	trueText  = []byte("true")
	falseText = []byte("false")
)
