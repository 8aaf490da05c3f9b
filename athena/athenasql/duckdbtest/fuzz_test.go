package duckdbtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// pool is what the fuzzer builds events and patterns from: the corpus records, parsed, and every
// (path, value) found in them.
type pool struct {
	events []map[string]any
	paths  [][]string // leaf paths (member names; array elements as "[i]")
	values []any      // every leaf value seen (strings, bools, numbers, nulls)
	strs   []string   // every string value seen
}

var (
	poolOnce sync.Once
	thePool  pool
)

func corpusPool(t testing.TB) *pool {
	poolOnce.Do(func() {
		seen := map[string]bool{}
		for _, r := range loadCorpus(t) {
			var m map[string]any
			dec := json.NewDecoder(bytes.NewReader(r.msg))
			dec.UseNumber()
			if err := dec.Decode(&m); err != nil {
				continue
			}
			thePool.events = append(thePool.events, m)
			var walk func(v any, path []string)
			walk = func(v any, path []string) {
				switch x := v.(type) {
				case map[string]any:
					for k, c := range x {
						walk(c, append(slices.Clone(path), k))
					}
					return
				case []any:
					for i, c := range x {
						walk(c, append(slices.Clone(path), "["+strconv.Itoa(i)+"]"))
					}
					return
				case string:
					if len(thePool.strs) < 20000 {
						thePool.strs = append(thePool.strs, x)
					}
				}
				key := strings.Join(path, "\x00")
				if !seen[key] {
					seen[key] = true
					thePool.paths = append(thePool.paths, path)
				}
				if len(thePool.values) < 20000 {
					thePool.values = append(thePool.values, v)
				}
			}
			walk(m, nil)
		}
		slices.SortFunc(thePool.paths,
			func(a, b []string) int { return strings.Compare(strings.Join(a, "."), strings.Join(b, ".")) })
	})
	return &thePool
}

// columnHolds says how the table keeps the member at path (a path of CloudTrail member names):
// "json" below a JSON-text column, the column's Holds otherwise, "" where the table has no column.
func columnHolds(path []string) string {
	cols := athenasql.Columns()
	for i, name := range path {
		var c *athenasql.Column
		for j := range cols {
			if cols[j].Member == name {
				c = &cols[j]
			}
		}
		if c == nil {
			return ""
		}
		if c.Holds == "json" && i < len(path)-1 {
			return "json"
		}
		if i == len(path)-1 {
			return c.Holds
		}
		cols = c.Fields
	}
	return ""
}

// gen builds one event and one pattern from a random source.
type gen struct {
	r *rand.Rand
	p *pool
}

func (g *gen) pick(n int) int { return g.r.IntN(n) }

// scalar is a random JSON value for a member inside a JSON-text column.
func (g *gen) jsonValue() any {
	switch g.pick(9) {
	case 0:
		return nil
	case 1:
		return g.pick(2) == 0
	case 2:
		// integers only: the text of a JSON number is the engine's rendering of it, which equals
		// the record's text for integers (see docs/athena.md)
		return json.Number(strconv.Itoa(g.r.IntN(2000) - 1000))
	case 3:
		return map[string]any{"k": g.str()}
	case 4:
		return []any{g.str(), json.Number("7")}
	case 5:
		return strconv.Itoa(g.r.IntN(100)) // a string that is a number
	default:
		return g.str()
	}
}

func (g *gen) str() string {
	s := g.p.strs[g.pick(len(g.p.strs))]
	switch g.pick(6) {
	case 0:
		if len(s) > 2 {
			return s[:g.pick(len(s))]
		}
	case 1:
		return s + []string{"%", "_", "\\", "'", "\"", "*", "\n"}[g.pick(7)]
	}
	return s
}

// set puts v at path in m, creating objects on the way (an array step is treated as a member
// named like the step would be refused by the table, so it sets nothing).
func set(m map[string]any, path []string, v any, del bool) {
	for i, name := range path {
		if strings.HasPrefix(name, "[") {
			return
		}
		if i == len(path)-1 {
			if del {
				delete(m, name)
			} else {
				m[name] = v
			}
			return
		}
		next, ok := m[name].(map[string]any)
		if !ok {
			if del {
				return
			}
			next = map[string]any{}
			m[name] = next
		}
		m = next
	}
}

func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, c := range x {
			out[k] = clone(c)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, c := range x {
			out[i] = clone(c)
		}
		return out
	}
	return v
}

// event is a corpus record with a few members changed, deleted or added, each within what
// CloudTrail writes for that member (a string where the table keeps a string, a boolean for
// readOnly, any JSON value inside the JSON-text columns).
func (g *gen) event() map[string]any {
	ev := clone(g.p.events[g.pick(len(g.p.events))]).(map[string]any)
	for range g.pick(5) {
		path := g.p.paths[g.pick(len(g.p.paths))]
		switch columnHolds(path) {
		case "string":
			set(ev, path, g.str(), g.pick(3) == 0)
		case "boolean":
			set(ev, path, g.pick(2) == 0, g.pick(3) == 0)
		case "json":
			set(ev, path, g.jsonValue(), g.pick(4) == 0)
		}
	}
	return ev
}

// selector is a random selector: mostly a path the corpus has, sometimes a missing one.
func (g *gen) selector() string {
	path := g.p.paths[g.pick(len(g.p.paths))]
	// mostly a member the table keeps (other selectors are refused, which skips the whole case)
	for range 8 {
		if h := columnHolds(path); h == "string" || h == "boolean" || h == "json" {
			break
		}
		path = g.p.paths[g.pick(len(g.p.paths))]
	}
	switch g.pick(12) {
	case 0:
		path = path[:max(1, len(path)-1)] // often an object: a struct, or an object in JSON text
	case 1:
		path = append(slices.Clone(path[:max(1, len(path)-1)]), "missingMember")
	}
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range path {
		if !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func quotePattern(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func (g *gen) cond() string {
	sel := g.selector()
	switch g.pick(12) {
	case 0:
		return sel + " NOT EXISTS"
	case 1:
		return sel + " IS NULL"
	case 2:
		return sel + " IS TRUE"
	case 3:
		return sel + " IS FALSE"
	case 4, 5:
		op := []string{"=", "!=", "<", "<=", ">", ">="}[g.pick(6)]
		return sel + " " + op + " " + strconv.Itoa(g.r.IntN(200)-100)
	case 6:
		// a regex from a value's prefix, of letters and digits only
		s := g.str()
		var b strings.Builder
		for i := 0; i < len(s) && b.Len() < 6; i++ {
			if c := s[i]; c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
				b.WriteByte(c)
			}
		}
		if b.Len() == 0 {
			b.WriteString("a")
		}
		return sel + " " + []string{"=", "!="}[g.pick(2)] + " %^" + b.String() + ".*%"
	}
	v := g.str()
	if g.pick(3) == 0 && len(v) > 1 {
		v = v[g.pick(len(v)):]
	}
	switch g.pick(4) {
	case 0:
		v = "*" + v
	case 1:
		v += "*"
	case 2:
		v = "*" + v + "*"
	}
	return sel + " " + []string{"=", "!="}[g.pick(2)] + " " + quotePattern(v)
}

func (g *gen) expr(depth int) string {
	if depth == 0 || g.pick(3) == 0 {
		return g.cond()
	}
	n := 2 + g.pick(2)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = g.expr(depth - 1)
	}
	return "(" + strings.Join(parts, []string{" && ", " || "}[g.pick(2)]) + ")"
}

// evaluated counts the cases the fuzz target compared (not refused by the translator).
var evaluated atomic.Int64

// FuzzTranslator builds an event and a pattern from the fuzzer's two seeds and checks that the
// translated SQL, evaluated by DuckDB on the event's row, gives filterpattern's answer. Patterns
// the translator refuses (an UnsupportedError) are skipped; any other error fails.
func FuzzTranslator(f *testing.F) {
	const seeds = 40
	for i := range uint64(seeds) {
		f.Add(i, i*7919+1)
	}
	p := corpusPool(f)
	tb := newTable(f)
	f.Cleanup(func() {
		// The seeds must exercise the comparison, not only the translator's refusals. (Under
		// -fuzz the cases run in worker processes, which count for themselves.)
		if fz := flag.Lookup("test.fuzz"); fz != nil && fz.Value.String() != "" {
			return
		}
		f.Logf("%d of %d seed cases compared", evaluated.Load(), seeds)
		if n := evaluated.Load(); n < seeds/2 {
			f.Errorf("only %d of the fuzz cases were translatable", n)
		}
	})
	f.Fuzz(func(t *testing.T, s1, s2 uint64) {
		g := &gen{r: rand.New(rand.NewPCG(s1, s2)), p: p}
		ev := g.event()
		pattern := "{ " + g.expr(3) + " }"
		fp, err := filterpattern.Parse(pattern)
		if err != nil {
			return // the generator wrote something the pattern language refuses
		}
		expr, err := athenasql.Translate(fp, athenasql.DuckDB)
		var ue *athenasql.UnsupportedError
		if errors.As(err, &ue) {
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", pattern, err)
		}
		msg, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		r, err := row(msg)
		if err != nil {
			t.Fatalf("the generator broke CloudTrail's format: %v", err)
		}
		rj, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var got *bool
		q := fmt.Sprintf("SELECT %s FROM (SELECT s.* FROM (SELECT json_transform(CAST(? AS JSON), %s) AS s))", expr,
			tb.structure)
		if err := tb.db.QueryRow(q, string(rj)).Scan(&got); err != nil {
			t.Fatalf("%v\n%s", err, expr)
		}
		if got == nil {
			t.Fatalf("NULL for %s\nSQL %s", pattern, expr)
		}
		evaluated.Add(1)
		if want := fp.Match(msg); *got != want {
			t.Fatalf("SQL says %v, filterpattern says %v\npattern %s\nSQL %s\nevent %s", *got, want, pattern, expr, msg)
		}
	})
}
