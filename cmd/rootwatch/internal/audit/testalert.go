package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/rootwatch/rootwatch/internal/awsenv"
)

// TestAlertAPI is what SendTestAlert calls (*cloudwatch.Client satisfies it).
type TestAlertAPI interface {
	DescribeAlarms(
		context.Context,
		*cloudwatch.DescribeAlarmsInput,
		...func(*cloudwatch.Options),
	) (*cloudwatch.DescribeAlarmsOutput, error)
	SetAlarmState(
		context.Context,
		*cloudwatch.SetAlarmStateInput,
		...func(*cloudwatch.Options),
	) (*cloudwatch.SetAlarmStateOutput, error)
}

// CheckTestAlert is the id of --send-test-alert's result.
const CheckTestAlert = "test-alert"

var testAlert = Result{ID: CheckTestAlert, Title: "A test alert was sent through the root-usage alarm",
	Remediation: "give the audit the stack's outputs (--outputs) so that it knows the root-usage alarm, and make " +
		"sure the alarm's actions are enabled and notify an SNS topic"}

// TestAlertReason is the StateReason a test alert carries: the message subscribers receive says it
// is a test, so nobody mistakes it for root activity.
func TestAlertReason(now time.Time) string {
	return "TEST from rootwatch audit --send-test-alert at " + now.UTC().Format(time.RFC3339) +
		": not root activity. The alarm returns to its actual state by itself."
}

// SendTestAlert puts the alarm named alarm (the root-usage alarm) into ALARM with a reason that
// says it is a test (cloudwatch:SetAlarmState), so that its actions notify its topics once and a
// team proves that a person is reached. It first reads the alarm (cloudwatch:DescribeAlarms) and
// refuses, as a FAIL, when the test could reach nobody: actions disabled, no SNS action, or the
// alarm already in ALARM. CloudWatch runs an alarm's actions only when its state changes ("the
// actions happen only on state transitions, and are not performed again if the condition
// persists"), so setting ALARM on an alarm already in ALARM notifies nobody, and a PASS would claim
// a message that is never sent: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-actions.html
//
// CloudWatch documents that a metric alarm set this way "returns to its actual state quickly,
// often within seconds", invoking the actions of that state (rootwatch's OK notification when
// okActions is on): https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
func SendTestAlert(ctx context.Context, cw TestAlertAPI, alarm string, now time.Time) Result {
	r := testAlert
	if alarm == "" {
		r.Status, r.Detail = Fail, "not sent: no root-usage alarm is known (the stack outputs' alarmNames has none, "+
			"and none was found on the trail's log group)"
		return r
	}
	out, err := cw.DescribeAlarms(
		ctx,
		&cloudwatch.DescribeAlarmsInput{
			AlarmNames: []string{alarm},
			AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
		},
	)
	if err != nil {
		return Errored(r, "cloudwatch:DescribeAlarms", err)
	}
	if len(out.MetricAlarms) == 0 {
		r.Status, r.Detail = Fail, fmt.Sprintf("not sent: no metric alarm named %q", alarm)
		return r
	}
	a := out.MetricAlarms[0]
	var topics []string
	for _, act := range a.AlarmActions {
		if isSNSTopicARN(act) {
			topics = append(topics, act)
		}
	}
	switch {
	case !aws.ToBool(a.ActionsEnabled):
		r.Status, r.Detail = Fail, fmt.Sprintf("not sent: alarm %s has its actions disabled, so a test (or root "+
			"activity) would reach nobody", alarm)
		r.Remediation = "aws cloudwatch enable-alarm-actions --alarm-names " + alarm
		return r
	case len(topics) == 0:
		r.Status, r.Detail = Fail, fmt.Sprintf("not sent: alarm %s notifies no SNS topic, so a test (or root "+
			"activity) would reach nobody", alarm)
		return r
	case a.StateValue == cwtypes.StateValueAlarm:
		r.Status = Fail
		r.Detail = fmt.Sprintf("not sent: alarm %s is already in ALARM (since %s, reason: %q); CloudWatch runs an "+
			"alarm's actions only when its state changes, so a test now would reach nobody",
			alarm, stateSince(a.StateUpdatedTimestamp), aws.ToString(a.StateReason))
		r.Remediation = "find out what put the alarm into ALARM (root activity: rootwatch scan --since 1d), and send " +
			"the test once the alarm is back to OK"
		return r
	}
	if _, err := cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{
		AlarmName: aws.String(alarm), StateValue: cwtypes.StateValueAlarm,
		StateReason: aws.String(TestAlertReason(now)),
	}); err != nil {
		return Errored(r, "cloudwatch:SetAlarmState", err)
	}
	r.Status = Pass
	r.Detail = fmt.Sprintf("alarm %s set to ALARM with a reason that says it is a test; %s should reach every "+
		"confirmed subscriber within a minute or two. "+
		"If nobody receives it, the path is broken: check the subscriptions (alert-topic-subscriptions) and "+
		"the topic's key. "+
		"The alarm returns to its actual state by itself, within seconds to one period (%d s).",
		alarm, "a message from "+strings.Join(topics, ", "), aws.ToInt32(a.Period))
	return r
}

// stateSince formats when an alarm's state last changed ("an unknown time" when not given).
func stateSince(t *time.Time) string {
	if t == nil {
		return "an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

// isSNSTopicARN says whether an alarm action is an SNS topic (arn:PARTITION:sns:REGION:ACCOUNT:NAME).
func isSNSTopicARN(s string) bool {
	p, ok := awsenv.ParseARN(s)
	return ok && p.Service == "sns"
}
