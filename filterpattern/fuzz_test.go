package filterpattern

import (
	"testing"
)

var fuzzPatterns = []string{
	"",
	cisRoot, cisNoMFA, cisUnauth, cisKMS, cisAuthFailed,
	`{ $.a[0][1].b-c_d >= -1.5e+3 || $.x IS NULL && ($.y is false) }`,
	`{ $.r = %^a[bc]{1,2}$% && $.s != "*x*" }`,
	`?ERROR ?WARN -DEBUG "a phrase" %re|gex%`,
	`[ip, user, ..., status_code = 4* && bytes > 1000, ]`,
	`[a, ..., b = x, ..., c = y || c = %z%]`,
	`[(a=1||a=2) && b=3, b]`,
}

var fuzzEvents = []string{
	`{"userIdentity":{"type":"Root"},"eventType":"AwsApiCall","eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"}}`,
	`{"a":[[0,{"b-c_d":-2000}]],"x":null,"y":false,"r":"abc","s":"q\u00e9\"\\"}`,
	`127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534`,
	`ERROR WARN message`,
	`1 2 x 3 4 y`,
}

// FuzzParse: Parse never panics or hangs; an accepted pattern's canonical
// form parses to the same canonical form and matches the same events.
func FuzzParse(f *testing.F) {
	for _, p := range fuzzPatterns {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		c := p.String()
		q, err := Parse(c)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", c, s, err)
		}
		if c2 := q.String(); c2 != c {
			t.Fatalf("canonical form not stable: %q -> %q", c, c2)
		}
		if q.Kind() != p.Kind() {
			t.Fatalf("kind changed")
		}
		for _, e := range fuzzEvents {
			if p.Match([]byte(e)) != q.Match([]byte(e)) {
				t.Fatalf("%q and its canonical form %q disagree on %q", s, c, e)
			}
		}
	})
}

// FuzzMatch: Match never panics or hangs on any event, and a pattern and its
// canonical form agree.
func FuzzMatch(f *testing.F) {
	for _, p := range fuzzPatterns {
		for _, e := range fuzzEvents {
			f.Add(p, e)
		}
	}
	f.Fuzz(func(t *testing.T, pattern, event string) {
		p, err := Parse(pattern)
		if err != nil {
			return
		}
		got := p.Match([]byte(event))
		q, err := Parse(p.String())
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", p.String(), err)
		}
		if q.Match([]byte(event)) != got {
			t.Fatalf("%q and its canonical form %q disagree on %q", pattern, p.String(), event)
		}
	})
}
