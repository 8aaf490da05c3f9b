package main

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// Each component is served by a Construct that converts the package's inputs into the Go Args and
// calls the Go New: the resources, their names and every check are the Go component's. Plain Go
// values in Args (what decides which resources exist) are plain inputs here; pulumi.*Input fields
// accept outputs of other resources.

// Trail serves rootwatch:trail:Trail.
type Trail struct{}

// Annotate sets the token and the description.
func (r *Trail) Annotate(a infer.Annotator) {
	a.SetToken("trail", "Trail")
	a.Describe(r, "A CloudTrail trail in every region with log file validation, its log files encrypted with a customer managed KMS key in a hardened S3 bucket (with an access-log bucket) and delivered to a CloudWatch Logs group. Evidence (buckets, key, log group) is retained when removed from the stack unless forceDestroy is set. Every argument is checked before anything is created.")
}

// TrailArgs are trail.Args.
type TrailArgs struct {
	TrailName             string            `pulumi:"trailName"`
	S3KeyPrefix           string            `pulumi:"s3KeyPrefix,optional"`
	LogGroupName          string            `pulumi:"logGroupName,optional"`
	LogRetentionDays      int               `pulumi:"logRetentionDays,optional"`
	Lifecycle             *Lifecycle        `pulumi:"lifecycle,optional"`
	OrganizationTrail     bool              `pulumi:"organizationTrail,optional"`
	OrganizationID        string            `pulumi:"organizationId,optional"`
	ForceDestroy          bool              `pulumi:"forceDestroy,optional"`
	DeliveryNotifications bool              `pulumi:"deliveryNotifications,optional"`
	KeyAdminARNs          []string          `pulumi:"keyAdminArns,optional"`
	ExistingKeyARN        string            `pulumi:"existingKeyArn,optional"`
	ExistingBucketName    string            `pulumi:"existingBucketName,optional"`
	Tags                  map[string]string `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *TrailArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.TrailName, "The trail's name (required): "+validate.TrailNameRule+". The key, bucket and role policies name the trail's ARN before it exists, so it is not auto-named.")
	an.Describe(&a.S3KeyPrefix, "The console's \"folder\": log files go to <prefix>/AWSLogs/... Up to 200 characters from a-z A-Z 0-9 ! _ . * ' ( ) - /, with no leading, trailing or doubled \"/\". Default: none.")
	an.Describe(&a.LogGroupName, "The CloudWatch Logs group receiving the trail. Default: /aws/cloudtrail/<trailName>.")
	an.Describe(&a.LogRetentionDays, fmt.Sprintf("Retention of the log group in days, one of %s. Default: %d.", validate.JoinInts(validate.CloudWatchRetentionDays), trail.DefaultLogRetentionDays))
	an.Describe(&a.Lifecycle, "How long log files stay where, in the trail bucket and its access-log bucket. Default (unset): every log file kept forever, those of 128 KB or more moved to GLACIER_IR after 90 days, deleted versions kept 365 days. When set, a field left out is 0: that step is off.")
	an.Describe(&a.OrganizationTrail, "Make an organization trail (deploy from the organization's management account, or from CloudTrail's delegated administrator: the management account owns the trail either way); organizationId is then required. Default: false.")
	an.Describe(&a.OrganizationID, "The AWS Organizations id (o- followed by 10 to 32 lowercase letters or digits); required with organizationTrail, refused without it.")
	an.Describe(&a.ForceDestroy, "Let `pulumi destroy` delete the buckets with their log files and the log group, and schedule the key's deletion. Default: false, and they are retained when removed from the stack.")
	an.Describe(&a.DeliveryNotifications, "Create an SNS topic (encrypted with the trail key) that CloudTrail notifies on each log file delivery. Default: false.")
	an.Describe(&a.KeyAdminARNs, "IAM principals (ARNs) that administer the trail key. Default: the account, through its IAM policies. When set, include the deploying identity (its role, for an assumed role) or the account root, or KMS refuses the key policy.")
	an.Describe(&a.ExistingKeyARN, "Bring a KMS key (a key ARN, not an alias) instead of creating one; its owner applies the requiredKeyPolicy output.")
	an.Describe(&a.ExistingBucketName, "Bring the log bucket (a log-archive account's) instead of creating one; needs existingKeyArn, and its owner applies the requiredBucketPolicy output.")
	an.Describe(&a.Tags, "Tags on every taggable resource (not on an organization trail deployed from CloudTrail's delegated administrator: the management account owns it): at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" prefix.")
}

// Lifecycle is trail.Lifecycle.
type Lifecycle struct {
	ArchiveAfterDays          int    `pulumi:"archiveAfterDays,optional"`
	ArchiveStorageClass       string `pulumi:"archiveStorageClass,optional"`
	ExpireAfterDays           int    `pulumi:"expireAfterDays,optional"`
	NoncurrentExpireAfterDays int    `pulumi:"noncurrentExpireAfterDays,optional"`
}

// Annotate sets the type's token and describes its fields.
func (l *Lifecycle) Annotate(a infer.Annotator) {
	a.SetToken("trail", "Lifecycle")
	a.Describe(l, "Lifecycle of the trail's log buckets. Zero turns a step off.")
	a.Describe(&l.ArchiveAfterDays, "Move log files of 128 KB or more to archiveStorageClass after this many days (0: never). Smaller files stay in S3 Standard, where they cost less.")
	a.Describe(&l.ArchiveStorageClass, "The storage class log files move to: "+strings.Join(trail.ArchiveStorageClasses, ", ")+". Required when archiveAfterDays is set; STANDARD_IA needs archiveAfterDays of 30 or more.")
	a.Describe(&l.ExpireAfterDays, "Delete log files this many days after they were written (0: never); must be after archiveAfterDays.")
	a.Describe(&l.NoncurrentExpireAfterDays, "Delete overwritten or deleted versions this many days after they stopped being current (0: never).")
}

func (a TrailArgs) goArgs() *trail.Args {
	args := &trail.Args{
		TrailName: a.TrailName, S3KeyPrefix: a.S3KeyPrefix, LogGroupName: a.LogGroupName,
		LogRetentionDays: a.LogRetentionDays, OrganizationTrail: a.OrganizationTrail,
		OrganizationID: a.OrganizationID, ForceDestroy: a.ForceDestroy,
		DeliveryNotifications: a.DeliveryNotifications, KeyAdminARNs: a.KeyAdminARNs,
		ExistingKeyARN: a.ExistingKeyARN, ExistingBucketName: a.ExistingBucketName, Tags: a.Tags,
	}
	if l := a.Lifecycle; l != nil {
		args.Lifecycle = &trail.Lifecycle{
			ArchiveAfterDays: l.ArchiveAfterDays, ArchiveStorageClass: l.ArchiveStorageClass,
			ExpireAfterDays: l.ExpireAfterDays, NoncurrentExpireAfterDays: l.NoncurrentExpireAfterDays,
		}
	}
	return args
}

// Construct calls trail.New.
func (*Trail) Construct(ctx *pulumi.Context, name, _ string, args TrailArgs, opts pulumi.ResourceOption) (*trail.Trail, error) {
	return trail.New(ctx, name, args.goArgs(), opts)
}

// Alarms serves rootwatch:alarms:Alarms.
type Alarms struct{}

// Annotate sets the token and the description.
func (r *Alarms) Annotate(a infer.Annotator) {
	a.SetToken("alarms", "Alarms")
	a.Describe(r, "Metric filters and alarms for root usage and the rest of the CIS monitoring set (patterns Security Hub and Prowler accept), the SNS topic they notify (customer managed KMS key whose policy lets CloudWatch and EventBridge use it), a second health topic for alarms about the alert path itself, a scheduled heartbeat, and optional Slack and Microsoft Teams channels. Every argument is checked before anything is created.")
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
	an.Describe(&a.LogGroupName, "The CloudWatch Logs group the trail delivers to (required), such as a Trail's logGroupName.")
	an.Describe(&a.Controls, "CIS monitoring controls to deploy. Default (empty): all. Allowed: "+catalog.Allowed()+". Root usage (CIS 5.3, CloudWatch.1) is always deployed.")
	an.Describe(&a.Emails, "E-mail addresses subscribed to the topic; each must confirm. Addresses at domains reserved for examples (example.com, .test, ...) are refused: they reach nobody.")
	an.Describe(&a.HTTPSEndpoints, "HTTPS endpoints subscribed to the topic; each must confirm. Stored in plain text, as SNS shows them: use an endpoint that carries no credential.")
	an.Describe(&a.SQSQueueARNs, "SQS queue ARNs subscribed to the topic; each queue's policy (and key, if any) must let the topic send.")
	an.Describe(&a.TopicARN, "Send the alarms to this existing SNS topic instead of creating one; its policy and key must let CloudWatch publish. Subscriptions must then be empty.")
	an.Describe(&a.AlarmPeriodSeconds, fmt.Sprintf("The alarms' period: %s. Default: %d.", alarms.AllowedPeriodsRule, alarms.DefaultAlarmPeriodSeconds))
	an.Describe(&a.MetricNamespace, "CloudWatch namespace of the filters' metrics: 1 to 255 characters without ':', '*', '$', not starting with \"AWS/\". Default: "+alarms.DefaultMetricNamespace+".")
	an.Describe(&a.NamePrefix, "Starts every metric, filter and alarm name, so two stacks in one account never collide (e.g. \"rootwatch-prod-\"): up to 64 characters from a-z A-Z 0-9 . _ - / #. Default: none.")
	an.Describe(&a.OKActions, "Also notify the topic when an alarm returns to OK. Default: false.")
	an.Describe(&a.KeyAdminARNs, "IAM principals (ARNs) that administer the topic keys. Default: the account, through its IAM policies.")
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" prefix.")
	an.Describe(&a.HeartbeatDays, fmt.Sprintf("Days between heartbeat messages through the topic, saying the path works and what is watched: 1 to %d, or 0 for none. Default: %d.", alarms.MaxHeartbeatDays, alarms.DefaultHeartbeatDays))
	an.Describe(&a.SlackChannels, "Slack channels that receive the alarms, the heartbeat and (through Notify's chatTopicArn) the root-activity notifications, through Amazon Q Developer in chat applications. Authorize each workspace once in the Chatbot console first. aws partition only.")
	an.Describe(&a.TeamsChannels, "Microsoft Teams channels that receive the same. Authorize each team once in the Chatbot console first. aws partition only.")
	an.Describe(&a.ChatRegion, "Region of the Amazon Q Developer in chat applications API where the channel configurations are created: "+strings.Join(alarms.ChatRegions, ", ")+". Default: "+alarms.DefaultChatRegion+". The topics stay in the stack's region.")
	an.Describe(&a.ChatProfile, "AWS profile of the chat region's explicit provider (it reads none of the stack's aws: settings). Default: the environment's default credentials. Other provider settings (assume-role, ...) are Go-only (alarms.Args.ChatProvider).")
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
	a.Describe(&c.ChannelID, "The channel id, such as C07EZ1ABC23: the end of the channel's link. Invite the app to a private channel with /invite @Amazon Q.")
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
	a.Describe(&c.ChannelID, "The URL-encoded channel id of the channel's link, such as 19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2.")
}

func profileProvider(profile string) *aws.ProviderArgs {
	if profile == "" {
		return nil
	}
	return &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
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
		args.SlackChannels = append(args.SlackChannels, alarms.SlackChannel{WorkspaceID: c.WorkspaceID, ChannelID: c.ChannelID})
	}
	for _, c := range a.TeamsChannels {
		args.TeamsChannels = append(args.TeamsChannels, alarms.TeamsChannel{TenantID: c.TenantID, TeamID: c.TeamID, ChannelID: c.ChannelID})
	}
	return args
}

// Construct calls alarms.New.
func (*Alarms) Construct(ctx *pulumi.Context, name, _ string, args AlarmsArgs, opts pulumi.ResourceOption) (*alarms.Alarms, error) {
	return alarms.New(ctx, name, args.goArgs(), opts)
}

// Notify serves rootwatch:notify:Notify.
type Notify struct{}

// Annotate sets the token and the description.
func (r *Notify) Annotate(a infer.Annotator) {
	a.SetToken("notify", "Notify")
	a.Describe(r, "EventBridge rules that send a readable message to the alert topic within about a minute of every root sign-in, root API call (naming the credential) and sts:AssumeRoot session, forwarding rules from the other watched regions (us-east-1 always, in the aws partition), a FailedInvocations alarm on each rule, and optionally the same for every member account of the organization (a central event bus and a service-managed StackSet).")
}

// NotifyArgs are notify.Args.
type NotifyArgs struct {
	TopicARN      pulumi.StringInput `pulumi:"topicArn"`
	Regions       []string           `pulumi:"regions,optional"`
	NamePrefix    string             `pulumi:"namePrefix,optional"`
	Tags          map[string]string  `pulumi:"tags,optional"`
	RegionProfile string             `pulumi:"regionProviderProfile,optional"`
	ChatTopicARN  pulumi.StringInput `pulumi:"chatTopicArn,optional"`
	Health        *Health            `pulumi:"health,optional"`
	Members       *Members           `pulumi:"members,optional"`
}

// Annotate describes the inputs.
func (a *NotifyArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.TopicARN, "The SNS topic the rules and alarms notify (required), such as an Alarms' topicArn. It must be in the home region (the region of the provider the component deploys with) and let this account's EventBridge rules and CloudWatch alarms publish, as the Alarms topic does.")
	an.Describe(&a.Regions, "Further regions whose root activity is forwarded to the home region (one rule, role and explicit provider each). In the aws partition us-east-1, where root console sign-ins and IAM calls arrive, is always added; the home region and duplicates are ignored. Each must be a region of the stack's partition.")
	an.Describe(&a.NamePrefix, "Starts every rule, role and alarm name (e.g. \"rootwatch-prod-\"): "+validate.NamePrefixRule+". Default: none.")
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" prefix.")
	an.Describe(&a.RegionProfile, "AWS profile of the forwarding regions' explicit providers (they read none of the stack's aws: settings). Default: the environment's default credentials. Other provider settings (assume-role, default tags, ...) are Go-only (notify.Args.RegionProvider).")
	an.Describe(&a.ChatTopicARN, "The chat channels' topic (an Alarms' chatTopicArn): each rule also sends its message there as a custom notification that chat renders.")
	an.Describe(&a.Health, "The second, independent path for the alarms on the rules' failed deliveries. Unset: those alarms go to topicArn alone, and forwarding rules get none.")
	an.Describe(&a.Members, "Extend the notifications to the organization's member accounts. Deploy from the management account, or with delegatedAdmin from a delegated administrator of CloudFormation StackSets.")
}

// Health is notify.Health.
type Health struct {
	TopicARN       pulumi.StringInput `pulumi:"topicArn"`
	Emails         []string           `pulumi:"emails,optional"`
	HTTPSEndpoints []string           `pulumi:"httpsEndpoints,optional"`
	SQSQueueARNs   []string           `pulumi:"sqsQueueArns,optional"`
	KeyAdminARNs   []string           `pulumi:"keyAdminArns,optional"`
}

// Annotate sets the type's token and describes its fields.
func (h *Health) Annotate(a infer.Annotator) {
	a.SetToken("notify", "Health")
	a.Describe(h, "The health path: the home region's health topic, and the subscribers of the health topic made in each forwarding region.")
	a.Describe(&h.TopicARN, "The home region's health topic (an Alarms' healthTopicArn).")
	a.Describe(&h.Emails, "E-mail addresses subscribed to each forwarding region's health topic (the alert topic's).")
	a.Describe(&h.HTTPSEndpoints, "HTTPS endpoints subscribed to each forwarding region's health topic.")
	a.Describe(&h.SQSQueueARNs, "SQS queue ARNs subscribed to each forwarding region's health topic.")
	a.Describe(&h.KeyAdminARNs, "IAM principals (ARNs) that administer the forwarding regions' health topic keys. Default: the account.")
}

// Members is notify.Members.
type Members struct {
	OrganizationID      string   `pulumi:"organizationId,optional"`
	OrganizationalUnits []string `pulumi:"organizationalUnits,optional"`
	DelegatedAdmin      bool     `pulumi:"delegatedAdmin,optional"`
}

// Annotate sets the type's token and describes its fields.
func (m *Members) Annotate(a infer.Annotator) {
	a.SetToken("notify", "Members")
	a.Describe(m, "Organization-wide notifications: a central event bus only the organization's accounts may put events on, the root rules on it, and a service-managed StackSet forwarding each member account's root activity in every watched region to it.")
	a.Describe(&m.OrganizationID, "The organization (o-...) whose accounts may put events on the central bus. Default: the deploying account's organization.")
	a.Describe(&m.OrganizationalUnits, "Organizational units or the root whose accounts, present and future, get the forwarding stacks, each "+notify.OrganizationalUnitRule+". Default: the organization's root (every member account).")
	a.Describe(&m.DelegatedAdmin, "Deploy the StackSet as a delegated administrator of CloudFormation StackSets (CallAs DELEGATED_ADMIN). Default: false, from the management account (CallAs SELF).")
}

func (a NotifyArgs) goArgs() *notify.Args {
	args := &notify.Args{
		TopicARN: a.TopicARN, Regions: a.Regions, NamePrefix: a.NamePrefix, Tags: a.Tags,
		RegionProvider: profileProvider(a.RegionProfile), ChatTopicARN: a.ChatTopicARN,
	}
	if h := a.Health; h != nil {
		args.Health = &notify.Health{
			TopicARN:     h.TopicARN,
			Subscribers:  alerttopic.Subscribers{Emails: h.Emails, HTTPSEndpoints: h.HTTPSEndpoints, SQSQueueARNs: h.SQSQueueARNs},
			KeyAdminARNs: h.KeyAdminARNs,
		}
	}
	if m := a.Members; m != nil {
		args.Members = &notify.Members{OrganizationID: m.OrganizationID, OrganizationalUnits: m.OrganizationalUnits, DelegatedAdmin: m.DelegatedAdmin}
	}
	return args
}

// Construct calls notify.New.
func (*Notify) Construct(ctx *pulumi.Context, name, _ string, args NotifyArgs, opts pulumi.ResourceOption) (*notify.Notify, error) {
	return notify.New(ctx, name, args.goArgs(), opts)
}

// Posture serves rootwatch:posture:Posture.
type Posture struct{}

// Annotate sets the token and the description.
func (r *Posture) Annotate(a infer.Annotator) {
	a.SetToken("posture", "Posture")
	a.Describe(r, "Opt-in posture for the root user: centralized root access for the organization's member accounts (IAM organization features RootCredentialsManagement and RootSessions), and AWS Config managed rules on the root user (MFA, hardware MFA, no access keys) whose compliance changes go to the alert topic. At least one mode must be on.")
}

// PostureArgs are posture.Args.
type PostureArgs struct {
	RootCredentialsManagement bool               `pulumi:"rootCredentialsManagement,optional"`
	ConfigRules               bool               `pulumi:"configRules,optional"`
	TopicARN                  pulumi.StringInput `pulumi:"topicArn,optional"`
	HealthTopicARN            pulumi.StringInput `pulumi:"healthTopicArn,optional"`
	NamePrefix                string             `pulumi:"namePrefix,optional"`
	Tags                      map[string]string  `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *PostureArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.RootCredentialsManagement, "Enable centralized root access for the organization's member accounts. Deploy to the management account of an organization with all features and trusted access for iam.amazonaws.com (checked before anything is created under the component). Default: false.")
	an.Describe(&a.ConfigRules, "Create AWS Config managed rules on the root user in the provider's region, and an EventBridge rule sending their compliance changes to topicArn. Needs a configuration recorder that is recording. Default: false.")
	an.Describe(&a.TopicARN, "The alert topic (an Alarms' topicArn), required with configRules; in the provider's region and account.")
	an.Describe(&a.HealthTopicARN, "The health topic (an Alarms' healthTopicArn): the compliance rule's FailedInvocations alarm also goes there.")
	an.Describe(&a.NamePrefix, "Starts every Config rule, EventBridge rule and alarm name: "+validate.NamePrefixRule+". Default: none.")
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" prefix.")
}

// Construct calls posture.New. Go's New registers nothing when no mode is on; a resource declared in
// another language must exist, so that case is refused here with a clear error instead.
func (*Posture) Construct(ctx *pulumi.Context, name, _ string, args PostureArgs, opts pulumi.ResourceOption) (*posture.Posture, error) {
	a := &posture.Args{
		RootCredentialsManagement: args.RootCredentialsManagement, ConfigRules: args.ConfigRules,
		TopicARN: args.TopicARN, HealthTopicARN: args.HealthTopicARN, NamePrefix: args.NamePrefix, Tags: args.Tags,
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if !a.Enabled() {
		return nil, fmt.Errorf("posture: invalid args: neither rootCredentialsManagement nor configRules is true, so there is nothing to create; turn one on, or leave the Posture resource out")
	}
	return posture.New(ctx, name, a, opts)
}

// Athena serves rootwatch:athena:Athena.
type Athena struct{}

// Annotate sets the token and the description.
func (r *Athena) Annotate(a infer.Annotator) {
	a.SetToken("athena", "Athena")
	a.Describe(r, "Amazon Athena over the trail's bucket: a Glue database and AWS's CloudTrail table with partition projection (accounts, regions, days; no crawler), an Athena workgroup (engine version 3) that enforces KMS-encrypted results in a hardened, expiring results bucket and caps the bytes each query scans, and a named query for every catalogue control plus a root-activity summary. The results key and bucket are retained when removed from the stack unless forceDestroy is set. Every argument is checked before anything is created.")
}

// AthenaArgs are athena.Args.
type AthenaArgs struct {
	BucketName                 pulumi.StringInput `pulumi:"bucketName"`
	S3KeyPrefix                string             `pulumi:"s3KeyPrefix,optional"`
	OrganizationID             string             `pulumi:"organizationId,optional"`
	AccountIDs                 []string           `pulumi:"accountIds"`
	Regions                    []string           `pulumi:"regions,optional"`
	DatabaseName               string             `pulumi:"databaseName,optional"`
	TableName                  string             `pulumi:"tableName,optional"`
	WorkgroupName              string             `pulumi:"workgroupName,optional"`
	BytesScannedCutoffPerQuery int                `pulumi:"bytesScannedCutoffPerQuery,optional"`
	ResultsExpirationDays      int                `pulumi:"resultsExpirationDays,optional"`
	QueryDays                  int                `pulumi:"queryDays,optional"`
	ProjectionStart            string             `pulumi:"projectionStart,optional"`
	KeyAdminARNs               []string           `pulumi:"keyAdminArns,optional"`
	ForceDestroy               bool               `pulumi:"forceDestroy,optional"`
	Tags                       map[string]string  `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *AthenaArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.BucketName, "The trail's log bucket (required), such as a Trail's bucketName.")
	an.Describe(&a.S3KeyPrefix, "The trail's S3 key prefix (its s3KeyPrefix): log files are under <prefix>/AWSLogs/... Up to 200 characters from a-z A-Z 0-9 ! _ . * ' ( ) - /, with no leading, trailing or doubled \"/\". Default: none.")
	an.Describe(&a.OrganizationID, "For an organization trail, the organization's id ("+validate.OrganizationIDRule+"): its log files are under AWSLogs/<organization id>/<account>/. Default: none, an account trail (AWSLogs/<account>/).")
	an.Describe(&a.AccountIDs, "The accounts (12 digits each) whose log files the table projects (required, not empty): the stack's account for an account trail, the organization's accounts for an organization trail.")
	an.Describe(&a.Regions, "The regions the table projects (region names such as eu-west-1). Default: every region of the stack's partition.")
	an.Describe(&a.DatabaseName, "The Glue database: 1 to 255 lower-case letters, digits and _. Default: the component's name, lower case, with - turned into _.")
	an.Describe(&a.TableName, "The Glue table: 1 to 255 lower-case letters, digits and _. Default: "+athena.DefaultTableName+".")
	an.Describe(&a.WorkgroupName, "The Athena workgroup: 1 to 128 letters, digits, '.', '_' and '-'. Default: the component's name.")
	an.Describe(&a.BytesScannedCutoffPerQuery, fmt.Sprintf("Cancel a query that scans more than this many bytes (it is billed for what it scanned): at least %d (10 MB, Athena's minimum). Default: %d (100 GiB, about 0.49 USD at 5 USD per TB scanned).", athena.MinBytesScannedCutoff, athena.DefaultBytesScannedCutoff))
	an.Describe(&a.ResultsExpirationDays, fmt.Sprintf("Days query results stay in the results bucket: 1 or more. Default: %d.", athena.DefaultResultsExpirationDays))
	an.Describe(&a.QueryDays, fmt.Sprintf("How many days back the named queries look: 1 to 3650. Default: %d.", athena.DefaultQueryDays))
	an.Describe(&a.ProjectionStart, "The first day (yyyy/MM/dd) the table projects. Default: "+athena.DefaultProjectionStart+", when CloudTrail started; days without log files cost nothing.")
	an.Describe(&a.KeyAdminARNs, "IAM principals (ARNs) that administer the results key. Default: the account, through its IAM policies.")
	an.Describe(&a.ForceDestroy, "Let `pulumi destroy` delete the results bucket with its contents, and schedule the results key's deletion. Default: false, and they are retained when removed from the stack.")
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" prefix.")
}

// Construct calls athena.New.
func (*Athena) Construct(ctx *pulumi.Context, name, _ string, args AthenaArgs, opts pulumi.ResourceOption) (*athena.Athena, error) {
	return athena.New(ctx, name, &athena.Args{
		BucketName: args.BucketName, S3KeyPrefix: args.S3KeyPrefix, OrganizationID: args.OrganizationID,
		AccountIDs: args.AccountIDs, Regions: args.Regions, DatabaseName: args.DatabaseName,
		TableName: args.TableName, WorkgroupName: args.WorkgroupName,
		BytesScannedCutoffPerQuery: args.BytesScannedCutoffPerQuery, ResultsExpirationDays: args.ResultsExpirationDays,
		QueryDays: args.QueryDays, ProjectionStart: args.ProjectionStart, KeyAdminARNs: args.KeyAdminARNs,
		ForceDestroy: args.ForceDestroy, Tags: args.Tags,
	}, opts)
}
