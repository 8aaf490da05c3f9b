// Package trail is the rootwatch:trail:Trail Pulumi component: the CloudTrail trail and its
// storage. The trail records management events in every region; its log files are validated (digest
// files), encrypted with a customer managed KMS key, kept in a hardened S3 bucket and delivered to
// CloudWatch Logs, where the alarms component watches them.
//
// # What it creates (secure by default)
//
//   - a KMS key (rotation on, 30-day deletion window, alias alias/rootwatch/trail/<trail>) whose policy
//     lets CloudTrail encrypt only for this account's trails and only as this trail, lets
//     CloudWatch Logs use it only for this trail's log group, and lets principals of this account
//     decrypt log files (internal/policy.TrailKey);
//   - the trail bucket: BucketOwnerEnforced, all four public access blocks, versioning, SSE-KMS with
//     the key (no S3 Bucket Key: see trail.go), a lifecycle rule (log files of 128 KB or more move to
//     the archive class; smaller ones, most CloudTrail files, stay in S3 Standard, cheaper for them:
//     see TransitionMinimumObjectSize), server access logging, and a policy that
//     denies requests without TLS and lets CloudTrail write only this account's (and, for an
//     organization trail, the organization's) AWSLogs path, only as this trail and only with
//     bucket-owner-full-control (internal/policy.TrailBucket);
//   - the access-log bucket, hardened the same way but encrypted with SSE-S3, the only default
//     encryption S3 documents for server-access-log destinations;
//   - a KMS-encrypted log group with a retention, and an IAM role that only the CloudTrail service
//     can assume (without source conditions, which CloudTrail does not support for this role),
//     allowed only logs:CreateLogStream and logs:PutLogEvents on that group;
//   - optionally an SNS topic notified on each log file delivery;
//   - the trail: multi-region, global service events, log file validation, management events
//     read and write, registered after the bucket policy, key and role so the first `pulumi up`
//     does not fail on ordering.
//
// The buckets, key and log group are retained when removed from the stack (RetainOnDelete) and
// the buckets refuse deletion while they hold objects, unless Args.ForceDestroy is set.
//
// # Organization trail from CloudTrail's delegated administrator
//
// Args.OrganizationTrail can be deployed from the organization's management account or from the
// member account registered as CloudTrail's delegated administrator; Preflight tells them apart
// from the organization (no setting) and refuses any other account, with the command that
// registers it. The management account owns the trail either way, so its ARN, and every
// aws:SourceArn, encryption-context pattern and AWSLogs/<account>/ folder in the key and bucket
// policies, carry the management account's id, while the key, buckets, log group and role
// are created in the deploying account.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
//
// # Bringing your own key or bucket
//
// Supported combinations:
//
//   - neither (the default): the component creates the key and both buckets;
//   - ExistingKeyARN: the buckets and log group use the brought key; its owner applies the
//     RequiredKeyPolicy output (administration goes to the key's own account unless KeyAdminARNs
//     is set);
//   - ExistingKeyARN and ExistingBucketName (a log-archive account): no bucket is created; the
//     owners apply RequiredKeyPolicy and RequiredBucketPolicy, and own server access logging,
//     versioning and lifecycle of the bucket.
//
// ExistingBucketName without ExistingKeyARN is rejected: a trail writing to a bucket whose key
// rootwatch does not know cannot be shown to be encrypted with a customer managed key.
//
// # Using a trail the organization already runs
//
// LookupExisting does not create anything: it looks up an existing trail (Control Tower's
// aws-controltower-BaselineCloudTrail, or an organization's own) and its CloudWatch Logs group,
// and refuses a trail that would leave the alarms blind (not logging, single-region, no global
// service events, management events missing or restricted, another log group). A program then
// puts the alarms component on that log group instead of calling New. TrailProperties.Check is the
// judgement, without Pulumi.
//
// # Why some names are plain strings
//
// The trail's ARN appears in aws:SourceArn conditions of the key, bucket and role policies, and
// the log group's ARN in the key policy, before either exists; so the trail name and log group
// name are fixed up front rather than auto-named, and validated before anything is registered.
package trail
