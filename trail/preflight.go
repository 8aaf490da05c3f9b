package trail

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// organizationPreflight adds the organization trail's problems to es; it returns an error only when
// the environment cannot be looked up.
func organizationPreflight(ctx *pulumi.Context, args *Args, es *validate.Errors, opts ...pulumi.InvokeOption) error {
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	org, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		es.Add("OrganizationTrail", true, err.Error(), organizationDeployers)
		return nil
	}
	if !org.FromManagementAccount() {
		// Trusted access is checked from the management account only; CloudTrail refuses to
		// register a delegated administrator without it, so a registered one implies it.
		if err := awsenv.CheckDelegatedAdmin(ctx, env.AccountID, ServicePrincipal, "CloudTrail", opts...); err != nil {
			es.Add(
				"OrganizationTrail",
				true,
				fmt.Sprintf("cannot be created from account %s, not organization %s's management account (%s): %v",
					env.AccountID, org.ID, org.ManagementAccountID, err),
				"deploy from the management account, or register this account as CloudTrail's delegated "+
					"administrator from the management account first: "+registerDelegatedAdmin(
					env.AccountID,
				),
			)
		}
	} else if !org.TrustedAccess(ServicePrincipal) {
		es.Add("OrganizationTrail", true, "needs trusted access for CloudTrail in organization "+org.ID,
			"run `aws organizations enable-aws-service-access --service-principal "+ServicePrincipal+
				"` in the management account first")
	}
	if args.OrganizationID != "" && args.OrganizationID != org.ID {
		es.Add("OrganizationID", args.OrganizationID, "is not this account's organization ("+org.ID+")", org.ID)
	}
	return nil
}

// organizationDeployers says who may deploy an organization trail.
const organizationDeployers = "true only in a stack deploying to an organization's management account or " +
	"CloudTrail's delegated administrator"

// ServicePrincipal is CloudTrail's service principal, the one AWS Organizations lists for its
// trusted access and for its delegated administrator.
const ServicePrincipal = "cloudtrail.amazonaws.com"

// registerDelegatedAdmin is the AWS CLI command, run in the management account, that makes account
// CloudTrail's delegated administrator: the registration CloudTrail's guide documents, which AWS
// Organizations then lists for cloudtrail.amazonaws.com.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-add-delegated-administrator.html
func registerDelegatedAdmin(account string) string {
	return "aws cloudtrail register-organization-delegated-admin --member-account-id " + account
}

// trailOwner is the account that owns the trail New creates, whose id its ARN carries and the key and
// bucket policies name (aws:SourceArn, the encryption context, the AWSLogs/<account>/ folder): the
// deploying account (env's) for an account trail; for an organization trail, the organization's
// management account, also when CloudTrail's delegated administrator creates it: AWS documents that
// the management account remains the owner of the organization trails a delegated administrator
// creates, and that aws:SourceAccount in a key policy is the trail owner's account id, or the
// management account's for an organization trail.
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-delegated-administrator.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
func trailOwner(ctx *pulumi.Context, env awsenv.Env, organizationTrail bool,
	opts ...pulumi.InvokeOption) (string, error) {
	if !organizationTrail {
		return env.AccountID, nil
	}
	org, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		var es validate.Errors
		es.Add("OrganizationTrail", true, err.Error(), organizationDeployers)
		return "", es.Err("trail: invalid args")
	}
	return org.ManagementAccountID, nil
}
