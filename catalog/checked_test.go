package catalog

import (
	"testing"

	"github.com/dlclark/regexp2"
)

// TestCheckedPatterns_ExactlyWhatACheckerAccepts: every pattern CheckedPatterns returns is Security
// Hub's exact text or passes one of Prowler's regexes (current or pre-#11345) for its control, and
// every pattern Patterns has beyond them (rootwatch's own additions) passes neither, so the audit
// never counts a filter no checker would.
func TestCheckedPatterns_ExactlyWhatACheckerAccepts(t *testing.T) {
	var sh struct {
		Patterns map[string]string `json:"patterns"`
	}
	readJSON(t, "testdata/securityhub_patterns.json", &sh)
	prowler := map[string][]*regexp2.Regexp{}
	for _, file := range []string{
		"testdata/prowler_head_regexes.json", "testdata/prowler_pre_11345_literal_regexes.json",
	} {
		var checks map[string]struct {
			Regex string `json:"regex"`
		}
		readJSON(t, file, &checks)
		for name, c := range checks {
			prowler[name] = append(prowler[name], regexp2.MustCompile(c.Regex, regexp2.Singleline))
		}
	}
	accepted := func(c Control, p string) bool {
		if c.SecurityHub != "" && sh.Patterns[c.SecurityHub] == p {
			return true
		}
		for _, re := range prowler[c.Prowler] {
			if m, _ := re.MatchString(p); m {
				return true
			}
		}
		return false
	}
	for _, c := range CIS() {
		checked := map[string]bool{}
		for _, p := range c.CheckedPatterns() {
			checked[p] = true
			if !accepted(c, p) {
				t.Errorf("%s: CheckedPatterns has %q, which neither Security Hub nor Prowler accepts", c.ID, p)
			}
		}
		if !checked[c.Pattern] {
			t.Errorf("%s: CheckedPatterns lacks Pattern", c.ID)
		}
		for _, p := range c.Patterns() {
			if !checked[p] && accepted(c, p) {
				t.Errorf("%s: %q is accepted by a checker but not in CheckedPatterns", c.ID, p)
			}
		}
	}
	if rt, _ := Lookup("route-table-changes"); len(rt.CheckedPatterns()) != 2 {
		t.Errorf("route tables: CheckedPatterns %q, want Security Hub's and Prowler's", rt.CheckedPatterns())
	}
	if ru, _ := Lookup("root-usage"); len(ru.CheckedPatterns()) != 1 || len(ru.Patterns()) != 2 {
		t.Errorf("root usage: CheckedPatterns %q of %q, want only CIS's text", ru.CheckedPatterns(), ru.Patterns())
	}
}
