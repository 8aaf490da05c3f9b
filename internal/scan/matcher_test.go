package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rootwatch/rootwatch/alarms/catalog"
)

// corpusLogFiles writes every record of testdata/cloudtrail (431, Panther's rule tests' logs
// included) into gzip CloudTrail log files, one per corpus file, and returns their folder.
func corpusLogFiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, f := range files {
		if filepath.Base(f) == "INDEX.json" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var recs []json.RawMessage
		var panther struct {
			Tests []struct{ Log json.RawMessage }
		}
		switch data = bytes.TrimSpace(data); {
		case filepath.Base(filepath.Dir(f)) == "panther":
			if err := json.Unmarshal(data, &panther); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, tc := range panther.Tests {
				recs = append(recs, tc.Log)
			}
		case data[0] == '[':
			if err := json.Unmarshal(data, &recs); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
		default:
			var wrapper struct{ Records []json.RawMessage }
			if json.Unmarshal(data, &wrapper) == nil && wrapper.Records != nil {
				recs = wrapper.Records
			} else {
				recs = []json.RawMessage{data}
			}
		}
		n += len(recs)
		writeFile(t, filepath.Join(dir, fmt.Sprintf("f%03d.json.gz", i)), gz(t, logFile(t, recs)))
	}
	if n != 431 {
		t.Fatalf("%d corpus records, want 431", n)
	}
	return dir
}

// sameAsEachRule scans dir with every control twice, with the matcher (one filterpattern.Set) and
// with each rule's patterns evaluated in turn, and fails unless the results are the same.
func sameAsEachRule(t *testing.T, dir string) *Result {
	t.Helper()
	rs, err := Compile(catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	run := func(each bool) *Result {
		res := Run(context.Background(), []Source{LocalSource{Path: dir}}, Options{Window: wide, Rules: rs, Workers: 2, eachRule: each}, nil)
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
		t.Fatalf("results differ: matcher %d findings, each rule %d\nmatcher %+v\neach rule %+v", len(got.Findings), len(want.Findings), got.Controls, want.Controls)
	}
	return got
}

// TestMatcherSameAsEachRule: on the whole corpus, a scan of every control finds exactly what
// evaluating each control's filters in turn finds.
func TestMatcherSameAsEachRule(t *testing.T) {
	res := sameAsEachRule(t, corpusLogFiles(t))
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
