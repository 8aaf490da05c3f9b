package alarms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/metricalarm"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:alarms:Alarms"

// Defaults.
const (
	DefaultMetricNamespace    = "CISBenchmark"
	DefaultAlarmPeriodSeconds = 60
)

// Args configures Alarms.
type Args struct {
	// LogGroupName is the CloudWatch Logs group the trail delivers to (required).
	LogGroupName pulumi.StringInput
	// Controls are catalogue ids (slug, CIS 7.0 number or Security Hub id), or "all" / "none".
	// Empty means all. Root usage (CIS 5.3, CloudWatch.1) is always deployed.
	Controls []string
	// Emails, HTTPSEndpoints and SQSQueueARNs subscribe to the topic. E-mail and HTTPS
	// subscriptions stay pending until their owner confirms them. An SQS queue's policy must let
	// this topic send to it (and its key, if any, let SNS use it).
	Emails         []string
	HTTPSEndpoints []string
	SQSQueueARNs   []string
	// TopicARN sends the alarms to an existing topic instead of creating one; its policy and key
	// must let CloudWatch publish (see internal/policy.Topic and TopicKey). Subscriptions are then
	// the topic owner's business and must be empty here.
	TopicARN string
	// AlarmPeriodSeconds is the alarms' period: a multiple of 60 up to MaxAlarmPeriodSeconds
	// (default 60). Metric-filter metrics are standard resolution (one data point a minute), so
	// CloudWatch's high-resolution periods (10, 20, 30) would leave the alarms in INSUFFICIENT_DATA,
	// and they are billed as high-resolution alarms.
	AlarmPeriodSeconds int
	// MetricNamespace of the filters' metrics (default "CISBenchmark").
	MetricNamespace string
	// NamePrefix starts every metric, filter and alarm name, so that two stacks in one account
	// never collide (e.g. "rootwatch-prod-").
	NamePrefix string
	// OKActions also notifies the topic when an alarm returns to OK.
	OKActions bool
	// KeyAdminARNs administer the topic key (default: the account).
	KeyAdminARNs []string
	// Tags go on every taggable resource.
	Tags map[string]string
	// HeartbeatDays schedules a message through the alert topic every so many days, saying the
	// path works and what is watched: when it stops arriving, the path is broken. Nil means
	// DefaultHeartbeatDays; 0 turns it off.
	HeartbeatDays *int
	// SlackChannels and TeamsChannels receive the alarms, the heartbeat and (through notify's
	// ChatTopicARN) the root-activity notifications in chat, through Amazon Q Developer in chat
	// applications: a separate chat topic, a channel role and guardrail with notification
	// permissions only, and one channel configuration per channel. Each workspace or team must have
	// been authorized once in the Chatbot console. Only in the aws partition.
	SlackChannels []SlackChannel
	TeamsChannels []TeamsChannel
	// ChatRegion is the region of the Chatbot API the configurations are created in, one of
	// ChatRegions (default DefaultChatRegion); the chat topic stays in the stack's region.
	ChatRegion string
	// ChatProvider is a template for the chat region's explicit provider (credentials, profile,
	// assume-role); Region is overwritten and the provider is pinned to the stack's account. Nil:
	// the environment's default credentials.
	ChatProvider *aws.ProviderArgs
	// HeartbeatNotes are further lines of the heartbeat message (what else is watched, how to
	// review the week), e.g. the trail and its bucket.
	HeartbeatNotes pulumi.StringArrayInput
}

// DefaultHeartbeatDays is the heartbeat's default interval: weekly.
const DefaultHeartbeatDays = 7

// MaxHeartbeatDays bounds the interval: a path that stays broken longer than a quarter before
// anyone notices is not watched.
const MaxHeartbeatDays = 90

// Alarms is the component: metric filters and alarms for the chosen CIS controls, and the
// encrypted SNS topic they notify.
type Alarms struct {
	pulumi.ResourceState

	TopicArn pulumi.StringOutput `pulumi:"topicArn"`
	// KeyArn is the topic key's ARN ("" when TopicARN was given).
	KeyArn pulumi.StringOutput `pulumi:"keyArn"`
	// HealthTopicArn and HealthKeyArn are the second, independent path's topic and key: alarms
	// about the alert path itself (its key disabled, the trail changed, a rule failing to deliver)
	// also go there. "" when TopicARN was given or nobody is subscribed.
	HealthTopicArn pulumi.StringOutput `pulumi:"healthTopicArn"`
	HealthKeyArn   pulumi.StringOutput `pulumi:"healthKeyArn"`
	// ChatTopicArn is the chat route's topic ("" without chat channels): pass it to
	// notify.Args.ChatTopicARN so the root-activity notifications reach the channels too.
	ChatTopicArn pulumi.StringOutput `pulumi:"chatTopicArn"`
	// HeartbeatRuleArn is the scheduled rule of the heartbeat ("" when off).
	HeartbeatRuleArn pulumi.StringOutput `pulumi:"heartbeatRuleArn"`
	// AlarmArns maps each deployed control id to its alarm's ARN.
	AlarmArns pulumi.StringMapOutput `pulumi:"alarmArns"`
	// AlarmNames maps each deployed control id to its alarm's name.
	AlarmNames pulumi.StringMapOutput `pulumi:"alarmNames"`
	// MetricNamespace is the namespace of the filters' metrics.
	MetricNamespace pulumi.StringOutput `pulumi:"metricNamespace"`
	// Controls are the ids deployed, in catalogue order.
	Controls []string
}

var (
	namespaceRe = regexp.MustCompile(`^[^:*$\s][^:*$]{0,254}$`)
	prefixRe    = regexp.MustCompile(`^[A-Za-z0-9._/#-]{0,64}$`)
)

// MaxAlarmPeriodSeconds is the longest period: CloudWatch caps Period × EvaluationPeriods at
// seven days (604,800 s; one day for periods under an hour), and these alarms evaluate one period.
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
const MaxAlarmPeriodSeconds = 7 * 24 * 3600

// AllowedPeriodsRule says which alarm periods are accepted.
const AllowedPeriodsRule = "a multiple of 60 from 60 to 604800 (seconds; up to seven days)"

func (a Args) withDefaults() Args {
	if a.AlarmPeriodSeconds == 0 {
		a.AlarmPeriodSeconds = DefaultAlarmPeriodSeconds
	}
	if a.MetricNamespace == "" {
		a.MetricNamespace = DefaultMetricNamespace
	}
	if a.HeartbeatDays == nil {
		d := DefaultHeartbeatDays
		a.HeartbeatDays = &d
	}
	return a
}

// HealthPath says whether New makes the health topic: it does for a topic it creates with at least
// one subscriber (an existing topic is the owner's, and a topic nobody receives reaches nobody).
func (a *Args) HealthPath() bool {
	return a.TopicARN == "" && a.Subscribers().Count() > 0
}

// Subscribers returns the subscriptions of a, as the topic building block takes them.
func (a *Args) Subscribers() alerttopic.Subscribers {
	return alerttopic.Subscribers{Emails: a.Emails, HTTPSEndpoints: a.HTTPSEndpoints, SQSQueueARNs: a.SQSQueueARNs}
}

// Validate reports every problem with a, each naming its field.
func (a *Args) Validate() error {
	if a == nil {
		return fmt.Errorf("alarms: args are required (at least LogGroupName)")
	}
	d := a.withDefaults()
	var es validate.Errors
	if d.LogGroupName == nil {
		es.Add("LogGroupName", "", "is required", "the name of the log group the trail delivers to")
	}
	if _, err := catalog.Select(d.Controls); err != nil {
		es.Add("Controls", d.Controls, strings.TrimPrefix(err.Error(), "catalog: "), catalog.Allowed())
	}
	// Metric filters publish standard-resolution metrics (one-minute data points). CloudWatch
	// accepts 10, 20 and 30 s periods only as high-resolution alarms, which on such a metric get no
	// data for most periods (INSUFFICIENT_DATA) and cost more; any other period must be a multiple
	// of 60.
	// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html
	switch p := d.AlarmPeriodSeconds; {
	case p == 10 || p == 20 || p == 30:
		es.Add("AlarmPeriodSeconds", p, "is a high-resolution period, but metric-filter metrics have one data point a minute: the alarms would lapse into INSUFFICIENT_DATA (and high-resolution alarms cost more)", AllowedPeriodsRule)
	case p <= 0 || p%60 != 0:
		es.Add("AlarmPeriodSeconds", p, "is not a period CloudWatch alarms accept on one-minute metrics", AllowedPeriodsRule)
	case p > MaxAlarmPeriodSeconds:
		es.Add("AlarmPeriodSeconds", p, "is longer than CloudWatch lets an alarm evaluate (period × 1 evaluation period at most seven days)", AllowedPeriodsRule)
	}
	if !namespaceRe.MatchString(d.MetricNamespace) || strings.HasPrefix(d.MetricNamespace, "AWS/") {
		es.Add("MetricNamespace", d.MetricNamespace, "is not a usable CloudWatch namespace", "1 to 255 characters without ':', '*', '$', not starting with \"AWS/\"")
	}
	if !prefixRe.MatchString(d.NamePrefix) {
		es.Add("NamePrefix", d.NamePrefix, "is not a usable name prefix", "up to 64 characters from a-z A-Z 0-9 . _ - / #")
	}
	// An address or endpoint at a domain reserved for examples (security@example.com, the kind a
	// copied example stack carries) would leave the alarms reaching nobody while looking configured.
	for i, e := range d.Emails {
		if f := fmt.Sprintf("Emails[%d]", i); validate.Email(&es, f, e) {
			validate.NotReservedEmail(&es, f, e)
		}
	}
	for i, u := range d.HTTPSEndpoints {
		if f := fmt.Sprintf("HTTPSEndpoints[%d]", i); validate.HTTPSURL(&es, f, u) {
			validate.NotReservedURL(&es, f, u)
		}
	}
	for i, q := range d.SQSQueueARNs {
		awsenv.CheckARN(&es, fmt.Sprintf("SQSQueueARNs[%d]", i), q, "sqs", "arn:aws:sqs:us-east-1:111122223333:security-alerts")
	}
	if d.TopicARN != "" {
		awsenv.CheckARN(&es, "TopicARN", d.TopicARN, "sns", "arn:aws:sns:us-east-1:111122223333:security-alerts")
		if n := len(d.Emails) + len(d.HTTPSEndpoints) + len(d.SQSQueueARNs); n > 0 {
			es.Add("TopicARN", d.TopicARN, fmt.Sprintf("is set together with %d subscriptions; rootwatch subscribes only to a topic it creates", n), "TopicARN alone, or subscriptions without TopicARN")
		}
	}
	for i, arn := range d.KeyAdminARNs {
		awsenv.CheckARN(&es, fmt.Sprintf("KeyAdminARNs[%d]", i), arn, "iam", "arn:aws:iam::111122223333:role/SecurityAdmin")
	}
	if h := *d.HeartbeatDays; h < 0 || h > MaxHeartbeatDays {
		es.Add("HeartbeatDays", h, "is not a heartbeat interval", fmt.Sprintf("a whole number of days from 1 to %d, or 0 for no heartbeat", MaxHeartbeatDays))
	}
	d.validateChat(&es)
	validate.Tags(&es, "Tags", d.Tags)
	return es.Err("alarms: invalid args")
}

// Warnings returns what a user should hear about valid args: today only that nobody is notified.
// CIS and Security Hub (CloudWatch.1-14) fail an alarm whose topic has no subscriber.
func (a *Args) Warnings() []string {
	if a.TopicARN == "" && len(a.Emails)+len(a.HTTPSEndpoints)+len(a.SQSQueueARNs) == 0 && !a.ChatEnabled() {
		return []string{"alarms: no subscriber is configured (alert e-mails, HTTPS endpoints, SQS queues or chat channels), so nobody will be notified when the root user is used; CIS and Security Hub CloudWatch.1-14 treat an alarm without a subscriber as failing"}
	}
	if a.TopicARN != "" {
		return []string{"alarms: with an existing topic (TopicARN) rootwatch makes no health topic, so alarms about the alert path itself (its key disabled, a rule failing to deliver) go through that one topic alone; give it subscribers who would notice the weekly heartbeat stop"}
	}
	return nil
}

// New creates the topic, filters and alarms. It validates args before registering anything.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Alarms, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	a := args.withDefaults()
	controls, _ := catalog.Select(a.Controls)
	if err := checkPatterns(controls); err != nil {
		return nil, err
	}

	comp := &Alarms{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	for _, w := range a.Warnings() {
		if err := ctx.Log.Warn(w, &pulumi.LogArgs{Resource: comp}); err != nil {
			return nil, err
		}
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := a.chatInPartition(env).Err("alarms: invalid args"); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, name: name, a: a, env: env, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	comp.MetricNamespace = pulumi.String(a.MetricNamespace).ToStringOutput()
	if err := b.topic(); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.chat(); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.alarms(controls); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := b.heartbeat(controls); err != nil {
		return nil, fmt.Errorf("alarms %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"topicArn":         comp.TopicArn,
		"keyArn":           comp.KeyArn,
		"healthTopicArn":   comp.HealthTopicArn,
		"healthKeyArn":     comp.HealthKeyArn,
		"chatTopicArn":     comp.ChatTopicArn,
		"heartbeatRuleArn": comp.HeartbeatRuleArn,
		"alarmArns":        comp.AlarmArns,
		"alarmNames":       comp.AlarmNames,
		"metricNamespace":  comp.MetricNamespace,
	}); err != nil {
		return nil, fmt.Errorf("alarms %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	comp *Alarms
	tags pulumi.StringMap

	topicArn  pulumi.StringOutput
	healthArn pulumi.StringInput // nil without a health path
	chatArn   pulumi.StringInput // nil without chat channels
	deps      []pulumi.Resource
}

func (b *builder) child() pulumi.ResourceOption { return pulumi.Parent(b.comp) }

func (b *builder) topic() error {
	none := pulumi.String("").ToStringOutput()
	b.comp.HealthTopicArn, b.comp.HealthKeyArn = none, none
	if b.a.TopicARN != "" {
		b.topicArn = pulumi.String(b.a.TopicARN).ToStringOutput()
		b.comp.TopicArn = b.topicArn
		b.comp.KeyArn = none
		return nil
	}
	t, err := alerttopic.New(b.ctx, b.name, alerttopic.Args{
		Env:            b.env,
		DisplayName:    "rootwatch alerts",
		KeyDescription: "rootwatch: encrypts the SNS topic that carries root-user and CIS alarms",
		AliasName:      "alias/rootwatch/alarms/" + alerttopic.AliasPart(b.a.NamePrefix, "alerts"),
		Subscribers:    b.a.Subscribers(),
		KeyAdminARNs:   b.a.KeyAdminARNs,
		Tags:           b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.topicArn = t.Arn
	b.comp.TopicArn = t.Arn
	b.comp.KeyArn = t.KeyArn
	b.deps = t.Ready
	if !b.a.HealthPath() {
		return nil // nobody to reach on a second path either (Warnings says so)
	}
	// The health path: its own key, topic and policy, the same subscribers. Alarms about the
	// alert path itself go to both, so disabling the alert topic's key (what CIS 5.7 watches) or
	// breaking its policy cannot silence them.
	h, err := alerttopic.New(b.ctx, b.name+"-health", alerttopic.Args{
		Env:            b.env,
		DisplayName:    "rootwatch alert-path health",
		KeyDescription: "rootwatch: encrypts the SNS topic that says when the alert path itself breaks",
		AliasName:      "alias/rootwatch/alarms/" + alerttopic.AliasPart(b.a.NamePrefix, "health"),
		Subscribers:    b.a.Subscribers(),
		KeyAdminARNs:   b.a.KeyAdminARNs,
		Tags:           b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.healthArn = h.Arn
	b.comp.HealthTopicArn = h.Arn
	b.comp.HealthKeyArn = h.KeyArn
	b.deps = append(b.deps, h.Ready...)
	return nil
}

// pathActions are the alarm actions of an alarm about the alert path itself: the alert topic and,
// when there is one, the health topic (and the chat topic, when there are chat channels).
func (b *builder) pathActions() pulumi.Array {
	return b.withChat(metricalarm.PathActions(b.topicArn, b.healthArn))
}

// withChat adds the chat topic to alarm actions: Chatbot renders CloudWatch alarm notifications.
func (b *builder) withChat(actions pulumi.Array) pulumi.Array {
	if b.chatArn != nil {
		actions = append(actions, b.chatArn)
	}
	return actions
}

func (b *builder) alarms(controls []catalog.Control) error {
	arns := pulumi.StringMap{}
	names := pulumi.StringMap{}
	for _, c := range controls {
		metric := b.a.NamePrefix + c.MetricName
		patterns := c.Patterns()
		var filters []pulumi.Resource
		for i, p := range patterns {
			suffix := ""
			if i > 0 {
				suffix = fmt.Sprintf("-%d", i+1)
			}
			f, err := cloudwatch.NewLogMetricFilter(b.ctx, fmt.Sprintf("%s-%s-filter%s", b.name, c.ID, suffix), &cloudwatch.LogMetricFilterArgs{
				Name:         pulumi.String(metric + suffix),
				LogGroupName: b.a.LogGroupName,
				Pattern:      pulumi.String(p),
				MetricTransformation: cloudwatch.LogMetricFilterMetricTransformationArgs{
					Name:         pulumi.String(metric),
					Namespace:    pulumi.String(b.a.MetricNamespace),
					Value:        pulumi.String("1"),
					DefaultValue: pulumi.String("0"),
				},
			}, b.child())
			if err != nil {
				return err
			}
			filters = append(filters, f)
		}
		// MetricAlarmArgs types AlarmActions/OkActions as pulumi.ArrayInput (ARN strings).
		actions := b.withChat(pulumi.Array{b.topicArn})
		if c.AlertPath {
			actions = b.pathActions()
		}
		var ok pulumi.ArrayInput
		if b.a.OKActions {
			ok = actions
		}
		alarm, err := cloudwatch.NewMetricAlarm(b.ctx, fmt.Sprintf("%s-%s-alarm", b.name, c.ID), metricalarm.FirstEvent(cloudwatch.MetricAlarmArgs{
			Name:             pulumi.String(metric),
			AlarmDescription: pulumi.String(Runbook(c)),
			Namespace:        pulumi.String(b.a.MetricNamespace),
			MetricName:       pulumi.String(metric),
			OkActions:        ok,
			Tags:             b.tags,
		}, b.a.AlarmPeriodSeconds, actions), b.child(), pulumi.DependsOn(append(filters, b.deps...)))
		if err != nil {
			return err
		}
		arns[c.ID] = alarm.Arn
		names[c.ID] = alarm.Name
		b.comp.Controls = append(b.comp.Controls, c.ID)
	}
	b.comp.AlarmArns = arns.ToStringMapOutput()
	b.comp.AlarmNames = names.ToStringMapOutput()
	return nil
}
