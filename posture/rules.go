package posture

import (
	"slices"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/eventrule"
)

// ConfigRule is one AWS Config managed rule about the root user.
type ConfigRule struct {
	// ID names the rule in resource names, outputs and the rule's own name (after NamePrefix); it
	// is the managed rule's documented name.
	ID string
	// Identifier is the managed rule's source identifier.
	Identifier string
	// Description is the Config rule's description.
	Description string
	// Partitions are the partitions where AWS documents the managed rule as available.
	Partitions []string
	// DocURL is the managed rule's page in the AWS Config Developer Guide.
	DocURL string
}

// Rule ids (the managed rules' names).
const (
	RuleRootMFA         = "root-account-mfa-enabled"
	RuleRootAccessKey   = "iam-root-access-key-check"
	RuleRootHardwareMFA = "root-account-hardware-mfa-enabled"
)

// MaximumExecutionFrequency is how often the periodic rules run. Once a day is AWS Config's
// default for periodic rules; the root user's MFA and access keys change rarely, and every change
// is already reported within minutes by rootwatch's EventBridge rules (package notify) and the CIS
// alarms (package alarms). Each run is one rule evaluation, billed by AWS Config.
const MaximumExecutionFrequency = "TwentyFour_Hours"

// allRules is the catalogue, in deployment order.
//
// Region availability, per the rules' pages in the AWS Config Developer Guide: the two MFA rules
// are documented as available in "All supported AWS regions except China (Beijing), China
// (Ningxia), AWS GovCloud (US-East), AWS GovCloud (US-West)" (and, in later revisions, a few
// recent aws-partition Regions); IAM_ROOT_ACCESS_KEY_CHECK in every partition. The GovCloud
// (US) root user cannot sign in to the GovCloud console at all
// (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-iam.html), so an MFA check has
// nothing to check there.
var allRules = []ConfigRule{
	{
		ID:         RuleRootMFA,
		Identifier: "ROOT_ACCOUNT_MFA_ENABLED",
		Description: "rootwatch: NON_COMPLIANT when the account root user has no MFA device (Security Hub IAM.9); " +
			"NOT_APPLICABLE when the root user has no credentials (centralized root access)",
		Partitions: []string{"aws"},
		DocURL:     "https://docs.aws.amazon.com/config/latest/developerguide/root-account-mfa-enabled.html",
	},
	{
		ID:          RuleRootAccessKey,
		Identifier:  "IAM_ROOT_ACCESS_KEY_CHECK",
		Description: "rootwatch: NON_COMPLIANT when the account root user has an access key (Security Hub IAM.4)",
		// Offered in every partition, but not in every region: the rule's page lists regions it is
		// missing from (e.g. Middle East (UAE), Israel (Tel Aviv)); there AWS Config refuses it at
		// deployment. Deploy the rules in a region the page lists.
		Partitions: []string{"aws", "aws-us-gov", "aws-cn"},
		DocURL:     "https://docs.aws.amazon.com/config/latest/developerguide/iam-root-access-key-check.html",
	},
	{
		ID:         RuleRootHardwareMFA,
		Identifier: "ROOT_ACCOUNT_HARDWARE_MFA_ENABLED",
		Description: "rootwatch: NON_COMPLIANT when the account root user may sign in with a virtual MFA device " +
			"rather than a hardware one (Security Hub IAM.6); NOT_APPLICABLE when the root user has no credentials",
		Partitions: []string{"aws"},
		DocURL:     "https://docs.aws.amazon.com/config/latest/developerguide/root-account-hardware-mfa-enabled.html",
	},
}

// documentedPartitions are the partitions whose AWS Config managed rules AWS documents, region by
// region (each rule's Partitions lists those it is in); a partition rootwatch learns regions of
// later does not change which rules posture deploys there until it is added here.
var documentedPartitions = []string{"aws", "aws-cn", "aws-us-gov"}

// ConfigRules returns the rules AWS documents for partition, and those it does not (skipped).
// Partitions rootwatch knows nothing of (the isolated ones) get IAM_ROOT_ACCESS_KEY_CHECK alone,
// as aws-cn and aws-us-gov do.
func ConfigRules(partition string) (deployed, skipped []ConfigRule) {
	known := slices.Contains(documentedPartitions, partition)
	for _, r := range allRules {
		if slices.Contains(r.Partitions, partition) || (!known && r.ID == RuleRootAccessKey) {
			deployed = append(deployed, r)
		} else {
			skipped = append(skipped, r)
		}
	}
	return deployed, skipped
}

// Compliance change events on the default event bus.
// https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html
const (
	EventSource                = "aws.config"
	DetailTypeComplianceChange = "Config Rules Compliance Change"
	messageTypeCompliance      = "ComplianceChangeNotification"
)

// NotifiedCompliance are the new compliance types that are notified: a rule turning
// NON_COMPLIANT (the alert) and turning COMPLIANT again (the all-clear). NOT_APPLICABLE (what the
// two MFA rules report for a member account whose root credentials were deleted) and
// INSUFFICIENT_DATA are not news.
var NotifiedCompliance = []string{"NON_COMPLIANT", "COMPLIANT"}

// ComplianceRuleID names the EventBridge rule (after NamePrefix).
const ComplianceRuleID = "root-posture-compliance"

// ConfigRuleConsoleURL is the AWS Config console's page of a rule, with the region and rule name
// left as the template variables <region> and <rule>; "" for partitions whose console domain
// rootwatch does not know.
func ConfigRuleConsoleURL(partition string) string {
	domain := awsenv.ConsoleURL(partition)
	if domain == "" {
		return ""
	}
	return domain + "/config/home?region=<region>#/rules/details?configRuleName=<rule>"
}

// ComplianceRule is the EventBridge rule that sends the compliance changes of the named Config
// rules to the topic, as an eventrule.Rule (so the input transformer checks apply).
func ComplianceRule(partition string, configRuleNames []string) eventrule.Rule {
	console := "AWS Config console: " + ConfigRuleConsoleURL(partition)
	if ConfigRuleConsoleURL(partition) == "" {
		console = "AWS Config console: rule <rule> in region <region>"
	}
	return eventrule.Rule{
		ID:          ComplianceRuleID,
		Description: "rootwatch: compliance changes (NON_COMPLIANT, COMPLIANT) of the root-user AWS Config rules",
		Pattern: eventrule.JSON(map[string]any{
			"source":      []any{EventSource},
			"detail-type": []any{DetailTypeComplianceChange},
			"detail": map[string]any{
				"messageType":         []any{messageTypeCompliance},
				"configRuleName":      toAny(configRuleNames),
				"newEvaluationResult": map[string]any{"complianceType": toAny(NotifiedCompliance)},
			},
		}),
		InputPaths: map[string]string{
			"rule":         "$.detail.configRuleName",
			"compliance":   "$.detail.newEvaluationResult.complianceType",
			"previous":     "$.detail.oldEvaluationResult.complianceType",
			"resourceType": "$.detail.resourceType",
			"resourceId":   "$.detail.resourceId",
			"account":      "$.account",
			"region":       "$.region",
			"time":         "$.time",
		},
		// A rule's first evaluation has no previous result.
		OptionalPaths: []string{"previous"},
		Template: eventrule.Lines(
			"rootwatch POSTURE: AWS Config rule <rule> is now <compliance> for <resourceType> <resourceId>.",
			"Previous result (empty on a first evaluation): <previous>",
			"Account <account>, region <region>, at <time> (UTC).",
			"NON_COMPLIANT means: root-account-mfa-enabled, the root user has no MFA device; "+
				"iam-root-access-key-check, the root user has an access key; root-account-hardware-mfa-enabled, the "+
				"root user's MFA is not a hardware device. COMPLIANT means the finding is resolved.",
			"To resolve: sign in as the root user to add (hardware) MFA or delete the access keys, or, in an AWS "+
				"Organizations member account with centralized root access, delete its root user credentials from "+
				"the management account.",
			console,
			"Sent by EventBridge rule <aws.events.rule-name>.",
		),
	}
}

func toAny(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
