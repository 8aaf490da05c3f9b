package filterpattern

import (
	"testing"

	"github.com/rootwatch/rootwatch/catalog"
)

func benchPattern(b *testing.B, pattern string) {
	recs, _ := corpusRecords(b)
	p, err := Parse(pattern)
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, r := range recs {
		total += len(r.Msg)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for b.Loop() {
		for _, r := range recs {
			if p.Match(r.Msg) {
				matched++
			}
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(recs))/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(len(recs)), "events/op")
	_ = matched
}

// BenchmarkMatchCISRoot: the CIS root-usage filter over every corpus record.
func BenchmarkMatchCISRoot(b *testing.B) { benchPattern(b, cisRoot) }

// BenchmarkMatchCISNoMFA: the CIS console-login-without-MFA filter.
func BenchmarkMatchCISNoMFA(b *testing.B) { benchPattern(b, cisNoMFA) }

// BenchmarkMatchCISUnauthorized: wildcard prefix/suffix matching.
func BenchmarkMatchCISUnauthorized(b *testing.B) { benchPattern(b, cisUnauth) }

// BenchmarkMatchCISCloudTrail: a five-way OR on one selector.
func BenchmarkMatchCISCloudTrail(b *testing.B) { benchPattern(b, cisCloudTrail) }

// BenchmarkMatchRegex: a JSON pattern with a regex value.
func BenchmarkMatchRegex(b *testing.B) {
	benchPattern(b, `{ $.eventName = %^Create|^Delete% || $.userIdentity.arn = %:root$% }`)
}

// BenchmarkMatchTerms: a term pattern (substring search).
func BenchmarkMatchTerms(b *testing.B) { benchPattern(b, `"\"type\":\"Root\"" -AwsServiceEvent`) }

// BenchmarkParse: parsing the CIS root filter.
func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(cisRoot); err != nil {
			b.Fatal(err)
		}
	}
}

func cataloguePatterns(b *testing.B) []*Pattern {
	var ps []*Pattern
	for _, c := range catalog.All() {
		for _, s := range c.Patterns() {
			ps = append(ps, mustParse(b, s))
		}
	}
	return ps
}

// benchCatalogue runs match over every record under testdata/cloudtrail per op, reporting events/s.
func benchCatalogue(b *testing.B, match func([]byte)) {
	recs := wholeCorpus(b)
	total := 0
	for _, r := range recs {
		total += len(r)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range recs {
			match(r)
		}
	}
	b.ReportMetric(float64(b.N)*float64(len(recs))/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkCatalogueEach: every catalogue pattern's own Match on every corpus record.
func BenchmarkCatalogueEach(b *testing.B) {
	ps := cataloguePatterns(b)
	benchCatalogue(b, func(msg []byte) {
		for _, p := range ps {
			p.Match(msg)
		}
	})
}

// BenchmarkCatalogueSet: the same with one Set (one scan, the literal index).
func BenchmarkCatalogueSet(b *testing.B) {
	s := NewSet(cataloguePatterns(b)...)
	var hits []int
	benchCatalogue(b, func(msg []byte) { hits = s.Match(msg, hits[:0]) })
}
