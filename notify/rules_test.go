package notify_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/eventpattern"
	"github.com/rootwatch/rootwatch/notify"
)

// wrap turns a CloudTrail record into the event EventBridge delivers on the default bus (see
// testdata/PROVENANCE.md for the mapping and its sources).
func wrap(t *testing.T, record []byte) []byte {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal(record, &r); err != nil {
		t.Fatal(err)
	}
	detailType := map[string]string{
		"AwsApiCall":       notify.DetailTypeAPICall,
		"AwsConsoleSignIn": notify.DetailTypeSignIn,
		"AwsServiceEvent":  "AWS Service Event via CloudTrail",
	}[fmt.Sprint(r["eventType"])]
	if detailType == "" {
		t.Fatalf("record of eventType %v", r["eventType"])
	}
	account, _ := r["recipientAccountId"].(string)
	if account == "" {
		account = "111122223333"
	}
	ev := map[string]any{
		"version":     "0",
		"id":          "00000000-0000-0000-0000-000000000000",
		"detail-type": detailType,
		"source":      "aws." + strings.TrimSuffix(fmt.Sprint(r["eventSource"]), ".amazonaws.com"),
		"account":     account,
		"time":        r["eventTime"],
		"region":      r["awsRegion"],
		"resources":   []any{},
		"detail":      r,
	}
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type corpusEvent struct {
	file  string
	event []byte
}

func corpus(t *testing.T) []corpusEvent {
	t.Helper()
	files, err := filepath.Glob("testdata/cloudtrail/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus: %v", err)
	}
	var out []corpusEvent
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, corpusEvent{file: filepath.Base(f), event: wrap(t, b)})
	}
	// The seed's example event (the root ConsoleLogin of the AWS CloudTrail User Guide).
	b, err := os.ReadFile("../alarms/testdata/root_consolelogin_success_mfa_no__awsdocs.json")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, corpusEvent{file: "alarms/testdata/root_consolelogin_success_mfa_no__awsdocs.json", event: wrap(t, b)})
	return out
}

// expected is which home rule (if any) must notify each corpus event.
var expected = map[string]string{
	"root_consolelogin_success_mfa_no__awsdocs.json":                         notify.RuleSignIn,
	"alarms/testdata/root_consolelogin_success_mfa_no__awsdocs.json":         notify.RuleSignIn,
	"root_consolelogin_success_mfa_YES__awsdocs.json":                        notify.RuleSignIn,
	"root_consolelogin_failure__awsdocs.json":                                notify.RuleSignIn,
	"root_ExternalIdPDirectoryLogin_failure_errorMessage__panther_test.json": notify.RuleSignIn,
	"root_passwordupdated__awsdocs.json":                                     notify.RuleSignIn,
	"SYNTHETIC_root_PasswordRecoveryRequested__derived.json":                 notify.RuleSignIn,
	"SYNTHETIC_root_PasswordRecoveryCompleted__derived.json":                 notify.RuleSignIn,
	"root_api_call_PutBucketVersioning__panther_test.json":                   notify.RuleAPICall,
	"root_api_call_cli_CreateAccessKey__panther_scenario.json":               notify.RuleAPICall,
	"root_api_call_readonly_ListAccessKeys__panther_test.json":               notify.RuleAPICall,
	"root_enablemfadevice_apicall__awsdocs.json":                             notify.RuleAPICall,
	"root_mfa_changed_EnableMFADevice__awsdocs.json":                         notify.RuleAPICall,
	"SYNTHETIC_root_api_call_AccessDenied__derived.json":                     notify.RuleAPICall,
	"SYNTHETIC_root_invokedBy_signin__derived.json":                          notify.RuleConsoleAPICall,
	// Not notified:
	"iamuser_consolelogin_failure__awsdocs.json":                        "",
	"iamuser_consolelogin_success_mfa_no__awsdocs.json":                 "",
	"iamuser_consolelogin_success_mfa_no__stratus.json":                 "",
	"iamuser_consolelogin_success_mfa_yes__awsdocs.json":                "",
	"awsserviceevent_kms_rotatekey_invokedBy_AWSInternal__awsdocs.json": "",
	"SYNTHETIC_root_invokedBy_AWSInternal__derived.json":                "",
	"SYNTHETIC_root_with_invokedBy__derived.json":                       "",
	"unauthorized_AccessDenied__stratus.json":                           "",
	"unauthorized_Client.UnauthorizedOperation__stratus.json":           "",
}

func parsed(t *testing.T, pattern string) *eventpattern.Pattern {
	t.Helper()
	p, err := eventpattern.Parse([]byte(pattern))
	if err != nil {
		t.Fatalf("the evaluator refuses pattern %s: %v", pattern, err)
	}
	return p
}

func matches(t *testing.T, p *eventpattern.Pattern, ev []byte) bool {
	t.Helper()
	ok, err := p.Match(ev)
	if err != nil {
		t.Fatal(err)
	}
	return ok
}

// TestRulesMatchRootActivityAndNothingElse: each corpus event is notified by exactly the expected
// rule (root sign-ins with MFA "No" and "YES", failed sign-in, password change and recovery, root
// API calls incl. read-only, failed and MFA-device calls, console calls), and IAM user sign-ins, AWS
// service events, calls made by a service on root's behalf (invokedBy "AWS Internal",
// support.amazonaws.com) and other principals' calls by none.
func TestRulesMatchRootActivityAndNothingElse(t *testing.T) {
	rules := notify.Rules("aws")
	evs := corpus(t)
	if len(evs) != len(expected) {
		t.Errorf("corpus has %d events, expectations cover %d", len(evs), len(expected))
	}
	for _, ev := range evs {
		want, ok := expected[ev.file]
		if !ok {
			t.Errorf("%s: no expectation", ev.file)
			continue
		}
		var got []string
		for _, r := range rules {
			if matches(t, parsed(t, r.Pattern), ev.event) {
				got = append(got, r.ID)
			}
		}
		wantList := []string{}
		if want != "" {
			wantList = []string{want}
		}
		if fmt.Sprint(got) != fmt.Sprint(wantList) {
			t.Errorf("%s: matched by %v, want %v", ev.file, got, wantList)
		}
	}
}

// TestForwardPatternCoversEveryHomeRule: whatever a home rule notifies, the forwarding rules of the
// other regions forward (so an event of any region reaches the home bus).
func TestForwardPatternCoversEveryHomeRule(t *testing.T) {
	fwd := parsed(t, notify.ForwardPattern())
	for _, ev := range corpus(t) {
		for _, r := range notify.Rules("aws") {
			if matches(t, parsed(t, r.Pattern), ev.event) && !matches(t, fwd, ev.event) {
				t.Errorf("%s: notified by %s but not forwarded", ev.file, r.ID)
			}
		}
	}
}

// TestForwardedEventsStillMatch: an event forwarded from another region arrives on the home bus
// with its original region field; the home rules do not look at region, so they match it.
func TestForwardedEventsStillMatch(t *testing.T) {
	b, err := os.ReadFile("testdata/cloudtrail/root_api_call_PutBucketVersioning__panther_test.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	_ = json.Unmarshal(wrap(t, b), &ev)
	for _, region := range []string{"eu-west-1", "ap-southeast-2", "us-east-1"} {
		ev["region"] = region
		raw, _ := json.Marshal(ev)
		if !matches(t, parsed(t, notify.Rules("aws")[1].Pattern), raw) {
			t.Errorf("event from %s not matched", region)
		}
	}
}

// lookup resolves $.a.b.c on an event; ok only for a string, number or boolean.
func lookup(ev []byte, path string) (string, bool) {
	var v any
	_ = json.Unmarshal(ev, &v)
	for _, k := range strings.Split(strings.TrimPrefix(path, "$."), ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		if v, ok = m[k]; !ok {
			return "", false
		}
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64, bool:
		return fmt.Sprint(x), true
	}
	return "", false
}

// render fills a template as EventBridge does (unresolved variables empty, values unescaped).
func render(tmpl string, vars map[string]string) string {
	out := tmpl
	for _, p := range notify.Placeholders(tmpl) {
		out = strings.ReplaceAll(out, "<"+p+">", vars[p])
	}
	return out
}

// TestInputPathsResolveOnTheCorpus: every required variable of a rule resolves on every corpus
// event the rule matches; each optional one resolves on at least one (so none is a typo); the
// template references only declared or predefined variables, uses every declared one, and
// renders, line by line, to JSON strings.
func TestInputPathsResolveOnTheCorpus(t *testing.T) {
	evs := corpus(t)
	// Optional variables must resolve on at least one event some rule notifies (a typo guard).
	seenAny := map[string]bool{}
	for _, r := range notify.Rules("aws") {
		for _, ev := range evs {
			if matches(t, parsed(t, r.Pattern), ev.event) {
				for _, path := range r.InputPaths {
					if _, ok := lookup(ev.event, path); ok {
						seenAny[path] = true
					}
				}
			}
		}
	}
	for _, r := range notify.Rules("aws") {
		if err := r.Check(); err != nil {
			t.Errorf("Check: %v", err)
		}
		t.Run(r.ID, func(t *testing.T) {
			p := parsed(t, r.Pattern)
			optional := map[string]bool{}
			for _, o := range r.OptionalPaths {
				optional[o] = true
			}
			seen := map[string]bool{}
			n := 0
			for _, ev := range evs {
				if !matches(t, p, ev.event) {
					continue
				}
				n++
				vars := map[string]string{"aws.events.rule-name": "rw-" + r.ID}
				for name, path := range r.InputPaths {
					v, ok := lookup(ev.event, path)
					if ok {
						seen[name] = true
						vars[name] = v
					} else if !optional[name] {
						t.Errorf("%s: required %s (%s) does not resolve", ev.file, name, path)
					}
				}
				for i, line := range strings.Split(render(r.Template, vars), "\n") {
					var s string
					if err := json.Unmarshal([]byte(line), &s); err != nil {
						t.Errorf("%s: rendered line %d is not a JSON string: %s", ev.file, i+1, line)
					}
				}
			}
			if n == 0 {
				t.Fatal("no corpus event matches")
			}
			for name := range r.InputPaths {
				if !seen[name] && !(optional[name] && seenAny[r.InputPaths[name]]) {
					t.Errorf("%s (%s) resolves on no corpus event", name, r.InputPaths[name])
				}
			}
			declared := map[string]bool{}
			for k := range r.InputPaths {
				declared[k] = true
			}
			for _, ph := range notify.Placeholders(r.Template) {
				if !declared[ph] && ph != "aws.events.rule-name" {
					t.Errorf("template uses undeclared <%s>", ph)
				}
				delete(declared, ph)
			}
			if len(declared) > 0 {
				t.Errorf("declared but unused: %v", declared)
			}
		})
	}
}

// TestMessageSaysWhoWhereHowAndWithWhatMFA: the rendered sign-in message of the seed's example
// event carries account, region, time, event, outcome, IP, user agent, MFA and the console link.
func TestMessageSaysWhoWhereHowAndWithWhatMFA(t *testing.T) {
	b, _ := os.ReadFile("testdata/cloudtrail/root_consolelogin_success_mfa_YES__awsdocs.json")
	ev := wrap(t, b)
	r := notify.Rules("aws")[0]
	vars := map[string]string{"aws.events.rule-name": "rw-root-signin"}
	for name, path := range r.InputPaths {
		vars[name], _ = lookup(ev, path)
	}
	var text []string
	for _, line := range strings.Split(render(r.Template, vars), "\n") {
		var s string
		_ = json.Unmarshal([]byte(line), &s)
		text = append(text, s)
	}
	msg := strings.Join(text, "\n")
	for _, want := range []string{"ConsoleLogin", vars["account"], "us-east-1", vars["time"], "Success", "MFA used (ConsoleLogin): YES", vars["sourceIP"], vars["userAgent"],
		"https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/" + vars["eventID"]} {
		if want == "" || !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	t.Log("\n" + msg)
}

func TestConsoleLinkPerPartition(t *testing.T) {
	for part, want := range map[string]string{
		"aws": "https://console.aws.amazon.com/", "aws-cn": "https://console.amazonaws.cn/", "aws-us-gov": "https://console.amazonaws-us-gov.com/", "aws-iso": "",
	} {
		got := notify.ConsoleEventURL(part)
		if !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("%s: %q", part, got)
		}
		for _, r := range notify.Rules(part) {
			if want == "" && !strings.Contains(r.Template, "CloudTrail event id: <eventID>") {
				t.Errorf("%s %s: no event id line", part, r.ID)
			}
		}
	}
}

// TestPatternsAreDeterministic: the same bytes every run (no diff on pulumi preview).
func TestPatternsAreDeterministic(t *testing.T) {
	a, b := notify.Rules("aws"), notify.Rules("aws")
	ids := []string{}
	for i := range a {
		if a[i].Pattern != b[i].Pattern || a[i].Template != b[i].Template {
			t.Errorf("%s differs between calls", a[i].ID)
		}
		ids = append(ids, a[i].ID)
	}
	sort.Strings(ids)
	if fmt.Sprint(ids) != "[root-api-call root-console-api-call root-signin]" {
		t.Errorf("rules %v", ids)
	}
}

// TestSignInMatchesBothDetailTypeSpellings: the root sign-in rule and the forwarding rule accept
// the detail type real events carry ("Sign In") and the one EventBridge's guide lists ("Signin").
func TestSignInMatchesBothDetailTypeSpellings(t *testing.T) {
	var signin notify.Rule
	for _, r := range notify.Rules("aws") {
		if r.ID == notify.RuleSignIn {
			signin = r
		}
	}
	for _, dt := range []string{notify.DetailTypeSignIn, notify.DetailTypeSignInGuide} {
		ev := []byte(`{"version":"0","id":"1","detail-type":"` + dt + `","source":"aws.signin","account":"111122223333","time":"2026-01-01T00:00:00Z","region":"us-east-1","resources":[],"detail":{"eventName":"ConsoleLogin","userIdentity":{"type":"Root"},"eventType":"AwsConsoleSignIn"}}`)
		for name, p := range map[string]string{"root-signin": signin.Pattern, "forward": notify.ForwardPattern()} {
			ok, err := eventpattern.MustParse(p).Match(ev)
			if err != nil || !ok {
				t.Errorf("%s does not match detail-type %q: %v", name, dt, err)
			}
		}
	}
}
