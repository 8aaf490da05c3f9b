// Package policytest reads policy documents back as AWS would, for tests. It reads the documents
// rootwatch builds (internal/policy) and the policy inputs its components register. Only _test.go
// files import it.
package policytest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Statement is one statement of a parsed policy. Principal, Action and Resource keep the JSON
// shapes (a string or a list); use List to read them.
type Statement struct {
	Sid       string
	Effect    string
	Principal any
	Action    any
	Resource  any
	Condition map[string]map[string]any
}

// Doc is a parsed policy document.
type Doc struct {
	Version   string
	Statement []Statement
}

// Parse reads a JSON policy and checks its version.
func Parse(t testing.TB, js string) Doc {
	t.Helper()
	var d Doc
	if err := json.Unmarshal([]byte(js), &d); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, js)
	}
	if d.Version != "2012-10-17" {
		t.Errorf("policy Version %q, want 2012-10-17", d.Version)
	}
	return d
}

// List reads a string-or-list JSON value as a list of strings.
func List(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			out[i] = fmt.Sprint(e)
		}
		return out
	}
	return nil
}

// Cond returns the values of condition key under operator op ("" entries: none).
func Cond(s Statement, op, key string) []string { return List(s.Condition[op][key]) }

// Find returns the statements with the given effect whose actions include action and whose
// principal mentions who ("" matches any principal).
func Find(sts []Statement, effect, action, who string) []Statement {
	var out []Statement
	for _, s := range sts {
		if s.Effect == effect && slices.Contains(List(s.Action), action) &&
			strings.Contains(fmt.Sprint(s.Principal), who) {
			out = append(out, s)
		}
	}
	return out
}

// Sid returns the statement with the given Sid, failing the test if there is none.
func Sid(t testing.TB, d Doc, id string) Statement {
	t.Helper()
	for _, s := range d.Statement {
		if s.Sid == id {
			return s
		}
	}
	t.Fatalf("no statement %s in %+v", id, d.Statement)
	return Statement{}
}
