//go:build integration

package guardrail_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// The guardrail's content goes through the Organizations API as New sends it (CreatePolicy with
// type SERVICE_CONTROL_POLICY, AttachPolicy to the root and to an OU) and comes back byte for byte
// (DescribePolicy, ListPoliciesForTarget), against moto_server. moto does not evaluate SCPs; the
// evaluation is scpeval's (internal/policy's CIS 2.1.2 tests).
func TestCIS_2_1_2_RootGuardrail_OrganizationsAcceptsAndAttachesIt(t *testing.T) {
	url := mototest.Start(t)
	ctx := context.Background()
	creds := credentials.NewStaticCredentialsProvider("testing", "testing", "")
	cfg := aws.Config{Region: "us-east-1", Credentials: creds}
	org := organizations.NewFromConfig(cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(url) })
	o, err := org.CreateOrganization(ctx, &organizations.CreateOrganizationInput{
		FeatureSet: orgtypes.OrganizationFeatureSetAll,
	})
	if err != nil {
		t.Fatal(err)
	}
	roots, err := org.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil || len(roots.Roots) != 1 {
		t.Fatalf("ListRoots: %v, %v", roots, err)
	}
	root := *roots.Roots[0].Id
	if _, err := org.EnablePolicyType(ctx, &organizations.EnablePolicyTypeInput{
		RootId: aws.String(root), PolicyType: orgtypes.PolicyTypeServiceControlPolicy,
	}); err != nil {
		t.Fatalf("EnablePolicyType: %v", err)
	}
	unit, err := org.CreateOrganizationalUnit(ctx, &organizations.CreateOrganizationalUnitInput{
		ParentId: aws.String(root), Name: aws.String("break-glass"),
	})
	if err != nil {
		t.Fatal(err)
	}
	content, err := policy.RootGuardrailJSON(policy.RootGuardrailArgs{
		OrganizationID: *o.Organization.Id,
		Exemptions: []policy.Exemption{
			{Account: account, Expires: time.Now().Add(time.Hour)},
			{OU: *unit.OrganizationalUnit.Id, Expires: time.Now().Add(2 * time.Hour)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := org.CreatePolicy(ctx, &organizations.CreatePolicyInput{
		Content: aws.String(content), Name: aws.String("rootwatch-root-guardrail"),
		Description: aws.String("rootwatch root guardrail"), Type: orgtypes.PolicyTypeServiceControlPolicy,
	})
	if err != nil {
		t.Fatalf("CreatePolicy: %v", err)
	}
	id := p.Policy.PolicySummary.Id
	for _, target := range []string{root, *unit.OrganizationalUnit.Id} {
		_, err := org.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: id, TargetId: aws.String(target)})
		if err != nil {
			t.Fatalf("AttachPolicy %s: %v", target, err)
		}
		listed, err := org.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{
			TargetId: aws.String(target), Filter: orgtypes.PolicyTypeServiceControlPolicy,
		})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, s := range listed.Policies {
			found = found || *s.Id == *id
		}
		if !found {
			t.Errorf("the guardrail is not listed for %s", target)
		}
	}
	d, err := org.DescribePolicy(ctx, &organizations.DescribePolicyInput{PolicyId: id})
	if err != nil || *d.Policy.Content != content {
		t.Errorf("DescribePolicy: %v; content %q, want %q", err, aws.ToString(d.Policy.Content), content)
	}
}
