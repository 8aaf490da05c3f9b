//go:build integration

package audit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// TestSendTestAlert puts moto's root-usage alarm into ALARM with a reason that says it is a test,
// and refuses (FAIL, the alarm untouched) where a test could reach nobody. moto does not publish
// to the topic on a state change; that the state and reason are set is what is checked.
func TestSendTestAlert(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	c := NewClients(a.cfg, a.url)
	topic, err := c.SNS.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("rootwatch-alerts")})
	if err != nil {
		t.Fatal(err)
	}
	const alarm = "rootwatch-dev-RootAccountUsage"
	put := func(enabled bool, actions ...string) {
		t.Helper()
		if _, err := c.CloudWatch.PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{
			AlarmName: aws.String(alarm), MetricName: aws.String("RootAccountUsage"),
			Namespace: aws.String("CISBenchmark"),
			Statistic: cwtypes.StatisticSum, Period: aws.Int32(300), EvaluationPeriods: aws.Int32(1),
			Threshold:          aws.Float64(1),
			ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
			TreatMissingData:   aws.String("notBreaching"),
			ActionsEnabled:     aws.Bool(enabled), AlarmActions: actions,
		}); err != nil {
			t.Fatal(err)
		}
	}
	state := func() (cwtypes.StateValue, string) {
		t.Helper()
		out, err := c.CloudWatch.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{alarm}})
		if err != nil || len(out.MetricAlarms) != 1 {
			t.Fatalf("DescribeAlarms: %v %v", out, err)
		}
		return out.MetricAlarms[0].StateValue, aws.ToString(out.MetricAlarms[0].StateReason)
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

	for _, c2 := range []struct {
		name, alarm, detail string
		enabled             bool
		actions             []string
	}{
		{"no alarm known", "", "no root-usage alarm is known", true, []string{aws.ToString(topic.TopicArn)}},
		{"no such alarm", "other-alarm", `no metric alarm named "other-alarm"`, true, []string{aws.ToString(topic.TopicArn)}},
		{"actions disabled", alarm, "actions disabled", false, []string{aws.ToString(topic.TopicArn)}},
		{"no SNS action", alarm, "notifies no SNS topic", true, nil},
	} {
		t.Run(c2.name, func(t *testing.T) {
			put(c2.enabled, c2.actions...)
			r := SendTestAlert(ctx, c.CloudWatch, c2.alarm, now)
			if r.Status != Fail || !strings.Contains(r.Detail, c2.detail) {
				t.Errorf("%s: %s", r.Status, r.Detail)
			}
			if st, _ := state(); st == cwtypes.StateValueAlarm {
				t.Error("the alarm was set to ALARM although the test was refused")
			}
		})
	}

	// Already in ALARM (root activity fired it): CloudWatch runs actions only on a state change,
	// so a test now would reach nobody. Refused, naming the alarm and why it is in ALARM, and the
	// alarm's own reason is left as it is.
	t.Run("already in ALARM", func(t *testing.T) {
		put(true, aws.ToString(topic.TopicArn))
		const fired = "Threshold Crossed: 1 datapoint [1.0 (01/12/26 11:55:00)] was greater than or equal to the " +
			"threshold (1.0)."
		if _, err := c.CloudWatch.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String(alarm),
			StateValue: cwtypes.StateValueAlarm, StateReason: aws.String(fired)}); err != nil {
			t.Fatal(err)
		}
		r := SendTestAlert(ctx, c.CloudWatch, alarm, now)
		if r.Status != Fail || !strings.Contains(r.Detail, alarm) || !strings.Contains(r.Detail, "already in ALARM") ||
			!strings.Contains(r.Detail, "Threshold Crossed") {
			t.Errorf("%s: %s", r.Status, r.Detail)
		}
		if _, reason := state(); reason != fired {
			t.Errorf("the alarm's reason was overwritten: %q", reason)
		}
	})

	put(true, aws.ToString(topic.TopicArn)) // PutMetricAlarm resets moto's state
	if st, _ := state(); st == cwtypes.StateValueAlarm {
		t.Fatal("moto kept the alarm in ALARM after PutMetricAlarm; the test needs another way to reset it")
	}
	r := SendTestAlert(ctx, c.CloudWatch, alarm, now)
	if r.Status != Pass || !strings.Contains(r.Detail, aws.ToString(topic.TopicArn)) ||
		!strings.Contains(r.Detail, "300 s") {
		t.Errorf("%s: %s", r.Status, r.Detail)
	}
	st, reason := state()
	if st != cwtypes.StateValueAlarm || reason != TestAlertReason(now) || !strings.Contains(reason, "TEST") ||
		!strings.Contains(reason, "not root activity") {
		t.Errorf("alarm state %s, reason %q", st, reason)
	}
}
