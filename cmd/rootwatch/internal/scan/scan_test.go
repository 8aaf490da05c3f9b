package scan

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
)

func rules(t testing.TB, ids ...string) []Rule {
	t.Helper()
	cs, err := catalog.Select(ids)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := Compile(cs)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

var wide = Window{
	Since: time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC),
	Until: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
}

func runLocal(t testing.TB, w Window, rs []Rule, paths ...string) *Result {
	t.Helper()
	var srcs []Source
	for _, p := range paths {
		srcs = append(srcs, LocalSource{Path: p})
	}
	return Run(context.Background(), srcs, Options{Window: w, Rules: rs, Workers: 3}, nil)
}

func TestCompileWholeCatalog(t *testing.T) {
	rs, err := Compile(catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != len(catalog.All()) {
		t.Fatalf("%d rules for %d controls", len(rs), len(catalog.All()))
	}
}

// bucketTree writes every fixture event into a local copy of a trail's bucket: panther's root
// scenario in the account layout (gzip), the AWS docs events in the organization layout (gzip),
// the Stratus background as plain .json, plus files a scan must ignore.
func bucketTree(t testing.TB) (dir string, all []json.RawMessage) {
	t.Helper()
	dir = t.TempDir()
	ev := allEvents(t)
	names := make([]string, 0, len(ev))
	for n := range ev {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		recs := ev[n]
		all = append(all, recs...)
		var rel string
		switch {
		case strings.HasPrefix(n, "compromised"):
			rel = fmt.Sprintf("AWSLogs/493859302102/CloudTrail/us-east-1/2020/11/01/493859302102_CloudTrail_us-east-1_20201101T0900Z_f%02d.json.gz", i)
			writeFile(t, filepath.Join(dir, rel), gz(t, logFile(t, recs)))
		case strings.HasSuffix(n, "__awsdocs.json") || strings.HasSuffix(n, "__derived.json"):
			rel = fmt.Sprintf("AWSLogs/o-aa111bb222/111122223333/CloudTrail/us-east-1/2022/11/10/111122223333_CloudTrail_us-east-1_20221110T1630Z_f%02d.json.gz", i)
			writeFile(t, filepath.Join(dir, rel), gz(t, logFile(t, recs)))
		default:
			rel = fmt.Sprintf("background/f%02d.json", i)
			writeFile(t, filepath.Join(dir, rel), logFile(t, recs))
		}
	}
	// Not log files: ignored by a directory walk.
	writeFile(t, filepath.Join(dir, "README.txt"), []byte("not a log"))
	writeFile(
		t,
		filepath.Join(dir, "AWSLogs/493859302102/CloudTrail-Digest/us-east-1/2020/11/01/d.json.gz"),
		gz(t, []byte(`{"digestStartTime":"x"}`)),
	)
	return dir, all
}

func TestScanLocalMatchesOracle(t *testing.T) {
	dir, all := bucketTree(t)
	res := runLocal(t, wide, rules(t, "root-usage"), dir)
	if len(res.Problems) != 0 {
		t.Fatalf("problems: %+v", res.Problems)
	}
	var want []json.RawMessage
	for _, r := range all {
		if oracleRootUsage(t, r) {
			want = append(want, r)
		}
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.EventTime+" "+f.EventName)
	}
	sort.Strings(got)
	if w := eventIDsAndTimes(t, want); fmt.Sprint(got) != fmt.Sprint(w) {
		t.Fatalf(
			"findings:\n%s\nwant (hand-written CIS root rule):\n%s",
			strings.Join(got, "\n"),
			strings.Join(w, "\n"),
		)
	}
	if len(want) < 15 {
		t.Fatalf("fixture has only %d root events", len(want))
	}
	if res.Records != int64(len(all)) {
		t.Errorf("scanned %d events, want %d", res.Records, len(all))
	}
	if res.Inputs != int64(len(allEvents(t))) {
		t.Errorf(
			"scanned %d files, want %d (README.txt and the digest file must be ignored)",
			res.Inputs,
			len(allEvents(t)),
		)
	}
	if s := res.Controls[0]; s.ID != "root-usage" || s.Matches != len(want) {
		t.Errorf("summary %+v", s)
	}
	for i := 1; i < len(res.Findings); i++ {
		if res.Findings[i].Time.Before(res.Findings[i-1].Time) {
			t.Fatalf("findings not in time order at %d", i)
		}
	}
}

func TestFindingFields(t *testing.T) {
	dir, _ := bucketTree(t)
	w := Window{
		Since: time.Date(2022, 11, 10, 0, 0, 0, 0, time.UTC),
		Until: time.Date(2022, 11, 11, 0, 0, 0, 0, time.UTC),
	}
	res := runLocal(t, w, rules(t, "root-usage"), dir)
	byMFA := map[string]Finding{}
	for _, f := range res.Findings {
		byMFA[f.Outcome+"/"+f.MFA] = f
	}
	// The AWS docs' three root sign-ins: success without MFA, success with MFA ("YES"), failure.
	// The SYNTHETIC root event carries invokedBy: root-usage must not fire for it.
	if len(res.Findings) != 3 {
		t.Fatalf("got %d findings, want the 3 root sign-ins: %+v", len(res.Findings), res.Findings)
	}
	f, ok := byMFA["success/No"]
	if !ok {
		t.Fatalf("no success/No finding: %+v", res.Findings)
	}
	want := Finding{
		EventTime:    "2022-11-10T16:24:34Z",
		Account:      "111122223333",
		Region:       "us-east-1",
		Control:      "root-usage",
		EventName:    "ConsoleLogin",
		EventSource:  "signin.amazonaws.com",
		Outcome:      "success",
		SourceIP:     "192.0.2.0",
		UserAgent:    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0",
		MFA:          "No",
		IdentityType: "Root",
		IdentityARN:  "arn:aws:iam::111122223333:root",
		Principal:    "arn:aws:iam::111122223333:root",
		EventID:      "deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
		ConsoleURL:   "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/deb1e1f9-c99b-4612-8e9f-21f93b5d79c0",
		Credential:   CredentialConsoleSignIn,
	}
	f.Time, f.Input = time.Time{}, ""
	if f != want {
		t.Errorf("finding\n%+v\nwant\n%+v", f, want)
	}
	if _, ok := byMFA["success/YES"]; !ok {
		t.Errorf("root sign-in with MFA (\"YES\", verbatim) missing: %+v", res.Findings)
	}
	if f, ok := byMFA["failure/No"]; !ok || f.ErrorMessage != "Failed authentication" {
		t.Errorf("failed root sign-in missing or without its message: %+v", res.Findings)
	}
}

func TestWindowByEventTime(t *testing.T) {
	dir, _ := bucketTree(t)
	// panther's attacker: 2020-10-30 .. 2020-11-01; victim: 2020-10-15 .. 2020-10-27.
	w := Window{
		Since: time.Date(2020, 10, 31, 0, 0, 0, 0, time.UTC),
		Until: time.Date(2020, 11, 1, 8, 30, 0, 0, time.UTC),
	}
	res := runLocal(t, w, rules(t, "root-usage"), dir)
	if len(res.Findings) == 0 {
		t.Fatal("no findings in the window")
	}
	for _, f := range res.Findings {
		if !w.Contains(f.Time) {
			t.Errorf("finding at %s is outside the window", f.EventTime)
		}
	}
	if res.OutsideWindow == 0 {
		t.Error("no matching event was counted as outside the window")
	}
}

func TestOutsideWindowByFileName(t *testing.T) {
	w := Window{Since: time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), Until: time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)}
	for name, want := range map[string]bool{
		"111122223333_CloudTrail_us-east-1_20250228T2350Z_abc.json.gz": false, // skew margin
		"111122223333_CloudTrail_us-east-1_20250228T2300Z_abc.json.gz": true,  // delivered before the window
		"111122223333_CloudTrail_us-east-1_20250302T1200Z_abc.json.gz": false, // delivery margin
		"111122223333_CloudTrail_us-east-1_20250303T0000Z_abc.json.gz": true,
		"events.json": false, // not a CloudTrail name: always read
	} {
		if got := outsideWindow(name, w); got != want {
			t.Errorf("outsideWindow(%s) = %v, want %v", name, got, want)
		}
	}
}

// TestDamagedInputs: every kind of bad file is reported with its name and counted, and the rest
// of the scan, including the good part of a damaged file, is kept.
func TestDamagedInputs(t *testing.T) {
	dir := t.TempDir()
	attacker := loadEvents(t, "compromised-root-creds__attacker_cloudtrail.json")
	good := gz(t, logFile(t, attacker))
	plain := logFile(t, attacker)
	writeFile(t, filepath.Join(dir, "good.json.gz"), good)

	corrupt := bytes.Clone(good)
	for i := len(corrupt) / 3; i < len(corrupt)/3+40; i++ {
		corrupt[i] ^= 0x5a
	}
	badCRC := bytes.Clone(good)
	badCRC[len(badCRC)-6] ^= 0xff
	cases := map[string][]byte{
		"corrupt.json.gz":           corrupt,
		"truncated.json.gz":         good[:len(good)/2],
		"badcrc.json.gz":            badCRC,
		"notgzip.json.gz":           []byte("\x1f\x8bthis is not gzip at all"),
		"truncated.json":            plain[:len(plain)/2],
		"notjson.json":              []byte("<html>Access Denied</html>"),
		"empty.json":                nil,
		"gzip-of-text.json.gz":      gz(t, []byte("hello world\n")),
		"digest-not-a-log.json":     []byte(`{"awsAccountId":"111122223333","logFiles":[]}`),
		"trailing-garbage.json":     append(bytes.Clone(plain), "garbage"...),
		"gzip-then-garbage.json.gz": append(bytes.Clone(good), "garbage"...),
	}
	for name, b := range cases {
		writeFile(t, filepath.Join(dir, name), b)
	}
	writeFile(t, filepath.Join(dir, "unreadable.json"), plain)
	if err := os.Chmod(filepath.Join(dir, "unreadable.json"), 0); err != nil {
		t.Fatal(err)
	}
	unreadable := 1
	if os.Geteuid() == 0 { // root reads mode-0 files; use a dangling path instead
		os.Remove(filepath.Join(dir, "unreadable.json"))
		unreadable = 0
	}
	missing := filepath.Join(dir, "no-such-file.json.gz")

	var told []string
	res := Run(context.Background(), []Source{LocalSource{dir}, LocalSource{missing}},
		Options{Window: wide, Rules: rules(t, "root-usage"), Workers: 2, Problem: func(p Problem) { told = append(told, p.Input) }}, nil)

	wantProblems := len(cases) + unreadable + 1
	if len(res.Problems) != wantProblems || len(told) != wantProblems {
		t.Errorf("%d problems (%d told), want %d: %+v", len(res.Problems), len(told), wantProblems, res.Problems)
	}
	seen := map[string]Problem{}
	for _, p := range res.Problems {
		seen[filepath.Base(p.Input)] = p
		if p.Error == "" {
			t.Errorf("%s: empty error", p.Input)
		}
	}
	for name := range cases {
		if _, ok := seen[name]; !ok {
			t.Errorf("%s was not reported", name)
		}
	}
	if _, ok := seen["no-such-file.json.gz"]; !ok {
		t.Errorf("missing path not reported")
	}
	for name, want := range map[string]string{
		"corrupt.json.gz": "gzip", "truncated.json.gz": "gzip", "badcrc.json.gz": "checksum", "notgzip.json.gz": "gzip",
		"truncated.json": "truncated", "notjson.json": "expected a JSON object", "empty.json": "empty",
		"digest-not-a-log.json": "Records", "trailing-garbage.json": "after the end",
		"gzip-then-garbage.json.gz": "gzip",
	} {
		if p := seen[name]; !strings.Contains(p.Error, want) {
			t.Errorf("%s: error %q does not mention %q", name, p.Error, want)
		}
	}
	// The good file is scanned in full, and the part of each damaged file before the damage too.
	var rootInGood int
	for _, r := range attacker {
		if oracleRootUsage(t, r) {
			rootInGood++
		}
	}
	perInput := map[string]int{}
	for _, f := range res.Findings {
		perInput[filepath.Base(f.Input)]++
	}
	if perInput["good.json.gz"] != rootInGood {
		t.Errorf("good.json.gz: %d findings, want %d", perInput["good.json.gz"], rootInGood)
	}
	if n := perInput["truncated.json"]; n == 0 || n >= rootInGood {
		t.Errorf("truncated.json: %d findings, want the ones before the cut (0 < n < %d)", n, rootInGood)
	}
	if p := seen["truncated.json"]; p.Records == 0 {
		t.Errorf("truncated.json: records before the damage not counted: %+v", p)
	}
	if res.Inputs != 1 {
		t.Errorf("%d inputs scanned cleanly, want 1", res.Inputs)
	}
}

func TestInterrupted(t *testing.T) {
	dir, _ := bucketTree(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := Run(ctx, []Source{LocalSource{dir}}, Options{Window: wide, Rules: rules(t, "root-usage")}, nil)
	if !res.Interrupted || len(res.Problems) != 0 {
		t.Fatalf("interrupted=%v problems=%v", res.Interrupted, res.Problems)
	}
	var out bytes.Buffer
	if err := WriteReport(&out, &out, "table", wide, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "INTERRUPTED") {
		t.Errorf("report does not say it is partial:\n%s", out.String())
	}
}

func TestReportFormats(t *testing.T) {
	dir, _ := bucketTree(t)
	hostile := loadEvents(t, "root_consolelogin_success_mfa_no__awsdocs.json")[0]
	hostile = bytes.Replace(
		hostile,
		[]byte(`"userAgent": "Mozilla`),
		[]byte(`"userAgent": "\u001b[31mEVIL\r\nMozilla`),
		1,
	)
	writeFile(t, filepath.Join(dir, "hostile.json"), logFile(t, []json.RawMessage{hostile}))
	formula := loadEvents(t, "root_consolelogin_success_mfa_no__awsdocs.json")[0]
	formula = bytes.Replace(
		formula,
		[]byte(`"userAgent": "Mozilla`),
		[]byte(`"userAgent": "=HYPERLINK(\"http://evil.example\")Mozilla`),
		1,
	)
	writeFile(t, filepath.Join(dir, "formula.json"), logFile(t, []json.RawMessage{formula}))
	writeFile(t, filepath.Join(dir, "broken.json"), []byte("nope"))
	res := runLocal(t, wide, rules(t, "root-usage"), dir)
	n := len(res.Findings)

	t.Run("json", func(t *testing.T) {
		var out bytes.Buffer
		if err := WriteReport(&out, nil, "json", wide, res); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		types := map[string]int{}
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("line is not one JSON object: %q: %v", l, err)
			}
			types[m["type"].(string)]++
			if m["type"] == "event" {
				for _, k := range []string{"time", "account", "region", "control", "event_name", "outcome", "source_ip", "user_agent", "mfa_used"} {
					if _, ok := m[k]; !ok {
						t.Errorf("event line lacks %q: %s", k, l)
					}
				}
			}
		}
		if types["event"] != n || types["summary"] != 1 || types["totals"] != 1 || types["skipped"] != 1 {
			t.Errorf("line types %v, want %d events, 1 skipped, 1 summary, 1 totals", types, n)
		}
	})
	t.Run("csv", func(t *testing.T) {
		var out, summary bytes.Buffer
		if err := WriteReport(&out, &summary, "csv", wide, res); err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != n+1 || strings.Join(rows[0], ",") != strings.Join(CSVHeader, ",") {
			t.Errorf("%d rows, header %v", len(rows), rows[0])
		}
		if !strings.Contains(summary.String(), "root-usage") {
			t.Errorf("summary not written to the summary writer: %q", summary.String())
		}
		// CSV injection: no cell a spreadsheet would evaluate as a formula.
		ua := slices.Index(CSVHeader, "user_agent")
		defused := false
		for _, row := range rows[1:] {
			for _, cell := range row {
				if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
					t.Errorf("cell %q would run as a spreadsheet formula", cell)
				}
			}
			if strings.HasPrefix(row[ua], `'=HYPERLINK(`) {
				defused = true
			}
		}
		if !defused {
			t.Error("the =HYPERLINK user agent is not in the CSV with a leading apostrophe")
		}
	})
	t.Run("table", func(t *testing.T) {
		var out bytes.Buffer
		if err := WriteReport(&out, nil, "table", wide, res); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		for _, want := range []string{"TIME", "SOURCE IP", "USER AGENT", "root-usage", "192.0.2.0", "SKIPPED 1", "broken.json", `\x1b[31mEVIL\r\nMozilla`} {
			if !strings.Contains(s, want) {
				t.Errorf("table lacks %q:\n%s", want, s)
			}
		}
		if strings.ContainsAny(s, "\x1b\r") {
			t.Errorf("table passes control characters to the terminal")
		}
	})
}

func TestParseTime(t *testing.T) {
	now := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"90d":                       now.AddDate(0, 0, -90),
		"2w":                        now.AddDate(0, 0, -14),
		"36h":                       now.Add(-36 * time.Hour),
		"1d12h":                     now.Add(-36 * time.Hour),
		"1y":                        time.Date(2024, 6, 30, 12, 0, 0, 0, time.UTC),
		"3mo":                       time.Date(2025, 3, 30, 12, 0, 0, 0, time.UTC),
		"18mo":                      time.Date(2023, 12, 30, 12, 0, 0, 0, time.UTC),
		"0y":                        now,
		"2025-01-31":                time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC),
		"2025-01-31T10:00:00Z":      time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC),
		"2025-01-31T12:00:00+02:00": time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC),
	} {
		got, err := ParseTime(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{
		"", "yesterday", "-5d", "d", "2025-13-01", "5x", "y", "mo", "-1y", "+1y", "1.5y", "3m0", "1day",
	} {
		_, err := ParseTime(bad, now)
		if err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		} else if !strings.Contains(err.Error(), TimeForms) {
			t.Errorf("ParseTime(%q): %v; the error does not list the accepted forms", bad, err)
		}
	}
}

// TestMatcherMatchesLikeSeparateFilters: the scan's matcher evaluates every control's filters at
// once (one filterpattern.Set); on every test event it must decide exactly as the deployed filters
// do one by one, including events built to hit only a control's second filter (root usage, route
// tables).
func TestMatcherMatchesLikeSeparateFilters(t *testing.T) {
	var events [][]byte
	for _, name := range fixtureNames() {
		for _, ev := range loadEvents(t, name) {
			var c bytes.Buffer
			if err := json.Compact(&c, ev); err != nil {
				t.Fatal(err)
			}
			events = append(events, c.Bytes())
		}
	}
	events = append(events,
		[]byte(`{"userIdentity":{"type":"Root","invokedBy":"signin.amazonaws.com"},"eventType":"AwsApiCall","eventName":"CreateAccessKey"}`),
		[]byte(`{"userIdentity":{"type":"Root","invokedBy":"AWS Internal"},"eventType":"AwsApiCall"}`),
		[]byte(`{"eventSource":"ec2.amazonaws.com","eventName":"CreateRoute"}`),
		[]byte(`{"eventSource":"ec2.amazonaws.com","eventName":"CreateTags"}`),
		[]byte(`not json`))
	rs, err := Compile(catalog.All())
	if err != nil {
		t.Fatal(err)
	}
	m := newMatcher(rs)
	got := make([][]int, len(events))
	for i, ev := range events {
		got[i], _ = m.match(ev, nil, nil)
	}
	for ri, r := range rs {
		var separate []*filterpattern.Pattern
		for _, src := range r.Control.Patterns() {
			p, err := filterpattern.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			separate = append(separate, p)
		}
		for i, ev := range events {
			want := false
			for _, p := range separate {
				want = want || p.Match(ev)
			}
			if got := r.Match(ev); got != want {
				t.Errorf("%s on %s: compiled rule %v, deployed filters %v", r.Control.ID, ev, got, want)
			}
			if got := slices.Contains(got[i], ri); got != want {
				t.Errorf("%s on %s: matcher %v, deployed filters %v", r.Control.ID, ev, got, want)
			}
		}
	}
}

// TestTicketFields: who acted (the ARN, or the type and user name), the console link in the
// event region's partition, and a short, safe summary of the request parameters.
func TestTicketFields(t *testing.T) {
	base := corpusEvent(t, memberSessionEvent) // root DeleteBucketPolicy, us-west-2
	f, err := decodeEvent(base)
	if err != nil {
		t.Fatal(err)
	}
	if f.Principal != "arn:aws:iam::222222222222:root" || f.RequestParameters == "" ||
		f.ConsoleURL != "https://console.aws.amazon.com/cloudtrail/home?region=us-west-2#/events/0e4b6b52-1a2c-4f3e-9d0a-2f6b8c1d7e90" {
		t.Errorf("finding %+v", f)
	}
	var compact bytes.Buffer
	var e struct{ RequestParameters json.RawMessage }
	if err := json.Unmarshal(base, &e); err != nil || json.Compact(&compact, e.RequestParameters) != nil {
		t.Fatal(err)
	}
	if f.RequestParameters != compact.String() {
		t.Errorf("request parameters %q, want the compact JSON %q", f.RequestParameters, compact.String())
	}

	// Derived records: no ARN, a GovCloud region, long parameters with a control character.
	noARN := withField(
		t,
		withField(t, withField(t, base, "userIdentity.arn", ""), "userIdentity.type", "IAMUser"),
		"userIdentity.userName",
		"alice",
	)
	gov := withField(t, base, "awsRegion", "us-gov-west-1")
	long := withField(t, base, "requestParameters", map[string]any{"bucketName": strings.Repeat("b", 200) + "\x1b[2J"})
	noParams := withField(t, base, "requestParameters", nil)
	for _, tc := range []struct {
		name  string
		rec   json.RawMessage
		check func(Finding) bool
	}{
		{"no ARN", noARN, func(f Finding) bool { return f.Principal == "IAMUser alice" }},
		{"type only", withField(t, base, "userIdentity", map[string]any{"type": "AWSService"}), func(f Finding) bool { return f.Principal == "AWSService" }},
		{"GovCloud", gov, func(f Finding) bool {
			return strings.HasPrefix(f.ConsoleURL, "https://console.amazonaws-us-gov.com/cloudtrail/home?region=us-gov-west-1#/events/")
		}},
		{"China", withField(t, base, "awsRegion", "cn-north-1"), func(f Finding) bool { return strings.HasPrefix(f.ConsoleURL, "https://console.amazonaws.cn/") }},
		{"no event id", withField(t, base, "eventID", ""), func(f Finding) bool { return f.ConsoleURL == "" }},
		{"long parameters", long, func(f Finding) bool {
			return utf8.RuneCountInString(f.RequestParameters) == RequestSummaryLen && strings.HasSuffix(f.RequestParameters, "…") &&
				strings.HasPrefix(f.RequestParameters, `{"bucketName":"bbb`)
		}},
		{"null parameters", noParams, func(f Finding) bool { return f.RequestParameters == "" }},
	} {
		f, err := decodeEvent(tc.rec)
		if err != nil || !tc.check(f) {
			t.Errorf("%s: %+v, %v", tc.name, f, err)
		}
	}
	// A control character in the parameters is escaped in every format.
	f, _ = decodeEvent(withField(t, base, "requestParameters", map[string]any{"k": "\x1b[2J"}))
	res := &Result{Findings: []Finding{f}}
	for _, format := range Formats {
		var out, summary bytes.Buffer
		if err := WriteReport(&out, &summary, format, wide, res); err != nil {
			t.Fatal(err)
		}
		if strings.ContainsRune(out.String(), 0x1b) {
			t.Errorf("%s: raw escape character in the output:\n%q", format, out.String())
		}
	}
}
