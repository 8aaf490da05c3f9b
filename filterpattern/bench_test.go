package filterpattern

import (
	"testing"
)

func benchPattern(b *testing.B, pattern string) {
	recs, _ := corpusRecords(b)
	p, err := Parse(pattern)
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for _, r := range recs {
		total += len(r.msg)
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	b.ResetTimer()
	matched := 0
	for b.Loop() {
		for _, r := range recs {
			if p.Match(r.msg) {
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
