package guardrail_test

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
)

// A management-account stack attaches the root guardrail to the organization's root, with one
// break-glass exemption for a day. (Compile-only: running it needs the Pulumi engine.)
func Example() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		args := &guardrail.Args{
			Targets: []string{"r-ab12"},
			Exemptions: []guardrail.Exemption{
				{Account: "444455556666", Expires: "2027-01-15T18:00:00Z", Reason: "INC-1234 restore bucket policy"},
			},
		}
		if err := guardrail.Preflight(ctx, args); err != nil {
			return err
		}
		g, err := guardrail.New(ctx, "root-guardrail", args)
		if err != nil {
			return err
		}
		ctx.Export("guardrailPolicyId", g.PolicyId)
		return nil
	})
}
