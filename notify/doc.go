// Package notify is the rootwatch:notify:Notify Pulumi component: root activity as messages. It is
// rootwatch's second detection path for the AWS account root user: EventBridge rules that turn each
// root sign-in and root API call into a readable message on the alert topic within seconds to
// minutes, beside the CIS metric-filter alarm of package alarms.
//
// # Two detection paths
//
// CIS alarm (package alarms, control root-usage, CIS 5.3 / Security Hub CloudWatch.1): the trail
// delivers to CloudWatch Logs, a metric filter counts root events, an alarm notifies the topic.
// It is what CIS and Security Hub check, and it sees every region the trail records. But the
// alarm only says "RootAccountUsage is in ALARM": not which action, from where, or whether MFA was
// used. And it is slow: "CloudTrail typically delivers events to your log group within an average
// of about 5 minutes of an API call. This time is not guaranteed."
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html),
// then the alarm's period (60 s by default) elapses before it fires.
//
// EventBridge (this package): CloudTrail sends management events to each region's default event
// bus, where rules match them and a target publishes them. There is no log delivery batch in
// between; AWS documents the delivery as best effort, not with a latency figure: "AWS services
// deliver events to CloudTrail on a best effort basis"
// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html) and "Best
// effort delivery means that the service attempts to send all events to EventBridge, but in some
// rare cases an event might not be delivered"
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/event-types.html). Its message says
// who, where and how: account, region, time, event name (and service), outcome (ConsoleLogin
// Success/Failure and error message, or the API error code), source IP, user agent, MFA
// (additionalEventData.MFAUsed for sign-ins, the session's mfaAuthenticated for API calls) and a
// link to the event in CloudTrail event history. Because best effort may drop an event, the CIS
// alarm stays on: the two paths back each other up.
//
// # Rules
//
// Three rules on the home region's default bus (the region of the provider, where the topic is):
//
//   - root-signin: detail-type "AWS Console Sign In via CloudTrail", userIdentity.type Root:
//     console sign-in success and failure, and the other sign-in events of the root user, among
//     them PasswordRecoveryRequested, PasswordRecoveryCompleted and PasswordUpdated.
//   - root-api-call: detail-type "AWS API Call via CloudTrail", Root, eventType anything-but
//     AwsServiceEvent, invokedBy absent: the CIS root-usage filter. It includes the root MFA
//     device changes, which are IAM API calls (CreateVirtualMFADevice, EnableMFADevice,
//     DeactivateMFADevice, DeleteVirtualMFADevice), so they need no rule of their own.
//   - root-console-api-call: the same with invokedBy "signin.amazonaws.com": root acting through
//     the console, which the CIS filter's `invokedBy NOT EXISTS` misses (rootwatch's second CIS
//     filter counts it too).
//
// The API rules are ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, so read-only root calls
// (List*, Get*, Describe*) match too, as they count in the CIS filter.
//
// Every pattern, the forwarders' too, also requires an AWS source ("source": [{"prefix": "aws."}],
// AWSSourcePrefix): EventBridge reserves that prefix for AWS services, while anyone allowed
// events:PutEvents on a bus can put a custom event with any detail-type and detail, such as a copy
// of a root sign-in. So only events CloudTrail delivered raise an alert.
//
// Each pattern uses only the pattern syntax internal/eventpattern implements, and the tests run
// the patterns against the CloudTrail corpus in testdata with that evaluator.
//
// # Regions
//
// Root console sign-ins and IAM calls reach EventBridge in us-east-1, other API calls in the
// region where they happen. In each region of Args.Regions other than the home region, an
// explicit provider creates one rule matching every root sign-in and API call and forwarding it
// to the home region's default bus, with a role only that rule can assume, allowed only
// events:PutEvents on that bus. Forwarded events keep their fields (region included), so the
// home rules match them as local events, and the link in the message points at the event history
// of the region that recorded it.
//
// # Chat
//
// With Args.ChatTopicARN (alarms.Alarms.ChatTopicArn), each rule also sends its message to the chat
// topic as an Amazon Q Developer in chat applications custom notification (Rule.ChatTemplate, built
// from the same lines as Rule.Template), because the chat service does not render plain text. The
// chat message leaves out the values the caller chooses (user agent, error message, request
// parameters: internal/eventrule.CallerControlledPaths), which EventBridge would paste unescaped
// into its JSON; the e-mail keeps them.
//
// # Member accounts
//
// CloudTrail sends each event to the default bus of the account where it happened, so the rules
// above see the deploying account only. With Args.Members (deployed from an organization's
// management account, or with Members.DelegatedAdmin from a delegated administrator of
// CloudFormation StackSets, CallAs DELEGATED_ADMIN), New also creates:
//
//   - a central event bus (NamePrefix + "member-root-events") whose resource policy lets only the
//     member accounts' forwarding roles put events on it: principals of the organization
//     (aws:PrincipalOrgID) whose ARN is a role under the path the StackSet gives them
//     (aws:PrincipalArn, internal/policy.OrganizationBus and MemberForwardRolePath);
//   - on it, the same rules as the home rules (Rules, named NamePrefix + "member-" + id) with the
//     same messages, which take the account and region from the event and so name the member
//     account; each with a FailedInvocations alarm on the custom bus's metric through the health
//     path. The organization's name for the account is not in the message: an input transformer
//     can only copy fields of the event, and the event carries the account id only;
//   - a service-managed CloudFormation StackSet with automatic deployment (stacks are deleted when
//     an account leaves the organizational units: outside the organization the bus refuses its
//     events anyway), whose template (MemberTemplate) is generated from ForwardPattern and
//     internal/policy: in each member account and region, a rule on the default bus forwarding
//     root activity to the central bus through a role that only that rule may assume and that may
//     only put events on that bus (EventBridge requires a role for a bus target of another account
//     that admits the sender through its organization);
//   - a StackSetInstance for Members.OrganizationalUnits (default: the organization's root) in the
//     home region and each forwarding region.
//
// The management account is never a target of a service-managed StackSet; the home rules cover
// it. Preflight checks, before anything is registered, that the account may deploy the StackSet
// (management account with trusted access for StackSets, or a registered delegated administrator)
// and finds the organization's root when no unit is given. What cannot be watched from the centre:
// a member's forwarding rule failing to deliver (its FailedInvocations metric lives in the member
// account and region); the StackSet's instance status shows stacks that failed to deploy.
//
// # Noticing a broken path
//
// Each home rule has a CloudWatch alarm on its AWS/Events FailedInvocations metric (dimension
// RuleName), notifying the same topic (missing data is not breaching: no root activity is the
// normal state). The forwarding rules have no such alarm: their metrics live in their own region,
// and the topic policy admits only alarms of the topic's region.
package notify
