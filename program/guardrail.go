package program

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/validate"
)

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

// guardrailProbeRoot stands in for the organization's root, which guardrail.Preflight fills in,
// while the other arguments are validated.
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

// guardrailPreflight runs guardrail.Preflight (which attaches the guardrail to the organization's
// root when rootwatch:rootGuardrailTargets is empty): the organization, its SCP policy type, the
// deploying account, the targets and exemptions, and the SCPs already attached.
func guardrailPreflight(ctx *pulumi.Context, s *settings) error {
	if !s.RootGuardrail {
		return nil
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
