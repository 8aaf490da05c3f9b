package notify

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/eventrule"
	"github.com/rootwatch/rootwatch/internal/metricalarm"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:notify:Notify"

// Notify is the component: EventBridge rules on the home region's default bus that send a
// readable message to the alert topic for every root sign-in and root API call, forwarding rules
// in the other regions, and an alarm on each home rule's FailedInvocations.
type Notify struct {
	pulumi.ResourceState

	// HomeRegion is the region of the rules that notify the topic.
	HomeRegion pulumi.StringOutput `pulumi:"homeRegion"`
	// RuleArns and RuleNames map each home rule id (root-signin, root-api-call,
	// root-console-api-call) to its rule.
	RuleArns  pulumi.StringMapOutput `pulumi:"ruleArns"`
	RuleNames pulumi.StringMapOutput `pulumi:"ruleNames"`
	// AlarmArns maps each home rule id to its FailedInvocations alarm.
	AlarmArns pulumi.StringMapOutput `pulumi:"alarmArns"`
	// ForwardRuleArns and ForwardRoleArns map each forwarding region to its rule and role.
	ForwardRuleArns pulumi.StringMapOutput `pulumi:"forwardRuleArns"`
	ForwardRoleArns pulumi.StringMapOutput `pulumi:"forwardRoleArns"`
	// ForwardAlarmArns and ForwardHealthTopicArns map each forwarding region to the
	// FailedInvocations alarm of its rule and the health topic that alarm notifies (empty without
	// Health).
	ForwardAlarmArns       pulumi.StringMapOutput `pulumi:"forwardAlarmArns"`
	ForwardHealthTopicArns pulumi.StringMapOutput `pulumi:"forwardHealthTopicArns"`
	// Regions are the forwarding regions deployed, in the order given (home region and duplicates
	// removed).
	Regions []string

	// With Args.Members (empty otherwise): MemberBusArn is the central event bus; MemberRuleArns,
	// MemberRuleNames and MemberAlarmArns map each rule id to its rule on that bus and its
	// FailedInvocations alarm; MemberStackSetName is the StackSet; MemberStackSetInstances maps
	// each watched region to its StackSetInstance id; MemberOrganizationalUnits are the OUs (or
	// root) deployed to.
	MemberBusArn              pulumi.StringOutput    `pulumi:"memberBusArn"`
	MemberRuleArns            pulumi.StringMapOutput `pulumi:"memberRuleArns"`
	MemberRuleNames           pulumi.StringMapOutput `pulumi:"memberRuleNames"`
	MemberAlarmArns           pulumi.StringMapOutput `pulumi:"memberAlarmArns"`
	MemberStackSetName        pulumi.StringOutput    `pulumi:"memberStackSetName"`
	MemberStackSetInstances   pulumi.StringMapOutput `pulumi:"memberStackSetInstances"`
	MemberOrganizationalUnits []string
}

// forwardRegions returns the regions to forward from: Regions without home and duplicates.
func forwardRegions(regions []string, home string) []string {
	var out []string
	for _, r := range regions {
		if r != home && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// New creates the rules, forwarding rules and alarms. It validates args before registering
// anything. The regions' partition can only be checked once the provider has said where it
// deploys: a region of another partition fails New after the component itself (and nothing else)
// is registered; call Preflight first to fail before that.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Notify, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	for _, r := range Rules("aws") {
		if err := r.Check(); err != nil {
			return nil, fmt.Errorf("notify: %w", err)
		}
	}
	a := *args
	comp := &Notify{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("notify %s: %w", name, err)
	}
	es := regionsInPartition(a.Regions, env)
	var members resolved
	if a.Members != nil {
		var mes validate.Errors
		members, mes = checkMembers(ctx, a.Members, env, pulumi.Parent(comp))
		es = append(es, mes...)
	}
	if err := es.Err("notify: invalid args"); err != nil {
		return nil, err
	}
	// Root console sign-ins and IAM calls (MFA device changes included) reach EventBridge in
	// us-east-1 only, so in the aws partition it is always watched, whatever Regions says.
	regions := append([]string(nil), a.Regions...)
	if env.Partition == "aws" {
		regions = append(regions, "us-east-1")
	}
	regions = forwardRegions(regions, env.Region)
	b := &builder{ctx: ctx, name: name, a: a, env: env, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	b.topicArn = eventrule.CheckedTopic(a.TopicARN, env, "notify: TopicARN", "home region")
	if err := b.homeRules(); err != nil {
		return nil, fmt.Errorf("notify %s: %w", name, err)
	}
	if err := b.forwarders(regions); err != nil {
		return nil, fmt.Errorf("notify %s: %w", name, err)
	}
	empty := pulumi.StringMap{}.ToStringMapOutput()
	comp.MemberBusArn, comp.MemberStackSetName = pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	comp.MemberRuleArns, comp.MemberRuleNames, comp.MemberAlarmArns, comp.MemberStackSetInstances =
		empty, empty, empty, empty
	if a.Members != nil {
		// The member accounts' root activity reaches EventBridge in the same regions as this
		// account's: the home region and the forwarding regions.
		if err := b.members(a.Members, members, append([]string{env.Region}, regions...)); err != nil {
			return nil, fmt.Errorf("notify %s: %w", name, err)
		}
	}
	comp.HomeRegion = pulumi.String(env.Region).ToStringOutput()
	comp.Regions = regions
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"homeRegion":              comp.HomeRegion,
		"ruleArns":                comp.RuleArns,
		"ruleNames":               comp.RuleNames,
		"alarmArns":               comp.AlarmArns,
		"forwardRuleArns":         comp.ForwardRuleArns,
		"forwardRoleArns":         comp.ForwardRoleArns,
		"forwardAlarmArns":        comp.ForwardAlarmArns,
		"forwardHealthTopicArns":  comp.ForwardHealthTopicArns,
		"memberBusArn":            comp.MemberBusArn,
		"memberRuleArns":          comp.MemberRuleArns,
		"memberRuleNames":         comp.MemberRuleNames,
		"memberAlarmArns":         comp.MemberAlarmArns,
		"memberStackSetName":      comp.MemberStackSetName,
		"memberStackSetInstances": comp.MemberStackSetInstances,
	}); err != nil {
		return nil, fmt.Errorf("notify %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	comp *Notify
	tags pulumi.StringMap

	topicArn pulumi.StringOutput
}

func (b *builder) child() pulumi.ResourceOption { return pulumi.Parent(b.comp) }

func (b *builder) healthTopic() pulumi.StringInput {
	if b.a.Health == nil {
		return nil
	}
	return b.a.Health.TopicARN
}

func (b *builder) homeRules() error {
	ruleArns, ruleNames, alarmArns, err := b.rules(nil, "", "")
	if err != nil {
		return err
	}
	b.comp.RuleArns, b.comp.RuleNames, b.comp.AlarmArns = ruleArns, ruleNames, alarmArns
	return nil
}

// rules creates the rules of Rules on bus (nil: the default bus), each named NamePrefix + infix +
// rule id, sending to the alert topic (and the chat topic), each with a FailedInvocations alarm
// through the health path. where completes the alarm's "could not deliver a root-activity
// notification" for a rule on another bus.
func (b *builder) rules(
	bus pulumi.StringInput, infix, where string,
) (ruleArns, ruleNames, alarmArns pulumi.StringMapOutput, err error) {
	arns, names, alarms := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	for _, r := range Rules(b.env.Partition) {
		if err := r.Check(); err != nil {
			return ruleArns, ruleNames, alarmArns, fmt.Errorf("notify: %w", err)
		}
		ruleName := b.a.NamePrefix + infix + r.ID
		targets := []eventrule.Target{
			{Suffix: "topic", ID: "rootwatch-alert-topic", Arn: b.topicArn, Transformer: r.Transformer()},
		}
		actions := metricalarm.PathActions(b.topicArn, b.healthTopic())
		if b.a.ChatTopicARN != nil {
			targets = append(targets, eventrule.Target{
				Suffix: "chat", ID: "rootwatch-chat-topic", Arn: b.a.ChatTopicARN, Transformer: r.ChatTransformer(),
			})
			actions = append(actions, b.a.ChatTopicARN)
		}
		console := "EventBridge console > Rules > " + ruleName + " > Monitoring"
		if bus != nil {
			console = "EventBridge console > Rules, event bus " + b.a.NamePrefix + MemberBusName + " > " + ruleName +
				" > Monitoring"
		}
		d, err := eventrule.New(b.ctx, b.name+"-"+infix+r.ID, eventrule.Args{
			Name:         ruleName,
			Description:  r.Description,
			EventBusName: bus,
			Pattern:      r.Pattern,
			State:        r.State(),
			Targets:      targets,
			Alarm: &eventrule.Alarm{
				Description: fmt.Sprintf("rootwatch: EventBridge rule %s could not deliver a root-activity "+
					"notification%s to the alert topic. Check the topic policy, its KMS key policy and the rule's "+
					"target (%s); root activity may have gone unnoticed, so read CloudTrail event "+
					"history for the period.", ruleName, where, console),
				Actions: actions,
			},
			Tags: b.tags,
		}, b.child())
		if err != nil {
			return ruleArns, ruleNames, alarmArns, err
		}
		arns[r.ID] = d.Rule.Arn
		names[r.ID] = d.Rule.Name
		alarms[r.ID] = d.Alarm.Arn
	}
	return arns.ToStringMapOutput(), names.ToStringMapOutput(), alarms.ToStringMapOutput(), nil
}

// forwarders creates, in each extra region, a rule on the default bus that sends root activity to
// the home region's default bus, through an explicit provider for that region. Events keep their
// fields (source, detail-type, region, detail) on the way, so the home rules match them as they
// match local events.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-region.html
func (b *builder) forwarders(regions []string) error {
	ruleArns, roleArns, alarmArns, healthArns :=
		pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	homeBus := b.env.DefaultEventBusARN(b.env.Region)
	putEvents, err := ForwardPutEvents(homeBus).JSON()
	if err != nil {
		return err
	}
	for _, region := range regions {
		prov, err := awsenv.RegionalProvider(b.ctx, b.name+"-"+region, region, b.a.RegionProvider, b.env, b.child())
		if err != nil {
			return err
		}
		ruleName := b.a.NamePrefix + "root-events-to-" + b.env.Region
		trust, err := ForwardTrust(b.env, b.env.EventRuleARN(region, ruleName)).JSON()
		if err != nil {
			return err
		}
		// IAM is global: the role is created through the component's own provider.
		role, err := iam.NewRole(b.ctx, b.name+"-forward-"+region, &iam.RoleArgs{
			Name: pulumi.String(b.a.NamePrefix + "root-events-fwd-" + region),
			Description: pulumi.String(
				"rootwatch: lets the EventBridge rule " + ruleName + " in " + region + " forward root activity to " +
					"the default bus of " + b.env.Region,
			),
			AssumeRolePolicy: pulumi.String(trust),
			Tags:             b.tags,
		}, b.child())
		if err != nil {
			return err
		}
		rp, err := iam.NewRolePolicy(b.ctx, b.name+"-forward-"+region+"-put-events", &iam.RolePolicyArgs{
			Role:   role.ID(),
			Name:   pulumi.String("put-events-to-home-bus"),
			Policy: pulumi.String(putEvents),
		}, b.child())
		if err != nil {
			return err
		}
		fwd, err := eventrule.New(b.ctx, b.name+"-forward-"+region, eventrule.Args{
			Name: ruleName,
			Description: "rootwatch: forwards root sign-ins and API calls in " + region + " to the default bus of " +
				b.env.Region,
			Pattern: ForwardPattern(),
			State:   "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
			Targets: []eventrule.Target{{
				Suffix: "bus", ID: "rootwatch-home-bus", Arn: pulumi.String(homeBus), RoleArn: role.Arn,
				Opts: []pulumi.ResourceOption{pulumi.DependsOn([]pulumi.Resource{rp})},
			}},
			// No Alarm here: it needs the region's health topic, made below.
			Tags: b.tags,
		}, b.child(), pulumi.Provider(prov))
		if err != nil {
			return err
		}
		rule := fwd.Rule
		ruleArns[region] = rule.Arn
		roleArns[region] = role.Arn
		if b.a.Health == nil {
			continue
		}
		// The forwarding rule's FailedInvocations alarm lives in its region (AWS/Events metrics
		// are regional), and an alarm's SNS actions must be topics of that region: each region
		// gets its own health topic, key and policy, with the same subscribers.
		regional := b.env
		regional.Region = region
		h, err := alerttopic.New(b.ctx, b.name+"-health-"+region, alerttopic.Args{
			Env:         regional,
			DisplayName: "rootwatch alert-path health (" + region + ")",
			KeyDescription: "rootwatch: encrypts the SNS topic that says when root-event forwarding from " + region +
				" fails",
			AliasName:    "alias/rootwatch/notify/" + alerttopic.AliasPart(b.a.NamePrefix, "health"),
			Subscribers:  b.a.Health.Subscribers,
			KeyAdminARNs: b.a.Health.KeyAdminARNs,
			Tags:         b.tags,
		}, b.child(), pulumi.Provider(prov))
		if err != nil {
			return err
		}
		alarm, err := eventrule.FailedInvocations(b.ctx, b.name+"-forward-"+region+"-failed-invocations",
			ruleName, rule.Name,
			fmt.Sprintf("rootwatch: the EventBridge rule %s in %s could not forward root activity to the default bus "+
				"of %s. Check its role (%s) and the home bus; root activity in %s may have gone unnoticed, so read "+
				"that region's CloudTrail event history for the period.",
				ruleName, region, b.env.Region, b.a.NamePrefix+"root-events-fwd-"+region, region),
			pulumi.Array{h.Arn}, b.tags, b.child(), pulumi.Provider(prov), pulumi.DependsOn(h.Ready))
		if err != nil {
			return err
		}
		alarmArns[region] = alarm.Arn
		healthArns[region] = h.Arn
	}
	b.comp.ForwardRuleArns = ruleArns.ToStringMapOutput()
	b.comp.ForwardRoleArns = roleArns.ToStringMapOutput()
	b.comp.ForwardAlarmArns = alarmArns.ToStringMapOutput()
	b.comp.ForwardHealthTopicArns = healthArns.ToStringMapOutput()
	return nil
}
