package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/policy"
)

// The guardrail's arguments in the dev organization (offline.DefaultOrganization): its root, a
// member account and an OU.
const (
	devRoot   = "r-a1b2"
	devMember = "777788889999"
	devOU     = "ou-a1b2-11111111"
	glassOU   = "ou-a1b2-22222222"
	scpType   = "aws:organizations/policy:Policy"
	attachTyp = "aws:organizations/policyAttachment:PolicyAttachment"
)

// glassExpiry is an exemption expiry Validate accepts when the tests run (the package has no clock
// input: Construct judges expiries by the time it runs).
var glassExpiry = time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour).Format(time.RFC3339)

// glassInputs are a Guardrail with every input set: two OU targets, an account and an OU exemption.
func glassInputs() map[string]any {
	return map[string]any{
		"targets": []any{devOU, glassOU},
		"exemptions": []any{
			map[string]any{"account": devMember, "expires": glassExpiry, "reason": "INC-1234 restore bucket policy"},
			map[string]any{"ou": glassOU, "expires": glassExpiry, "reason": "CHG-77 migration"},
		},
		"name": "rootwatch-root-guardrail", "description": "Root guardrail (dev).", "tags": tagsAny(),
	}
}

// glassArgs are glassInputs as Go Args.
func glassArgs() *guardrail.Args {
	return &guardrail.Args{
		Targets: []string{devOU, glassOU},
		Exemptions: []guardrail.Exemption{
			{Account: devMember, Expires: glassExpiry, Reason: "INC-1234 restore bucket policy"},
			{OU: glassOU, Expires: glassExpiry, Reason: "CHG-77 migration"},
		},
		Name: "rootwatch-root-guardrail", Description: "Root guardrail (dev).", Tags: devTags,
	}
}

// TestCIS_2_1_2_GuardrailConstructRegistersSCPAndAttachments: a Guardrail declared in another
// language registers, under the component, the root-deny SCP with the inputs given (its name,
// description and tags, one break-glass tag per exemption, the content with the organization's id in
// the OU exemption's path) and one attachment of that SCP per target.
func TestCIS_2_1_2_GuardrailConstructRegistersSCPAndAttachments(t *testing.T) {
	rs, resp, err := construct(t, guardrail.TypeToken, "rw", glassInputs())
	if err != nil {
		t.Fatal(err)
	}
	scps, attachments := offline.ByType(rs, scpType), offline.ByType(rs, attachTyp)
	if len(scps) != 1 || len(attachments) != 2 || len(rs) != 4 {
		t.Fatalf("registered %d resources: %d SCPs, %d attachments", len(rs), len(scps), len(attachments))
	}
	for _, r := range rs {
		if r.Type != guardrail.TypeToken && !strings.HasSuffix(r.Parent, guardrail.TypeToken+"::rw") {
			t.Errorf("%s's parent is %q, not the component", r.Name, r.Parent)
		}
	}
	scp := offline.Plain(scps[0].Inputs)
	expires, _ := time.Parse(time.RFC3339, glassExpiry)
	content, err := policy.RootGuardrailJSON(policy.RootGuardrailArgs{
		OrganizationID: offline.DefaultOrganization.ID,
		Exemptions:     []policy.Exemption{{Account: devMember, Expires: expires}, {OU: glassOU, Expires: expires}},
	})
	if err != nil {
		t.Fatal(err)
	}
	wantTags := map[string]any{
		"team": "platform-security", "environment": "dev",
		guardrail.ExemptionTagPrefix + devMember: glassExpiry + " INC-1234 restore bucket policy",
		guardrail.ExemptionTagPrefix + glassOU:   glassExpiry + " CHG-77 migration",
	}
	for key, want := range map[string]any{
		"type": guardrail.PolicyType, "name": "rootwatch-root-guardrail", "description": "Root guardrail (dev).",
		"content": content, "tags": wantTags,
	} {
		if !reflect.DeepEqual(scp[key], want) {
			t.Errorf("SCP %s = %v, want %v", key, scp[key], want)
		}
	}
	if c, _ := scp["content"].(string); !strings.Contains(c, `"aws:AssumedRoot":"true"`) ||
		!strings.Contains(c, offline.DefaultOrganization.ID+"/*/"+glassOU+"/*") {
		t.Errorf("SCP content lacks the AssumeRoot carve-out or the OU exemption's path: %s", c)
	}
	byTarget := map[string]map[string]any{}
	for _, a := range attachments {
		byTarget[strings.TrimPrefix(a.Name, "rw-")] = offline.Plain(a.Inputs)
	}
	for _, target := range []string{devOU, glassOU} {
		in := byTarget[target]
		if id, _ := in["policyId"].(string); in == nil || in["targetId"] != target || !strings.HasPrefix(id, "p-") {
			t.Errorf("attachment rw-%s: %v, want target %s and the SCP's id", target, in, target)
		}
	}
	for _, out := range []string{"policyId", "policyArn", "content", "targets"} {
		if _, ok := resp.State.GetOk(out); !ok {
			t.Errorf("Construct answered no output %s", out)
		}
	}
}

// TestGuardrailBadInputsFailLikeGo: a Guardrail with bad inputs (an account id as target, an
// exemption naming both an account and an OU, with a reason no tag value can hold) fails with the Go
// component's error, before anything is registered. (The expiry is valid: the messages about a bad
// one name the time now, which differs between the two calls.)
func TestGuardrailBadInputsFailLikeGo(t *testing.T) {
	failsLikeGo(t, component{guardrail.TypeToken, "bad", map[string]any{
		"targets": []any{"111122223333"}, "exemptions": []any{map[string]any{
			"account": devMember, "ou": glassOU, "expires": glassExpiry, "reason": "INC#1",
		}},
	}, func(ctx *pulumi.Context, name string) error {
		_, err := guardrail.New(ctx, name, &guardrail.Args{
			Targets: []string{"111122223333"}, Exemptions: []guardrail.Exemption{
				{Account: devMember, OU: glassOU, Expires: glassExpiry, Reason: "INC#1"},
			},
		})
		return err
	}})
}
