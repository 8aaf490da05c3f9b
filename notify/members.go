package notify

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudformation"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// StackSetsServicePrincipal is the service principal of CloudFormation StackSets' trusted access
// and delegated administration in AWS Organizations.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/stacksets-orgs-delegated-admin.html
const StackSetsServicePrincipal = "member.org.stacksets.cloudformation.amazonaws.com"

// OrganizationalUnitRule says which ids OrganizationalUnits accepts: AWS Organizations' pattern for
// a parent (a root or an OU).
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_Parent.html
const OrganizationalUnitRule = "an organizational unit id (ou- then 4 to 32 lowercase letters or digits, -, 8 to 32 " +
	"more) or the organization's root id (r- then 4 to 32 lowercase letters or digits)"

var parentIDRe = regexp.MustCompile(`^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$`)

// IsOrganizationalUnit says whether id is an OU id or a root id.
func IsOrganizationalUnit(id string) bool { return parentIDRe.MatchString(id) }

// Names of what the member path creates, after Args.NamePrefix.
const (
	// MemberBusName names the central event bus.
	MemberBusName = "member-root-events"
	// MemberRulePrefix starts the names of the rules on the central bus (then the rule id), so their
	// FailedInvocations alarms do not collide with the home rules'.
	MemberRulePrefix = "member-"
	// MemberForwardRuleName names the forwarding rule in each member account and region.
	MemberForwardRuleName = "root-events-to-central-bus"
)

func (m *Members) validate(es *validate.Errors) {
	if m.OrganizationID != "" && !validate.IsOrganizationID(m.OrganizationID) {
		es.Add("Members.OrganizationID", m.OrganizationID, "is not an AWS Organizations id",
			validate.OrganizationIDRule)
	}
	for i, ou := range m.OrganizationalUnits {
		f := fmt.Sprintf("Members.OrganizationalUnits[%d]", i)
		switch {
		case !IsOrganizationalUnit(ou):
			es.Add(f, ou, "is not an organizational unit or root id", OrganizationalUnitRule)
		case slices.Index(m.OrganizationalUnits, ou) < i:
			es.Add(f, ou, "is listed twice", "each organizational unit once")
		}
	}
}

func (m *Members) callAs() string {
	if m.DelegatedAdmin {
		return "DELEGATED_ADMIN"
	}
	return "SELF"
}

// resolved is what the checks found: the organization id and the OUs to deploy to.
type resolved struct {
	orgID string
	ous   []string
}

// checkMembers checks, with invokes only, what the member path needs of the organization and the
// deploying account, and resolves the defaults (organization id, its root). Problems are reported
// under Members fields.
func checkMembers(ctx *pulumi.Context, m *Members, env awsenv.Env,
	opts ...pulumi.InvokeOption) (resolved, validate.Errors) {
	var es validate.Errors
	org, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		es.Add("Members", true, err.Error(),
			"deploy from an organization's management account or a delegated administrator of CloudFormation StackSets")
		return resolved{}, es
	}
	r := resolved{orgID: org.ID, ous: m.OrganizationalUnits}
	if m.OrganizationID != "" && m.OrganizationID != org.ID {
		es.Add("Members.OrganizationID", m.OrganizationID, "is not this account's organization ("+org.ID+")", org.ID)
	}
	if !org.AllFeatures() {
		es.Add("Members", true,
			"needs an organization with all features (service-managed StackSets); "+org.ID+" has "+org.FeatureSet,
			"enable all features in AWS Organizations first")
	}
	register := "from the management account: aws organizations register-delegated-administrator --service-principal " +
		StackSetsServicePrincipal + " --account-id " + env.AccountID
	switch {
	case org.FromManagementAccount() && m.DelegatedAdmin:
		es.Add("Members.DelegatedAdmin", true,
			"is set, but account "+env.AccountID+" is the organization's management account (CallAs DELEGATED_ADMIN "+
				"is for a member account)",
			"false from the management account")
	case org.FromManagementAccount():
		if !org.TrustedAccess(StackSetsServicePrincipal) {
			es.Add("Members", true, "needs trusted access for CloudFormation StackSets in organization "+org.ID,
				"activate it in the management account first (CloudFormation console > StackSets > Activate trusted "+
					"access, or aws organizations enable-aws-service-access --service-principal "+
					StackSetsServicePrincipal+")")
		}
	case !m.DelegatedAdmin:
		es.Add(
			"Members.DelegatedAdmin",
			false,
			fmt.Sprintf(
				"account %s is a member account, not organization %s's management account (%s): only a delegated "+
					"administrator of CloudFormation StackSets may deploy the StackSet from it",
				env.AccountID,
				org.ID,
				org.ManagementAccountID,
			),
			"deploy from the management account, or register this account ("+register+") and set it true",
		)
	default:
		if err := awsenv.CheckDelegatedAdmin(
			ctx, env.AccountID, StackSetsServicePrincipal, "CloudFormation StackSets", opts...,
		); err != nil {
			es.Add("Members.DelegatedAdmin", true, err.Error(), register)
		}
	}
	if len(r.ous) == 0 {
		if len(org.Roots) == 0 {
			es.Add("Members.OrganizationalUnits", "",
				"is empty, and account "+env.AccountID+" could not list the organization's root to default to",
				OrganizationalUnitRule+"; e.g. the root id from: aws organizations list-roots")
		}
		r.ous = org.Roots
	}
	return r, es
}

// MemberTemplate is the CloudFormation template (JSON) the StackSet deploys in every member account
// and watched region: a rule on the default bus with ForwardPattern (the same superset of the home
// rules the cross-region forwarders use), in state ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS,
// targeting the central bus through a role that only that rule of that account may assume
// (policy.MemberForwardTrust) and that may only put events on that bus (policy.MemberPutEvents).
// EventBridge requires the role for a bus target of another account that admits its senders
// through the organization. The role's IAM path is policy.MemberForwardRolePath(centralBusARN),
// the one path the central bus's policy admits (policy.OrganizationBus); CloudFormation names the
// role, so that each region's stack gets its own (IAM names are per account) and CAPABILITY_IAM
// suffices.
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Rule.html (RoleArn)
// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-events-rule.html
func MemberTemplate(partition, centralBusARN, ruleName string) (string, error) {
	trust, err := policy.MemberForwardTrust(awsenv.Env{Partition: partition}, ruleName).JSON()
	if err != nil {
		return "", err
	}
	put, err := policy.MemberPutEvents(centralBusARN).JSON()
	if err != nil {
		return "", err
	}
	var trustDoc, putDoc, pattern any
	for _, x := range []struct {
		s string
		v *any
	}{{trust, &trustDoc}, {put, &putDoc}, {ForwardPattern(), &pattern}} {
		if err := json.Unmarshal([]byte(x.s), x.v); err != nil {
			return "", err
		}
	}
	t := obj{
		"AWSTemplateFormatVersion": "2010-09-09",
		"Description": "rootwatch: forwards this account's root sign-ins, root API calls and " +
			"sts:AssumeRoot calls in this region to the organization's central rootwatch event bus (" + centralBusARN +
			"). Managed by a service-managed StackSet; do not edit.",
		"Resources": obj{
			"ForwardRole": obj{
				"Type": "AWS::IAM::Role",
				"Properties": obj{
					"Description": "rootwatch: lets the EventBridge rule " + ruleName +
						" put root activity on the central bus " + centralBusARN,
					"Path":                     policy.MemberForwardRolePath(centralBusARN),
					"AssumeRolePolicyDocument": substitute(trustDoc),
					"Policies": arr{obj{
						"PolicyName":     "put-events-to-central-bus",
						"PolicyDocument": substitute(putDoc),
					}},
				},
			},
			"ForwardRule": obj{
				"Type": "AWS::Events::Rule",
				"Properties": obj{
					"Name": ruleName,
					"Description": "rootwatch: forwards root sign-ins, root API calls and sts:AssumeRoot calls to " +
						"the organization's central bus",
					"EventBusName": "default",
					"EventPattern": pattern,
					"State":        "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
					"Targets": arr{obj{
						"Id":      "rootwatch-central-bus",
						"Arn":     centralBusARN,
						"RoleArn": obj{"Fn::GetAtt": arr{"ForwardRole", "Arn"}},
					}},
				},
			},
		},
		"Outputs": obj{
			"ForwardRuleArn": obj{"Value": obj{"Fn::GetAtt": arr{"ForwardRule", "Arn"}}},
			"ForwardRoleArn": obj{"Value": obj{"Fn::GetAtt": arr{"ForwardRole", "Arn"}}},
		},
	}
	b, err := json.MarshalIndent(t, "", "  ")
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// substitute wraps every string of v that holds a CloudFormation pseudo parameter (${AWS::...})
// in Fn::Sub, so each member's stack fills in its own account and region.
func substitute(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := obj{}
		for k, e := range x {
			out[k] = substitute(e)
		}
		return out
	case []any:
		out := arr{}
		for _, e := range x {
			out = append(out, substitute(e))
		}
		return out
	case string:
		if strings.Contains(x, "${AWS::") {
			return obj{"Fn::Sub": x}
		}
	}
	return v
}

// members creates the central bus, its policy, the rules on it, the StackSet and its instances
// (one per region of regions, for the OUs of r).
func (b *builder) members(m *Members, r resolved, regions []string) error {
	busName := b.a.NamePrefix + MemberBusName
	busARN := b.env.EventBusARN(b.env.Region, busName)
	busPolicy, err := policy.OrganizationBus(b.env, busARN, r.orgID).JSON()
	if err != nil {
		return err
	}
	template, err := MemberTemplate(b.env.Partition, busARN, b.a.NamePrefix+MemberForwardRuleName)
	if err != nil {
		return err
	}
	bus, err := cloudwatch.NewEventBus(b.ctx, b.name+"-member-bus", &cloudwatch.EventBusArgs{
		Name: pulumi.String(busName),
		Description: pulumi.String("rootwatch: root activity of the organization's member accounts, forwarded " +
			"by the StackSet " + b.a.NamePrefix + MemberBusName),
		Tags: b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	ruleArns, ruleNames, alarmArns, err := b.rules(bus.Name, MemberRulePrefix,
		" in a member account (forwarded to the central bus "+busName+")")
	if err != nil {
		return err
	}
	ss, err := cloudformation.NewStackSet(b.ctx, b.name+"-member-stackset", &cloudformation.StackSetArgs{
		Name: pulumi.String(b.a.NamePrefix + MemberBusName),
		Description: pulumi.String(
			"rootwatch: in every member account of the organizational units and each watched region, forwards root " +
				"activity to the central bus " + busARN,
		),
		PermissionModel: pulumi.String("SERVICE_MANAGED"),
		// Accounts that join (or move into) the OUs get the stacks; an account that leaves has its
		// stacks deleted: outside the organization the bus policy refuses its events anyway.
		AutoDeployment: cloudformation.StackSetAutoDeploymentArgs{
			Enabled:                      pulumi.Bool(true),
			RetainStacksOnAccountRemoval: pulumi.Bool(false),
		},
		CallAs: pulumi.String(m.callAs()),
		// The role is unnamed (CloudFormation names it), so CAPABILITY_IAM suffices.
		Capabilities:     pulumi.StringArray{pulumi.String("CAPABILITY_IAM")},
		ManagedExecution: cloudformation.StackSetManagedExecutionArgs{Active: pulumi.Bool(true)},
		TemplateBody:     pulumi.String(template),
		Tags:             b.tags,
	}, b.child(),
		// With SERVICE_MANAGED and auto-deployment, AWS fills in AdministrationRoleARN (the
		// service-linked role), which this provider version then tries to remove on every update
		// (fixed upstream only in 2026).
		// https://github.com/hashicorp/terraform-provider-aws/issues/23464
		pulumi.IgnoreChanges([]string{"administrationRoleArn"}))
	if err != nil {
		return err
	}
	instances := pulumi.StringMap{}
	deployed := []pulumi.Resource{ss}
	for _, region := range regions {
		inst, err := cloudformation.NewStackSetInstance(
			b.ctx,
			b.name+"-member-stackset-"+region,
			&cloudformation.StackSetInstanceArgs{
				StackSetName: ss.Name,
				Region:       pulumi.String(region),
				CallAs:       pulumi.String(m.callAs()),
				DeploymentTargets: cloudformation.StackSetInstanceDeploymentTargetsArgs{
					OrganizationalUnitIds: pulumi.ToStringArray(r.ous),
				},
				RetainStack: pulumi.Bool(false),
			},
			b.child(),
		)
		if err != nil {
			return err
		}
		instances[region] = inst.ID()
		deployed = append(deployed, inst)
	}
	// The bus policy is written after the StackSet and its instances: it admits only roles under
	// MemberForwardRolePath, and the members' roles move there only when the StackSet's template
	// update reaches their stacks. Written first, an upgrade from a release whose roles were at "/"
	// would refuse every member's root activity until each instance was updated (and for good
	// where one failed), seen only in the members' own FailedInvocations. On a first deployment,
	// events forwarded in the minutes before the policy exists are refused the same way.
	if _, err := cloudwatch.NewEventBusPolicy(b.ctx, b.name+"-member-bus-policy", &cloudwatch.EventBusPolicyArgs{
		EventBusName: bus.Name,
		Policy:       pulumi.String(busPolicy),
	}, b.child(), pulumi.DependsOn(deployed)); err != nil {
		return err
	}
	b.comp.MemberBusArn = bus.Arn
	b.comp.MemberRuleArns, b.comp.MemberRuleNames, b.comp.MemberAlarmArns = ruleArns, ruleNames, alarmArns
	b.comp.MemberStackSetName = ss.Name
	b.comp.MemberStackSetInstances = instances.ToStringMapOutput()
	b.comp.MemberOrganizationalUnits = r.ous
	return nil
}
