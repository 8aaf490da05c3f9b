// Package awsenv is the one home for partitions, ARNs and the stack's account and region. It holds
// partitions, their regions, DNS suffixes and console addresses, ARNs (built and parsed), and the
// provider lookups of the partition, account, region and organization a stack deploys into. Every
// ARN and service principal rootwatch writes is partition-aware (aws, aws-cn, aws-us-gov, ...)
// through it, and nothing hard-codes "arn:aws".
package awsenv

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/validate"
)

// Lookup asks the AWS provider (the one the options select, e.g. pulumi.Parent(component)) where it
// deploys. It makes three invokes: getPartition, getCallerIdentity and getRegion.
func Lookup(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (Env, error) {
	part, err := aws.GetPartition(ctx, nil, opts...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	id, err := aws.GetCallerIdentity(ctx, nil, opts...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the AWS account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, opts...)
	if err != nil {
		return Env{}, fmt.Errorf("looking up the AWS region: %w", err)
	}
	env := Env{Partition: part.Partition, DNSSuffix: part.DnsSuffix, AccountID: id.AccountId, Region: region.Name}
	if err := env.Validate(); err != nil {
		return Env{}, fmt.Errorf("the AWS provider reported an unusable environment: %w", err)
	}
	return env, nil
}

// CallerARN is the ARN of the identity the provider deploys as (sts:GetCallerIdentity): an IAM
// user, the root user, or an assumed-role session (arn:PARTITION:sts::ACCOUNT:assumed-role/ROLE/SESSION).
func CallerARN(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (string, error) {
	id, err := aws.GetCallerIdentity(ctx, nil, opts...)
	if err != nil {
		return "", fmt.Errorf("looking up the deploying AWS identity: %w", err)
	}
	return id.Arn, nil
}

// CheckKeyAdmins makes sure the KMS keys a stack is about to create with admins as their
// administrators will not be refused by KMS's key policy lockout safety check (the caller must be
// able to call PutKeyPolicy on the key it creates; see AdminsCoverCaller). With no admins
// the account root administers the keys and there is nothing to check (no invoke is made).
// Otherwise it looks up the caller, and a *validate.ListError names field, the caller's ARN and
// what to add.
func CheckKeyAdmins(ctx *pulumi.Context, field string, admins []string, opts ...pulumi.InvokeOption) error {
	if len(admins) == 0 {
		return nil
	}
	caller, err := CallerARN(ctx, opts...)
	if err != nil {
		return err
	}
	if AdminsCoverCaller(admins, caller) {
		return nil
	}
	principal := CallerPrincipal(caller)
	add := principal
	if principal != caller {
		// The session ARN does not show the role's path; the role's own ARN with it also matches.
		add += " (if the role has a path, " + strings.Replace(principal, ":role/", ":role/<path>/", 1) + ")"
	}
	root := ""
	if a, ok := ParseARN(caller); ok && a.Account != "" {
		root = ", or the account root " + ARN(
			a.Partition,
			"iam",
			"",
			a.Account,
			"root",
		) + " (the account's IAM policies then decide)"
	}
	var es validate.Errors
	es.Add(field, admins, fmt.Sprintf("leaves out the deploying identity %s, and KMS refuses a key policy that would "+
		"lock its creator out of the key (MalformedPolicyDocumentException: the caller must be allowed "+
		"kms:PutKeyPolicy), so the deployment would fail after other resources were created", caller),
		"a list that also holds "+add+root+"; or an empty list (the account administers the keys)")
	return es.Err("key administrators")
}

// RegionalProvider makes an explicit AWS provider for region from base (nil: no settings), pinned
// to env's account. An explicit provider does not read the stack's aws:* settings; whatever
// credentials it finds, it must act in this account, or its resources would land in another
// account with ARNs from this one: unless base already allows or forbids accounts, the provider
// refuses any account but env's before creating anything.
func RegionalProvider(
	ctx *pulumi.Context,
	name, region string,
	base *aws.ProviderArgs,
	env Env,
	opts ...pulumi.ResourceOption,
) (*aws.Provider, error) {
	pa := aws.ProviderArgs{}
	if base != nil {
		pa = *base
	}
	pa.Region = pulumi.StringPtr(region)
	if pa.AllowedAccountIds == nil && pa.ForbiddenAccountIds == nil {
		pa.AllowedAccountIds = pulumi.StringArray{pulumi.String(env.AccountID)}
	}
	return aws.NewProvider(ctx, name, &pa, opts...)
}
