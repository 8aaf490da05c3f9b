//go:build integration

package audit

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/rootwatch/rootwatch/catalog"
)

// The monitoring tests build every filter, alarm and topic through the AWS APIs against moto. moto
// lacks one call they need: cloudwatch:DisableAlarmActions (moto raises NotImplementedError). The
// "alarm actions disabled" break therefore puts the same alarm again with ActionsEnabled false
// (PutMetricAlarm replaces an alarm of the same name), which leaves the alarm in exactly the state
// DisableAlarmActions leaves it in. Nothing is faked at the transport: moto's DescribeMetricFilters
// and DescribeAlarmsForMetric answers carry the fields the checks read (filterPattern,
// metricTransformations; ActionsEnabled, AlarmActions, StateValue, StateReason).

const (
	monPrefix    = "rootwatch-dev-" // the stack's NamePrefix: metric, filter and alarm names start with it
	monNamespace = "CISBenchmark"   // alarms.DefaultMetricNamespace
	monLogGroup  = "/aws/cloudtrail/rootwatch-dev"
	monKey       = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
)

type monClients struct {
	logs *cloudwatchlogs.Client
	cw   *cloudwatch.Client
	sns  *sns.Client
}

func (a *motoAccount) monitoringClients() monClients {
	ep := aws.String(a.url)
	return monClients{
		logs: cloudwatchlogs.NewFromConfig(a.cfg, func(o *cloudwatchlogs.Options) { o.BaseEndpoint = ep }),
		cw: cloudwatch.NewFromConfig(
			a.cfg,
			func(o *cloudwatch.Options) { o.BaseEndpoint = ep; o.Protocol = cloudWatchQuery },
		),
		sns: sns.NewFromConfig(a.cfg, func(o *sns.Options) { o.BaseEndpoint = ep }),
	}
}

// monFilterName is the name rootwatch gives the i-th filter of a control (alarms.builder.alarms):
// the metric's name, then "-2", "-3" for the ExtraPatterns.
func monFilterName(c catalog.Control, i int) string {
	if i == 0 {
		return monPrefix + c.MetricName
	}
	return fmt.Sprintf("%s%s-%d", monPrefix, c.MetricName, i+1)
}

// putMonFilter puts one filter the way rootwatch does: value 1, default 0, on the control's metric.
func putMonFilter(t *testing.T, c monClients, logGroup, name, pattern, metric string) {
	t.Helper()
	if _, err := c.logs.PutMetricFilter(context.Background(), &cloudwatchlogs.PutMetricFilterInput{
		LogGroupName: aws.String(logGroup), FilterName: aws.String(name), FilterPattern: aws.String(pattern),
		MetricTransformations: []logstypes.MetricTransformation{{
			MetricName: aws.String(metric), MetricNamespace: aws.String(monNamespace),
			MetricValue: aws.String("1"), DefaultValue: aws.Float64(0),
		}},
	}); err != nil {
		t.Fatal(err)
	}
}

// putMonAlarm puts the alarm the way rootwatch does (internal/metricalarm.FirstEvent): Sum >= 1 in
// one 60-second period, one datapoint to alarm, missing data not breaching, actions enabled
// unless told otherwise, notifying actions.
func putMonAlarm(t *testing.T, c monClients, metric string, enabled bool, actions ...string) {
	t.Helper()
	if _, err := c.cw.PutMetricAlarm(context.Background(), &cloudwatch.PutMetricAlarmInput{
		AlarmName: aws.String(metric), MetricName: aws.String(metric), Namespace: aws.String(monNamespace),
		Statistic: cwtypes.StatisticSum, Period: aws.Int32(60), EvaluationPeriods: aws.Int32(1),
		DatapointsToAlarm: aws.Int32(1),
		Threshold:         aws.Float64(1), ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold,
		TreatMissingData: aws.String("notBreaching"), ActionsEnabled: aws.Bool(enabled), AlarmActions: actions,
		AlarmDescription: aws.String("runbook"),
	}); err != nil {
		t.Fatal(err)
	}
}

// deployMonitoring builds the monitoring set the way rootwatch's alarms component deploys it: the
// log group with a year's retention and a KMS key, the alert topic, and for each control every
// filter of control.Patterns() on metric rootwatch-dev-<MetricName> in namespace CISBenchmark, with
// one alarm of the same name on that metric notifying the topic: topicArn, or, when it is "", a
// topic it creates. It returns the topic's ARN.
func deployMonitoring(
	t *testing.T,
	a *motoAccount,
	logGroup string,
	controls []catalog.Control,
	topicArn string,
) string {
	t.Helper()
	ctx := context.Background()
	c := a.monitoringClients()
	if _, err := c.logs.CreateLogGroup(
		ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(logGroup), KmsKeyId: aws.String(monKey)},
	); err != nil {
		t.Fatal(err)
	}
	if _, err := c.logs.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String(logGroup), RetentionInDays: aws.Int32(365),
	}); err != nil {
		t.Fatal(err)
	}
	if topicArn == "" {
		topic, err := c.sns.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String(monPrefix + "alerts")})
		if err != nil {
			t.Fatal(err)
		}
		topicArn = aws.ToString(topic.TopicArn)
	}
	for _, ctl := range controls {
		metric := monPrefix + ctl.MetricName
		for i, p := range ctl.Patterns() {
			putMonFilter(t, c, logGroup, monFilterName(ctl, i), p, metric)
		}
		putMonAlarm(t, c, metric, true, topicArn)
	}
	return topicArn
}

func (a *motoAccount) monitoring(trail *Trail, stack StackOutputs) (map[string]Result, []Result, Monitoring) {
	a.t.Helper()
	c := a.monitoringClients()
	rs, mon := MonitoringChecks(context.Background(), c.logs, c.cw, trail, nil, stack, time.Now())
	return byID(a.t, rs), rs, mon
}

func byID(t *testing.T, rs []Result) map[string]Result {
	t.Helper()
	m := map[string]Result{}
	for _, r := range rs {
		if _, dup := m[r.ID]; dup {
			t.Fatalf("check %s reported twice", r.ID)
		}
		m[r.ID] = r
	}
	return m
}

func monitorIDs(cs []catalog.Control) []string {
	ids := []string{CheckLogGroupRetention}
	for _, c := range cs {
		ids = append(ids, CheckMonitorPrefix+c.ID)
	}
	return ids
}

// monStatuses compares every result with want (the default for ids not in want is def), and
// fails on results nobody expected.
func monStatuses(t *testing.T, got map[string]Result, ids []string, def Status, want map[string]Status) {
	t.Helper()
	if len(got) != len(ids) {
		t.Errorf("%d results, want %d", len(got), len(ids))
	}
	for _, id := range ids {
		w, ok := want[id]
		if !ok {
			w = def
		}
		r, ok := got[id]
		switch {
		case !ok:
			t.Errorf("check %s missing", id)
		case r.Status != w:
			t.Errorf("%s: %s (%s), want %s", id, r.Status, r.Detail, w)
		}
	}
}

func trailTo(group string) *Trail {
	return &Trail{
		Name:                      "rootwatch-dev",
		CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:" + group + ":*",
	}
}

func TestMonitoringWithoutLogGroup(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ids := monitorIDs(catalog.CIS())
	for _, tc := range []struct {
		name   string
		trail  *Trail
		detail string // every result's detail contains it
	}{
		{"no trail", nil, "not checked: there is no trail"},
		{"trail without CloudWatch Logs", &Trail{Name: "rootwatch-dev"}, "does not deliver to CloudWatch Logs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, mon := a.monitoring(tc.trail, StackOutputs{})
			monStatuses(t, got, ids, Fail, nil)
			for _, r := range got {
				if !strings.Contains(r.Detail, tc.detail) {
					t.Errorf("%s says %q, want %q", r.ID, r.Detail, tc.detail)
				}
			}
			if mon.LogGroup != "" || len(mon.Alarms) != 0 || len(mon.Topics) != 0 {
				t.Errorf("Monitoring %+v from no log group", mon)
			}
		})
	}
	t.Run("trail points at a missing log group", func(t *testing.T) {
		got, _, _ := a.monitoring(trailTo("/aws/cloudtrail/gone"), StackOutputs{})
		monStatuses(t, got, ids, Fail, nil)
		if d := got[CheckLogGroupRetention].Detail; !strings.Contains(d, "/aws/cloudtrail/gone does not "+
			"exist in us-east-1") { // the region searched
			t.Errorf("log-group-retention says %q", d)
		}
		if d := got[CheckMonitorPrefix+"root-usage"].Detail; !strings.Contains(
			d,
			"not checked: log group /aws/cloudtrail/gone does not exist in us-east-1",
		) {
			t.Errorf("monitor-root-usage says %q", d)
		}
	})
}

func TestMonitoringEmptyLogGroup(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	c := a.monitoringClients()
	if _, err := c.logs.CreateLogGroup(
		context.Background(), &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(monLogGroup)},
	); err != nil {
		t.Fatal(err)
	}
	got, _, mon := a.monitoring(trailTo(monLogGroup), StackOutputs{})
	monStatuses(t, got, monitorIDs(catalog.CIS()), Fail, map[string]Status{CheckLogGroupRetention: Pass})
	for id, r := range got {
		if id != CheckLogGroupRetention &&
			!strings.Contains(
				r.Detail,
				"no metric filter on log group "+monLogGroup+" in us-east-1",
			) { // the region searched
			t.Errorf("%s says %q", id, r.Detail)
		}
	}
	if d := got[CheckLogGroupRetention].Detail; !strings.Contains(d, "never expires") ||
		!strings.Contains(d, "no KMS key") {
		t.Errorf("log-group-retention says %q", d)
	}
	if mon.LogGroup != monLogGroup || len(mon.Alarms) != 0 {
		t.Errorf("Monitoring %+v", mon)
	}
}

// TestMonitoringDeployed builds what rootwatch deploys, sees every check pass, then breaks one
// thing at a time and sees exactly the check that should catch it fail or warn.
func TestMonitoringDeployed(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	cis := catalog.CIS()
	topic := deployMonitoring(t, a, monLogGroup, cis, "")
	ids := monitorIDs(cis)
	trail := trailTo(monLogGroup)
	checkMonitoringDeployed(t, a, trail, cis, topic)

	f := &monFixture{t: t, ctx: context.Background(), c: a.monitoringClients()}
	for _, b := range monitoringBreaks(f, topic) {
		t.Run(b.name, func(t *testing.T) {
			b.breakIt()
			defer b.undo()
			got, _, _ := a.monitoring(trail, StackOutputs{})
			monStatuses(t, got, ids, Pass, map[string]Status{b.check: b.status})
			for _, s := range b.detail {
				if d := got[b.check].Detail; !strings.Contains(d, s) {
					t.Errorf("%s says %q, want it to mention %q", b.check, d, s)
				}
			}
		})
	}
	// after every undo, all pass again
	got, _, _ := a.monitoring(trail, StackOutputs{})
	monStatuses(t, got, ids, Pass, nil)
}

// checkMonitoringDeployed: every monitoring check passes on what deployMonitoring built, and the
// Monitoring found names its log group, alarms and topic.
func checkMonitoringDeployed(t *testing.T, a *motoAccount, trail *Trail, cis []catalog.Control, topic string) {
	t.Helper()
	ids := monitorIDs(cis)
	got, rs, mon := a.monitoring(trail, StackOutputs{})
	monStatuses(t, got, ids, Pass, nil)
	if rs[0].ID != CheckLogGroupRetention {
		t.Errorf("first result %s", rs[0].ID)
	}
	if d := got[CheckLogGroupRetention].Detail; !strings.Contains(d, "365 days") || !strings.Contains(d, monKey) {
		t.Errorf("log-group-retention says %q", d)
	}
	if d := got["monitor-root-usage"].Detail; !strings.Contains(d, monPrefix+"RootAccountUsage") ||
		!strings.Contains(d, topic) {
		t.Errorf("monitor-root-usage says %q", d)
	}
	if mon.LogGroup != monLogGroup || len(mon.Alarms) != len(cis) || len(mon.Topics) != 1 || mon.Topics[0] != topic {
		t.Errorf("Monitoring: group %q, %d controls with alarms, topics %q", mon.LogGroup, len(mon.Alarms), mon.Topics)
	}
	if n := mon.Alarms["root-usage"]; len(n) != 1 || n[0] != monPrefix+"RootAccountUsage" {
		t.Errorf("root-usage alarms %q", n)
	}
	// The stack's log group wins over the trail's; the trail is not needed then.
	if got, _, _ := a.monitoring(nil, StackOutputs{LogGroupName: monLogGroup}); got[CheckMonitorPrefix+"vpc-changes"].Status != Pass {
		t.Errorf("with the stack's logGroupName and no trail: %+v", got[CheckMonitorPrefix+"vpc-changes"])
	}
}

// monFixture changes the monitoring deployMonitoring built, failing t on any error.
type monFixture struct {
	t   *testing.T
	ctx context.Context
	c   monClients
}

func (f *monFixture) ctl(id string) catalog.Control {
	c, ok := catalog.Lookup(id)
	if !ok {
		f.t.Fatalf("no control %s", id)
	}
	return c
}

func (f *monFixture) deleteFilter(name string) {
	if _, err := f.c.logs.DeleteMetricFilter(f.ctx, &cloudwatchlogs.DeleteMetricFilterInput{
		LogGroupName: aws.String(monLogGroup), FilterName: aws.String(name),
	}); err != nil {
		f.t.Fatal(err)
	}
}

// replaceFilter swaps a filter's pattern (moto's PutMetricFilter appends rather than replaces a
// filter of the same name, so the old one is deleted first, as a console edit would leave it).
func (f *monFixture) replaceFilter(c0 catalog.Control, i int, pattern string) {
	f.deleteFilter(monFilterName(c0, i))
	putMonFilter(f.t, f.c, monLogGroup, monFilterName(c0, i), pattern, monPrefix+c0.MetricName)
}

func (f *monFixture) setState(alarm string, s cwtypes.StateValue, reason string) {
	if _, err := f.c.cw.SetAlarmState(f.ctx, &cloudwatch.SetAlarmStateInput{
		AlarmName: aws.String(alarm), StateValue: s, StateReason: aws.String(reason),
	}); err != nil {
		f.t.Fatal(err)
	}
}

func (f *monFixture) retentionDays(d int32) {
	if _, err := f.c.logs.PutRetentionPolicy(f.ctx, &cloudwatchlogs.PutRetentionPolicyInput{
		LogGroupName: aws.String(monLogGroup), RetentionInDays: aws.Int32(d),
	}); err != nil {
		f.t.Fatal(err)
	}
}

// monBreak breaks one thing (and undoes it); check is then status, its detail mentioning detail.
type monBreak struct {
	name, check   string
	status        Status
	breakIt, undo func()
	detail        []string
}

// monitoringBreaks are TestMonitoringDeployed's breaks; topic is the alarms' alert topic.
func monitoringBreaks(f *monFixture, topic string) []monBreak {
	t, ctx, c := f.t, f.ctx, f.c
	deleteFilter, replaceFilter, setState, retentionDays := f.deleteFilter, f.replaceFilter, f.setState, f.retentionDays
	policy, rootUsage, routes, vpc := f.ctl("iam-policy-changes"), f.ctl("root-usage"), f.ctl("route-table-changes"), f.ctl("vpc-changes")
	return []monBreak{
		{"filter text changed", CheckMonitorPrefix + policy.ID, Fail,
			func() {
				replaceFilter(policy, 0, strings.Replace(policy.Pattern, "($.eventName=DeleteGroupPolicy) || ", "", 1))
			},
			func() { replaceFilter(policy, 0, policy.Pattern) },
			[]string{
				"no metric filter",
				"filter " + monFilterName(policy, 0) + " has pattern {($.eventName=DeleteRolePolicy)",
				"would not accept",
			}},
		{"filter pattern that does not parse", CheckMonitorPrefix + vpc.ID, Fail,
			func() { replaceFilter(vpc, 0, `{ $.eventName = CreateVpc `) },
			func() { replaceFilter(vpc, 0, vpc.Pattern) },
			[]string{"filter " + monFilterName(vpc, 0) + "'s pattern", "does not parse"}},
		{"alarm actions disabled", CheckMonitorPrefix + rootUsage.ID, Fail,
			func() { putMonAlarm(t, c, monPrefix+rootUsage.MetricName, false, topic) },
			func() { putMonAlarm(t, c, monPrefix+rootUsage.MetricName, true, topic) },
			[]string{"alarm " + monPrefix + "RootAccountUsage", "actions disabled"}},
		{"alarm without SNS action", CheckMonitorPrefix + vpc.ID, Fail,
			func() { putMonAlarm(t, c, monPrefix+vpc.MetricName, true, "arn:aws:automate:us-east-1:ec2:stop") },
			func() { putMonAlarm(t, c, monPrefix+vpc.MetricName, true, topic) },
			[]string{"alarm " + monPrefix + "VPCChanges", "no SNS topic", "arn:aws:automate:us-east-1:ec2:stop"}},
		{"alarm deleted", CheckMonitorPrefix + policy.ID, Fail,
			func() {
				if _, err := c.cw.DeleteAlarms(
					ctx, &cloudwatch.DeleteAlarmsInput{AlarmNames: []string{monPrefix + policy.MetricName}},
				); err != nil {
					t.Fatal(err)
				}
			},
			func() { putMonAlarm(t, c, monPrefix+policy.MetricName, true, topic) },
			[]string{"feeds metric CISBenchmark/" + monPrefix + "IAMPolicyChanges", "no alarm watches"}},
		{"alarm in ALARM", CheckMonitorPrefix + rootUsage.ID, Warn,
			func() {
				setState(
					monPrefix+rootUsage.MetricName,
					cwtypes.StateValueAlarm,
					"Threshold Crossed: 1 datapoint [1.0]",
				)
			},
			func() { setState(monPrefix+rootUsage.MetricName, cwtypes.StateValueOk, "back") },
			[]string{monPrefix + "RootAccountUsage is in ALARM", "Threshold Crossed", "look at what fired"}},
		{"alarm in INSUFFICIENT_DATA", CheckMonitorPrefix + vpc.ID, Warn,
			func() {
				setState(
					monPrefix+vpc.MetricName,
					cwtypes.StateValueInsufficientData,
					"Insufficient Data: 1 datapoint was unknown",
				)
			},
			func() { setState(monPrefix+vpc.MetricName, cwtypes.StateValueOk, "back") },
			[]string{
				monPrefix + "VPCChanges is in INSUFFICIENT_DATA",
				"Insufficient Data",
				"missing data as not breaching",
			}},
		{"retention shortened", CheckLogGroupRetention, Warn,
			func() { retentionDays(30) }, func() { retentionDays(365) },
			[]string{"30 days", "less than 365", monKey}},
		{"route tables with only Security Hub's filter", CheckMonitorPrefix + routes.ID, Warn,
			func() { deleteFilter(monFilterName(routes, 1)) },
			func() {
				putMonFilter(t, c, monLogGroup, monFilterName(routes, 1), routes.ExtraPatterns[0], monPrefix+routes.MetricName)
			},
			[]string{"the text Prowler " + routes.Prowler + " looks for", "$.eventSource = ec2.amazonaws.com"}},
		{"route tables with only Prowler's filter", CheckMonitorPrefix + routes.ID, Warn,
			func() { deleteFilter(monFilterName(routes, 0)) },
			func() {
				putMonFilter(t, c, monLogGroup, monFilterName(routes, 0), routes.Pattern, monPrefix+routes.MetricName)
			},
			[]string{"Security Hub CloudWatch.13's text"}},
		// Not breaks: what a checker still accepts.
		{"filter spaced differently", CheckMonitorPrefix + rootUsage.ID, Pass,
			func() {
				replaceFilter(rootUsage, 0, `{ $.userIdentity.type = "Root"  &&  $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }`)
			},
			func() { replaceFilter(rootUsage, 0, rootUsage.Pattern) }, nil},
		{"root usage without rootwatch's console filter", CheckMonitorPrefix + rootUsage.ID, Pass,
			func() { deleteFilter(monFilterName(rootUsage, 1)) },
			func() {
				putMonFilter(t, c, monLogGroup, monFilterName(rootUsage, 1), rootUsage.ExtraPatterns[0], monPrefix+rootUsage.MetricName)
			},
			[]string{"rootwatch's further filter", "signin.amazonaws.com"}},
		{"root usage with only rootwatch's console filter", CheckMonitorPrefix + rootUsage.ID, Fail,
			func() { deleteFilter(monFilterName(rootUsage, 0)) },
			func() {
				putMonFilter(t, c, monLogGroup, monFilterName(rootUsage, 0), rootUsage.Pattern, monPrefix+rootUsage.MetricName)
			},
			[]string{"no metric filter", "filter " + monFilterName(rootUsage, 1) + " has pattern", "would not accept"}},
	}
}

// TestMonitoringStackControls: with the stack's cisControls, exactly those controls are judged
// (an extra included), and an id the catalogue does not know is a WARN of its own.
func TestMonitoringStackControls(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	deployed := []catalog.Control{}
	for _, id := range []string{"root-usage", catalog.RootSessionOpened} {
		c, _ := catalog.Lookup(id)
		deployed = append(deployed, c)
	}
	deployMonitoring(t, a, monLogGroup, deployed, "")
	stack := StackOutputs{
		LogGroupName: monLogGroup,
		CISControls:  []string{"root-usage", catalog.RootSessionOpened, "no-such-control"},
	}
	got, _, mon := a.monitoring(nil, stack)
	ids := append(monitorIDs(deployed), CheckMonitorPrefix+"no-such-control")
	monStatuses(t, got, ids, Pass, map[string]Status{CheckMonitorPrefix + "no-such-control": Warn})
	if r := got[CheckMonitorPrefix+catalog.RootSessionOpened]; r.CIS != "" || r.SecurityHub != "" || r.Title == "" {
		t.Errorf("an extra carries controls or lacks its title: %+v", r)
	}
	if r := got[CheckMonitorPrefix+"root-usage"]; r.CIS != "5.3" || r.SecurityHub != "CloudWatch.1" ||
		r.Prowler != "cloudwatch_log_metric_filter_root_usage" {
		t.Errorf("root usage's controls: %+v", r)
	}
	if len(mon.Alarms) != 2 {
		t.Errorf("alarms %v", mon.Alarms)
	}
}

// TestMonitoringErrors: each failing call is an ERROR naming its IAM action. The endpoint is a
// closed port (nothing listens), for the whole check or only for CloudWatch.
func TestMonitoringErrors(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	a := newMotoAccount(t)
	deployMonitoring(t, a, monLogGroup, catalog.CIS(), "")
	ids := monitorIDs(catalog.CIS())
	noRetry := func(o *cloudwatchlogs.Options) { o.BaseEndpoint = aws.String(closed); o.RetryMaxAttempts = 1 }
	deadLogs := cloudwatchlogs.NewFromConfig(a.cfg, noRetry)
	deadCW := cloudwatch.NewFromConfig(
		a.cfg,
		func(o *cloudwatch.Options) { o.BaseEndpoint = aws.String(closed); o.RetryMaxAttempts = 1 },
	)
	live := a.monitoringClients()

	rs, _ := MonitoringChecks(
		context.Background(),
		deadLogs,
		deadCW,
		trailTo(monLogGroup),
		nil,
		StackOutputs{},
		time.Now(),
	)
	got := byID(t, rs)
	monStatuses(t, got, ids, Error, nil)
	if d := got[CheckLogGroupRetention].Detail; !strings.Contains(d, "logs:DescribeLogGroups") {
		t.Errorf("log-group-retention says %q", d)
	}
	if d := got[CheckMonitorPrefix+"root-usage"].Detail; !strings.Contains(d, "logs:DescribeMetricFilters") {
		t.Errorf("monitor-root-usage says %q", d)
	}

	rs, _ = MonitoringChecks(
		context.Background(),
		live.logs,
		deadCW,
		trailTo(monLogGroup),
		nil,
		StackOutputs{},
		time.Now(),
	)
	got = byID(t, rs)
	monStatuses(t, got, ids, Error, map[string]Status{CheckLogGroupRetention: Pass})
	if d := got[CheckMonitorPrefix+"vpc-changes"].Detail; !strings.Contains(d, "cloudwatch:DescribeAlarmsForMetric") {
		t.Errorf("monitor-vpc-changes says %q", d)
	}
}

// TestAuditMonitoringThroughRun: Run finds the log group from the trail moto describes and
// reports the monitoring set after the trail checks.
func TestAuditMonitoringThroughRun(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	deployMonitoring(t, a, monLogGroup, catalog.CIS(), "")
	s3c := s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(a.url); o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("rootwatch-trail-logs")}); err != nil {
		t.Fatal(err)
	}
	a.must(a.ct.api().CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String(
			"rootwatch-dev",
		), S3BucketName: aws.String("rootwatch-trail-logs"), IsMultiRegionTrail: aws.Bool(true),
		CloudWatchLogsLogGroupArn: aws.String(trailTo(monLogGroup).CloudWatchLogsLogGroupArn),
		CloudWatchLogsRoleArn:     aws.String("arn:aws:iam::123456789012:role/rootwatch-trail-cloudwatch"),
	}))
	got := a.audit("", time.Now())
	for _, id := range monitorIDs(catalog.CIS()) {
		if got[id].Status != Pass {
			t.Errorf("%s: %s (%s)", id, got[id].Status, got[id].Detail)
		}
	}
}
