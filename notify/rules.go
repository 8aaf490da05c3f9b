package notify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Rule is one EventBridge rule on the home region's default bus: what it matches and the message
// it sends to the topic.
type Rule struct {
	// ID names the rule in resource names, outputs and the rule's own name (with NamePrefix).
	ID string
	// Description is the rule's description.
	Description string
	// Pattern is the event pattern (JSON).
	Pattern string
	// AllManagementEvents: the rule must be in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS,
	// or EventBridge never matches read-only calls (Get*, List*, Describe*) against it.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
	AllManagementEvents bool
	// InputPaths are the input transformer's variables (name to JSONPath). Every one resolves on
	// every event the rule matches, except those listed in OptionalPaths.
	InputPaths map[string]string
	// OptionalPaths are variables absent from some matching events (e.g. errorCode on a call that
	// succeeded). EventBridge documents that such a variable "isn't created and won't appear in the
	// output", so the template words the line so that an empty value still reads correctly.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues
	OptionalPaths []string
	// Template is the input template: one JSON string per line, the form the GuardDuty User Guide
	// uses for readable e-mail from an input transformer to an SNS topic.
	// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
	Template string
}

// Detail types of CloudTrail events on the default event bus. Real sign-in events, AWS's sample
// events and most published patterns spell it "AWS Console Sign In via CloudTrail", while the
// EventBridge guide's list says "AWS Console Signin via CloudTrail"; the rules accept both, so
// neither spelling can silently miss a root sign-in.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
const (
	DetailTypeSignIn      = "AWS Console Sign In via CloudTrail"
	DetailTypeSignInGuide = "AWS Console Signin via CloudTrail"
	DetailTypeAPICall     = "AWS API Call via CloudTrail"
)

// Rule ids.
const (
	RuleSignIn         = "root-signin"
	RuleAPICall        = "root-api-call"
	RuleConsoleAPICall = "root-console-api-call"
)

// pattern marshals a pattern deterministically (maps sort their keys).
func pattern(v map[string]any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSpace(b.String())
}

type obj = map[string]any
type arr = []any

// rootAPICall is the CIS root-usage filter as an event pattern: userIdentity.type Root, eventType
// not AwsServiceEvent, and invokedBy as given. (EventBridge delivers AWS service events with their
// own detail-type, "AWS Service Event via CloudTrail", so the eventType clause is redundant under
// this detail-type; it is kept so the pattern reads as the CIS filter does.)
func rootAPICall(invokedBy any) string {
	return pattern(obj{
		"detail-type": arr{DetailTypeAPICall},
		"detail": obj{
			"userIdentity": obj{"type": arr{"Root"}, "invokedBy": arr{invokedBy}},
			"eventType":    arr{obj{"anything-but": "AwsServiceEvent"}},
		},
	})
}

var (
	commonPaths = map[string]string{
		"account":   "$.account",
		"region":    "$.region",
		"time":      "$.time",
		"eventName": "$.detail.eventName",
		"eventID":   "$.detail.eventID",
		"sourceIP":  "$.detail.sourceIPAddress",
		"userAgent": "$.detail.userAgent",
	}
	signInPaths = map[string]string{
		"loginResult":  "$.detail.responseElements.ConsoleLogin",
		"errorMessage": "$.detail.errorMessage",
		"mfaUsed":      "$.detail.additionalEventData.MFAUsed",
	}
	eventSourcePath = map[string]string{"eventSource": "$.detail.eventSource"}
	apiPaths        = map[string]string{
		"errorCode":        "$.detail.errorCode",
		"mfaAuthenticated": "$.detail.userIdentity.sessionContext.attributes.mfaAuthenticated",
	}
)

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// ConsoleEventURL is the CloudTrail console's event-history link for an event, with the region
// and event id left as the template variables <region> and <eventID>, for partition; "" for the
// partitions whose console domain rootwatch does not know (the isolated ones), where the message
// then carries the event id alone.
func ConsoleEventURL(partition string) string {
	const path = "/cloudtrail/home?region=<region>#/events/<eventID>"
	switch partition {
	case "aws":
		return "https://console.aws.amazon.com" + path
	case "aws-cn":
		return "https://console.amazonaws.cn" + path
	case "aws-us-gov":
		return "https://console.amazonaws-us-gov.com" + path
	}
	return ""
}

func lines(ls ...string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		// Without HTML escaping: json.Marshal would write "<" as \u003c and EventBridge would
		// no longer see the <variable> placeholders.
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(l) // a string cannot fail
		q[i] = strings.TrimSpace(b.String())
	}
	return strings.Join(q, "\n")
}

func eventLine(partition string) string {
	if u := ConsoleEventURL(partition); u != "" {
		return "Event in CloudTrail event history: " + u
	}
	return "CloudTrail event id: <eventID> (event history of region <region>)"
}

const respond = "If nobody planned this, treat it as a security incident: change the root password, check the root MFA device and access keys, and review what else the root user did. Sent by EventBridge rule <aws.events.rule-name>."

// Rules returns the home-region rules for partition (which decides the console link).
func Rules(partition string) []Rule {
	where := "Account <account>, region <region>, at <time> (UTC)."
	return []Rule{
		{
			ID:          RuleSignIn,
			Description: "rootwatch: root user console sign-in events (success and failure, password recovery and change)",
			Pattern: pattern(obj{
				"detail-type": arr{DetailTypeSignIn, DetailTypeSignInGuide},
				"detail":      obj{"userIdentity": obj{"type": arr{"Root"}}},
			}),
			InputPaths:    merge(commonPaths, signInPaths),
			OptionalPaths: keys(signInPaths),
			Template: lines(
				"rootwatch ALERT: AWS account root user sign-in event <eventName>.",
				where,
				"Outcome (ConsoleLogin): <loginResult> <errorMessage>",
				"MFA used (ConsoleLogin): <mfaUsed>",
				"Source IP: <sourceIP>",
				"User agent: <userAgent>",
				eventLine(partition),
				respond,
			),
		},
		{
			ID:                  RuleAPICall,
			Description:         "rootwatch: root user API calls (CIS root usage: invokedBy absent, not an AWS service event)",
			Pattern:             rootAPICall(obj{"exists": false}),
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, apiPaths, eventSourcePath),
			OptionalPaths:       keys(apiPaths),
			Template:            apiTemplate("API call", where, partition),
		},
		{
			ID:                  RuleConsoleAPICall,
			Description:         "rootwatch: root user API calls made through the console (invokedBy signin.amazonaws.com)",
			Pattern:             rootAPICall("signin.amazonaws.com"),
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, apiPaths, eventSourcePath),
			OptionalPaths:       keys(apiPaths),
			Template:            apiTemplate("console action", where, partition),
		},
	}
}

func apiTemplate(what, where, partition string) string {
	return lines(
		"rootwatch ALERT: AWS account root user "+what+" <eventName> on <eventSource>.",
		where,
		"Error code (empty when the call succeeded): <errorCode>",
		"MFA-authenticated session (empty for access-key calls): <mfaAuthenticated>",
		"Source IP: <sourceIP>",
		"User agent: <userAgent>",
		eventLine(partition),
		respond,
	)
}

// ForwardPattern is the pattern of the rule in each extra region that forwards root activity to
// the home region's default bus: a superset of every home rule's pattern (the home rules do the
// precise filtering), so one rule per region suffices.
func ForwardPattern() string {
	return pattern(obj{
		"detail-type": arr{DetailTypeSignIn, DetailTypeSignInGuide, DetailTypeAPICall},
		"detail":      obj{"userIdentity": obj{"type": arr{"Root"}}},
	})
}

// PredefinedVariables are the input template variables EventBridge provides without a path.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-predefined
var PredefinedVariables = []string{"aws.events.rule-arn", "aws.events.rule-name", "aws.events.event.ingestion-time", "aws.events.event", "aws.events.event.json"}

var placeholderRe = regexp.MustCompile(`<([A-Za-z0-9_.\-]+)>`)

// Placeholders returns the variables a template references, in order of first use.
func Placeholders(template string) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range placeholderRe.FindAllStringSubmatch(template, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

// Check verifies a rule's transformer: at most 100 variables, none reserved or starting with
// "AWS", every template placeholder declared or predefined, every declared variable used, and
// every template line a JSON string.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
func (r Rule) Check() error {
	var problems []string
	if len(r.InputPaths) > 100 {
		problems = append(problems, fmt.Sprintf("%d input paths, at most 100", len(r.InputPaths)))
	}
	used := map[string]bool{}
	for _, p := range Placeholders(r.Template) {
		used[p] = true
		if _, ok := r.InputPaths[p]; !ok && !contains(PredefinedVariables, p) {
			problems = append(problems, fmt.Sprintf("template uses <%s>, which is not declared", p))
		}
	}
	for _, k := range keys(r.InputPaths) {
		if contains(PredefinedVariables, k) || strings.HasPrefix(strings.ToUpper(k), "AWS") {
			problems = append(problems, fmt.Sprintf("variable %q is reserved", k))
		}
		if !used[k] {
			problems = append(problems, fmt.Sprintf("variable %q is declared but unused", k))
		}
		if !strings.HasPrefix(r.InputPaths[k], "$.") {
			problems = append(problems, fmt.Sprintf("variable %q: path %q is not $.dot.notation", k, r.InputPaths[k]))
		}
	}
	for _, o := range r.OptionalPaths {
		if _, ok := r.InputPaths[o]; !ok {
			problems = append(problems, fmt.Sprintf("optional variable %q is not declared", o))
		}
	}
	if strings.Contains(r.Template, `\u003c`) || strings.Contains(r.Template, `\u003e`) {
		problems = append(problems, `template escapes "<" or ">", which hides its placeholders from EventBridge`)
	}
	for i, l := range strings.Split(r.Template, "\n") {
		var s string
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			problems = append(problems, fmt.Sprintf("template line %d is not a JSON string: %v", i+1, err))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("notify: rule %s: %s", r.ID, strings.Join(problems, "; "))
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
