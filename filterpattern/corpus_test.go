package filterpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// record is one CloudTrail event of the corpus, compacted to one line as CloudTrail delivers it
// to CloudWatch Logs.
type record = corpus.Record

// corpusDir is the project's one CloudTrail corpus, testdata/cloudtrail at the repository root
// (its provenance in testdata/cloudtrail/PROVENANCE.md).
var corpusDir = corpus.Dir()

// corpusFiles is the fixed set of corpus files (paths under corpusDir) the tests and benchmarks
// read, in this order: a file added to the corpus for another package's tests does not change the
// benchmark input, so the benchmarks measure the same records in every checkout.
var corpusFiles = []string{
	"awsdocs/cloudtrail-log-file-examples__amazon-ec2-log-examples.json",
	"awsdocs/cloudtrail-log-file-examples__error-code-and-message-log-example.json",
	"awsdocs/signin__iam-user-sign-in-process-checks-for-mfa-multiple-mfa-device-types.json",
	"awsdocs/signin__iam-user-sign-in-process-checks-for-mfa-single-mfa-device-type.json",
	"awsdocs/signin__iam-user-successful-sign-in-without-mfa.json",
	"curated/SYNTHETIC_root_with_invokedBy__derived.json",
	"curated/awsserviceevent_kms_rotatekey_invokedBy_AWSInternal__awsdocs.json",
	"curated/iamuser_consolelogin_failure__awsdocs.json",
	"curated/iamuser_consolelogin_success_mfa_no__awsdocs.json",
	"curated/iamuser_consolelogin_success_mfa_no__stratus.json",
	"curated/iamuser_consolelogin_success_mfa_yes__awsdocs.json",
	"curated/root_ExternalIdPDirectoryLogin_failure_errorMessage__panther_test.json",
	"curated/root_api_call_PutBucketVersioning__panther_test.json",
	"curated/root_api_call_cli_CreateAccessKey__panther_scenario.json",
	"curated/root_api_call_readonly_ListAccessKeys__panther_test.json",
	"curated/root_consolelogin_failure__awsdocs.json",
	"curated/root_consolelogin_success_mfa_YES__awsdocs.json",
	"curated/root_consolelogin_success_mfa_no__awsdocs.json",
	"curated/root_enablemfadevice_apicall__awsdocs.json",
	"curated/root_passwordupdated__awsdocs.json",
	"curated/unauthorized_AccessDenied__stratus.json",
	"curated/unauthorized_Client.UnauthorizedOperation__stratus.json",
	"stratus/aws.defense-evasion.cloudtrail-stop.json",
	"stratus/aws.defense-evasion.organizations-leave.json",
	"stratus/aws.initial-access.console-login-without-mfa.json",
	"stratus/aws.persistence.iam-create-admin-user.json",
}

// loadFiles reads every CloudTrail record of the given corpus files (corpus.Files).
func loadFiles(tb testing.TB, rels ...string) []record {
	tb.Helper()
	recs, err := corpus.Files(rels...)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// loadFolder reads every CloudTrail record under one folder of the corpus (corpus.Folder).
func loadFolder(tb testing.TB, sub string) []record {
	tb.Helper()
	recs, err := corpus.Folder(sub)
	if err != nil {
		tb.Fatal(err)
	}
	return recs
}

// corpusRecords loads the records of corpusFiles. It fails (never skips) if it finds nothing.
func corpusRecords(tb testing.TB) ([]record, string) {
	tb.Helper()
	recs := loadFiles(tb, corpusFiles...)
	if len(recs) == 0 {
		tb.Fatalf("no CloudTrail records found in %s", corpusDir)
	}
	return recs, fmt.Sprintf("%d files of %s", len(corpusFiles), corpusDir)
}

func curated(t *testing.T, name string) []byte {
	t.Helper()
	for _, r := range loadFolder(t, "curated") {
		if path.Base(r.File) == name {
			return r.Msg
		}
	}
	t.Fatalf("no curated event %s", name)
	return nil
}

const (
	cisRoot       = `{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`
	cisNoMFA      = `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }`
	cisUnauth     = `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
	cisKMS        = `{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion))}`
	cisAuthFailed = `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`
	cisCloudTrail = `{ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) }`
)

// TestCuratedEvents checks the CIS patterns against the curated real events.
func TestCuratedEvents(t *testing.T) {
	cases := []struct {
		pattern string
		event   string
		want    bool
	}{
		// The AWS docs' root sign-in without MFA: root usage, and no MFA.
		{cisRoot, "root_consolelogin_success_mfa_no__awsdocs.json", true},
		{cisNoMFA, "root_consolelogin_success_mfa_no__awsdocs.json", true},
		// The AWS docs' root sign-in with MFA says "MFAUsed": "YES"; matching is
		// case-sensitive, so != "Yes" holds and the no-MFA filter fires.
		{cisNoMFA, "root_consolelogin_success_mfa_YES__awsdocs.json", true},
		{`{ $.additionalEventData.MFAUsed = "Yes" }`, "root_consolelogin_success_mfa_YES__awsdocs.json", false},
		{`{ $.additionalEventData.MFAUsed = "YES" }`, "root_consolelogin_success_mfa_YES__awsdocs.json", true},
		{cisRoot, "root_consolelogin_success_mfa_YES__awsdocs.json", true},
		{cisRoot, "root_consolelogin_failure__awsdocs.json", true},
		{cisRoot, "root_enablemfadevice_apicall__awsdocs.json", true},
		{cisRoot, "root_passwordupdated__awsdocs.json", true},
		{cisRoot, "root_api_call_PutBucketVersioning__panther_test.json", true},
		{cisRoot, "root_api_call_cli_CreateAccessKey__panther_scenario.json", true},
		{cisRoot, "root_api_call_readonly_ListAccessKeys__panther_test.json", true},
		// IAM users are not root.
		{cisRoot, "iamuser_consolelogin_success_mfa_no__awsdocs.json", false},
		{cisRoot, "iamuser_consolelogin_success_mfa_no__stratus.json", false},
		{cisRoot, "iamuser_consolelogin_success_mfa_yes__awsdocs.json", false},
		{cisRoot, "iamuser_consolelogin_failure__awsdocs.json", false},
		{cisNoMFA, "iamuser_consolelogin_success_mfa_no__awsdocs.json", true},
		{cisNoMFA, "iamuser_consolelogin_success_mfa_no__stratus.json", true},
		{cisNoMFA, "iamuser_consolelogin_success_mfa_yes__awsdocs.json", false},
		// Root activity invoked by an AWS service (synthetic event) is excluded.
		{cisRoot, "SYNTHETIC_root_with_invokedBy__derived.json", false},
		// An AWS service event is excluded.
		{cisRoot, "awsserviceevent_kms_rotatekey_invokedBy_AWSInternal__awsdocs.json", false},
		// Unauthorized API calls.
		{cisUnauth, "unauthorized_AccessDenied__stratus.json", true},
		{cisUnauth, "unauthorized_Client.UnauthorizedOperation__stratus.json", true},
		{cisUnauth, "root_consolelogin_success_mfa_no__awsdocs.json", false},
		{cisAuthFailed, "iamuser_consolelogin_failure__awsdocs.json", true},
		{cisAuthFailed, "root_consolelogin_failure__awsdocs.json", true},
		{cisAuthFailed, "iamuser_consolelogin_success_mfa_no__awsdocs.json", false},
		{cisKMS, "root_consolelogin_success_mfa_no__awsdocs.json", false},
	}
	for _, c := range cases {
		t.Run(c.event+"/"+c.pattern, func(t *testing.T) {
			p, err := Parse(c.pattern)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Match(curated(t, c.event)); got != c.want {
				t.Errorf("Match = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCorpusCounts runs the CIS patterns over the whole corpus and checks
// facts that must hold of every record, comparing against encoding/json.
func TestCorpusCounts(t *testing.T) {
	recs, src := corpusRecords(t)
	root := mustParse(t, cisRoot)
	trail := mustParse(t, cisCloudTrail)
	var nRoot, nTrail int
	for _, r := range recs {
		var ev struct {
			UserIdentity struct {
				Type      string
				InvokedBy *string
			} `json:"userIdentity"`
			EventType string `json:"eventType"`
			EventName string `json:"eventName"`
		}
		if err := json.Unmarshal(r.Msg, &ev); err != nil {
			t.Fatal(err)
		}
		wantRoot := ev.UserIdentity.Type == "Root" && ev.UserIdentity.InvokedBy == nil &&
			ev.EventType != "AwsServiceEvent" &&
			ev.EventType != ""
		if got := root.Match(r.Msg); got != wantRoot {
			t.Errorf("%s: root pattern = %v, want %v", r.File, got, wantRoot)
		}
		switch ev.EventName {
		case "CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging":
			nTrail++
			if !trail.Match(r.Msg) {
				t.Errorf("%s: CloudTrail pattern missed %s", r.File, ev.EventName)
			}
		default:
			if trail.Match(r.Msg) {
				t.Errorf("%s: CloudTrail pattern matched %s", r.File, ev.EventName)
			}
		}
		if wantRoot {
			nRoot++
		}
	}
	t.Logf("%d records from %s: %d root, %d CloudTrail changes", len(recs), src, nRoot, nTrail)
	if nRoot == 0 || nTrail == 0 {
		t.Errorf("corpus should contain root events and CloudTrail changes")
	}
}

// TestCorpusDifferential builds, for every string, number and boolean leaf
// in every corpus record, an equality pattern from the value encoding/json
// decoded, and checks the byte scanner agrees: = matches, != does not.
func TestCorpusDifferential(t *testing.T) {
	recs, _ := corpusRecords(t)
	checked := 0
	for _, r := range recs {
		var v any
		dec := json.NewDecoder(bytes.NewReader(r.Msg))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		walkLeaves(v, "$", func(path string, leaf any) {
			var eq, ne string
			switch x := leaf.(type) {
			case string:
				var b strings.Builder
				quote(&b, x)
				if strings.ContainsAny(x, "*") || len(b.String()) > 900 {
					return
				}
				eq, ne = path+" = "+b.String(), path+" != "+b.String()
			case json.Number:
				eq, ne = path+" = "+string(x), path+" != "+string(x)
			case bool:
				if x {
					eq, ne = path+" IS TRUE", path+" IS FALSE"
				} else {
					eq, ne = path+" IS FALSE", path+" IS TRUE"
				}
			case nil:
				eq, ne = path+" IS NULL", path+" NOT EXISTS"
			default:
				return
			}
			for _, c := range []struct {
				pat  string
				want bool
			}{{"{ " + eq + " }", true}, {"{ " + ne + " }", false}} {
				if len(c.pat) > MaxLength {
					continue
				}
				p, err := Parse(c.pat)
				if err != nil {
					t.Fatalf("%s: %v", c.pat, err)
				}
				checked++
				if got := p.Match(r.Msg); got != c.want {
					t.Errorf("%s: %s = %v, want %v", r.File, c.pat, got, c.want)
				}
			}
		})
	}
	t.Logf("%d generated patterns checked", checked)
}

// walkLeaves calls fn for each leaf reachable by a selector this package can
// express (names of letters, digits, - and _).
func walkLeaves(v any, path string, fn func(string, any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			ok := k != ""
			for i := 0; i < len(k); i++ {
				if !isNameChar(k[i]) {
					ok = false
				}
			}
			if ok {
				walkLeaves(c, path+"."+k, fn)
			}
		}
	case []any:
		if path == "$" {
			return
		}
		for i, c := range x {
			walkLeaves(c, path+"["+itoa(i)+"]", fn)
		}
	default:
		if path != "$" {
			fn(path, x)
		}
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func mustParse(tb testing.TB, s string) *Pattern {
	tb.Helper()
	p, err := Parse(s)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", s, err)
	}
	return p
}

// TestProwlerPatterns: every pattern in Prowler's CloudWatch check tests
// parses, except the ones with unquoted multi-word values, which AWS's
// syntax does not allow ("Strings that consist entirely of alphanumeric
// characters do not need to be quoted").
func TestProwlerPatterns(t *testing.T) {
	data, err := os.ReadFile("testdata/prowler/filter_patterns.json")
	if err != nil {
		t.Fatal(err)
	}
	var pats []string
	if err := json.Unmarshal(data, &pats); err != nil {
		t.Fatal(err)
	}
	if len(pats) == 0 {
		t.Fatal("no patterns")
	}
	for _, s := range pats {
		_, err := Parse(s)
		if strings.Contains(s, "= Failed authentication") {
			if err == nil {
				t.Errorf("Parse(%q) accepted an unquoted value with a space", s)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
}
