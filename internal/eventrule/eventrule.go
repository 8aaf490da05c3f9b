// Package eventrule builds an EventBridge rule that tells people. It makes a rule (an event pattern
// or a schedule), its targets (SNS topics, with an input transformer or a fixed input; or another
// event bus through a role), and a CloudWatch alarm on the rule's FailedInvocations, so that a
// broken delivery is noticed. Package notify (root activity), package posture (AWS Config
// compliance changes) and package alarms (the heartbeat) all make their rules with New; no
// component imports another for it.
//
// Rule is the pure-data side: what a rule matches and the message its input transformer writes,
// with the checks EventBridge's input transformer imposes (Check).
package eventrule

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/metricalarm"
)

// Args configures one rule, its targets and its alarm.
type Args struct {
	// Name is the rule's own (physical) name; the alarm is named Name+"-FailedInvocations".
	Name string
	// Description is the rule's description.
	Description string
	// EventBusName is the bus the rule is on (a custom bus); nil: the default bus.
	EventBusName pulumi.StringInput
	// Pattern is the event pattern (JSON); Schedule a schedule expression ("rate(1 day)"). One of
	// the two.
	Pattern  string
	Schedule string
	// State is the rule's state (Rule.State); "" leaves it to the provider's default (ENABLED).
	State string
	// Targets are created in order, each named <resource name>-<Target.Suffix>.
	Targets []Target
	// Alarm, when set, creates the FailedInvocations alarm, named <resource name>-failed-invocations.
	Alarm *Alarm
	// Tags go on the rule and the alarm.
	Tags pulumi.StringMap
}

// Target is one target of the rule.
type Target struct {
	// Suffix ends the target's resource name ("topic", "chat", "bus").
	Suffix string
	// ID is the target's id on the rule (TargetId).
	ID string
	// Arn is what the rule delivers to.
	Arn pulumi.StringInput
	// RoleArn is the role EventBridge assumes to deliver (an event bus target); nil for an SNS
	// topic, whose policy admits the rule (internal/policy.Topic) so that no role is needed.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions
	RoleArn pulumi.StringPtrInput
	// Input is a fixed input (JSON). Transformer, when set, builds the input from the event
	// instead. Neither: the event as is.
	Input       pulumi.StringPtrInput
	Transformer *Transformer
	// Opts are further options of this target alone (e.g. DependsOn).
	Opts []pulumi.ResourceOption
}

// Transformer is an input transformer: variables (name to JSONPath) and the template using them.
type Transformer struct {
	InputPaths map[string]string
	Template   string
}

// Alarm configures the FailedInvocations alarm.
type Alarm struct {
	// Description says what to check when the alarm fires.
	Description string
	// Actions are the topics to notify (metricalarm.PathActions, and a chat topic).
	Actions pulumi.Array
}

// Deployed is what New made.
type Deployed struct {
	Rule    *cloudwatch.EventRule
	Targets []*cloudwatch.EventTarget
	// Alarm is nil without Args.Alarm.
	Alarm *cloudwatch.MetricAlarm
}

// New creates the rule (resource name name), its targets and its alarm. opts (parent, provider) go
// on every resource.
func New(ctx *pulumi.Context, name string, a Args, opts ...pulumi.ResourceOption) (*Deployed, error) {
	ra := &cloudwatch.EventRuleArgs{
		Name:        pulumi.String(a.Name),
		Description: pulumi.String(a.Description),
		Tags:        a.Tags,
	}
	if a.EventBusName != nil {
		ra.EventBusName = a.EventBusName
	}
	if a.Pattern != "" {
		ra.EventPattern = pulumi.String(a.Pattern)
	}
	if a.Schedule != "" {
		ra.ScheduleExpression = pulumi.String(a.Schedule)
	}
	if a.State != "" {
		ra.State = pulumi.String(a.State)
	}
	rule, err := cloudwatch.NewEventRule(ctx, name, ra, opts...)
	if err != nil {
		return nil, err
	}
	d := &Deployed{Rule: rule}
	for _, t := range a.Targets {
		ta := &cloudwatch.EventTargetArgs{
			Rule:     rule.Name,
			TargetId: pulumi.String(t.ID),
			Arn:      t.Arn,
			RoleArn:  t.RoleArn,
			Input:    t.Input,
		}
		if a.EventBusName != nil {
			ta.EventBusName = a.EventBusName
		}
		if t.Transformer != nil {
			ta.InputTransformer = cloudwatch.EventTargetInputTransformerArgs{
				InputPaths:    pulumi.ToStringMap(t.Transformer.InputPaths),
				InputTemplate: pulumi.String(t.Transformer.Template),
			}
		}
		target, err := cloudwatch.NewEventTarget(
			ctx,
			name+"-"+t.Suffix,
			ta,
			append(append([]pulumi.ResourceOption(nil), opts...), t.Opts...)...)
		if err != nil {
			return nil, err
		}
		d.Targets = append(d.Targets, target)
	}
	if a.Alarm != nil {
		// EventBridge publishes FailedInvocations per rule (dimension RuleName for rules on the
		// default bus): "the number of invocations that failed permanently". Any failure in a
		// period raises the alarm; no data (nothing to deliver) is the normal state.
		// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html
		// A rule on a custom bus reports its metrics under both EventBusName and RuleName ("Metrics
		// that specify both the EventBusName and RuleName dimensions refer to a custom event bus").
		dims := pulumi.StringMap{"RuleName": rule.Name}
		if a.EventBusName != nil {
			dims["EventBusName"] = a.EventBusName
		}
		if d.Alarm, err = failedInvocations(
			ctx, name+"-failed-invocations", a.Name, dims, a.Alarm.Description, a.Alarm.Actions, a.Tags, opts...,
		); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// FailedInvocationsPeriodSeconds is the period of the alarms on EventBridge rules' failed
// invocations: AWS/Events publishes its metrics at one-minute granularity, but a five-minute
// period keeps one retried delivery from paging twice.
const FailedInvocationsPeriodSeconds = 300

// FailedInvocations creates the alarm that notices a broken notification path: the EventBridge
// rule named ruleName (rule, an output of the rule, orders the alarm after it) failed to deliver
// to its target at least once. description says what to check. actions are the topics to notify:
// the alert topic and, where there is one, the health topic of the alarm's region (an alarm's SNS
// actions must be in its own region). New calls it with Args.Alarm; a caller whose alarm must
// wait for something made after the rule (a regional health topic) calls it itself.
func FailedInvocations(
	ctx *pulumi.Context,
	resourceName, ruleName string,
	rule pulumi.StringInput,
	description string,
	actions pulumi.Array,
	tags pulumi.StringMap,
	opts ...pulumi.ResourceOption,
) (*cloudwatch.MetricAlarm, error) {
	return failedInvocations(
		ctx,
		resourceName,
		ruleName,
		pulumi.StringMap{"RuleName": rule},
		description,
		actions,
		tags,
		opts...)
}

func failedInvocations(
	ctx *pulumi.Context,
	resourceName, ruleName string,
	dims pulumi.StringMap,
	description string,
	actions pulumi.Array,
	tags pulumi.StringMap,
	opts ...pulumi.ResourceOption,
) (*cloudwatch.MetricAlarm, error) {
	return cloudwatch.NewMetricAlarm(ctx, resourceName, metricalarm.FirstEvent(cloudwatch.MetricAlarmArgs{
		Name:             pulumi.String(ruleName + "-FailedInvocations"),
		AlarmDescription: pulumi.String(description),
		Namespace:        pulumi.String("AWS/Events"),
		MetricName:       pulumi.String("FailedInvocations"),
		Dimensions:       dims,
		Tags:             tags,
	}, FailedInvocationsPeriodSeconds, actions), opts...)
}

// CheckedTopic fails the deployment (at apply time) when topic is not an SNS topic of env's
// partition, account and region: EventBridge rules target SNS topics of their own region, and the
// topic policy rootwatch writes (internal/policy.Topic) admits only rules of the topic's region.
// The error reads "<field> "<arn>" is not an SNS topic of the <where> and account (<prefix><name>)",
// e.g. field "notify: TopicARN", where "home region".
func CheckedTopic(topic pulumi.StringInput, env awsenv.Env, field, where string) pulumi.StringOutput {
	return topic.ToStringOutput().ApplyT(func(arn string) (string, error) {
		want := env.SNSTopicARN("")
		if !strings.HasPrefix(arn, want) || len(arn) == len(want) {
			return "", fmt.Errorf("%s %q is not an SNS topic of the %s and account (%s<name>)", field, arn, where, want)
		}
		return arn, nil
	}).(pulumi.StringOutput)
}
