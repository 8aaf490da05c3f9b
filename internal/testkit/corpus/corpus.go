// Package corpus reads the project's one CloudTrail corpus, testdata/cloudtrail. Its PROVENANCE.md
// says where each record comes from; the tests that prove patterns on every record of it read it
// here.
package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

// Record is one CloudTrail record of the corpus.
type Record struct {
	File  string // path under the corpus folder, slash-separated
	Index int    // the record's place in its file (a Panther rule file: the test's)
	Msg   []byte // the record compacted to one line, as CloudTrail delivers it to CloudWatch Logs
	// Panther is set for the records of panther/<rule>.json: the rule test they are the log of.
	Panther *PantherTest
}

// PantherTest is a Panther rule test whose log is the record.
type PantherTest struct {
	Rule     string // the rule file's name without .json
	Name     string
	Expected bool // the test's expected_result
}

// Key names the record uniquely: File#Index.
func (r Record) Key() string { return fmt.Sprintf("%s#%d", r.File, r.Index) }

// Dir is the corpus folder, testdata/cloudtrail at the repository's root.
func Dir() string { return repo.Path("testdata", "cloudtrail") }

// ReadFile reads one file of the corpus; rel is slash-separated under Dir.
func ReadFile(rel string) ([]byte, error) {
	return os.ReadFile(filepath.Join(Dir(), filepath.FromSlash(rel)))
}

// Load reads every record under dir, in file order: single events, {"Records": [...]} files and
// JSON arrays of records; panther/<rule>.json files contribute the log of each of their tests.
// INDEX.json and the files at the top of dir (expectations, provenance) are not events. It fails
// when a file cannot be read or parsed, or when dir holds no record at all.
func Load(dir string) ([]Record, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Ext(p) != ".json" || d.Name() == "INDEX.json" ||
			filepath.Dir(p) == filepath.Clean(dir) {
			return nil
		}
		files = append(files, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	rels := make([]string, len(files))
	for i, f := range files {
		rel, err := filepath.Rel(dir, f)
		if err != nil {
			return nil, err
		}
		rels[i] = filepath.ToSlash(rel)
	}
	out, err := readRecords(dir, rels)
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CloudTrail records under %s", dir)
	}
	return out, nil
}

// Folder reads the records of the files under one subfolder of Dir ("curated", "stratus"), in
// file order, as Load reads them. It fails when the folder holds no record.
func Folder(sub string) ([]Record, error) {
	all, err := Load(Dir())
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, r := range all {
		if strings.HasPrefix(r.File, sub+"/") {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CloudTrail records under %s", path.Join(Dir(), sub))
	}
	return out, nil
}

// Files reads the records of the named files (slash-separated under Dir), in the order given, as
// Load reads them.
func Files(rels ...string) ([]Record, error) { return readRecords(Dir(), rels) }

// readRecords reads the records of the files rels (slash-separated under dir), in that order.
func readRecords(dir string, rels []string) ([]Record, error) {
	var out []Record
	for _, rel := range rels {
		f := filepath.Join(dir, filepath.FromSlash(rel))
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		recs, err := parse(rel, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, recs...)
	}
	return out, nil
}

func parse(rel string, data []byte) ([]Record, error) {
	compact := func(i int, raw json.RawMessage) ([]byte, error) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, raw); err != nil {
			return nil, fmt.Errorf("record %d: %w", i, err)
		}
		return buf.Bytes(), nil
	}
	var out []Record
	if strings.HasPrefix(rel, "panther/") {
		var rf struct {
			Tests []struct {
				Name           string          `json:"name"`
				ExpectedResult *bool           `json:"expected_result"`
				Log            json.RawMessage `json:"log"`
			} `json:"tests"`
		}
		if err := json.Unmarshal(data, &rf); err != nil {
			return nil, err
		}
		if len(rf.Tests) == 0 {
			return nil, fmt.Errorf("no tests")
		}
		rule := strings.TrimSuffix(path.Base(rel), ".json")
		for i, tc := range rf.Tests {
			if tc.ExpectedResult == nil || len(tc.Log) == 0 {
				return nil, fmt.Errorf("test %d %q: no expected_result or log", i, tc.Name)
			}
			msg, err := compact(i, tc.Log)
			if err != nil {
				return nil, err
			}
			out = append(
				out,
				Record{
					File:    rel,
					Index:   i,
					Msg:     msg,
					Panther: &PantherTest{Rule: rule, Name: tc.Name, Expected: *tc.ExpectedResult},
				},
			)
		}
		return out, nil
	}
	var raws []json.RawMessage
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(data, &raws); err != nil {
			return nil, err
		}
	} else {
		var wrapper struct{ Records []json.RawMessage }
		if err := json.Unmarshal(data, &wrapper); err == nil && wrapper.Records != nil {
			raws = wrapper.Records
		} else {
			raws = []json.RawMessage{data}
		}
	}
	for i, r := range raws {
		msg, err := compact(i, r)
		if err != nil {
			return nil, err
		}
		out = append(out, Record{File: rel, Index: i, Msg: msg})
	}
	return out, nil
}
