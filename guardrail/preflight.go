package guardrail

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/organizations"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/scpeval"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// ControlTowerRootSid is the Sid of Control Tower's AWS-GR_RESTRICT_ROOT_USER statement.
const ControlTowerRootSid = "GRRESTRICTROOTUSER"

// assumeRootActions are calls the root task policies make inside an sts:AssumeRoot session
// (deleting credentials, unlocking a bucket or queue policy): an SCP that denies one of them
// breaks centralized root access.
var assumeRootActions = []string{"iam:DeleteLoginProfile", "s3:DeleteBucketPolicy", "sqs:SetQueueAttributes"}

// Preflight checks, with invokes only (nothing is registered), what AWS would refuse or what would
// silently not work, and returns every problem naming its field:
//
//   - the organization has all features and the SCP policy type enabled in its root (Targets);
//   - with no Targets, it sets them to the organization's root, which only the management account
//     is shown (from another account, no Targets is an error);
//   - the stack deploys from the management account (Targets). SCPs are created and attached by
//     the management account, or by a member account the management account made a delegated
//     administrator for Organizations policies (a resource-based delegation policy allowing
//     CreatePolicy, AttachPolicy, DescribePolicy and ListPoliciesForTarget on SCPs,
//     https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html).
//     Preflight cannot read that delegation, so from a member account it only warns, and says so;
//   - the targeted root is the organization's, the targeted and exempted OUs exist in it, and the
//     exempted accounts are members (not the management account, which no SCP covers);
//   - SCPs already attached to the root or an OU that deny an sts:AssumeRoot session's calls (an
//     SCP denying the root user without the aws:AssumedRoot carve-out, as Control Tower's
//     GRRESTRICTROOTUSER does unless enabled with ExemptAssumeRoot) are named, with what they
//     break and the fix, as warnings: the guardrail does not make them worse, and refusing it would
//     leave root unguarded. SCPs attached to accounts directly are not read.
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if err := args.validate(false); err != nil {
		return err
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	var es validate.Errors
	org, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		es.Add("Targets", args.Targets, err.Error(), "a stack in an AWS Organization's management account")
		return es.Err("guardrail: invalid args")
	}
	p := preflight{ctx: ctx, env: env, org: org, args: args, opts: opts, es: &es}
	if !p.organization() {
		return es.Err("guardrail: invalid args")
	}
	ous, err := p.units()
	if err != nil {
		return err
	}
	if err := es.Err("guardrail: invalid args"); err != nil {
		return err
	}
	return p.conflicts(append([]string{org.Roots[0]}, ous...))
}

type preflight struct {
	ctx  *pulumi.Context
	env  awsenv.Env
	org  *awsenv.Organization
	args *Args
	opts []pulumi.InvokeOption
	es   *validate.Errors
}

func (p *preflight) warn(msg string) error { return p.ctx.Log.Warn("guardrail: "+msg, nil) }

const (
	msgNoTargetsFromMember = "is empty, so the organization's root is meant, and account %s is not shown the root " +
		"of organization %s (only its management account is)"
	allowedNoTargetsFromMember = "deploy from the organization's management account, or give the root id (r-...) or " +
		"OU ids"
)

// organization checks the feature set, the SCP policy type and the deploying account; false when
// the rest cannot be checked.
func (p *preflight) organization() bool {
	o := p.org
	if !o.AllFeatures() {
		p.es.Add("Targets", p.args.Targets, fmt.Sprintf(msgFeatureSet, o.ID, o.FeatureSet), allowedFeatureSet)
		return false
	}
	if !o.FromManagementAccount() {
		if len(p.args.Targets) == 0 {
			p.es.Add("Targets", p.args.Targets, fmt.Sprintf(msgNoTargetsFromMember, p.env.AccountID, o.ID),
				allowedNoTargetsFromMember)
			return false
		}
		if err := p.warn(fmt.Sprintf(msgMember, p.env.AccountID, o.ID, o.ManagementAccountID)); err != nil {
			p.es.Addf("%v", err)
		}
		return false
	}
	if len(o.Roots) == 0 {
		p.es.Add("Targets", p.args.Targets, "cannot be checked: organization "+o.ID+" shows no root", "")
		return false
	}
	if len(p.args.Targets) == 0 {
		p.args.Targets = []string{o.Roots[0]}
	}
	if !slices.Contains(o.RootPolicyTypes, PolicyType) {
		p.es.Add("Targets", p.args.Targets, "cannot carry an SCP: the SCP policy type is off in root "+o.Roots[0],
			"enable it first: aws organizations enable-policy-type --root-id "+o.Roots[0]+" --policy-type "+PolicyType)
	}
	return true
}

// units checks targets and exemptions against the organization's root, OUs and accounts, and
// returns the OUs.
func (p *preflight) units() ([]string, error) {
	root := p.org.Roots[0]
	res, err := organizations.GetOrganizationalUnitDescendantOrganizationalUnits(p.ctx,
		&organizations.GetOrganizationalUnitDescendantOrganizationalUnitsArgs{ParentId: root}, p.opts...)
	if err != nil {
		return nil, fmt.Errorf("guardrail: listing the OUs of root %s: %w", root, err)
	}
	var ous []string
	for _, c := range res.Childrens {
		ous = append(ous, c.Id)
	}
	known := func(id string) bool { return id == root || slices.Contains(ous, id) }
	for i, t := range p.args.Targets {
		if !known(t) {
			p.es.Add(fmt.Sprintf("Targets[%d]", i), t, "is not in organization "+p.org.ID,
				"its root "+root+" or one of its OUs")
		}
	}
	for i, x := range p.args.Exemptions {
		field := fmt.Sprintf("Exemptions[%d]", i)
		switch {
		case x.OU != "" && !slices.Contains(ous, x.OU):
			p.es.Add(field+".OU", x.OU, "is not an OU of organization "+p.org.ID, "one of its OUs")
		case x.Account == p.org.ManagementAccountID:
			p.es.Add(field+".Account", x.Account,
				"is the management account, which no SCP covers: the exemption would mean nothing", "a member account")
		case x.Account != "" && len(p.org.AccountIDs) > 0 && !slices.Contains(p.org.AccountIDs, x.Account):
			p.es.Add(field+".Account", x.Account, "is not an account of organization "+p.org.ID,
				"one of its member accounts")
		}
	}
	return ous, nil
}

// conflicts warns of SCPs attached to targets (the root and the OUs) that deny an AssumeRoot
// session, and of those it cannot read.
func (p *preflight) conflicts(targets []string) error {
	seen := map[string]bool{}
	for _, t := range targets {
		ids, err := organizations.GetPoliciesForTarget(p.ctx, &organizations.GetPoliciesForTargetArgs{
			Filter: PolicyType, TargetId: t,
		}, p.opts...)
		if err != nil {
			return fmt.Errorf("guardrail: listing the SCPs attached to %s: %w", t, err)
		}
		for _, id := range ids.Ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			pol, err := organizations.LookupPolicy(p.ctx, &organizations.LookupPolicyArgs{PolicyId: id}, p.opts...)
			if err != nil {
				return fmt.Errorf("guardrail: reading SCP %s: %w", id, err)
			}
			if msg := p.breaksAssumeRoot(pol, t); msg != "" {
				if err := p.warn(msg); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// breaksAssumeRoot evaluates pol on an AssumeRoot session's calls in a member account; it returns
// what to tell the user, or "".
func (p *preflight) breaksAssumeRoot(pol *organizations.LookupPolicyResult, target string) string {
	name := fmt.Sprintf("SCP %s (%s, attached to %s)", pol.Name, pol.PolicyId, target)
	for _, action := range assumeRootActions {
		r := scpeval.Request{
			Action: action, PrincipalARN: awsenv.ARN(p.env.Partition, "iam", "", memberPlaceholder, "root"),
			Account: memberPlaceholder, AssumedRoot: true, Time: p.args.now(),
			OrgPaths: []string{p.org.ID + "/" + p.org.Roots[0] + "/"},
		}
		d, err := scpeval.EvaluateJSON(pol.Content, r)
		switch {
		case err != nil:
			return fmt.Sprintf(msgUnreadable, name, err)
		case d.Denied && d.Sid == ControlTowerRootSid:
			return fmt.Sprintf(msgControlTower, name, d.Sid, action)
		case d.Denied:
			return fmt.Sprintf(msgDeniesAssumeRoot, name, action, d)
		}
	}
	return ""
}

// Messages, in constants to keep the lines short.
const (
	msgFeatureSet     = "cannot carry an SCP: organization %s has feature set %s"
	allowedFeatureSet = "an organization with all features " +
		"(AWS Organizations console > Settings, or aws organizations enable-all-features)"
	msgMember = "account %s is not organization %s's management account (%s): it can create and attach the " +
		"guardrail SCP only as a delegated administrator for Organizations policies (the management account's " +
		"delegation policy allowing organizations:CreatePolicy, AttachPolicy, DescribePolicy, ListPoliciesForTarget " +
		"and ListRoots for SERVICE_CONTROL_POLICY); rootwatch cannot read that delegation and has not checked the " +
		"SCP policy type, the OUs or the SCPs already attached"
	msgUnreadable = "%s could not be evaluated to tell whether it lets sts:AssumeRoot sessions through (%v); " +
		"check that every statement denying the root user has \"Null\": {\"aws:AssumedRoot\": \"true\"}"
	msgControlTower = "%s holds Control Tower's AWS-GR_RESTRICT_ROOT_USER (Sid %s) without ExemptAssumeRoot: " +
		"it denies %s inside sts:AssumeRoot sessions, so centralized root access (deleting member root credentials, " +
		"unlocking bucket and queue policies) fails below it. Disable the control and enable it again with the " +
		"parameter ExemptAssumeRoot: true"
	msgDeniesAssumeRoot = "%s denies %s inside sts:AssumeRoot sessions (%s), so centralized root access fails " +
		"below it: add \"Null\": {\"aws:AssumedRoot\": \"true\"} to that statement's Condition"
)

// memberPlaceholder stands for a member account in the evaluated requests (SCPs name accounts
// rarely; one that exempts this id would be read as letting AssumeRoot through).
const memberPlaceholder = "000000000000"
