// Package catalog is the CIS monitoring controls as one table of data. Its rows are the CIS AWS
// Foundations Benchmark monitoring controls that rootwatch deploys as CloudWatch Logs metric
// filters and alarms (CIS v7.0 section 5.1-5.15, formerly 4.1-4.15 in v1.4 and v3.0, and 3.1-3.14
// in v1.2).
//
// Each pattern is chosen to pass three checkers at once:
//
//   - Security Hub CloudWatch.1-14 compare the pattern with the exact text printed in their
//     remediation (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html:
//     "This control fails if the exact metric filters prescribed by CIS are not used. Additional
//     fields or terms cannot be added"). Pattern carries that text byte for byte.
//   - Prowler's cloudwatch_* checks apply a regex to each metric filter (its current
//     order-independent lookaheads, and the ordered literal regexes it used before PR #11345).
//   - CIS's intent: the events each recommendation names.
//
// The checkers disagree twice, and the catalogue resolves both without weakening either:
//
//   - Route tables (CIS 5.13, CloudWatch.13): Security Hub's text has no eventSource clause, while
//     Prowler (and CIS v3.0+) require `$.eventSource = ec2.amazonaws.com`. The control deploys two
//     metric filters that feed one metric and one alarm: Pattern (Security Hub's text) and
//     ExtraPatterns[0] (the CIS v3.0 text). Each checker finds the filter it wants, wired to an
//     alarm; an event counted twice still raises the alarm once.
//   - Organizations (CIS 5.15, no Security Hub control): CIS lists 18 event names, Prowler's regex
//     requires 21. The pattern is the union (Prowler's 21, which contain CIS's 18), in the order
//     Prowler's older literal regex demands.
//
// # Extras
//
// After the 15 CIS controls the catalogue holds rootwatch's own entries (Extra set). They are not
// CIS recommendations and have no CIS number, Security Hub control or Prowler check.
//
//   - root-session-opened (OnByDefault): an sts:AssumeRoot call, a task-scoped root session opened
//     on a member account. The default selection ("all", or none given) deploys it beside the CIS
//     controls; it can only fire in the management account or IAM's delegated administrator.
//   - root access key created, root password changed or recovered, root MFA device removed: off by
//     default, so existing deployments do not grow; deployed when named by id, or with the selector
//     "extras". Like the CIS change filters, they have no success condition: a failed attempt
//     counts too.
package catalog

import (
	"fmt"
	"strings"
)

// Control is one monitoring control: the filter pattern(s) to deploy and what to tell a human.
type Control struct {
	// ID is the stable slug used in config (rootwatch:cisControls), resource names and outputs.
	ID string
	// Title is CIS's recommendation title (for an Extra, rootwatch's).
	Title string
	// CISv7_0, CISv3_0, CISv1_4 and CISv1_2 are the control's recommendation numbers in CIS AWS
	// Foundations Benchmark v7.0.0, v3.0.0, v1.4.0 and v1.2.0 (the version Security Hub's CloudWatch
	// controls cite); CISNumber looks one up by version. All are "" for an Extra.
	CISv7_0, CISv1_4, CISv3_0, CISv1_2 string
	// SecurityHub is the Security Hub CSPM control id ("" when there is none).
	SecurityHub string
	// Prowler is the Prowler check name ("" for an Extra: no Prowler check looks for its filter).
	Prowler string
	// MetricName is the CloudWatch metric (and, with the deployment's prefix, the filter and
	// alarm name).
	MetricName string
	// Pattern is the CloudWatch Logs filter pattern; for controls with a Security Hub id it is
	// Security Hub's exact text.
	Pattern string
	// ExtraPatterns are further filters feeding the same metric (see the package doc).
	ExtraPatterns []string
	// ExtraPatternsChecked marks ExtraPatterns that are another checker's text (route tables: the
	// CIS v3.0 text Prowler looks for), as opposed to rootwatch's own additions (root usage through
	// the console), which no checker looks for. See CheckedPatterns.
	ExtraPatternsChecked bool
	// Description is the runbook: what fired, where to look, what to do first.
	Description string
	// Required controls are always deployed, whatever the selection.
	Required bool
	// Extra marks rootwatch's own entries beyond the CIS benchmark: no CIS numbers, SecurityHub or
	// Prowler, and never deployed unless selected by id or with "extras" (see Select), or
	// OnByDefault.
	Extra bool
	// AlertPath marks a control whose alarm is about the alert path itself (its key, the trail that
	// feeds it): the alarm also goes to the health topic, so a broken alert topic cannot hide it.
	AlertPath bool
	// OnByDefault marks an Extra that the default selection ("all", or none given) deploys beside
	// the CIS controls: root-session-opened, which can only fire where root sessions are opened.
	OnByDefault bool
}

// RootUsage is the id of the root-usage control (CIS v7.0 5.3), the one always deployed and the
// one whose alarm "rootwatch audit --send-test-alert" sets.
const RootUsage = "root-usage"

// Patterns returns Pattern followed by ExtraPatterns.
func (c Control) Patterns() []string {
	return append([]string{c.Pattern}, c.ExtraPatterns...)
}

// CheckedPatterns returns the patterns a checker looks for: Pattern (Security Hub's text, which
// Prowler also accepts except for route tables), then ExtraPatterns when they are another
// checker's text (ExtraPatternsChecked). A filter with one of them, wired to an alarm, is what
// Security Hub or Prowler counts as the control being monitored; rootwatch's own extra filters
// are deployed (Patterns) but do not make the control pass for any checker.
func (c Control) CheckedPatterns() []string {
	if c.ExtraPatternsChecked {
		return c.Patterns()
	}
	return []string{c.Pattern}
}

// orList renders `($.eventName=A) || ($.eventName=B)`, the form Security Hub and CIS use.
func orList(names ...string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "($.eventName=" + n + ")"
	}
	return strings.Join(parts, " || ")
}

// orListSpaced renders `($.eventName = A) || ...`, the CIS v3.0 spacing.
func orListSpaced(names ...string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = "($.eventName = " + n + ")"
	}
	return strings.Join(parts, " || ")
}

var (
	routeTableEvents = []string{
		"CreateRoute",
		"CreateRouteTable",
		"ReplaceRoute",
		"ReplaceRouteTableAssociation",
		"DeleteRouteTable",
		"DeleteRoute",
		"DisassociateRouteTable",
	}

	// organizationsEvents: Prowler's 21 names in its pre-#11345 order; CIS v1.4 4.15 lists all
	// but CancelHandshake, CreateOrganization and EnableAllFeatures.
	organizationsEvents = []string{
		"AcceptHandshake",
		"AttachPolicy",
		"CancelHandshake",
		"CreateAccount",
		"CreateOrganization",
		"CreateOrganizationalUnit",
		"CreatePolicy",
		"DeclineHandshake",
		"DeleteOrganization",
		"DeleteOrganizationalUnit",
		"DeletePolicy",
		"EnableAllFeatures",
		"EnablePolicyType",
		"InviteAccountToOrganization",
		"LeaveOrganization",
		"DetachPolicy",
		"DisablePolicyType",
		"MoveAccount",
		"RemoveAccountFromOrganization",
		"UpdateOrganizationalUnit",
		"UpdatePolicy",
	}
)

// CredentialGuide tells which root credential an event used, from userIdentity.accessKeyId: the
// runbooks, the EventBridge messages and rootwatch scan explain it in these words.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html
const CredentialGuide = "Which credential (userIdentity.accessKeyId): AKIA... is a long-term root access key, the " +
	"worst case (root should have none: delete it now); ASIA... is a session, either a root console sign-in or an " +
	"sts:AssumeRoot session opened by the management account or IAM's delegated administrator (find AssumeRoot there " +
	"with responseElements.credentials.accessKeyId equal to it); none: the console sign-in itself."

const lookIn = " Look in CloudTrail event history or the trail's log group for the event (eventName, userIdentity, " +
	"sourceIPAddress, userAgent)."

// controls is the catalogue, in CIS order. Patterns of controls with a Security Hub id are copied
// from https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html.
var controls = []Control{
	{
		ID: "unauthorized-api-calls", Title: "Ensure unauthorized API calls are monitored",
		CISv7_0: "5.1", CISv1_4: "4.1", CISv3_0: "4.1", CISv1_2: "3.1", SecurityHub: "CloudWatch.2",
		Prowler:    "cloudwatch_log_metric_filter_unauthorized_api_calls",
		MetricName: "UnauthorizedAPICalls",
		Pattern:    `{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}`,
		Description: "API calls were denied (AccessDenied or UnauthorizedOperation)." + lookIn +
			" A burst from one principal or IP may be credential misuse or reconnaissance: confirm the caller is " +
			"expected; if not, disable its access keys or revoke its role sessions.",
	},
	{
		ID: "console-signin-without-mfa", Title: "Ensure management console sign-in without MFA is monitored",
		CISv7_0: "5.2", CISv1_4: "4.2", CISv3_0: "4.2", CISv1_2: "3.2", SecurityHub: "CloudWatch.3",
		Prowler:    "cloudwatch_log_metric_filter_sign_in_without_mfa",
		MetricName: "ConsoleSigninWithoutMFA",
		Pattern:    `{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }`,
		Description: "An IAM user signed in to the AWS console without MFA." + lookIn +
			" Ask the user whether it was them; require an MFA device for the user (IAM > Users > Security " +
			"credentials), and if the sign-in was not theirs reset the password and revoke sessions.",
	},
	{
		ID: RootUsage, Title: "Ensure usage of the 'root' account is monitored",
		CISv7_0: "5.3", CISv1_4: "4.3", CISv3_0: "4.3", CISv1_2: "3.3", SecurityHub: "CloudWatch.1",
		Prowler:    "cloudwatch_log_metric_filter_root_usage",
		MetricName: "RootAccountUsage",
		Pattern:    `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`,
		// CIS's `invokedBy NOT EXISTS` is meant to drop what AWS services do on root's behalf, but
		// root acting through the IAM console is recorded with invokedBy "signin.amazonaws.com"
		// (Panther's "Root Access Key Created" test case): that is a human using root, so a second
		// filter counts it on the same metric. Security Hub still finds its exact filter.
		ExtraPatterns: []string{`{ ($.userIdentity.type = "Root") && ($.userIdentity.invokedBy = "signin.amazonaws.com") && ($.eventType != "AwsServiceEvent") }`},
		Required:      true,
		Description: "The AWS account root user made a request (console sign-in or API call)." + lookIn + " " +
			CredentialGuide +
			" Confirm with whoever holds that credential that it was planned. If not: delete any root access key, " +
			"change the root password, check the root MFA device, review IAM and billing changes made since, and " +
			"open a security incident.",
	},
	{
		ID: "iam-policy-changes", Title: "Ensure IAM policy changes are monitored",
		CISv7_0: "5.4", CISv1_4: "4.4", CISv3_0: "4.4", CISv1_2: "3.4", SecurityHub: "CloudWatch.4",
		Prowler:    "cloudwatch_log_metric_filter_policy_changes",
		MetricName: "IAMPolicyChanges",
		Pattern: "{" + orList(
			"DeleteGroupPolicy",
			"DeleteRolePolicy",
			"DeleteUserPolicy",
			"PutGroupPolicy",
			"PutRolePolicy",
			"PutUserPolicy",
			"CreatePolicy",
			"DeletePolicy",
			"CreatePolicyVersion",
			"DeletePolicyVersion",
			"AttachRolePolicy",
			"DetachRolePolicy",
			"AttachUserPolicy",
			"DetachUserPolicy",
			"AttachGroupPolicy",
			"DetachGroupPolicy",
		) + "}",
		Description: "An IAM policy was created, changed, attached or detached (DeletePolicy from Auto " +
			"Scaling also counts)." + lookIn +
			" Check the change against your infrastructure-as-code and change tickets; revert permissions " +
			"nobody asked for.",
	},
	{
		ID: "cloudtrail-changes", Title: "Ensure CloudTrail configuration changes are monitored",
		CISv7_0: "5.5", CISv1_4: "4.5", CISv3_0: "4.5", CISv1_2: "3.5", SecurityHub: "CloudWatch.5",
		Prowler:    "cloudwatch_log_metric_filter_and_alarm_for_cloudtrail_configuration_changes_enabled",
		MetricName: "CloudTrailChanges",
		AlertPath:  true,
		Pattern:    "{" + orList("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging") + "}",
		Description: "A CloudTrail trail was created, updated, deleted, started or stopped." + lookIn +
			" Stopping or deleting a trail is a classic way to hide an attack: make sure every trail still logs (aws " +
			"cloudtrail get-trail-status) and restart logging at once if it was stopped.",
	},
	{
		ID: "console-auth-failures", Title: "Ensure management console authentication failures are monitored",
		CISv7_0: "5.6", CISv1_4: "4.6", CISv3_0: "4.6", CISv1_2: "3.6", SecurityHub: "CloudWatch.6",
		Prowler:    "cloudwatch_log_metric_filter_authentication_failures",
		MetricName: "ConsoleAuthenticationFailure",
		Pattern:    `{($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")}`,
		Description: "A console sign-in failed authentication." + lookIn +
			" Many failures for one user or from one IP suggest password guessing: confirm with the user, block the " +
			"source if hostile, and make sure the account has MFA.",
	},
	{
		ID: "kms-key-disable-or-deletion", Title: "Ensure disabling or scheduled deletion of customer created " +
			"CMKs is monitored",
		CISv7_0: "5.7", CISv1_4: "4.7", CISv3_0: "4.7", CISv1_2: "3.7", SecurityHub: "CloudWatch.7",
		Prowler:    "cloudwatch_log_metric_filter_disable_or_scheduled_deletion_of_kms_cmk",
		MetricName: "DisableOrDeleteCMK",
		AlertPath:  true,
		Pattern:    "{($.eventSource=kms.amazonaws.com) && (" + orList("DisableKey", "ScheduleKeyDeletion") + ")}",
		Description: "A KMS key was disabled or scheduled for deletion; data encrypted under it becomes " +
			"unreadable." + lookIn +
			" If unplanned, cancel the deletion (aws kms cancel-key-deletion) and re-enable the key (aws kms " +
			"enable-key) within the waiting period.",
	},
	{
		ID: "s3-bucket-policy-changes", Title: "Ensure S3 bucket policy changes are monitored",
		CISv7_0: "5.8", CISv1_4: "4.8", CISv3_0: "4.8", CISv1_2: "3.8", SecurityHub: "CloudWatch.8",
		Prowler:    "cloudwatch_log_metric_filter_for_s3_bucket_policy_changes",
		MetricName: "S3BucketPolicyChanges",
		Pattern: "{($.eventSource=s3.amazonaws.com) && (" + orList(
			"PutBucketAcl",
			"PutBucketPolicy",
			"PutBucketCors",
			"PutBucketLifecycle",
			"PutBucketReplication",
			"DeleteBucketPolicy",
			"DeleteBucketCors",
			"DeleteBucketLifecycle",
			"DeleteBucketReplication",
		) + ")}",
		Description: "An S3 bucket's policy, ACL, CORS, lifecycle or replication changed." + lookIn +
			" Check the new policy for public or cross-account access (IAM Access Analyzer) and revert unexpected " +
			"changes; Block Public Access stops most accidental exposure.",
	},
	{
		ID: "config-changes", Title: "Ensure AWS Config configuration changes are monitored",
		CISv7_0: "5.9", CISv1_4: "4.9", CISv3_0: "4.9", CISv1_2: "3.9", SecurityHub: "CloudWatch.9",
		Prowler:    "cloudwatch_log_metric_filter_and_alarm_for_aws_config_configuration_changes_enabled",
		MetricName: "AWSConfigChanges",
		Pattern: "{($.eventSource=config.amazonaws.com) && (" + orList(
			"StopConfigurationRecorder",
			"DeleteDeliveryChannel",
			"PutDeliveryChannel",
			"PutConfigurationRecorder",
		) + ")}",
		Description: "The AWS Config recorder or delivery channel was changed or stopped." + lookIn +
			" Make sure the recorder still records (aws configservice describe-configuration-recorder-status) and " +
			"restart it if it was stopped.",
	},
	{
		ID: "security-group-changes", Title: "Ensure security group changes are monitored",
		CISv7_0: "5.10", CISv1_4: "4.10", CISv3_0: "4.10", CISv1_2: "3.10", SecurityHub: "CloudWatch.10",
		Prowler:    "cloudwatch_log_metric_filter_security_group_changes",
		MetricName: "SecurityGroupChanges",
		Pattern: "{" + orList(
			"AuthorizeSecurityGroupIngress",
			"AuthorizeSecurityGroupEgress",
			"RevokeSecurityGroupIngress",
			"RevokeSecurityGroupEgress",
			"CreateSecurityGroup",
			"DeleteSecurityGroup",
		) + "}",
		Description: "A security group was created, deleted or had rules changed." + lookIn +
			" Look for ingress opened to 0.0.0.0/0 or ::/0 on administrative ports and revoke rules nobody asked for.",
	},
	{
		ID: "nacl-changes", Title: "Ensure Network Access Control Lists (NACL) changes are monitored",
		CISv7_0: "5.11", CISv1_4: "4.11", CISv3_0: "4.11", CISv1_2: "3.11", SecurityHub: "CloudWatch.11",
		Prowler:    "cloudwatch_changes_to_network_acls_alarm_configured",
		MetricName: "NetworkACLChanges",
		Pattern: "{" + orList(
			"CreateNetworkAcl",
			"CreateNetworkAclEntry",
			"DeleteNetworkAcl",
			"DeleteNetworkAclEntry",
			"ReplaceNetworkAclEntry",
			"ReplaceNetworkAclAssociation",
		) + "}",
		Description: "A network ACL or one of its entries changed." + lookIn +
			" Compare the ACL with its intended state and revert entries that open subnets unexpectedly.",
	},
	{
		ID: "network-gateway-changes", Title: "Ensure changes to network gateways are monitored",
		CISv7_0: "5.12", CISv1_4: "4.12", CISv3_0: "4.12", CISv1_2: "3.12", SecurityHub: "CloudWatch.12",
		Prowler:    "cloudwatch_changes_to_network_gateways_alarm_configured",
		MetricName: "NetworkGatewayChanges",
		Pattern: "{" + orList(
			"CreateCustomerGateway",
			"DeleteCustomerGateway",
			"AttachInternetGateway",
			"CreateInternetGateway",
			"DeleteInternetGateway",
			"DetachInternetGateway",
		) + "}",
		Description: "A customer or internet gateway was created, deleted, attached or detached." + lookIn +
			" An unexpected internet gateway gives a VPC a path to the internet: detach it if nobody asked for it.",
	},
	{
		ID: "route-table-changes", Title: "Ensure route table changes are monitored",
		CISv7_0: "5.13", CISv1_4: "4.13", CISv3_0: "4.13", CISv1_2: "3.13", SecurityHub: "CloudWatch.13",
		Prowler:    "cloudwatch_changes_to_network_route_tables_alarm_configured",
		MetricName: "RouteTableChanges",
		Pattern:    "{" + orList(routeTableEvents...) + "}",
		ExtraPatterns: []string{
			"{($.eventSource = ec2.amazonaws.com) && (" + orListSpaced(routeTableEvents...) + ")}",
		},
		ExtraPatternsChecked: true,
		Description: "A route table or route changed." + lookIn +
			" Check that traffic still flows through the expected path (no new route to an unknown gateway or " +
			"peering) and revert unexpected routes.",
	},
	{
		ID: "vpc-changes", Title: "Ensure VPC changes are monitored",
		CISv7_0: "5.14", CISv1_4: "4.14", CISv3_0: "4.14", CISv1_2: "3.14", SecurityHub: "CloudWatch.14",
		Prowler:    "cloudwatch_changes_to_vpcs_alarm_configured",
		MetricName: "VPCChanges",
		Pattern: "{" + orList(
			"CreateVpc",
			"DeleteVpc",
			"ModifyVpcAttribute",
			"AcceptVpcPeeringConnection",
			"CreateVpcPeeringConnection",
			"DeleteVpcPeeringConnection",
			"RejectVpcPeeringConnection",
			"AttachClassicLinkVpc",
			"DetachClassicLinkVpc",
			"DisableVpcClassicLink",
			"EnableVpcClassicLink",
		) + "}",
		Description: "A VPC or VPC peering connection was created, deleted or modified." + lookIn +
			" Unexpected peering connections can expose networks to other accounts: reject or delete those " +
			"nobody asked for.",
	},
	{
		ID: "organizations-changes", Title: "Ensure AWS Organizations changes are monitored",
		CISv7_0: "5.15", CISv1_4: "4.15", CISv3_0: "4.15", CISv1_2: "",
		Prowler:    "cloudwatch_log_metric_filter_aws_organizations_changes",
		MetricName: "OrganizationsChanges",
		Pattern: "{ ($.eventSource = organizations.amazonaws.com) && (" + orListSpaced(
			quoteAll(organizationsEvents)...) + ") }",
		Description: "The AWS Organization changed (accounts, OUs, policies, handshakes)." + lookIn +
			" Changes to service control policies or account membership alter the guardrails of every account: " +
			"confirm the change with the organization's administrators and revert it if unplanned.",
	},
}

// rootCreatesAccessKey, rootPasswordEvents and rootMFARemoval are the extras' patterns.
//
// Access keys: the filter counts every root CreateAccessKey, both root creating a key for itself
// (requestParameters null, responseElements.accessKey.userName "Root": Panther's "Root Access Key
// Created" test and the console call of its compromised-root scenario) and root creating a key for
// an IAM user (requestParameters.userName set: the scenario's aws-cli call). Panther's rule keeps
// only the first; rootwatch keeps both because (1) a key minted by root for a user is the same
// persistence step in that scenario, (2) telling them apart needs `userName NOT EXISTS` through a
// null requestParameters, which AWS does not document, and (3) AWS's root MFA example shows the
// console sending userName "AWS ROOT USER" for root's own credentials, so a key for root itself
// might carry a userName too. The runbook says how to tell the two cases apart.
//
// Password: PasswordUpdated is the root user changing its password (AWS docs example, Panther);
// IAM users change theirs with iam:ChangePassword, so the root condition only guards against look-
// alikes. PasswordRecoveryRequested and PasswordRecoveryCompleted are the root "Forgot password"
// flow, which only the root user has (Elastic's and Datadog's rules rely on the same), so they are
// not conditioned on userIdentity.type: a recovery record without it still counts.
//
// MFA: root deactivating or deleting an MFA device. CloudTrail does not reliably show whose device
// it was (DeleteVirtualMFADevice carries only the serial number; root's own device may appear as
// userName "AWS ROOT USER" or with none), so any MFA device removed by root counts.
const (
	rootCreatesAccessKey = `{ ($.userIdentity.type = "Root") && ($.eventSource = "iam.amazonaws.com") && ($.eventName = "CreateAccessKey") }`
	rootPasswordEvents   = `{ ($.eventSource = "signin.amazonaws.com") && ((($.userIdentity.type = "Root") && ($.eventName = "PasswordUpdated")) || ($.eventName = "PasswordRecoveryRequested") || ($.eventName = "PasswordRecoveryCompleted")) }`
	rootMFARemoval       = `{ ($.userIdentity.type = "Root") && ($.eventSource = "iam.amazonaws.com") && (($.eventName = "DeactivateMFADevice") || ($.eventName = "DeleteVirtualMFADevice")) }`
)

// rootSessionOpened is an sts:AssumeRoot call, successful or not: a principal of this account (the
// organization's management account, or IAM's delegated administrator) opening a task-scoped root
// session on a member account. In the management account the caller is an IAM role or user, not
// Root, so root-usage never sees this event; the member-account calls made with the session are
// root usage there (userIdentity.type "Root", the session's ASIA... accessKeyId).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html
const rootSessionOpened = `{ ($.eventSource = "sts.amazonaws.com") && ($.eventName = "AssumeRoot") }`

// RootSessionOpened is the id of the control for sts:AssumeRoot calls.
const RootSessionOpened = "root-session-opened"

// extras are rootwatch's entries beyond CIS (Extra set): root-session-opened on by default, the
// others off by default.
var extras = []Control{
	{
		ID: RootSessionOpened, Title: "Monitor root sessions opened with sts:AssumeRoot",
		MetricName:  "RootSessionOpened",
		Pattern:     rootSessionOpened,
		Extra:       true,
		OnByDefault: true,
		Description: "A principal of this account called sts:AssumeRoot (success or failure, see errorCode) to open " +
			"a task-scoped root session on a member account. Only the management account or IAM's delegated " +
			"administrator can. Who: userIdentity.arn. Which member: requestParameters.targetPrincipal. Task policy: " +
			"requestParameters.taskPolicyArn.arn. The session's access key id (ASIA...): " +
			"responseElements.credentials.accessKeyId; the member's CloudTrail records the session's calls as root " +
			"with that accessKeyId." +
			" Confirm the caller and the task with whoever owns it. If not planned: revoke the caller's sessions, " +
			"review the member account's root activity by that key id (rootwatch scan links them over an " +
			"organization trail), and open a security incident.",
	},
	{
		ID: "root-access-key-created", Title: "Monitor access keys created by the root user",
		MetricName: "RootAccessKeyCreated",
		Pattern:    rootCreatesAccessKey,
		Extra:      true,
		Description: "The root user called CreateAccessKey. With requestParameters.userName absent " +
			"(responseElements.accessKey.userName \"Root\") the key is root's own, which root must never have; with " +
			"a userName, root made a key for that IAM user. A failed call (errorCode) counts too." + lookIn +
			" If not planned: delete the key at once (root's Security credentials page, or the IAM user's), review " +
			"what the key did (CloudTrail by accessKeyId), change the root password, check root MFA and open a " +
			"security incident.",
	},
	{
		ID: "root-password-change", Title: "Monitor root password changes and password recovery",
		MetricName: "RootPasswordChangeOrRecovery",
		Pattern:    rootPasswordEvents,
		Extra:      true,
		Description: "The root user's password was changed (PasswordUpdated) or the forgot-password flow was started " +
			"or completed (PasswordRecoveryRequested, PasswordRecoveryCompleted); failed attempts count too (see " +
			"responseElements)." + lookIn +
			" Confirm with whoever holds the root credentials and the root e-mail inbox. If not planned: recover " +
			"root through its e-mail address, set a new password, check root MFA and access keys, secure the " +
			"mailbox, and contact AWS Support if you are locked out.",
	},
	{
		ID: "root-mfa-removed", Title: "Monitor MFA devices removed by the root user",
		MetricName: "RootMFADeviceRemoved",
		Pattern:    rootMFARemoval,
		Extra:      true,
		Description: "The root user deactivated or deleted an MFA device (DeactivateMFADevice, " +
			"DeleteVirtualMFADevice): its own, or an IAM user's (see requestParameters; CloudTrail does not always " +
			"say whose, so both count). A failed call (errorCode) counts too." + lookIn +
			" If not planned: sign in as root and register an MFA device again, change the root password, remove any " +
			"root access keys, and review everything done in that root session.",
	},
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = `"` + s + `"`
	}
	return out
}

// All returns a copy of the whole catalogue: the 15 CIS controls in CIS order, then the extras.
func All() []Control {
	return copyOf(append(append([]Control(nil), controls...), extras...))
}

// CIS returns a copy of the 15 CIS monitoring controls, in CIS order: what "all" selects, with the
// extras that are OnByDefault.
func CIS() []Control {
	return copyOf(controls)
}

// Extras returns a copy of rootwatch's entries beyond CIS (all but root-session-opened off by
// default).
func Extras() []Control {
	return copyOf(extras)
}

func copyOf(cs []Control) []Control {
	out := make([]Control, len(cs))
	for i, c := range cs {
		c.ExtraPatterns = append([]string(nil), c.ExtraPatterns...)
		out[i] = c
	}
	return out
}

// Lookup finds a control, CIS or extra, ignoring case, by its id, its CIS v7.0 number ("5.3"), a
// CIS number with its benchmark version (see ParseCIS: "cis-1.4:4.3") or its Security Hub id
// ("CloudWatch.1"). A bare CIS number is v7.0's: 4.3 is a networking control there, not the
// root-usage control it was in v1.4 and v3.0.
func Lookup(key string) (Control, bool) {
	k := strings.ToLower(strings.TrimSpace(key))
	if k == "" {
		return Control{}, false
	}
	version, num, versioned := ParseCIS(k)
	for _, c := range All() {
		if versioned {
			if n := c.CISNumber(version); n != "" && n == num {
				return c, true
			}
			continue
		}
		if k == c.ID || (c.CISv7_0 != "" && k == c.CISv7_0) ||
			(c.SecurityHub != "" && k == strings.ToLower(c.SecurityHub)) {
			return c, true
		}
	}
	return Control{}, false
}

// CISVersions are the CIS AWS Foundations Benchmark versions whose numbers the catalogue holds,
// as written in a versioned control id (cis-<version>:<number>).
var CISVersions = []string{"7.0", "3.0", "1.4", "1.2"}

// ParseCIS splits a versioned CIS control id, cis-<version>:<number> ("cis-1.4:4.3", "cis-7.0:5.3",
// "cis-1.2:3.3"), ignoring case; ok is false when s has another form. The version is one of
// CISVersions or not (then no control has it).
func ParseCIS(s string) (version, number string, ok bool) {
	rest, ok := strings.CutPrefix(strings.ToLower(strings.TrimSpace(s)), "cis-")
	if !ok {
		return "", "", false
	}
	version, number, ok = strings.Cut(rest, ":")
	return version, number, ok && version != "" && number != ""
}

// CISNumber is the control's recommendation number in CIS version ("7.0", "3.0", "1.4", "1.2"), or
// "" when it has none there (an extra, CIS 5.15 in v1.2, or an unknown version).
func (c Control) CISNumber(version string) string {
	switch version {
	case "7.0":
		return c.CISv7_0
	case "3.0":
		return c.CISv3_0
	case "1.4":
		return c.CISv1_4
	case "1.2":
		return c.CISv1_2
	}
	return ""
}

// UnknownError is Select's error for entries that name no control: short, one line; the list
// of controls is for "rootwatch controls" (or Allowed) to give.
type UnknownError struct{ IDs []string }

func (e *UnknownError) Error() string {
	q := make([]string, len(e.IDs))
	for i, id := range e.IDs {
		q[i] = fmt.Sprintf("%q", id)
	}
	word := "control"
	if len(q) > 1 {
		word = "controls"
	}
	return fmt.Sprintf("catalog: unknown %s %s; run `rootwatch controls` for the list", word, strings.Join(q, ", "))
}

// Allowed describes every form a selection accepts, with the ids, for errors of stack config.
func Allowed() string {
	return fmt.Sprintf("\"all\" (the CIS controls and root-session-opened), \"none\", \"extras\", CIS ids %s (or "+
		"their CIS v7.0 numbers 5.1-5.15, versioned CIS numbers such as cis-3.0:4.3, cis-1.4:4.3 or cis-1.2:3.3, and "+
		"Security Hub ids CloudWatch.1-14), or the extras %s",
		strings.Join(ids(CIS()), ", "), strings.Join(ids(Extras()), ", "))
}

// IDs returns the ids of the whole catalogue: the CIS controls in CIS order, then the extras.
func IDs() []string {
	return ids(All())
}

func ids(cs []Control) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// Select resolves a selection: nil, empty or ["all"] selects the 15 CIS controls and the extras
// that are OnByDefault (root-session-opened), never the other extras, so existing deployments do
// not grow; ["none"] only the required ones (root usage); ["extras"] every extra; otherwise the
// listed controls (any form Lookup accepts; an extra only by its id) plus the
// required ones. Selectors combine: ["all", "extras"] is the whole catalogue, ["none",
// "root-mfa-removed"] root usage and one extra. The result is in catalogue order (All), each
// control once. Unknown entries are an *UnknownError.
func Select(sel []string) ([]Control, error) {
	want := map[string]bool{}
	all := len(sel) == 0
	withExtras := false
	var unknown []string
	for _, id := range sel {
		switch strings.ToLower(strings.TrimSpace(id)) {
		case "all":
			all = true
		case "extras":
			withExtras = true
		case "none":
		default:
			c, ok := Lookup(id)
			if !ok {
				unknown = append(unknown, id)
				continue
			}
			want[c.ID] = true
		}
	}
	if len(unknown) > 0 {
		return nil, &UnknownError{IDs: unknown}
	}
	var out []Control
	for _, c := range All() {
		if c.Required || want[c.ID] || (all && (!c.Extra || c.OnByDefault)) || (withExtras && c.Extra) {
			out = append(out, c)
		}
	}
	return out, nil
}

// MarkdownTable renders the catalogue for docs/controls.md: the CIS controls, then the extras, marked
// "off by default" with "—" in the CIS, Security Hub and Prowler columns.
func MarkdownTable() string {
	var b strings.Builder
	b.WriteString("| id | CIS v7.0 | CIS v3.0 / v1.4 | CIS v1.2 | Security Hub | Prowler check | metric | " +
		"filter pattern(s) |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	for _, c := range All() {
		id := "`" + c.ID + "`"
		cis7 := c.CISv7_0
		switch {
		case c.Required:
			id += " (always on)"
		case c.Extra && c.OnByDefault:
			id += " (rootwatch, on by default)"
			cis7 = "— (rootwatch, not CIS)"
		case c.Extra:
			id += " (extra, off by default)"
			cis7 = "— (rootwatch extra, not CIS)"
		}
		prowler := "—"
		if c.Prowler != "" {
			prowler = "`" + c.Prowler + "`"
		}
		var ps []string
		for _, p := range c.Patterns() {
			ps = append(ps, "`"+strings.ReplaceAll(p, "|", `\|`)+"`")
		}
		fmt.Fprintf(
			&b,
			"| %s | %s | %s | %s | %s | %s | `%s` | %s |\n",
			id,
			cis7,
			dash(c.CISv3_0),
			dash(c.CISv1_2),
			dash(c.SecurityHub),
			prowler,
			c.MetricName,
			strings.Join(ps, "<br>"),
		)
	}
	return b.String()
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
