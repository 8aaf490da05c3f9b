package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/scan"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// corpusEvent reads one record of the project's CloudTrail corpus in place (see its
// PROVENANCE.md): rel is a path under testdata/cloudtrail at the repository root.
func corpusEvent(t testing.TB, rel string) map[string]any {
	t.Helper()
	b, err := corpus.ReadFile(rel)
	if err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// rootSessionTrail writes an organization trail's two log files for one root session: the
// management account's sts:AssumeRoot (real, AWS IAM guide) and the member account's root call
// made with the session's key (derived, marked so in the corpus), in the organization key layout.
// first ("management" or "member") is the file a single worker reads first.
func rootSessionTrail(t testing.TB, first string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]struct{ account, event string }{
		"management": {"111111111111", "awsdocs/iam__assumeroot-privileged-session-opened.json"},
		"member":     {"222222222222", "curated/root_session_member_DeleteBucketPolicy__derived.json"},
	}
	for name, f := range files {
		// The walk goes in lexical order: AWSLogs/<account>/ (an account trail's folder) comes
		// before AWSLogs/o-.../ (the organization trail's), so the file read first is put there.
		top := filepath.Join("AWSLogs", "o-aa111bb222")
		if name == first {
			top = "AWSLogs"
		}
		rel := filepath.Join(top, f.account, "CloudTrail", "us-west-2", "2024", "10", "25",
			f.account+"_CloudTrail_us-west-2_20241025T2055Z_"+name+".json.gz")
		write(t, filepath.Join(dir, rel), logGz(t, []map[string]any{corpusEvent(t, f.event)}))
	}
	return dir
}

var sessionWindow = []string{"--since", "2024-10-25", "--until", "2024-10-26"}

// TestDefaultControls: without --controls a scan reviews root usage and sts:AssumeRoot root
// sessions, and nothing else.
func TestDefaultControls(t *testing.T) {
	code, out, stderr := runCLI(
		t,
		append([]string{"scan", rootSessionTrail(t, "management"), "--format", "json"}, sessionWindow...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var summaries, events []string
	for _, m := range jsonLines(t, out) {
		switch m["type"] {
		case "summary":
			summaries = append(summaries, m["control"].(string))
		case "event":
			events = append(events, m["control"].(string)+" "+m["event_name"].(string))
		}
	}
	slices.Sort(events)
	if want := []string{"root-usage", "root-session-opened"}; !slices.Equal(summaries, want) {
		t.Errorf("controls reviewed %v, want %v", summaries, want)
	}
	if want := []string{"root-session-opened AssumeRoot", "root-usage DeleteBucketPolicy"}; !slices.Equal(
		events,
		want,
	) {
		t.Errorf("events %v, want %v", events, want)
	}
}

// TestRootSessionLinkedInEveryFormat: over an organization trail the member account's root call
// is linked to the AssumeRoot that opened its session, whichever file is read first and whether or
// not root-session-opened is selected, and every format shows it.
func TestRootSessionLinkedInEveryFormat(t *testing.T) {
	const opener = "arn:aws:sts::111111111111:assumed-role/John/JohnRole1"
	for _, first := range []string{"management", "member"} {
		for _, controls := range []string{"", "root-usage"} {
			name := first + " read first, controls " + controls
			if controls == "" {
				name = first + " read first, default controls"
			}
			t.Run(name, func(t *testing.T) {
				args := append([]string{"scan", rootSessionTrail(t, first), "--workers", "1"}, sessionWindow...)
				if controls != "" {
					args = append(args, "--controls", controls)
				}
				// json
				code, out, stderr := runCLI(t, append(args, "--format", "json")...)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				var member map[string]any
				for _, m := range jsonLines(t, out) {
					if m["type"] == "event" && m["event_name"] == "DeleteBucketPolicy" {
						member = m
					}
				}
				for k, v := range map[string]string{"access_key_id": "ASIAIOSFODNN7EXAMPLE", "credential": "session",
					"session_opened_by": opener, "session_opened_by_account": "111111111111",
					"session_opened_at": "2024-10-25T20:52:11Z",
					"task_policy_arn":   "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy"} {
					if member[k] != v {
						t.Errorf("json: %s = %v, want %q", k, member[k], v)
					}
				}
				// csv
				code, out, stderr = runCLI(t, append(args, "--format", "csv")...)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
				if err != nil {
					t.Fatal(err)
				}
				col := func(n string) int { return slices.Index(scan.CSVHeader, n) }
				linked := false
				for _, r := range rows[1:] {
					if r[col("event_name")] == "DeleteBucketPolicy" && r[col("session_opened_by")] == opener &&
						r[col("credential")] == "session" {
						linked = true
					}
				}
				if !linked {
					t.Errorf("csv: member row not linked:\n%s", out)
				}
				if !strings.Contains(stderr, "1 root events were made in sessions opened with sts:AssumeRoot") {
					t.Errorf("csv: summary on stderr does not count the linked session:\n%s", stderr)
				}
				// table
				code, out, stderr = runCLI(t, args...)
				if code != exitOK {
					t.Fatalf("exit %d: %s", code, stderr)
				}
				if !strings.Contains(out, "opened by "+opener+" (account 111111111111) at 2024-10-25T20:52:11Z") {
					t.Errorf("table: member row not linked:\n%s", out)
				}
			})
		}
	}
}

// TestUnlinkedRootSessionExplained: member logs alone cannot say who opened the session; the
// summary says what the session may be.
func TestUnlinkedRootSessionExplained(t *testing.T) {
	dir := rootSessionTrail(t, "member")
	if err := os.RemoveAll(filepath.Join(dir, "AWSLogs", "o-aa111bb222", "111111111111")); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI(t, append([]string{"scan", dir}, sessionWindow...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "either a root console sign-in session or a session opened outside the scanned logs") ||
		strings.Contains(out, "opened by arn:") {
		t.Errorf("table:\n%s", out)
	}
	if bytes.Count([]byte(out), []byte("DeleteBucketPolicy")) != 1 {
		t.Errorf("want the one member call:\n%s", out)
	}
}
