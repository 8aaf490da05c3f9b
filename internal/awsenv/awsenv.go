// Package awsenv looks up the partition, account and region a component deploys into, so that
// every ARN and service principal rootwatch writes is partition-aware (aws, aws-cn, aws-us-gov)
// and nothing hard-codes "arn:aws".
package awsenv

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/policy"
)

// Lookup asks the AWS provider (the one the options select, e.g. pulumi.Parent(component)) where it
// deploys. It makes three invokes: getPartition, getCallerIdentity and getRegion.
func Lookup(ctx *pulumi.Context, opts ...pulumi.InvokeOption) (policy.Env, error) {
	part, err := aws.GetPartition(ctx, nil, opts...)
	if err != nil {
		return policy.Env{}, fmt.Errorf("looking up the AWS partition: %w", err)
	}
	id, err := aws.GetCallerIdentity(ctx, nil, opts...)
	if err != nil {
		return policy.Env{}, fmt.Errorf("looking up the AWS account: %w", err)
	}
	region, err := aws.GetRegion(ctx, nil, opts...)
	if err != nil {
		return policy.Env{}, fmt.Errorf("looking up the AWS region: %w", err)
	}
	env := policy.Env{Partition: part.Partition, DNSSuffix: part.DnsSuffix, AccountID: id.AccountId, Region: region.Name}
	if err := env.Validate(); err != nil {
		return policy.Env{}, fmt.Errorf("the AWS provider reported an unusable environment: %w", err)
	}
	return env, nil
}
