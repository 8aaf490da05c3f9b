package main

import (
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// guardrailComponent is rootwatch:guardrail:Guardrail as the package serves it: the types below, and
// the descriptions of the outputs of the Go component (guardrail.Guardrail).
var guardrailComponent = servedComponent{
	inferred: infer.Component[*Guardrail](&Guardrail{}),
	token:    guardrail.TypeToken,
	types: map[string]reflect.Type{
		guardrail.TypeToken:             reflect.TypeFor[GuardrailArgs](),
		"rootwatch:guardrail:Exemption": reflect.TypeFor[Exemption](),
	},
	outputs: map[string]string{
		"policyId":  "The SCP's id (p-...).",
		"policyArn": "The SCP's ARN.",
		"content":   "The SCP's JSON as sent to AWS (minified).",
		"targets":   "The root and OU ids the SCP is attached to.",
	},
}

// Guardrail serves rootwatch:guardrail:Guardrail.
type Guardrail struct{}

// Annotate sets the token and the description.
func (r *Guardrail) Annotate(a infer.Annotator) {
	a.SetToken("guardrail", "Guardrail")
	a.Describe(r, "A service control policy that stops member accounts' root user (CIS AWS Foundations 2.1.2), "+
		"attached to the organization's root or to OUs: it denies every action to a member account's root user "+
		"except inside sts:AssumeRoot sessions (centralized root access), lets named break-glass exemptions "+
		"through until their expiry (the SCP itself closes each one then), and denies root access keys "+
		"outright. SCPs never cover the management account. Deploy from the management account (or a delegated "+
		"administrator for Organizations policies) of an organization with all features and the SCP policy "+
		"type enabled. Every argument is checked before anything is created.")
}

// GuardrailArgs are guardrail.Args.
type GuardrailArgs struct {
	Targets     []string          `pulumi:"targets"`
	Exemptions  []Exemption       `pulumi:"exemptions,optional"`
	Name        string            `pulumi:"name,optional"`
	Description string            `pulumi:"description,optional"`
	Tags        map[string]string `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *GuardrailArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Targets, "Where the SCP is attached (required, not empty, each once): the organization's root ("+
		validate.RootIDRule+") for every member account, or OUs ("+validate.OrganizationalUnitIDRule+").")
	an.Describe(&a.Exemptions, "Break-glass exemptions from the root deny, each until its expiry. Root access keys "+
		"stay denied. Default: none.")
	an.Describe(&a.Name, "The SCP's name: 1 to 128 printable ASCII characters. Default: Pulumi names it after "+
		"the component.")
	an.Describe(&a.Description, "The SCP's description, at most 512 characters. Default: rootwatch's, which lists "+
		"the exemptions.")
	an.Describe(&a.Tags, "Tags on the SCP, beside one "+guardrail.ExemptionTagPrefix+"<id> tag per exemption (its "+
		"expiry and reason): at most 50, keys of 1 to 128 and values of at most 256 characters, no \"aws:\" "+
		"prefix and none starting with "+guardrail.ExemptionTagPrefix+".")
}

// Exemption is guardrail.Exemption.
type Exemption struct {
	Account string `pulumi:"account,optional"`
	OU      string `pulumi:"ou,optional"`
	Expires string `pulumi:"expires"`
	Reason  string `pulumi:"reason"`
}

// Annotate sets the type's token and describes its fields.
func (x *Exemption) Annotate(a infer.Annotator) {
	a.SetToken("guardrail", "Exemption")
	a.Describe(x, "A break-glass exemption: one member account's root user, or the root users of every account in "+
		"one OU and below it, may act outside sts:AssumeRoot sessions until expires. Name exactly one of account "+
		"and ou.")
	a.Describe(&x.Account, "The exempted member account: a 12-digit account id.")
	a.Describe(&x.OU, "The exempted OU ("+validate.OrganizationalUnitIDRule+"), with every OU below it.")
	a.Describe(&x.Expires, fmt.Sprintf("When the exemption ends: an RFC 3339 time in UTC (\"2027-01-15T18:00:00Z\"), "+
		"in the future and at most %d days ahead. The SCP itself closes the exemption then (aws:CurrentTime); "+
		"once it has passed, the component refuses the exemption until it is removed.",
		int(guardrail.MaxExemptionHorizon.Hours()/24)))
	a.Describe(&x.Reason, "Why, or the ticket (kept in the SCP's description and tags, never in its content): up "+
		"to 200 letters, digits, spaces and _ . : / = + - @.")
}

func (a GuardrailArgs) goArgs() *guardrail.Args {
	args := &guardrail.Args{Targets: a.Targets, Name: a.Name, Description: a.Description, Tags: a.Tags}
	for _, x := range a.Exemptions {
		args.Exemptions = append(args.Exemptions, guardrail.Exemption{
			Account: x.Account, OU: x.OU, Expires: x.Expires, Reason: x.Reason,
		})
	}
	return args
}

// Construct calls guardrail.New, after the Go Validate. It does not call guardrail.Preflight
// (docs/components.md, "What differs from Go"): what it checks either fails in AWS at deploy (the
// organization's features and SCP policy type, the deploying account, targets that do not exist),
// fails closed (an exemption naming no member account or OU exempts no one), or is a warning about
// other SCPs that the guardrail does not make worse.
func (*Guardrail) Construct(
	ctx *pulumi.Context, name, _ string, args GuardrailArgs, opts pulumi.ResourceOption,
) (*guardrail.Guardrail, error) {
	a := args.goArgs()
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return guardrail.New(ctx, name, a, opts)
}
