package audit

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/rootwatch/rootwatch/alarms/catalog"
)

// deployAccount builds, through the AWS APIs against moto, everything rootwatch deploys in one
// account (the trail, the monitoring set notifying the alert topic, the topics, rules and
// heartbeat) and returns the stack outputs `pulumi stack output --json` would give for it.
func deployAccount(t *testing.T, a *motoAccount, now time.Time) StackOutputs {
	t.Helper()
	const trail = "rootwatch-dev"
	fakes(a).root = rootReportRow("no_information") // a root user never used (credsGaps adds the row moto lacks)
	a.deployTrail(trail, monLogGroup, now)
	r := deployReach(t, a, monPrefix+"alerts")
	deployMonitoring(t, a, monLogGroup, catalog.CIS(), r.AlertTopics[0])
	s := StackOutputs{TrailName: trail, LogGroupName: monLogGroup, AlertTopicArn: r.AlertTopics[0],
		HealthTopicArn: r.HealthTopic, HeartbeatRuleArn: r.HeartbeatRule, MetricNamespace: monNamespace,
		AlarmNames: map[string]string{}}
	for _, c := range catalog.CIS() {
		s.CISControls = append(s.CISControls, c.ID)
		s.AlarmNames[c.ID] = monPrefix + c.MetricName
	}
	return s
}

// TestAuditWholeAccount: an account built the way rootwatch deploys it passes every check of the
// audit, read from its stack outputs; found without them (an account audited before adoption),
// the same, except that nothing says where the health topic and the heartbeat are. Then the test
// alert goes through the root-usage alarm, and, with moto's IAM access control on, an IAM user
// holding exactly the documented read-only policy sees the same verdicts: no call of any check
// group is denied.
func TestAuditWholeAccount(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	now := time.Now()
	stack := deployAccount(t, a, now)

	withStack := Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Stack: stack, Now: now})
	for _, r := range withStack {
		if r.Status != Pass {
			t.Errorf("with the stack's outputs, %s: %s (%s)", r.ID, r.Status, r.Detail)
		}
	}
	if n := len(withStack); n < 35 {
		t.Errorf("%d checks ran, want every group's (at least 35)", n)
	}
	if ExitCode(withStack) != ExitOK {
		t.Error("exit code is not 0")
	}

	found := byID(t, Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Now: now}))
	for id, r := range found {
		want := Pass
		if id == CheckHealthTopic || id == CheckHeartbeat {
			want = Warn // without the outputs nothing names them
		}
		if r.Status != want {
			t.Errorf("without the stack's outputs, %s: %s (%s), want %s", id, r.Status, r.Detail, want)
		}
	}
	if d := found[CheckAlertSubscriptions].Detail; !strings.Contains(d, stack.AlertTopicArn) {
		t.Errorf("without the outputs, the alert topic was not found through the alarms: %s", d)
	}

	sent := byID(t, Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Stack: stack, Now: now, SendTestAlert: true}))
	if r := sent[CheckTestAlert]; r.Status != Pass || !strings.Contains(r.Detail, stack.AlarmNames[catalog.RootUsage]) {
		t.Errorf("test alert: %s (%s)", r.Status, r.Detail)
	}
	cw := NewClients(a.cfg, a.url).CloudWatch
	out, err := cw.DescribeAlarms(ctx, &cloudwatch.DescribeAlarmsInput{AlarmNames: []string{stack.AlarmNames[catalog.RootUsage]}})
	if err != nil || len(out.MetricAlarms) != 1 || out.MetricAlarms[0].StateValue != cwtypes.StateValueAlarm {
		t.Fatalf("the root-usage alarm was not set to ALARM: %v %v", out, err)
	}
	// moto never re-evaluates an alarm; put it back to OK as CloudWatch would
	if _, err := cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String(stack.AlarmNames[catalog.RootUsage]),
		StateValue: cwtypes.StateValueOk, StateReason: aws.String("back to its actual state")}); err != nil {
		t.Fatal(err)
	}

	auditor := a.userWithPolicy("auditor", docsPolicy(t))
	resp, err := http.Post(a.url+"/moto-api/reset-auth", "text/plain", strings.NewReader("0"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("turning moto's access control on: %v %v", resp, err)
	}
	resp.Body.Close()
	for _, r := range Run(ctx, Options{Config: auditor, Endpoint: a.url, Stack: stack, Now: now}) {
		if r.Status != Pass {
			t.Errorf("as the auditor with the documented policy, %s: %s (%s)", r.ID, r.Status, r.Detail)
		}
	}
}
