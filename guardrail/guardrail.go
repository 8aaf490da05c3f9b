package guardrail

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// PolicyType is the Organizations policy type of the guardrail.
const PolicyType = "SERVICE_CONTROL_POLICY"

// Guardrail is the component: one SCP denying member accounts' root user outside sts:AssumeRoot
// sessions, attached to each target.
type Guardrail struct {
	pulumi.ResourceState

	// PolicyId (p-...) and PolicyArn are the SCP's.
	PolicyId  pulumi.StringOutput `pulumi:"policyId"`
	PolicyArn pulumi.StringOutput `pulumi:"policyArn"`
	// Content is the SCP's JSON as sent to AWS (minified).
	Content pulumi.StringOutput `pulumi:"content"`
	// Targets are the root and OU ids it is attached to.
	Targets pulumi.StringArrayOutput `pulumi:"targets"`
}

// New validates args, registers the component, the SCP under it and one attachment per target.
// With OU exemptions it looks up the organization (their aws:PrincipalOrgPaths patterns start with
// its id). It does not check the organization's settings or the SCPs already attached: Preflight
// does, before anything is registered.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Guardrail, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	a := *args
	comp := &Guardrail{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	orgID := ""
	if a.hasOUExemptions() {
		env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
		if err != nil {
			return nil, fmt.Errorf("guardrail %s: %w", name, err)
		}
		org, err := awsenv.LookupOrganization(ctx, env, pulumi.Parent(comp))
		if err != nil {
			var es validate.Errors
			es.Add("Exemptions", "OU exemptions", err.Error(),
				"OU exemptions only in a stack that can describe its organization")
			return nil, es.Err("guardrail: invalid args")
		}
		orgID = org.ID
	}
	content, err := policy.RootGuardrailJSON(a.document(orgID))
	if err != nil {
		return nil, fmt.Errorf("guardrail %s: %w", name, err)
	}
	pargs := &organizations.PolicyArgs{
		Type:        pulumi.String(PolicyType),
		Content:     pulumi.String(content),
		Description: pulumi.String(a.description()),
		Tags:        pulumi.ToStringMap(a.tags()),
	}
	if a.Name != "" {
		pargs.Name = pulumi.String(a.Name)
	}
	scp, err := organizations.NewPolicy(ctx, name+"-scp", pargs, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("guardrail %s: %w", name, err)
	}
	for _, t := range a.Targets {
		_, err := organizations.NewPolicyAttachment(ctx, name+"-"+t, &organizations.PolicyAttachmentArgs{
			PolicyId: scp.ID().ToStringOutput(),
			TargetId: pulumi.String(t),
		}, pulumi.Parent(comp))
		if err != nil {
			return nil, fmt.Errorf("guardrail %s: %w", name, err)
		}
	}
	comp.PolicyId = scp.ID().ToStringOutput()
	comp.PolicyArn = scp.Arn
	comp.Content = pulumi.String(content).ToStringOutput()
	comp.Targets = pulumi.ToStringArray(a.Targets).ToStringArrayOutput()
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"policyId":  comp.PolicyId,
		"policyArn": comp.PolicyArn,
		"content":   comp.Content,
		"targets":   comp.Targets,
	}); err != nil {
		return nil, fmt.Errorf("guardrail %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

func (a *Args) hasOUExemptions() bool {
	for _, x := range a.Exemptions {
		if x.OU != "" {
			return true
		}
	}
	return false
}
