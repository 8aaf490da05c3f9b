package audit

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/scpeval"
)

// A small evaluator of resource policies (an SNS topic policy, a KMS key policy), enough to say
// whether the CloudWatch and EventBridge service principals may do given actions. It is honest
// about what it does not do:
//   - Conditions are not evaluated: an Allow with a condition counts as allowing, and the detail
//     names it ("under conditions not evaluated"); a Deny with a condition makes the result a
//     WARN, except a Deny whose only condition is Bool aws:SecureTransport "false", which AWS
//     services never meet (they call over TLS; the deny rootwatch puts on its topics).
//   - Resource is not compared: every statement is taken to be about the resource the policy is
//     attached to.
//   - NotPrincipal, NotAction and NotResource statements are not evaluated; when the answer would
//     depend on one, the result is a WARN naming it.
//   - Only the policy is read: IAM, grants, SCPs and RCPs are not.
// Principals "*" and {"AWS": "*"} name everyone, service principals included.

type policyDoc struct {
	Statement oneOrList[policyStatement]
}

type policyStatement struct {
	Sid          string
	Effect       string
	Principal    json.RawMessage
	NotPrincipal json.RawMessage
	Action       oneOrList[string]
	NotAction    oneOrList[string]
	NotResource  oneOrList[string]
	Condition    map[string]map[string]oneOrList[string]
}

// oneOrList reads a JSON value that is either one element or a list of them.
type oneOrList[T any] []T

func (o *oneOrList[T]) UnmarshalJSON(b []byte) error {
	var xs []T
	if err := json.Unmarshal(b, &xs); err == nil {
		*o = xs
		return nil
	}
	var x T
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*o = []T{x}
	return nil
}

// names says whether the statement's Principal names service svc (or everyone).
func (s policyStatement) names(svc string) bool {
	var everyone string
	if json.Unmarshal(s.Principal, &everyone) == nil {
		return everyone == "*"
	}
	var p struct {
		AWS     oneOrList[string]
		Service oneOrList[string]
	}
	if json.Unmarshal(s.Principal, &p) != nil {
		return false
	}
	for _, a := range p.AWS {
		if a == "*" {
			return true
		}
	}
	for _, x := range p.Service {
		if strings.EqualFold(x, svc) {
			return true
		}
	}
	return false
}

// covers says whether the statement's Action covers action (IAM wildcards * and ?, any case).
func (s policyStatement) covers(action string) bool {
	for _, a := range s.Action {
		if scpeval.ActionMatches(a, action) {
			return true
		}
	}
	return false
}

// onlyInsecureTransport says whether a condition is exactly Bool aws:SecureTransport "false".
func onlyInsecureTransport(c map[string]map[string]oneOrList[string]) bool {
	if len(c) != 1 || len(c["Bool"]) != 1 {
		return false
	}
	for k, v := range c["Bool"] {
		return strings.EqualFold(k, "aws:SecureTransport") && len(v) == 1 && strings.EqualFold(v[0], "false")
	}
	return false
}

func sidOf(s policyStatement, i int) string {
	if s.Sid != "" {
		return s.Sid
	}
	return fmt.Sprintf("#%d", i+1)
}

// judgePolicy says whether the policy document lets every publisher do every one of actions. what
// names the policy in the detail ("the topic policy").
func judgePolicy(doc string, actions []string, what string) (Status, string) {
	if strings.TrimSpace(doc) == "" {
		return Fail, what + " is empty: it allows nothing to " + strings.Join(publishers, " or ")
	}
	var d policyDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return Fail, what + " is not a JSON policy document: " + err.Error()
	}
	status := Pass
	var problems, conditional, unevaluated []string
	for _, svc := range publishers {
		for _, action := range actions {
			allowed, denied := false, false
			for i, s := range d.Statement {
				if len(s.NotPrincipal) > 0 || len(s.NotAction) > 0 || len(s.NotResource) > 0 {
					if !slices.Contains(unevaluated, sidOf(s, i)) {
						unevaluated = append(unevaluated, sidOf(s, i))
					}
					continue
				}
				if !s.names(svc) || !s.covers(action) {
					continue
				}
				switch {
				case strings.EqualFold(s.Effect, "Allow"):
					allowed = true
					if len(s.Condition) > 0 && !slices.Contains(conditional, sidOf(s, i)) {
						conditional = append(conditional, sidOf(s, i))
					}
				case strings.EqualFold(s.Effect, "Deny") && len(s.Condition) == 0:
					denied = true
					problems = append(problems, fmt.Sprintf("statement %s denies %s to %s", sidOf(s, i), action, svc))
				case strings.EqualFold(s.Effect, "Deny") && !onlyInsecureTransport(s.Condition):
					status = worst(status, Warn)
					problems = append(problems, fmt.Sprintf("statement %s may deny %s to %s (its conditions "+
						"are not evaluated)", sidOf(s, i), action, svc))
				}
			}
			switch {
			case denied:
				status = Fail
			case !allowed && len(unevaluated) > 0:
				status = worst(status, Warn)
				problems = append(problems, fmt.Sprintf("no statement the audit evaluates allows %s to %s "+
					"(statements %s use NotPrincipal, NotAction or NotResource and are not evaluated)",
					action, svc, strings.Join(unevaluated, ", ")))
			case !allowed:
				status = Fail
				problems = append(problems, fmt.Sprintf("does not allow %s to %s", action, svc))
			}
		}
	}
	var b strings.Builder
	if len(problems) > 0 {
		b.WriteString(what + ": " + strings.Join(problems, ", "))
	} else {
		b.WriteString(what + " allows " + strings.Join(actions, " and ") + " to " + strings.Join(publishers, " and "))
	}
	if len(conditional) > 0 && status != Fail {
		b.WriteString(" (under the conditions of statements " + strings.Join(conditional, ", ") + ", not evaluated)")
	}
	return status, b.String()
}
