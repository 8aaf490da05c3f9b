package posture

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cfg"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/eventrule"
	"github.com/rootwatch/rootwatch/internal/metricalarm"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:posture:Posture"

// Centralized root access features, both enabled.
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootCredentialsManagement.html
// https://docs.aws.amazon.com/IAM/latest/APIReference/API_EnableOrganizationsRootSessions.html
const (
	FeatureRootCredentialsManagement = "RootCredentialsManagement"
	FeatureRootSessions              = "RootSessions"
)

// Features are the IAM organization features RootCredentialsManagement enables.
var Features = []string{FeatureRootCredentialsManagement, FeatureRootSessions}

// IAMServicePrincipal must have trusted access in the organization for centralized root access.
const IAMServicePrincipal = "iam.amazonaws.com"

// Posture is the component: centralized root access for the organization and AWS Config rules on
// the root user, each opt-in.
type Posture struct {
	pulumi.ResourceState

	// EnabledFeatures are the IAM organization features enabled (empty without
	// RootCredentialsManagement).
	EnabledFeatures pulumi.StringArrayOutput `pulumi:"enabledFeatures"`
	// OrganizationId is the organization's id ("" without RootCredentialsManagement).
	OrganizationId pulumi.StringOutput `pulumi:"organizationId"`
	// ConfigRuleArns and ConfigRuleNames map each Config rule id (RuleRootMFA...) to its rule.
	ConfigRuleArns  pulumi.StringMapOutput `pulumi:"configRuleArns"`
	ConfigRuleNames pulumi.StringMapOutput `pulumi:"configRuleNames"`
	// ComplianceRuleArn is the EventBridge rule notifying compliance changes ("" without
	// ConfigRules); ComplianceAlarmArn its FailedInvocations alarm.
	ComplianceRuleArn  pulumi.StringOutput `pulumi:"complianceRuleArn"`
	ComplianceAlarmArn pulumi.StringOutput `pulumi:"complianceAlarmArn"`
	// ConfigRules are the ids of the Config rules deployed, in catalogue order; SkippedConfigRules
	// those the partition does not offer.
	ConfigRules        []string
	SkippedConfigRules []string
}

// New enables the chosen modes. It validates args before registering anything, registers nothing
// (and returns nil, nil) when no mode is on, and with RootCredentialsManagement checks the
// organization (management account, all features, trusted access for IAM) after registering the
// component and before registering anything under it.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Posture, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	if !args.Enabled() {
		return nil, nil
	}
	a := *args
	comp := &Posture{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("posture %s: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, a: a, env: env, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	var org *awsenv.Organization
	if a.RootCredentialsManagement {
		if org, err = checkOrganization(ctx, env, pulumi.Parent(comp)); err != nil {
			return nil, err
		}
	}
	var deployed, skipped []ConfigRule
	if a.ConfigRules {
		deployed, skipped = ConfigRules(env.Partition)
		rule := ComplianceRule(env.Partition, b.ruleNames(deployed))
		if err := rule.Check(); err != nil {
			return nil, fmt.Errorf("posture: %w", err)
		}
	}

	comp.EnabledFeatures = pulumi.StringArray{}.ToStringArrayOutput()
	comp.OrganizationId = pulumi.String("").ToStringOutput()
	if org != nil {
		if err := b.features(org); err != nil {
			return nil, fmt.Errorf("posture %s: %w", name, err)
		}
	}
	comp.ConfigRuleArns = pulumi.StringMap{}.ToStringMapOutput()
	comp.ConfigRuleNames = pulumi.StringMap{}.ToStringMapOutput()
	comp.ComplianceRuleArn = pulumi.String("").ToStringOutput()
	comp.ComplianceAlarmArn = pulumi.String("").ToStringOutput()
	if a.ConfigRules {
		if len(skipped) > 0 {
			ids := make([]string, len(skipped))
			for i, r := range skipped {
				ids[i] = r.Identifier
			}
			msg := fmt.Sprintf(
				"posture: ConfigRules: AWS does not document the managed rules %s in partition %s; only %s "+
					"is deployed there",
				strings.Join(ids, ", "),
				env.Partition,
				RuleRootAccessKey,
			)
			if err := ctx.Log.Warn(msg, &pulumi.LogArgs{Resource: comp}); err != nil {
				return nil, err
			}
		}
		if err := b.configRules(deployed); err != nil {
			return nil, fmt.Errorf("posture %s: %w", name, err)
		}
		for _, r := range skipped {
			comp.SkippedConfigRules = append(comp.SkippedConfigRules, r.ID)
		}
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"enabledFeatures":    comp.EnabledFeatures,
		"organizationId":     comp.OrganizationId,
		"configRuleArns":     comp.ConfigRuleArns,
		"configRuleNames":    comp.ConfigRuleNames,
		"complianceRuleArn":  comp.ComplianceRuleArn,
		"complianceAlarmArn": comp.ComplianceAlarmArn,
	}); err != nil {
		return nil, fmt.Errorf("posture %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

// checkOrganization verifies the prerequisites of centralized root access that the provider can
// see, so that a stack in the wrong account fails with a message saying what to do instead of
// IAM's AccountNotManagementOrDelegatedAdministrator or CallerIsNotManagementAccount error:
// the account is the organization's management account, the organization has all features, and
// IAM has trusted access.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-enable-root-access.html
// https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-iam.html
func checkOrganization(ctx *pulumi.Context, env awsenv.Env, opts ...pulumi.InvokeOption) (*awsenv.Organization, error) {
	const field = "RootCredentialsManagement"
	var es validate.Errors
	org, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		es.Add(field, true, err.Error(),
			"true only in a stack deploying to the management account of an AWS Organization with all "+
				"features; false otherwise")
		return nil, es.Err("posture: invalid args")
	}
	if !org.FromManagementAccount() {
		es.Add(field, true, fmt.Sprintf("cannot be enabled from account %s: it is a member of organization %s, whose "+
			"management account is %s (%s). Centralized root access is enabled by the management account: set it in "+
			"a stack whose AWS credentials are those of account %s, and set it to false here",
			env.AccountID, org.ID, org.ManagementAccountID, org.ManagementAccountName, org.ManagementAccountID),
			"true only in a stack deploying to the organization's management account ("+org.ManagementAccountID+")")
		return nil, es.Err("posture: invalid args")
	}
	if !org.AllFeatures() {
		es.Add(
			field,
			true,
			fmt.Sprintf(
				"needs organization %s to have all features enabled, and its feature set is %s. Enable all features "+
					"(AWS Organizations console > Settings, or aws organizations enable-all-features) and deploy again",
				org.ID,
				org.FeatureSet,
			),
			"true once the organization has all features",
		)
	} else if !org.TrustedAccess(IAMServicePrincipal) {
		es.Add(field, true, fmt.Sprintf("needs trusted access for AWS Identity and Access Management in organization "+
			"%s, which is not enabled. From the management account run: aws organizations enable-aws-service-access "+
			"--service-principal %s (or AWS Organizations console > Services > AWS Identity and Access Management > "+
			"Enable trusted access), then deploy again", org.ID, IAMServicePrincipal),
			"true once IAM has trusted access in the organization")
	}
	if err := es.Err("posture: invalid args"); err != nil {
		return nil, err
	}
	return org, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	comp *Posture
	tags pulumi.StringMap
}

func (b *builder) child() pulumi.ResourceOption { return pulumi.Parent(b.comp) }

func (b *builder) ruleNames(rules []ConfigRule) []string {
	names := make([]string, len(rules))
	for i, r := range rules {
		names[i] = b.a.NamePrefix + r.ID
	}
	return names
}

// features enables centralized root access. Deleting this resource (destroying the stack, or
// turning the option off) disables both features: the management account can then no longer
// manage member accounts' root credentials nor take root sessions in them, but credentials it
// deleted stay deleted.
func (b *builder) features(org *awsenv.Organization) error {
	f, err := iam.NewOrganizationsFeatures(b.ctx, b.name+"-root-access", &iam.OrganizationsFeaturesArgs{
		EnabledFeatures: pulumi.ToStringArray(Features),
	}, b.child())
	if err != nil {
		return err
	}
	b.comp.EnabledFeatures = f.EnabledFeatures
	b.comp.OrganizationId = pulumi.String(org.ID).ToStringOutput()
	return nil
}

func (b *builder) configRules(rules []ConfigRule) error {
	arns, names := pulumi.StringMap{}, pulumi.StringMap{}
	for _, r := range rules {
		rule, err := cfg.NewRule(b.ctx, b.name+"-"+r.ID, &cfg.RuleArgs{
			Name:        pulumi.String(b.a.NamePrefix + r.ID),
			Description: pulumi.String(r.Description),
			Source: cfg.RuleSourceArgs{
				Owner:            pulumi.String("AWS"),
				SourceIdentifier: pulumi.String(r.Identifier),
			},
			MaximumExecutionFrequency: pulumi.String(MaximumExecutionFrequency),
			Tags:                      b.tags,
		}, b.child())
		if err != nil {
			return err
		}
		arns[r.ID] = rule.Arn
		names[r.ID] = rule.Name
		b.comp.ConfigRules = append(b.comp.ConfigRules, r.ID)
	}
	b.comp.ConfigRuleArns = arns.ToStringMapOutput()
	b.comp.ConfigRuleNames = names.ToStringMapOutput()

	nr := ComplianceRule(b.env.Partition, b.ruleNames(rules))
	ruleName := b.a.NamePrefix + nr.ID
	topic := eventrule.CheckedTopic(b.a.TopicARN, b.env, "posture: TopicARN", "provider's region")
	d, err := eventrule.New(b.ctx, b.name+"-"+nr.ID, eventrule.Args{
		Name:        ruleName,
		Description: nr.Description,
		Pattern:     nr.Pattern,
		State:       nr.State(),
		Targets: []eventrule.Target{
			{Suffix: "topic", ID: "rootwatch-alert-topic", Arn: topic, Transformer: nr.Transformer()},
		},
		Alarm: &eventrule.Alarm{
			Description: fmt.Sprintf("rootwatch: EventBridge rule %s could not deliver an AWS Config root-posture "+
				"compliance change to the alert topic. Check the topic policy, its KMS key policy and the rule's "+
				"target; read the rules' compliance in the AWS Config console.", ruleName),
			Actions: metricalarm.PathActions(topic, b.a.HealthTopicARN),
		},
		Tags: b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.comp.ComplianceRuleArn = d.Rule.Arn
	b.comp.ComplianceAlarmArn = d.Alarm.Arn
	return nil
}
