package trail_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/trail"
)

// Another Go stack imports the component and exports what it needs. (Compile-only: running it
// needs the Pulumi engine.)
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		t, err := trail.New(ctx, "audit", &trail.Args{
			TrailName:        "acme-audit",
			S3KeyPrefix:      "cloudtrail",
			LogRetentionDays: 400,
			Tags:             map[string]string{"team": "platform-security"},
		})
		if err != nil {
			return err
		}
		ctx.Export("trailArn", t.TrailArn)
		ctx.Export("logGroupName", t.LogGroupName)
		return nil
	})
}

// A log-archive account owns the bucket and key; this stack only creates the trail and hands the
// owners the policies they must apply.
func Example_logArchive() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		t, err := trail.New(ctx, "audit", &trail.Args{
			TrailName:          "acme-audit",
			ExistingKeyARN:     "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
			ExistingBucketName: "acme-log-archive",
		})
		if err != nil {
			return err
		}
		ctx.Export("keyPolicyForLogArchive", t.RequiredKeyPolicy)
		ctx.Export("bucketPolicyForLogArchive", t.RequiredBucketPolicy)
		return nil
	})
}
