package notify

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
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

// Args configures Notify.
type Args struct {
	// TopicARN is the SNS topic the rules and alarms notify (required): rootwatch's alert topic
	// (alarms.Alarms.TopicArn). It must be in the home region (the region of the provider the
	// component deploys with) and its policy must let this account's EventBridge rules and
	// CloudWatch alarms publish, as internal/policy.Topic does; an encrypted topic's key must let
	// events.amazonaws.com and cloudwatch.amazonaws.com use it (internal/policy.TopicKey).
	TopicARN pulumi.StringInput
	// Regions are further regions whose root activity is forwarded to the home region's default
	// bus (one rule, one IAM role and one explicit provider each). Root console sign-ins and IAM
	// calls (MFA device changes included) reach EventBridge in us-east-1, other API calls in the
	// region where they happen; so in the aws partition us-east-1 is always added. The home region
	// itself and duplicates are ignored.
	Regions []string
	// NamePrefix starts every rule, role and alarm name (e.g. "rootwatch-prod-"), so two stacks
	// in one account never collide.
	NamePrefix string
	// Tags go on every taggable resource (rules, roles, alarms; providers are not taggable).
	Tags map[string]string
	// RegionProvider is a template for the per-region providers (credentials, profile,
	// assume-role, default tags...). Explicit providers do not read the stack's aws:* config, so a
	// stack that sets e.g. aws:profile must pass it here. Region is overwritten. Nil: the
	// environment's default credentials.
	RegionProvider *aws.ProviderArgs
	// ChatTopicARN, when set, is the topic of the chat channels (alarms.Alarms.ChatTopicArn): each
	// rule also sends its message there as a custom notification, which Amazon Q Developer in chat
	// applications renders (it does not render the plain text the alert topic carries), and the
	// rules' FailedInvocations alarms notify it too. Its policy and key must admit this account's
	// rules and alarms, as the alert topic's do.
	ChatTopicARN pulumi.StringInput
	// Health is the second, independent path for the alarms on the rules' failed deliveries. Nil:
	// those alarms go to TopicARN alone, and the forwarding rules get none (an alarm's actions must
	// be topics of its own region, and there is nobody to reach there).
	Health *Health
	// Members, when set, extends the notifications to the organization's member accounts (see
	// Members and the package documentation's "Member accounts"). The deploying account must be
	// the organization's management account, or with Members.DelegatedAdmin a delegated
	// administrator of CloudFormation StackSets.
	Members *Members
}

// Health configures the health path: the home region's health topic, and what it takes to make one
// in each forwarding region, where that region's FailedInvocations alarm must live.
type Health struct {
	// TopicARN is the home region's health topic (alarms.Alarms.HealthTopicArn).
	TopicARN pulumi.StringInput
	// Subscribers are subscribed to each forwarding region's health topic (the alert topic's).
	Subscribers alerttopic.Subscribers
	// KeyAdminARNs administer the forwarding regions' health topic keys (default: the account).
	KeyAdminARNs []string
}

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

// NamePrefixRule says which name prefixes are accepted: the characters EventBridge rule names and
// IAM role names share, short enough for the longest role name (prefix + "root-events-fwd-" +
// region) to stay within IAM's 64 characters.
const NamePrefixRule = validate.NamePrefixRule

// Validate reports every problem with a, each naming its field.
func (a *Args) Validate() error {
	if a == nil {
		return fmt.Errorf("notify: args are required (at least TopicARN)")
	}
	var es validate.Errors
	if a.TopicARN == nil {
		es.Add("TopicARN", "", "is required", "the ARN of the alert topic, e.g. alarms.Alarms.TopicArn")
	}
	for i, r := range a.Regions {
		if !awsenv.IsRegion(r) {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is not an AWS region name", "a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1")
		} else if p, ok, allowed := awsenv.KnownRegion(r); !ok {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is not a region of partition "+p, allowed)
		}
	}
	validate.NamePrefix(&es, "NamePrefix", a.NamePrefix)
	validate.Tags(&es, "Tags", a.Tags)
	if a.Members != nil {
		a.Members.validate(&es)
	}
	return es.Err("notify: invalid args")
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
	comp.MemberRuleArns, comp.MemberRuleNames, comp.MemberAlarmArns, comp.MemberStackSetInstances = empty, empty, empty, empty
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

// Preflight checks, with invokes only (nothing is registered), what New can check only once the
// provider has said where it deploys: that every one of Regions is in the home region's partition
// and can be forwarded from there, and with Members that the account may deploy the StackSet
// (management account with trusted access, or a registered delegated administrator) and the
// organization's root can be found when no OU is given. A program calls it while validating its configuration, so a
// region of another partition fails before anything exists; errors name Regions[i].
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil || len(args.Regions) == 0 && args.Members == nil {
		return nil
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	es := regionsInPartition(args.Regions, env)
	if args.Members != nil {
		_, mes := checkMembers(ctx, args.Members, env, opts...)
		es = append(es, mes...)
	}
	return es.Err("notify: invalid args")
}

// regionsInPartition reports the regions that are not in env's partition, or that EventBridge
// cannot forward from in it.
func regionsInPartition(regions []string, env awsenv.Env) validate.Errors {
	var es validate.Errors
	for i, r := range regions {
		if p := awsenv.RegionPartition(r); p != env.Partition {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is in partition "+p+", not in the home region's partition "+env.Partition, "regions of partition "+env.Partition)
		} else if env.Partition != "aws" && r != env.Region {
			// "you can now route events between any AWS Regions, except AWS GovCloud (US) and
			// China": a forwarding rule there would be refused, or never deliver.
			// https://aws.amazon.com/blogs/compute/expanding-cross-region-event-routing-with-amazon-eventbridge/
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "cannot be forwarded: EventBridge does not route events between regions in "+env.Partition,
				"no extra regions in "+env.Partition+"; deploy a rootwatch stack in each region to watch instead")
		}
	}
	return es
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
func (b *builder) rules(bus pulumi.StringInput, infix, where string) (ruleArns, ruleNames, alarmArns pulumi.StringMapOutput, err error) {
	arns, names, alarms := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	for _, r := range Rules(b.env.Partition) {
		if err := r.Check(); err != nil {
			return ruleArns, ruleNames, alarmArns, fmt.Errorf("notify: %w", err)
		}
		ruleName := b.a.NamePrefix + infix + r.ID
		targets := []eventrule.Target{{Suffix: "topic", ID: "rootwatch-alert-topic", Arn: b.topicArn, Transformer: r.Transformer()}}
		actions := metricalarm.PathActions(b.topicArn, b.healthTopic())
		if b.a.ChatTopicARN != nil {
			targets = append(targets, eventrule.Target{Suffix: "chat", ID: "rootwatch-chat-topic", Arn: b.a.ChatTopicARN, Transformer: r.ChatTransformer()})
			actions = append(actions, b.a.ChatTopicARN)
		}
		console := "EventBridge console > Rules > " + ruleName + " > Monitoring"
		if bus != nil {
			console = "EventBridge console > Rules, event bus " + b.a.NamePrefix + MemberBusName + " > " + ruleName + " > Monitoring"
		}
		d, err := eventrule.New(b.ctx, b.name+"-"+infix+r.ID, eventrule.Args{
			Name:         ruleName,
			Description:  r.Description,
			EventBusName: bus,
			Pattern:      r.Pattern,
			State:        r.State(),
			Targets:      targets,
			Alarm: &eventrule.Alarm{
				Description: fmt.Sprintf("rootwatch: EventBridge rule %s could not deliver a root-activity notification%s to the alert topic. Check the topic policy, its KMS key policy and the rule's target (%s); root activity may have gone unnoticed, so read CloudTrail event history for the period.", ruleName, where, console),
				Actions:     actions,
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
	ruleArns, roleArns, alarmArns, healthArns := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
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
			Name:             pulumi.String(b.a.NamePrefix + "root-events-fwd-" + region),
			Description:      pulumi.String("rootwatch: lets the EventBridge rule " + ruleName + " in " + region + " forward root activity to the default bus of " + b.env.Region),
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
			Name:        ruleName,
			Description: "rootwatch: forwards root sign-ins and API calls in " + region + " to the default bus of " + b.env.Region,
			Pattern:     ForwardPattern(),
			State:       "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
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
			Env:            regional,
			DisplayName:    "rootwatch alert-path health (" + region + ")",
			KeyDescription: "rootwatch: encrypts the SNS topic that says when root-event forwarding from " + region + " fails",
			AliasName:      "alias/rootwatch/notify/" + alerttopic.AliasPart(b.a.NamePrefix, "health"),
			Subscribers:    b.a.Health.Subscribers,
			KeyAdminARNs:   b.a.Health.KeyAdminARNs,
			Tags:           b.tags,
		}, b.child(), pulumi.Provider(prov))
		if err != nil {
			return err
		}
		alarm, err := eventrule.FailedInvocations(b.ctx, b.name+"-forward-"+region+"-failed-invocations", ruleName, rule.Name,
			fmt.Sprintf("rootwatch: the EventBridge rule %s in %s could not forward root activity to the default bus of %s. Check its role (%s) and the home bus; root activity in %s may have gone unnoticed, so read that region's CloudTrail event history for the period.", ruleName, region, b.env.Region, b.a.NamePrefix+"root-events-fwd-"+region, region),
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
