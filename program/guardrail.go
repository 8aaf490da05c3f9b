package program

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Config keys of the root guardrail (package guardrail).
const (
	KeyRootGuardrail        = "rootGuardrail"
	KeyRootGuardrailTargets = "rootGuardrailTargets"
	KeyRootBreakGlass       = "rootBreakGlass"
)

// clock is what break-glass expiries are judged by; nil is time.Now (tests set it).
var clock func() time.Time

// guardrailKeys defines the keys of the root guardrail SCP.
func (ks *keySet) guardrailKeys(s *settings) {
	ks.Bool(KeyRootGuardrail, false, "Organizations: attach the root guardrail, a service control policy that "+
		"denies every action to member accounts' root user except inside sts:AssumeRoot sessions (centralized root "+
		"access), and, with no exception, creating root access keys, leaving the organization and "+
		"sts:GetFederationToken. Deploy from the management account of an organization with all features and SCPs "+
		"enabled. No SCP covers the management account itself. See docs/organizations.md.",
		to(&s.RootGuardrail, "RootGuardrail"))
	ks.List(KeyRootGuardrailTargets, nil, "Where the root guardrail is attached: OU ids (ou-...) or the "+
		"organization's root id (r-...). Empty: the organization's root, so every member account.",
		to(&s.Guardrail.Targets, "guardrail.Targets"))
	define(ks, KeyRootBreakGlass, "object", map[string]any{}, "Break-glass exemptions from the root guardrail: "+
		"a member account id or OU id, mapped to its expiry and reason, such as 111122223333: "+
		"\"2026-12-09T18:00:00Z INC-4521 restore the bucket policy\". The expiry is an RFC 3339 time in UTC at most "+
		"30 days ahead; the SCP closes the exemption then, and pulumi up refuses it from then on until it is removed. "+
		"Root access keys, leaving the organization and federation tokens stay denied.",
		func(r *reader) []guardrail.Exemption { return breakGlassExemptions(r.object(KeyRootBreakGlass)) },
		[]dest[[]guardrail.Exemption]{to(&s.Guardrail.Exemptions, "guardrail.Exemptions")})
}

// breakGlassExemptions turns rootwatch:rootBreakGlass into the guardrail's exemptions, sorted by id.
func breakGlassExemptions(m map[string]string) []guardrail.Exemption {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []guardrail.Exemption
	for _, id := range ids {
		expires, reason, _ := strings.Cut(strings.TrimSpace(m[id]), " ")
		x := guardrail.Exemption{Expires: expires, Reason: reason}
		if strings.HasPrefix(id, "ou-") {
			x.OU = id
		} else {
			x.Account = id
		}
		out = append(out, x)
	}
	return out
}

// byExemptionID files the guardrail's errors about an exemption (Exemptions[i], Exemptions[i].Expires)
// under its id (Exemptions.<id>), which renames to rootwatch:rootBreakGlass.<id>, the key a user sets.
func byExemptionID(s *settings, err error) error {
	for _, f := range validate.Fields(err) {
		var i int
		if _, scan := fmt.Sscanf(f.Field, "Exemptions[%d]", &i); scan == nil && i < len(s.Guardrail.Exemptions) {
			x := s.Guardrail.Exemptions[i]
			f.Field = "Exemptions." + x.Account + x.OU
		}
	}
	return err
}

// guardrailProbeRoot stands in for the organization's root, found by guardrailPreflight, while the
// other arguments are validated.
const guardrailProbeRoot = "r-0000"

// validateGuardrail checks the guardrail's arguments as they are configured.
func validateGuardrail(s *settings) validate.Errors {
	if !s.RootGuardrail {
		return nil
	}
	probe := s.Guardrail
	if len(probe.Targets) == 0 {
		probe.Targets = []string{guardrailProbeRoot}
	}
	return renamed("guardrail", byExemptionID(s, probe.Validate()))
}

// guardrailPreflight attaches the guardrail to the organization's root when no target is
// configured, then runs guardrail.Preflight: the organization, its SCP policy type, the deploying
// account, the targets and exemptions, and the SCPs already attached.
func guardrailPreflight(ctx *pulumi.Context, s *settings) error {
	if !s.RootGuardrail {
		return nil
	}
	if len(s.Guardrail.Targets) == 0 {
		env, err := awsenv.Lookup(ctx)
		if err != nil {
			return err
		}
		org, err := awsenv.LookupOrganization(ctx, env)
		if err != nil || len(org.Roots) == 0 {
			var es validate.Errors
			why := "needs the organization's root, which only its management account is shown"
			if err != nil {
				why = err.Error()
			}
			es.Add("RootGuardrail", true, why, "deploy from the organization's management account, or set "+
				namespace+":"+KeyRootGuardrail+" to false")
			return es.Err("guardrail: invalid args")
		}
		s.Guardrail.Targets = []string{org.Roots[0]}
	}
	return byExemptionID(s, guardrail.Preflight(ctx, &s.Guardrail))
}

// deployGuardrail creates the root guardrail when it is on; its outputs are empty otherwise.
func deployGuardrail(ctx *pulumi.Context, s *settings) (pulumi.StringOutput, pulumi.StringArrayOutput, error) {
	if !s.RootGuardrail {
		return pulumi.String("").ToStringOutput(), pulumi.StringArray{}.ToStringArrayOutput(), nil
	}
	g, err := guardrail.New(ctx, "rootwatch", &s.Guardrail)
	if err != nil {
		return pulumi.StringOutput{}, pulumi.StringArrayOutput{}, err
	}
	return g.PolicyId, g.Targets, nil
}
