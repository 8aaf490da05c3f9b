package alarms

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/chatbot"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// ChatRegions are the regions of the Amazon Q Developer in chat applications API, where the
// channel configurations are created; the topics they subscribe to may be in any region.
// https://docs.aws.amazon.com/chatbot/latest/APIReference/Welcome.html
// https://docs.aws.amazon.com/general/latest/gr/chatbot.html
var ChatRegions = []string{"us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"}

// DefaultChatRegion is where the configurations are created by default: the region of the
// Chatbot console.
const DefaultChatRegion = "us-east-2"

// ChatLoggingLevel is the configurations' logging level: delivery errors go to CloudWatch Logs
// (message contents are not logged, as INFO would).
const ChatLoggingLevel = "ERROR"

// Patterns of the Chatbot API (CreateSlackChannelConfiguration,
// CreateMicrosoftTeamsChannelConfiguration).
// https://docs.aws.amazon.com/chatbot/latest/APIReference/API_CreateSlackChannelConfiguration.html
// https://docs.aws.amazon.com/chatbot/latest/APIReference/API_CreateMicrosoftTeamsChannelConfiguration.html
var (
	slackTeamRe    = regexp.MustCompile(`^[0-9A-Z]{1,255}$`)
	slackChannelRe = regexp.MustCompile(`^[A-Za-z0-9]{1,255}$`)
	uuidRe         = regexp.MustCompile(`^[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$`)
	teamsChannelRe = regexp.MustCompile(`^[a-zA-Z0-9\-_=+/.,]*%3[aA][a-zA-Z0-9\-_=+/.,]*%40[a-zA-Z0-9\-_=+/.,]*$`)
)

// ChatEnabled says whether New makes the chat route: at least one Slack or Teams channel.
func (a *Args) ChatEnabled() bool { return len(a.SlackChannels)+len(a.TeamsChannels) > 0 }

func (a *Args) validateChat(es *validate.Errors) {
	if a.ChatRegion != "" || a.ChatEnabled() {
		validate.OneOf(es, "ChatRegion", a.chatRegion(), ChatRegions)
	}
	seen := map[string]bool{}
	for i, c := range a.SlackChannels {
		f := fmt.Sprintf("SlackChannels[%d]", i)
		switch {
		case !slackTeamRe.MatchString(c.WorkspaceID):
			es.Add(f, c.String(), fmt.Sprintf("has workspace id %q, not a Slack workspace id", c.WorkspaceID),
				"WORKSPACE_ID/CHANNEL_ID such as T07EA123LEP/C07EZ1ABC23: the workspace id (capital letters and "+
					"digits) as the Chatbot console shows it after the workspace is authorized")
		case !slackChannelRe.MatchString(c.ChannelID):
			es.Add(f, c.String(), fmt.Sprintf("has channel id %q, not a Slack channel id", c.ChannelID),
				"WORKSPACE_ID/CHANNEL_ID such as T07EA123LEP/C07EZ1ABC23: the channel id is the end of the channel's "+
					"link (letters and digits)")
		case seen["slack "+c.String()]:
			es.Add(f, c.String(), "is listed twice", "each channel once")
		}
		seen["slack "+c.String()] = true
	}
	for i, c := range a.TeamsChannels {
		f := fmt.Sprintf("TeamsChannels[%d]", i)
		switch {
		case !uuidRe.MatchString(c.TenantID) || !uuidRe.MatchString(c.TeamID):
			es.Add(f, c.String(), "does not start with a tenant id and a team id (UUIDs)",
				"TENANT_ID/TEAM_ID/CHANNEL_ID, the tenantId and groupId of the channel's link and its "+
					"URL-encoded channel id")
		case strings.ContainsAny(c.ChannelID, ":@"):
			es.Add(f, c.String(), "has a channel id that is not URL-encoded",
				"the channel id as it appears in the channel's link, with ':' as %3a and '@' as %40 "+
					"(19%3a...%40thread.tacv2)")
		case len(c.ChannelID) > 255 || !teamsChannelRe.MatchString(c.ChannelID):
			es.Add(f, c.String(), "has a channel id that is not a Microsoft Teams channel id",
				"the URL-encoded channel id of the channel's link, such as "+
					"19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2")
		case seen["teams "+c.String()]:
			es.Add(f, c.String(), "is listed twice", "each channel once")
		}
		seen["teams "+c.String()] = true
	}
}

func (a *Args) chatRegion() string {
	if a.ChatRegion == "" {
		return DefaultChatRegion
	}
	return a.ChatRegion
}

var configNameUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// chatInPartition reports chat channels in a partition that has no Amazon Q Developer in chat
// applications (it is offered in the aws partition only).
func (a *Args) chatInPartition(env awsenv.Env) validate.Errors {
	var es validate.Errors
	if a.ChatEnabled() && env.Partition != "aws" {
		field, value := "SlackChannels", fmt.Sprint(a.SlackChannels)
		if len(a.SlackChannels) == 0 {
			field, value = "TeamsChannels", fmt.Sprint(a.TeamsChannels)
		}
		es.Add(field, value,
			"needs Amazon Q Developer in chat applications, which partition "+env.Partition+" does not offer",
			"no chat channels in "+env.Partition+"; use e-mail, HTTPS or SQS subscribers")
	}
	return es
}

// chatConfigName is a configuration name: letters, digits, "-" and "_", at most 128.
func chatConfigName(prefix, kind string, i int) string {
	n := configNameUnsafe.ReplaceAllString(prefix, "-") + fmt.Sprintf("%s-%d", kind, i)
	if len(n) > 128 {
		n = n[len(n)-128:]
	}
	return n
}

// chat makes the chat route: its own encrypted topic (which the alarms, the heartbeat and the
// notify rules also notify, the rules and the heartbeat with custom notifications), the channel
// role and guardrail, and one channel configuration per channel, created through a provider in
// a region of the Chatbot API.
func (b *builder) chat() error {
	b.comp.ChatTopicArn = pulumi.String("").ToStringOutput()
	if !b.a.ChatEnabled() {
		return nil
	}
	t, err := alerttopic.New(b.ctx, b.name+"-chat", alerttopic.Args{
		Env:            b.env,
		DisplayName:    "rootwatch chat",
		KeyDescription: "rootwatch: encrypts the SNS topic that carries root-user alerts to chat channels",
		AliasName:      "alias/rootwatch/alarms/" + alerttopic.AliasPart(b.a.NamePrefix, "chat"),
		KeyAdminARNs:   b.a.KeyAdminARNs,
		Tags:           b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	b.chatArn = t.Arn
	b.comp.ChatTopicArn = t.Arn
	b.deps = append(b.deps, t.Ready...)
	trust, err := policy.ChatbotTrust(b.env).JSON()
	if err != nil {
		return err
	}
	notifications, err := policy.ChatbotNotifications().JSON()
	if err != nil {
		return err
	}
	role, err := iam.NewRole(b.ctx, b.name+"-chat-role", &iam.RoleArgs{
		Description: pulumi.String(
			"rootwatch: the channel role of Amazon Q Developer in chat applications for the root-user alert " +
				"channels; notifications only",
		),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	rp, err := iam.NewRolePolicy(b.ctx, b.name+"-chat-notifications", &iam.RolePolicyArgs{
		Role:   role.ID(),
		Name:   pulumi.String("notifications-only"),
		Policy: pulumi.String(notifications),
	}, b.child())
	if err != nil {
		return err
	}
	guardrail, err := iam.NewPolicy(b.ctx, b.name+"-chat-guardrail", &iam.PolicyArgs{
		Description: pulumi.String("rootwatch: channel guardrail of the root-user alert channels: notifications only"),
		Policy:      pulumi.String(notifications),
		Tags:        b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	region := b.a.chatRegion()
	prov, err := awsenv.RegionalProvider(b.ctx, b.name+"-chat-"+region, region, b.a.ChatProvider, b.env, b.child())
	if err != nil {
		return err
	}
	topics := pulumi.StringArray{t.Arn}
	guardrails := pulumi.StringArray{guardrail.Arn}
	opts := []pulumi.ResourceOption{
		b.child(),
		pulumi.Provider(prov),
		pulumi.DependsOn(append([]pulumi.Resource{rp}, t.Ready...)),
	}
	for i, c := range b.a.SlackChannels {
		if _, err := chatbot.NewSlackChannelConfiguration(b.ctx, fmt.Sprintf("%s-slack-%d", b.name, i),
			&chatbot.SlackChannelConfigurationArgs{
				ConfigurationName:   pulumi.String(chatConfigName(b.a.NamePrefix, "slack", i)),
				IamRoleArn:          role.Arn,
				SlackTeamId:         pulumi.String(c.WorkspaceID),
				SlackChannelId:      pulumi.String(c.ChannelID),
				SnsTopicArns:        topics,
				GuardrailPolicyArns: guardrails,
				LoggingLevel:        pulumi.String(ChatLoggingLevel),
				Tags:                b.tags,
			}, opts...); err != nil {
			return err
		}
	}
	for i, c := range b.a.TeamsChannels {
		if _, err := chatbot.NewTeamsChannelConfiguration(b.ctx, fmt.Sprintf("%s-teams-%d", b.name, i),
			&chatbot.TeamsChannelConfigurationArgs{
				ConfigurationName:   pulumi.String(chatConfigName(b.a.NamePrefix, "teams", i)),
				IamRoleArn:          role.Arn,
				TenantId:            pulumi.String(c.TenantID),
				TeamId:              pulumi.String(c.TeamID),
				ChannelId:           pulumi.String(c.ChannelID),
				SnsTopicArns:        topics,
				GuardrailPolicyArns: guardrails,
				LoggingLevel:        pulumi.String(ChatLoggingLevel),
				Tags:                b.tags,
			}, opts...); err != nil {
			return err
		}
	}
	return nil
}
