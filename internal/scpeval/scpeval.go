// Package scpeval says whether service control policies' Deny statements deny a root user request.
//
// It is small and honest: it evaluates Deny statements only (an SCP's Allow statements, and the
// implicit deny of an action no Allow grants, are not modelled), Resource "*" only, and the
// condition operators and keys listed in Operators and Keys. Anything else makes a statement
// undetermined, and an undetermined statement is an error unless another statement denies the
// request: the evaluator never answers "not denied" for a policy it could not read.
//
// Semantics follow the IAM policy language: statements are OR'ed; a statement's condition
// operators and keys are AND'ed; a condition's values are OR'ed, or NOR'ed for a negated operator
// (StringNotEquals, StringNotLike, ArnNotLike, ...); a key absent from the request makes a
// condition false, except that a negated operator is then true, ...IfExists is true, and Null tests
// presence; ForAllValues: is true on an absent key and ForAnyValue: false.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html
package scpeval

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Request is the request context of one call, as far as the supported keys go.
type Request struct {
	Action       string // service:Action, e.g. "iam:CreateAccessKey"
	PrincipalARN string // aws:PrincipalArn, e.g. "arn:aws:iam::444455556666:root"
	Account      string // aws:PrincipalAccount
	// OrgPaths is aws:PrincipalOrgPaths, e.g. ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"]; nil means
	// the key is absent.
	OrgPaths []string
	// AssumedRoot puts aws:AssumedRoot "true" in the context, as an sts:AssumeRoot session's
	// requests carry it; false leaves the key out, as every other request does.
	AssumedRoot bool
	Time        time.Time // aws:CurrentTime
}

// Keys are the condition keys the evaluator knows (case-insensitive, as IAM's are), and whether
// each is multivalued.
var Keys = map[string]bool{
	"aws:principalarn":      false,
	"aws:principalaccount":  false,
	"aws:principalorgid":    false,
	"aws:principalorgpaths": true,
	"aws:assumedroot":       false,
	"aws:currenttime":       false,
}

// values returns the request's values of key, whether it is present, and whether the key is known.
func (r Request) values(key string) (vals []string, present, known bool) {
	switch strings.ToLower(key) {
	case "aws:principalarn":
		return []string{r.PrincipalARN}, r.PrincipalARN != "", true
	case "aws:principalaccount":
		return []string{r.Account}, r.Account != "", true
	case "aws:principalorgid":
		if len(r.OrgPaths) == 0 {
			return nil, false, true
		}
		org, _, _ := strings.Cut(r.OrgPaths[0], "/")
		return []string{org}, true, true
	case "aws:principalorgpaths":
		return r.OrgPaths, len(r.OrgPaths) > 0, true
	case "aws:assumedroot":
		if r.AssumedRoot {
			return []string{"true"}, true, true
		}
		return nil, false, true
	case "aws:currenttime":
		return []string{r.Time.UTC().Format(time.RFC3339)}, !r.Time.IsZero(), true
	}
	return nil, false, false
}

// Decision is the outcome of evaluating policies on a request.
type Decision struct {
	// Denied is true when a Deny statement applies; Policy and Sid name the first that does
	// (Sid is "" for a statement without one; Statement is its index in the policy).
	Denied    bool
	Policy    string
	Sid       string
	Statement int
}

func (d Decision) String() string {
	if !d.Denied {
		return "not denied by any Deny statement"
	}
	sid := d.Sid
	if sid == "" {
		sid = fmt.Sprintf("statement %d", d.Statement)
	}
	return fmt.Sprintf("denied by %s of %s", sid, d.Policy)
}

// Policy is one SCP to evaluate: its name (for the decision and errors) and its JSON content.
type Policy struct {
	Name    string
	Content string
}

// Evaluate evaluates the Deny statements of every policy on r. A statement that denies decides;
// otherwise an unreadable policy or a statement it could not evaluate is an error naming it.
func Evaluate(r Request, policies ...Policy) (Decision, error) {
	var errs []error
	for _, p := range policies {
		sts, err := parse(p.Content)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", p.Name, err))
			continue
		}
		for i, s := range sts {
			denies, err := s.denies(r)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s statement %d%s: %w", p.Name, i, sidNote(s.Sid), err))
				continue
			}
			if denies {
				return Decision{Denied: true, Policy: p.Name, Sid: s.Sid, Statement: i}, nil
			}
		}
	}
	if len(errs) > 0 {
		return Decision{}, fmt.Errorf("scpeval: cannot tell whether %s by %s is denied: %w",
			r.Action, r.PrincipalARN, errors.Join(errs...))
	}
	return Decision{}, nil
}

// EvaluateJSON evaluates one policy's content.
func EvaluateJSON(content string, r Request) (Decision, error) {
	return Evaluate(r, Policy{Name: "the policy", Content: content})
}

func sidNote(sid string) string {
	if sid == "" {
		return ""
	}
	return " (" + sid + ")"
}

// statement is one parsed statement; lists hold the one-or-many JSON forms.
type statement struct {
	Sid         string
	Effect      string
	Action      []string
	NotAction   []string
	Resource    []string
	NotResource []string
	Principal   bool
	Condition   map[string]map[string][]string
}

// denies says whether s, a Deny statement, applies to r. Allow statements never deny.
func (s statement) denies(r Request) (bool, error) {
	switch s.Effect {
	case "Allow":
		return false, nil
	case "Deny":
	default:
		return false, fmt.Errorf("its Effect %q is neither Allow nor Deny", s.Effect)
	}
	if s.Principal {
		return false, errors.New("names a Principal or NotPrincipal, which SCPs do not support")
	}
	if len(s.NotResource) > 0 {
		return false, errors.New("NotResource is not evaluated")
	}
	for _, res := range s.Resource {
		if res != "*" {
			return false, fmt.Errorf("its Resource %q is not evaluated (only \"*\")", res)
		}
	}
	if len(s.Resource) == 0 {
		return false, errors.New("has no Resource")
	}
	if !s.actionApplies(r.Action) {
		return false, nil
	}
	return conditionsHold(s.Condition, r)
}

// ActionMatches says whether an IAM action pattern (with * and ? wildcards, as in a policy's Action)
// covers action; action names are case-insensitive.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
func ActionMatches(pattern, action string) bool {
	return glob(strings.ToLower(pattern), strings.ToLower(action))
}

func (s statement) actionApplies(action string) bool {
	match := func(patterns []string) bool {
		for _, p := range patterns {
			if ActionMatches(p, action) {
				return true
			}
		}
		return false
	}
	if len(s.NotAction) > 0 {
		return !match(s.NotAction)
	}
	return match(s.Action)
}
