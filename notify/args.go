package notify

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Args configures Notify.
type Args struct {
	// TopicARN is the SNS topic the rules and alarms notify (required): rootwatch's alert topic
	// (alarms.Alarms.TopicArn). It must be in the home region (the region of the provider the
	// component deploys with) and its policy must let this account's EventBridge rules and
	// CloudWatch alarms publish, as internal/policy.Topic does; an encrypted topic's key must let
	// events.amazonaws.com and cloudwatch.amazonaws.com use it (internal/policy.TopicKey).
	TopicARN pulumi.StringInput
	// Regions are further regions whose root activity is forwarded to the home region's default
	// bus (one rule, one IAM role and one explicit provider each). Root console sign-ins and IAM
	// calls (MFA device changes included) reach EventBridge in us-east-1, other API calls in the
	// region where they happen; so in the aws partition us-east-1 is always added. The home region
	// itself and duplicates are ignored.
	Regions []string
	// NamePrefix starts every rule, role and alarm name (e.g. "rootwatch-prod-"), so two stacks
	// in one account never collide.
	NamePrefix string
	// Tags go on every taggable resource (rules, roles, alarms; providers are not taggable).
	Tags map[string]string
	// RegionProvider is a template for the per-region providers (credentials, profile,
	// assume-role, default tags...). Explicit providers do not read the stack's aws:* config, so a
	// stack that sets e.g. aws:profile must pass it here. Region is overwritten. Nil: the
	// environment's default credentials.
	RegionProvider *aws.ProviderArgs
	// ChatTopicARN, when set, is the topic of the chat channels (alarms.Alarms.ChatTopicArn): each
	// rule also sends its message there as a custom notification, which Amazon Q Developer in chat
	// applications renders (it does not render the plain text the alert topic carries), and the
	// rules' FailedInvocations alarms notify it too. Its policy and key must admit this account's
	// rules and alarms, as the alert topic's do.
	ChatTopicARN pulumi.StringInput
	// Health is the second, independent path for the alarms on the rules' failed deliveries. Nil:
	// those alarms go to TopicARN alone, and the forwarding rules get none (an alarm's actions must
	// be topics of its own region, and there is nobody to reach there).
	Health *Health
	// Members, when set, extends the notifications to the organization's member accounts (see
	// Members and the package documentation's "Member accounts"). The deploying account must be
	// the organization's management account, or with Members.DelegatedAdmin a delegated
	// administrator of CloudFormation StackSets.
	Members *Members
}

// Health configures the health path: the home region's health topic, and what it takes to make one
// in each forwarding region, where that region's FailedInvocations alarm must live.
type Health struct {
	// TopicARN is the home region's health topic (alarms.Alarms.HealthTopicArn).
	TopicARN pulumi.StringInput
	// Subscribers are subscribed to each forwarding region's health topic (the alert topic's).
	Subscribers alerttopic.Subscribers
	// KeyAdminARNs administer the forwarding regions' health topic keys (default: the account).
	KeyAdminARNs []string
}

// NamePrefixRule says which name prefixes are accepted: the characters EventBridge rule names and
// IAM role names share, short enough for the longest role name (prefix + "root-events-fwd-" +
// region) to stay within IAM's 64 characters.
const NamePrefixRule = validate.NamePrefixRule

// Validate reports every problem with a, each naming its field.
func (a *Args) Validate() error {
	if a == nil {
		return fmt.Errorf("notify: args are required (at least TopicARN)")
	}
	var es validate.Errors
	if a.TopicARN == nil {
		es.Add("TopicARN", "", "is required", "the ARN of the alert topic, e.g. alarms.Alarms.TopicArn")
	}
	for i, r := range a.Regions {
		if !awsenv.IsRegion(r) {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is not an AWS region name",
				"a region such as us-east-1, eu-west-1, cn-north-1 or us-gov-west-1")
		} else if p, ok, allowed := awsenv.KnownRegion(r); !ok {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is not a region of partition "+p, allowed)
		}
	}
	validate.NamePrefix(&es, "NamePrefix", a.NamePrefix)
	validate.Tags(&es, "Tags", a.Tags)
	if a.Members != nil {
		a.Members.validate(&es)
	}
	return es.Err("notify: invalid args")
}

// Preflight checks, with invokes only (nothing is registered), what New can check only once the
// provider has said where it deploys: that every one of Regions is in the home region's partition
// and can be forwarded from there, and with Members that the account may deploy the StackSet
// (management account with trusted access, or a registered delegated administrator) and the
// organization's root can be found when no OU is given. A program calls it while validating its configuration, so a
// region of another partition fails before anything exists; errors name Regions[i].
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil || len(args.Regions) == 0 && args.Members == nil {
		return nil
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	es := regionsInPartition(args.Regions, env)
	if args.Members != nil {
		_, mes := checkMembers(ctx, args.Members, env, opts...)
		es = append(es, mes...)
	}
	return es.Err("notify: invalid args")
}

// regionsInPartition reports the regions that are not in env's partition, or that EventBridge
// cannot forward from in it.
func regionsInPartition(regions []string, env awsenv.Env) validate.Errors {
	var es validate.Errors
	for i, r := range regions {
		if p := awsenv.RegionPartition(r); p != env.Partition {
			es.Add(fmt.Sprintf("Regions[%d]", i), r,
				"is in partition "+p+", not in the home region's partition "+env.Partition,
				"regions of partition "+env.Partition)
		} else if env.Partition != "aws" && r != env.Region {
			// "you can now route events between any AWS Regions, except AWS GovCloud (US) and
			// China": a forwarding rule there would be refused, or never deliver.
			// https://aws.amazon.com/blogs/compute/expanding-cross-region-event-routing-with-amazon-eventbridge/
			es.Add(fmt.Sprintf("Regions[%d]", i), r,
				"cannot be forwarded: EventBridge does not route events between regions in "+env.Partition,
				"no extra regions in "+env.Partition+"; deploy a rootwatch stack in each region to watch instead")
		}
	}
	return es
}

// Members configures organization-wide notifications: a central event bus in the deploying
// account that only accounts of the organization may put events on, the same rules as the home
// rules on it, and a service-managed CloudFormation StackSet that gives every member account of
// OrganizationalUnits, in every watched region, a rule forwarding its root activity to that bus.
type Members struct {
	// OrganizationID is the organization (o-...) whose accounts may put events on the central bus.
	// Empty: the deploying account's organization.
	OrganizationID string
	// OrganizationalUnits are the ids of the organizational units (ou-...) or of the organization's
	// root (r-...) whose accounts, present and future, get the forwarding stacks. Empty: the
	// organization's root, i.e. every member account.
	OrganizationalUnits []string
	// DelegatedAdmin deploys the StackSet from a delegated administrator of CloudFormation StackSets
	// (CallAs DELEGATED_ADMIN). False: from the organization's management account (CallAs SELF).
	DelegatedAdmin bool
}
