// Package hardened creates the KMS keys and S3 buckets that keep rootwatch's data. Every component
// that keeps data builds them the same way: a customer managed KMS key with its alias, and an S3
// bucket with ownership enforced, public access blocked, default encryption and a lifecycle rule.
// The components (trail, athena) and the alert topics (internal/alerttopic) call them, so the
// settings live in one place; each caller adds its own policy.
package hardened

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/validate"
)

// KeyDeletionWindowDays is the longest waiting period KMS allows: a key scheduled for deletion by
// mistake can be recovered for 30 days, and with it everything it encrypts.
const KeyDeletionWindowDays = 30

// KeyArgs are the inputs of Key.
type KeyArgs struct {
	Description pulumi.StringInput
	Policy      string // the key policy (JSON)
	Alias       string // alias/...; made valid with validate.KMSAliasName
	Tags        pulumi.StringMapInput
	// Retain keeps the key when it is removed from the stack (RetainOnDelete); the alias is never
	// retained.
	Retain bool
}

// Key creates a key with rotation on and the longest deletion window, named name, and its alias,
// named name+"-alias". opts (parent, provider) go on both.
func Key(ctx *pulumi.Context, name string, a KeyArgs, opts ...pulumi.ResourceOption) (*kms.Key, error) {
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          a.Description,
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(KeyDeletionWindowDays),
		Policy:               pulumi.String(a.Policy),
		Tags:                 a.Tags,
	}, append(opts[:len(opts):len(opts)], pulumi.RetainOnDelete(a.Retain))...)
	if err != nil {
		return nil, err
	}
	if _, err := kms.NewAlias(ctx, name+"-alias", &kms.AliasArgs{
		Name:        pulumi.String(validate.KMSAliasName(a.Alias)),
		TargetKeyId: key.KeyId,
	}, opts...); err != nil {
		return nil, err
	}
	return key, nil
}

// BucketArgs are the inputs of Bucket.
type BucketArgs struct {
	ForceDestroy bool
	Tags         pulumi.StringMapInput
	// Versioned turns versioning on (before the lifecycle rule, which then also governs
	// noncurrent versions).
	Versioned  bool
	Encryption s3.BucketServerSideEncryptionConfigurationV2RuleArgs
	Lifecycle  s3.BucketLifecycleConfigurationV2RuleArgs
	// TransitionMinimumObjectSize is the lifecycle configuration's
	// TransitionDefaultMinimumObjectSize; nil leaves S3's default.
	TransitionMinimumObjectSize pulumi.StringPtrInput
}

// Bucket is what Bucket created.
type Bucket struct {
	Bucket *s3.BucketV2
	// PublicAccessBlock must precede the bucket policy: S3 evaluates a new policy against it.
	PublicAccessBlock *s3.BucketPublicAccessBlock
	// Settings are every resource configuring the bucket, for a policy or a trail to depend on.
	Settings []pulumi.Resource
}

// NewBucket creates a bucket named name with ownership enforced (no ACLs), all public access blocked,
// versioning when asked, the default encryption and the lifecycle rule, each named name+"-<what>".
// opts (parent, provider, retain) go on every resource.
func NewBucket(ctx *pulumi.Context, name string, a BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(a.ForceDestroy),
		Tags:         a.Tags,
	}, opts...)
	if err != nil {
		return nil, err
	}
	own, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, opts...)
	if err != nil {
		return nil, err
	}
	pab, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, opts...)
	if err != nil {
		return nil, err
	}
	settings := []pulumi.Resource{own, pab}
	lifeOpts := opts[:len(opts):len(opts)]
	if a.Versioned {
		ver, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
			Bucket:                  bucket.ID(),
			VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
		}, opts...)
		if err != nil {
			return nil, err
		}
		settings = append(settings, ver)
		lifeOpts = append(lifeOpts, pulumi.DependsOn([]pulumi.Resource{ver}))
	}
	enc, err := s3.NewBucketServerSideEncryptionConfigurationV2(
		ctx,
		name+"-encryption",
		&s3.BucketServerSideEncryptionConfigurationV2Args{
			Bucket: bucket.ID(),
			Rules:  s3.BucketServerSideEncryptionConfigurationV2RuleArray{a.Encryption},
		},
		opts...)
	if err != nil {
		return nil, err
	}
	life, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket:                             bucket.ID(),
		Rules:                              s3.BucketLifecycleConfigurationV2RuleArray{a.Lifecycle},
		TransitionDefaultMinimumObjectSize: a.TransitionMinimumObjectSize,
	}, lifeOpts...)
	if err != nil {
		return nil, err
	}
	return &Bucket{Bucket: bucket, PublicAccessBlock: pab, Settings: append(settings, enc, life)}, nil
}
