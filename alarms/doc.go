// Package alarms is the rootwatch:alarms:Alarms Pulumi component: the CIS monitoring alarms. It
// builds CloudWatch Logs metric filters and CloudWatch alarms for root-user usage and the rest of
// the CIS AWS Foundations Benchmark monitoring controls, notifying an SNS topic that reaches
// people.
//
// The controls themselves are data, in package catalog: one table holding each control's
// ids (CIS 7.0, 1.4 and 3.0 numbers, Security Hub id, Prowler check), filter pattern, metric name
// and runbook. This package turns the chosen rows into resources:
//
//   - an SNS topic encrypted with a customer managed key (rotation on). A topic encrypted with the
//     AWS managed alias/aws/sns key silently drops alarm notifications, because that key's policy
//     cannot let cloudwatch.amazonaws.com use it; the key policy here lets CloudWatch and
//     EventBridge of this account use the key, and the topic policy lets only this account's
//     alarms and rules publish, over TLS (internal/policy.TopicKey, internal/policy.Topic);
//   - e-mail, HTTPS and SQS subscriptions (an address or endpoint at a reserved example domain,
//     such as example.com, is refused: it would reach nobody);
//   - with Args.SlackChannels or Args.TeamsChannels, a chat route through Amazon Q Developer in chat
//     applications: a chat topic of its own that every alarm also notifies and the heartbeat sends
//     a custom notification to, a channel role and guardrail with notification permissions only,
//     and one channel configuration per channel (see docs/alert-routes.md);
//   - per control, a metric filter (value 1, default 0) and an alarm (Sum >= 1 over one period,
//     missing data not breaching) whose description is a short runbook.
//
// Every pattern is parsed by package filterpattern before anything is registered, so a pattern
// CloudWatch Logs would reject fails the preview, not the deployment.
//
// Names (metrics, filters, alarms) start with Args.NamePrefix so two stacks in one account never
// collide. Root usage is always deployed.
package alarms
