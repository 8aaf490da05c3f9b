package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// wholeCorpus returns every record of testdata/cloudtrail: 431, Panther's rule tests' logs included
// (corpus.Load).
func wholeCorpus(t testing.TB) []json.RawMessage {
	t.Helper()
	recs, err := corpus.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	var all []json.RawMessage
	for _, r := range recs {
		all = append(all, r.Msg)
	}
	if len(all) != 431 {
		t.Fatalf("%d corpus records, want 431", len(all))
	}
	return all
}

// corpusLogFiles writes the whole corpus, repeated copies times, into gzip CloudTrail log files
// of about 1,000 records, and returns their folder.
func corpusLogFiles(t testing.TB, copies int) string {
	t.Helper()
	dir := t.TempDir()
	recs := wholeCorpus(t)
	var all []json.RawMessage
	for range copies {
		all = append(all, recs...)
	}
	for i := 0; len(all) > 0; i++ {
		n := min(len(all), 1000)
		writeFile(t, filepath.Join(dir, fmt.Sprintf("f%03d.json.gz", i)), gz(t, logFile(t, all[:n])))
		all = all[n:]
	}
	return dir
}

// sameAsEachRule scans dir with every control twice, with the matcher (one filterpattern.Set) and
// readEvent, and with each rule's patterns evaluated in turn and encoding/json decoding the
// findings, and fails unless the results are the same.
func sameAsEachRule(t *testing.T, dir string) *Result {
	t.Helper()
	rs, err := Compile(catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	run := func(each bool) *Result {
		res := Run(
			context.Background(),
			[]Source{LocalSource{Path: dir}},
			Options{Window: wide, Rules: rs, Workers: 2, reference: each},
			nil,
		)
		if len(res.Problems) > 0 {
			t.Fatalf("problems: %+v", res.Problems)
		}
		res.Elapsed = 0
		return res
	}
	got, want := run(false), run(true)
	if !reflect.DeepEqual(got, want) {
		for i := range min(len(got.Findings), len(want.Findings)) {
			if got.Findings[i] != want.Findings[i] {
				t.Fatalf("finding %d: matcher %+v, each rule %+v", i, got.Findings[i], want.Findings[i])
			}
		}
		t.Fatalf(
			"results differ: matcher %d findings, each rule %d\nmatcher %+v\neach rule %+v",
			len(got.Findings),
			len(want.Findings),
			got.Controls,
			want.Controls,
		)
	}
	return got
}

// TestMatcherSameAsEachRule: on the whole corpus, a scan of every control finds exactly what
// evaluating each control's filters in turn finds.
func TestMatcherSameAsEachRule(t *testing.T) {
	res := sameAsEachRule(t, corpusLogFiles(t, 1))
	if res.Records != 431 || len(res.Findings) < 100 {
		t.Fatalf("%d records, %d findings: want 431 records and the corpus's findings", res.Records, len(res.Findings))
	}
}

// TestMatcherSameAsEachRuleGenerated: the same on the logs bench/gen writes, when
// ROOTWATCH_SCAN_DATA names them (go run ./bench/gen -out DIR -size 300MB; DIR/AWSLogs).
func TestMatcherSameAsEachRuleGenerated(t *testing.T) {
	dir := os.Getenv("ROOTWATCH_SCAN_DATA")
	if dir == "" {
		t.Skip("ROOTWATCH_SCAN_DATA not set")
	}
	res := sameAsEachRule(t, dir)
	t.Logf("%d records, %d findings", res.Records, len(res.Findings))
}

// TestRequestSummaryLikeCompact: the summary of every corpus record's requestParameters (and of
// indented, long and multi-byte ones) is json.Compact's output cut to RequestSummaryLen.
func TestRequestSummaryLikeCompact(t *testing.T) {
	long := `{"a": "` + strings.Repeat("é", 200) + `", "b" : [1, 2,	3]}`
	raws := []json.RawMessage{nil, json.RawMessage("null"), json.RawMessage(" null "), json.RawMessage(long),
		json.RawMessage(`{ "k" : "a \" b\\\\" , "n" : [ ] }`)}
	for _, rec := range wholeCorpus(t) {
		var e struct{ RequestParameters json.RawMessage }
		if err := json.Unmarshal(rec, &e); err != nil {
			t.Fatal(err)
		}
		var indented bytes.Buffer
		_ = json.Indent(&indented, e.RequestParameters, "", "  ")
		raws = append(raws, e.RequestParameters, indented.Bytes())
	}
	for _, raw := range raws {
		var b bytes.Buffer
		want := ""
		if json.Compact(&b, raw) == nil && b.String() != "null" {
			want = truncate(b.String(), RequestSummaryLen)
		}
		if got := requestSummary(raw); got != want {
			t.Fatalf("requestSummary(%s) = %q, want %q", raw, got, want)
		}
	}
}

// TestReadEventLikeUnmarshal: readEvent decodes every corpus record, and records with escapes,
// invalid UTF-8, nulls, repeated keys and fields of the wrong type, as json.Unmarshal does.
func TestReadEventLikeUnmarshal(t *testing.T) {
	recs := wholeCorpus(t)
	for _, s := range []string{
		`{"eventName":"Caf\u00e9 \"q\" \/ \ud83d\ude00","userAgent":"a\tb","eventSource":null,"errorCode":"x","errorCode":"y"}`,
		"{\"userAgent\":\"bad \xff " +
			"utf-8\",\"userIdentity\":{\"type\":\"Root\",\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":\"true\"}}}}",
		`{"userIdentity":{"type":"Root"},"userIdentity":{"arn":"a","sessionContext":{"attributes":{"mfaAuthenticated":true}}}}`,
		`{"requestParameters":{"a": [1, 2]},"responseElements":null,"additionalEventData":{"MFAUsed":"No"}}`,
		`{"eventName":5}`,
		`{"eventTime":["x"]}`,
		`{"userIdentity":{"userName":{}}}`,
		`{"eventName":"x"`,
		`{}`,
	} {
		recs = append(recs, json.RawMessage(s))
	}
	// The one documented difference: a repeated key whose last value is null.
	var e cloudTrailEvent
	if err := readEvent([]byte(`{"eventName":"x","eventName":null}`), &e); err != nil || e.EventName != "" {
		t.Errorf("repeated key, null last: %q, %v", e.EventName, err)
	}
	for _, rec := range recs {
		var got, want cloudTrailEvent
		gotErr, wantErr := readEvent(rec, &got), json.Unmarshal(rec, &want)
		if (gotErr != nil) != (wantErr != nil) || !reflect.DeepEqual(got, want) && wantErr == nil {
			t.Errorf("%s:\nreadEvent %+v, %v\njson      %+v, %v", rec, got, gotErr, want, wantErr)
		}
	}
}

// FuzzReadEvent: on any record json.Unmarshal accepts, readEvent reads the same (records with a
// null are left out: a key repeated with null last is the one documented difference).
func FuzzReadEvent(f *testing.F) {
	for _, r := range wholeCorpus(f)[:60] {
		f.Add([]byte(r))
	}
	f.Add([]byte(`{"eventName":"Caf\u00e9","userIdentity":{"type":"Root","accesskeyid":"AKIA"}}`))
	f.Fuzz(func(t *testing.T, rec []byte) {
		var got, want cloudTrailEvent
		gotErr, wantErr := readEvent(rec, &got), json.Unmarshal(rec, &want)
		if wantErr != nil || bytes.Contains(rec, []byte("null")) {
			return
		}
		if gotErr != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nreadEvent %+v, %v\njson      %+v", rec, got, gotErr, want)
		}
	})
}
