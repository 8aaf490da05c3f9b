package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/trail"
)

// trailComponent is rootwatch:trail:Trail as the package serves it: the types below, and the
// descriptions of the outputs of the Go component (trail.Trail).
var trailComponent = servedComponent{
	inferred: infer.Component[*Trail](&Trail{}),
	token:    trail.TypeToken,
	types: map[string]reflect.Type{
		trail.TypeToken:             reflect.TypeFor[TrailArgs](),
		"rootwatch:trail:Lifecycle": reflect.TypeFor[Lifecycle](),
	},
	outputs: map[string]string{
		"trailArn":   "The trail's ARN.",
		"trailName":  "The trail's name.",
		"bucketName": "The bucket receiving the log files.",
		"bucketArn":  "The bucket's ARN.",
		"accessLogBucketName": "The bucket receiving the log bucket's server access logs (\"\" when the bucket is " +
			"brought with existingBucketName).",
		"keyArn":           "The KMS key encrypting the log files and the log group.",
		"logGroupName":     "The CloudWatch Logs group receiving the trail: pass it to Alarms' logGroupName.",
		"logGroupArn":      "The log group's ARN, without the \":*\" suffix.",
		"logsRoleArn":      "The IAM role CloudTrail delivers to CloudWatch Logs with.",
		"deliveryTopicArn": "The log file delivery topic (\"\" unless deliveryNotifications).",
		"requiredKeyPolicy": "The JSON key policy the key must hold for this trail to deliver: the applied policy " +
			"when the key is created, to hand to its owner when it is brought.",
		"requiredBucketPolicy": "The JSON bucket policy the bucket must hold for this trail to deliver: the applied " +
			"policy when the bucket is created, to hand to its owner when it is brought.",
	},
}

// Trail serves rootwatch:trail:Trail.
type Trail struct{}

// Annotate sets the token and the description.
func (r *Trail) Annotate(a infer.Annotator) {
	a.SetToken("trail", "Trail")
	a.Describe(r, "A CloudTrail trail in every region with log file validation, its log files encrypted with a "+
		"customer managed KMS key in a hardened S3 bucket (with an access-log bucket) and delivered to a CloudWatch "+
		"Logs group. Evidence (buckets, key, log group) is retained when removed from the stack unless forceDestroy "+
		"is set. Every argument is checked before anything is created.")
}

// TrailArgs are trail.Args.
type TrailArgs struct {
	TrailName             string            `pulumi:"trailName"`
	S3KeyPrefix           string            `pulumi:"s3KeyPrefix,optional"`
	LogGroupName          string            `pulumi:"logGroupName,optional"`
	LogRetentionDays      int               `pulumi:"logRetentionDays,optional"`
	Lifecycle             *Lifecycle        `pulumi:"lifecycle,optional"`
	OrganizationTrail     bool              `pulumi:"organizationTrail,optional"`
	OrganizationID        string            `pulumi:"organizationId,optional"`
	ForceDestroy          bool              `pulumi:"forceDestroy,optional"`
	DeliveryNotifications bool              `pulumi:"deliveryNotifications,optional"`
	KeyAdminARNs          []string          `pulumi:"keyAdminArns,optional"`
	ExistingKeyARN        string            `pulumi:"existingKeyArn,optional"`
	ExistingBucketName    string            `pulumi:"existingBucketName,optional"`
	Tags                  map[string]string `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *TrailArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.TrailName, "The trail's name (required): "+validate.TrailNameRule+". The key, bucket and role "+
		"policies name the trail's ARN before it exists, so it is not auto-named.")
	an.Describe(&a.S3KeyPrefix, "The console's \"folder\": log files go to <prefix>/AWSLogs/... Up to 200 characters "+
		"from a-z A-Z 0-9 ! _ . * ' ( ) - /, with no leading, trailing or doubled \"/\". Default: none.")
	an.Describe(&a.LogGroupName, "The CloudWatch Logs group receiving the trail. Default: /aws/cloudtrail/<trailName>.")
	an.Describe(
		&a.LogRetentionDays,
		fmt.Sprintf(
			"Retention of the log group in days, one of %s. Default: %d.",
			validate.JoinInts(validate.CloudWatchRetentionDays),
			trail.DefaultLogRetentionDays,
		),
	)
	an.Describe(&a.Lifecycle, "How long log files stay where, in the trail bucket and its access-log bucket. Default "+
		"(unset): every log file kept forever, those of 128 KB or more moved to GLACIER_IR after 90 days, deleted "+
		"versions kept 365 days. When set, a field left out is 0: that step is off.")
	an.Describe(&a.OrganizationTrail, "Make an organization trail (deploy from the organization's management "+
		"account, or from CloudTrail's delegated administrator: the management account owns the trail either way); "+
		"organizationId is then required. Default: false.")
	an.Describe(&a.OrganizationID, "The AWS Organizations id (o- followed by 10 to 32 lowercase letters or digits); "+
		"required with organizationTrail, refused without it.")
	an.Describe(&a.ForceDestroy, "Let `pulumi destroy` delete the buckets with their log files and the log group, "+
		"and schedule the key's deletion. Default: false, and they are retained when removed from the stack.")
	an.Describe(&a.DeliveryNotifications, "Create an SNS topic (encrypted with the trail key) that CloudTrail "+
		"notifies on each log file delivery. Default: false.")
	an.Describe(&a.KeyAdminARNs, "IAM principals (ARNs) that administer the trail key. Default: the account, through "+
		"its IAM policies. When set, include the deploying identity (its role, for an assumed role) or the account "+
		"root, or KMS refuses the key policy.")
	an.Describe(&a.ExistingKeyARN, "Bring a KMS key (a key ARN, not an alias) instead of creating one; its owner "+
		"applies the requiredKeyPolicy output.")
	an.Describe(&a.ExistingBucketName, "Bring the log bucket (a log-archive account's) instead of creating one; "+
		"needs existingKeyArn, and its owner applies the requiredBucketPolicy output.")
	an.Describe(&a.Tags, "Tags on every taggable resource (not on an organization trail deployed from CloudTrail's "+
		"delegated administrator: the management account owns it): at most 50, keys of 1 to 128 and values of at "+
		"most 256 characters, no \"aws:\" prefix.")
}

// Lifecycle is trail.Lifecycle.
type Lifecycle struct {
	ArchiveAfterDays          int    `pulumi:"archiveAfterDays,optional"`
	ArchiveStorageClass       string `pulumi:"archiveStorageClass,optional"`
	ExpireAfterDays           int    `pulumi:"expireAfterDays,optional"`
	NoncurrentExpireAfterDays int    `pulumi:"noncurrentExpireAfterDays,optional"`
}

// Annotate sets the type's token and describes its fields.
func (l *Lifecycle) Annotate(a infer.Annotator) {
	a.SetToken("trail", "Lifecycle")
	a.Describe(l, "Lifecycle of the trail's log buckets. Zero turns a step off.")
	a.Describe(&l.ArchiveAfterDays, "Move log files of 128 KB or more to archiveStorageClass after this many days "+
		"(0: never). Smaller files stay in S3 Standard, where they cost less.")
	a.Describe(
		&l.ArchiveStorageClass,
		"The storage class log files move to: "+strings.Join(
			trail.ArchiveStorageClasses,
			", ",
		)+". Required when archiveAfterDays is set; STANDARD_IA needs archiveAfterDays of 30 or more.",
	)
	a.Describe(&l.ExpireAfterDays, "Delete log files this many days after they were written (0: never); must be "+
		"after archiveAfterDays.")
	a.Describe(&l.NoncurrentExpireAfterDays, "Delete overwritten or deleted versions this many days after they "+
		"stopped being current (0: never).")
}

func (a TrailArgs) goArgs() *trail.Args {
	args := &trail.Args{
		TrailName: a.TrailName, S3KeyPrefix: a.S3KeyPrefix, LogGroupName: a.LogGroupName,
		LogRetentionDays: a.LogRetentionDays, OrganizationTrail: a.OrganizationTrail,
		OrganizationID: a.OrganizationID, ForceDestroy: a.ForceDestroy,
		DeliveryNotifications: a.DeliveryNotifications, KeyAdminARNs: a.KeyAdminARNs,
		ExistingKeyARN: a.ExistingKeyARN, ExistingBucketName: a.ExistingBucketName, Tags: a.Tags,
	}
	if l := a.Lifecycle; l != nil {
		args.Lifecycle = &trail.Lifecycle{
			ArchiveAfterDays: l.ArchiveAfterDays, ArchiveStorageClass: l.ArchiveStorageClass,
			ExpireAfterDays: l.ExpireAfterDays, NoncurrentExpireAfterDays: l.NoncurrentExpireAfterDays,
		}
	}
	return args
}

// Construct calls trail.New.
func (*Trail) Construct(
	ctx *pulumi.Context, name, _ string, args TrailArgs, opts pulumi.ResourceOption,
) (*trail.Trail, error) {
	return trail.New(ctx, name, args.goArgs(), opts)
}
