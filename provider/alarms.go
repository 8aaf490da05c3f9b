package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/catalog"
)

// alarmsComponent is rootwatch:alarms:Alarms as the package serves it: the types below, and the
// descriptions of the outputs of the Go component (alarms.Alarms).
var alarmsComponent = servedComponent{
	inferred: infer.Component[*Alarms](&Alarms{}),
	token:    alarms.TypeToken,
	types: map[string]reflect.Type{
		alarms.TypeToken:                reflect.TypeFor[AlarmsArgs](),
		"rootwatch:alarms:SlackChannel": reflect.TypeFor[SlackChannel](),
		"rootwatch:alarms:TeamsChannel": reflect.TypeFor[TeamsChannel](),
	},
	outputs: map[string]string{
		"topicArn": "The alert topic: pass it to Notify's and Posture's topicArn.",
		"keyArn":   "The alert topic's key (\"\" when topicArn was given).",
		"healthTopicArn": "The health topic, the second, independent path for alarms about the alert path itself " +
			"(\"\" when topicArn was given or nobody is subscribed): pass it to Notify's health.topicArn and " +
			"Posture's healthTopicArn.",
		"healthKeyArn":     "The health topic's key (\"\" with no health topic).",
		"chatTopicArn":     "The chat channels' topic (\"\" without chat channels): pass it to Notify's chatTopicArn.",
		"heartbeatRuleArn": "The heartbeat's scheduled rule (\"\" when heartbeatDays is 0).",
		"alarmArns":        "Each deployed control id, mapped to its alarm's ARN.",
		"alarmNames":       "Each deployed control id, mapped to its alarm's name.",
		"metricNamespace":  "The namespace of the filters' metrics.",
	},
}

// Alarms serves rootwatch:alarms:Alarms.
type Alarms struct{}

// Annotate sets the token and the description.
func (r *Alarms) Annotate(a infer.Annotator) {
	a.SetToken("alarms", "Alarms")
	a.Describe(r, "Metric filters and alarms for root usage and the rest of the CIS monitoring set (patterns "+
		"Security Hub and Prowler accept), the SNS topic they notify (customer managed KMS key whose policy lets "+
		"CloudWatch and EventBridge use it), a second health topic for alarms about the alert path itself, a "+
		"scheduled heartbeat, and optional Slack and Microsoft Teams channels. Every argument is checked before "+
		"anything is created.")
}

// AlarmsArgs are alarms.Args.
type AlarmsArgs struct {
	LogGroupName       pulumi.StringInput      `pulumi:"logGroupName"`
	Controls           []string                `pulumi:"controls,optional"`
	Emails             []string                `pulumi:"emails,optional"`
	HTTPSEndpoints     []string                `pulumi:"httpsEndpoints,optional"`
	SQSQueueARNs       []string                `pulumi:"sqsQueueArns,optional"`
	TopicARN           string                  `pulumi:"topicArn,optional"`
	AlarmPeriodSeconds int                     `pulumi:"alarmPeriodSeconds,optional"`
	MetricNamespace    string                  `pulumi:"metricNamespace,optional"`
	NamePrefix         string                  `pulumi:"namePrefix,optional"`
	OKActions          bool                    `pulumi:"okActions,optional"`
	KeyAdminARNs       []string                `pulumi:"keyAdminArns,optional"`
	Tags               map[string]string       `pulumi:"tags,optional"`
	HeartbeatDays      *int                    `pulumi:"heartbeatDays,optional"`
	SlackChannels      []SlackChannel          `pulumi:"slackChannels,optional"`
	TeamsChannels      []TeamsChannel          `pulumi:"teamsChannels,optional"`
	ChatRegion         string                  `pulumi:"chatRegion,optional"`
	ChatProfile        string                  `pulumi:"chatProviderProfile,optional"`
	HeartbeatNotes     pulumi.StringArrayInput `pulumi:"heartbeatNotes,optional"`
}

// Annotate describes the inputs.
func (a *AlarmsArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.LogGroupName, "The CloudWatch Logs group the trail delivers to (required), such as a "+
		"Trail's logGroupName.")
	an.Describe(
		&a.Controls,
		"CIS monitoring controls to deploy. Default (empty): all. Allowed: "+catalog.Allowed()+
			". Root usage (CIS 5.3, CloudWatch.1) is always deployed.",
	)
	an.Describe(&a.Emails, "E-mail addresses subscribed to the topic; each must confirm. Addresses at domains "+
		"reserved for examples (example.com, .test, ...) are refused: they reach nobody.")
	an.Describe(&a.HTTPSEndpoints, "HTTPS endpoints subscribed to the topic; each must confirm. Stored in plain "+
		"text, as SNS shows them: use an endpoint that carries no credential.")
	an.Describe(&a.SQSQueueARNs, "SQS queue ARNs subscribed to the topic; each queue's policy (and key, if any) must "+
		"let the topic send.")
	an.Describe(&a.TopicARN, "Send the alarms to this existing SNS topic instead of creating one; its policy and key "+
		"must let CloudWatch publish. Subscriptions must then be empty.")
	an.Describe(
		&a.AlarmPeriodSeconds,
		fmt.Sprintf(
			"The alarms' period: %s. Default: %d.",
			alarms.AllowedPeriodsRule,
			alarms.DefaultAlarmPeriodSeconds,
		),
	)
	an.Describe(&a.MetricNamespace, "CloudWatch namespace of the filters' metrics: 1 to 255 characters without ':', "+
		"'*', '$', not starting with \"AWS/\". Default: "+alarms.DefaultMetricNamespace+".")
	an.Describe(&a.NamePrefix, "Starts every metric, filter and alarm name, so two stacks in one account never "+
		"collide (e.g. \"rootwatch-prod-\"): up to 64 characters from a-z A-Z 0-9 . _ - / #. Default: none.")
	an.Describe(&a.OKActions, "Also notify the topic when an alarm returns to OK. Default: false.")
	an.Describe(&a.KeyAdminARNs, "IAM principals (ARNs) that administer the topic keys. Default: the account, "+
		"through its IAM policies.")
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 "+
		"characters, no \"aws:\" prefix.")
	an.Describe(&a.HeartbeatDays, fmt.Sprintf("Days between heartbeat messages through the topic, saying the path "+
		"works and what is watched: 1 to %d, or 0 for none. Default: %d.",
		alarms.MaxHeartbeatDays, alarms.DefaultHeartbeatDays))
	an.Describe(&a.SlackChannels, "Slack channels that receive the alarms, the heartbeat and (through Notify's "+
		"chatTopicArn) the root-activity notifications, through Amazon Q Developer in chat applications. Authorize "+
		"each workspace once in the Chatbot console first. aws partition only.")
	an.Describe(&a.TeamsChannels, "Microsoft Teams channels that receive the same. Authorize each team once in the "+
		"Chatbot console first. aws partition only.")
	an.Describe(&a.ChatRegion, "Region of the Amazon Q Developer in chat applications API where the channel "+
		"configurations are created: "+strings.Join(alarms.ChatRegions, ", ")+". Default: "+alarms.DefaultChatRegion+
		". The topics stay in the stack's region.")
	an.Describe(&a.ChatProfile, "AWS profile of the chat region's explicit provider (it reads none of the stack's "+
		"aws: settings). Default: the environment's default credentials. Other provider settings (assume-role, ...) "+
		"are Go-only (alarms.Args.ChatProvider).")
	an.Describe(&a.HeartbeatNotes, "Further lines of the heartbeat message, e.g. where the trail's log files are.")
}

// SlackChannel is alarms.SlackChannel.
type SlackChannel struct {
	WorkspaceID string `pulumi:"workspaceId"`
	ChannelID   string `pulumi:"channelId"`
}

// Annotate sets the type's token and describes its fields.
func (c *SlackChannel) Annotate(a infer.Annotator) {
	a.SetToken("alarms", "SlackChannel")
	a.Describe(c, "A Slack channel whose workspace was authorized once in the Chatbot console.")
	a.Describe(&c.WorkspaceID, "The Slack workspace (team) id, such as T07EA123LEP: capital letters and digits.")
	a.Describe(&c.ChannelID, "The channel id, such as C07EZ1ABC23: the end of the channel's link. Invite the app to "+
		"a private channel with /invite @Amazon Q.")
}

// TeamsChannel is alarms.TeamsChannel.
type TeamsChannel struct {
	TenantID  string `pulumi:"tenantId"`
	TeamID    string `pulumi:"teamId"`
	ChannelID string `pulumi:"channelId"`
}

// Annotate sets the type's token and describes its fields.
func (c *TeamsChannel) Annotate(a infer.Annotator) {
	a.SetToken("alarms", "TeamsChannel")
	a.Describe(c, "A Microsoft Teams channel whose team was authorized once in the Chatbot console.")
	a.Describe(&c.TenantID, "The Microsoft Entra tenant id (a UUID): the tenantId of the channel's link.")
	a.Describe(&c.TeamID, "The team id (a UUID): the groupId of the channel's link.")
	a.Describe(&c.ChannelID, "The URL-encoded channel id of the channel's link, such as "+
		"19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2.")
}

func (a AlarmsArgs) goArgs() *alarms.Args {
	args := &alarms.Args{
		LogGroupName: a.LogGroupName, Controls: a.Controls, Emails: a.Emails,
		HTTPSEndpoints: a.HTTPSEndpoints, SQSQueueARNs: a.SQSQueueARNs, TopicARN: a.TopicARN,
		AlarmPeriodSeconds: a.AlarmPeriodSeconds, MetricNamespace: a.MetricNamespace,
		NamePrefix: a.NamePrefix, OKActions: a.OKActions, KeyAdminARNs: a.KeyAdminARNs, Tags: a.Tags,
		HeartbeatDays: a.HeartbeatDays, ChatRegion: a.ChatRegion, ChatProvider: profileProvider(a.ChatProfile),
		HeartbeatNotes: a.HeartbeatNotes,
	}
	for _, c := range a.SlackChannels {
		args.SlackChannels = append(args.SlackChannels, alarms.SlackChannel{
			WorkspaceID: c.WorkspaceID, ChannelID: c.ChannelID,
		})
	}
	for _, c := range a.TeamsChannels {
		args.TeamsChannels = append(args.TeamsChannels, alarms.TeamsChannel{
			TenantID: c.TenantID, TeamID: c.TeamID, ChannelID: c.ChannelID,
		})
	}
	return args
}

// Construct calls alarms.New.
func (*Alarms) Construct(
	ctx *pulumi.Context, name, _ string, args AlarmsArgs, opts pulumi.ResourceOption,
) (*alarms.Alarms, error) {
	return alarms.New(ctx, name, args.goArgs(), opts)
}
