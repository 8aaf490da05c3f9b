package trail

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Preflight checks, with invokes only (nothing is registered), what CloudTrail would refuse only
// after the bucket and key exist: for an organization trail, that the default provider's account is
// the organization's management account, that OrganizationID is that organization, and that
// CloudTrail has trusted access in it. A program calls it while validating its configuration;
// errors name OrganizationTrail or OrganizationID.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/creating-trail-organization.html
// https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-cloudtrail.html
func Preflight(ctx *pulumi.Context, args *Args) error {
	if args == nil || !args.OrganizationTrail {
		return nil
	}
	env, err := awsenv.Lookup(ctx)
	if err != nil {
		return err
	}
	var es validate.Errors
	org, err := organizations.LookupOrganization(ctx)
	if err != nil {
		es.Add("OrganizationTrail", true, fmt.Sprintf("needs an AWS Organization, and account %s could not describe one (%v)", env.AccountID, err),
			"true only in a stack deploying to an organization's management account")
		return es.Err("trail: invalid args")
	}
	if org.MasterAccountId != env.AccountID {
		es.Add("OrganizationTrail", true, fmt.Sprintf("cannot be created from account %s: organization %s's management account is %s", env.AccountID, org.Id, org.MasterAccountId),
			"an organization trail deployed with the management account's credentials (a trail a delegated administrator creates is owned by the management account, which rootwatch's policies would not name)")
	} else if !slices.Contains(org.AwsServiceAccessPrincipals, "cloudtrail.amazonaws.com") {
		es.Add("OrganizationTrail", true, "needs trusted access for CloudTrail in organization "+org.Id,
			"run `aws organizations enable-aws-service-access --service-principal cloudtrail.amazonaws.com` in the management account first")
	}
	if args.OrganizationID != "" && args.OrganizationID != org.Id {
		es.Add("OrganizationID", args.OrganizationID, "is not this account's organization ("+org.Id+")", org.Id)
	}
	return es.Err("trail: invalid args")
}
