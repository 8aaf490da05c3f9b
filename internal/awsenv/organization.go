package awsenv

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Organization is the AWS Organization of the account a provider deploys into, as
// organizations:DescribeOrganization shows it to that account.
type Organization struct {
	ID                    string
	ManagementAccountID   string
	ManagementAccountName string
	// FeatureSet is "ALL" or "CONSOLIDATED_BILLING".
	FeatureSet string
	// ServiceAccessPrincipals are the services with trusted access in the organization.
	ServiceAccessPrincipals []string
	// Roots are the ids of the organization's roots (r-...), as far as the deploying account may
	// list them (the management account can; other accounts may see none).
	Roots []string
	// RootPolicyTypes are the policy types enabled (status ENABLED) in the first of Roots, such as
	// SERVICE_CONTROL_POLICY; empty when no root is visible.
	RootPolicyTypes []string
	// Account is the deploying account (env.AccountID).
	Account string
	// AccountIDs are the organization's accounts (every status), sorted. organizations:ListAccounts
	// answers the management account and a member account that is a delegated administrator for
	// an AWS service (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html),
	// and the provider lists them to both; for any other account the list is empty.
	AccountIDs []string
}

// FromManagementAccount says whether the deploying account is the organization's management
// account.
func (o *Organization) FromManagementAccount() bool { return o.ManagementAccountID == o.Account }

// AllFeatures says whether the organization has all features enabled.
func (o *Organization) AllFeatures() bool { return o.FeatureSet == "ALL" }

// TrustedAccess says whether servicePrincipal (e.g. cloudtrail.amazonaws.com) has trusted access in
// the organization.
func (o *Organization) TrustedAccess(servicePrincipal string) bool {
	return slices.Contains(o.ServiceAccessPrincipals, servicePrincipal)
}

// LookupOrganization describes the organization of env's account (an invoke of the provider the
// options select). The organization trail (trail.Preflight) and centralized root access
// (posture.Preflight, posture.New) both need one. When the account cannot describe an
// organization (it is in none, or may not call DescribeOrganization), the error reads "needs an
// AWS Organization, and account <id> could not describe one (<cause>)": the caller files it under
// the field that asked for the organization.
func LookupOrganization(ctx *pulumi.Context, env Env, opts ...pulumi.InvokeOption) (*Organization, error) {
	org, err := organizations.LookupOrganization(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf(
			"needs an AWS Organization, and account %s could not describe one (%v)",
			env.AccountID,
			err,
		)
	}
	var roots, types []string
	for i, r := range org.Roots {
		roots = append(roots, r.Id)
		for _, pt := range r.PolicyTypes {
			if i == 0 && pt.Status == "ENABLED" {
				types = append(types, pt.Type)
			}
		}
	}
	var ids []string
	for _, a := range org.Accounts {
		ids = append(ids, a.Id)
	}
	slices.Sort(ids)
	return &Organization{
		Roots:                   roots,
		RootPolicyTypes:         types,
		AccountIDs:              ids,
		ID:                      org.Id,
		ManagementAccountID:     org.MasterAccountId,
		ManagementAccountName:   org.MasterAccountName,
		FeatureSet:              org.FeatureSet,
		ServiceAccessPrincipals: org.AwsServiceAccessPrincipals,
		Account:                 env.AccountID,
	}, nil
}

// CheckDelegatedAdmin says whether account is registered as a delegated administrator of
// servicePrincipal (organizations:ListDelegatedServicesForAccount, an invoke of the provider the
// options select). It returns nil when it is; otherwise the problem, reading "could not be checked:
// account <id> could not list the services it administers (<cause>)" or "account <id> is not a
// delegated administrator of <service> (<principal>); it administers: <principals or none>". The
// caller files it under the field that asked for delegated administration, with how to register.
// Both the organization trail (CloudTrail) and the member StackSet (CloudFormation StackSets) are
// checked here.
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListDelegatedServicesForAccount.html
func CheckDelegatedAdmin(
	ctx *pulumi.Context,
	account, servicePrincipal, service string,
	opts ...pulumi.InvokeOption,
) error {
	ds, err := organizations.GetDelegatedServices(
		ctx,
		&organizations.GetDelegatedServicesArgs{AccountId: account},
		opts...)
	if err != nil {
		return fmt.Errorf(
			"could not be checked: account %s could not list the services it administers (%v)",
			account,
			err,
		)
	}
	var have []string
	for _, d := range ds.DelegatedServices {
		if d.ServicePrincipal == servicePrincipal {
			return nil
		}
		have = append(have, d.ServicePrincipal)
	}
	administers := "none"
	if len(have) > 0 {
		administers = strings.Join(have, ", ")
	}
	return fmt.Errorf(
		"account %s is not a delegated administrator of %s (%s); it administers: %s",
		account,
		service,
		servicePrincipal,
		administers,
	)
}
