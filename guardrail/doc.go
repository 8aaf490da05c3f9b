// Package guardrail is the rootwatch:guardrail:Guardrail component: an SCP that stops member roots.
//
// It registers one AWS Organizations service control policy (internal/policy.RootGuardrail) and
// attaches it to the organization's root or to chosen OUs (CIS AWS Foundations 2.1.2, an
// authorization guardrail on every account). The SCP:
//
//   - denies every action to a member account's root user, except inside sts:AssumeRoot sessions,
//     the short, task-scoped root sessions the management account (or IAM's delegated
//     administrator) opens with centralized root access (package posture). The carve-out is AWS's:
//     "Null": {"aws:AssumedRoot": "true"}, in the example SCP of
//     https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
//     (section aws:AssumedRoot);
//   - lets named break-glass exemptions through (an account, or an OU and everything below it),
//     each until its expiry: a statement per expiry denies again once aws:CurrentTime has passed
//     it, so an exemption closes on time without a deploy, and Validate refuses it from then on
//     (with the date) until it is removed from the configuration;
//   - denies to the root user outright, with no carve-out and no exemption, creating access keys and
//     the two ways a break-glass root could outlast its expiry: leaving the organization and
//     minting federated-user sessions (sts:GetFederationToken).
//
// # What an SCP does and does not restrict for the root user
//
// AWS: "An SCP restricts permissions for IAM users and roles in member accounts, including the
// member account's root user", and "SCPs affect only member accounts in the organization. They
// have no effect on users or roles in the management account."
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
// So:
//
//   - The management account's root user is never covered, wherever the SCP is attached. Keep its
//     MFA, keep it without access keys, and watch it (the CIS alarms and rootwatch's notify do).
//   - Service-linked roles are never restricted, and a few root-only tasks are outside SCPs
//     altogether (same page, "Tasks and entities not restricted by SCPs": registering for the
//     Enterprise support plan as the root user, CloudFront trusted signers, reverse DNS for a
//     Lightsail email server and for EC2 as the root user, and a few legacy services).
//   - An SCP grants nothing: it only narrows. A root user with no password or keys (package
//     posture, and deleting member root credentials) has nothing for the SCP to stop; the SCP
//     stops the ones that remain, and any a password recovery brings back.
//   - SCPs keep applying inside AssumeRoot sessions ("Service control policies ... remain
//     effective during the root sessions", AWS security blog "Secure root user access for member
//     accounts in AWS Organizations"). Every SCP on an account's path must therefore carve out
//     aws:AssumedRoot, or the task sessions fail: Control Tower's "Disallow actions as a root user"
//     (AWS-GR_RESTRICT_ROOT_USER, Sid GRRESTRICTROOTUSER) does so only when enabled with
//     ExemptAssumeRoot
//     (https://docs.aws.amazon.com/controltower/latest/controlreference/strongly-recommended-preventive-controls.html).
//     Preflight names such SCPs.
//   - Disabling the SCP policy type in a root detaches every SCP in it, this one included.
//
// # Matching the root user
//
// The SCP matches aws:PrincipalArn against arn:*:iam::*:root, as Control Tower does. An SCP only
// evaluates its own organization's principals, all in one partition, so naming the partition
// would match exactly the same principals; the wildcard cannot miss them, and the document is the
// same in aws, aws-cn and aws-us-gov. OU exemptions match aws:PrincipalOrgPaths against
// "<org id>/*/<ou id>/*": StringLike's * spans "/", and OU ids are unique in an organization, so
// the pattern covers the OU at any depth and the OUs below it.
//
// # Limits
//
// The content is sent minified: through the API every character counts against the SCP size
// limit, 5,120 characters on AWS's quotas page
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html), which
// leaves room for dozens of exemptions; Validate refuses more, naming them. Each target also gives
// up one of its attached-SCP slots (five per target on that page). Two 2026 blogs report both
// limits doubled (10,240 characters, ten SCPs); no AWS page confirmed it, so rootwatch keeps to
// 5,120, and AWS's own ConstraintViolationException remains the final word.
package guardrail
