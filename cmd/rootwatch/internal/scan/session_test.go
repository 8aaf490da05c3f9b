package scan

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCredentialOf(t *testing.T) {
	for _, tc := range []struct {
		name, eventName, key, want string
	}{
		{"long-term access key", "DeleteBucketPolicy", "AKIAIOSFODNN7EXAMPLE", CredentialLongTermKey},
		{"session key", "DeleteBucketPolicy", "ASIAIOSFODNN7EXAMPLE", CredentialSession},
		{"console sign-in has no key", "ConsoleLogin", "", CredentialConsoleSignIn},
		{"no key, not a sign-in", "PasswordUpdated", "", CredentialNone},
		{"key of another form", "EnableMFADevice", "EXAMPLE", CredentialUnknown},
		{"a key wins over the event name", "ConsoleLogin", "ASIAIOSFODNN7EXAMPLE", CredentialSession},
		{"prefix is case-sensitive", "GetObject", "akiaiosfodnn7example", CredentialUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := credentialOf(tc.eventName, tc.key); got != tc.want {
				t.Errorf("credentialOf(%q, %q) = %q, want %q", tc.eventName, tc.key, got, tc.want)
			}
		})
	}
}

// TestFindingNamesTheCredential decodes corpus records (and one derived from them) as the scan
// does and checks the credential each finding reports, for root and for other identities.
func TestFindingNamesTheCredential(t *testing.T) {
	member := corpusEvent(t, memberSessionEvent)
	for _, tc := range []struct {
		name     string
		rec      json.RawMessage
		identity string
		key      string
		want     string
	}{
		{"member root call in an AssumeRoot session (derived)", member, "Root", sessionKeyID, CredentialSession},
		// Derived: the member record with the AWS docs' example long-term key in place of the session key.
		{"root call with a long-term root access key (derived)", withField(t, member, "userIdentity.accessKeyId", "AKIAIOSFODNN7EXAMPLE"),
			"Root", "AKIAIOSFODNN7EXAMPLE", CredentialLongTermKey},
		{"root console sign-in (AWS docs)", corpusEvent(t, "curated/root_consolelogin_success_mfa_no__awsdocs.json"), "Root", "", CredentialConsoleSignIn},
		{"root password change (AWS docs)", corpusEvent(t, "curated/root_passwordupdated__awsdocs.json"), "Root", "", CredentialNone},
		{"AssumeRoot caller's own session (AWS docs)", corpusEvent(t, assumeRootEvent), "AssumedRole", sessionKeyID, CredentialSession},
		{"IAM user with an access key (Stratus)", loadEvents(t, "aws.defense-evasion.cloudtrail-stop.json")[0], "IAMUser", "AKIAGGWFBBHBE7D3M9WI", CredentialLongTermKey},
		{"AWS service event, no identity key (AWS docs)", loadEvents(t, "awsserviceevent_kms_rotatekey_invokedBy_AWSInternal__awsdocs.json")[0], "", "", CredentialNone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := decodeEvent(tc.rec)
			if err != nil {
				t.Fatal(err)
			}
			if f.IdentityType != tc.identity || f.AccessKeyID != tc.key || f.Credential != tc.want {
				t.Errorf("identity %q, access_key_id %q, credential %q; want %q, %q, %q",
					f.IdentityType, f.AccessKeyID, f.Credential, tc.identity, tc.key, tc.want)
			}
		})
	}
}

// TestAssumeRootFindingNamesTheSession: the AWS docs' AssumeRoot event yields who opened the
// session, the member account, the task policy and the session's key.
func TestAssumeRootFindingNamesTheSession(t *testing.T) {
	f, err := decodeEvent(corpusEvent(t, assumeRootEvent))
	if err != nil {
		t.Fatal(err)
	}
	got := [5]string{f.IdentityARN, f.Account, f.TargetAccount, f.TaskPolicyARN, f.SessionKeyID}
	want := [5]string{"arn:aws:sts::111111111111:assumed-role/John/JohnRole1", "111111111111", "222222222222",
		"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy", sessionKeyID}
	if got != want {
		t.Errorf("caller, account, target, task policy, session key = %q, want %q", got, want)
	}
	// Derived: a failed AssumeRoot returns no credentials; the request is still reported.
	failed := withField(t, corpusEvent(t, assumeRootEvent), "responseElements", nil)
	failed = withField(t, failed, "errorCode", "AccessDenied")
	if f, err = decodeEvent(failed); err != nil {
		t.Fatal(err)
	}
	if f.SessionKeyID != "" || f.TargetAccount != "222222222222" || f.Outcome != "failure" {
		t.Errorf("failed AssumeRoot: key %q, target %q, outcome %q", f.SessionKeyID, f.TargetAccount, f.Outcome)
	}
}

// orgTrail writes the two halves of a root session as an organization trail delivers them: the
// management account's file and the member account's file, named so that first is read first.
func orgTrail(t testing.TB, first string, recs map[string]json.RawMessage) string {
	t.Helper()
	dir := t.TempDir()
	for name, rec := range recs {
		prefix := "2-"
		if name == first {
			prefix = "1-"
		}
		writeFile(t, filepath.Join(dir, prefix+name+".json.gz"), gz(t, logFile(t, []json.RawMessage{rec})))
	}
	return dir
}

func sessionFinding(t testing.TB, res *Result) Finding {
	t.Helper()
	for _, f := range res.Findings {
		if f.Control == "root-usage" && f.AccessKeyID == sessionKeyID {
			return f
		}
	}
	t.Fatalf("no root-usage finding with the session key: %+v", res.Findings)
	return Finding{}
}

// TestRootSessionLinkedToAssumeRoot: over an organization trail, the member account's root call
// is linked to the management account's AssumeRoot by the session's key id, whichever file is
// read first and whether or not root-session-opened is among the controls.
func TestRootSessionLinkedToAssumeRoot(t *testing.T) {
	recs := map[string]json.RawMessage{
		"management": corpusEvent(t, assumeRootEvent),
		"member":     corpusEvent(t, memberSessionEvent),
	}
	for _, tc := range []struct {
		name     string
		first    string
		controls []string
	}{
		{"AssumeRoot read first", "management", []string{"root-usage", "root-session-opened"}},
		{"member read first", "member", []string{"root-usage", "root-session-opened"}},
		{"AssumeRoot read first, root-usage only", "management", []string{"root-usage"}},
		{"member read first, root-usage only", "member", []string{"root-usage"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := orgTrail(t, tc.first, recs)
			res := Run(
				context.Background(),
				[]Source{LocalSource{dir}},
				Options{Window: wide, Rules: rules(t, tc.controls...), Workers: 1},
				nil,
			)
			if len(res.Problems) != 0 {
				t.Fatalf("problems: %+v", res.Problems)
			}
			f := sessionFinding(t, res)
			got := [5]string{
				f.SessionOpenedBy,
				f.SessionOpenedByAccount,
				f.SessionOpenedAt,
				f.SessionOpenedEventID,
				f.TaskPolicyARN,
			}
			want := [5]string{
				"arn:aws:sts::111111111111:assumed-role/John/JohnRole1",
				"111111111111",
				"2024-10-25T20:52:11Z",
				"",
				"arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
			}
			if got != want {
				t.Errorf("opened by, account, at, event id, task policy = %q, want %q", got, want)
			}
			if res.RootSessions != 1 || res.SessionsLinked != 1 || res.SessionsUnlinked != 0 {
				t.Errorf(
					"sessions %d, linked %d, unlinked %d; want 1, 1, 0",
					res.RootSessions,
					res.SessionsLinked,
					res.SessionsUnlinked,
				)
			}
			wantFindings := 1 + len(tc.controls) - 1 // the member call, and AssumeRoot when selected
			if len(res.Findings) != wantFindings {
				t.Errorf("%d findings, want %d: %+v", len(res.Findings), wantFindings, res.Findings)
			}
		})
	}
}

// TestRootSessionNotLinked: a root session key that no AssumeRoot in the scanned logs returned (a
// console session, or a session opened in logs not scanned) stays unlinked and is counted so.
func TestRootSessionNotLinked(t *testing.T) {
	member := corpusEvent(t, memberSessionEvent)
	// Derived: the AssumeRoot event as a failure (no credentials), and one returning another key.
	failed := withField(t, corpusEvent(t, assumeRootEvent), "responseElements", nil)
	other := withField(
		t,
		corpusEvent(t, assumeRootEvent),
		"responseElements.credentials.accessKeyId",
		"ASIAOTHERKEYEXAMPLE0",
	)
	for _, tc := range []struct {
		name string
		recs map[string]json.RawMessage
	}{
		{"member logs only", map[string]json.RawMessage{"member": member}},
		{"failed AssumeRoot", map[string]json.RawMessage{"member": member, "management": failed}},
		{"AssumeRoot of another session", map[string]json.RawMessage{"member": member, "management": other}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runLocal(t, wide, rules(t, "root-usage"), orgTrail(t, "member", tc.recs))
			f := sessionFinding(t, res)
			if f.SessionOpenedBy != "" || f.SessionOpenedAt != "" || f.TaskPolicyARN != "" {
				t.Errorf("linked without its AssumeRoot: %+v", f)
			}
			if res.SessionsLinked != 0 || res.SessionsUnlinked != 1 {
				t.Errorf("linked %d, unlinked %d; want 0, 1", res.SessionsLinked, res.SessionsUnlinked)
			}
			var out bytes.Buffer
			if err := WriteReport(&out, nil, "table", wide, res); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out.String(), "either a root console sign-in session or a session opened outside "+
				"the scanned logs") {
				t.Errorf("summary does not explain the unlinked session:\n%s", out.String())
			}
		})
	}
}

// TestAssumeRootOutsideWindowStillLinks: a session opened just before the window and used inside
// it is still linked (the window filters findings, not the AssumeRoot events kept for linking).
func TestAssumeRootOutsideWindowStillLinks(t *testing.T) {
	dir := orgTrail(t, "management", map[string]json.RawMessage{
		"management": corpusEvent(t, assumeRootEvent),    // 20:52:11
		"member":     corpusEvent(t, memberSessionEvent), // 20:53:40
	})
	w := Window{
		Since: time.Date(2024, 10, 25, 20, 53, 0, 0, time.UTC),
		Until: time.Date(2024, 10, 25, 21, 0, 0, 0, time.UTC),
	}
	res := runLocal(t, w, rules(t, "root-usage", "root-session-opened"), dir)
	if len(res.Findings) != 1 || res.OutsideWindow != 1 {
		t.Fatalf(
			"%d findings (%d outside the window), want only the member call: %+v",
			len(res.Findings),
			res.OutsideWindow,
			res.Findings,
		)
	}
	if f := res.Findings[0]; f.SessionOpenedBy == "" {
		t.Errorf("not linked: %+v", f)
	}
}

// TestKeepPicksTheEarliestAssumeRoot: two AssumeRoot events with one key id (the same session
// seen twice) link to the same one whatever order they arrive in.
func TestKeepPicksTheEarliestAssumeRoot(t *testing.T) {
	early := rootSession{KeyID: "ASIA1", OpenedBy: "b", EventID: "2", time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	late := rootSession{KeyID: "ASIA1", OpenedBy: "a", EventID: "1", time: early.time.Add(time.Minute)}
	undated := rootSession{KeyID: "ASIA1", OpenedBy: "c", EventID: "0"}
	sameTime := early
	sameTime.EventID = "1"
	for _, tc := range []struct {
		name string
		in   []rootSession
		want rootSession
	}{
		{"earliest first", []rootSession{early, late}, early},
		{"earliest last", []rootSession{late, early}, early},
		{"dated before undated", []rootSession{undated, late}, late},
		{"same time: lower event id", []rootSession{early, sameTime}, sameTime},
		{"same time: lower event id, reversed", []rootSession{sameTime, early}, sameTime},
		{"failed call (no key) is not kept", []rootSession{{OpenedBy: "x"}}, rootSession{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := map[string]rootSession{}
			for _, s := range tc.in {
				keep(m, s)
			}
			if got := m[tc.want.KeyID]; got != tc.want {
				t.Errorf("kept %+v, want %+v", got, tc.want)
			}
			if tc.want.KeyID == "" && len(m) != 0 {
				t.Errorf("kept %+v", m)
			}
		})
	}
}

// TestReportCarriesCredentialAndSession: json, csv and table show the credential, the AssumeRoot
// request and the link; CSV cells from the new text fields are defused like the others.
func TestReportCarriesCredentialAndSession(t *testing.T) {
	dir := orgTrail(t, "member", map[string]json.RawMessage{
		"management": corpusEvent(t, assumeRootEvent),
		"member":     corpusEvent(t, memberSessionEvent),
	})
	// Derived: a hostile AssumeRoot/member pair whose text fields would run as spreadsheet formulas.
	evilKey := "ASIAEVILEXAMPLE00000"
	evil := withField(
		t,
		corpusEvent(t, assumeRootEvent),
		"requestParameters.taskPolicyArn.arn",
		`=HYPERLINK("http://evil.example")`,
	)
	evil = withField(t, evil, "requestParameters.targetPrincipal", "+333333333333")
	evil = withField(t, evil, "userIdentity.arn", "-arn:aws:sts::111111111111:assumed-role/Evil/x")
	evil = withField(t, evil, "eventTime", "2024-10-25T21:00:00Z")
	evil = withField(t, evil, "responseElements.credentials.accessKeyId", evilKey)
	evilMember := withField(t, corpusEvent(t, memberSessionEvent), "userIdentity.accessKeyId", evilKey)
	evilMember = withField(t, evilMember, "eventTime", "2024-10-25T21:01:00Z")
	formulaKey := withField(t, corpusEvent(t, memberSessionEvent), "userIdentity.accessKeyId", "@SUM(1+1)")
	formulaKey = withField(t, formulaKey, "eventTime", "2024-10-25T21:02:00Z")
	writeFile(t, filepath.Join(dir, "evil.json"), logFile(t, []json.RawMessage{evil, evilMember, formulaKey}))
	res := runLocal(t, wide, rules(t, "root-usage", "root-session-opened"), dir)
	if len(res.Findings) != 5 || len(res.Problems) != 0 {
		t.Fatalf("%d findings, problems %+v; want 5 findings", len(res.Findings), res.Problems)
	}

	t.Run("json", func(t *testing.T) { sessionReportJSON(t, res) })
	t.Run("csv", func(t *testing.T) { sessionReportCSV(t, res, evilKey) })
	t.Run("table", func(t *testing.T) { sessionReportTable(t, res) })
}

// sessionReportJSON: the json report's AssumeRoot line, linked member line and totals.
func sessionReportJSON(t *testing.T, res *Result) {
	var out bytes.Buffer
	if err := WriteReport(&out, nil, "json", wide, res); err != nil {
		t.Fatal(err)
	}
	var assumeRoot, linked, totals map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		switch {
		case m["type"] == "totals":
			totals = m
		case m["type"] != "event":
		case m["event_name"] == "AssumeRoot" && m["session_access_key_id"] == sessionKeyID:
			assumeRoot = m
		case m["control"] == "root-usage" && m["access_key_id"] == sessionKeyID:
			linked = m
		}
		if m["type"] == "event" {
			for _, k := range []string{"access_key_id", "credential"} {
				if _, ok := m[k]; !ok {
					t.Errorf("event line lacks %q: %s", k, l)
				}
			}
		}
	}
	for k, v := range map[string]string{"control": "root-session-opened", "identity_arn": "arn:aws:sts::111111111111:assumed-role/John/JohnRole1",
		"target_account": "222222222222", "task_policy_arn": "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy", "credential": "session"} {
		if assumeRoot[k] != v {
			t.Errorf("AssumeRoot line: %s = %v, want %q", k, assumeRoot[k], v)
		}
	}
	for k, v := range map[string]string{"control": "root-usage", "credential": "session", "session_opened_by": "arn:aws:sts::111111111111:assumed-role/John/JohnRole1",
		"session_opened_by_account": "111111111111", "session_opened_at": "2024-10-25T20:52:11Z"} {
		if linked[k] != v {
			t.Errorf("member line: %s = %v, want %q", k, linked[k], v)
		}
	}
	if totals["root_session_findings_linked"] != 2.0 || totals["assume_root_sessions"] != 2.0 {
		t.Errorf("totals: %v", totals)
	}
}

// sessionReportCSV: the csv report's AssumeRoot and linked rows, and the hostile ones defused.
func sessionReportCSV(t *testing.T, res *Result, evilKey string) {
	var out, summary bytes.Buffer
	if err := WriteReport(&out, &summary, "csv", wide, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(name string) int { return slices.Index(CSVHeader, name) }
	var sawAssumeRoot, sawLinked, sawDefused, sawDefusedKey bool
	for _, row := range rows[1:] {
		for _, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would run as a spreadsheet formula", cell)
			}
		}
		if row[col("session_access_key_id")] == sessionKeyID && row[col("target_account")] == "222222222222" &&
			row[col("task_policy_arn")] == "arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy" {
			sawAssumeRoot = true
		}
		if row[col("access_key_id")] == sessionKeyID && row[col("credential")] == "session" &&
			row[col("session_opened_by")] == "arn:aws:sts::111111111111:assumed-role/John/JohnRole1" &&
			row[col("session_opened_at")] == "2024-10-25T20:52:11Z" && row[col("session_opened_by_account")] == "111111111111" {
			sawLinked = true
		}
		if row[col("access_key_id")] == evilKey &&
			row[col("session_opened_by")] == "'-arn:aws:sts::111111111111:assumed-role/Evil/x" &&
			row[col("task_policy_arn")] == `'=HYPERLINK("http://evil.example")` {
			sawDefused = true
		}
		if row[col("target_account")] == "'+333333333333" && row[col("session_access_key_id")] != evilKey {
			t.Errorf("hostile AssumeRoot row: %q", row)
		}
		if row[col("access_key_id")] == "'@SUM(1+1)" && row[col("credential")] == CredentialUnknown {
			sawDefusedKey = true
		}
	}
	if !sawAssumeRoot || !sawLinked || !sawDefused || !sawDefusedKey {
		t.Errorf(
			"AssumeRoot row %v, linked row %v, defused hostile rows %v %v:\n%s",
			sawAssumeRoot,
			sawLinked,
			sawDefused,
			sawDefusedKey,
			out.String(),
		)
	}
}

// sessionReportTable: the table report's credential, session and link columns and notes.
func sessionReportTable(t *testing.T, res *Result) {
	var out bytes.Buffer
	if err := WriteReport(&out, nil, "table", wide, res); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{"CREDENTIAL", "ACCESS KEY", "ROOT SESSION", sessionKeyID,
		"opens a root session on 222222222222, task S3UnlockBucketPolicy, key " + sessionKeyID,
		"opened by arn:aws:sts::111111111111:assumed-role/John/JohnRole1 (account 111111111111) at 2024-10-25T20:52:11Z",
		"long-term-access-key = an AKIA... key", "2 root events were made in sessions opened with sts:AssumeRoot"} {
		if !strings.Contains(s, want) {
			t.Errorf("table lacks %q:\n%s", want, s)
		}
	}
}

// TestRootAccessKeyIsFlagged: a root call with a long-term root access key is counted per control
// and called the worst case in the summary.
func TestRootAccessKeyIsFlagged(t *testing.T) {
	dir := t.TempDir()
	// Derived: the member record signed with the AWS docs' example long-term key.
	rec := withField(t, corpusEvent(t, memberSessionEvent), "userIdentity.accessKeyId", "AKIAIOSFODNN7EXAMPLE")
	writeFile(t, filepath.Join(dir, "k.json"), logFile(t, []json.RawMessage{rec}))
	res := runLocal(t, wide, rules(t, "root-usage"), dir)
	if len(res.Controls) != 1 || res.Controls[0].AccessKey != 1 || res.Controls[0].NoMFA != 0 {
		t.Fatalf("summary %+v, want 1 long-term key call and no sign-in without MFA", res.Controls)
	}
	var out bytes.Buffer
	if err := WriteReport(&out, nil, "table", wide, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "long-term root access key (AKIA...), the worst case") {
		t.Errorf("summary does not call out the root access key:\n%s", out.String())
	}
}

func TestMayBeAssumeRoot(t *testing.T) {
	for _, tc := range []struct {
		rec  string
		want bool
	}{
		{`{"eventSource":"sts.amazonaws.com","eventName":"AssumeRoot"}`, true},
		{`{"eventName": "AssumeRoot", "userIdentity": {"type": "Root"}}`, true},
		{`{"userIdentity":{"type":"Root"},"eventName":"AssumeRoot"}`, true},
		{`"AssumeRoot"`, true},
		{`{"userIdentity":{"type":"Root"},"eventName":"DeleteBucketPolicy"}`, false},
		{`{"policy":"{\"Action\":\"sts:AssumeRoot\"}"}`, false},
		{`{"eventName":"AssumeRole"}`, false},
		{`{"eventName":"NotAssumeRootX"}`, false},
		{`Root"`, false},
		{``, false},
	} {
		if got := mayBeAssumeRoot([]byte(tc.rec)); got != tc.want {
			t.Errorf("mayBeAssumeRoot(%s) = %v, want %v", tc.rec, got, tc.want)
		}
	}
	for _, rel := range []string{assumeRootEvent, memberSessionEvent} {
		if got, want := mayBeAssumeRoot(corpusEvent(t, rel)), rel == assumeRootEvent; got != want {
			t.Errorf("mayBeAssumeRoot(%s) = %v, want %v", rel, got, want)
		}
	}
}

// BenchmarkMayBeAssumeRoot measures the search every record goes through to find AssumeRoot
// events; it must stay far below the cost of matching a pattern (the root-usage-match sub-benchmark).
func BenchmarkMayBeAssumeRoot(b *testing.B) {
	for _, name := range []string{
		"aws.persistence.iam-create-admin-user.json", "root_consolelogin_success_mfa_no__awsdocs.json",
	} {
		var c bytes.Buffer
		if err := json.Compact(&c, loadEvents(b, name)[0]); err != nil {
			b.Fatal(err)
		}
		rec := c.Bytes()
		rs := rules(b, "root-usage")
		b.Run(name+"/search", func(b *testing.B) {
			b.SetBytes(int64(len(rec)))
			for b.Loop() {
				mayBeAssumeRoot(rec)
			}
		})
		b.Run(name+"/root-usage-match", func(b *testing.B) {
			b.SetBytes(int64(len(rec)))
			for b.Loop() {
				rs[0].Match(rec)
			}
		})
	}
}
