package notify_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/notify"
)

// Root notifications for the management account and, through a StackSet, for every member account
// of one organizational unit, in the stack's region and eu-west-1. (Compile-only: running it needs
// the Pulumi engine.)
func Example_memberAccounts() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		a, err := alarms.New(ctx, "org", &alarms.Args{
			LogGroupName: pulumi.String("/aws/cloudtrail/org-trail"),
			Emails:       []string{"security@yourcompany.com"},
			NamePrefix:   "acme-",
		})
		if err != nil {
			return err
		}
		args := &notify.Args{
			TopicARN:   a.TopicArn,
			NamePrefix: "acme-",
			Regions:    []string{"eu-west-1"},
			Members:    &notify.Members{OrganizationalUnits: []string{"ou-a1b2-c3d4e5f6"}},
		}
		// Fails, registering nothing, when this account may not deploy the StackSet.
		if err := notify.Preflight(ctx, args); err != nil {
			return err
		}
		n, err := notify.New(ctx, "org", args)
		if err != nil {
			return err
		}
		ctx.Export("memberStackSetName", n.MemberStackSetName)
		return nil
	})
}
