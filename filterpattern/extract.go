package filterpattern

import "fmt"

// Extractor reads the values at a list of JSON selectors from events, walking each event once
// with the scanner JSON patterns use, so a selector means the same in both: keys are matched
// exactly (case-sensitive), the last of repeated keys wins, and an event that is not one
// well-formed JSON object yields nothing. It is immutable and safe for concurrent use.
type Extractor struct {
	nsel int
	trie *trieNode
	fold bool
}

// FoldKeys returns a copy of x that matches keys case-insensitively, as encoding/json matches
// keys to struct fields ("accesskeyid" is read for $.accessKeyId); a key that matches
// exactly does not win over one that matches after case folding: the last one wins, as in
// encoding/json. JSON patterns never fold keys.
func (x *Extractor) FoldKeys() *Extractor {
	y := *x
	y.fold = true
	return &y
}

// NewExtractor parses the selectors ($.a.b, $.a[0].b, as in JSON patterns), which must be
// distinct.
func NewExtractor(selectors ...string) (*Extractor, error) {
	sels := make([]selector, len(selectors))
	seen := map[string]bool{}
	for i, src := range selectors {
		p := &parser{src: src}
		sel, err := p.parseSelector()
		if err == nil && !p.eof() {
			err = p.errf(p.pos, "expected end of selector, found %s", p.found())
		}
		if err == nil && seen[sel.String()] {
			err = fmt.Errorf("given twice")
		}
		if err != nil {
			return nil, fmt.Errorf("selector %q: %w", src, err)
		}
		seen[sel.String()] = true
		sels[i] = sel
	}
	return &Extractor{nsel: len(sels), trie: buildTrie(sels)}, nil
}

// Extract walks event once and appends to dst[:0], for each selector in the order given to
// NewExtractor, the JSON text of its value as it appears in the event (a string with its quotes
// and escapes, an object or array whole), or nil when the event has none there. The slices alias
// event. ok is false, and dst empty, unless event is one well-formed JSON object.
func (x *Extractor) Extract(event []byte, dst [][]byte) (vals [][]byte, ok bool) {
	sc := scanPool.Get().(*scanner)
	defer scanPool.Put(sc)
	dst = dst[:0]
	sc.fold = x.fold
	vs, ok := sc.scanEvent(event, x.trie, x.nsel)
	sc.fold = false
	if !ok {
		return dst, false
	}
	for i := range vs {
		dst = append(dst, vs[i].span)
		vs[i] = jval{} // the pool keeps no reference to event
	}
	return dst, true
}
