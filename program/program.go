// Package program is rootwatch's Pulumi program.
//
// It secures and monitors the AWS root user: a CloudTrail trail (all regions, log file validation)
// whose logs go to a KMS-encrypted S3 bucket and to CloudWatch Logs, metric filters and alarms for
// root usage and the rest of the CIS monitoring set, EventBridge notifications, and an SNS topic that
// reaches people.
//
// The repository's main.go runs Program with `pulumi up`; `rootwatch plan` runs it offline.
// Configure it with `pulumi config set rootwatch:<key>` (see Pulumi.yaml and
// docs/configuration.md). Its components live in packages trail, alarms, notify, posture and
// athena for use from other stacks (from other languages through provider/).
package program

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// Program loads and validates the whole configuration, then builds the stack. A bad config
// registers nothing: pulumi.Run prints the error and the program exits non-zero. cfg is the
// configuration the engine handed the program (pulumi.RunInfo.Config: fully qualified keys to raw
// values); the program reads the values through ctx and refuses keys it does not know.
func Program(ctx *pulumi.Context, cfg map[string]string) error {
	return Build(ctx, cfg, func(name string, v pulumi.Input) { ctx.Export(name, v) })
}

// Build is Program with the exports handed to export (tests and `rootwatch plan` collect them).
func Build(ctx *pulumi.Context, cfg map[string]string, export func(name string, v pulumi.Input)) error {
	s, err := loadSettings(ctx, cfg)
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

// Output names, the stack's public interface for StackReference consumers (see docs/stack-outputs.md).
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
	OutChatTopicArn            = "chatTopicArn"
	OutMemberEventBusArn       = "memberEventBusArn"
	OutMemberStackSetName      = "memberStackSetName"
	OutRootGuardrailPolicyID   = "rootGuardrailPolicyId"
	OutRootGuardrailTargets    = "rootGuardrailTargets"
	// OutAthenaWorkgroup is the Athena workgroup holding the named queries ("" unless rootwatch:athena).
	OutAthenaWorkgroup = "athenaWorkgroup"
	// OutAthenaDatabase and OutAthenaTable are the Glue database and table the named queries read
	// ("" unless rootwatch:athena); rootwatch audit reads the table's projected accounts.
	OutAthenaDatabase = "athenaDatabase"
	OutAthenaTable    = "athenaTable"
)

// heartbeatNotes are the heartbeat's lines about the trail: where its logs are, and the command
// that reviews the period. prefix is the trail's S3 key prefix ("" for none).
func heartbeatNotes(trailName, bucketName pulumi.StringOutput, prefix string, s *settings) pulumi.StringArrayOutput {
	days := *s.Alarms.HeartbeatDays // loadSettings always sets it
	if prefix != "" {
		prefix += "/"
	}
	return pulumi.All(trailName, bucketName).ApplyT(func(xs []any) []string {
		return []string{
			"Trail: " + xs[0].(string) + ", log files in s3://" + xs[1].(string) + "/" + prefix + ".",
			fmt.Sprintf("Review the period's root activity: rootwatch scan s3://%s/%s --since %dd", xs[1].(string),
				prefix, days),
		}
	}).(pulumi.StringArrayOutput)
}

// trailSide is what the rest of the stack takes from the trail, created or existing: the stack
// outputs about it, the log group the metric filters go on, and where its log files are.
type trailSide struct {
	outputs               pulumi.Map
	logGroupName          pulumi.StringInput
	trailName, bucketName pulumi.StringOutput
	prefix                string
}

// createTrail creates the trail component.
func createTrail(ctx *pulumi.Context, s *settings) (*trailSide, error) {
	t, err := trail.New(ctx, "rootwatch", &s.Trail)
	if err != nil {
		return nil, err
	}
	return &trailSide{
		// The log group's name is an output of the log group, so every metric filter waits for it.
		// (No DependsOn on the trail component: the SDK would expand it to whichever of its
		// children happen to be registered at that moment.)
		logGroupName: t.LogGroupName,
		trailName:    t.TrailName, bucketName: t.BucketName, prefix: s.Trail.S3KeyPrefix,
		outputs: pulumi.Map{
			OutRequiredKeyPolicy:    t.RequiredKeyPolicy,
			OutRequiredBucketPolicy: t.RequiredBucketPolicy,
			OutTrailArn:             t.TrailArn,
			OutTrailName:            t.TrailName,
			OutBucketName:           t.BucketName,
			OutBucketArn:            t.BucketArn,
			OutAccessLogBucketName:  t.AccessLogBucketName,
			OutKeyArn:               t.KeyArn,
			OutLogGroupName:         t.LogGroupName,
			OutLogGroupArn:          t.LogGroupArn,
			OutLogsRoleArn:          t.LogsRoleArn,
			OutDeliveryTopicArn:     t.DeliveryTopicArn,
		},
	}, nil
}

// existingTrail describes the trail loadSettings looked up; nothing is registered for it. Where
// the logs are comes from the lookup; what rootwatch would create for a trail of its own (key,
// logs role, access-log bucket, delivery topic, required policies) is "".
func existingTrail(e *trail.ExistingTrail) *trailSide {
	str := func(v string) pulumi.StringOutput { return pulumi.String(v).ToStringOutput() }
	partition := "aws"
	if a, ok := awsenv.ParseARN(e.TrailARN); ok {
		partition = a.Partition
	}
	return &trailSide{
		logGroupName: pulumi.String(e.LogGroupName),
		trailName:    str(e.TrailName), bucketName: str(e.BucketName), prefix: e.S3KeyPrefix,
		outputs: pulumi.Map{
			OutRequiredKeyPolicy:    str(""),
			OutRequiredBucketPolicy: str(""),
			OutTrailArn:             str(e.TrailARN),
			OutTrailName:            str(e.TrailName),
			OutBucketName:           str(e.BucketName),
			OutBucketArn:            str(awsenv.ARN(partition, "s3", "", "", e.BucketName)),
			OutAccessLogBucketName:  str(""),
			OutKeyArn:               str(""),
			OutLogGroupName:         str(e.LogGroupName),
			OutLogGroupArn:          str(e.LogGroupARN),
			OutLogsRoleArn:          str(""),
			OutDeliveryTopicArn:     str(""),
		},
	}
}

// deploy builds the stack from validated settings and returns its outputs.
func deploy(ctx *pulumi.Context, s *settings) (pulumi.Map, error) {
	var t *trailSide
	if s.existing != nil {
		t = existingTrail(s.existing)
	} else {
		var err error
		if t, err = createTrail(ctx, s); err != nil {
			return nil, err
		}
	}
	aa := s.Alarms
	aa.LogGroupName = t.logGroupName
	aa.HeartbeatNotes = heartbeatNotes(t.trailName, t.bucketName, t.prefix, s)
	a, err := alarms.New(ctx, "rootwatch", &aa)
	if err != nil {
		return nil, err
	}
	// The second detection path: EventBridge rules that say who used root, from where, with or
	// without MFA, within about a minute. Its outputs are empty when it is switched off.
	ruleArns, alarmArns, regions := pulumi.StringMap{}.ToStringMapOutput(), pulumi.StringMap{}.ToStringMapOutput(),
		pulumi.StringArray{}.ToStringArrayOutput()
	memberBus, memberStackSet := pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if s.RootEventNotifications {
		na := s.Notify
		na.TopicARN = a.TopicArn
		if s.Alarms.ChatEnabled() {
			na.ChatTopicARN = a.ChatTopicArn
		}
		if s.Alarms.HealthPath() {
			na.Health = &notify.Health{TopicARN: a.HealthTopicArn, Subscribers: s.Alarms.Subscribers(),
				KeyAdminARNs: s.Alarms.KeyAdminARNs}
		}
		n, err := notify.New(ctx, "rootwatch", &na)
		if err != nil {
			return nil, err
		}
		ruleArns, alarmArns = n.RuleArns, n.AlarmArns
		memberBus, memberStackSet = n.MemberBusArn, n.MemberStackSetName
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
	guardrailPolicy, guardrailTargets, err := deployGuardrail(ctx, s)
	if err != nil {
		return nil, err
	}
	workgroup, database, table :=
		pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if s.Athena.Enabled {
		name := s.Trail.TrailName
		if s.existing != nil {
			name = s.existing.TrailName
		}
		ath, err := deployAthena(ctx, s, t, name)
		if err != nil {
			return nil, err
		}
		workgroup, database, table = ath.WorkgroupName, ath.DatabaseName, ath.TableName
	}
	outs := pulumi.Map{
		OutAthenaWorkgroup:         workgroup,
		OutAthenaDatabase:          database,
		OutAthenaTable:             table,
		OutRootCredentialsFeatures: features,
		OutConfigRuleArns:          configRuleArns,
		OutRootEventRuleArns:       ruleArns,
		OutRootEventAlarmArns:      alarmArns,
		OutRootEventForwardRegions: regions,
		OutMemberEventBusArn:       memberBus,
		OutMemberStackSetName:      memberStackSet,
		OutRootGuardrailPolicyID:   guardrailPolicy,
		OutRootGuardrailTargets:    guardrailTargets,
		OutAlertTopicArn:           a.TopicArn,
		OutAlertKeyArn:             a.KeyArn,
		OutHealthTopicArn:          a.HealthTopicArn,
		OutHeartbeatRuleArn:        a.HeartbeatRuleArn,
		OutChatTopicArn:            a.ChatTopicArn,
		OutAlarmArns:               a.AlarmArns,
		OutAlarmNames:              a.AlarmNames,
		OutControls:                pulumi.ToStringArray(a.Controls),
		OutMetricNamespace:         a.MetricNamespace,
	}
	for k, v := range t.outputs {
		outs[k] = v
	}
	return outs, nil
}
