// Package metricalarm holds the one CloudWatch alarm shape rootwatch uses everywhere. The CIS
// alarms of package alarms and the FailedInvocations alarms of internal/eventrule fire as soon as
// one event is counted in one period, stay quiet when nothing is counted, and notify the alert
// topic. It also says which topics an alarm about the alert path itself notifies.
package metricalarm

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// FirstEvent completes a (name, metric, namespace, dimensions, description, tags) with the
// settings CIS and Security Hub check for a monitoring alarm: statistic Sum, threshold 1 with
// GreaterThanOrEqualToThreshold, one evaluation period of periodSeconds (one datapoint to alarm),
// missing data notBreaching (no events is not a breach), actions enabled, alarm actions to
// actions. a is taken by value; the caller may set OkActions afterwards.
func FirstEvent(
	a cloudwatch.MetricAlarmArgs,
	periodSeconds int,
	actions pulumi.ArrayInput,
) *cloudwatch.MetricAlarmArgs {
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

// PathActions are the alarm actions of an alarm about the alert path itself: the alert topic and,
// when there is one (health non-nil), the health topic.
func PathActions(topic pulumi.StringInput, health pulumi.StringInput) pulumi.Array {
	if health == nil {
		return pulumi.Array{topic}
	}
	return pulumi.Array{topic, health}
}
