package guardrail

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:guardrail:Guardrail"

// MaxExemptionHorizon is how far ahead an exemption may expire. Break-glass is for hours or days:
// a locked-out team is let in for the task, not for good. Thirty days bounds an exemption that is
// forgotten, makes every standing one be approved again at least monthly (the usual access-review
// cadence), and is still long enough for a planned migration window.
const MaxExemptionHorizon = 30 * 24 * time.Hour

// Limits of the Organizations API on a policy's description, and of the rootwatch reason (it is
// written into a tag value, of at most 256 characters, after the expiry).
// https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html
const (
	maxDescription = 512
	maxReason      = 200
	maxPolicyName  = 128
	// maxTags is how many tags an AWS resource, the SCP included, may have.
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
	maxTags = 50
)

// Args configures Guardrail.
type Args struct {
	// Targets are where the SCP is attached: the organization's root (r-...) for every member
	// account, or OUs (ou-...). At least one; Preflight fills in the organization's root when none
	// is given.
	Targets []string
	// Exemptions are break-glass exemptions from the root deny, each until its expiry.
	Exemptions []Exemption
	// Name is the SCP's name; "" lets Pulumi name it after the component.
	Name string
	// Description is the SCP's description; "" means rootwatch's, which lists the exemptions.
	Description string
	// Tags go on the SCP, beside one rootwatch:break-glass:<id> tag per exemption (its expiry and
	// reason).
	Tags map[string]string
	// Now is the clock Validate judges expiries by; nil means time.Now.
	Now func() time.Time
}

// Exemption lets one member account's root user, or the root users of every account in one OU and
// below it, act outside sts:AssumeRoot sessions until Expires. Root access keys stay denied.
type Exemption struct {
	Account string // a 12-digit account id, or
	OU      string // an OU id, ou-...
	// Expires is an RFC 3339 time in UTC ("2027-01-15T18:00:00Z"), in the future and at most
	// MaxExemptionHorizon ahead. The SCP itself closes the exemption then (aws:CurrentTime); once
	// it has passed, Validate refuses the exemption until it is removed.
	Expires string
	// Reason is why, or the ticket (kept in the SCP's description and tags, never in its content).
	Reason string
}

func (a *Args) now() time.Time {
	if a.Now != nil {
		return a.Now().UTC()
	}
	return time.Now().UTC()
}

var policyNameRe = regexp.MustCompile(`^[\x20-\x7e]+$`)

// Validate reports every problem with a, each naming its field, the value and what is allowed.
func (a *Args) Validate() error { return a.validate(true) }

// validate is Validate; without needTargets, no target is allowed (Preflight fills in the root).
func (a *Args) validate(needTargets bool) error {
	if a == nil {
		return fmt.Errorf("guardrail: args are required")
	}
	var es validate.Errors
	a.checkTargets(&es, needTargets)
	a.checkExemptions(&es)
	if a.Name != "" && (len(a.Name) > maxPolicyName || !policyNameRe.MatchString(a.Name)) {
		es.Add("Name", a.Name, "is not an SCP name", "1 to 128 printable ASCII characters, or empty for Pulumi's")
	}
	if len(a.Description) > maxDescription {
		es.Add("Description", a.Description, "is too long", fmt.Sprintf("at most %d characters", maxDescription))
	}
	validate.Tags(&es, "Tags", a.Tags)
	if n := len(a.tags()); n > maxTags {
		es.Add("Exemptions", fmt.Sprintf("%d exemptions and %d tags", len(a.Exemptions), len(a.Tags)),
			fmt.Sprintf("make %d tags on the SCP (one per exemption), over the %d AWS allows a resource", n, maxTags),
			"fewer exemptions or tags")
	}
	for k := range a.Tags {
		if strings.HasPrefix(k, ExemptionTagPrefix) {
			es.Add("Tags", k, "uses rootwatch's exemption tag prefix", "keys not starting with "+ExemptionTagPrefix)
		}
	}
	if err := es.Err("guardrail: invalid args"); err != nil {
		return err
	}
	// The size with the longest organization id there can be; New checks it again with the real one.
	if _, err := policy.RootGuardrailJSON(a.document("o-" + strings.Repeat("x", 32))); err != nil {
		es.Add("Exemptions", fmt.Sprintf("%d exemptions", len(a.Exemptions)), err.Error(), "")
	}
	return es.Err("guardrail: invalid args")
}

func (a *Args) checkTargets(es *validate.Errors, needTargets bool) {
	if len(a.Targets) == 0 && needTargets {
		es.Add("Targets", a.Targets, "is empty", "the organization's root id ("+validate.RootIDRule+
			") or OU ids ("+validate.OrganizationalUnitIDRule+")")
	}
	seen := map[string]bool{}
	for i, t := range a.Targets {
		field := fmt.Sprintf("Targets[%d]", i)
		if !validate.IsRootID(t) && !validate.IsOrganizationalUnitID(t) {
			es.Add(field, t, "is neither a root id nor an OU id",
				validate.RootIDRule+"; or "+validate.OrganizationalUnitIDRule+" (not an account id)")
		}
		if seen[t] {
			es.Add(field, t, "is listed twice", "each target once")
		}
		seen[t] = true
	}
}

func (a *Args) checkExemptions(es *validate.Errors) {
	now := a.now()
	seen := map[string]bool{}
	for i, x := range a.Exemptions {
		field := fmt.Sprintf("Exemptions[%d]", i)
		switch {
		case (x.Account == "") == (x.OU == ""):
			es.Add(field, x.Account+x.OU, "must name exactly one of Account and OU", "an account id or an OU id")
		case x.Account != "" && !awsenv.IsAccountID(x.Account):
			es.Add(field+".Account", x.Account, "is not an account id", "12 digits")
		case x.OU != "" && !validate.IsOrganizationalUnitID(x.OU):
			es.Add(field+".OU", x.OU, "is not an OU id", validate.OrganizationalUnitIDRule)
		}
		if id := x.Account + x.OU; id != "" {
			if seen[id] {
				es.Add(field, id, "is exempted twice", "one exemption per account or OU")
			}
			seen[id] = true
		}
		a.checkExpiry(es, field+".Expires", x.Expires, now)
		r := strings.TrimSpace(x.Reason)
		switch {
		case r == "":
			es.Add(field+".Reason", x.Reason, "is empty",
				"why the exemption exists, or its ticket (e.g. INC-1234 restore S3 bucket policy)")
		case len([]rune(r)) > maxReason || !tagValueRe.MatchString(r):
			es.Add(field+".Reason", x.Reason, "cannot go into a tag value",
				fmt.Sprintf("up to %d letters, digits, spaces and _ . : / = + - @", maxReason))
		}
	}
}

var tagValueRe = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

func (a *Args) checkExpiry(es *validate.Errors, field, s string, now time.Time) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || !strings.HasSuffix(s, "Z") {
		example := now.Add(24 * time.Hour).Truncate(time.Hour).Format(time.RFC3339)
		es.Add(field, s, "is not an RFC 3339 time in UTC", "e.g. "+example)
		return
	}
	switch {
	case !t.After(now):
		es.Add(field, s, fmt.Sprintf("has passed (it is %s): the SCP already denies this exemption",
			now.Format(time.RFC3339)),
			"remove the exemption, or give it a new expiry and reason if root access is still needed")
	case t.Sub(now) > MaxExemptionHorizon:
		es.Add(field, s, "is too far ahead", fmt.Sprintf("at most %d days from now, before %s",
			int(MaxExemptionHorizon.Hours()/24), now.Add(MaxExemptionHorizon).Format(time.RFC3339)))
	}
}

// document is the policy builder's arguments (called once a is valid).
func (a *Args) document(orgID string) policy.RootGuardrailArgs {
	out := policy.RootGuardrailArgs{OrganizationID: orgID}
	for _, x := range a.Exemptions {
		t, _ := time.Parse(time.RFC3339, x.Expires)
		out.Exemptions = append(out.Exemptions, policy.Exemption{Account: x.Account, OU: x.OU, Expires: t})
	}
	return out
}

// ExemptionTagPrefix starts the tag each exemption puts on the SCP: rootwatch:break-glass:<id>, with
// the value "<expiry> <reason>".
const ExemptionTagPrefix = "rootwatch:break-glass:"

// tags are the user's tags and one per exemption.
func (a *Args) tags() map[string]string {
	out := map[string]string{}
	for k, v := range a.Tags {
		out[k] = v
	}
	for _, x := range a.Exemptions {
		out[ExemptionTagPrefix+x.Account+x.OU] = x.Expires + " " + strings.TrimSpace(x.Reason)
	}
	return out
}

// baseDescription is the start of rootwatch's description of the SCP.
const baseDescription = "rootwatch root guardrail: member accounts' root user may act only in " +
	"sts:AssumeRoot sessions; no root access keys."

// description is the user's, or rootwatch's listing the exemptions (their count when they do not
// fit Organizations' 512 characters).
func (a *Args) description() string {
	if a.Description != "" {
		return a.Description
	}
	if len(a.Exemptions) == 0 {
		return baseDescription
	}
	parts := make([]string, len(a.Exemptions))
	for i, x := range a.Exemptions {
		parts[i] = fmt.Sprintf("%s until %s (%s)", x.Account+x.OU, x.Expires, strings.TrimSpace(x.Reason))
	}
	d := baseDescription + " Break-glass: " + strings.Join(parts, "; ") + "."
	if len(d) > maxDescription {
		d = fmt.Sprintf("%s Break-glass: %d exemptions, in the tags %s<id>.", baseDescription, len(a.Exemptions),
			ExemptionTagPrefix)
	}
	return d
}
