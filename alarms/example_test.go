package alarms_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/trail"
)

// Alarms for every CIS monitoring control on a trail's log group, e-mailing the security team.
// (Compile-only: running it needs the Pulumi engine.)
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		t, err := trail.New(ctx, "audit", &trail.Args{TrailName: "acme-audit"})
		if err != nil {
			return err
		}
		a, err := alarms.New(ctx, "audit", &alarms.Args{
			LogGroupName: t.LogGroupName,
			Emails:       []string{"security@yourcompany.com"},
			NamePrefix:   "acme-prod-",
		})
		if err != nil {
			return err
		}
		ctx.Export("alertTopicArn", a.TopicArn)
		return nil
	})
}

// Only root usage and the CloudTrail and KMS controls, sent to a topic another stack owns (its
// key and policy must let CloudWatch publish, as the topic alarms.New creates does).
func Example_existingTopic() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := alarms.New(ctx, "root-only", &alarms.Args{
			LogGroupName: pulumi.String("/aws/cloudtrail/org-trail"),
			Controls:     []string{"root-usage", "CloudWatch.5", "5.7"},
			TopicARN:     "arn:aws:sns:us-east-1:111122223333:security-alerts",
			NamePrefix:   "org-",
		})
		return err
	})
}
