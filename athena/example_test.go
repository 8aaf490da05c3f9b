package athena_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/trail"
)

// Another Go stack puts Athena over its rootwatch trail. (Compile-only: running it needs the
// Pulumi engine.)
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		t, err := trail.New(ctx, "audit", &trail.Args{TrailName: "acme-audit", S3KeyPrefix: "cloudtrail"})
		if err != nil {
			return err
		}
		a, err := athena.New(ctx, "acme-audit", &athena.Args{
			BucketName:  t.BucketName,
			S3KeyPrefix: "cloudtrail",
			AccountIDs:  []string{"111122223333"},
			QueryDays:   90,
		})
		if err != nil {
			return err
		}
		ctx.Export("athenaWorkgroup", a.WorkgroupName)
		return nil
	})
}
