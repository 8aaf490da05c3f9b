// Package posture is the rootwatch:posture:Posture Pulumi component: the root user's standing
// posture. As opposed to its activity (packages alarms and notify), it covers centralized root
// access for an AWS Organization's member accounts, and AWS Config managed rules that keep checking
// the root user's MFA and access keys. Both are opt-in (Args.RootCredentialsManagement,
// Args.ConfigRules); with both off New registers nothing.
//
// # Centralized root access (RootCredentialsManagement)
//
// An iam.OrganizationsFeatures resource enables the IAM organization features
// RootCredentialsManagement and RootSessions
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html).
//
// What it does: the management account (and an IAM delegated administrator, if one is registered)
// can then delete the root user credentials of member accounts (password, access keys, signing
// certificates, and MFA devices deactivated), allow a member account's root password recovery, and
// perform the few root-only tasks in a member account through a short, task-scoped root session
// (sts:AssumeRoot: for example deleting a bucket or queue policy that locks everyone out).
// Accounts created in the organization afterwards have no root user credentials by default
// (https://repost.aws/knowledge-center/set-up-centralized-root-access-iam).
//
// What it does not do: it deletes no credential by itself. Existing member accounts keep their root
// password, access keys and MFA until someone deletes them (IAM console > Root access management,
// or aws iam delete-login-profile / delete-access-key ... through sts:AssumeRoot); rootwatch's
// Config rules (below) and the CIS alarms keep reporting them. It does nothing to the management
// account's own root user, which keeps its credentials and must keep its MFA. It does not stop a
// member account's root user that still has credentials from signing in, and it does not replace
// an SCP that denies root actions (an SCP that denies everything to root must be adjusted to let
// sts:AssumeRoot root sessions work). Deleting the resource (destroying the stack, or turning the
// option off) disables both features; credentials already deleted stay deleted.
//
// Prerequisites, checked by New before it registers anything under the component (each failure is
// a validate.FieldError on RootCredentialsManagement saying what to do):
//   - the stack deploys to the organization's management account (DescribeOrganization's master
//     account is the caller's account); in any other account the option must be false;
//   - the organization has all features enabled (not consolidated billing only);
//   - AWS Identity and Access Management has trusted access in the organization:
//     aws organizations enable-aws-service-access --service-principal iam.amazonaws.com
//     (https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-iam.html).
//
// # AWS Config rules (ConfigRules)
//
// Managed rules, periodic, run once a day (MaximumExecutionFrequency), in the provider's region:
//   - root-account-mfa-enabled (ROOT_ACCOUNT_MFA_ENABLED): the root user has MFA;
//   - iam-root-access-key-check (IAM_ROOT_ACCESS_KEY_CHECK): the root user has no access key;
//   - root-account-hardware-mfa-enabled (ROOT_ACCOUNT_HARDWARE_MFA_ENABLED): the root user's MFA
//     is a hardware device.
//
// The two MFA rules are documented as unavailable in AWS GovCloud (US) and China, where only
// IAM_ROOT_ACCESS_KEY_CHECK is deployed (with a warning); see ConfigRules. For an account without
// root user credentials (a member account whose credentials were deleted through centralized root
// access), AWS documents NOT_APPLICABLE for the two MFA rules only; the iam-root-access-key-check
// page documents no such result, and calls an account whose root user has no access key COMPLIANT.
//
// An AWS Config configuration recorder must exist and be recording in the region: the rules
// report nothing otherwise, and AWS Config refuses to create a rule where no recorder exists
// (NoAvailableConfigurationRecorderException). rootwatch does not create one: a recorder is an
// account-wide choice (what to record, where to deliver) usually made by AWS Control Tower or a
// landing zone. The rules check global IAM state, so deploy them in one region only, one where
// AWS Config records global IAM resources (a Region where AWS Config was available before February
// 2022, such as us-east-1); AWS Config warns that periodic rules on global IAM resource types run
// in every region where they are added.
//
// Cost: AWS Config bills each rule evaluation (about USD 0.001 each for the first 100,000 a month
// in a region, https://aws.amazon.com/config/pricing/): three daily periodic rules are about 90
// evaluations a month, cents. The recorder's own configuration items are billed separately and
// are usually the larger cost.
//
// Compliance changes reach the alert topic through one EventBridge rule on the default bus:
// source aws.config, detail-type "Config Rules Compliance Change", messageType
// ComplianceChangeNotification, configRuleName one of the rules created, and the new result
// NON_COMPLIANT (the alert) or COMPLIANT (the all-clear). An input transformer writes a readable
// message: rule, new and previous result, resource, account, region, time, what it means, what to
// do, and a link to the rule in the AWS Config console. A FailedInvocations alarm on the rule
// notifies the topic when deliveries fail. The topic policy rootwatch writes
// (internal/policy.Topic) already lets this account's EventBridge rules publish. The pattern is
// tested with internal/eventpattern against the AWS Config Developer Guide's example compliance
// change notification (testdata/PROVENANCE.md).
package posture
