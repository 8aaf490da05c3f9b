package main

import (
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
)

// notifyComponent is rootwatch:notify:Notify as the package serves it: the types below, and the
// descriptions of the outputs of the Go component (notify.Notify).
var notifyComponent = servedComponent{
	inferred: infer.Component[*Notify](&Notify{}),
	token:    notify.TypeToken,
	types: map[string]reflect.Type{
		notify.TypeToken:           reflect.TypeFor[NotifyArgs](),
		"rootwatch:notify:Health":  reflect.TypeFor[Health](),
		"rootwatch:notify:Members": reflect.TypeFor[Members](),
	},
	outputs: map[string]string{
		"homeRegion": "The region of the rules that notify the topic.",
		"ruleArns": "Each home rule id (root-signin, root-api-call, root-console-api-call, ...) " +
			"mapped to its rule's ARN.",
		"ruleNames":       "Each home rule id mapped to its rule's name.",
		"alarmArns":       "Each home rule id mapped to its FailedInvocations alarm.",
		"forwardRuleArns": "Each forwarding region mapped to its rule.",
		"forwardRoleArns": "Each forwarding region mapped to its rule's role.",
		"forwardAlarmArns": "Each forwarding region mapped to its rule's FailedInvocations alarm (empty " +
			"without health).",
		"forwardHealthTopicArns": "Each forwarding region mapped to the health topic its alarm notifies (empty " +
			"without health).",
		"memberBusArn":    "The central event bus of the member accounts' notifications (\"\" without members).",
		"memberRuleArns":  "Each rule id mapped to its rule on the central bus (empty without members).",
		"memberRuleNames": "Each rule id mapped to its rule's name on the central bus (empty without members).",
		"memberAlarmArns": "Each rule id mapped to the FailedInvocations alarm of its rule on the central " +
			"bus (empty without members).",
		"memberStackSetName": "The StackSet that forwards each member account's root activity (\"\" " +
			"without members).",
		"memberStackSetInstances": "Each watched region mapped to its StackSet instance id (empty without members).",
	},
}

// Notify serves rootwatch:notify:Notify.
type Notify struct{}

// Annotate sets the token and the description.
func (r *Notify) Annotate(a infer.Annotator) {
	a.SetToken("notify", "Notify")
	a.Describe(r, "EventBridge rules that send a readable message to the alert topic within about a minute of every "+
		"root sign-in, root API call (naming the credential) and sts:AssumeRoot session, forwarding rules from the "+
		"other watched regions (us-east-1 always, in the aws partition), a FailedInvocations alarm on each rule, and "+
		"optionally the same for every member account of the organization (a central event bus and a "+
		"service-managed StackSet).")
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
	an.Describe(&a.TopicARN, "The SNS topic the rules and alarms notify (required), such as an Alarms' topicArn. It "+
		"must be in the home region (the region of the provider the component deploys with) and let this account's "+
		"EventBridge rules and CloudWatch alarms publish, as the Alarms topic does.")
	an.Describe(&a.Regions, "Further regions whose root activity is forwarded to the home region (one rule, role and "+
		"explicit provider each). In the aws partition us-east-1, where root console sign-ins and IAM calls arrive, "+
		"is always added; the home region and duplicates are ignored. Each must be a region of the stack's partition.")
	an.Describe(
		&a.NamePrefix,
		"Starts every rule, role and alarm name (e.g. \"rootwatch-prod-\"): "+validate.NamePrefixRule+
			". Default: none.",
	)
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 "+
		"characters, no \"aws:\" prefix.")
	an.Describe(&a.RegionProfile, "AWS profile of the forwarding regions' explicit providers (they read none of the "+
		"stack's aws: settings). Default: the environment's default credentials. Other provider settings "+
		"(assume-role, default tags, ...) are Go-only (notify.Args.RegionProvider).")
	an.Describe(&a.ChatTopicARN, "The chat channels' topic (an Alarms' chatTopicArn): each rule also sends its "+
		"message there as a custom notification that chat renders.")
	an.Describe(&a.Health, "The second, independent path for the alarms on the rules' failed deliveries. Unset: "+
		"those alarms go to topicArn alone, and forwarding rules get none.")
	an.Describe(&a.Members, "Extend the notifications to the organization's member accounts. Deploy from the "+
		"management account, or with delegatedAdmin from a delegated administrator of CloudFormation StackSets.")
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
	a.Describe(h, "The health path: the home region's health topic, and the subscribers of the health topic made in "+
		"each forwarding region.")
	a.Describe(&h.TopicARN, "The home region's health topic (an Alarms' healthTopicArn).")
	a.Describe(&h.Emails, "E-mail addresses subscribed to each forwarding region's health topic (the alert topic's).")
	a.Describe(&h.HTTPSEndpoints, "HTTPS endpoints subscribed to each forwarding region's health topic.")
	a.Describe(&h.SQSQueueARNs, "SQS queue ARNs subscribed to each forwarding region's health topic.")
	a.Describe(&h.KeyAdminARNs, "IAM principals (ARNs) that administer the forwarding regions' health topic keys. "+
		"Default: the account.")
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
	a.Describe(m, "Organization-wide notifications: a central event bus only the organization's accounts may put "+
		"events on, the root rules on it, and a service-managed StackSet forwarding each member account's root "+
		"activity in every watched region to it.")
	a.Describe(&m.OrganizationID, "The organization (o-...) whose accounts may put events on the central bus. "+
		"Default: the deploying account's organization.")
	a.Describe(&m.OrganizationalUnits, "Organizational units or the root whose accounts, present and future, get the "+
		"forwarding stacks, each "+notify.OrganizationalUnitRule+". Default: the organization's root (every "+
		"member account).")
	a.Describe(&m.DelegatedAdmin, "Deploy the StackSet as a delegated administrator of CloudFormation StackSets "+
		"(CallAs DELEGATED_ADMIN). Default: false, from the management account (CallAs SELF).")
}

func (a NotifyArgs) goArgs() *notify.Args {
	args := &notify.Args{
		TopicARN: a.TopicARN, Regions: a.Regions, NamePrefix: a.NamePrefix, Tags: a.Tags,
		RegionProvider: profileProvider(a.RegionProfile), ChatTopicARN: a.ChatTopicARN,
	}
	if h := a.Health; h != nil {
		args.Health = &notify.Health{
			TopicARN: h.TopicARN,
			Subscribers: alerttopic.Subscribers{
				Emails: h.Emails, HTTPSEndpoints: h.HTTPSEndpoints, SQSQueueARNs: h.SQSQueueARNs,
			},
			KeyAdminARNs: h.KeyAdminARNs,
		}
	}
	if m := a.Members; m != nil {
		args.Members = &notify.Members{
			OrganizationID: m.OrganizationID, OrganizationalUnits: m.OrganizationalUnits,
			DelegatedAdmin: m.DelegatedAdmin,
		}
	}
	return args
}

// Construct calls notify.New.
func (*Notify) Construct(
	ctx *pulumi.Context, name, _ string, args NotifyArgs, opts pulumi.ResourceOption,
) (*notify.Notify, error) {
	return notify.New(ctx, name, args.goArgs(), opts)
}
