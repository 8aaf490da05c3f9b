package notify_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/chatmsg"
	"github.com/rootwatch/rootwatch/internal/eventpattern"
	"github.com/rootwatch/rootwatch/internal/eventrule"
	ctcorpus "github.com/rootwatch/rootwatch/internal/testkit/corpus"
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

// corpus returns the events the rules are proved on: every curated record of the project's one
// CloudTrail corpus, testdata/cloudtrail (see its PROVENANCE.md; one per
// file; among them the seed's example event, the root ConsoleLogin of the AWS CloudTrail User Guide,
// and a member-account call made with a root session), the records derived for these tests under
// testdata/derived, and the ones derived below.
func corpus(t *testing.T) []corpusEvent {
	t.Helper()
	recs, err := ctcorpus.Folder("curated")
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusEvent
	for _, r := range recs {
		out = append(out, corpusEvent{file: path.Base(r.File), event: wrap(t, r.Msg)})
	}
	derived, err := filepath.Glob(filepath.Join("testdata", "derived", "*.json"))
	if err != nil || len(derived) == 0 {
		t.Fatalf("no derived files testdata/derived/*.json: %v", err)
	}
	for _, f := range derived {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, corpusEvent{file: filepath.Base(f), event: wrap(t, b)})
	}
	// Root sessions (sts:AssumeRoot): AWS's AssumeRoot example in the management account (the
	// member-account call made with the session is curated/, read above).
	read := func(rel string) []byte {
		b, err := ctcorpus.ReadFile(rel)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// AWS's AssumeRoot example is abbreviated: it omits eventType, which every recorded API call
	// carries as "AwsApiCall" (and which decides the detail-type EventBridge delivers it under).
	opened := replaceOnce(t, read(sessionOpenedFile), `"eventName": "AssumeRoot",`,
		`"eventName": "AssumeRoot", "eventType": "AwsApiCall",`)
	out = append(out, corpusEvent{file: path.Base(sessionOpenedFile), event: wrap(t, opened)})
	// DERIVED records, built here from the ones above by changing only the named fields:
	// a root API call made with a long-term access key (AWS's documented example key id), and a
	// refused AssumeRoot (no credentials in the response).
	put := read("curated/root_api_call_PutBucketVersioning__panther_test.json")
	out = append(
		out,
		corpusEvent{
			file:  "DERIVED root PutBucketVersioning with an AKIA key",
			event: wrap(t, replaceOnce(t, put, `"accessKeyId": "1"`, `"accessKeyId": "AKIAIOSFODNN7EXAMPLE"`)),
		},
	)
	refused := replaceOnce(
		t,
		opened,
		`"eventName": "AssumeRoot",`,
		`"eventName": "AssumeRoot", "errorCode": "AccessDenied", "errorMessage": "not authorized to perform sts:AssumeRoot",`,
	)
	refused = replaceOnce(t, refused, `"accessKeyId": "ASIAIOSFODNN7EXAMPLE",
            "sessionToken"`, `"sessionToken"`)
	out = append(out, corpusEvent{file: "DERIVED AssumeRoot refused", event: wrap(t, refused)})
	return out
}

var sessionOpenedFile = "awsdocs/iam__assumeroot-privileged-session-opened.json"

// replaceOnce returns b with old replaced by new; old must occur exactly once, so a derived record
// never silently equals its source.
func replaceOnce(t *testing.T, b []byte, old, new string) []byte {
	t.Helper()
	if n := strings.Count(string(b), old); n != 1 {
		t.Fatalf("derive: %q occurs %d times", old, n)
	}
	return []byte(strings.Replace(string(b), old, new, 1))
}

// expected is which home rule (if any) must notify each corpus event.
var expected = map[string]string{
	"root_consolelogin_success_mfa_no__awsdocs.json":                         notify.RuleSignIn,
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
	"SYNTHETIC_root_api_call_AccessDenied__derived.json":                     notify.RuleAPICall,
	"SYNTHETIC_root_invokedBy_signin__derived.json":                          notify.RuleConsoleAPICall,
	"root_session_member_DeleteBucketPolicy__derived.json":                   notify.RuleAPICall,
	"DERIVED root PutBucketVersioning with an AKIA key":                      notify.RuleAccessKeyCall,
	"iam__assumeroot-privileged-session-opened.json":                         notify.RuleSessionOpened,
	"DERIVED AssumeRoot refused":                                             notify.RuleSessionOpened,
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
	b, err := ctcorpus.ReadFile("curated/root_api_call_PutBucketVersioning__panther_test.json")
	if err != nil {
		t.Fatal(err)
	}
	var ev map[string]any
	_ = json.Unmarshal(wrap(t, b), &ev)
	for _, region := range []string{"eu-west-1", "ap-southeast-2", "us-east-1"} {
		ev["region"] = region
		raw, _ := json.Marshal(ev)
		if !matches(t, parsed(t, ruleByID(t, notify.RuleAPICall).Pattern), raw) {
			t.Errorf("event from %s not matched", region)
		}
	}
}

func ruleByID(t *testing.T, id string) notify.Rule {
	t.Helper()
	for _, r := range notify.Rules("aws") {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("no rule %s", id)
	return notify.Rule{}
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
	b, _ := ctcorpus.ReadFile("curated/root_consolelogin_success_mfa_YES__awsdocs.json")
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
	for _, want := range []string{"ConsoleLogin", vars["account"], "us-east-1", vars["time"], "Success",
		"MFA used (ConsoleLogin): YES", vars["sourceIP"], vars["userAgent"],
		"https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/" + vars["eventID"]} {
		if want == "" || !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	t.Log("\n" + msg)
}

func TestConsoleLinkPerPartition(t *testing.T) {
	for part, want := range map[string]string{
		"aws": "https://console.aws.amazon.com/", "aws-cn": "https://console.amazonaws.cn/",
		"aws-us-gov": "https://console.amazonaws-us-gov.com/", "aws-iso": "",
	} {
		got := awsenv.EventConsoleTemplate(part)
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
	if fmt.Sprint(ids) != "[root-access-key-call root-api-call root-console-api-call root-session-opened root-signin]" {
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

// rendered is the message rule r sends for ev, as EventBridge renders it.
func rendered(t *testing.T, r notify.Rule, ev []byte) string {
	t.Helper()
	vars := map[string]string{"aws.events.rule-name": "rw-" + r.ID}
	for name, path := range r.InputPaths {
		vars[name], _ = lookup(ev, path)
	}
	var text []string
	for _, line := range strings.Split(render(r.Template, vars), "\n") {
		var s string
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		text = append(text, s)
	}
	return strings.Join(text, "\n")
}

// TestMessageSaysWhichCredential (issue: root sessions): each root message names the credential
// and carries the access key id: a long-term key (AKIA..., said to be the worst case), a session
// key (ASIA..., console or sts:AssumeRoot, with how to tell them apart), a console sign-in; and the
// AssumeRoot message says who opened which session on which member account with which task policy.
func TestMessageSaysWhichCredential(t *testing.T) {
	byFile := map[string][]byte{}
	for _, ev := range corpus(t) {
		byFile[ev.file] = ev.event
	}
	for _, tc := range []struct {
		rule, file string
		want       []string
	}{
		{notify.RuleAccessKeyCall, "DERIVED root PutBucketVersioning with an AKIA key",
			[]string{"LONG-TERM ROOT ACCESS KEY AKIAIOSFODNN7EXAMPLE", "worst case", "PutBucketVersioning"}},
		{notify.RuleAPICall, "root_session_member_DeleteBucketPolicy__derived.json",
			[]string{"session access key ASIAIOSFODNN7EXAMPLE", "sts:AssumeRoot", "root console sign-in",
				"responseElements.credentials.accessKeyId", "Account 222222222222",
				"always false for sts:AssumeRoot sessions): false"}},
		{notify.RuleConsoleAPICall, "SYNTHETIC_root_invokedBy_signin__derived.json",
			[]string{"console session of a root sign-in"}},
		{notify.RuleSignIn, "root_consolelogin_success_mfa_no__awsdocs.json",
			[]string{"Credential: the root user's password", "sts:AssumeRoot"}},
		{notify.RuleSessionOpened, "iam__assumeroot-privileged-session-opened.json",
			[]string{"ROOT SESSION", "Opened by: arn:aws:sts::111111111111:assumed-role/John/JohnRole1",
				"On member account: 222222222222",
				"Task policy: arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy",
				"Session access key id: ASIAIOSFODNN7EXAMPLE", "region us-west-2"}},
		{notify.RuleSessionOpened, "DERIVED AssumeRoot refused",
			[]string{"ROOT SESSION", "AccessDenied", "On member account: 222222222222"}},
	} {
		t.Run(tc.rule+"/"+tc.file, func(t *testing.T) {
			ev, ok := byFile[tc.file]
			if !ok {
				t.Fatalf("no corpus event %s", tc.file)
			}
			msg := rendered(t, ruleByID(t, tc.rule), ev)
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if tc.rule != notify.RuleAccessKeyCall && strings.Contains(msg, "LONG-TERM") {
				t.Errorf("a message of %s speaks of a long-term key:\n%s", tc.rule, msg)
			}
		})
	}
}

// TestForwardPatternCoversRootSessions: sts:AssumeRoot has no global endpoint, so its events (and
// its sessions' sign-ins) arrive in whichever region's endpoint was used; the forwarding rule of
// every extra region forwards them although their caller is not root, and nothing else that is not
// root.
func TestForwardPatternCoversRootSessions(t *testing.T) {
	fwd := parsed(t, notify.ForwardPattern())
	for _, ev := range corpus(t) {
		var e struct {
			Detail struct {
				EventName    string `json:"eventName"`
				UserIdentity struct {
					Type string `json:"type"`
				} `json:"userIdentity"`
			} `json:"detail"`
		}
		_ = json.Unmarshal(ev.event, &e)
		want := e.Detail.UserIdentity.Type == "Root" || e.Detail.EventName == "AssumeRoot"
		if got := matches(t, fwd, ev.event); got != want {
			t.Errorf("%s: forwarded = %v, want %v", ev.file, got, want)
		}
	}
}

// callerSet are the CloudTrail fields whose text the caller of the recorded call chooses (the user
// agent, an error message, request parameters, the caller's ARN with its IAM path), listed here on
// their own so that a test fails if eventrule's list loses one: a value of theirs with a double quote
// or a backslash would make the chat message invalid JSON, which the chat service drops.
func callerSet(path string) bool {
	return path == "$.detail.userAgent" || path == "$.detail.errorMessage" ||
		strings.HasPrefix(path, "$.detail.requestParameters.") ||
		path == "$.detail.userIdentity.arn"
}

// textOf renders an input template of JSON string lines (Rule.Template) as text.
func textOf(t *testing.T, tmpl string, vars map[string]string) string {
	t.Helper()
	var text []string
	for _, line := range strings.Split(render(tmpl, vars), "\n") {
		var s string
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		text = append(text, s)
	}
	return strings.Join(text, "\n")
}

// TestChatMessagesAreCustomNotifications: for every rule and every corpus event it matches, the
// chat target's input, rendered as EventBridge renders it from the chat transformer's own input
// paths, is a valid Amazon Q Developer in chat applications custom notification (version "1.0",
// source "custom", textType client-markdown, a title) whose title and description say exactly what
// the e-mail text says, except that each caller-controlled value reads eventrule.ChatOmitted: one
// source for both.
func TestChatMessagesAreCustomNotifications(t *testing.T) {
	evs := corpus(t)
	for _, r := range notify.Rules("aws") {
		t.Run(r.ID, func(t *testing.T) {
			chat := r.ChatTransformer()
			if len(chat.Template) > notify.MaxInputTemplate {
				t.Errorf("chat template is %d characters", len(chat.Template))
			}
			p := parsed(t, r.Pattern)
			n := 0
			for _, ev := range evs {
				if !matches(t, p, ev.event) {
					continue
				}
				n++
				vars := map[string]string{"aws.events.rule-name": "rw-" + r.ID}
				for name, path := range chat.InputPaths {
					vars[name], _ = lookup(ev.event, path)
				}
				doc := render(chat.Template, vars)
				msg, ok := chatmsg.Valid([]byte(doc))
				if !ok {
					t.Errorf("%s: not a custom notification:\n%s", ev.file, doc)
					continue
				}
				mail := map[string]string{"aws.events.rule-name": "rw-" + r.ID}
				for name, path := range r.InputPaths {
					mail[name], _ = lookup(ev.event, path)
					if callerSet(path) {
						mail[name] = eventrule.ChatOmitted
					}
				}
				if got, want := msg.Content.Title+"\n"+msg.Content.Description,
					textOf(t, r.Template, mail); got != want {
					t.Errorf("%s: chat text differs from the e-mail text:\n%s\n---\n%s", ev.file, got, want)
				}
				if !strings.HasPrefix(msg.Content.Title, "rootwatch ALERT: ") || strings.Contains(doc, "<") {
					t.Errorf("%s: title %q, or an unfilled placeholder in\n%s", ev.file, msg.Content.Title, doc)
				}
			}
			if n == 0 {
				t.Fatal("no corpus event matches")
			}
		})
	}
}

// evil is a caller's text that breaks a JSON document it is pasted into unescaped; it is also a
// valid IAM user ARN, whose path may hold any ASCII character from ! to DEL.
const evil = `arn:aws:iam::111122223333:user/a"quoted"\ C:\path\/Alice`

// TestChatMessageSurvivesQuotesInCallerFields (issue 23, chat): every rule's chat input, with a
// double quote and backslashes in every caller-controlled field of the event (user agent, error
// message, request parameters) and EventBridge's unescaped filling, is still a valid custom
// notification, and the caller's text is not in it. The e-mail keeps those fields.
func TestChatMessageSurvivesQuotesInCallerFields(t *testing.T) {
	for _, r := range notify.Rules("aws") {
		chat := r.ChatTransformer()
		vars := map[string]string{"aws.events.rule-name": "rw-" + r.ID}
		callers := 0
		for name, path := range r.InputPaths {
			vars[name] = "x"
			if callerSet(path) {
				vars[name] = evil
				callers++
			}
		}
		doc := render(chat.Template, vars)
		if _, ok := chatmsg.Valid([]byte(doc)); !ok || strings.Contains(doc, "quoted") {
			t.Errorf("%s: a quote in a caller's field breaks or reaches the chat message:\n%s", r.ID, doc)
		}
		if callers == 0 {
			t.Errorf("%s: no caller-controlled field to try (the e-mail names the user agent)", r.ID)
		}
		if !strings.Contains(render(r.Template, vars), evil) {
			t.Errorf("%s: the e-mail lost the caller-controlled fields", r.ID)
		}
	}
}

// TestChatTemplateUsesNoCallerControlledVariable: no placeholder of a chat template, and no input
// path of a chat transformer, reads a caller-controlled field, whatever the variable is called; a
// rule that adds one back (say <userAgent>, or a new <reason> at $.detail.errorMessage) fails here.
func TestChatTemplateUsesNoCallerControlledVariable(t *testing.T) {
	for _, r := range notify.Rules("aws") {
		chat := r.ChatTransformer()
		for name, path := range chat.InputPaths {
			if callerSet(path) {
				t.Errorf("%s: chat input path %s = %s is caller-controlled", r.ID, name, path)
			}
		}
		for _, p := range notify.Placeholders(chat.Template) {
			if path, ok := r.InputPaths[p]; ok && callerSet(path) {
				t.Errorf("%s: chat template uses <%s> (%s), which the caller controls", r.ID, p, path)
			}
			if _, ok := chat.InputPaths[p]; !ok && !slices.Contains(notify.PredefinedVariables, p) {
				t.Errorf("%s: chat template uses <%s>, which its transformer does not declare", r.ID, p)
			}
		}
	}
}

// TestREADMEAlertIsRendered: the alert the README shows is the root-signin rule's message, as the
// tests render it for AWS's example root ConsoleLogin event, so the first screen cannot drift from
// what is sent.
func TestREADMEAlertIsRendered(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range corpus(t) {
		if ev.file != "root_consolelogin_success_mfa_YES__awsdocs.json" {
			continue
		}
		for _, r := range notify.Rules("aws") {
			if r.ID != notify.RuleSignIn {
				continue
			}
			msg := strings.ReplaceAll(rendered(t, r, ev.event), "rw-root-signin", "rootwatch-dev-root-signin")
			if !strings.Contains(string(readme), "```\n"+msg+"\n```\n") {
				t.Errorf("README.md does not show the root sign-in message as it is rendered:\n%s", msg)
			}
			return
		}
	}
	t.Fatal("the AWS example root ConsoleLogin event is not in the corpus")
}

// forgedSources are sources a principal with events:PutEvents may give a custom event: anything but
// the reserved "aws." prefix (EventBridge refuses that one), including near misses of it.
var forgedSources = []string{"my.app", "aws", "awsx.signin", "Aws.signin", "aws-signin", "com.example.aws.signin"}

// forge returns ev with its source replaced: the same detail-type and detail as the real event,
// put on a bus with PutEvents.
func forge(t *testing.T, ev []byte, source string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatal(err)
	}
	m["source"] = source
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestForgedRootEventsMatchNoRule (forged root alerts): every corpus event a root-activity rule
// matches, among them AWS's example root ConsoleLogin, sent again as a custom event (the same
// detail-type and detail, a source that is not AWS's), matches no home rule, no central rule, no
// forwarder (ForwardPattern) and not the member template's rule; the real events still match
// (TestRulesMatchRootActivityAndNothingElse says by which rule).
func TestForgedRootEventsMatchNoRule(t *testing.T) {
	tpl := memberTemplate(t)
	member, _ := json.Marshal(tpl["Resources"].(map[string]any)["ForwardRule"].(map[string]any)["Properties"].(map[string]any)["EventPattern"])
	patterns := map[string]string{"forwarder": notify.ForwardPattern(), "member template": string(member)}
	for _, r := range notify.Rules("aws") {
		patterns[r.ID] = r.Pattern
	}
	real := 0
	for _, ev := range corpus(t) {
		var by []string
		for name, p := range patterns {
			if matches(t, parsed(t, p), ev.event) {
				by = append(by, name)
			}
		}
		if len(by) == 0 {
			continue
		}
		real++
		for _, src := range forgedSources {
			for name, p := range patterns {
				if matches(t, parsed(t, p), forge(t, ev.event, src)) {
					t.Errorf("%s with source %q (forged) matches %s", ev.file, src, name)
				}
			}
		}
	}
	if real < len(notify.Rules("aws")) {
		t.Fatalf("only %d corpus events match a rule", real)
	}
}

// TestPartnerEventsMatchNoSignInOrSessionRule (forged root alerts; review finding): a SaaS
// partner's event has a source "aws.partner/<partner>/..." and a detail-type and detail the partner
// writes, so the "aws." prefix alone would admit one dressed as a root sign-in. The sign-in and
// sts:AssumeRoot rules take their service's exact source (aws.signin, aws.sts), so every corpus
// event they match, re-sourced to a partner's, matches neither. (The API-call rules and the
// forwarders take any AWS service's source, partners' included; the central bus's policy refuses
// partner sources, TestOrganizationBusOnlyTheOrganizationsForwardingRoles in internal/policy.)
func TestPartnerEventsMatchNoSignInOrSessionRule(t *testing.T) {
	partners := []string{"aws.partner/example.com/tenant/root", "aws.partner/signin", "aws.signin/partner"}
	n := 0
	for _, r := range notify.Rules("aws") {
		if r.ID != notify.RuleSignIn && r.ID != notify.RuleSessionOpened {
			continue
		}
		p := parsed(t, r.Pattern)
		for _, ev := range corpus(t) {
			if !matches(t, p, ev.event) {
				continue
			}
			n++
			for _, src := range partners {
				if matches(t, p, forge(t, ev.event, src)) {
					t.Errorf("%s: %s with source %q matches", r.ID, ev.file, src)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no corpus event matches the sign-in or session rule")
	}
}
