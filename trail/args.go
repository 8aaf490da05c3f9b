package trail

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// ArchiveStorageClasses are the S3 storage classes log files may move to.
var ArchiveStorageClasses = []string{"STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"}

// Lifecycle says how long log files stay where. Zero turns a step off. The same rule applies to the
// trail bucket and its access-log bucket.
type Lifecycle struct {
	// ArchiveAfterDays moves log files of 128 KB or more to ArchiveStorageClass after this many
	// days (0: never). Smaller files stay in S3 Standard, where they cost less (see
	// TransitionMinimumObjectSize).
	ArchiveAfterDays int
	// ArchiveStorageClass is one of ArchiveStorageClasses.
	ArchiveStorageClass string
	// ExpireAfterDays deletes log files this many days after they were written (0: never). Evidence
	// is kept forever unless this is set.
	ExpireAfterDays int
	// NoncurrentExpireAfterDays deletes overwritten or deleted versions this many days after they
	// stopped being current (0: never).
	NoncurrentExpireAfterDays int
}

// DefaultLifecycle keeps every log file forever, those of 128 KB or more in Glacier Instant
// Retrieval after 90 days (still readable in milliseconds during an investigation; smaller ones stay
// in S3 Standard, which is cheaper for them, see TransitionMinimumObjectSize), and keeps deleted
// versions for a year.
func DefaultLifecycle() Lifecycle {
	return Lifecycle{ArchiveAfterDays: 90, ArchiveStorageClass: "GLACIER_IR", NoncurrentExpireAfterDays: 365}
}

// Args configures a Trail. Values that decide which resources exist, or that policies must name
// before the resources exist, are plain Go values so they can be validated before anything is
// registered.
type Args struct {
	// TrailName is the trail's name (required). The key, bucket and role policies name the trail's
	// ARN in aws:SourceArn conditions before the trail exists, so it cannot be auto-named.
	TrailName string
	// S3KeyPrefix is the console's "folder": log files go to <prefix>/AWSLogs/... ("" for none).
	S3KeyPrefix string
	// LogGroupName defaults to "/aws/cloudtrail/<TrailName>". The key policy names the log group in
	// its kms:EncryptionContext:aws:logs:arn condition before the log group exists.
	LogGroupName string
	// LogRetentionDays is the log group's retention (default 365); one of
	// validate.CloudWatchRetentionDays.
	LogRetentionDays int
	// Lifecycle of the log buckets; nil means DefaultLifecycle().
	Lifecycle *Lifecycle
	// OrganizationTrail makes an organization trail; OrganizationID ("o-...") is then required.
	// Deploy it from the organization's management account or from CloudTrail's delegated
	// administrator (Preflight checks which). Either way the management account owns the trail, so
	// the key and bucket policies name the management account's trail ARN (see trailOwner); the key,
	// buckets, log group and role are created in the deploying account.
	OrganizationTrail bool
	OrganizationID    string
	// ForceDestroy lets `pulumi destroy` delete the buckets with their log files, the log group and
	// schedule the key's deletion. Off by default: then those resources are retained when removed
	// from the stack (RetainOnDelete) and the buckets refuse deletion while not empty.
	ForceDestroy bool
	// DeliveryNotifications creates an SNS topic (encrypted with the trail key) that CloudTrail
	// notifies each time it delivers a log file: the console's optional "SNS notification delivery".
	DeliveryNotifications bool
	// KeyAdminARNs administer the trail key (default: the account, i.e. its IAM policies decide).
	// When set, they must include the identity that deploys (its role, for an assumed role) or the
	// account root, or KMS refuses the key policy; Preflight checks it.
	KeyAdminARNs []string
	// ExistingKeyARN brings a KMS key instead of creating one; its owner must apply the policy in the
	// RequiredKeyPolicy output. ExistingBucketName brings the log bucket too (a log-archive account);
	// it needs ExistingKeyARN, and its owner applies RequiredBucketPolicy. See doc.go for the
	// supported combinations.
	ExistingKeyARN     string
	ExistingBucketName string
	// Tags go on every taggable resource, except the trail itself when it is an organization trail
	// deployed from CloudTrail's delegated administrator (the management account owns it, and
	// tagging it from the delegated administrator is not proven; see trailTags).
	Tags map[string]string
}

var bucketNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// withDefaults returns a copy of a with defaults filled in.
func (a Args) withDefaults() Args {
	if a.LogGroupName == "" && a.TrailName != "" {
		a.LogGroupName = "/aws/cloudtrail/" + a.TrailName
	}
	if a.LogRetentionDays == 0 {
		a.LogRetentionDays = DefaultLogRetentionDays
	}
	if a.Lifecycle == nil {
		l := DefaultLifecycle()
		a.Lifecycle = &l
	}
	return a
}

// Validate reports every problem with a (after defaults), each naming its field.
func (a *Args) Validate() error {
	if a == nil {
		return fmt.Errorf("trail: args are required (at least TrailName)")
	}
	d := a.withDefaults()
	var es validate.Errors
	if d.TrailName == "" {
		es.Add("TrailName", "", "is required", validate.TrailNameRule)
	} else {
		validate.TrailName(&es, "TrailName", d.TrailName)
	}
	validate.S3KeyPrefix(&es, "S3KeyPrefix", d.S3KeyPrefix)
	if d.LogGroupName != "" {
		validate.LogGroupName(&es, "LogGroupName", d.LogGroupName)
	}
	validate.Retention(&es, "LogRetentionDays", d.LogRetentionDays)
	l := d.Lifecycle
	okArchive := validate.NonNegative(&es, "Lifecycle.ArchiveAfterDays", l.ArchiveAfterDays)
	okExpire := validate.NonNegative(&es, "Lifecycle.ExpireAfterDays", l.ExpireAfterDays)
	validate.NonNegative(&es, "Lifecycle.NoncurrentExpireAfterDays", l.NoncurrentExpireAfterDays)
	if l.ArchiveAfterDays > 0 {
		validate.OneOf(&es, "Lifecycle.ArchiveStorageClass", l.ArchiveStorageClass, ArchiveStorageClasses)
		// S3 refuses transitions to the infrequent-access classes before 30 days.
		// https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html
		infrequent := l.ArchiveStorageClass == "STANDARD_IA" || l.ArchiveStorageClass == "ONEZONE_IA"
		if infrequent && l.ArchiveAfterDays < 30 {
			es.Add("Lifecycle.ArchiveAfterDays", l.ArchiveAfterDays,
				"is under 30, the minimum S3 allows before "+l.ArchiveStorageClass, "30 or more")
		}
	}
	if okArchive && okExpire && l.ExpireAfterDays > 0 && l.ArchiveAfterDays > 0 &&
		l.ExpireAfterDays <= l.ArchiveAfterDays {
		es.Add("Lifecycle.ExpireAfterDays", l.ExpireAfterDays,
			"is not after the archive transition ("+fmt.Sprint(l.ArchiveAfterDays)+" days)",
			"0 (never) or more than ArchiveAfterDays")
	}
	if d.OrganizationTrail {
		if !validate.IsOrganizationID(d.OrganizationID) {
			es.Add("OrganizationID", d.OrganizationID,
				"is not an AWS Organizations id (needed for an organization trail)", validate.OrganizationIDRule)
		}
	} else if d.OrganizationID != "" {
		es.Add("OrganizationID", d.OrganizationID, "is set but OrganizationTrail is false",
			"empty unless OrganizationTrail is true")
	}
	for i, arn := range d.KeyAdminARNs {
		awsenv.CheckARN(&es, fmt.Sprintf("KeyAdminARNs[%d]", i), arn, "iam",
			"arn:aws:iam::111122223333:role/SecurityAdmin")
	}
	if d.ExistingKeyARN != "" {
		const example = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
		p, ok := awsenv.CheckARN(&es, "ExistingKeyARN", d.ExistingKeyARN, "kms", example)
		if ok && !strings.HasPrefix(p.Resource, "key/") {
			es.Add("ExistingKeyARN", d.ExistingKeyARN,
				"is not a key ARN (an alias cannot be named in the key policy conditions)",
				"arn:<partition>:kms:<region>:<account>:key/<key-id>")
		}
	}
	if d.ExistingBucketName != "" {
		if !bucketNameRe.MatchString(d.ExistingBucketName) || strings.Contains(d.ExistingBucketName, "..") {
			es.Add("ExistingBucketName", d.ExistingBucketName, "is not an S3 bucket name",
				"3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit")
		}
		if d.ExistingKeyARN == "" {
			es.Add("ExistingBucketName", d.ExistingBucketName,
				"is set without ExistingKeyARN; rootwatch cannot prove a brought bucket encrypts with a key "+
					"it does not know",
				"ExistingBucketName together with ExistingKeyARN (the bucket's SSE-KMS key)")
		}
	}
	validate.Tags(&es, "Tags", d.Tags)
	return es.Err("trail: invalid args")
}

// Preflight checks, with invokes only (nothing is registered), what AWS would refuse only after
// other resources exist. A program calls it while validating its configuration; errors name
// KeyAdminARNs, OrganizationTrail or OrganizationID.
//
//   - KeyAdminARNs, when the component creates its key: the deploying identity must be one of them
//     (or the account root must be), or KMS refuses the key policy
//     (awsenv.CheckKeyAdmins; the lockout safety check, MalformedPolicyDocumentException).
//   - For an organization trail: that OrganizationID is the default provider's account's
//     organization, and that the account may create the trail there: the management account, with
//     trusted access for CloudTrail; or a member account registered as CloudTrail's delegated
//     administrator (organizations:ListDelegatedServicesForAccount lists cloudtrail.amazonaws.com
//     for it; AWS registers one only once CloudTrail has trusted access). Nothing else decides it, so
//     there is no setting for it: the trail a delegated administrator creates is owned by the
//     management account, and New names that account's trail ARN in the policies (see trailOwner).
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
//     https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-cloudtrail.html
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil {
		return nil
	}
	var es validate.Errors
	if args.ExistingKeyARN == "" {
		if err := awsenv.CheckKeyAdmins(ctx, "KeyAdminARNs", args.KeyAdminARNs, opts...); err != nil {
			fields := validate.Fields(err)
			if fields == nil {
				return err
			}
			es = append(es, fields...)
		}
	}
	if args.OrganizationTrail {
		if err := organizationPreflight(ctx, args, &es, opts...); err != nil {
			return err
		}
	}
	return es.Err("trail: invalid args")
}
