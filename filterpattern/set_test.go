package filterpattern

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// conditionPattern writes a Condition as the pattern it stands for: { S = "v1" || S = "v2" || ... }.
func conditionPattern(c Condition) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i, t := range c {
		for j, v := range t.Values {
			if i > 0 || j > 0 {
				b.WriteString(" || ")
			}
			b.WriteString(t.Selector + " = ")
			quote(&b, v)
		}
	}
	b.WriteString(" }")
	return b.String()
}

func requiresText(p *Pattern) string {
	var out []string
	for _, c := range p.Requires() {
		out = append(out, conditionPattern(c))
	}
	return strings.Join(out, " AND ")
}

// TestRequires pins the conditions derived from the syntax tree: only = on exact strings (quoted or
// bare; a "*" inside the value is an ordinary character) give one; an OR gives one only when all
// its operands do.
func TestRequires(t *testing.T) {
	cases := []struct{ pattern, want string }{
		{`{ $.a = "x" }`, `{ $.a = "x" }`},
		{`{ $.a = x.y-z }`, `{ $.a = "x.y-z" }`},
		{`{ $.a = "E*v" }`, `{ $.a = "E*v" }`},
		{`{ $.a = "true" }`, `{ $.a = "true" }`},
		{`{ $.a = "" }`, `{ $.a = "" }`},
		{`{ $.a = "x*" }`, ``},
		{`{ $.a = "*x" }`, ``},
		{`{ $.a = * }`, ``},
		{`{ $.a != "x" }`, ``},
		{`{ $.a = 400 }`, ``},
		{`{ $.a = %x% }`, ``},
		{`{ $.a IS TRUE }`, ``},
		{`{ $.a NOT EXISTS }`, ``},
		{`{ $.a = "x" && $.b = "y" && $.c != "z" }`, `{ $.a = "x" } AND { $.b = "y" }`},
		{`{ $.a = "x" || $.a = "y" || $.a = "x" }`, `{ $.a = "x" || $.a = "y" }`},
		{`{ $.a = "x" || $.b = "y" }`, `{ $.a = "x" || $.b = "y" }`},
		{`{ $.a = "x" || $.b = "y*" }`, ``},
		{
			`{ ($.s = "s" && $.a = "x") || ($.s = "t" && $.a = "y") }`,
			`{ $.s = "s" || $.s = "t" } AND { $.a = "x" || $.a = "y" }`,
		},
		{
			`{ ($.s = "s" && ($.t = "R" && $.a = "x" || $.a = "y" || $.a = "z")) }`,
			`{ $.s = "s" } AND { $.a = "x" || $.a = "y" || $.a = "z" }`,
		},
		{`{ ($.a = "x" && $.b = "1") || $.b = "2" || $.c = "3" }`, `{ $.a = "x" || $.b = "2" || $.c = "3" }`},
		{`"Root" -x`, ``},
		{`[a, b = x]`, ``},
	}
	for _, c := range cases {
		if got := requiresText(mustParse(t, c.pattern)); got != c.want {
			t.Errorf("Requires(%s):\n got %s\nwant %s", c.pattern, got, c.want)
		}
	}
}

// setPatterns: every catalogue pattern, the fuzz seeds, Prowler's patterns and TestRequires's
// shapes, parsed.
func setPatterns(tb testing.TB) []*Pattern {
	tb.Helper()
	var srcs []string
	for _, c := range catalog.All() {
		srcs = append(srcs, c.Patterns()...)
	}
	srcs = append(srcs, fuzzPatterns...)
	srcs = append(srcs, cisCloudTrail,
		`{ $.eventName = "ConsoleLogin" || $.errorCode = "AccessDenied" }`,
		`{ $.eventName = "E*v" || $.eventType = "true" || $.readOnly = "true" }`,
		`{ ($.eventSource = "iam.amazonaws.com" && $.eventName = "CreateUser") || $.userIdentity.type = "Root" }`)
	data, err := os.ReadFile("testdata/prowler/filter_patterns.json")
	if err != nil {
		tb.Fatal(err)
	}
	var prowler []string
	if err := json.Unmarshal(data, &prowler); err != nil {
		tb.Fatal(err)
	}
	srcs = append(srcs, prowler...)
	var out []*Pattern
	for _, s := range srcs {
		if p, err := Parse(s); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// setEvents: every record under testdata/cloudtrail, the fuzz seed events, and edge cases of the index's texts
// (escapes, numbers and booleans compared as text, duplicate keys, malformed JSON).
func setEvents(tb testing.TB) [][]byte {
	tb.Helper()
	out := wholeCorpus(tb)
	for _, e := range fuzzEvents {
		out = append(out, []byte(e))
	}
	for _, e := range []string{
		`{"eventName":"Console\u004cogin","additionalEventData":{"MFAUsed":"No"}}`,
		`{"eventName":"ConsoleLogin","eventName":"GetObject","additionalEventData":{"MFAUsed":"No"}}`,
		`{"eventName":"GetObject","eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"}}`,
		`{"eventType":true,"readOnly":"true","eventName":"E*v"}`,
		`{"userIdentity":{"type":"Root"},"userIdentity":{"arn":"x"},"eventType":"AwsApiCall"}`,
		`{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall"} x`,
		`{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall"`,
		`{"userIdentity":{"type":"Ro\ot"},"eventType":"AwsApiCall"}`,
		`{"eventName":["ConsoleLogin"],"errorCode":{"a":1}}`,
		`{"eventName":null,"errorCode":"AccessDenied"}`,
		`{"errorCode":"Client.UnauthorizedOperation","eventSource":"kms.amazonaws.com","eventName":"DisableKey"}`,
	} {
		out = append(out, []byte(e))
	}
	return out
}

// wholeCorpus returns every record under testdata/cloudtrail (431), Panther's rule tests' logs
// included (corpus.Load).
func wholeCorpus(tb testing.TB) [][]byte {
	tb.Helper()
	recs, err := corpus.Load(corpusDir)
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for _, r := range recs {
		out = append(out, r.Msg)
	}
	if len(out) != 431 {
		tb.Fatalf("%d records under %s, want the corpus's 431", len(out), corpusDir)
	}
	return out
}

// TestRequiresSound: for every pattern and event, a match implies each of the pattern's conditions,
// evaluated as the filter pattern it stands for (so the index's reading of = is Match's).
func TestRequiresSound(t *testing.T) {
	pats, events := setPatterns(t), setEvents(t)
	derived := 0
	for _, p := range pats {
		var conds []*Pattern
		for _, c := range p.Requires() {
			conds = append(conds, mustParse(t, conditionPattern(c)))
		}
		if len(conds) > 0 {
			derived++
		}
		for _, e := range events {
			if !p.Match(e) {
				continue
			}
			for _, c := range conds {
				if !c.Match(e) {
					t.Errorf("%s matches %s, but its condition %s does not", p, e, c)
				}
			}
		}
	}
	if derived < len(catalog.All()) {
		t.Errorf("conditions derived for only %d of %d patterns", derived, len(pats))
	}
}

// checkSet compares a Set with each pattern's own Match on one event, and checks that a pattern
// the index rejects does not match.
func checkSet(tb testing.TB, s *Set, pats []*Pattern, e []byte) {
	tb.Helper()
	var want []int
	for i, p := range pats {
		if p.Match(e) {
			want = append(want, i)
		}
	}
	if got := s.Match(e, nil); !slices.Equal(got, want) {
		tb.Fatalf("Set.Match(%s) = %v, each pattern's Match: %v", e, got, want)
	}
	sc := new(scanner)
	_, cand := s.candidates(sc, e)
	for _, i := range want {
		if cand[i/64]&(1<<(i%64)) == 0 {
			tb.Fatalf("%s matches %s but the index rejected it", pats[i], e)
		}
	}
}

// TestSetMatchesEachPattern: a Set of all the patterns gives exactly the matches of evaluating
// every pattern, on every event; and the index rejects most events for most patterns.
func TestSetMatchesEachPattern(t *testing.T) {
	pats, events := setPatterns(t), setEvents(t)
	s := NewSet(pats...)
	if s.Len() != len(pats) || len(pats) <= 64 {
		t.Fatalf("%d patterns: want more than 64, to use several words of the bit sets", len(pats))
	}
	evaluated := 0
	for _, e := range events {
		checkSet(t, s, pats, e)
		_, cand := s.candidates(new(scanner), e)
		for _, w := range cand {
			evaluated += popcount(w)
		}
	}
	if evaluated*4 > len(pats)*len(events) {
		t.Errorf(
			"the index let %d of %d (pattern, event) pairs through, want under a quarter",
			evaluated,
			len(pats)*len(events),
		)
	}
	if got := NewSet().Match([]byte(`{}`), nil); got != nil {
		t.Errorf("empty set matched %v", got)
	}
}

func popcount(w uint64) int {
	n := 0
	for ; w != 0; w &= w - 1 {
		n++
	}
	return n
}

// FuzzSet: on any event, a Set of the catalogue and fuzz patterns agrees with each pattern's Match.
func FuzzSet(f *testing.F) {
	pats := setPatterns(f)
	s := NewSet(pats...)
	for _, e := range setEvents(f)[:40] {
		f.Add(e)
	}
	for _, e := range fuzzEvents {
		f.Add([]byte(e))
	}
	f.Fuzz(func(t *testing.T, e []byte) { checkSet(t, s, pats, e) })
}

// TestExtractor: values are the JSON text at each selector, as Match reads them (last repeated key
// wins; exact keys); nothing from an event that is not one well-formed object.
func TestExtractor(t *testing.T) {
	x, err := NewExtractor("$.a", "$.b.c", "$.d[1]", "$.e", "$.b")
	if err != nil {
		t.Fatal(err)
	}
	vals, ok := x.Extract(
		[]byte(` {"a":"x\"y","b":{"c":[1, {"z":null}]},"A":"no","d":[true, -1.5e3],"a":"last"} `),
		nil,
	)
	if got := fmt.Sprintf("%q", vals); !ok ||
		got != `["\"last\"" "[1, {\"z\":null}]" "-1.5e3" "" "{\"c\":[1, {\"z\":null}]}"]` {
		t.Errorf("Extract = %s, %v", got, ok)
	}
	if vals[3] != nil {
		t.Errorf("missing value %q, want nil", vals[3])
	}
	for _, bad := range []string{`{"a":1`, `{"a":1} x`, `[1]`, `"a"`, ``} {
		if vals, ok := x.Extract([]byte(bad), vals); ok || len(vals) != 0 {
			t.Errorf("Extract(%s) = %q, %v", bad, vals, ok)
		}
	}
	ev := []byte(`{"A":"x","b":{"c":2,"C":1}}`)
	if vals, _ := x.Extract(ev, nil); vals[0] != nil || string(vals[1]) != `2` {
		t.Errorf("keys folded without FoldKeys: %q", vals)
	}
	if vals, _ := x.FoldKeys().Extract(ev, nil); string(vals[0]) != `"x"` || string(vals[1]) != `1` {
		t.Errorf("FoldKeys: %q, want the last key that folds to the name", vals)
	}
	if mustParse(t, `{ $.a = "x" }`).Match(ev) {
		t.Error("a pattern folded keys after FoldKeys")
	}
	for _, bad := range [][]string{{"a"}, {"$.a", "$.a"}, {"$.a b"}, {"$."}} {
		if _, err := NewExtractor(bad...); err == nil {
			t.Errorf("NewExtractor(%q) accepted", bad)
		}
	}
}
