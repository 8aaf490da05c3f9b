package catalog

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"

	"github.com/rootwatch/rootwatch/filterpattern"
)

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestFifteenCISMonitoringControls: CIS() is CIS v7.0 5.1-5.15, once each, with unique ids and
// metric names, none of them an extra, and only root usage is required.
func TestFifteenCISMonitoringControls(t *testing.T) {
	all := CIS()
	if len(all) != 15 {
		t.Fatalf("%d CIS controls, want 15", len(all))
	}
	seen := map[string]bool{}
	idRe := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for i, c := range all {
		want := "5." + strconv.Itoa(i+1)
		if c.CISv7_0 != want || c.CISv3_0 != "4."+strconv.Itoa(i+1) || c.CISv1_4 != "4."+strconv.Itoa(i+1) {
			t.Errorf("%s: CIS numbers %s/%s/%s, want %s and 4.%d", c.ID, c.CISv7_0, c.CISv3_0, c.CISv1_4, want, i+1)
		}
		for _, k := range []string{
			"id:" + c.ID, "metric:" + c.MetricName, "prowler:" + c.Prowler, "sh:" + c.SecurityHub,
		} {
			if k != "sh:" && seen[k] {
				t.Errorf("duplicate %s", k)
			}
			seen[k] = true
		}
		if !idRe.MatchString(c.ID) || c.Title == "" || c.MetricName == "" || c.Prowler == "" || c.Description == "" {
			t.Errorf("incomplete control %+v", c)
		}
		if c.Required != (c.ID == "root-usage") {
			t.Errorf("%s: Required=%v; only root usage (CIS 5.3, CloudWatch.1) is always on", c.ID, c.Required)
		}
		if c.Extra {
			t.Errorf("%s: a CIS control marked Extra", c.ID)
		}
	}
	if c, _ := Lookup("root-usage"); c.CISv7_0 != "5.3" || c.SecurityHub != "CloudWatch.1" {
		t.Errorf("root usage is %s/%s, want CIS 5.3 and CloudWatch.1", c.CISv7_0, c.SecurityHub)
	}
}

// TestSecurityHub_CloudWatch1to14_ExactPatterns: Security Hub fails CloudWatch.1-14 unless the
// metric filter is exactly the text in its remediation; Pattern must be that text byte for byte.
func TestSecurityHub_CloudWatch1to14_ExactPatterns(t *testing.T) {
	var sh struct {
		Patterns map[string]string `json:"patterns"`
	}
	readJSON(t, "testdata/securityhub_patterns.json", &sh)
	if len(sh.Patterns) != 14 {
		t.Fatalf("%d Security Hub patterns in testdata, want 14", len(sh.Patterns))
	}
	covered := map[string]bool{}
	for _, c := range All() {
		if c.SecurityHub == "" {
			continue
		}
		covered[c.SecurityHub] = true
		if want, ok := sh.Patterns[c.SecurityHub]; !ok || c.Pattern != want {
			t.Errorf("%s (%s):\n got  %s\n want %s", c.ID, c.SecurityHub, c.Pattern, want)
		}
	}
	for id := range sh.Patterns {
		if !covered[id] {
			t.Errorf("no control carries %s", id)
		}
	}
}

// TestProwlerRegexes applies every Prowler regex, current and pre-#11345, to the control it
// checks, the way Prowler does: re.search(regex, pattern, re.DOTALL) on each metric filter.
func TestProwlerRegexes(t *testing.T) {
	for _, file := range []string{
		"testdata/prowler_head_regexes.json", "testdata/prowler_pre_11345_literal_regexes.json",
	} {
		var checks map[string]struct {
			Regex string `json:"regex"`
		}
		readJSON(t, file, &checks)
		if len(checks) != 15 {
			t.Fatalf("%s: %d checks, want 15", file, len(checks))
		}
		for name, chk := range checks {
			var ctl *Control
			for _, c := range All() {
				if c.Prowler == name {
					c := c
					ctl = &c
				}
			}
			if ctl == nil {
				t.Errorf("%s: no control for Prowler check %s", file, name)
				continue
			}
			re := regexp2.MustCompile(chk.Regex, regexp2.Singleline)
			ok := false
			for _, p := range ctl.Patterns() {
				if m, _ := re.MatchString(p); m {
					ok = true
				}
			}
			if !ok {
				t.Errorf("%s: Prowler %s rejects every pattern of %s", file, name, ctl.ID)
			}
		}
	}
}

// TestRouteTables_SecurityHubAndProwlerBothPass: CloudWatch.13 wants the text without eventSource,
// Prowler wants eventSource = ec2.amazonaws.com; the control ships one filter for each, and the
// two count the same EC2 events.
func TestRouteTables_SecurityHubAndProwlerBothPass(t *testing.T) {
	c, _ := Lookup("CloudWatch.13")
	if len(c.ExtraPatterns) != 1 || !strings.Contains(c.ExtraPatterns[0], "$.eventSource = ec2.amazonaws.com") ||
		strings.Contains(c.Pattern, "eventSource") {
		t.Fatalf("route tables: Pattern %q, ExtraPatterns %q", c.Pattern, c.ExtraPatterns)
	}
	sh := mustParse(t, c.Pattern)
	cis := mustParse(t, c.ExtraPatterns[0])
	for _, name := range routeTableEvents {
		ev := []byte(`{"eventSource":"ec2.amazonaws.com","eventName":"` + name + `"}`)
		if !sh.Match(ev) || !cis.Match(ev) {
			t.Errorf("%s: Security Hub filter %v, CIS filter %v; both must count it", name, sh.Match(ev), cis.Match(ev))
		}
	}
	other := []byte(`{"eventSource":"ec2.amazonaws.com","eventName":"CreateTags"}`)
	if sh.Match(other) || cis.Match(other) {
		t.Error("route-table filters count CreateTags")
	}
}

// TestOrganizations_UnionOfCISAndProwler: the pattern lists every name CIS v1.4 4.15 lists (18) and
// every name Prowler requires (21), and nothing else.
func TestOrganizations_UnionOfCISAndProwler(t *testing.T) {
	cis := []string{
		"AcceptHandshake",
		"AttachPolicy",
		"CreateAccount",
		"CreateOrganizationalUnit",
		"CreatePolicy",
		"DeclineHandshake",
		"DeleteOrganization",
		"DeleteOrganizationalUnit",
		"DeletePolicy",
		"DetachPolicy",
		"DisablePolicyType",
		"EnablePolicyType",
		"InviteAccountToOrganization",
		"LeaveOrganization",
		"MoveAccount",
		"RemoveAccountFromOrganization",
		"UpdatePolicy",
		"UpdateOrganizationalUnit",
	}
	var prowler map[string]struct {
		Kind string `json:"kind"`
	}
	readJSON(t, "testdata/prowler_head_regexes.json", &prowler)
	kind := prowler["cloudwatch_log_metric_filter_aws_organizations_changes"].Kind
	c, _ := Lookup("organizations-changes")
	p := mustParse(t, c.Pattern)
	got := regexp.MustCompile(`\$\.eventName = "(\w+)"`).FindAllStringSubmatch(c.Pattern, -1)
	if len(got) != 21 {
		t.Errorf("%d event names, want 21", len(got))
	}
	names := map[string]bool{}
	for _, m := range got {
		names[m[1]] = true
	}
	for _, n := range cis {
		if !names[n] {
			t.Errorf("CIS's %s missing", n)
		}
	}
	for n := range names {
		if !strings.Contains(kind, `"`+n+`"`) {
			t.Errorf("%s is not in Prowler's list", n)
		}
		if !p.Match([]byte(`{"eventSource":"organizations.amazonaws.com","eventName":"` + n + `"}`)) {
			t.Errorf("pattern does not count %s", n)
		}
	}
	if p.Match([]byte(`{"eventSource":"iam.amazonaws.com","eventName":"CreatePolicy"}`)) {
		t.Error("IAM CreatePolicy counted as an Organizations change")
	}
}

func mustParse(t *testing.T, s string) *filterpattern.Pattern {
	t.Helper()
	p, err := filterpattern.Parse(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return p
}

// TestPatternsParseWithinLimits: CloudWatch Logs rejects patterns over 1024 characters and the
// alarm description (runbook prefix + Description) must stay under 1024.
func TestPatternsParseWithinLimits(t *testing.T) {
	for _, c := range All() {
		for _, p := range c.Patterns() {
			if len(p) > filterpattern.MaxLength {
				t.Errorf("%s: pattern is %d characters", c.ID, len(p))
			}
			mustParse(t, p)
		}
		if len(c.Description) > 900 {
			t.Errorf(
				"%s: description is %d characters, keep it under 900 so the runbook fits 1024",
				c.ID,
				len(c.Description),
			)
		}
		if len(c.MetricName) > 200 || strings.ContainsAny(c.MetricName, ":*$ ") {
			t.Errorf("%s: metric name %q", c.ID, c.MetricName)
		}
	}
}

// TestRootUsage_CaseAndServiceEvents: the root filter counts the AWS docs' root sign-ins (MFAUsed
// "No" and "YES") and ignores service events and calls made by an AWS service for root.
func TestRootUsage_CaseAndServiceEvents(t *testing.T) {
	c, _ := Lookup("5.3")
	p := mustParse(t, c.Pattern)
	cases := map[string]bool{
		`{"userIdentity":{"type":"Root"},"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"No"},"eventType":"AwsConsoleSignIn"}`:  true,
		`{"userIdentity":{"type":"Root"},"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"YES"},"eventType":"AwsConsoleSignIn"}`: true,
		`{"userIdentity":{"type":"Root","invokedBy":"AWS Internal"},"eventType":"AwsApiCall"}`:                                               false,
		`{"userIdentity":{"type":"Root"},"eventType":"AwsServiceEvent"}`:                                                                     false,
		`{"userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"}`:                                                                       false,
		`{"userIdentity":{"type":"root"},"eventType":"AwsApiCall"}`:                                                                          false,
	}
	for ev, want := range cases {
		if got := p.Match([]byte(ev)); got != want {
			t.Errorf("%s: match %v, want %v", ev, got, want)
		}
	}
}

// TestSelect: nil, [] and ["all"] select the 15 CIS controls and root-session-opened, the one extra
// on by default, and no other extra (deployments made before the extras existed grow by that one
// control only); ["none"] root usage alone; ids in catalogue order, root usage added, duplicates
// once.
func TestSelect(t *testing.T) {
	for _, sel := range [][]string{nil, {}, {"all"}, {"ALL"}} {
		cs, err := Select(sel)
		if err != nil || len(cs) != 16 {
			t.Errorf("Select(%q) = %d controls, %v", sel, len(cs), err)
		}
		for _, c := range cs {
			if c.Extra && c.ID != RootSessionOpened {
				t.Errorf("Select(%q) includes the off-by-default extra %s", sel, c.ID)
			}
		}
		if len(cs) > 0 && cs[len(cs)-1].ID != RootSessionOpened {
			t.Errorf("Select(%q) lacks %s", sel, RootSessionOpened)
		}
	}
	cs, err := Select([]string{"none"})
	if err != nil || len(cs) != 1 || cs[0].ID != "root-usage" {
		t.Errorf("Select(none) = %v, %v", cs, err)
	}
	cs, err = Select([]string{"CloudWatch.13", "5.1", "vpc-changes", "vpc-changes"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ids(cs), ","); got != "unauthorized-api-calls,root-usage,route-table-changes,vpc-changes" {
		t.Errorf("selection %v: want CIS order, root usage added, duplicates once", got)
	}
	_, err = Select([]string{"root-usage", "cis-9.9", "CloudWatch.99"})
	if err == nil || err.Error() != "catalog: unknown controls \"cis-9.9\", \"CloudWatch.99\"; run `rootwatch "+
		"controls` for the list" {
		t.Errorf("unknown ids: %v", err)
	}
	if a := Allowed(); !strings.Contains(a, "organizations-changes") || !strings.Contains(a, "root-mfa-removed") ||
		!strings.Contains(a, `"extras"`) ||
		!strings.Contains(a, "cis-1.4:4.3") {
		t.Errorf("Allowed() = %s", a)
	}
}

// TestLookupForms: every form the README's controls table shows names the control: the id, the
// CIS v7.0 number, the v3.0, v1.4 and v1.2 numbers with their version, the Security Hub id; a bare
// older number is v7.0's (4.3 is a networking control there, not root usage).
func TestLookupForms(t *testing.T) {
	for key, want := range map[string]string{
		"root-usage": "root-usage", "ROOT-USAGE": "root-usage", "5.3": "root-usage", "CloudWatch.1": "root-usage",
		"cloudwatch.1": "root-usage", "cis-7.0:5.3": "root-usage", "cis-3.0:4.3": "root-usage",
		"CIS-1.4:4.3": "root-usage",
		"cis-1.2:3.3": "root-usage", " cis-1.4:4.15 ": "organizations-changes", "4.3": "", "cis-1.4:5.3": "",
		"cis-1.2:3.15": "", "cis-9.9:4.3": "", "cis-1.4": "", "cis-1.4:": "", "cis-:4.3": "", "5.99": "",
		RootSessionOpened: RootSessionOpened,
	} {
		c, ok := Lookup(key)
		if ok != (want != "") || c.ID != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", key, c.ID, ok, want)
		}
	}
	for _, c := range CIS() {
		for _, v := range CISVersions {
			if n := c.CISNumber(v); n != "" {
				if got, ok := Lookup("cis-" + v + ":" + n); !ok || got.ID != c.ID {
					t.Errorf("cis-%s:%s = %q, want %s", v, n, got.ID, c.ID)
				}
			}
		}
	}
}

// TestSelect_ExtrasOnlyWhenNamed: an extra is selected by its id (with root usage, which is always
// on), or all of them by "extras"; "all" plus "extras" is the whole catalogue, in catalogue order.
func TestSelect_ExtrasOnlyWhenNamed(t *testing.T) {
	for _, tc := range []struct {
		sel  []string
		want string
	}{
		{[]string{"root-mfa-removed"}, "root-usage,root-mfa-removed"},
		{[]string{"none", "ROOT-PASSWORD-CHANGE"}, "root-usage,root-password-change"},
		{[]string{"root-access-key-created", "5.1"}, "unauthorized-api-calls,root-usage,root-access-key-created"},
		{[]string{"extras"}, "root-usage,root-session-opened,root-access-key-created,root-password-change,root-mfa-removed"},
		{[]string{" Extras ", "root-mfa-removed"}, "root-usage,root-session-opened,root-access-key-created,root-password-change,root-mfa-removed"},
		{[]string{"extras", "all"}, strings.Join(IDs(), ",")},
		{[]string{"all", "root-mfa-removed"}, strings.Join(append(ids(CIS()), "root-session-opened", "root-mfa-removed"), ",")},
		{[]string{"none", "root-session-opened"}, "root-usage,root-session-opened"},
	} {
		cs, err := Select(tc.sel)
		if err != nil {
			t.Errorf("Select(%q): %v", tc.sel, err)
			continue
		}
		if got := strings.Join(ids(cs), ","); got != tc.want {
			t.Errorf("Select(%q) = %s, want %s", tc.sel, got, tc.want)
		}
	}
	if len(IDs()) != 19 {
		t.Errorf("IDs() has %d ids, want the 15 CIS controls and 4 extras", len(IDs()))
	}
}

// TestExtras_OffByDefaultWithoutCISIdentity: the extras are root-session-opened (the only one on by
// default) and the three root-posture entries, after
// the CIS controls in All(), marked Extra, with no CIS number, Security Hub control or Prowler check
// (so no checker mistakes them for a CIS control), not required, found by id only, and with ids and
// metric names unique across the whole catalogue.
func TestExtras_OffByDefaultWithoutCISIdentity(t *testing.T) {
	ex := Extras()
	if got := strings.Join(ids(ex), ","); got != "root-session-opened,root-access-key-created,root-password-change,root-mfa-removed" {
		t.Fatalf("extras %s", got)
	}
	for _, c := range ex {
		if c.OnByDefault != (c.ID == RootSessionOpened) {
			t.Errorf("%s: OnByDefault = %v", c.ID, c.OnByDefault)
		}
	}
	all := All()
	if len(all) != len(CIS())+len(ex) ||
		strings.Join(ids(all), ",") != strings.Join(append(ids(CIS()), ids(ex)...), ",") {
		t.Errorf("All() is not CIS() followed by Extras(): %v", ids(all))
	}
	seen := map[string]bool{}
	for _, c := range all {
		for _, k := range []string{"id:" + c.ID, "metric:" + c.MetricName} {
			if seen[k] {
				t.Errorf("duplicate %s", k)
			}
			seen[k] = true
		}
	}
	for _, c := range ex {
		if !c.Extra || c.Required || c.CISv7_0 != "" || c.CISv1_4 != "" || c.CISv3_0 != "" || c.CISv1_2 != "" ||
			c.SecurityHub != "" ||
			c.Prowler != "" {
			t.Errorf(
				"%s: Extra=%v Required=%v CIS %q/%q/%q/%q Security Hub %q Prowler %q",
				c.ID,
				c.Extra,
				c.Required,
				c.CISv7_0,
				c.CISv1_4,
				c.CISv3_0,
				c.CISv1_2,
				c.SecurityHub,
				c.Prowler,
			)
		}
		if c.Title == "" || c.MetricName == "" || c.Description == "" || len(c.ExtraPatterns) != 0 {
			t.Errorf("incomplete extra %+v", c)
		}
		if got, ok := Lookup(strings.ToUpper(c.ID)); !ok || got.ID != c.ID {
			t.Errorf("Lookup(%q) = %v, %v", c.ID, got.ID, ok)
		}
	}
	for _, k := range []string{"", " ", "5.16", "CloudWatch.15"} {
		if c, ok := Lookup(k); ok {
			t.Errorf("Lookup(%q) found %s; an extra's empty CIS number or Security Hub id must not match", k, c.ID)
		}
	}
}

func TestAllReturnsACopy(t *testing.T) {
	a := All()
	a[12].ExtraPatterns[0] = "x"
	a[0].Pattern = "x"
	if b := All(); b[12].ExtraPatterns[0] == "x" || b[0].Pattern == "x" {
		t.Error("All() shares memory with the catalogue")
	}
	c, e := CIS(), Extras()
	c[12].ExtraPatterns[0] = "x"
	e[0].Pattern = "x"
	if b := All(); b[12].ExtraPatterns[0] == "x" || b[15].Pattern == "x" {
		t.Error("CIS() or Extras() shares memory with the catalogue")
	}
}

func TestMarkdownTable(t *testing.T) {
	md := MarkdownTable()
	if n := strings.Count(md, "\n"); n != 21 {
		t.Errorf("%d lines, want header, rule, 15 CIS rows and 4 extras", n)
	}
	lines := strings.Split(strings.TrimSpace(md), "\n")
	for i, line := range lines[2:] {
		want := ""
		switch {
		case i == 15:
			want = "(rootwatch, on by default)"
		case i > 15:
			want = "(extra, off by default)"
		}
		for _, label := range []string{"(rootwatch, on by default)", "(extra, off by default)"} {
			if has := strings.Contains(line, label) && strings.Contains(line, "not CIS"); has != (label == want) {
				t.Errorf("row %d labelled %q = %v: %s", i+1, label, has, line)
			}
		}
	}
	if !strings.Contains(md, `\|\|`) || strings.Contains(md, ") || (") {
		t.Error("pipes in patterns are not escaped for markdown")
	}
}
