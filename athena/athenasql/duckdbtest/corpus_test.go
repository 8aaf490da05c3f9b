package duckdbtest

import (
	"testing"

	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// corpusTable loads every corpus record into the table; a record that breaks the translation's
// assumption (see row) fails the test.
func corpusTable(t *testing.T) (*table, []record) {
	t.Helper()
	recs := loadCorpus(t)
	rows := make([]map[string]any, len(recs))
	for i, r := range recs {
		var err error
		if rows[i], err = row(r.msg); err != nil {
			t.Fatalf("%s: %v", r.source, err)
		}
	}
	tb := newTable(t)
	tb.load(t, rows)
	return tb, recs
}

// agree checks that the DuckDB translation of pattern and filterpattern.Match agree on every
// record of the table, and returns how many records match.
func agree(t *testing.T, tb *table, recs []record, pattern string) int {
	t.Helper()
	p, err := filterpattern.Parse(pattern)
	if err != nil {
		t.Fatal(err)
	}
	expr, err := athenasql.Translate(p, athenasql.DuckDB)
	if err != nil {
		t.Fatalf("%s: %v", pattern, err)
	}
	got := tb.eval(t, expr)
	if len(got) != len(recs) {
		t.Fatalf("%d rows, %d records", len(got), len(recs))
	}
	n := 0
	for i, r := range recs {
		want := p.Match(r.msg)
		if got[i] != want {
			t.Errorf("%s: SQL says %v, filterpattern says %v\npattern %s\nSQL %s\nrecord %s", r.source, got[i], want,
				pattern, expr, r.msg)
		}
		if want {
			n++
		}
	}
	return n
}

// TestCatalogAgreesOnCorpus is the proof the issue asks for: for every catalogue control, every
// pattern it deploys, and every record of the corpus, the translated SQL (on a table shaped like
// AWS's) and filterpattern give the same answer.
func TestCatalogAgreesOnCorpus(t *testing.T) {
	tb, recs := corpusTable(t)
	controls, patterns, matches := 0, 0, 0
	for _, c := range catalog.All() {
		controls++
		for _, p := range c.Patterns() {
			patterns++
			matches += agree(t, tb, recs, p)
		}
	}
	// The corpus exercises the catalogue: a proof where nothing matches would prove little.
	if matches < 50 {
		t.Errorf("only %d (pattern, record) matches", matches)
	}
	t.Logf("%d controls, %d patterns x %d records = %d comparisons, %d matches", controls, patterns, len(recs),
		patterns*len(recs), matches)
}

// TestFeaturesAgreeOnCorpus covers what the catalogue does not use: JSON types inside the
// JSON-text columns, numbers, IS TRUE/FALSE/NULL, NOT EXISTS on structs, wildcards with LIKE's
// special characters, regexes.
func TestFeaturesAgreeOnCorpus(t *testing.T) {
	tb, recs := corpusTable(t)
	for _, p := range []string{
		`{ $.readOnly IS TRUE }`,
		`{ $.readOnly IS FALSE || $.readOnly NOT EXISTS }`,
		`{ $.readOnly = "tr*" }`,
		`{ $.readOnly != 1 }`,
		`{ $.eventVersion >= 1.05 }`,
		`{ $.eventVersion != 1.08 }`,
		`{ $.eventVersion < 1.1 && $.eventVersion > 1 }`,
		`{ $.eventName = 5 }`,
		`{ $.eventName != 5 }`,
		`{ $.userIdentity.sessionContext NOT EXISTS }`,
		`{ $.userIdentity.sessionContext.sessionIssuer.type = "Role" }`,
		`{ $.userIdentity.sessionContext.attributes.mfaAuthenticated = "true" }`,
		`{ $.userIdentity IS NULL || $.userIdentity = "x" || $.userIdentity != "x" }`,
		`{ $.tlsDetails.tlsVersion = "TLSv1.*" }`,
		`{ $.userAgent = "*_*" || $.userAgent = "*%*" }`,
		`{ $.sourceIPAddress = "*.amazonaws.com" }`,
		`{ $.errorCode = * }`,
		`{ $.errorCode != * }`,
		`{ $.errorMessage = "**" }`,
		`{ $.eventName = %^Create% }`,
		`{ $.eventName != %Policy$% && $.eventSource = %iam% }`,
		`{ $.requestParameters.userName NOT EXISTS }`,
		`{ $.requestParameters.userName = "*" }`,
		`{ $.requestParameters.instancesSet.items[0].instanceId = "i-*" }`,
		`{ $.requestParameters.maxResults > 5 }`,
		`{ $.requestParameters.maxResults = "*0" }`,
		`{ $.requestParameters.maxResults != 1000 }`,
		`{ $.requestParameters.includeAllInstances IS TRUE }`,
		`{ $.requestParameters.includeAllInstances IS FALSE }`,
		`{ $.requestParameters.bucketName IS NULL }`,
		`{ $.responseElements.ConsoleLogin != "Success" }`,
		`{ $.responseElements.credentials.accessKeyId = "ASIA*" }`,
		`{ $.responseElements.credentials NOT EXISTS }`,
		`{ $.responseElements.credentials = "x" || $.responseElements.credentials != "x" }`,
		`{ $.additionalEventData.MFAUsed = "No" || $.additionalEventData.MobileVersion = %^N%}`,
		`{ $.additionalEventData.LoginTo = "https://*" }`,
		`{ $.serviceEventDetails.keyId = * }`,
		`{ $.requestParameters.a-b NOT EXISTS && $.requestParameters.x[3] NOT EXISTS }`,
	} {
		agree(t, tb, recs, p)
	}
}
