package alarms

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/metricalarm"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:alarms:Alarms"

// Defaults.
const (
	DefaultMetricNamespace    = "CISBenchmark"
	DefaultAlarmPeriodSeconds = 60
)

// Alarms is the component: metric filters and alarms for the chosen CIS controls, and the
// encrypted SNS topic they notify.
type Alarms struct {
	pulumi.ResourceState

	TopicArn pulumi.StringOutput `pulumi:"topicArn"`
	// KeyArn is the topic key's ARN ("" when TopicARN was given).
	KeyArn pulumi.StringOutput `pulumi:"keyArn"`
	// HealthTopicArn and HealthKeyArn are the second, independent path's topic and key: alarms
	// about the alert path itself (its key disabled, the trail changed, a rule failing to deliver)
	// also go there. "" when TopicARN was given or nobody is subscribed.
	HealthTopicArn pulumi.StringOutput `pulumi:"healthTopicArn"`
	HealthKeyArn   pulumi.StringOutput `pulumi:"healthKeyArn"`
	// ChatTopicArn is the chat route's topic ("" without chat channels): pass it to
	// notify.Args.ChatTopicARN so the root-activity notifications reach the channels too.
	ChatTopicArn pulumi.StringOutput `pulumi:"chatTopicArn"`
	// HeartbeatRuleArn is the scheduled rule of the heartbeat ("" when off).
	HeartbeatRuleArn pulumi.StringOutput `pulumi:"heartbeatRuleArn"`
	// AlarmArns maps each deployed control id to its alarm's ARN.
	AlarmArns pulumi.StringMapOutput `pulumi:"alarmArns"`
	// AlarmNames maps each deployed control id to its alarm's name.
	AlarmNames pulumi.StringMapOutput `pulumi:"alarmNames"`
	// MetricNamespace is the namespace of the filters' metrics.
	MetricNamespace pulumi.StringOutput `pulumi:"metricNamespace"`
	// Controls are the ids deployed, in catalogue order.
	Controls []string
}

// New creates the topic, filters and alarms. It validates args before registering anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Alarms, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	a := args.withDefaults()
	controls, _ := catalog.Select(a.Controls)
	if err := checkPatterns(controls); err != nil {
		return nil, err
	}

	comp := &Alarms{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	for _, w := range a.Warnings() {
		if err := ctx.Log.Warn(w, &pulumi.LogArgs{Resource: comp}); err != nil {
			return nil, err
		}
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := a.chatInPartition(env).Err("alarms: invalid args"); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, a: a, env: env, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	comp.MetricNamespace = pulumi.String(a.MetricNamespace).ToStringOutput()
	if err := b.topic(); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.chat(); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.alarms(controls); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.heartbeat(controls); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"topicArn":         comp.TopicArn,
		"keyArn":           comp.KeyArn,
		"healthTopicArn":   comp.HealthTopicArn,
		"healthKeyArn":     comp.HealthKeyArn,
		"chatTopicArn":     comp.ChatTopicArn,
		"heartbeatRuleArn": comp.HeartbeatRuleArn,
		"alarmArns":        comp.AlarmArns,
		"alarmNames":       comp.AlarmNames,
		"metricNamespace":  comp.MetricNamespace,
	}); err != nil {
		return nil, fmt.Errorf("alarms %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	comp *Alarms
	tags pulumi.StringMap

	topicArn  pulumi.StringOutput
	healthArn pulumi.StringInput // nil without a health path
	chatArn   pulumi.StringInput // nil without chat channels
	deps      []pulumi.Resource
}

func (b *builder) child() pulumi.ResourceOption { return pulumi.Parent(b.comp) }

func (b *builder) topic() error {
	none := pulumi.String("").ToStringOutput()
	b.comp.HealthTopicArn, b.comp.HealthKeyArn = none, none
	if b.a.TopicARN != "" {
		b.topicArn = pulumi.String(b.a.TopicARN).ToStringOutput()
		b.comp.TopicArn = b.topicArn
		b.comp.KeyArn = none
		return nil
	}
	t, err := alerttopic.New(b.ctx, b.name, alerttopic.Args{
		Env:            b.env,
		DisplayName:    "rootwatch alerts",
		KeyDescription: "rootwatch: encrypts the SNS topic that carries root-user and CIS alarms",
		AliasName:      "alias/rootwatch/alarms/" + alerttopic.AliasPart(b.a.NamePrefix, "alerts"),
		Subscribers:    b.a.Subscribers(),
		KeyAdminARNs:   b.a.KeyAdminARNs,
		Tags:           b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.topicArn = t.Arn
	b.comp.TopicArn = t.Arn
	b.comp.KeyArn = t.KeyArn
	b.deps = t.Ready
	if !b.a.HealthPath() {
		return nil // nobody to reach on a second path either (Warnings says so)
	}
	// The health path: its own key, topic and policy, the same subscribers. Alarms about the
	// alert path itself go to both, so disabling the alert topic's key (what CIS 5.7 watches) or
	// breaking its policy cannot silence them.
	h, err := alerttopic.New(b.ctx, b.name+"-health", alerttopic.Args{
		Env:            b.env,
		DisplayName:    "rootwatch alert-path health",
		KeyDescription: "rootwatch: encrypts the SNS topic that says when the alert path itself breaks",
		AliasName:      "alias/rootwatch/alarms/" + alerttopic.AliasPart(b.a.NamePrefix, "health"),
		Subscribers:    b.a.Subscribers(),
		KeyAdminARNs:   b.a.KeyAdminARNs,
		Tags:           b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.healthArn = h.Arn
	b.comp.HealthTopicArn = h.Arn
	b.comp.HealthKeyArn = h.KeyArn
	b.deps = append(b.deps, h.Ready...)
	return nil
}

// pathActions are the alarm actions of an alarm about the alert path itself: the alert topic and,
// when there is one, the health topic (and the chat topic, when there are chat channels).
func (b *builder) pathActions() pulumi.Array {
	return b.withChat(metricalarm.PathActions(b.topicArn, b.healthArn))
}

// withChat adds the chat topic to alarm actions: Chatbot renders CloudWatch alarm notifications.
func (b *builder) withChat(actions pulumi.Array) pulumi.Array {
	if b.chatArn != nil {
		actions = append(actions, b.chatArn)
	}
	return actions
}

func (b *builder) alarms(controls []catalog.Control) error {
	arns := pulumi.StringMap{}
	names := pulumi.StringMap{}
	for _, c := range controls {
		metric := b.a.NamePrefix + c.MetricName
		patterns := c.Patterns()
		var filters []pulumi.Resource
		for i, p := range patterns {
			suffix := ""
			if i > 0 {
				suffix = fmt.Sprintf("-%d", i+1)
			}
			f, err := cloudwatch.NewLogMetricFilter(b.ctx, fmt.Sprintf("%s-%s-filter%s", b.name, c.ID, suffix),
				&cloudwatch.LogMetricFilterArgs{
					Name:         pulumi.String(metric + suffix),
					LogGroupName: b.a.LogGroupName,
					Pattern:      pulumi.String(p),
					MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
						Name:         pulumi.String(metric),
						Namespace:    pulumi.String(b.a.MetricNamespace),
						Value:        pulumi.String("1"),
						DefaultValue: pulumi.String("0"),
					},
				}, b.child())
			if err != nil {
				return err
			}
			filters = append(filters, f)
		}
		// MetricAlarmArgs types AlarmActions/OkActions as pulumi.ArrayInput (ARN strings).
		actions := b.withChat(pulumi.Array{b.topicArn})
		if c.AlertPath {
			actions = b.pathActions()
		}
		var ok pulumi.ArrayInput
		if b.a.OKActions {
			ok = actions
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, fmt.Sprintf("%s-%s-alarm", b.name, c.ID),
			metricalarm.FirstEvent(cloudwatch.MetricAlarmArgs{
				Name:             pulumi.String(metric),
				AlarmDescription: pulumi.String(Runbook(c)),
				Namespace:        pulumi.String(b.a.MetricNamespace),
				MetricName:       pulumi.String(metric),
				OkActions:        ok,
				Tags:             b.tags,
			}, b.a.AlarmPeriodSeconds, actions), b.child(), pulumi.DependsOn(append(filters, b.deps...)))
		if err != nil {
			return err
		}
		arns[c.ID] = alarm.Arn
		names[c.ID] = alarm.Name
		b.comp.Controls = append(b.comp.Controls, c.ID)
	}
	b.comp.AlarmArns = arns.ToStringMapOutput()
	b.comp.AlarmNames = names.ToStringMapOutput()
	return nil
}
