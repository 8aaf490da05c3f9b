package alarms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
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
		es.Add("AlarmPeriodSeconds", p,
			"is a high-resolution period, but metric-filter metrics have one data point a minute: the alarms would "+
				"lapse into INSUFFICIENT_DATA (and high-resolution alarms cost more)", AllowedPeriodsRule)
	case p <= 0 || p%60 != 0:
		es.Add("AlarmPeriodSeconds", p, "is not a period CloudWatch alarms accept on one-minute metrics",
			AllowedPeriodsRule)
	case p > MaxAlarmPeriodSeconds:
		es.Add("AlarmPeriodSeconds", p,
			"is longer than CloudWatch lets an alarm evaluate (period × 1 evaluation period at most seven days)",
			AllowedPeriodsRule)
	}
	if !namespaceRe.MatchString(d.MetricNamespace) || strings.HasPrefix(d.MetricNamespace, "AWS/") {
		es.Add("MetricNamespace", d.MetricNamespace, "is not a usable CloudWatch namespace",
			"1 to 255 characters without ':', '*', '$', not starting with \"AWS/\"")
	}
	if !prefixRe.MatchString(d.NamePrefix) {
		es.Add("NamePrefix", d.NamePrefix, "is not a usable name prefix",
			"up to 64 characters from a-z A-Z 0-9 . _ - / #")
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
		awsenv.CheckARN(&es, fmt.Sprintf("SQSQueueARNs[%d]", i), q, "sqs",
			"arn:aws:sqs:us-east-1:111122223333:security-alerts")
	}
	if d.TopicARN != "" {
		awsenv.CheckARN(&es, "TopicARN", d.TopicARN, "sns", "arn:aws:sns:us-east-1:111122223333:security-alerts")
		if n := len(d.Emails) + len(d.HTTPSEndpoints) + len(d.SQSQueueARNs); n > 0 {
			es.Add("TopicARN", d.TopicARN,
				fmt.Sprintf("is set together with %d subscriptions; rootwatch subscribes only to a topic it "+
					"creates", n),
				"TopicARN alone, or subscriptions without TopicARN")
		}
	}
	for i, arn := range d.KeyAdminARNs {
		awsenv.CheckARN(&es, fmt.Sprintf("KeyAdminARNs[%d]", i), arn, "iam",
			"arn:aws:iam::111122223333:role/SecurityAdmin")
	}
	if h := *d.HeartbeatDays; h < 0 || h > MaxHeartbeatDays {
		es.Add("HeartbeatDays", h, "is not a heartbeat interval",
			fmt.Sprintf("a whole number of days from 1 to %d, or 0 for no heartbeat", MaxHeartbeatDays))
	}
	d.validateChat(&es)
	validate.Tags(&es, "Tags", d.Tags)
	return es.Err("alarms: invalid args")
}

// Warnings returns what a user should hear about valid args: today only that nobody is notified.
// CIS and Security Hub (CloudWatch.1-14) fail an alarm whose topic has no subscriber.
func (a *Args) Warnings() []string {
	if a.TopicARN == "" && len(a.Emails)+len(a.HTTPSEndpoints)+len(a.SQSQueueARNs) == 0 && !a.ChatEnabled() {
		return []string{"alarms: no subscriber is configured (alert e-mails, HTTPS endpoints, SQS queues or chat " +
			"channels), so nobody will be notified when the root user is used; CIS and Security Hub CloudWatch.1-14 " +
			"treat an alarm without a subscriber as failing"}
	}
	if a.TopicARN != "" {
		return []string{"alarms: with an existing topic (TopicARN) rootwatch makes no health topic, so alarms about " +
			"the alert path itself (its key disabled, a rule failing to deliver) go through that one topic alone; " +
			"give it subscribers who would notice the weekly heartbeat stop"}
	}
	return nil
}

// SlackChannel is a Slack channel that receives the alerts through Amazon Q Developer in chat
// applications (formerly AWS Chatbot). Its workspace must have been authorized once in the
// Chatbot console (Configure new client > Slack): the API cannot do that step.
type SlackChannel struct {
	// WorkspaceID is the Slack workspace (team) id, e.g. T07EA123LEP, shown in the Chatbot console
	// once the workspace is authorized.
	WorkspaceID string
	// ChannelID is the channel id, e.g. C07EZ1ABC23: the end of the channel's link (Copy link).
	// Invite the app to a private channel with /invite @Amazon Q.
	ChannelID string
}

func (c SlackChannel) String() string { return c.WorkspaceID + "/" + c.ChannelID }

// TeamsChannel is a Microsoft Teams channel that receives the alerts through Amazon Q Developer in
// chat applications. Its team must have been authorized once in the Chatbot console (Configure new
// client > Microsoft Teams), with the channel's link.
type TeamsChannel struct {
	// TenantID and TeamID are the Microsoft Entra tenant and the team (UUIDs, in the channel link's
	// tenantId and groupId parameters, and in the Chatbot console).
	TenantID string
	TeamID   string
	// ChannelID is the URL-encoded channel id of the channel's link, e.g.
	// 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2.
	ChannelID string
}

func (c TeamsChannel) String() string { return c.TenantID + "/" + c.TeamID + "/" + c.ChannelID }

// Preflight checks, with invokes and before anything is registered, what Validate cannot: that
// chat channels are in a partition that offers them. The program calls it with the rest of its
// configuration checks; New makes the same check before its first child.
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil || !args.ChatEnabled() {
		return nil
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	return args.chatInPartition(env).Err("alarms: invalid args")
}
