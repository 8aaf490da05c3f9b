// Command consumer is an example stack that builds on a rootwatch stack's outputs. Without
// importing rootwatch's code, it reads the rootwatch stack's outputs through a StackReference and
// adds one more detection to them: a metric filter on rootwatch's CloudTrail log group and an alarm
// that notifies rootwatch's alert topic when someone disables or deletes GuardDuty.
//
// It is its own Pulumi project (Pulumi.yaml beside this file) inside rootwatch's Go module:
//
//	cd examples/consumer
//	pulumi stack select --create dev
//	pulumi config set rootwatchStack acme/rootwatch/dev   # <organization>/<project>/<stack>
//	pulumi up
//
// The outputs it reads (logGroupName, alertTopicArn, metricNamespace) are part of rootwatch's
// stable interface, listed in docs/stack-outputs.md.
package main

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// The rootwatch stack outputs this program reads (rootwatch's program/program.go: OutLogGroupName,
// OutAlertTopicArn, OutMetricNamespace).
const (
	outLogGroupName    = "logGroupName"
	outAlertTopicArn   = "alertTopicArn"
	outMetricNamespace = "metricNamespace"
)

// ConsumedOutputs are the rootwatch outputs this program depends on.
var ConsumedOutputs = []string{outLogGroupName, outAlertTopicArn, outMetricNamespace}

// Config keys, in this project's namespace (rootwatch-consumer:<key>).
const (
	keyRootwatchStack = "rootwatchStack"
	keyNamePrefix     = "namePrefix"
)

// MetricName is the metric (and, with the prefix, the filter and alarm) this program adds.
const MetricName = "GuardDutyTampering"

// Pattern matches CloudTrail events that switch GuardDuty off or detach an account from it. It is
// not one of the CIS controls rootwatch deploys, which is why a consuming stack adds it.
const Pattern = `{ ($.eventSource = "guardduty.amazonaws.com") && (($.eventName = "DeleteDetector") || ($.eventName = "DisassociateFromAdministratorAccount") || ($.eventName = "DisassociateFromMasterAccount") || ($.eventName = "StopMonitoringMembers") || ($.eventName = "DeleteMembers") || (($.eventName = "UpdateDetector") && ($.requestParameters.enable IS FALSE))) }`

var (
	// stackPart is one part of a fully qualified stack name: Pulumi allows letters, digits, '-',
	// '_' and '.' in organization, project and stack names.
	stackPart = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
	// prefixRe is the name prefix rootwatch itself accepts for its metrics and alarms.
	prefixRe = regexp.MustCompile(`^[A-Za-z0-9._/#-]{0,64}$`)
)

// Settings is the validated configuration.
type Settings struct {
	RootwatchStack string // <organization>/<project>/<stack>
	NamePrefix     string
}

// ParseStackName checks that name is a fully qualified stack name. A bare stack name would make
// the StackReference look for a stack of this project, not of rootwatch's.
func ParseStackName(name string) error {
	parts := strings.Split(name, "/")
	if len(parts) != 3 {
		return fmt.Errorf("%q is not a fully qualified stack name: want <organization>/<project>/<stack>, e.g. "+
			"acme/rootwatch/prod (on a DIY backend the organization is the literal \"organization\": "+
			"organization/rootwatch/prod)", name)
	}
	for i, what := range []string{"organization", "project", "stack"} {
		if !stackPart.MatchString(parts[i]) {
			return fmt.Errorf(
				"%q: the %s part %q must be non-empty and use only letters, digits, '-', '_' and '.'",
				name,
				what,
				parts[i],
			)
		}
	}
	return nil
}

// LoadSettings reads and validates the configuration, naming the key in every error.
func LoadSettings(ctx *pulumi.Context) (*Settings, error) {
	ns := ctx.Project() + ":"
	get := func(key string) string { v, _ := ctx.GetConfig(ns + key); return v }
	s := &Settings{RootwatchStack: strings.TrimSpace(get(keyRootwatchStack))}
	if s.RootwatchStack == "" {
		return nil, fmt.Errorf("%s%s is required: the rootwatch stack to read, as <organization>/<project>/<stack> "+
			"(pulumi config set %s acme/rootwatch/prod)", ns, keyRootwatchStack, keyRootwatchStack)
	}
	if err := ParseStackName(s.RootwatchStack); err != nil {
		return nil, fmt.Errorf("%s%s: %w", ns, keyRootwatchStack, err)
	}
	s.NamePrefix = get(keyNamePrefix)
	if s.NamePrefix == "" {
		s.NamePrefix = ctx.Stack() + "-"
	}
	if !prefixRe.MatchString(s.NamePrefix) {
		return nil, fmt.Errorf(
			"%s%s: %q is not a usable name prefix: up to 64 characters from a-z A-Z 0-9 . _ - / #",
			ns,
			keyNamePrefix,
			s.NamePrefix,
		)
	}
	return s, nil
}

func main() {
	pulumi.Run(program)
}

func program(ctx *pulumi.Context) error {
	s, err := LoadSettings(ctx)
	if err != nil {
		return err
	}
	return Deploy(ctx, s)
}

// Deploy reads the rootwatch stack and adds the GuardDuty tampering filter and alarm to it.
func Deploy(ctx *pulumi.Context, s *Settings) error {
	// Named after the stack it reads, as is customary: errors about its outputs then name the stack.
	rw, err := pulumi.NewStackReference(ctx, s.RootwatchStack, nil)
	if err != nil {
		return err
	}
	// GetStringOutput fails the update, naming the output and the stack, when the referenced stack
	// does not export it (during a preview a missing output is merely unknown).
	logGroup := rw.GetStringOutput(pulumi.String(outLogGroupName))
	topicArn := rw.GetStringOutput(pulumi.String(outAlertTopicArn))
	namespace := rw.GetStringOutput(pulumi.String(outMetricNamespace))

	metric := s.NamePrefix + MetricName
	filter, err := cloudwatch.NewLogMetricFilter(ctx, "guardduty-tampering-filter", &cloudwatch.LogMetricFilterArgs{
		Name:         pulumi.String(metric),
		LogGroupName: logGroup,
		Pattern:      pulumi.String(Pattern),
		MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
			Name:         pulumi.String(metric),
			Namespace:    namespace,
			Value:        pulumi.String("1"),
			DefaultValue: pulumi.String("0"),
		},
	})
	if err != nil {
		return err
	}
	// The same alarm shape as rootwatch's own: any occurrence within a minute alarms, and no data
	// (no such event) is not a breach. rootwatch's topic policy and key let CloudWatch alarms of the
	// account publish to the topic, so this alarm needs nothing else from the rootwatch stack.
	alarm, err := cloudwatch.NewMetricAlarm(ctx, "guardduty-tampering-alarm", &cloudwatch.MetricAlarmArgs{
		Name: pulumi.String(metric),
		AlarmDescription: pulumi.String("GuardDuty was disabled, deleted or an account detached from it. Find the " +
			"event: CloudTrail event history, event source guardduty.amazonaws.com; confirm it was a planned change, " +
			"or re-enable GuardDuty and investigate the principal."),
		Namespace:          namespace,
		MetricName:         pulumi.String(metric),
		Statistic:          pulumi.String("Sum"),
		Period:             pulumi.Int(60),
		EvaluationPeriods:  pulumi.Int(1),
		DatapointsToAlarm:  pulumi.Int(1),
		Threshold:          pulumi.Float64(1),
		ComparisonOperator: pulumi.String("GreaterThanOrEqualToThreshold"),
		TreatMissingData:   pulumi.String("notBreaching"),
		ActionsEnabled:     pulumi.Bool(true),
		AlarmActions:       pulumi.Array{topicArn},
	}, pulumi.DependsOn([]pulumi.Resource{filter}))
	if err != nil {
		return err
	}
	ctx.Export("alarmArn", alarm.Arn)
	ctx.Export("alarmName", alarm.Name)
	ctx.Export("watchedLogGroup", logGroup)
	ctx.Export("rootwatchStack", pulumi.String(s.RootwatchStack))
	return nil
}
