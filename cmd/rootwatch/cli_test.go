package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/scan"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// events reads the records of a file of the project's one CloudTrail corpus, testdata/cloudtrail
// at the repository root (see its PROVENANCE.md): rel is a path under it.
func events(t testing.TB, rel string) []map[string]any {
	t.Helper()
	recs, err := corpus.Files(rel)
	if err != nil {
		t.Fatal(err)
	}
	evs := make([]map[string]any, len(recs))
	for i, r := range recs {
		if err := json.Unmarshal(r.Msg, &evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	return evs
}

// at moves every event to t (keeping their order a second apart), so tests can use windows
// relative to now.
func at(evs []map[string]any, t time.Time) []map[string]any {
	for i, e := range evs {
		e["eventTime"] = t.Add(time.Duration(i) * time.Second).UTC().Format(time.RFC3339)
	}
	return evs
}

func countRoot(evs []map[string]any) int {
	n := 0
	for _, e := range evs {
		ui, _ := e["userIdentity"].(map[string]any)
		_, invoked := ui["invokedBy"]
		et, hasET := e["eventType"].(string)
		if ui["type"] == "Root" && !invoked && hasET && et != "AwsServiceEvent" {
			n++
		}
	}
	return n
}

func logGz(t testing.TB, evs []map[string]any) []byte {
	t.Helper()
	js, err := json.Marshal(map[string]any{"Records": evs})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(js)
	zw.Close()
	return buf.Bytes()
}

func write(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func runCLI(t testing.TB, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb, false)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for name, args := range map[string][]string{
		"no command":       nil,
		"unknown command":  {"frobnicate"},
		"no input":         {"scan"},
		"bad since":        {"scan", dir, "--since", "yesterday"},
		"bad until":        {"scan", dir, "--until", "soon"},
		"empty window":     {"scan", dir, "--since", "2025-01-02", "--until", "2025-01-01"},
		"unknown control":  {"scan", dir, "--controls", "root-usage,no-such-control"},
		"bad format":       {"scan", dir, "--format", "xml"},
		"unknown flag":     {"scan", dir, "--frobnicate"},
		"bad s3 url":       {"scan", "s3:///prefix"},
		"negative workers": {"scan", dir, "--workers", "-1"},
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runCLI(t, args...)
			if code != exitUsage || stderr == "" {
				t.Errorf("exit %d, stderr %q; want %d and a message", code, stderr, exitUsage)
			}
		})
	}
	if code, _, _ := runCLI(t, "scan", "-h"); code != exitOK {
		t.Errorf("scan -h: exit %d", code)
	}
}

func TestControlsCommand(t *testing.T) {
	code, out, _ := runCLI(t, "controls")
	if code != exitOK || !strings.Contains(out, "root-usage") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

// TestExitCodes runs the documented exit codes end to end on local files, with flags after the
// paths as people type them.
func TestExitCodes(t *testing.T) {
	now := time.Now().UTC()
	clean := t.TempDir()
	attacker := at(
		events(t, "panther_scenarios/compromised-root-creds__attacker_cloudtrail.json"),
		now.Add(-48*time.Hour),
	)
	write(t, filepath.Join(clean, "a.json.gz"), logGz(t, attacker))
	quiet := t.TempDir()
	write(
		t,
		filepath.Join(quiet, "q.json.gz"),
		logGz(t, at(events(t, "stratus/aws.persistence.iam-create-admin-user.json"), now.Add(-time.Hour))),
	)
	damaged := t.TempDir()
	write(t, filepath.Join(damaged, "a.json.gz"), logGz(t, attacker))
	write(t, filepath.Join(damaged, "bad.json.gz"), []byte("\x1f\x8b\x08garbage"))
	damagedQuiet := t.TempDir()
	write(t, filepath.Join(damagedQuiet, "bad.json"), []byte(`{"Records":[{"eventTime":`))

	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"matches, no --fail-on-match", []string{clean}, exitOK},
		{"no matches, --fail-on-match", []string{quiet, "--fail-on-match"}, exitOK},
		{"matches, --fail-on-match", []string{clean, "--fail-on-match"}, exitMatch},
		{"matches outside the window", []string{clean, "--since", "30d", "--until", "3d", "--fail-on-match"}, exitOK},
		{"skipped input", []string{damagedQuiet, "--fail-on-match"}, exitSkipped},
		{"skipped input, matches without --fail-on-match", []string{damaged}, exitSkipped},
		{"skipped input and matches", []string{damaged, "--fail-on-match"}, exitMatchSkip},
		{"missing path", []string{filepath.Join(clean, "nope")}, exitUsage},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(t, append([]string{"scan"}, tc.args...)...)
			if code != tc.want {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.want, out, stderr)
			}
		})
	}

	code, out, stderr := runCLI(t, "scan", damaged, "--format", "json", "--controls", "all")
	if code != exitSkipped || !strings.Contains(stderr, "bad.json.gz") {
		t.Errorf("exit %d; stderr does not name the bad file:\n%s", code, stderr)
	}
	events := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON lines: %q", l)
		}
		if m["type"] == "event" && m["control"] == "root-usage" {
			events++
		}
	}
	if want := countRoot(attacker); events != want {
		t.Errorf("%d root-usage events, want %d", events, want)
	}
}

// TestControlIDForms: --controls accepts every form the README's controls table and `rootwatch
// controls` show; an unknown id is one short line that sends to `rootwatch controls`.
func TestControlIDForms(t *testing.T) {
	dir := t.TempDir()
	write(
		t,
		filepath.Join(dir, "q.json.gz"),
		logGz(t, at(events(t, "stratus/aws.persistence.iam-create-admin-user.json"), time.Now().Add(-time.Hour))),
	)
	for _, id := range []string{"root-usage", "5.3", "CloudWatch.1", "cloudwatch.1", "cis-7.0:5.3", "cis-3.0:4.3", "cis-1.4:4.3", "cis-1.2:3.3", "root-session-opened", "all", "extras", "none"} {
		if code, _, stderr := runCLI(t, "scan", dir, "--controls", id); code != exitOK {
			t.Errorf("--controls %s: exit %d\n%s", id, code, stderr)
		}
	}
	code, out, stderr := runCLI(t, "scan", dir, "--controls", "root-usage,cis-1.4:5.3")
	want := "rootwatch scan: --controls: unknown control \"cis-1.4:5.3\"; run `rootwatch controls` for the list\n"
	if code != exitUsage || stderr != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %d and %q", code, out, stderr, exitUsage, want)
	}
	_, out, _ = runCLI(t, "controls")
	for _, s := range []string{"CIS v3.0 / v1.4", "4.3", "3.3", "CloudWatch.1", "cis-1.4:4.3"} {
		if !strings.Contains(out, s) {
			t.Errorf("controls lacks %q:\n%s", s, out)
		}
	}
}

// TestSinceForms: --since takes calendar years and months beside the other forms, and a bad value
// says exactly which forms it accepts.
func TestSinceForms(t *testing.T) {
	dir := t.TempDir()
	write(
		t,
		filepath.Join(dir, "q.json.gz"),
		logGz(t, at(events(t, "stratus/aws.persistence.iam-create-admin-user.json"), time.Now().Add(-time.Hour))),
	)
	for _, since := range []string{"1y", "3mo", "90d", "2w", "12h", "1h30m", "2025-01-31", "2025-01-31T12:00:00Z"} {
		if code, _, stderr := runCLI(t, "scan", dir, "--since", since); code != exitOK {
			t.Errorf("--since %s: exit %d\n%s", since, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, "scan", dir, "--since", "1 year")
	if code != exitUsage ||
		!strings.Contains(stderr, `--since: "1 year" is not a time back from now (1y, 3mo, 2w, 90d, 36h, 1h30m;`) ||
		!strings.Contains(stderr, "RFC 3339") ||
		strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// TestHelpStreams: asking for help prints the usage on stdout with exit 0, at the top level and
// for scan and plan; a usage error prints to stderr with exit 2 and nothing on stdout.
func TestHelpStreams(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}, {"scan", "-h"}, {"scan", "--help"}, {"scan", "s3://b/p", "--help"}, {"plan", "-h"}, {"plan", "--help"}} {
		code, out, stderr := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "Usage:") || stderr != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 0 and the usage on stdout", args, code, out, stderr)
		}
	}
	_, out, _ := runCLI(t, "scan", "--help")
	if !strings.Contains(out, "-fail-on-match") {
		t.Errorf("scan --help lists no flags:\n%s", out)
	}
	for _, args := range [][]string{
		nil, {"frobnicate"}, {"scan"}, {"scan", t.TempDir(), "--frobnicate"}, {"plan", "--frobnicate"},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != exitUsage || out != "" || !strings.Contains(stderr, "Usage:") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want 2 and the usage on stderr", args, code, out, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	for _, arg := range []string{"--version", "version", "-version"} {
		code, out, _ := runCLI(t, arg)
		if code != exitOK || !strings.HasPrefix(out, "rootwatch ") || strings.Count(out, "\n") != 1 {
			t.Errorf("%s: exit %d, %q", arg, code, out)
		}
	}
	for _, tc := range []struct {
		info *debug.BuildInfo
		ok   bool
		want string
	}{
		{nil, false, "rootwatch (devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true, "rootwatch (devel)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "10f5c51abc"}}}, true, "rootwatch v1.2.3 (revision 10f5c51abc)"},
		{&debug.BuildInfo{Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "10f5c51abc"}, {Key: "vcs.modified", Value: "true"}}}, true, "rootwatch (devel) (revision 10f5c51abc, modified)"},
	} {
		if got := versionLine(tc.info, tc.ok); got != tc.want {
			t.Errorf("versionLine = %q, want %q", got, tc.want)
		}
	}
}

// bucketCopy writes a local copy of a log bucket: one log file of root events (delivered an hour
// ago) in the account layout, beside a digest file and an AWS Config snapshot, which are not
// CloudTrail logs.
func bucketCopy(t *testing.T) (dir string, rootEvents int) {
	t.Helper()
	dir = t.TempDir()
	now := time.Now().UTC().Add(-time.Hour)
	evs := at(events(t, "panther_scenarios/compromised-root-creds__attacker_cloudtrail.json"), now)
	day := now.Format("2006/01/02")
	stamp := now.Format("20060102T1504Z")
	acct := filepath.Join(dir, "AWSLogs", "493859302102")
	write(
		t,
		filepath.Join(
			acct,
			"CloudTrail",
			"us-east-1",
			filepath.FromSlash(day),
			"493859302102_CloudTrail_us-east-1_"+stamp+"_a1.json.gz",
		),
		logGz(t, evs),
	)
	writeNotLogs(t, dir, now)
	return dir, countRoot(evs)
}

// writeNotLogs writes a CloudTrail digest and an AWS Config snapshot in their key layouts.
func writeNotLogs(t *testing.T, dir string, now time.Time) {
	t.Helper()
	acct := filepath.Join(dir, "AWSLogs", "493859302102")
	day := now.Format("2006/01/02")
	write(
		t,
		filepath.Join(
			acct,
			"CloudTrail-Digest",
			"us-east-1",
			filepath.FromSlash(day),
			"493859302102_CloudTrail-Digest_us-east-1_trail_us-east-1_"+now.Format("20060102T150405Z")+".json.gz",
		),
		logGz(t, nil),
	)
	write(
		t,
		filepath.Join(
			acct,
			"Config",
			"us-east-1",
			filepath.FromSlash(now.Format("2006/1/2")),
			"ConfigSnapshot",
			"493859302102_Config_us-east-1_ConfigSnapshot_"+now.Format("20060102T150405Z")+"_x.json.gz",
		),
		[]byte(`{"fileVersion":"1.0","configurationItems":[]}`),
	)
}

// TestNothingRead: a scan that reads no CloudTrail log file is never a pass. A missing path
// cannot start the scan (exit 2, one line, no report); an input with no log file in it is exit 2
// too, saying what was looked for; beside inputs that were read it is a skipped input (exit 3).
func TestNothingRead(t *testing.T) {
	good, _ := bucketCopy(t)
	empty := t.TempDir()
	onlyNotLogs := t.TempDir()
	writeNotLogs(t, onlyNotLogs, time.Now().UTC())
	write(t, filepath.Join(onlyNotLogs, "notes.txt"), []byte("hello"))
	missing := filepath.Join(empty, "nope")

	for _, fail := range []bool{false, true} {
		extra := []string{}
		if fail {
			extra = []string{"--fail-on-match"}
		}
		t.Run(fmt.Sprintf("fail-on-match=%v", fail), func(t *testing.T) {
			for _, args := range [][]string{{missing}, {good, missing}, {missing, empty}} {
				code, out, stderr := runCLI(t, append(append([]string{"scan"}, args...), extra...)...)
				if want := "rootwatch scan: could not start: " + missing + ": no such file or directory\n"; code != exitUsage ||
					out != "" ||
					stderr != want {
					t.Errorf(
						"%q: exit %d, stdout %q, stderr %q; want %d and %q",
						args,
						code,
						out,
						stderr,
						exitUsage,
						want,
					)
				}
			}
			for dir, skipped := range map[string]string{
				empty: "", onlyNotLogs: "; 3 files skipped: not CloudTrail logs",
			} {
				code, out, stderr := runCLI(t, append([]string{"scan", dir}, extra...)...)
				want := "rootwatch scan: nothing read from " + dir + ": no CloudTrail log files (" + scan.LookedForLocal + skipped + ")\n" +
					"rootwatch scan: nothing was read: no input held a CloudTrail log file, so there is no report " +
					"(this is not a clean result)\n"
				if code != exitUsage || out != "" || stderr != want {
					t.Errorf("%s: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", dir, code, out, stderr, want)
				}
			}
			code, out, stderr := runCLI(t, append([]string{"scan", good, empty}, extra...)...)
			want := exitSkipped
			if fail {
				want = exitMatchSkip
			}
			if code != want || !strings.Contains(stderr, "nothing read from "+empty) ||
				!strings.Contains(out, "SKIPPED 1 inputs") {
				t.Errorf("good and empty: exit %d, want %d\n%s\n%s", code, want, out, stderr)
			}
		})
	}
}

// TestNotLogsSkipped: digests and AWS Config files in a local copy of a log bucket are skipped and
// counted, not reported as damage.
func TestNotLogsSkipped(t *testing.T) {
	dir, root := bucketCopy(t)
	write(t, filepath.Join(dir, "README.txt"), []byte("copied with aws s3 sync"))
	code, out, stderr := runCLI(t, "scan", dir, "--fail-on-match")
	if code != exitMatch || stderr != "" {
		t.Errorf("exit %d, want %d (matches, nothing damaged)\nstderr:\n%s", code, exitMatch, stderr)
	}
	if !strings.Contains(out, "\n3 files skipped: not CloudTrail logs") || strings.Contains(out, "SKIPPED") {
		t.Errorf("table summary:\n%s", out)
	}
	_, out, _ = runCLI(t, "scan", dir, "--format", "json")
	ms := jsonLines(t, out)
	totals := ms[len(ms)-1]
	if totals["files_skipped_not_cloudtrail_logs"] != float64(3) || totals["inputs_skipped"] != float64(0) ||
		totals["inputs_scanned"] != float64(1) {
		t.Errorf("totals %v", totals)
	}
	if n := strings.Count(out, `"type":"event"`); n != root {
		t.Errorf("%d events, want %d", n, root)
	}
	_, _, stderr = runCLI(t, "scan", dir, "--format", "csv")
	if !strings.Contains(stderr, "3 files skipped: not CloudTrail logs") {
		t.Errorf("csv summary on stderr:\n%s", stderr)
	}
}
