package trail

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Preflight checks, with invokes only (nothing is registered), what AWS would refuse only after
// other resources exist. A program calls it while validating its configuration; errors name
// KeyAdminARNs, OrganizationTrail or OrganizationID.
//
//   - KeyAdminARNs, when the component creates its key: the deploying identity must be one of them
//     (or the account root must be), or KMS refuses the key policy
//     (awsenv.CheckKeyAdmins; the lockout safety check, MalformedPolicyDocumentException).
//   - For an organization trail: that the default provider's account is the organization's
//     management account, that OrganizationID is that organization, and that CloudTrail has
//     trusted access in it.
//     https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
//     https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-cloudtrail.html
func Preflight(ctx *pulumi.Context, args *Args) error {
	if args == nil {
		return nil
	}
	var es validate.Errors
	if args.ExistingKeyARN == "" {
		if err := awsenv.CheckKeyAdmins(ctx, "KeyAdminARNs", args.KeyAdminARNs); err != nil {
			fields := validate.Fields(err)
			if fields == nil {
				return err
			}
			es = append(es, fields...)
		}
	}
	if args.OrganizationTrail {
		if err := organizationPreflight(ctx, args, &es); err != nil {
			return err
		}
	}
	return es.Err("trail: invalid args")
}

// organizationPreflight adds the organization trail's problems to es; it returns an error only when
// the environment cannot be looked up.
func organizationPreflight(ctx *pulumi.Context, args *Args, es *validate.Errors) error {
	env, err := awsenv.Lookup(ctx)
	if err != nil {
		return err
	}
	org, err := awsenv.LookupOrganization(ctx, env)
	if err != nil {
		es.Add("OrganizationTrail", true, err.Error(),
			"true only in a stack deploying to an organization's management account")
		return nil
	}
	if !org.FromManagementAccount() {
		es.Add("OrganizationTrail", true, fmt.Sprintf("cannot be created from account %s: organization %s's management account is %s", env.AccountID, org.ID, org.ManagementAccountID),
			"an organization trail deployed with the management account's credentials (a trail a delegated administrator creates is owned by the management account, which rootwatch's policies would not name)")
	} else if !org.TrustedAccess("cloudtrail.amazonaws.com") {
		es.Add("OrganizationTrail", true, "needs trusted access for CloudTrail in organization "+org.ID,
			"run `aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com` in the management account first")
	}
	if args.OrganizationID != "" && args.OrganizationID != org.ID {
		es.Add("OrganizationID", args.OrganizationID, "is not this account's organization ("+org.ID+")", org.ID)
	}
	return nil
}
