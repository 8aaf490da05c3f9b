package trail

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/hardened"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:trail:Trail"

// Defaults.
const (
	DefaultLogRetentionDays = 365
	// KeyDeletionWindowDays is the trail key's deletion window: the longest KMS allows, so a key
	// scheduled for deletion by mistake can be recovered for 30 days, and with it every log file.
	KeyDeletionWindowDays = hardened.KeyDeletionWindowDays
	// abortMultipartDays cleans up uploads CloudTrail never completed.
	abortMultipartDays = 7
	// TransitionMinimumObjectSize is the lifecycle configuration's default minimum object size for
	// transitions: S3 moves no object under 128 KB to another storage class (S3's default for new
	// lifecycle configurations since September 2024, pinned here so the graph shows it and an
	// account or provider default cannot change it). Most CloudTrail log files, and nearly every
	// server access log file, are a few KB (gzipped), and in S3 Standard they cost less than in any
	// archive class: GLACIER_IR and STANDARD_IA bill each object as at least 128 KB (a 5 KB file
	// costs what 128 KB do); INTELLIGENT_TIERING keeps objects under 128 KB in its Frequent Access
	// tier, at Standard's price; GLACIER and DEEP_ARCHIVE add 40 KB of overhead per object, 8 KB of
	// it at the Standard rate; and every transition is a billed request. So small files stay in
	// Standard (still versioned, retained, and expired by the same rule) and larger ones (busy
	// accounts, organization trails) move, where the archive class does save money.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
	TransitionMinimumObjectSize = "all_storage_classes_128K"
)

// Trail is the component: a CloudTrail trail whose logs are encrypted with a customer managed key,
// kept in a hardened S3 bucket and delivered to CloudWatch Logs.
type Trail struct {
	pulumi.ResourceState

	TrailArn            pulumi.StringOutput `pulumi:"trailArn"`
	TrailName           pulumi.StringOutput `pulumi:"trailName"`
	BucketName          pulumi.StringOutput `pulumi:"bucketName"`
	BucketArn           pulumi.StringOutput `pulumi:"bucketArn"`
	AccessLogBucketName pulumi.StringOutput `pulumi:"accessLogBucketName"` // "" when the bucket is brought
	KeyArn              pulumi.StringOutput `pulumi:"keyArn"`
	LogGroupName        pulumi.StringOutput `pulumi:"logGroupName"`
	LogGroupArn         pulumi.StringOutput `pulumi:"logGroupArn"` // without the ":*" suffix
	LogsRoleArn         pulumi.StringOutput `pulumi:"logsRoleArn"`
	DeliveryTopicArn    pulumi.StringOutput `pulumi:"deliveryTopicArn"` // "" unless DeliveryNotifications
	// RequiredKeyPolicy and RequiredBucketPolicy are the JSON policies the key and bucket must hold
	// for this trail to deliver. When rootwatch creates them they are the policies applied; when
	// they are brought, hand these to their owners.
	RequiredKeyPolicy    pulumi.StringOutput `pulumi:"requiredKeyPolicy"`
	RequiredBucketPolicy pulumi.StringOutput `pulumi:"requiredBucketPolicy"`
}

// New creates the trail and everything it needs. It validates args before registering anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Trail, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	a := args.withDefaults()

	comp := &Trail{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("trail %s: %w", name, err)
	}
	owner, err := trailOwner(ctx, env, a.OrganizationTrail, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("trail %s: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, a: a, env: env, owner: owner, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("trail %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"trailArn":             comp.TrailArn,
		"trailName":            comp.TrailName,
		"bucketName":           comp.BucketName,
		"bucketArn":            comp.BucketArn,
		"accessLogBucketName":  comp.AccessLogBucketName,
		"keyArn":               comp.KeyArn,
		"logGroupName":         comp.LogGroupName,
		"logGroupArn":          comp.LogGroupArn,
		"logsRoleArn":          comp.LogsRoleArn,
		"deliveryTopicArn":     comp.DeliveryTopicArn,
		"requiredKeyPolicy":    comp.RequiredKeyPolicy,
		"requiredBucketPolicy": comp.RequiredBucketPolicy,
	}); err != nil {
		return nil, fmt.Errorf("trail %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	// owner is the account that owns the trail (trailOwner): env's, or the management account's for an
	// organization trail.
	owner string
	comp  *Trail
	tags  pulumi.StringMap

	trailARN    string
	logGroupARN string
	keyArn      pulumi.StringOutput
	lgArn       pulumi.StringOutput
	roleArn     pulumi.StringOutput
	deps        []pulumi.Resource // what the trail must wait for
}

func (b *builder) child() pulumi.ResourceOption { return pulumi.Parent(b.comp) }

// retain keeps evidence (buckets, key, log group) when it leaves the stack, unless ForceDestroy;
// and the buckets' hardening with them (ownership, public access block, versioning, encryption,
// lifecycle, policies, logging), since deleting those resources would suspend versioning, re-enable
// ACLs and drop the TLS-only policy on the buckets that stay.
func (b *builder) retain() pulumi.ResourceOption { return pulumi.RetainOnDelete(!b.a.ForceDestroy) }

func (b *builder) build() error {
	b.trailARN = b.env.InAccount(b.owner).TrailARN(b.a.TrailName)
	b.logGroupARN = b.env.LogGroupARN(b.a.LogGroupName)

	keyPolicy, err := b.keyPolicy()
	if err != nil {
		return err
	}
	b.comp.RequiredKeyPolicy = pulumi.String(keyPolicy).ToStringOutput()
	if err := b.key(keyPolicy); err != nil {
		return err
	}
	if err := b.buckets(); err != nil {
		return err
	}
	if err := b.logs(); err != nil {
		return err
	}
	return b.trail()
}

func (b *builder) keyPolicy() (string, error) {
	admins := b.a.KeyAdminARNs
	if len(admins) == 0 && b.a.ExistingKeyARN != "" {
		// A brought key is administered by the account that owns it.
		key, _ := awsenv.ParseARN(b.a.ExistingKeyARN)
		admins = []string{fmt.Sprintf("arn:%s:iam::%s:root", key.Partition, key.Account)}
	}
	org := ""
	if b.a.OrganizationTrail {
		org = b.a.OrganizationID
	}
	doc := policy.TrailKey(policy.TrailKeyArgs{
		Env: b.env, TrailARN: b.trailARN, LogGroupARN: b.logGroupARN, OrganizationID: org, AdminARNs: admins,
		DeliveryNotifications: b.a.DeliveryNotifications,
	})
	return doc.JSON()
}

func (b *builder) key(keyPolicy string) error {
	if b.a.ExistingKeyARN != "" {
		b.keyArn = pulumi.String(b.a.ExistingKeyARN).ToStringOutput()
		b.comp.KeyArn = b.keyArn
		return nil
	}
	key, err := hardened.Key(b.ctx, b.name+"-key", hardened.KeyArgs{
		Description: pulumi.Sprintf(
			"rootwatch: encrypts CloudTrail log files and the CloudWatch Logs group of trail %s",
			b.a.TrailName,
		),
		Policy: keyPolicy,
		Alias:  "alias/rootwatch/trail/" + b.a.TrailName,
		Tags:   b.tags,
		Retain: !b.a.ForceDestroy,
	}, b.child())
	if err != nil {
		return err
	}
	b.keyArn = key.Arn
	b.comp.KeyArn = key.Arn
	b.deps = append(b.deps, key)
	return nil
}

// hardenedBucket creates a bucket (hardened.NewBucket) with versioning and the log buckets'
// lifecycle rule; the caller adds its policy.
func (b *builder) hardenedBucket(suffix string,
	sse s3.BucketServerSideEncryptionConfigurationV2RuleArgs) (*s3.BucketV2, []pulumi.Resource, error) {
	hb, err := hardened.NewBucket(b.ctx, b.name+"-"+suffix, hardened.BucketArgs{
		ForceDestroy: b.a.ForceDestroy, Tags: b.tags, Versioned: true, Encryption: sse,
		Lifecycle:                   lifecycleRule(*b.a.Lifecycle),
		TransitionMinimumObjectSize: pulumi.String(TransitionMinimumObjectSize),
	}, b.child(), b.retain())
	if err != nil {
		return nil, nil, err
	}
	return hb.Bucket, hb.Settings, nil
}

// lifecycleRule is the one rule of both log buckets. Its filter selects every object, whatever
// its size: the transition's size floor comes from TransitionMinimumObjectSize (an object-size
// filter here would also keep expiration from small files).
func lifecycleRule(l Lifecycle) s3.BucketLifecycleConfigurationV2RuleArgs {
	rule := s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:     pulumi.String("rootwatch-log-lifecycle"),
		Status: pulumi.String("Enabled"),
		Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
			DaysAfterInitiation: pulumi.Int(abortMultipartDays),
		},
	}
	if l.ArchiveAfterDays > 0 {
		rule.Transitions = s3.BucketLifecycleConfigurationV2RuleTransitionArray{
			s3.BucketLifecycleConfigurationV2RuleTransitionArgs{
				Days:         pulumi.Int(l.ArchiveAfterDays),
				StorageClass: pulumi.String(l.ArchiveStorageClass),
			},
		}
	}
	if l.ExpireAfterDays > 0 {
		rule.Expiration = &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(l.ExpireAfterDays)}
	}
	if l.NoncurrentExpireAfterDays > 0 {
		rule.NoncurrentVersionExpiration = &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
			NoncurrentDays: pulumi.Int(l.NoncurrentExpireAfterDays),
		}
	}
	return rule
}

func (b *builder) bucketPolicyDoc(bucketARN string) (string, error) {
	org := ""
	if b.a.OrganizationTrail {
		org = b.a.OrganizationID
	}
	return policy.TrailBucket(policy.TrailBucketArgs{
		Env: b.env, BucketARN: bucketARN, KeyPrefix: b.a.S3KeyPrefix, TrailARN: b.trailARN, OrganizationID: org,
	}).JSON()
}

// accessLogPrefix is where S3 writes the trail bucket's server access logs, and the only place
// the access-log bucket policy lets the logging service write.
const accessLogPrefix = "s3-access/"

func (b *builder) buckets() error {
	if b.a.ExistingBucketName != "" {
		arn := fmt.Sprintf("arn:%s:s3:::%s", b.env.Partition, b.a.ExistingBucketName)
		doc, err := b.bucketPolicyDoc(arn)
		if err != nil {
			return err
		}
		b.comp.BucketName = pulumi.String(b.a.ExistingBucketName).ToStringOutput()
		b.comp.BucketArn = pulumi.String(arn).ToStringOutput()
		b.comp.AccessLogBucketName = pulumi.String("").ToStringOutput()
		b.comp.RequiredBucketPolicy = pulumi.String(doc).ToStringOutput()
		return nil
	}

	// Server access logs: SSE-S3, because S3's guide allows only SSE-S3 default encryption on a
	// server-access-logging destination bucket.
	// https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
	logsBucket, logsDeps, err := b.hardenedBucket("access-logs", s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
		ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm: pulumi.String("AES256"),
		},
	})
	if err != nil {
		return err
	}
	bucket, bucketDeps, err := b.hardenedBucket("bucket", s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
		ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
			SseAlgorithm:   pulumi.String("aws:kms"),
			KmsMasterKeyId: b.keyArn,
		},
		// No S3 Bucket Key: with one, CloudTrail needs kms:Decrypt on the key to create the trail,
		// and S3 uses the bucket ARN as encryption context instead of the trail's, which the key
		// policy's kms:EncryptionContext:aws:cloudtrail:arn conditions rely on. CloudTrail writes
		// few, large objects, so the KMS request savings a Bucket Key brings are small.
		// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
		BucketKeyEnabled: pulumi.Bool(false),
	})
	if err != nil {
		return err
	}

	logsPolicy := pulumi.All(logsBucket.Arn, bucket.Arn).ApplyT(func(v []any) (string, error) {
		return policy.AccessLogBucket(policy.AccessLogBucketArgs{
			Env: b.env, BucketARN: v[0].(string), SourceBucketARN: v[1].(string), TargetPrefix: accessLogPrefix,
		}).JSON()
	}).(pulumi.StringOutput)
	logsBucketPolicy, err := s3.NewBucketPolicy(b.ctx, b.name+"-access-logs-policy", &s3.BucketPolicyArgs{
		Bucket: logsBucket.ID(),
		Policy: logsPolicy,
	}, b.child(), b.retain(), pulumi.DependsOn(logsDeps))
	if err != nil {
		return err
	}
	logging, err := s3.NewBucketLoggingV2(b.ctx, b.name+"-bucket-logging", &s3.BucketLoggingV2Args{
		Bucket:       bucket.ID(),
		TargetBucket: logsBucket.ID(),
		TargetPrefix: pulumi.String(accessLogPrefix),
		TargetObjectKeyFormat: &s3.BucketLoggingV2TargetObjectKeyFormatArgs{
			PartitionedPrefix: &s3.BucketLoggingV2TargetObjectKeyFormatPartitionedPrefixArgs{
				PartitionDateSource: pulumi.String("EventTime"),
			},
		},
	}, b.child(), b.retain(), pulumi.DependsOn([]pulumi.Resource{logsBucketPolicy}))
	if err != nil {
		return err
	}

	trailPolicy := bucket.Arn.ApplyT(b.bucketPolicyDoc).(pulumi.StringOutput)
	bucketPolicy, err := s3.NewBucketPolicy(b.ctx, b.name+"-bucket-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: trailPolicy,
	}, b.child(), b.retain(), pulumi.DependsOn(bucketDeps))
	if err != nil {
		return err
	}
	b.comp.BucketName = bucket.Bucket
	b.comp.BucketArn = bucket.Arn
	b.comp.AccessLogBucketName = logsBucket.Bucket
	b.comp.RequiredBucketPolicy = trailPolicy
	b.deps = append(b.deps, bucketDeps...)
	b.deps = append(b.deps, bucketPolicy, logging)
	return nil
}

func (b *builder) logs() error {
	lg, err := cloudwatch.NewLogGroup(b.ctx, b.name+"-log-group", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(b.a.LogGroupName),
		KmsKeyId:        b.keyArn,
		RetentionInDays: pulumi.Int(b.a.LogRetentionDays),
		Tags:            b.tags,
	}, b.child(), b.retain())
	if err != nil {
		return err
	}
	trust, err := policy.CloudTrailLogsTrust(b.env, b.trailARN).JSON()
	if err != nil {
		return err
	}
	role, err := iam.NewRole(b.ctx, b.name+"-logs-role", &iam.RoleArgs{
		Description: pulumi.Sprintf("rootwatch: lets CloudTrail trail %s deliver to CloudWatch Logs",
			b.a.TrailName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	delivery, err := policy.CloudTrailLogsDelivery(b.env, b.a.LogGroupName).JSON()
	if err != nil {
		return err
	}
	rp, err := iam.NewRolePolicy(b.ctx, b.name+"-logs-role-policy", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Policy: pulumi.String(delivery),
	}, b.child())
	if err != nil {
		return err
	}
	b.comp.LogGroupName = lg.Name
	b.comp.LogGroupArn = lg.Arn
	b.comp.LogsRoleArn = role.Arn
	b.deps = append(b.deps, lg, rp)
	b.lgArn = lg.Arn
	b.roleArn = role.Arn
	return nil
}

func (b *builder) trail() error {
	var topicName pulumi.StringPtrInput
	b.comp.DeliveryTopicArn = pulumi.String("").ToStringOutput()
	if b.a.DeliveryNotifications {
		name := validate.SNSTopicName(b.a.TrailName + "-log-delivery")
		topicARN := fmt.Sprintf("arn:%s:sns:%s:%s:%s", b.env.Partition, b.env.Region, b.env.AccountID, name)
		doc, err := policy.DeliveryTopic(b.env, topicARN, b.trailARN).JSON()
		if err != nil {
			return err
		}
		topic, err := sns.NewTopic(b.ctx, b.name+"-delivery-topic", &sns.TopicArgs{
			Name:           pulumi.String(name),
			KmsMasterKeyId: b.keyArn,
			Tags:           b.tags,
		}, b.child())
		if err != nil {
			return err
		}
		tp, err := sns.NewTopicPolicy(b.ctx, b.name+"-delivery-topic-policy", &sns.TopicPolicyArgs{
			Arn:    topic.Arn,
			Policy: pulumi.String(doc),
		}, b.child())
		if err != nil {
			return err
		}
		topicName = topic.Name
		b.comp.DeliveryTopicArn = topic.Arn
		b.deps = append(b.deps, tp)
	}
	var prefix pulumi.StringPtrInput
	if b.a.S3KeyPrefix != "" {
		prefix = pulumi.String(b.a.S3KeyPrefix)
	}
	t, err := cloudtrail.NewTrail(b.ctx, b.name+"-trail", &cloudtrail.TrailArgs{
		Name:                       pulumi.String(b.a.TrailName),
		S3BucketName:               b.comp.BucketName,
		S3KeyPrefix:                prefix,
		KmsKeyId:                   b.keyArn,
		EnableLogging:              pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		IsOrganizationTrail:        pulumi.Bool(b.a.OrganizationTrail),
		// CloudTrail wants the log group ARN with its ":*" suffix.
		CloudWatchLogsGroupArn: pulumi.Sprintf("%s:*", b.lgArn),
		CloudWatchLogsRoleArn:  b.roleArn,
		SnsTopicName:           topicName,
		EventSelectors: cloudtrail.TrailEventSelectorArray{
			cloudtrail.TrailEventSelectorArgs{
				ReadWriteType:           pulumi.String("All"),
				IncludeManagementEvents: pulumi.Bool(true),
			},
		},
		Tags: b.trailTags(),
	}, b.trailOptions()...)
	if err != nil {
		return err
	}
	b.comp.TrailArn = t.Arn
	b.comp.TrailName = t.Name
	return nil
}

// trailTags are the trail's tags: Args.Tags, except on an organization trail deployed from
// CloudTrail's delegated administrator, which gets none.
//
// That trail is the management account's: "The management account remains the owner of any
// CloudTrail organization resources the delegated administrator creates"
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html),
// so its ARN names the management account. The AWS provider (terraform-provider-aws, bridged by
// pulumi-aws) sends a trail's tags in CreateTrail's TagsList and changes them afterwards with
// AddTags and RemoveTags whose ResourceId is the trail's ARN (internal/service/cloudtrail/trail.go
// and its generated tags code, identifierAttribute "arn"). No AWS page says that the delegated
// administrator may tag a trail another account owns: the delegated administrator page grants
// "the same administrative tasks (except as noted)" without naming tags, and AddTags' reference
// names only the home-Region constraint
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AddTags.html). Unproven, a
// tag change would fail the `pulumi up` that makes it, after the rest of the stack changed; so the
// trail is left untagged there, and every resource the deploying account owns is still tagged.
//
// The trail also ignores changes to its tags there: a stack made by an earlier release tagged it,
// and setting no tags now would make the provider call RemoveTags on the management account's
// trail, the very call that is unproven.
func (b *builder) trailTags() pulumi.StringMap {
	if b.owner != b.env.AccountID {
		return nil
	}
	return b.tags
}

// trailOptions are the trail's resource options: a child waiting for its policies, and on the
// delegated administrator's organization trail, tags left as they are (see trailTags).
func (b *builder) trailOptions() []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{b.child(), pulumi.DependsOn(b.deps)}
	if b.owner != b.env.AccountID {
		opts = append(opts, pulumi.IgnoreChanges([]string{"tags", "tagsAll"}))
	}
	return opts
}
