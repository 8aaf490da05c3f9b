package notify

import (
	"maps"
	"slices"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/eventrule"
)

// Rule is one EventBridge rule on the home region's default bus: what it matches and the message
// it sends to the topic. The type, its checks (Check) and its chat form (ChatTemplate) are
// internal/eventrule's, shared with package posture.
type Rule = eventrule.Rule

// MaxInputTemplate is the longest input template EventBridge accepts.
const MaxInputTemplate = eventrule.MaxInputTemplate

// PredefinedVariables are the input template variables EventBridge provides without a path.
var PredefinedVariables = eventrule.PredefinedVariables

// Placeholders returns the variables a template references, in order of first use.
func Placeholders(template string) []string { return eventrule.Placeholders(template) }

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
	RuleSignIn = "root-signin"
	// RuleAccessKeyCall and RuleAPICall split the CIS root-usage calls by credential:
	// userIdentity.accessKeyId AKIA... (a long-term root access key) and everything else (a session
	// key ASIA..., or none), so each message can say which credential was used.
	RuleAccessKeyCall  = "root-access-key-call"
	RuleAPICall        = "root-api-call"
	RuleConsoleAPICall = "root-console-api-call"
	// RuleSessionOpened is an sts:AssumeRoot call in this account (catalog.RootSessionOpened).
	RuleSessionOpened = "root-session-opened"
)

// LongTermKeyPrefix starts the id of a long-term access key; temporary credentials start with
// ASIA. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
const LongTermKeyPrefix = "AKIA"

// pattern marshals a pattern deterministically (maps sort their keys).
func pattern(v map[string]any) string { return eventrule.JSON(v) }

type obj = map[string]any
type arr = []any

// AWSSourcePrefix starts the source of every event an AWS service delivers (CloudTrail's
// "aws.signin", "aws.iam", "aws.sts", ...). EventBridge reserves it: "All events that come from AWS
// services begin with "aws." Customer-generated events can have any value here, as long as it
// doesn't begin with "aws."". Anyone allowed events:PutEvents on a bus (any principal of the
// account with that permission on its default bus; the member accounts' forwarding roles on the
// central bus) can put an event with any detail-type and detail, e.g. a copy of a root sign-in, but
// not with this source; so every root-activity rule, and the forwarders, require it, and only
// events CloudTrail delivered can raise a root alert.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
// https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html
const AWSSourcePrefix = "aws."

// awsSource is the pattern's source clause of the rules that match calls to any AWS service: only
// events of AWS services. The prefix also admits SaaS partners' events (source
// "aws.partner/<partner>/..."), whose detail-type and detail the partner writes; they arrive on a
// partner event bus only, so reaching these rules takes a rule routing that bus to the default bus
// (PutRule, PutTargets and iam:PassRole in the stack's account), and the central bus's policy
// refuses them (policy.OrganizationBus). The sign-in and sts:AssumeRoot rules, whose service is
// known, take its exact source instead (SourceSignIn, SourceSTS), which no partner can have.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-saas.html
func awsSource() arr { return arr{obj{"prefix": AWSSourcePrefix}} }

// Sources of CloudTrail's events in EventBridge ("aws." and the service's name in the event's
// eventSource): console sign-ins (signin.amazonaws.com) and sts:AssumeRoot (sts.amazonaws.com).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
const (
	SourceSignIn = "aws.signin"
	SourceSTS    = "aws.sts"
)

// rootAPICall is the CIS root-usage filter as an event pattern: userIdentity.type Root, eventType
// not AwsServiceEvent, invokedBy as given, and accessKeyId as given (nil: not looked at).
// (EventBridge delivers AWS service events with their own detail-type, "AWS Service Event via
// CloudTrail", so the eventType clause is redundant under this detail-type; it is kept so the
// pattern reads as the CIS filter does.)
func rootAPICall(invokedBy any, accessKeyID arr) string {
	identity := obj{"type": arr{"Root"}, "invokedBy": arr{invokedBy}}
	if accessKeyID != nil {
		identity["accessKeyId"] = accessKeyID
	}
	return pattern(obj{
		"source":      awsSource(),
		"detail-type": arr{DetailTypeAPICall},
		"detail": obj{
			"userIdentity": identity,
			"eventType":    arr{obj{"anything-but": "AwsServiceEvent"}},
		},
	})
}

// Credential selectors of the two root API call rules. They partition every event: a key id that
// starts with AKIA, or one that does not, or none at all (anything-but needs the field, so the
// absent case is named).
var (
	longTermKey    = arr{obj{"prefix": LongTermKeyPrefix}}
	notLongTermKey = arr{obj{"anything-but": obj{"prefix": LongTermKeyPrefix}}, obj{"exists": false}}
)

// assumeRoot matches sts:AssumeRoot calls, successful or not, whoever made them.
func assumeRoot() obj {
	return obj{"eventSource": arr{"sts.amazonaws.com"}, "eventName": arr{"AssumeRoot"}}
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
	accessKeyPath = map[string]string{"accessKeyId": "$.detail.userIdentity.accessKeyId"}
	sessionPaths  = map[string]string{
		"caller":          "$.detail.userIdentity.arn",
		"targetPrincipal": "$.detail.requestParameters.targetPrincipal",
		"taskPolicy":      "$.detail.requestParameters.taskPolicyArn.arn",
	}
	// sessionOptional are absent when AssumeRoot fails (no credentials) or succeeds (no error);
	// AWS's own AssumeRoot example has no userAgent and no eventID either, so the message must
	// read well without them.
	sessionOptional = map[string]string{
		"sessionKeyId": "$.detail.responseElements.credentials.accessKeyId",
		"errorCode":    "$.detail.errorCode",
		"errorMessage": "$.detail.errorMessage",
		"userAgent":    "$.detail.userAgent",
		"eventID":      "$.detail.eventID",
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

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func eventLine(partition string) string {
	if u := awsenv.EventConsoleTemplate(partition); u != "" {
		return "Event in CloudTrail event history: " + u
	}
	return "CloudTrail event id: <eventID> (event history of region <region>)"
}

const respond = "If nobody planned this, treat it as a security incident: delete any root access key, change the " +
	"root password, check the root MFA device, and review what else the root user did. Sent by EventBridge rule " +
	"<aws.events.rule-name>."

// Credential lines of the messages: which root credential the event used (see
// catalog.CredentialGuide for the same words in the alarm runbooks).
const (
	credentialLongTerm = "Credential: LONG-TERM ROOT ACCESS KEY <accessKeyId>. This is the worst case: the root user " +
		"should have no access keys. Deactivate and delete the key now (root user > Security credentials), then " +
		"review everything done with it (CloudTrail event history, filter by access key id)."
	credentialSession = "Credential: session access key <accessKeyId> (empty: none recorded). ASIA... is a session: " +
		"either a root console sign-in (a root ConsoleLogin in this account shortly before) or an sts:AssumeRoot " +
		"session opened by the organization's management account or IAM's delegated administrator (its AssumeRoot " +
		"event there has responseElements.credentials.accessKeyId equal to this id; rootwatch scan links them over " +
		"an organization trail)."
	credentialConsole = "Credential: the console session of a root sign-in, access key <accessKeyId> (ASIA...): " +
		"find the root ConsoleLogin in this account before it."
	credentialSignIn = "Credential: the root user's password (console sign-in). A console sign-in of an " +
		"sts:AssumeRoot session is recorded in the region of the STS endpoint used: look for AssumeRoot in the " +
		"management account at the same time."
)

// Rules returns the home-region rules for partition (which decides the console link).
func Rules(partition string) []Rule {
	where := "Account <account>, region <region>, at <time> (UTC)."
	return []Rule{
		{
			ID: RuleSignIn,
			Description: "rootwatch: root user console sign-in events (success and failure, password " +
				"recovery and change)",
			Pattern: pattern(obj{
				"source":      arr{SourceSignIn},
				"detail-type": arr{DetailTypeSignIn, DetailTypeSignInGuide},
				"detail":      obj{"userIdentity": obj{"type": arr{"Root"}}},
			}),
			InputPaths:    merge(commonPaths, signInPaths),
			OptionalPaths: keys(signInPaths),
			Template: eventrule.Lines("rootwatch ALERT: AWS account root user sign-in event <eventName>.", where,
				"Outcome (ConsoleLogin): <loginResult> <errorMessage>", "MFA used (ConsoleLogin): <mfaUsed>",
				credentialSignIn, "Source IP: <sourceIP>", "User agent: <userAgent>", eventLine(partition), respond),
		},
		{
			ID:                  RuleAccessKeyCall,
			Description:         "rootwatch: root user API calls made with a long-term root access key (AKIA...)",
			Pattern:             rootAPICall(obj{"exists": false}, longTermKey),
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, apiPaths, eventSourcePath, accessKeyPath),
			OptionalPaths:       keys(apiPaths),
			Template: apiTemplate("API call with a LONG-TERM ACCESS KEY", where, credentialLongTerm,
				partition),
		},
		{
			ID: RuleAPICall,
			Description: "rootwatch: root user API calls with session credentials or none (CIS root usage: " +
				"invokedBy absent, not an AWS service event)",
			Pattern:             rootAPICall(obj{"exists": false}, notLongTermKey),
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, apiPaths, eventSourcePath, accessKeyPath),
			OptionalPaths:       keys(merge(apiPaths, accessKeyPath)),
			Template:            apiTemplate("API call", where, credentialSession, partition),
		},
		{
			ID: RuleConsoleAPICall,
			Description: "rootwatch: root user API calls made through the console (invokedBy " +
				"signin.amazonaws.com)",
			Pattern:             rootAPICall("signin.amazonaws.com", nil),
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, apiPaths, eventSourcePath, accessKeyPath),
			OptionalPaths:       keys(merge(apiPaths, accessKeyPath)),
			Template:            apiTemplate("console action", where, credentialConsole, partition),
		},
		{
			ID: RuleSessionOpened,
			Description: "rootwatch: sts:AssumeRoot calls, root sessions opened on member accounts " +
				"(success and failure)",
			Pattern: pattern(obj{
				"source":      arr{SourceSTS},
				"detail-type": arr{DetailTypeAPICall},
				"detail":      assumeRoot(),
			}),
			// AssumeRoot may be recorded as a read-only call, like AssumeRole; the rule must see it.
			AllManagementEvents: true,
			InputPaths:          merge(commonPaths, sessionPaths, sessionOptional),
			OptionalPaths:       keys(sessionOptional),
			Template: eventrule.Lines(
				"rootwatch ALERT: a ROOT SESSION was requested with sts:AssumeRoot (<eventName>).",
				where,
				"Opened by: <caller>",
				"On member account: <targetPrincipal>",
				"Task policy: <taskPolicy>",
				"Error code (empty when the session was opened): <errorCode> <errorMessage>",
				"Session access key id: <sessionKeyId> (the member account's CloudTrail records the session's calls "+
					"as the root user with this accessKeyId, in the region of the STS endpoint used)",
				"Source IP: <sourceIP>",
				"User agent: <userAgent>",
				eventLine(partition),
				"If nobody planned this task, treat it as a security incident: revoke the caller's sessions, review "+
					"the member account's root activity with that key id, and check who may call sts:AssumeRoot. "+
					"Sent by EventBridge rule <aws.events.rule-name>.",
			),
		},
	}
}

func apiTemplate(what, where, credential, partition string) string {
	return eventrule.Lines("rootwatch ALERT: AWS account root user "+what+" <eventName> on <eventSource>.", where,
		"Error code (empty when the call succeeded): <errorCode>", credential,
		"MFA-authenticated session (empty for access-key calls; always false for sts:AssumeRoot sessions): "+
			"<mfaAuthenticated>",
		"Source IP: <sourceIP>", "User agent: <userAgent>", eventLine(partition), respond)
}

// ForwardPattern is the pattern of the rule in each extra region that forwards root activity to the
// home region's default bus: a superset of every home rule's pattern (the home rules do the precise
// filtering), so one rule per region suffices. Like them, it takes only events of AWS services
// (AWSSourcePrefix): a custom event dressed as a root sign-in is not forwarded. Root sign-ins, root
// API calls and sts:AssumeRoot calls (whose caller is not root) are forwarded; AssumeRoot has no
// global endpoint, so its events, and the console sign-ins of its sessions, are recorded in whichever
// region's STS endpoint was used.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html
func ForwardPattern() string {
	return pattern(obj{
		"source":      awsSource(),
		"detail-type": arr{DetailTypeSignIn, DetailTypeSignInGuide, DetailTypeAPICall},
		"$or": arr{
			obj{"detail": obj{"userIdentity": obj{"type": arr{"Root"}}}},
			obj{"detail": assumeRoot()},
		},
	})
}
