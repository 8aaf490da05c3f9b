package audit

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/rootwatch/rootwatch/catalog"
)

// Options configure Run.
type Options struct {
	Config   aws.Config // credentials, region, HTTP client (from config.LoadDefaultConfig)
	Endpoint string     // one endpoint for every service (tests, emulators); "" for AWS's
	Trail    string     // the trail's name or ARN; "" for the first multi-region trail
	Now      time.Time  // the time delivery ages are measured from; zero for time.Now
	// Stack is what rootwatch deployed, from the stack's outputs; zero to discover it from the
	// account (an account rootwatch did not deploy, or no outputs at hand).
	Stack StackOutputs
	// SendTestAlert, after the checks, puts the root-usage alarm into ALARM with a reason that
	// says it is a test (see SendTestAlert); its result is the report's last.
	SendTestAlert bool
}

// Run runs every check, in order: the root user's credentials, the trail, the CIS monitoring set
// on its log group, then whether alerts reach people, then (when the stack has rootwatch:athena)
// whether its Athena table reads every account; with SendTestAlert, the test alert last.
func Run(ctx context.Context, o Options) []Result {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	rg := NewRegions(o.Config, o.Endpoint)
	c := rg.In("") // IAM and Organizations are global; the default region's clients call them
	trailRef := o.Trail
	if trailRef == "" {
		trailRef = o.Stack.TrailArn // by ARN: in its own region, or another account's organization trail
	}
	if trailRef == "" {
		trailRef = o.Stack.TrailName
	}
	rs := RootChecks(ctx, c.IAM)
	rs = append(rs, CredentialReportChecks(ctx, c.IAM, now)...)
	rs = append(rs, CentralizedRootAccessCheck(ctx, c.Organizations, c.IAM))
	trs, trail := TrailChecks(ctx, rg.Of(trailRef).CloudTrail, trailRef, now)
	var unread *Result // the trails could not be read: nobody knows whether there is a log group
	if trs[0].ID == CheckTrailExists && trs[0].Status == Error {
		unread = &trs[0]
	}
	// The log group, its metric filters, their metrics and the alarms on them are in the log
	// group's region: the stack's logGroupArn, else the trail's CloudWatchLogsLogGroupArn.
	logGroupArn := o.Stack.LogGroupArn
	if logGroupArn == "" && trail != nil {
		logGroupArn = trail.CloudWatchLogsLogGroupArn
	}
	mc := rg.Of(logGroupArn)
	mrs, mon := MonitoringChecks(ctx, mc.Logs, mc.CloudWatch, trail, unread, o.Stack, now)
	rs = append(append(rs, trs...), mrs...)
	// Without a stack, the topics are the ones the monitoring alarms notify.
	topics := nonEmpty(o.Stack.AlertTopicArn)
	if len(topics) == 0 {
		topics = mon.Topics
	}
	rs = append(rs, ReachChecks(ctx, rg, Reach{AlertTopics: topics, HealthTopic: o.Stack.HealthTopicArn,
		HeartbeatRule: o.Stack.HeartbeatRuleArn, Deployed: o.Stack.TrailName != ""})...)
	if o.Stack.AthenaDatabase != "" && o.Stack.AthenaTable != "" {
		// The table is in the stack's region, the region of the alert topic the stack created.
		g := rg.Of(o.Stack.AlertTopicArn, logGroupArn).Glue
		rs = append(rs, AthenaAccountsCheck(ctx, g, c.Organizations, o.Stack.AthenaDatabase, o.Stack.AthenaTable))
	}
	if o.SendTestAlert {
		alarm := o.Stack.AlarmNames[catalog.RootUsage]
		if found := mon.Alarms[catalog.RootUsage]; alarm == "" && len(found) > 0 {
			alarm = found[0]
		}
		rs = append(
			rs,
			SendTestAlert(ctx, rg.Of(o.Stack.AlarmArns[catalog.RootUsage], logGroupArn).CloudWatch, alarm, now),
		)
	}
	return rs
}
