// Package stack is rootwatch's Pulumi program that secures and monitors the AWS root user: a CloudTrail
// trail (all regions, log file validation) whose logs go to a KMS-encrypted S3 bucket and to
// CloudWatch Logs, metric filters and alarms for root usage and the rest of the CIS monitoring
// set, and an SNS topic that reaches people.
//
// The repository's main.go runs Program with `pulumi up`; `rootwatch plan` runs it offline. Configure
// it with `pulumi config set rootwatch:<key>` (see Pulumi.yaml and docs/configuration.md). Its
// components live in packages trail, alarms, notify and posture for use from other stacks.
package stack

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// Program loads and validates the whole configuration, then builds the stack. A bad config
// registers nothing: pulumi.Run prints the error and the program exits non-zero.
func Program(ctx *pulumi.Context) error {
	return Build(ctx, func(name string, v pulumi.Input) { ctx.Export(name, v) })
}

// Build is Program with the exports handed to export (tests and `rootwatch plan` collect them).
func Build(ctx *pulumi.Context, export func(name string, v pulumi.Input)) error {
	s, err := loadSettings(ctx)
	if err != nil {
		return err
	}
	outs, err := deploy(ctx, s)
	if err != nil {
		return err
	}
	for k, v := range outs {
		export(k, v)
	}
	return nil
}

// Output names, the stack's public interface for StackReference consumers (see README).
const (
	OutTrailArn                = "trailArn"
	OutTrailName               = "trailName"
	OutBucketName              = "bucketName"
	OutBucketArn               = "bucketArn"
	OutAccessLogBucketName     = "accessLogBucketName"
	OutKeyArn                  = "keyArn"
	OutLogGroupName            = "logGroupName"
	OutLogGroupArn             = "logGroupArn"
	OutLogsRoleArn             = "logsRoleArn"
	OutDeliveryTopicArn        = "deliveryTopicArn"
	OutAlertTopicArn           = "alertTopicArn"
	OutAlertKeyArn             = "alertKeyArn"
	OutAlarmArns               = "alarmArns"
	OutAlarmNames              = "alarmNames"
	OutControls                = "cisControls"
	OutMetricNamespace         = "metricNamespace"
	OutRootCredentialsFeatures = "rootCredentialsFeatures"
	OutConfigRuleArns          = "configRuleArns"
	OutRequiredKeyPolicy       = "requiredKeyPolicy"
	OutRequiredBucketPolicy    = "requiredBucketPolicy"
	OutRootEventRuleArns       = "rootEventRuleArns"
	OutRootEventAlarmArns      = "rootEventAlarmArns"
	OutRootEventForwardRegions = "rootEventForwardRegions"
	OutHealthTopicArn          = "healthTopicArn"
	OutHeartbeatRuleArn        = "heartbeatRuleArn"
)

// heartbeatNotes are the heartbeat's lines about the trail: where its logs are, and the command
// that reviews the period.
func heartbeatNotes(t *trail.Trail, s *settings) pulumi.StringArrayOutput {
	days := *s.Alarms.HeartbeatDays // loadSettings always sets it
	prefix := s.Trail.S3KeyPrefix
	if prefix != "" {
		prefix += "/"
	}
	return pulumi.All(t.TrailName, t.BucketName).ApplyT(func(xs []any) []string {
		return []string{
			"Trail: " + xs[0].(string) + ", log files in s3://" + xs[1].(string) + "/" + prefix + ".",
			fmt.Sprintf("Review the period's root activity: rootwatch scan s3://%s/%s --since %dd", xs[1].(string), prefix, days),
		}
	}).(pulumi.StringArrayOutput)
}

// deploy builds the stack from validated settings and returns its outputs.
func deploy(ctx *pulumi.Context, s *settings) (pulumi.Map, error) {
	t, err := trail.New(ctx, "rootwatch", &s.Trail)
	if err != nil {
		return nil, err
	}
	aa := s.Alarms
	// The log group's name is an output of the log group, so every metric filter waits for it.
	// (No DependsOn on the trail component: the SDK would expand it to whichever of its children
	// happen to be registered at that moment.)
	aa.LogGroupName = t.LogGroupName
	aa.HeartbeatNotes = heartbeatNotes(t, s)
	a, err := alarms.New(ctx, "rootwatch", &aa)
	if err != nil {
		return nil, err
	}
	// The second detection path: EventBridge rules that say who used root, from where, with or
	// without MFA, within about a minute. Its outputs are empty when it is switched off.
	ruleArns, alarmArns, regions := pulumi.StringMap{}.ToStringMapOutput(), pulumi.StringMap{}.ToStringMapOutput(), pulumi.StringArray{}.ToStringArrayOutput()
	if s.RootEventNotifications {
		na := s.Notify
		na.TopicARN = a.TopicArn
		if s.Alarms.ChatEnabled() {
			na.ChatTopicARN = a.ChatTopicArn
		}
		if s.Alarms.HealthPath() {
			na.Health = &notify.Health{TopicARN: a.HealthTopicArn, Subscribers: s.Alarms.Subscribers(), KeyAdminARNs: s.Alarms.KeyAdminARNs}
		}
		n, err := notify.New(ctx, "rootwatch", &na)
		if err != nil {
			return nil, err
		}
		ruleArns, alarmArns = n.RuleArns, n.AlarmArns
		regions = pulumi.ToStringArray(append([]string{}, n.Regions...)).ToStringArrayOutput()
	}
	// Organizations and AWS Config posture, each mode opt-in; nothing is registered when both are
	// off (its organization prerequisites were checked with the configuration).
	features, configRuleArns := pulumi.StringArray{}.ToStringArrayOutput(), pulumi.StringMap{}.ToStringMapOutput()
	pa := s.Posture
	pa.TopicARN = a.TopicArn
	if s.Alarms.HealthPath() {
		pa.HealthTopicARN = a.HealthTopicArn
	}
	p, err := posture.New(ctx, "rootwatch", &pa)
	if err != nil {
		return nil, err
	}
	if p != nil {
		features, configRuleArns = p.EnabledFeatures, p.ConfigRuleArns
	}
	return pulumi.Map{
		OutRootCredentialsFeatures: features,
		OutConfigRuleArns:          configRuleArns,
		OutRequiredKeyPolicy:       t.RequiredKeyPolicy,
		OutRequiredBucketPolicy:    t.RequiredBucketPolicy,
		OutRootEventRuleArns:       ruleArns,
		OutRootEventAlarmArns:      alarmArns,
		OutRootEventForwardRegions: regions,
		OutTrailArn:                t.TrailArn,
		OutTrailName:               t.TrailName,
		OutBucketName:              t.BucketName,
		OutBucketArn:               t.BucketArn,
		OutAccessLogBucketName:     t.AccessLogBucketName,
		OutKeyArn:                  t.KeyArn,
		OutLogGroupName:            t.LogGroupName,
		OutLogGroupArn:             t.LogGroupArn,
		OutLogsRoleArn:             t.LogsRoleArn,
		OutDeliveryTopicArn:        t.DeliveryTopicArn,
		OutAlertTopicArn:           a.TopicArn,
		OutAlertKeyArn:             a.KeyArn,
		OutHealthTopicArn:          a.HealthTopicArn,
		OutHeartbeatRuleArn:        a.HeartbeatRuleArn,
		OutAlarmArns:               a.AlarmArns,
		OutAlarmNames:              a.AlarmNames,
		OutControls:                pulumi.ToStringArray(a.Controls),
		OutMetricNamespace:         a.MetricNamespace,
	}, nil
}
