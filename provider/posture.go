package main

import (
	"errors"
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/posture"
)

// postureComponent is rootwatch:posture:Posture as the package serves it: the types below, and the
// descriptions of the outputs of the Go component (posture.Posture).
var postureComponent = servedComponent{
	inferred: infer.Component[*Posture](&Posture{}),
	token:    posture.TypeToken,
	types: map[string]reflect.Type{
		posture.TypeToken: reflect.TypeFor[PostureArgs](),
	},
	outputs: map[string]string{
		"enabledFeatures": "The IAM organization features enabled (empty without rootCredentialsManagement).",
		"organizationId":  "The organization's id (\"\" without rootCredentialsManagement).",
		"configRuleArns":  "Each Config rule id mapped to its rule's ARN (empty without configRules).",
		"configRuleNames": "Each Config rule id mapped to its rule's name (empty without configRules).",
		"complianceRuleArn": "The EventBridge rule sending the Config rules' compliance changes to the topic (\"\" " +
			"without configRules).",
		"complianceAlarmArn": "That rule's FailedInvocations alarm (\"\" without configRules).",
	},
}

// Posture serves rootwatch:posture:Posture.
type Posture struct{}

// Annotate sets the token and the description.
func (r *Posture) Annotate(a infer.Annotator) {
	a.SetToken("posture", "Posture")
	a.Describe(r, "Opt-in posture for the root user: centralized root access for the organization's member accounts "+
		"(IAM organization features RootCredentialsManagement and RootSessions), and AWS Config managed rules on the "+
		"root user (MFA, hardware MFA, no access keys) whose compliance changes go to the alert topic. At least one "+
		"mode must be on.")
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
	an.Describe(&a.RootCredentialsManagement, "Enable centralized root access for the organization's member "+
		"accounts. Deploy to the management account of an organization with all features and trusted access for "+
		"iam.amazonaws.com (checked before anything is created under the component). Default: false.")
	an.Describe(&a.ConfigRules, "Create AWS Config managed rules on the root user in the provider's region, and an "+
		"EventBridge rule sending their compliance changes to topicArn. Needs a configuration recorder that is "+
		"recording. Default: false.")
	an.Describe(&a.TopicARN, "The alert topic (an Alarms' topicArn), required with configRules; in the provider's "+
		"region and account.")
	an.Describe(&a.HealthTopicARN, "The health topic (an Alarms' healthTopicArn): the compliance rule's "+
		"FailedInvocations alarm also goes there.")
	an.Describe(
		&a.NamePrefix,
		"Starts every Config rule, EventBridge rule and alarm name: "+validate.NamePrefixRule+". Default: none.",
	)
	an.Describe(&a.Tags, "Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 "+
		"characters, no \"aws:\" prefix.")
}

// noPostureMode refuses a Posture with neither mode on.
const noPostureMode = "posture: invalid args: neither rootCredentialsManagement nor configRules is true, " +
	"so there is nothing to create; turn one on, or leave the Posture resource out"

// Construct calls posture.New. Go's New registers nothing when no mode is on; a resource declared in
// another language must exist, so that case is refused here with a clear error instead.
func (*Posture) Construct(
	ctx *pulumi.Context, name, _ string, args PostureArgs, opts pulumi.ResourceOption,
) (*posture.Posture, error) {
	a := &posture.Args{
		RootCredentialsManagement: args.RootCredentialsManagement, ConfigRules: args.ConfigRules,
		TopicARN: args.TopicARN, HealthTopicARN: args.HealthTopicARN, NamePrefix: args.NamePrefix, Tags: args.Tags,
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	if !a.Enabled() {
		return nil, errors.New(noPostureMode)
	}
	return posture.New(ctx, name, a, opts)
}
