//go:build integration

package audit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/rootwatch/rootwatch/catalog"
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
	arn := func(service, resource string) string {
		return "arn:aws:" + service + ":" + a.cfg.Region + ":" + motoEnv.AccountID + ":" + resource
	}
	s := StackOutputs{TrailArn: arn("cloudtrail", "trail/"+trail), TrailName: trail,
		LogGroupArn: arn("logs", "log-group:"+monLogGroup), LogGroupName: monLogGroup, AlertTopicArn: r.AlertTopics[0],
		HealthTopicArn: r.HealthTopic, HeartbeatRuleArn: r.HeartbeatRule, MetricNamespace: monNamespace,
		AlarmArns: map[string]string{}, AlarmNames: map[string]string{}}
	for _, c := range catalog.CIS() {
		s.CISControls = append(s.CISControls, c.ID)
		s.AlarmNames[c.ID] = monPrefix + c.MetricName
		s.AlarmArns[c.ID] = arn("cloudwatch", "alarm:"+monPrefix+c.MetricName)
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
	out, err := cw.DescribeAlarms(
		ctx,
		&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{stack.AlarmNames[catalog.RootUsage]}},
	)
	if err != nil || len(out.MetricAlarms) != 1 || out.MetricAlarms[0].StateValue != cwtypes.StateValueAlarm {
		t.Fatalf("the root-usage alarm was not set to ALARM: %v %v", out, err)
	}
	// moto never re-evaluates an alarm; put it back to OK as CloudWatch would
	if _, err := cw.SetAlarmState(ctx, &cloudwatch.SetAlarmStateInput{AlarmName: aws.String(stack.AlarmNames[catalog.RootUsage]),
		StateValue: cwtypes.StateValueOk, StateReason: aws.String("back to its actual state")}); err != nil {
		t.Fatal(err)
	}

	auditor := a.userWithPolicy("auditor", docsPolicy(t))
	a.accessControlOn()
	for _, r := range Run(ctx, Options{Config: auditor, Endpoint: a.url, Stack: stack, Now: now}) {
		if r.Status != Pass {
			t.Errorf("as the auditor with the documented policy, %s: %s (%s)", r.ID, r.Status, r.Detail)
		}
	}
}

// TestAuditStackInAnotherRegion: a stack deployed in eu-west-1 (trail, log group, filters, alarms,
// topics, keys, rules, all there) is audited with --region left at us-east-1. With its outputs,
// each resource is looked up by its ARN in its own region, and every check passes, the test alert
// included (before, the trail's selectors, the log group and the alarms were looked for in
// us-east-1: a cascade of FAILs and ERRORs). Without the outputs, the multi-region trail listed in
// us-east-1 leads to its home region and its log group's, and everything passes but the health
// topic and heartbeat nothing names; a single-region trail in eu-west-1 is not found, and the
// detail names the region that was searched; by its ARN it is found.
func TestAuditStackInAnotherRegion(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	a.inRegion("eu-west-1")
	ctx := context.Background()
	now := time.Now()
	stack := deployAccount(t, a, now)
	home := a.cfg
	home.Region = "us-east-1" // --region's default

	// without outputs: the multi-region trail is listed in us-east-1 too, and its status,
	// selectors, log group, alarms and topics are then read in eu-west-1, where they are
	for id, r := range byID(t, Run(ctx, Options{Config: home, Endpoint: a.url, Now: now})) {
		want := Pass
		if id == CheckHealthTopic || id == CheckHeartbeat {
			want = Warn // without the outputs nothing names them
		}
		if r.Status != want {
			t.Errorf("without the outputs, %s: %s (%s), want %s", id, r.Status, r.Detail, want)
		}
	}

	rs := Run(ctx, Options{Config: home, Endpoint: a.url, Stack: stack, Now: now, SendTestAlert: true})
	for _, r := range rs {
		if r.Status != Pass {
			t.Errorf("eu-west-1 stack audited from us-east-1 with its outputs, %s: %s (%s)", r.ID, r.Status, r.Detail)
		}
	}
	if n := len(rs); n < 36 {
		t.Errorf("%d checks ran, want every group's and the test alert", n)
	}
	cw := NewRegions(a.cfg, a.url).In("eu-west-1").CloudWatch
	out, err := cw.DescribeAlarms(
		ctx,
		&cloudwatch.DescribeAlarmsInput{AlarmNames: []string{stack.AlarmNames[catalog.RootUsage]}},
	)
	if err != nil || len(out.MetricAlarms) != 1 || out.MetricAlarms[0].StateValue != cwtypes.StateValueAlarm {
		t.Errorf("the eu-west-1 root-usage alarm was not set to ALARM: %v %v", out, err)
	}

	// a single-region trail in eu-west-1 only: without outputs, us-east-1 lists no trail
	b := newMotoAccount(t)
	b.inRegion("eu-west-1")
	s3c := s3.NewFromConfig(b.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(b.url); o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-logs"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraintEuWest1,
		}}); err != nil {
		t.Fatal(err)
	}
	b.must(b.ct.api().CreateTrail(
		ctx, &cloudtrail.CreateTrailInput{Name: aws.String("eu-only"), S3BucketName: aws.String("eu-logs")},
	))
	bhome := b.cfg
	bhome.Region = "us-east-1"
	got := byID(t, Run(ctx, Options{Config: bhome, Endpoint: b.url, Now: now}))
	if r := got[CheckTrailExists]; r.Status != Fail || !strings.Contains(r.Detail, "in us-east-1") {
		t.Errorf("trail-exists without outputs: %s %q, want a FAIL naming the region searched", r.Status, r.Detail)
	}
	got = byID(t, Run(ctx, Options{Config: bhome, Endpoint: b.url, Trail: "eu-only", Now: now}))
	if r := got[CheckTrailExists]; r.Status != Fail ||
		!strings.Contains(r.Detail, `no trail named "eu-only" in us-east-1`) {
		t.Errorf("trail-exists with --trail: %s %q, want a FAIL naming the region searched", r.Status, r.Detail)
	}
	// found by its ARN, from us-east-1
	got = byID(
		t,
		Run(
			ctx,
			Options{
				Config:   bhome,
				Endpoint: b.url,
				Trail:    "arn:aws:cloudtrail:eu-west-1:123456789012:trail/eu-only",
				Now:      now,
			},
		),
	)
	if r := got[CheckTrailExists]; r.Status != Pass {
		t.Errorf("trail-exists by ARN: %s %q", r.Status, r.Detail)
	}
	if r := got[CheckTrailManagement]; r.Status == Error {
		t.Errorf("GetEventSelectors by ARN did not go to the trail's region: %s", r.Detail)
	}
}
