package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Sids of the statements this package writes, so callers and tests can find them.
const (
	SidKeyAdministration       = "KeyAdministration"
	SidAccountReadKey          = "AccountReadKeyMetadata"
	SidCloudTrailEncryptLogs   = "CloudTrailEncryptLogs"
	SidCloudTrailDescribeKey   = "CloudTrailDescribeKey"
	SidAccountDecryptLogs      = "AccountDecryptLogFiles"
	SidCloudWatchLogsUseKey    = "CloudWatchLogsUseKey"
	SidCloudTrailEncryptTopic  = "CloudTrailEncryptDeliveryTopic"
	SidDenyInsecureTransport   = "DenyInsecureTransport"
	SidCloudTrailAclCheck      = "AWSCloudTrailAclCheck"
	SidCloudTrailWrite         = "AWSCloudTrailWrite"
	SidCloudTrailOrgWrite      = "AWSCloudTrailOrganizationWrite"
	SidServerAccessLogs        = "S3ServerAccessLogsPolicy"
	SidCloudTrailAssumeRole    = "CloudTrailAssumeRole"
	SidCloudTrailCreateStream  = "AWSCloudTrailCreateLogStream"
	SidCloudTrailPutLogEvents  = "AWSCloudTrailPutLogEvents"
	SidCloudWatchUseKey        = "CloudWatchAlarmsUseKey"
	SidEventBridgeUseKey       = "EventBridgeRulesUseKey"
	SidTopicOwner              = "TopicOwnerManagement"
	SidCloudWatchPublish       = "CloudWatchAlarmsPublish"
	SidEventBridgePublish      = "EventBridgeRulesPublish"
	SidCloudTrailPublish       = "AWSCloudTrailSNSPolicy"
	SidDenyInsecurePublish     = "DenyInsecurePublish"
	SidEventBridgeAssumeRole   = "EventBridgeForwardRootEvents"
	SidPutEventsHomeBus        = "PutEventsToHomeDefaultBus"
	SidOrganizationPutEvents   = "OrganizationAccountsPutEvents"
	SidDenyPartnerEvents       = "DenyPartnerEventSources"
	SidMemberForwardAssumeRole = "EventBridgeForwardMemberRootEvents"
	SidPutEventsCentralBus     = "PutEventsToCentralBus"
	SidChatbotAssumeRole       = "AmazonQDeveloperInChatApplications"
	SidChatbotNotifications    = "NotificationsOnly"
	cloudTrailService          = "cloudtrail"
	cloudWatchService          = "cloudwatch"
	eventBridgeService         = "events"
	serverAccessLoggingService = "logging.s3"
)

// TopicOwnerActions are the topic actions the owning account keeps in Topic (the ones SNS's default
// topic policy grants, minus sns:Receive which only applies to SQS-style polling and is unused).
var TopicOwnerActions = []string{
	"sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:AddPermission", "sns:RemovePermission",
	"sns:DeleteTopic", "sns:Subscribe", "sns:ListSubscriptionsByTopic", "sns:Publish",
}

// The constructors collect problems with their arguments in a validate.Errors (the one idiom of
// rootwatch's checks) and report them as one line: "policy: <Constructor>: <problems>".

// checkEnv reports the problems of e as one problem, "Env: invalid AWS environment: ...".
func checkEnv(es *validate.Errors, e awsenv.Env) {
	if err := e.Validate(); err != nil {
		es.Addf("Env: %s", strings.TrimPrefix(err.Error(), "policy: "))
	}
}

// checkARN checks that value is an ARN of service in e's partition whose resource starts with
// resource (and goes on after it).
func checkARN(es *validate.Errors, e awsenv.Env, field, value, service, resource, example string) {
	p, ok := awsenv.ParseARN(value)
	if !ok || p.Partition != e.Partition || p.Service != service || !strings.HasPrefix(p.Resource, resource) ||
		p.Resource == resource {
		es.Add(field, value, "is not a "+service+" ARN of partition "+e.Partition+" like "+example, "")
	}
}

// checkOrgID checks an optional AWS Organizations id.
func checkOrgID(es *validate.Errors, field, value string) {
	if value != "" && !validate.IsOrganizationID(value) {
		es.Add(field, value, "is not an AWS Organizations id ("+validate.OrganizationIDRule+")", "")
	}
}

// checkAdmins checks that each ARN is an IAM or STS principal ARN of e's partition.
func checkAdmins(es *validate.Errors, e awsenv.Env, field string, arns []string) {
	for i, arn := range arns {
		p, ok := awsenv.ParseARN(arn)
		if !ok || p.Partition != e.Partition || (p.Service != "iam" && p.Service != "sts") || p.Region != "" {
			es.Add(fmt.Sprintf("%s[%d]", field, i), arn, "is not an IAM principal ARN of partition "+e.Partition, "")
		}
	}
}

// admins returns the administrators of a key: the given ARNs (deduplicated, in order) or, when
// none, the account root, which delegates to the account's IAM policies.
func admins(e awsenv.Env, arns []string) []string {
	if len(arns) == 0 {
		return []string{e.AccountRootARN()}
	}
	var out []string
	for _, a := range arns {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// keyAdministration lets the administrators manage (and use) the key. Without it nobody could
// change the key policy again. Note that KMS refuses a policy that would lock out the principal
// creating the key unless it is among the administrators (directly or through the account root).
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
func keyAdministration(e awsenv.Env, arns []string) Statement {
	return Statement{
		Sid:       SidKeyAdministration,
		Effect:    "Allow",
		Principal: AWSPrincipal(admins(e, arns)...),
		Action:    []string{"kms:*"},
		Resource:  []string{"*"},
	}
}

// AccountReadKeyActions are the only actions accountReadKey lets the account's IAM policies grant:
// reading the key's metadata and its policy, what rootwatch audit's alert-topic-encryption check
// calls. None of them uses the key (no Encrypt, Decrypt, ReEncrypt*, GenerateDataKey*, Sign) or
// changes it (no PutKeyPolicy, CreateGrant, ScheduleKeyDeletion).
var AccountReadKeyActions = []string{"kms:DescribeKey", "kms:GetKeyPolicy"}

// accountReadKey lets the account's IAM policies allow AccountReadKeyActions on the key, when the
// key's administrators are named (AdminARNs) and the account root is not among them. KMS reads an
// IAM policy's permission on a key only where the key policy allows the account root principal:
// "Unless the key policy explicitly allows it, you cannot use IAM policies to allow access to a KMS
// key" (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html). The default key
// policy's statement allows the account root every action ("Allows access to the AWS account and
// enables IAM policies",
// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam);
// with named administrators that statement is theirs alone, so without this one the documented
// read-only audit policy (docs/audit.md) could not read the key and the audit could not judge it.
// This statement delegates reading only: an IAM policy granting kms:* still gets nothing else.
// Returns nil when the account root already administers the key (it may read it).
func accountReadKey(e awsenv.Env, arns []string) *Statement {
	if slices.Contains(admins(e, arns), e.AccountRootARN()) {
		return nil
	}
	return &Statement{
		Sid:       SidAccountReadKey,
		Effect:    "Allow",
		Principal: AWSPrincipal(e.AccountRootARN()),
		Action:    slices.Clone(AccountReadKeyActions),
		Resource:  []string{"*"},
	}
}

// denyInsecureTransport denies every action on resources to requests not made over TLS. Bool
// "false" only matches requests that carry aws:SecureTransport=false, so AWS services (which call
// over TLS) are never blocked.
func denyInsecureTransport(sid string, actions []string, resources ...string) Statement {
	return Statement{
		Sid:       sid,
		Effect:    "Deny",
		Principal: AnyPrincipal(),
		Action:    actions,
		Resource:  resources,
		Condition: Condition{"Bool": {"aws:SecureTransport": {"false"}}},
	}
}

// TrailKeyArgs are the inputs of TrailKey.
type TrailKeyArgs struct {
	Env awsenv.Env
	// TrailARN is the trail's ARN (Env.TrailARN); for an organization trail, the management
	// account's trail, also when a delegated administrator (whose account is Env's) creates it.
	TrailARN string
	// LogGroupARN is the CloudWatch Logs group encrypted with the key (Env.LogGroupARN, no ":*").
	LogGroupARN string
	// OrganizationID is set ("o-...") for an organization trail.
	OrganizationID string
	// AdminARNs administer the key; none means the account root (the account's IAM policies).
	AdminARNs []string
	// DeliveryNotifications: the trail's SNS delivery topic is encrypted with this key too.
	DeliveryNotifications bool
}

// TrailKey is the key policy of the KMS key that encrypts a trail's log files, its CloudWatch Logs
// group and, optionally, its delivery-notification topic.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
func TrailKey(a TrailKeyArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkARN(&es, e, "TrailARN", a.TrailARN, "cloudtrail", "trail/", e.TrailARN("my-trail"))
	checkARN(&es, e, "LogGroupARN", a.LogGroupARN, "logs", "log-group:", e.LogGroupARN("/aws/cloudtrail/my-trail"))
	if strings.HasSuffix(a.LogGroupARN, ":*") {
		es.Add(
			"LogGroupARN",
			a.LogGroupARN,
			`ends with ":*"; CloudWatch Logs' encryption context names the log group without it`,
			"",
		)
	}
	checkOrgID(&es, "OrganizationID", a.OrganizationID)
	checkAdmins(&es, e, "AdminARNs", a.AdminARNs)

	owner := checkTrailOwner(&es, e, a.TrailARN, a.OrganizationID)

	// The encryption context CloudTrail sets on every log and digest file: the ARN of the trail
	// that wrote it, so the account of the trail's owner. For an organization trail the trail (and
	// so the ARN in the context) belongs to the management account for member accounts' files as
	// well; AWS documents the aws:SourceArn of an organization trail as "a trail ARN that is owned
	// by the management account", so the same pattern covers them and no member-account form is
	// needed. Deployed from CloudTrail's delegated administrator, the key is the delegated
	// administrator's and the trail still the management account's: the pattern names the
	// management account (the trail owner, whose id is also what AWS documents for
	// aws:SourceAccount of an organization trail), not the key's account.
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html
	// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
	trailContext := e.ARN("cloudtrail", "*", owner, "trail/*")
	sts := []Statement{
		keyAdministration(e, a.AdminARNs),
		// CloudTrail encrypts only as this trail (aws:SourceArn, the confused-deputy guard) and
		// only files of this account's trails (encryption context).
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html#create-kms-key-policy-for-cloudtrail-encrypt
		{
			Sid:       SidCloudTrailEncryptLogs,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"kms:GenerateDataKey*"},
			Resource:  []string{"*"},
			Condition: Condition{
				"StringEquals": {"aws:SourceArn": {a.TrailARN}},
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": {trailContext}},
			},
		},
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html#create-kms-key-policy-for-cloudtrail-describe
		{
			Sid:       SidCloudTrailDescribeKey,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"kms:DescribeKey"},
			Resource:  []string{"*"},
			Condition: Condition{"StringEquals": {"aws:SourceArn": {a.TrailARN}}},
		},
		// Anyone in this account (the key's) whose IAM policies allow it may decrypt CloudTrail
		// files (and re-encrypt them from this key), and only CloudTrail files: the console's
		// default.
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/default-kms-key-policy.html
		{
			Sid:       SidAccountDecryptLogs,
			Effect:    "Allow",
			Principal: AWSPrincipal("*"),
			Action:    []string{"kms:Decrypt", "kms:ReEncryptFrom"},
			Resource:  []string{"*"},
			Condition: Condition{
				"StringEquals": {"kms:CallerAccount": {e.AccountID}},
				"StringLike":   {"kms:EncryptionContext:aws:cloudtrail:arn": {trailContext}},
			},
		},
		// CloudWatch Logs (regional principal) may use the key only for this log group: its ARN
		// is the encryption context CloudWatch Logs sets.
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
		{
			Sid:       SidCloudWatchLogsUseKey,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.LogsServicePrincipal()),
			Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resource:  []string{"*"},
			Condition: Condition{"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": {a.LogGroupARN}}},
		},
	}
	if a.DeliveryNotifications {
		// The delivery topic is encrypted with this key: CloudTrail (the publisher) needs
		// GenerateDataKey* and Decrypt, here only as this trail.
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html
		// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
		sts = append(sts, Statement{
			Sid:       SidCloudTrailEncryptTopic,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"kms:GenerateDataKey*", "kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: Condition{"StringEquals": {"aws:SourceArn": {a.TrailARN}}},
		})
	}
	return newDoc(ResourcePolicy, es.Inline("policy: TrailKey"), sts...)
}

// TrailBucketArgs are the inputs of TrailBucket.
type TrailBucketArgs struct {
	Env       awsenv.Env
	BucketARN string // arn:<partition>:s3:::<bucket>
	// KeyPrefix is the trail's S3 key prefix ("" for none), without leading or trailing "/".
	KeyPrefix string
	// TrailARN is the trail's ARN: its account is the trail's owner, the management account's for
	// an organization trail (also when a delegated administrator, Env's account, creates it).
	TrailARN string
	// OrganizationID is set ("o-...") for an organization trail.
	OrganizationID string
}

// TrailBucket is the bucket policy of the bucket CloudTrail delivers log files to.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func TrailBucket(a TrailBucketArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkBucketARN(&es, e, "BucketARN", a.BucketARN)
	checkARN(&es, e, "TrailARN", a.TrailARN, "cloudtrail", "trail/", e.TrailARN("my-trail"))
	checkOrgID(&es, "OrganizationID", a.OrganizationID)
	owner := checkTrailOwner(&es, e, a.TrailARN, a.OrganizationID)
	if strings.HasPrefix(a.KeyPrefix, "/") || strings.HasSuffix(a.KeyPrefix, "/") {
		es.Add("KeyPrefix", a.KeyPrefix, `starts or ends with "/"; CloudTrail adds the separator itself`, "")
	}
	logs := a.BucketARN + "/"
	if a.KeyPrefix != "" {
		logs += a.KeyPrefix + "/"
	}
	logs += "AWSLogs/"
	write := func(sid, owner string) Statement {
		return Statement{
			Sid:       sid,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{logs + owner + "/*"},
			Condition: Condition{"StringEquals": {
				"s3:x-amz-acl":  {"bucket-owner-full-control"},
				"aws:SourceArn": {a.TrailARN},
			}},
		}
	}
	sts := []Statement{
		// CIS 2.1.1 / Security Hub S3.5: deny every request not made over TLS.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit
		denyInsecureTransport(SidDenyInsecureTransport, []string{"s3:*"}, a.BucketARN, a.BucketARN+"/*"),
		{
			Sid:       SidCloudTrailAclCheck,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"s3:GetBucketAcl"},
			Resource:  []string{a.BucketARN},
			Condition: Condition{"StringEquals": {"aws:SourceArn": {a.TrailARN}}},
		},
		// CloudTrail writes only the trail owner's folder (this account's, or the management
		// account's for an organization trail), only as this trail.
		write(SidCloudTrailWrite, owner),
	}
	if a.OrganizationID != "" {
		// An organization trail writes member accounts' files under AWSLogs/<org id>/; its
		// aws:SourceArn is the management account's trail, also when CloudTrail's delegated
		// administrator created it (the management account owns it; the bucket policy of an
		// organization trail names the management account's id in aws:SourceArn).
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-an-organizational-trail-by-using-the-aws-cli.html#org-trail-bucket-policy
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
		sts = append(sts, write(SidCloudTrailOrgWrite, a.OrganizationID))
	}
	return newDoc(ResourcePolicy, es.Inline("policy: TrailBucket"), sts...)
}

// checkTrailOwner returns the account that owns the trail, from its ARN. Only an organization trail
// may belong to another account than e's: the management account owns an organization trail that
// CloudTrail's delegated administrator (e's account) creates; any other trail is e's account's.
func checkTrailOwner(es *validate.Errors, e awsenv.Env, trailARN, organizationID string) string {
	p, ok := awsenv.ParseARN(trailARN)
	if !ok {
		return e.AccountID // checkARN reported it
	}
	if p.Account != e.AccountID && organizationID == "" {
		es.Add(
			"TrailARN",
			trailARN,
			"belongs to account "+p.Account+", not "+e.AccountID+"; only an organization trail (OrganizationID set) "+
				"created by CloudTrail's delegated administrator is owned by another account, the management account",
			"",
		)
	}
	if !awsenv.IsAccountID(p.Account) {
		return e.AccountID
	}
	return p.Account
}

// checkBucketARN checks that value is an S3 bucket ARN (not an object ARN) of e's partition.
func checkBucketARN(es *validate.Errors, e awsenv.Env, field, value string) {
	p, ok := awsenv.ParseARN(value)
	if !ok || p.Partition != e.Partition || p.Service != "s3" || p.Region != "" || p.Account != "" ||
		strings.ContainsAny(p.Resource, "/:*") {
		es.Add(
			field,
			value,
			"is not an S3 bucket ARN of partition "+e.Partition+" like "+e.ARN("s3", "", "", "my-bucket"),
			"",
		)
	}
}

// AccessLogBucketArgs are the inputs of AccessLogBucket.
type AccessLogBucketArgs struct {
	Env awsenv.Env
	// BucketARN is the bucket receiving server access logs.
	BucketARN string
	// SourceBucketARN is the bucket whose requests are logged (the trail bucket).
	SourceBucketARN string
	// TargetPrefix is the logging configuration's target prefix ("s3-access/"); the logging
	// service may write only under it. Empty: anywhere in the bucket.
	TargetPrefix string
}

// AccessLogBucket is the bucket policy of the server-access-log bucket: TLS only, and the S3
// logging service may write only logs of the source bucket of this account.
func AccessLogBucket(a AccessLogBucketArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkBucketARN(&es, e, "BucketARN", a.BucketARN)
	checkBucketARN(&es, e, "SourceBucketARN", a.SourceBucketARN)
	if a.BucketARN != "" && a.BucketARN == a.SourceBucketARN {
		es.Add("SourceBucketARN", a.SourceBucketARN, "is the log bucket itself; logging a bucket into "+
			"itself loops forever", "")
	}
	if strings.HasPrefix(a.TargetPrefix, "/") || strings.ContainsAny(a.TargetPrefix, "*?") {
		es.Add("TargetPrefix", a.TargetPrefix, "is not a key prefix (no leading slash, no wildcards)", "")
	}
	return newDoc(ResourcePolicy, es.Inline("policy: AccessLogBucket"),
		denyInsecureTransport(SidDenyInsecureTransport, []string{"s3:*"}, a.BucketARN, a.BucketARN+"/*"),
		// aws:SourceArn and aws:SourceAccount keep other buckets and accounts from writing here.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general
		Statement{
			Sid:       SidServerAccessLogs,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(serverAccessLoggingService)),
			Action:    []string{"s3:PutObject"},
			Resource:  []string{a.BucketARN + "/" + a.TargetPrefix + "*"},
			Condition: Condition{
				"ArnLike":      {"aws:SourceArn": {a.SourceBucketARN}},
				"StringEquals": {"aws:SourceAccount": {e.AccountID}},
			},
		},
	)
}

// CloudTrailLogsTrust is the trust policy of the role CloudTrail assumes to deliver to CloudWatch
// Logs: only the CloudTrail service may assume it. It deliberately has no aws:SourceArn or
// aws:SourceAccount condition: CloudTrail's guide says "Confused deputy prevention is not
// applicable to the role policy for CloudWatch Logs monitoring. The role policy doesn't support the
// use of aws:SourceArn and aws:SourceAccount", and with them CreateTrail is refused or delivery to
// CloudWatch Logs stops (prowler-cloud/prowler#4714), which would silence every alarm. The role's
// permissions are what is scoped: one log group (CloudTrailLogsDelivery).
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cw_role_policy.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
func CloudTrailLogsTrust(e awsenv.Env, trailARN string) Document {
	var es validate.Errors
	checkEnv(&es, e)
	checkARN(&es, e, "trailARN", trailARN, "cloudtrail", "trail/", e.TrailARN("my-trail"))
	return newDoc(TrustPolicy, es.Inline("policy: CloudTrailLogsTrust"), Statement{
		Sid:       SidCloudTrailAssumeRole,
		Effect:    "Allow",
		Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
		Action:    []string{"sts:AssumeRole"},
	})
}

// CloudTrailLogsDelivery is the role policy that lets CloudTrail create streams in, and put events
// to, one log group. CloudTrail names its streams <account>_CloudTrail_<region> (and
// <org id>_... for an organization trail), hence log-stream:*.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html
func CloudTrailLogsDelivery(e awsenv.Env, logGroupName string) Document {
	var es validate.Errors
	checkEnv(&es, e)
	if logGroupName == "" || strings.ContainsAny(logGroupName, "*:") {
		es.Add("logGroupName", logGroupName, "is not a CloudWatch Logs group name", "")
	}
	streams := e.LogGroupARN(logGroupName) + ":log-stream:*"
	return newDoc(
		IdentityPolicy,
		es.Inline("policy: CloudTrailLogsDelivery"),
		Statement{
			Sid:      SidCloudTrailCreateStream,
			Effect:   "Allow",
			Action:   []string{"logs:CreateLogStream"},
			Resource: []string{streams},
		},
		Statement{
			Sid:      SidCloudTrailPutLogEvents,
			Effect:   "Allow",
			Action:   []string{"logs:PutLogEvents"},
			Resource: []string{streams},
		},
	)
}

// TopicKeyArgs are the inputs of TopicKey.
type TopicKeyArgs struct {
	Env awsenv.Env
	// AdminARNs administer the key; none means the account root (the account's IAM policies).
	// When set, the account's IAM policies may still read the key's metadata and policy
	// (AccountReadKeyActions), so that rootwatch audit can judge it.
	AdminARNs []string
}

// TopicKey is the key policy of the customer managed key that encrypts the alarm topic.
// CloudWatch alarms and EventBridge rules publish to an encrypted topic only if the key lets their
// service principal GenerateDataKey* and Decrypt. aws:SourceAccount limits CloudWatch's use to this
// account's alarms. EventBridge's statement carries no source condition on purpose: the KMS
// requests EventBridge makes while publishing to an encrypted topic do not carry aws:SourceAccount
// or aws:SourceArn, so such a condition would silently drop every rule's notification (the failure
// this key exists to prevent). Its scope comes from the topic policy instead, which lets
// events.amazonaws.com publish only for this account's rules (Topic); and the key encrypts nothing
// but this topic's messages.
//
// SNS itself needs no statement: it uses the key on behalf of the publisher, with the publisher's
// permissions. Subscribers do not use this key either: SNS decrypts before delivery, and an
// encrypted SQS subscriber queue needs its own key to let sns.amazonaws.com GenerateDataKey* and
// Decrypt (that key's policy, not this one).
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
func TopicKey(a TopicKeyArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkAdmins(&es, e, "AdminARNs", a.AdminARNs)
	use := func(sid, svc string, cond Condition) Statement {
		return Statement{
			Sid:       sid,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(svc)),
			Action:    []string{"kms:GenerateDataKey*", "kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: cond,
		}
	}
	sts := []Statement{keyAdministration(e, a.AdminARNs)}
	if r := accountReadKey(e, a.AdminARNs); r != nil {
		sts = append(sts, *r)
	}
	sts = append(sts,
		use(SidCloudWatchUseKey, cloudWatchService, Condition{"StringEquals": {"aws:SourceAccount": {e.AccountID}}}),
		use(SidEventBridgeUseKey, eventBridgeService, nil),
	)
	return newDoc(ResourcePolicy, es.Inline("policy: TopicKey"), sts...)
}

// TopicArgs are the inputs of Topic.
type TopicArgs struct {
	Env      awsenv.Env
	TopicARN string
}

// Topic is the topic policy of the alarm topic: the account manages it, this account's CloudWatch
// alarms and EventBridge rules publish to it, and nobody publishes without TLS.
func Topic(a TopicArgs) Document {
	e := a.Env
	var es validate.Errors
	checkEnv(&es, e)
	checkTopicARN(&es, e, "TopicARN", a.TopicARN)
	publish := func(sid, svc, sourceARN string) Statement {
		return Statement{
			Sid:       sid,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(svc)),
			Action:    []string{"sns:Publish"},
			Resource:  []string{a.TopicARN},
			Condition: Condition{
				"StringEquals": {"aws:SourceAccount": {e.AccountID}},
				"ArnLike":      {"aws:SourceArn": {sourceARN}},
			},
		}
	}
	return newDoc(ResourcePolicy, es.Inline("policy: Topic"),
		// SNS's default statement, with the account root as principal instead of "*".
		// https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
		Statement{
			Sid:       SidTopicOwner,
			Effect:    "Allow",
			Principal: AWSPrincipal(e.AccountRootARN()),
			Action:    TopicOwnerActions,
			Resource:  []string{a.TopicARN},
			Condition: Condition{"StringEquals": {"AWS:SourceOwner": {e.AccountID}}},
		},
		// Only this account's alarms (aws:SourceArn alarm:*) may publish.
		// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
		publish(SidCloudWatchPublish, cloudWatchService, e.ARN("cloudwatch", e.Region, e.AccountID, "alarm:*")),
		// Only this account's EventBridge rules (any bus: rule/<bus>/<name> matches rule/*).
		// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
		publish(SidEventBridgePublish, eventBridgeService, e.ARN("events", e.Region, e.AccountID, "rule/*")),
		// https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit
		denyInsecureTransport(SidDenyInsecurePublish, []string{"sns:Publish"}, a.TopicARN),
	)
}

// checkTopicARN checks that value is an SNS topic ARN of e's partition, with a region and an
// account.
func checkTopicARN(es *validate.Errors, e awsenv.Env, field, value string) {
	p, ok := awsenv.ParseARN(value)
	if !ok || p.Partition != e.Partition || p.Service != "sns" || p.Region == "" || p.Account == "" ||
		strings.Contains(p.Resource, ":") {
		es.Add(
			field,
			value,
			"is not an SNS topic ARN of partition "+e.Partition+" like "+e.ARN(
				"sns",
				e.Region,
				e.AccountID,
				"my-topic",
			),
			"",
		)
	}
}

// DeliveryTopic is the policy of the topic CloudTrail notifies on each log file delivery: only
// CloudTrail, only as this trail, and nobody without TLS. CloudTrail publishes over TLS like every
// AWS service, and Bool "false" matches only requests that carry aws:SecureTransport=false, so the
// deny never blocks it.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-permissions-for-sns-notifications.html
func DeliveryTopic(e awsenv.Env, topicARN, trailARN string) Document {
	var es validate.Errors
	checkEnv(&es, e)
	checkTopicARN(&es, e, "topicARN", topicARN)
	checkARN(&es, e, "trailARN", trailARN, "cloudtrail", "trail/", e.TrailARN("my-trail"))
	return newDoc(ResourcePolicy, es.Inline("policy: DeliveryTopic"),
		Statement{
			Sid:       SidCloudTrailPublish,
			Effect:    "Allow",
			Principal: ServicePrincipals(e.ServicePrincipal(cloudTrailService)),
			Action:    []string{"sns:Publish"},
			Resource:  []string{topicARN},
			Condition: Condition{"StringEquals": {"aws:SourceArn": {trailARN}}},
		},
		denyInsecureTransport(SidDenyInsecurePublish, []string{"sns:Publish"}, topicARN),
	)
}

// EventBridgeForwardTrust is the trust policy of the role a forwarding rule uses: only EventBridge,
// only on behalf of that one rule of this account (the confused-deputy guard: EventBridge sets
// aws:SourceArn to the rule's ARN when it assumes a target role).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
func EventBridgeForwardTrust(e awsenv.Env, ruleARN string) Document {
	var es validate.Errors
	checkEnv(&es, e)
	checkARN(&es, e, "ruleARN", ruleARN, eventBridgeService, "rule/", e.EventRuleARN(e.Region, "my-rule"))
	return newDoc(TrustPolicy, es.Inline("policy: EventBridgeForwardTrust"), Statement{
		Sid:       SidEventBridgeAssumeRole,
		Effect:    "Allow",
		Principal: ServicePrincipals(e.ServicePrincipal(eventBridgeService)),
		Action:    []string{"sts:AssumeRole"},
		Condition: Condition{"StringEquals": {
			"aws:SourceAccount": {e.AccountID},
			"aws:SourceArn":     {ruleARN},
		}},
	})
}

// EventBridgePutEvents is the role policy of a forwarding role: events:PutEvents on exactly one
// event bus (the home region's default bus), the permission a rule needs to target an event bus in
// another Region.
// https://repost.aws/knowledge-center/eventbridge-centralized-bus-to-bus
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
func EventBridgePutEvents(busARN string) Document {
	return putEvents("EventBridgePutEvents", SidPutEventsHomeBus, busARN)
}

// putEvents is events:PutEvents on exactly the bus busARN (no wildcard), under sid.
func putEvents(constructor, sid, busARN string) Document {
	var es validate.Errors
	if p, ok := awsenv.ParseARN(busARN); !ok || p.Service != eventBridgeService ||
		!strings.HasPrefix(p.Resource, "event-bus/") ||
		p.Resource == "event-bus/" ||
		strings.Contains(p.Resource, "*") {
		es.Add(
			"busARN",
			busARN,
			"is not an event bus ARN like arn:aws:events:us-east-1:111122223333:event-bus/default",
			"",
		)
	}
	return newDoc(IdentityPolicy, es.Inline("policy: "+constructor), Statement{
		Sid:      sid,
		Effect:   "Allow",
		Action:   []string{"events:PutEvents"},
		Resource: []string{busARN},
	})
}

// CloudFormation substitutions for the documents a StackSet template carries: each member
// account's stack fills in its own account and region (the template wraps every string holding one
// in Fn::Sub).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/pseudo-parameter-reference.html
const (
	CFNAccountID = "${AWS::AccountId}"
	CFNRegion    = "${AWS::Region}"
)

// OrganizationBus is the resource policy of the central event bus that member accounts forward
// their root activity to: events:PutEvents on that one bus, by the member accounts' forwarding
// roles (the roles the StackSet template creates under MemberForwardRolePath(busARN), in any
// account) of the organization orgID, and nobody else. "Principal": "*" with aws:PrincipalOrgID is
// AWS's documented way to admit every account of an organization, including accounts that join
// later. EventBridge delivers a member rule's events to a bus of another account through the
// rule's role, which it requires for a bus that admits its senders through the organization
// ("accounts in that organization must specify a RoleArn"); the request is the role's, and for a
// role aws:PrincipalArn is "the ARN of the role, not the ARN of the user that assumed the role"
// (arn:<partition>:iam::<account>:role/<path><name>), so ArnLike on the path admits the forwarding
// roles and refuses the organization's users and other roles (a developer's own PutEvents). It
// does not stop a member account's IAM administrator, who can create a role under the same path:
// this narrows who can put events, and what a rule matches is guarded by the rules requiring an
// AWS source, which no PutEvents caller can set.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-eventbuspolicy.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
func OrganizationBus(e awsenv.Env, busARN, orgID string) Document {
	var es validate.Errors
	checkEnv(&es, e)
	checkARN(
		&es,
		e,
		"busARN",
		busARN,
		eventBridgeService,
		"event-bus/",
		e.ARN("events", e.Region, e.AccountID, "event-bus/my-bus"),
	)
	if !validate.IsOrganizationID(orgID) {
		es.Add("orgID", orgID, "is not an AWS Organizations id ("+validate.OrganizationIDRule+")", "")
	}
	return newDoc(ResourcePolicy, es.Inline("policy: OrganizationBus"), Statement{
		Sid:       SidOrganizationPutEvents,
		Effect:    "Allow",
		Principal: AnyPrincipal(),
		Action:    []string{"events:PutEvents"},
		Resource:  []string{busARN},
		Condition: Condition{
			"StringEquals": {"aws:PrincipalOrgID": {orgID}},
			"ArnLike":      {"aws:PrincipalArn": {MemberForwardRoleARNPattern(e.Partition, busARN)}},
		},
	}, Statement{
		// SaaS partners' events have sources "aws.partner/<partner>/...", which pass the API-call
		// rules' "aws." prefix while the partner writes their detail-type and detail. A member's
		// rule on its partner event bus could target this bus through a role under the forwarding
		// path; this refuses any PutEvents naming such a source (events:source, as AWS's example
		// policy for a custom bus restricts it). It denies only, so where EventBridge did not set
		// the key it takes nothing away.
		// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-saas.html
		// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-example-policy-cross-account-custom-bus-source.html
		Sid:       SidDenyPartnerEvents,
		Effect:    "Deny",
		Principal: AnyPrincipal(),
		Action:    []string{"events:PutEvents"},
		Resource:  []string{busARN},
		Condition: Condition{"ForAnyValue:StringLike": {"events:source": {"aws.partner/*"}}},
	})
}

// MemberForwardRolePath is the IAM path of the member accounts' forwarding roles to the central bus
// busARN: "/rootwatch/<bus name>/", so that the bus admits the roles of its own StackSet alone
// (another rootwatch deployment's bus has another name). CloudFormation names each role (one per
// account and region) under it.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-friendly-names
func MemberForwardRolePath(busARN string) string {
	name := busARN
	if i := strings.Index(busARN, ":event-bus/"); i >= 0 {
		name = busARN[i+len(":event-bus/"):]
	}
	return "/rootwatch/" + name + "/"
}

// MemberForwardRoleARNPattern is the ArnLike pattern of those roles' ARNs in any account of
// partition.
func MemberForwardRoleARNPattern(partition, busARN string) string {
	return awsenv.ARN(partition, "iam", "", "*", "role"+MemberForwardRolePath(busARN)+"*")
}

// MemberForwardTrust is the trust policy of the role a member account's forwarding rule uses, as
// the StackSet template writes it: only EventBridge, only for the rule ruleName of the member's
// own account and region (aws:SourceAccount and aws:SourceArn, which EventBridge sets when it
// assumes a target role; CFNAccountID and CFNRegion stand for the member's values).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/cross-service-confused-deputy-prevention.html
func MemberForwardTrust(e awsenv.Env, ruleName string) Document {
	var es validate.Errors
	if e.Partition == "" {
		es.Add("Env.Partition", "", "is required", "aws, aws-cn or aws-us-gov")
	}
	if ruleName == "" || strings.ContainsAny(ruleName, "/*$") {
		es.Add("ruleName", ruleName, "is not a rule name", "")
	}
	return newDoc(TrustPolicy, es.Inline("policy: MemberForwardTrust"), Statement{
		Sid:       SidMemberForwardAssumeRole,
		Effect:    "Allow",
		Principal: ServicePrincipals(e.ServicePrincipal(eventBridgeService)),
		Action:    []string{"sts:AssumeRole"},
		Condition: Condition{"StringEquals": {
			"aws:SourceAccount": {CFNAccountID},
			"aws:SourceArn":     {e.ARN("events", CFNRegion, CFNAccountID, "rule/"+ruleName)},
		}},
	})
}

// MemberPutEvents is the role policy of a member account's forwarding role: events:PutEvents on
// exactly the central bus, the permission EventBridge needs to deliver to a bus of another
// account through a role (EventBridgePutEvents, under its own Sid).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html
func MemberPutEvents(centralBusARN string) Document {
	return putEvents("MemberPutEvents", SidPutEventsCentralBus, centralBusARN)
}

// ChatbotTrust is the trust policy of the chat channel role: only the Amazon Q Developer in chat
// applications (AWS Chatbot) service principal may assume it, as in AWS's own role for it. AWS
// documents no aws:SourceArn or aws:SourceAccount value that the service sets when it assumes a
// channel role, so none is required here: a condition the service does not satisfy would deny
// every assume and silence the channel. The role can do nothing but read CloudWatch
// (ChatbotNotifications).
// https://docs.aws.amazon.com/chatbot/latest/adminguide/getting-started.html
// https://docs.aws.amazon.com/chatbot/latest/adminguide/security_iam_service-with-iam-id-based-policies.html
func ChatbotTrust(e awsenv.Env) Document {
	var es validate.Errors
	checkEnv(&es, e)
	return newDoc(TrustPolicy, es.Inline("policy: ChatbotTrust"), Statement{
		Sid:       SidChatbotAssumeRole,
		Effect:    "Allow",
		Principal: ServicePrincipals(e.ServicePrincipal("chatbot")),
		Action:    []string{"sts:AssumeRole"},
	})
}

// ChatbotNotificationsActions are the actions of AWS's "Notification permissions" channel-role
// template: Chatbot reads the alarm and its metric to draw the graph of an alarm notification.
// https://docs.aws.amazon.com/chatbot/latest/adminguide/chatbot-iam-policies.html
var ChatbotNotificationsActions = []string{"cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"}

// ChatbotNotifications is both the channel role's policy and the channel guardrail: the
// notification permissions and nothing else. A configuration without a guardrail gets
// AdministratorAccess as its guardrail; the narrowest AWS managed policy Chatbot lists,
// CloudWatchReadOnlyAccess, also reads logs, SNS and more, so the guardrail is a customer managed
// policy with exactly these actions. Channel members therefore cannot run commands beyond reading
// CloudWatch.
// https://docs.aws.amazon.com/chatbot/latest/adminguide/understanding-permissions.html
// https://docs.aws.amazon.com/chatbot/latest/APIReference/API_CreateSlackChannelConfiguration.html
func ChatbotNotifications() Document {
	return newDoc(IdentityPolicy, nil, Statement{
		Sid:      SidChatbotNotifications,
		Effect:   "Allow",
		Action:   slices.Clone(ChatbotNotificationsActions),
		Resource: []string{"*"},
	})
}
