// Package occurrence holds the one alarm shape rootwatch uses everywhere: fire as soon as one event
// is counted in one period, stay quiet when nothing is counted, and notify the alert topic.
package occurrence

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Alarm completes a (name, metric, namespace, dimensions, description, tags) with the settings
// CIS and Security Hub check for a monitoring alarm: statistic Sum, threshold 1 with
// GreaterThanOrEqualToThreshold, one evaluation period of periodSeconds (one datapoint to alarm),
// missing data notBreaching (no events is not a breach), actions enabled, alarm actions to
// actions. a is taken by value; the caller may set OkActions afterwards.
func Alarm(a cloudwatch.MetricAlarmArgs, periodSeconds int, actions pulumi.ArrayInput) *cloudwatch.MetricAlarmArgs {
	a.Statistic = pulumi.String("Sum")
	a.Period = pulumi.Int(periodSeconds)
	a.EvaluationPeriods = pulumi.Int(1)
	a.DatapointsToAlarm = pulumi.Int(1)
	a.Threshold = pulumi.Float64(1)
	a.ComparisonOperator = pulumi.String("GreaterThanOrEqualToThreshold")
	a.TreatMissingData = pulumi.String("notBreaching")
	a.ActionsEnabled = pulumi.Bool(true)
	a.AlarmActions = actions
	return &a
}

// FailedInvocationsPeriodSeconds is the period of the alarms on EventBridge rules' failed
// invocations: AWS/Events publishes its metrics at one-minute granularity, but a five-minute
// period keeps one retried delivery from paging twice.
const FailedInvocationsPeriodSeconds = 300

// FailedInvocations creates the alarm that notices a broken notification path: the EventBridge
// rule named ruleName (rule, an output of the rule, orders the alarm after it) failed to deliver
// to its target at least once. description says what to check. actions are the topics to notify:
// the alert topic and, where there is one, the health topic of the alarm's region (an alarm's SNS
// actions must be in its own region).
func FailedInvocations(ctx *pulumi.Context, resourceName, ruleName string, rule pulumi.StringInput, description string, actions pulumi.Array, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*cloudwatch.MetricAlarm, error) {
	return cloudwatch.NewMetricAlarm(ctx, resourceName, Alarm(cloudwatch.MetricAlarmArgs{
		Name:             pulumi.String(ruleName + "-FailedInvocations"),
		AlarmDescription: pulumi.String(description),
		Namespace:        pulumi.String("AWS/Events"),
		MetricName:       pulumi.String("FailedInvocations"),
		Dimensions:       pulumi.StringMap{"RuleName": rule},
		Tags:             tags,
	}, FailedInvocationsPeriodSeconds, actions), opts...)
}

// Actions are the alarm actions of an alarm about the alert path itself: the alert topic and, when
// there is one (health non-nil), the health topic.
func Actions(topic pulumi.StringInput, health pulumi.StringInput) pulumi.Array {
	if health == nil {
		return pulumi.Array{topic}
	}
	return pulumi.Array{topic, health}
}
