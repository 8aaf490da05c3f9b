package catalog

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/filterpattern"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// The corpus proof: every pattern of the catalogue against every real CloudTrail record of the
// project's one CloudTrail corpus, testdata/cloudtrail at the repository root (AWS CloudTrail User
// Guide examples, Panther rule tests and scenario, Stratus Red Team detonation logs, the curated
// sign-in events; see its PROVENANCE.md), compared with a reviewed expected result per (control,
// record) in testdata/cloudtrail/expected_matches.json. The tests read only the repository: the CI
// clone has no shared corpus.

var corpusDir = corpus.Dir()

// corpusEvent is one CloudTrail record of the corpus, compacted to one line as CloudTrail delivers
// it to CloudWatch Logs.
type corpusEvent struct {
	key  string // path under corpusDir (slash-separated) + "#" + index in the file
	name string // subtest name: the source file, or panther/<rule>/<test name>
	msg  []byte

	// Panther rule tests only.
	rule           string // rule file name without .json
	pantherTest    string
	pantherVerdict bool
}

func (e corpusEvent) source() string {
	file, idx, _ := strings.Cut(e.key, "#")
	s := fmt.Sprintf("%s/%s record %s", corpusDir, file, idx)
	if e.rule != "" {
		s += fmt.Sprintf(" (Panther test %q)", e.pantherTest)
	}
	return s
}

// loadCorpus reads every record under the corpus (internal/testkit/corpus.Load).
func loadCorpus(t *testing.T) []corpusEvent {
	t.Helper()
	recs, err := corpus.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]corpusEvent, 0, len(recs))
	for _, r := range recs {
		ev := corpusEvent{key: r.Key(), name: r.Key(), msg: r.Msg}
		if p := r.Panther; p != nil {
			ev.name = "panther/" + p.Rule + "/" + p.Name
			ev.rule, ev.pantherTest, ev.pantherVerdict = p.Rule, p.Name, p.Expected
		}
		out = append(out, ev)
	}
	return out
}

// compiledControl is a control with its patterns parsed once.
type compiledControl struct {
	Control
	patterns []*filterpattern.Pattern
}

// match reports whether any of the control's patterns matches: all of them feed one metric and one
// alarm.
func (c compiledControl) match(msg []byte) bool {
	for _, p := range c.patterns {
		if p.Match(msg) {
			return true
		}
	}
	return false
}

func compileCatalog(t *testing.T) []compiledControl {
	t.Helper()
	var out []compiledControl
	for _, c := range All() {
		cc := compiledControl{Control: c}
		for _, s := range c.Patterns() {
			p, err := filterpattern.Parse(s)
			if err != nil {
				t.Fatalf("%s: Parse(%q): %v", c.ID, s, err)
			}
			cc.patterns = append(cc.patterns, p)
		}
		out = append(out, cc)
	}
	return out
}

// expectedEntry is one reviewed record of expected_matches.json.
type expectedEntry struct {
	Label       string   `json:"label"`
	PantherTest string   `json:"panther_test"`
	Match       []string `json:"match"`
	Why         string   `json:"why"`
}

func loadExpected(t *testing.T) map[string]expectedEntry {
	t.Helper()
	var doc struct {
		Events map[string]expectedEntry `json:"events"`
	}
	readJSON(t, filepath.Join(corpusDir, "expected_matches.json"), &doc)
	if len(doc.Events) == 0 {
		t.Fatal("expected_matches.json has no events")
	}
	return doc.Events
}

// TestCorpus_EveryControlAgainstEveryEvent evaluates every control of the catalogue on every record
// of the corpus and compares with the reviewed expectations. Every record must have an entry and
// every entry a record, so the data stays reviewed as the corpus changes.
func TestCorpus_EveryControlAgainstEveryEvent(t *testing.T) {
	events := loadCorpus(t)
	controls := compileCatalog(t)
	expected := loadExpected(t)

	ids := map[string]bool{}
	for _, c := range controls {
		ids[c.ID] = true
	}
	seen := map[string]bool{}
	matches := 0
	for _, ev := range events {
		seen[ev.key] = true
		want, ok := expected[ev.key]
		if !ok {
			t.Errorf(
				"%s: no entry %q in expected_matches.json: review the record and add its expected controls",
				ev.source(),
				ev.key,
			)
			continue
		}
		if ev.rule != "" && want.PantherTest != ev.pantherTest {
			t.Errorf("%s: expected_matches.json entry %q names Panther test %q", ev.source(), ev.key, want.PantherTest)
		}
		if !slices.IsSorted(want.Match) || len(slices.Compact(slices.Clone(want.Match))) != len(want.Match) {
			t.Errorf(
				"%s: expected_matches.json entry %q: match list %v is not sorted and unique",
				ev.source(),
				ev.key,
				want.Match,
			)
		}
		for _, id := range want.Match {
			if !ids[id] {
				t.Errorf("%s: expected_matches.json entry %q names unknown control %q", ev.source(), ev.key, id)
			}
		}
		t.Run(ev.name, func(t *testing.T) {
			for _, c := range controls {
				got := c.match(ev.msg)
				if got {
					matches++
				}
				if exp := slices.Contains(want.Match, c.ID); got != exp {
					t.Errorf("%s [%s]: control %s: filter matches = %v, expected %v (patterns %q)\n  why: %s",
						ev.source(), want.Label, c.ID, got, exp, c.Patterns(), want.Why)
				}
			}
		})
	}
	var stale []string
	for key := range expected {
		if !seen[key] {
			stale = append(stale, key)
		}
	}
	slices.Sort(stale)
	for _, key := range stale {
		t.Errorf(
			"expected_matches.json entry %q has no record under %s: remove it or restore the record",
			key,
			corpusDir,
		)
	}
	t.Logf("%d records x %d controls: %d (control, record) matches", len(events), len(controls), matches)
}

// pantherRuleControl maps each Panther rule of the corpus to the catalogue control that implements
// the same CIS recommendation or, for Panther's root access key and root password rules, the
// rootwatch extra that watches the same event; "" for rules with no counterpart.
var pantherRuleControl = map[string]string{
	"aws_console_root_login":                  "root-usage",
	"aws_root_activity":                       "root-usage",
	"aws_root_access_key_created":             "root-access-key-created", // extra, off by default
	"aws_root_password_changed":               "root-password-change",    // extra, off by default
	"aws_console_login_without_mfa":           "console-signin-without-mfa",
	"aws_console_root_login_failed":           "console-auth-failures", // Panther tags it CIS 3.6
	"aws_unauthorized_api_call":               "unauthorized-api-calls",
	"aws_iam_policy_modified":                 "iam-policy-changes",
	"aws_cloudtrail_created":                  "cloudtrail-changes",
	"aws_cloudtrail_stopped":                  "cloudtrail-changes",
	"aws_cloudtrail_event_selectors_disabled": "cloudtrail-changes", // PutEventSelectors: not in CIS 5.5's list
	"aws_kms_cmk_loss":                        "kms-key-disable-or-deletion",
	"aws_s3_bucket_policy_modified":           "s3-bucket-policy-changes",
	"aws_config_service_created":              "config-changes",
	"aws_config_service_disabled_deleted":     "config-changes",
	"aws_ec2_security_group_modified":         "security-group-changes",
	"aws_ec2_network_acl_modified":            "nacl-changes",
	"aws_ec2_gateway_modified":                "network-gateway-changes",
	"aws_ec2_route_table_modified":            "route-table-changes",
	"aws_ec2_vpc_modified":                    "vpc-changes",
	"aws_security_configuration_change":       "", // a mix of CloudTrail, Config, GuardDuty, EBS, flow-log events
}

// pantherDivergence is one documented difference between Panther's verdict and the CIS filter's.
type pantherDivergence struct {
	Event   string `json:"event"`
	Rule    string `json:"rule"`
	Test    string `json:"test"`
	Control string `json:"control"`
	Panther bool   `json:"panther"`
	CIS     bool   `json:"cis"`
	Reason  string `json:"reason"`
}

// TestCorpus_PantherVerdicts compares, for each Panther rule test whose rule has a catalogue
// counterpart, the CIS filter's verdict with Panther's expected_result. Panther's rules are not the
// CIS filters, so they may differ, but only as documented in panther_divergences.json: an
// undocumented divergence fails, and so does a documented one that no longer occurs.
func TestCorpus_PantherVerdicts(t *testing.T) {
	events := loadCorpus(t)
	controls := map[string]compiledControl{}
	for _, c := range compileCatalog(t) {
		controls[c.ID] = c
	}
	var doc struct {
		Divergences []pantherDivergence `json:"divergences"`
	}
	readJSON(t, filepath.Join(corpusDir, "panther_divergences.json"), &doc)
	documented := map[string]pantherDivergence{}
	for _, d := range doc.Divergences {
		if _, dup := documented[d.Event]; dup {
			t.Errorf("panther_divergences.json: %s listed twice", d.Event)
		}
		if strings.TrimSpace(d.Reason) == "" {
			t.Errorf("panther_divergences.json: %s has no reason", d.Event)
		}
		documented[d.Event] = d
	}
	for id := range pantherRuleControl {
		if c := pantherRuleControl[id]; c != "" {
			if _, ok := controls[c]; !ok {
				t.Errorf("pantherRuleControl[%q] = %q: no such control", id, c)
			}
		}
	}

	compared, agreed := 0, 0
	occurred := map[string]bool{}
	for _, ev := range events {
		if ev.rule == "" {
			continue
		}
		id, known := pantherRuleControl[ev.rule]
		if !known {
			t.Errorf(
				"%s: Panther rule %s is not in pantherRuleControl: map it to a control or to \"\"",
				ev.source(),
				ev.rule,
			)
			continue
		}
		if id == "" {
			if d, ok := documented[ev.key]; ok {
				t.Errorf("%s: divergence documented for unmapped rule %s (%+v)", ev.source(), ev.rule, d)
				occurred[ev.key] = true
			}
			continue
		}
		compared++
		cis := controls[id].match(ev.msg)
		d, isDocumented := documented[ev.key]
		switch {
		case cis == ev.pantherVerdict:
			agreed++
			if isDocumented {
				t.Errorf("%s: control %s and Panther now agree (%v), but panther_divergences.json still lists a "+
					"divergence (%q): remove it",
					ev.source(), id, cis, d.Reason)
				occurred[ev.key] = true
			}
		case !isDocumented:
			t.Errorf("%s: undocumented divergence: control %s (CIS filter) matches = %v, Panther rule %s expects %v; "+
				"explain it in panther_divergences.json",
				ev.source(), id, cis, ev.rule, ev.pantherVerdict)
		default:
			occurred[ev.key] = true
			if d.Rule != ev.rule || d.Test != ev.pantherTest || d.Control != id || d.Panther != ev.pantherVerdict ||
				d.CIS != cis {
				t.Errorf("%s: panther_divergences.json entry %+v does not describe the divergence (rule %s, test %q, "+
					"control %s, Panther %v, CIS %v)",
					ev.source(), d, ev.rule, ev.pantherTest, id, ev.pantherVerdict, cis)
			}
		}
	}
	for key, d := range documented {
		if !occurred[key] {
			t.Errorf(
				"panther_divergences.json lists %s (%s / %q), which is not a Panther test of a mapped rule in %s",
				key,
				d.Rule,
				d.Test,
				corpusDir,
			)
		}
	}
	if compared == 0 {
		t.Fatal("no Panther rule test compared")
	}
	t.Logf("%d Panther rule tests compared: %d agree, %d documented divergences", compared, agreed, compared-agreed)
}

// corpusRecord returns the compacted record with the given key.
func corpusRecord(t *testing.T, events []corpusEvent, key string) []byte {
	t.Helper()
	for _, ev := range events {
		if ev.key == key {
			return ev.msg
		}
	}
	t.Fatalf("no record %s under %s", key, corpusDir)
	return nil
}

// TestCorpus_SeedRootConsoleLogin: the seed event, AWS's root console sign-in without MFA, fires
// root-usage. It does not fire console-signin-without-mfa: that filter (Security Hub's CloudWatch.3
// text) also requires userIdentity.type = "IAMUser", so root sign-ins are left to root-usage.
//
// AWS's root sign-in WITH MFA example writes "MFAUsed": "YES" in upper case. Matching is
// case-sensitive, so MFAUsed != "Yes" holds for it; it still does not fire
// console-signin-without-mfa, because of the IAMUser condition, and it fires root-usage like any
// root sign-in. The same record with the type changed to IAMUser (derived here, not a real event)
// would fire console-signin-without-mfa: "YES" is not "Yes".
func TestCorpus_SeedRootConsoleLogin(t *testing.T) {
	events := loadCorpus(t)
	controls := map[string]compiledControl{}
	for _, c := range compileCatalog(t) {
		controls[c.ID] = c
	}
	check := func(what string, msg []byte, id string, want bool) {
		t.Helper()
		if got := controls[id].match(msg); got != want {
			t.Errorf("%s: control %s matches = %v, want %v", what, id, got, want)
		}
	}

	for _, key := range []string{"curated/root_consolelogin_success_mfa_no__awsdocs.json#0"} {
		seed := corpusRecord(t, events, key)
		if !bytes.Contains(seed, []byte(`"MFAUsed":"No"`)) || !bytes.Contains(seed, []byte(`"type":"Root"`)) {
			t.Fatalf("%s is not the root sign-in without MFA", key)
		}
		check(key, seed, "root-usage", true)
		check(key, seed, "console-signin-without-mfa", false)
		check(key, seed, "console-auth-failures", false)
	}

	for _, key := range []string{"curated/root_consolelogin_success_mfa_YES__awsdocs.json#0"} {
		yes := corpusRecord(t, events, key)
		if !bytes.Contains(yes, []byte(`"MFAUsed":"YES"`)) || bytes.Count(yes, []byte(`"type":"Root"`)) != 1 {
			t.Fatalf("%s is not AWS's root sign-in with MFAUsed \"YES\"", key)
		}
		check(key, yes, "root-usage", true)
		check(key, yes, "console-signin-without-mfa", false)
		asIAMUser := bytes.Replace(yes, []byte(`"type":"Root"`), []byte(`"type":"IAMUser"`), 1)
		check(key+" with userIdentity.type IAMUser (derived)", asIAMUser, "console-signin-without-mfa", true)
		check(key+" with userIdentity.type IAMUser (derived)", asIAMUser, "root-usage", false)
	}
}
