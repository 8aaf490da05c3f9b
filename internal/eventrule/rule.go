package eventrule

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/chatmsg"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Rule is one EventBridge rule that tells people: what it matches and the message its input
// transformer sends to the topic.
type Rule struct {
	// ID names the rule in resource names, outputs and the rule's own name (after a name prefix).
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

// State is the rule's state: ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS with
// AllManagementEvents, ENABLED otherwise.
func (r Rule) State() string {
	if r.AllManagementEvents {
		return "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
	}
	return "ENABLED"
}

// Transformer is the input transformer of the rule's topic target (InputPaths, Template).
func (r Rule) Transformer() *Transformer {
	return &Transformer{InputPaths: r.InputPaths, Template: r.Template}
}

// ChatTransformer is the input transformer of the rule's chat target: ChatTemplate, and the input
// paths it uses (InputPaths without the caller-controlled ones, which ChatTemplate leaves out).
func (r Rule) ChatTransformer() *Transformer {
	paths := map[string]string{}
	for k, v := range r.InputPaths {
		if !CallerControlled(v) {
			paths[k] = v
		}
	}
	return &Transformer{InputPaths: paths, Template: r.ChatTemplate()}
}

// CallerControlledPaths are the CloudTrail record fields whose text the caller of the recorded
// call chooses, rather than AWS (CloudTrail's record contents): userAgent (whatever agent string
// the SDK, CLI or browser sent), errorMessage (a service's description of the error, which may
// repeat values of the request), everything under requestParameters (the parameters sent with
// the request, recorded for refused calls too), and userIdentity.arn: an IAM user's ARN holds the
// user's path, and a path "can contain any ASCII character from the ! (\u0021) through the DEL
// character (\u007F)", quotes and backslashes included, so the caller of a refused sts:AssumeRoot
// could break its own chat message (CreateUser's Path). Paths under a prefix ending in "." are
// matched as prefixes. The other fields rootwatch's messages use are AWS's own: ids, error codes,
// timestamps, regions, account ids, the source IP address (or the AWS service's name), the
// sign-in result, MFA flags, access key ids.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html (Path)
var CallerControlledPaths = []string{
	"$.detail.userAgent",
	"$.detail.errorMessage",
	"$.detail.requestParameters.",
	"$.detail.userIdentity.arn",
}

// CallerControlled says whether the JSONPath path reads a caller-controlled field
// (CallerControlledPaths).
func CallerControlled(path string) bool {
	for _, c := range CallerControlledPaths {
		if path == c || strings.HasSuffix(c, ".") && strings.HasPrefix(path, c) {
			return true
		}
	}
	return false
}

// ChatOmitted stands, in the chat message, for a value ChatTemplate leaves out.
const ChatOmitted = "(in the e-mail: text set by the caller)"

// Text is the message of the template as text, one line per template line, with its
// placeholders (<eventName>) unfilled.
func (r Rule) Text() string {
	ls := strings.Split(r.Template, "\n")
	out := make([]string, len(ls))
	for i, l := range ls {
		if err := json.Unmarshal([]byte(l), &out[i]); err != nil {
			out[i] = l // Check reports it
		}
	}
	return strings.Join(out, "\n")
}

// ChatTemplate is the input template of the rule's chat target: the same message as Template,
// as an Amazon Q Developer in chat applications custom notification (its first line the title,
// the rest the description), since Chatbot does not render plain text from SNS. EventBridge fills
// the placeholders inside the JSON strings. It does not escape the values it inserts, so a value
// holding a double quote or a backslash would make the document invalid and Chatbot would drop the
// message: every placeholder of a caller-controlled variable (CallerControlled: the user agent, an
// error message, request parameters) is replaced by ChatOmitted, so that no caller can silence the
// chat alert of their own call. The e-mail (Template) keeps them, and the chat message links to the
// event.
// https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-issues
func (r Rule) ChatTemplate() string {
	text := placeholderRe.ReplaceAllStringFunc(r.Text(), func(p string) string {
		if path, ok := r.InputPaths[p[1:len(p)-1]]; ok && CallerControlled(path) {
			return ChatOmitted
		}
		return p
	})
	return chatmsg.FromText(text, "rootwatch", r.ID).JSON()
}

// MaxInputTemplate is the longest input template EventBridge accepts.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html
const MaxInputTemplate = 8192

// PredefinedVariables are the input template variables EventBridge provides without a path.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html#eb-transform-input-predefined
var PredefinedVariables = []string{
	"aws.events.rule-arn",
	"aws.events.rule-name",
	"aws.events.event.ingestion-time",
	"aws.events.event",
	"aws.events.event.json",
}

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
	var es validate.Errors
	if len(r.InputPaths) > 100 {
		es.Addf("%d input paths, at most 100", len(r.InputPaths))
	}
	used := map[string]bool{}
	for _, p := range Placeholders(r.Template) {
		used[p] = true
		if _, ok := r.InputPaths[p]; !ok && !slices.Contains(PredefinedVariables, p) {
			es.Addf("template uses <%s>, which is not declared", p)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(r.InputPaths)) {
		if slices.Contains(PredefinedVariables, k) || strings.HasPrefix(strings.ToUpper(k), "AWS") {
			es.Addf("variable %q is reserved", k)
		}
		if !used[k] {
			es.Addf("variable %q is declared but unused", k)
		}
		if !strings.HasPrefix(r.InputPaths[k], "$.") {
			es.Addf("variable %q: path %q is not $.dot.notation", k, r.InputPaths[k])
		}
	}
	for _, o := range r.OptionalPaths {
		if _, ok := r.InputPaths[o]; !ok {
			es.Addf("optional variable %q is not declared", o)
		}
	}
	if strings.Contains(r.Template, `\u003c`) || strings.Contains(r.Template, `\u003e`) {
		es.Addf(`template escapes "<" or ">", which hides its placeholders from EventBridge`)
	}
	for i, l := range strings.Split(r.Template, "\n") {
		var s string
		if err := json.Unmarshal([]byte(l), &s); err != nil {
			es.Addf("template line %d is not a JSON string: %v", i+1, err)
		}
	}
	for name, t := range map[string]string{"template": r.Template, "chat template": r.ChatTemplate()} {
		if len(t) > MaxInputTemplate {
			es.Addf("%s is %d characters, at most %d", name, len(t), MaxInputTemplate)
		}
	}
	if _, ok := chatmsg.Valid([]byte(placeholderRe.ReplaceAllString(r.ChatTemplate(), "x"))); !ok {
		es.Addf("chat template is not a custom notification")
	}
	return es.Inline("rule " + r.ID)
}

// JSON marshals v deterministically (maps sort their keys) and without HTML escaping: "<"
// written as \u003c would hide the <variable> placeholders from EventBridge. It is how rules write
// their patterns.
func JSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return strings.TrimSpace(b.String())
}

// Lines is an input template of one JSON string per line, the form the GuardDuty User Guide uses
// for readable e-mail from an input transformer to an SNS topic (Rule.Template).
// https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings_eventbridge.html
func Lines(ls ...string) string {
	q := make([]string, len(ls))
	for i, l := range ls {
		q[i] = JSON(l)
	}
	return strings.Join(q, "\n")
}
