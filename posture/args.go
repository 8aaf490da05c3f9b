package posture

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Args configures Posture. Both modes are off by default; with both off New registers nothing.
type Args struct {
	// RootCredentialsManagement enables centralized root access for the organization's member
	// accounts (IAM organization features RootCredentialsManagement and RootSessions). The stack
	// must deploy to the organization's management account, the organization must have all
	// features, and IAM must have trusted access in it; New checks all three before registering
	// anything under the component.
	RootCredentialsManagement bool
	// ConfigRules creates AWS Config managed rules on the root user (MFA, hardware MFA, access
	// keys) in the provider's region, and an EventBridge rule that sends their compliance changes
	// to TopicARN. An AWS Config configuration recorder must exist and be recording in that region.
	ConfigRules bool
	// TopicARN is the alert topic (alarms.Alarms.TopicArn), required with ConfigRules. It must be
	// in the provider's region and account, and its policy must let this account's EventBridge
	// rules publish, as internal/policy.Topic does (and its key, internal/policy.TopicKey).
	TopicARN pulumi.StringInput
	// HealthTopicARN is the health topic (alarms.Alarms.HealthTopicArn), optional: the
	// FailedInvocations alarm on the compliance rule also goes there, so a broken alert topic
	// cannot hide its own failure.
	HealthTopicARN pulumi.StringInput
	// NamePrefix starts every Config rule, EventBridge rule and alarm name (e.g. "rootwatch-prod-").
	NamePrefix string
	// Tags go on every taggable resource (Config rules, EventBridge rule, alarm; the IAM
	// organization features resource is not taggable).
	Tags map[string]string
}

// Enabled says whether a has any mode on, i.e. whether New registers anything.
func (a *Args) Enabled() bool { return a != nil && (a.RootCredentialsManagement || a.ConfigRules) }

// Validate reports every problem with a, each naming its field.
func (a *Args) Validate() error {
	if a == nil {
		return fmt.Errorf("posture: args are required")
	}
	var es validate.Errors
	if a.ConfigRules && a.TopicARN == nil {
		es.Add("TopicARN", "", "is required with ConfigRules",
			"the ARN of the alert topic, e.g. alarms.Alarms.TopicArn")
	}
	validate.NamePrefix(&es, "NamePrefix", a.NamePrefix)
	validate.Tags(&es, "Tags", a.Tags)
	return es.Err("posture: invalid args")
}

// Preflight checks, with invokes only (nothing is registered), what New would refuse once it has
// registered the component: with RootCredentialsManagement, that the default provider's account is
// the organization's management account, with all features and trusted access for IAM. A program
// calls it while validating its configuration, before registering any resource.
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil || !args.RootCredentialsManagement {
		return nil
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	_, err = checkOrganization(ctx, env, opts...)
	return err
}
