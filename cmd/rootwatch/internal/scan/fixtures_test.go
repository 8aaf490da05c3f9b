package scan

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// corpusDir is the project's one CloudTrail corpus, testdata/cloudtrail at the repository root (see
// its PROVENANCE.md); tests read its files in place rather than copying them.
var corpusDir = corpus.Dir()

// fixtureFiles are the corpus files (paths under corpusDir) the tests wrap into CloudTrail log files
// (gzip-compressed or plain, in the account and organization S3 key layouts) and damage copies of
// (truncated, corrupt, not JSON) at test time. Tests name them by file name.
var fixtureFiles = []string{
	"curated/SYNTHETIC_root_with_invokedBy__derived.json",
	"stratus/aws.defense-evasion.cloudtrail-stop.json",
	"stratus/aws.initial-access.console-login-without-mfa.json",
	"stratus/aws.persistence.iam-create-admin-user.json",
	"curated/awsserviceevent_kms_rotatekey_invokedBy_AWSInternal__awsdocs.json",
	"panther_scenarios/compromised-root-creds__attacker_cloudtrail.json",
	"panther_scenarios/compromised-root-creds__victim_cloudtrail.json",
	"curated/iamuser_consolelogin_success_mfa_no__awsdocs.json",
	"curated/root_consolelogin_failure__awsdocs.json",
	"curated/root_consolelogin_success_mfa_YES__awsdocs.json",
	"curated/root_consolelogin_success_mfa_no__awsdocs.json",
}

// fixtureNames returns the file names of fixtureFiles, sorted.
func fixtureNames() []string {
	var out []string
	for _, f := range fixtureFiles {
		out = append(out, path.Base(f))
	}
	sort.Strings(out)
	return out
}

// loadEvents reads the fixture file NAME (a JSON array of records or one record) as raw records.
func loadEvents(t testing.TB, name string) []json.RawMessage {
	t.Helper()
	rel := ""
	for _, f := range fixtureFiles {
		if path.Base(f) == name {
			rel = f
		}
	}
	if rel == "" {
		t.Fatalf("no fixture file %s in fixtureFiles", name)
	}
	b, err := corpus.ReadFile(rel)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.TrimSpace(b)
	if b[0] == '[' {
		var evs []json.RawMessage
		if err := json.Unmarshal(b, &evs); err != nil {
			t.Fatal(err)
		}
		return evs
	}
	return []json.RawMessage{b}
}

// allEvents returns every fixture event, by file name.
func allEvents(t testing.TB) map[string][]json.RawMessage {
	t.Helper()
	out := map[string][]json.RawMessage{}
	for _, name := range fixtureNames() {
		out[name] = loadEvents(t, name)
	}
	return out
}

// logFile renders records as CloudTrail writes a log file: {"Records":[...]}.
func logFile(t testing.TB, recs []json.RawMessage) []byte {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteString(`{"Records":[`)
	for i, r := range recs {
		if i > 0 {
			buf.WriteByte(',')
		}
		var c bytes.Buffer
		if err := json.Compact(&c, r); err != nil {
			t.Fatal(err)
		}
		buf.Write(c.Bytes())
	}
	buf.WriteString("]}")
	return buf.Bytes()
}

func gz(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// oracle is the CIS root-usage rule written out by hand, independently of filterpattern:
// userIdentity.type = "Root", no userIdentity.invokedBy, eventType != "AwsServiceEvent"
// (a missing eventType does not satisfy !=, as in CloudWatch Logs).
func oracleRootUsage(t testing.TB, rec json.RawMessage) bool {
	t.Helper()
	var e struct {
		EventType    *string `json:"eventType"`
		UserIdentity struct {
			Type      string  `json:"type"`
			InvokedBy *string `json:"invokedBy"`
		} `json:"userIdentity"`
	}
	if err := json.Unmarshal(rec, &e); err != nil {
		t.Fatal(err)
	}
	return e.UserIdentity.Type == "Root" && e.UserIdentity.InvokedBy == nil && e.EventType != nil &&
		*e.EventType != "AwsServiceEvent"
}

func eventIDsAndTimes(t testing.TB, recs []json.RawMessage) []string {
	var out []string
	for _, r := range recs {
		var e struct{ EventTime, EventID, EventName string }
		if err := json.Unmarshal(r, &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e.EventTime+" "+e.EventName)
	}
	sort.Strings(out)
	return out
}

// corpusEvent reads one record of the corpus, by its path under corpusDir.
func corpusEvent(t testing.TB, rel string) json.RawMessage {
	t.Helper()
	b, err := corpus.ReadFile(rel)
	if err != nil {
		t.Fatal(err)
	}
	return json.RawMessage(bytes.TrimSpace(b))
}

// The two halves of a root session in an organization trail: the management account's
// sts:AssumeRoot (real, from the AWS IAM guide) and a member account's root call made with the
// session's key (derived, marked so in its name and in the corpus's PROVENANCE.md).
const (
	assumeRootEvent    = "awsdocs/iam__assumeroot-privileged-session-opened.json"
	memberSessionEvent = "curated/root_session_member_DeleteBucketPolicy__derived.json"
	sessionKeyID       = "ASIAIOSFODNN7EXAMPLE"
)

// withField returns a copy of rec with the field at path (dot-separated) set to v: for derived
// records built from corpus ones inside a test.
func withField(t testing.TB, rec json.RawMessage, path string, v any) json.RawMessage {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec, &m); err != nil {
		t.Fatal(err)
	}
	keys := strings.Split(path, ".")
	cur := m
	for _, k := range keys[:len(keys)-1] {
		next, ok := cur[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		cur = next
	}
	cur[keys[len(keys)-1]] = v
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
