package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// LogsAPI is the part of the CloudWatch Logs client the monitoring checks use.
type LogsAPI interface {
	DescribeLogGroups(
		context.Context,
		*cloudwatchlogs.DescribeLogGroupsInput,
		...func(*cloudwatchlogs.Options),
	) (*cloudwatchlogs.DescribeLogGroupsOutput, error)
	DescribeMetricFilters(
		context.Context,
		*cloudwatchlogs.DescribeMetricFiltersInput,
		...func(*cloudwatchlogs.Options),
	) (*cloudwatchlogs.DescribeMetricFiltersOutput, error)
}

// CloudWatchAPI is the part of the CloudWatch client the monitoring checks use.
type CloudWatchAPI interface {
	DescribeAlarmsForMetric(
		context.Context,
		*cloudwatch.DescribeAlarmsForMetricInput,
		...func(*cloudwatch.Options),
	) (*cloudwatch.DescribeAlarmsForMetricOutput, error)
}

// Monitoring check ids: one monitor-<control id> per catalogue control judged, and the log
// group's retention.
const (
	CheckMonitorPrefix     = "monitor-"
	CheckLogGroupRetention = "log-group-retention"
)

// MinLogRetentionDays is the shortest log group retention that passes: the default minimum of
// Security Hub CloudWatch.16 (minRetentionTime 365,
// https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-16),
// of Prowler's cloudwatch_log_group_retention_policy_specific_days_enabled (log_group_retention_days
// 365) and of AWS Config's cw-loggroup-retention-period-check, and rootwatch's own default
// (trail.DefaultLogRetentionDays). All three count "never expire" as compliant.
const MinLogRetentionDays = 365

var logGroupRetention = Result{ID: CheckLogGroupRetention, Title: "The trail's log group exists and keeps events " +
	"for at least a year",
	SecurityHub: "CloudWatch.16", Prowler: "cloudwatch_log_group_retention_policy_specific_days_enabled",
	Remediation: fmt.Sprintf("aws logs put-retention-policy --log-group-name GROUP --retention-in-days %d "+
		"(rootwatch: config logRetentionDays)", MinLogRetentionDays)}

const monitorFix = "deploy rootwatch's alarms (pulumi up), or add to the log group a metric filter with the " +
	"control's pattern (docs/controls.md), an alarm on its metric (Sum >= 1 in one period, actions enabled) and an " +
	"SNS topic as its alarm action"

func monitorBases(cs []catalog.Control) []Result {
	rs := make([]Result, len(cs))
	for i, c := range cs {
		rs[i] = monitorBase(c)
	}
	return rs
}

func monitorBase(c catalog.Control) Result {
	return Result{
		ID:          CheckMonitorPrefix + c.ID,
		Title:       c.Title,
		CIS:         c.CISv7_0,
		SecurityHub: c.SecurityHub,
		Prowler:     c.Prowler,
		Remediation: monitorFix,
	}
}

// Monitoring is what MonitoringChecks found, for the checks after it (reaching people, --send-test-alert).
type Monitoring struct {
	LogGroup string              // the log group judged ("" when none)
	Alarms   map[string][]string // control id -> names of the alarms wired to its metric (actions enabled, SNS action)
	Topics   []string            // SNS topic ARNs those alarms notify, deduplicated, in the order found
}

// MonitoringChecks judges the CIS monitoring set on the trail's log group (stack.LogGroupName, else
// the trail's CloudWatchLogsLogGroupArn): for each control (stack.CISControls, else the 15 CIS
// controls), a metric filter whose pattern a checker accepts (catalog.Control.CheckedPatterns,
// compared in filterpattern's canonical form) feeding a metric with an alarm whose actions are
// enabled and include an SNS topic. It also judges the log group's retention. now dates the alarm
// states it reports. unread is the trail checks' trail-exists result when the trails could not be
// read at all (ERROR), else nil: without a log group the checks are then ERRORs too, since nobody
// knows whether there is one.
func MonitoringChecks(
	ctx context.Context,
	logs LogsAPI,
	cw CloudWatchAPI,
	trail *Trail,
	unread *Result,
	stack StackOutputs,
	now time.Time,
) ([]Result, Monitoring) {
	controls, unknown := monitoredControls(stack.CISControls)
	group := stack.LogGroupName
	if group == "" {
		group = logGroupName(stack.LogGroupArn)
	}
	if group == "" && trail != nil {
		group = logGroupName(trail.CloudWatchLogsLogGroupArn)
	}
	mon := Monitoring{LogGroup: group, Alarms: map[string][]string{}}
	var rs []Result
	notChecked := func(why string) []Result {
		for _, base := range append([]Result{logGroupRetention}, monitorBases(controls)...) {
			r := base
			r.Status, r.Detail = Fail, why
			if unread != nil {
				r.Status, r.Detail, r.Remediation = Error, "could not run: the trail could not be read, so its log "+
					"group is unknown (trail-exists: "+unread.Detail+")", unread.Remediation
			}
			rs = append(rs, r)
		}
		return append(rs, unknown...)
	}
	switch {
	case group == "" && trail == nil:
		return notChecked("not checked: there is no trail (see trail-exists), so no log group to look in"), mon
	case group == "":
		return notChecked(fmt.Sprintf("not checked: trail %s does not deliver to CloudWatch Logs (no "+
			"CloudWatchLogsLogGroupArn, see trail-cloudwatch-logs-delivery), so no metric filter or "+
			"alarm sees its events", trail.Name)), mon
	}

	lg, err := findLogGroup(ctx, logs, group)
	if err != nil {
		rs = append(rs, Errored(logGroupRetention, "logs:DescribeLogGroups", err))
	} else {
		rs = append(rs, retention(group, logsIn(logs), lg))
		if lg == nil {
			mon.LogGroup = ""
			why := fmt.Sprintf(
				"not checked: log group %s does not exist%s (see log-group-retention)", group, logsIn(logs),
			)
			for _, c := range controls {
				r := monitorBase(c)
				r.Status, r.Detail = Fail, why
				rs = append(rs, r)
			}
			return append(rs, unknown...), mon
		}
	}

	filters, err := metricFilters(ctx, logs, group)
	if err != nil {
		for _, c := range controls {
			rs = append(rs, Errored(monitorBase(c), "logs:DescribeMetricFilters", err))
		}
		return append(rs, unknown...), mon
	}
	j := &judge{
		ctx:     ctx,
		cw:      cw,
		group:   group,
		in:      logsIn(logs),
		filters: filters,
		now:     now,
		alarms:  map[metricRef][]cwtypes.MetricAlarm{},
		mon:     &mon,
	}
	for _, c := range controls {
		rs = append(rs, j.control(c))
	}
	return append(rs, unknown...), mon
}

// monitoredControls resolves the stack's cisControls (ids, in any form catalog.Lookup takes), or,
// without them, the 15 CIS controls: the extras are rootwatch's own and not expected in an account
// rootwatch did not deploy. An id the catalogue does not know is a WARN of its own.
func monitoredControls(ids []string) ([]catalog.Control, []Result) {
	if len(ids) == 0 {
		return catalog.CIS(), nil
	}
	var cs []catalog.Control
	var unknown []Result
	seen := map[string]bool{}
	for _, id := range ids {
		c, ok := catalog.Lookup(id)
		switch {
		case !ok:
			unknown = append(
				unknown,
				Result{ID: CheckMonitorPrefix + id, Status: Warn, Title: "A control named in the stack's cisControls",
					Detail: fmt.Sprintf("not checked: the stack's outputs name control %q, which this rootwatch's "+
						"catalogue does not know", id),
					Remediation: "run the audit with the rootwatch version that deployed the stack"},
			)
		case !seen[c.ID]:
			seen[c.ID] = true
			cs = append(cs, c)
		}
	}
	return cs, unknown
}

// logsIn is " in REGION", the region the Logs client searched, for a detail that says something
// was not found there ("" for a client that does not say, such as a test's fake).
func logsIn(logs LogsAPI) string {
	if c, ok := logs.(interface{ Options() cloudwatchlogs.Options }); ok && c.Options().Region != "" {
		return " in " + c.Options().Region
	}
	return ""
}

// logGroupName reads NAME from a log group ARN (arn:<partition>:logs:<region>:<account>:log-group:NAME:*,
// the form CloudTrail's CloudWatchLogsLogGroupArn takes, or without the ":*").
func logGroupName(a string) string {
	p, err := arn.Parse(a)
	if err != nil {
		return ""
	}
	name, ok := strings.CutPrefix(p.Resource, "log-group:")
	if !ok {
		return ""
	}
	return strings.TrimSuffix(name, ":*")
}

// findLogGroup returns the log group named name, or nil when there is none. DescribeLogGroups
// takes a prefix, so the answer is searched for the exact name.
func findLogGroup(ctx context.Context, logs LogsAPI, name string) (*logstypes.LogGroup, error) {
	p := cloudwatchlogs.NewDescribeLogGroupsPaginator(
		logs,
		&cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for i := range page.LogGroups {
			if aws.ToString(page.LogGroups[i].LogGroupName) == name {
				return &page.LogGroups[i], nil
			}
		}
	}
	return nil, nil
}

// retention judges the log group: missing is a FAIL (the trail delivers nowhere), a retention under
// MinLogRetentionDays a WARN (CloudTrail's S3 log files still hold the full record, but the log
// group is where events can be searched with Logs Insights when an alarm fires), never-expire or
// at least a year a PASS. The detail names the group's KMS key.
func retention(name, in string, lg *logstypes.LogGroup) Result {
	r := logGroupRetention
	if lg == nil {
		r.Status = Fail
		r.Detail = fmt.Sprintf("log group %s does not exist%s: the trail's events reach no metric filter", name, in)
		r.Remediation = "create the log group (or point the trail at the right one: aws cloudtrail update-trail " +
			"--cloud-watch-logs-log-group-arn ... --cloud-watch-logs-role-arn ...); rootwatch creates it with pulumi up"
		return r
	}
	key := "no KMS key (kmsKeyId empty: encrypted with CloudWatch Logs' own key)"
	if k := aws.ToString(lg.KmsKeyId); k != "" {
		key = "KMS key " + k
	}
	switch days := aws.ToInt32(lg.RetentionInDays); {
	case lg.RetentionInDays == nil:
		r.Status, r.Detail = Pass, fmt.Sprintf(
			"log group %s never expires its events (no retentionInDays); %s",
			name,
			key,
		)
	case days < MinLogRetentionDays:
		r.Status = Warn
		r.Detail = fmt.Sprintf("log group %s keeps events %d days, less than %d: an investigation that starts later "+
			"(a root sign-in noticed weeks on) cannot search them in CloudWatch Logs, only in the trail's S3 files; "+
			"Security Hub CloudWatch.16 and Prowler flag it; %s", name, days, MinLogRetentionDays, key)
	default:
		r.Status, r.Detail = Pass, fmt.Sprintf("log group %s keeps events %d days; %s", name, days, key)
	}
	return r
}

// metricRef is a filter's metric.
type metricRef struct{ name, namespace string }

func (m metricRef) String() string { return m.namespace + "/" + m.name }

// filter is a metric filter of the log group, its pattern in canonical form ("" when it does not
// parse; err says why).
type filter struct {
	name, pattern, canon string
	err                  error
	metrics              []metricRef
}

func metricFilters(ctx context.Context, logs LogsAPI, group string) ([]filter, error) {
	var out []filter
	p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(
		logs,
		&cloudwatchlogs.DescribeMetricFiltersInput{LogGroupName: aws.String(group)},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			var nf *logstypes.ResourceNotFoundException
			if errors.As(err, &nf) {
				return out, nil
			}
			return nil, err
		}
		for _, mf := range page.MetricFilters {
			f := filter{name: aws.ToString(mf.FilterName), pattern: aws.ToString(mf.FilterPattern)}
			if pat, err := filterpattern.Parse(f.pattern); err != nil {
				f.err = err
			} else {
				f.canon = pat.String()
			}
			for _, t := range mf.MetricTransformations {
				f.metrics = append(
					f.metrics,
					metricRef{name: aws.ToString(t.MetricName), namespace: aws.ToString(t.MetricNamespace)},
				)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

type judge struct {
	ctx     context.Context
	cw      CloudWatchAPI
	group   string
	in      string // " in REGION" (logsIn)
	filters []filter
	now     time.Time
	alarms  map[metricRef][]cwtypes.MetricAlarm
	mon     *Monitoring
}

func (j *judge) alarmsFor(m metricRef) ([]cwtypes.MetricAlarm, error) {
	if as, ok := j.alarms[m]; ok {
		return as, nil
	}
	out, err := j.cw.DescribeAlarmsForMetric(
		j.ctx,
		&cloudwatch.DescribeAlarmsForMetricInput{MetricName: aws.String(m.name), Namespace: aws.String(m.namespace)},
	)
	if err != nil {
		return nil, err
	}
	j.alarms[m] = out.MetricAlarms
	return out.MetricAlarms, nil
}

// snsTopics returns the SNS topic ARNs (arn:<partition>:sns:...) among an alarm's actions.
func snsTopics(actions []string) []string {
	var out []string
	for _, a := range actions {
		if p, err := arn.Parse(a); err == nil && p.Service == "sns" {
			out = append(out, a)
		}
	}
	return out
}

// checkerName says who looks for the i-th of a control's CheckedPatterns: Pattern is Security
// Hub's text, the others are the CIS v3.0 text Prowler's regex wants (the catalogue's package doc).
func checkerName(c catalog.Control, i int) string {
	if i == 0 && c.SecurityHub != "" {
		return "Security Hub " + c.SecurityHub + "'s text"
	}
	return "the text Prowler " + c.Prowler + " looks for"
}

func (j *judge) control(c catalog.Control) Result {
	r := monitorBase(c)
	checked := c.CheckedPatterns()
	matched, found := j.matchFilters(c, checked)
	if !found {
		r.Status = Fail
		r.Detail = fmt.Sprintf("no metric filter on log group %s%s has a pattern Security Hub or Prowler accept for "+
			"this control (the catalogue's text is in docs/controls.md)", j.group, j.in) + j.nearMisses(c)
		return r
	}
	w, err := j.wire(matched, len(checked))
	if err != nil {
		return Errored(r, "cloudwatch:DescribeAlarmsForMetric", err)
	}
	if len(w.good) == 0 {
		r.Status, r.Remediation = Fail, w.fix
		r.Detail = fmt.Sprintf(
			"a filter with a pattern Security Hub or Prowler accept is there (%s), but %s",
			filterNames(matched),
			strings.Join(w.problems, "; "),
		)
		return r
	}
	names := j.recordAlarms(c, w.good)

	r.Status = Pass
	notes := j.alarmStateNotes(&r, w.good)
	if len(checked) > 1 {
		notes = append(notes, unwiredNotes(&r, c, checked, w.wired)...)
	}
	r.Detail = fmt.Sprintf(
		"filter %s → alarm %s → %s",
		filterNames(matched),
		strings.Join(names, ", "),
		strings.Join(snsTopicsOf(w.good), ", "),
	)
	if len(notes) > 0 {
		r.Detail += "; " + strings.Join(notes, "; ")
	}
	if len(w.problems) > 0 {
		r.Detail += "; also: " + strings.Join(w.problems, "; ")
	}
	if extra := j.missingOwnFilters(c); extra != "" {
		r.Detail += "; " + extra
	}
	return r
}

// matchFilters returns, for each of checked (a control's CheckedPatterns), the log group's filters
// whose pattern is that one, and whether any is.
func (j *judge) matchFilters(c catalog.Control, checked []string) ([][]*filter, bool) {
	matched := make([][]*filter, len(checked))
	found := false
	for i, p := range checked {
		pat, err := filterpattern.Parse(p)
		if err != nil { // the catalogue's tests parse every pattern
			panic("audit: catalogue pattern of " + c.ID + " does not parse: " + err.Error())
		}
		for k := range j.filters {
			if f := &j.filters[k]; f.err == nil && f.canon == pat.String() {
				matched[i] = append(matched[i], f)
				found = true
			}
		}
	}
	return matched, found
}

// wiring is what the alarms on the matched filters' metrics give a control.
type wiring struct {
	good     []cwtypes.MetricAlarm // the alarms with actions enabled and an SNS topic, each once
	problems []string              // why the others do not notify
	fix      string                // the remediation for the last problem found
	wired    []bool                // per checked pattern: one of its filters reaches a good alarm
}

// wire follows each matched filter's metrics to the alarms on them.
func (j *judge) wire(matched [][]*filter, patterns int) (wiring, error) {
	w := wiring{fix: monitorFix, wired: make([]bool, patterns)}
	seen := map[string]bool{}
	for i, fs := range matched {
		for _, f := range fs {
			if len(f.metrics) == 0 {
				w.problems = append(w.problems, fmt.Sprintf("filter %s publishes no metric", f.name))
			}
			for _, m := range f.metrics {
				as, err := j.alarmsFor(m)
				if err != nil {
					return w, err
				}
				if len(as) == 0 {
					w.problems = append(w.problems, fmt.Sprintf("filter %s feeds metric %s, but no alarm "+
						"watches that metric%s", f.name, m, j.in))
					w.fix = "create an alarm on the filter's metric (Sum >= 1 in one period, actions enabled, treat " +
						"missing data as not breaching) whose alarm action is an SNS topic; rootwatch deploys " +
						"one with pulumi up"
				}
				for _, a := range as {
					w.alarm(i, m, a, seen)
				}
			}
		}
	}
	return w, nil
}

// alarm judges one alarm a on metric m of a filter with the i-th checked pattern.
func (w *wiring) alarm(i int, m metricRef, a cwtypes.MetricAlarm, seen map[string]bool) {
	name := aws.ToString(a.AlarmName)
	switch {
	case !aws.ToBool(a.ActionsEnabled):
		w.problems = append(w.problems, fmt.Sprintf("alarm %s on metric %s has its actions disabled (ActionsEnabled "+
			"false): it changes state but notifies nobody", name, m))
		w.fix = "aws cloudwatch enable-alarm-actions --alarm-names " + name
	case len(snsTopics(a.AlarmActions)) == 0:
		w.problems = append(w.problems, fmt.Sprintf("alarm %s on metric %s has no SNS topic among its "+
			"alarm actions (%s)", name, m, actionList(a.AlarmActions)))
		w.fix = "add the alert topic to the alarm's actions (aws cloudwatch put-metric-alarm ... --alarm-actions " +
			"TOPIC_ARN); rootwatch's alarms notify its alert topic"
	default:
		w.wired[i] = true
		if !seen[name] {
			seen[name] = true
			w.good = append(w.good, a)
		}
	}
}

// recordAlarms notes control c's good alarms and their topics in j.mon and returns their names.
func (j *judge) recordAlarms(c catalog.Control, good []cwtypes.MetricAlarm) []string {
	var names []string
	for _, a := range good {
		names = append(names, aws.ToString(a.AlarmName))
		for _, t := range snsTopics(a.AlarmActions) {
			if !slices.Contains(j.mon.Topics, t) {
				j.mon.Topics = append(j.mon.Topics, t)
			}
		}
	}
	j.mon.Alarms[c.ID] = names
	return names
}

// alarmStateNotes warns, in r, of the good alarms that are in ALARM or INSUFFICIENT_DATA.
func (j *judge) alarmStateNotes(r *Result, good []cwtypes.MetricAlarm) []string {
	var notes []string
	for _, a := range good {
		name, reason := aws.ToString(a.AlarmName), aws.ToString(a.StateReason)
		since := ""
		if t := aws.ToTime(a.StateUpdatedTimestamp); !t.IsZero() {
			since = fmt.Sprintf(" since %s (%s ago)", t.UTC().Format(time.RFC3339), j.now.Sub(t).Round(time.Minute))
		}
		switch a.StateValue {
		case cwtypes.StateValueAlarm:
			r.Status = Warn
			notes = append(notes, fmt.Sprintf("alarm %s is in ALARM%s, reason %q: look at what fired (the alarm's "+
				"description is the runbook)", name, since, reason))
			r.Remediation = "look at the events that fired the alarm (CloudTrail event history or the log group); " +
				"the alarm returns to OK by itself when a period passes without them"
		case cwtypes.StateValueInsufficientData:
			r.Status = Warn
			notes = append(notes, fmt.Sprintf("alarm %s is in INSUFFICIENT_DATA%s, reason %q: rootwatch's alarms "+
				"treat missing data as not breaching, so one stuck there has a metric, namespace or period that does "+
				"not match its filter", name, since, reason))
			r.Remediation = "compare the alarm's metric name, namespace, statistic and period with the filter's " +
				"metric transformation, or redeploy rootwatch's alarms (pulumi up)"
		}
	}
	return notes
}

// unwiredNotes warns, in r, of each of c's checked patterns none of whose filters reaches an alarm.
func unwiredNotes(r *Result, c catalog.Control, checked []string, wired []bool) []string {
	var notes []string
	for i, ok := range wired {
		if !ok {
			r.Status = Warn
			notes = append(notes, fmt.Sprintf("no filter with %s (%s) is wired to an alarm: Security Hub and Prowler "+
				"each look for their own text, so the one that does not find its filter reports this control as "+
				"failing",
				checkerName(c, i), checked[i]))
			r.Remediation = "add the missing filter on the same metric (rootwatch deploys both; " +
				"docs/controls.md has the texts)"
		}
	}
	return notes
}

// nearMisses names the filters that look meant for the control (their metric's name ends with the
// control's MetricName, as rootwatch's prefixed metrics do) but whose pattern no checker accepts.
func (j *judge) nearMisses(c catalog.Control) string {
	var out []string
	for _, f := range j.filters {
		meant := false
		for _, m := range f.metrics {
			meant = meant || strings.HasSuffix(m.name, c.MetricName)
		}
		if !meant {
			continue
		}
		if f.err != nil {
			out = append(
				out,
				fmt.Sprintf(
					"filter %s's pattern %q does not parse (%v), so no checker accepts it",
					f.name,
					f.pattern,
					f.err,
				),
			)
		} else {
			out = append(out, fmt.Sprintf(
				"filter %s has pattern %s, which Security Hub and Prowler would not accept", f.name, f.pattern,
			))
		}
	}
	if len(out) == 0 {
		return ""
	}
	return "; " + strings.Join(out, "; ")
}

// missingOwnFilters notes rootwatch's own filters of the control (Patterns beyond CheckedPatterns:
// root usage through the console) that are not on the log group. No checker looks for them, so
// their absence does not change the status.
func (j *judge) missingOwnFilters(c catalog.Control) string {
	checked := map[string]bool{}
	for _, p := range c.CheckedPatterns() {
		checked[p] = true
	}
	var missing []string
	for _, p := range c.Patterns() {
		if checked[p] {
			continue
		}
		pat, _ := filterpattern.Parse(p)
		found := false
		for _, f := range j.filters {
			found = found || (pat != nil && f.err == nil && f.canon == pat.String())
		}
		if !found {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "rootwatch's further filter " + strings.Join(missing, ", ") + " is not there (no checker asks for it; " +
		"rootwatch adds it to count what CIS's text misses, see docs/controls.md)"
}

func filterNames(matched [][]*filter) string {
	var names []string
	for _, fs := range matched {
		for _, f := range fs {
			if !slices.Contains(names, f.name) {
				names = append(names, f.name)
			}
		}
	}
	return strings.Join(names, ", ")
}

func snsTopicsOf(as []cwtypes.MetricAlarm) []string {
	var out []string
	for _, a := range as {
		for _, t := range snsTopics(a.AlarmActions) {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

func actionList(actions []string) string {
	if len(actions) == 0 {
		return "none"
	}
	return strings.Join(actions, ", ")
}
