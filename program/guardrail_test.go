package program

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// pinClock judges break-glass expiries at a fixed time for the test.
func pinClock(t *testing.T, now time.Time) {
	t.Helper()
	clock = func() time.Time { return now }
	t.Cleanup(func() { clock = nil })
}

// TestCIS_2_1_2_RootGuardrailFromConfig: rootwatch:rootGuardrail attaches the root guardrail SCP to
// the organization's root when no target is set, or to the OUs given, with the break-glass
// exemptions of rootwatch:rootBreakGlass, and exports the policy id and targets.
func TestCIS_2_1_2_RootGuardrailFromConfig(t *testing.T) {
	pinClock(t, time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	org := offline.DefaultOrganization
	org.OUs = []string{"ou-a1b2-11111111", "ou-a1b2-22222222"}
	env := offline.DefaultEnv
	env.Organization = &org
	for _, c := range []struct {
		name    string
		targets string
		want    []string
	}{
		{"the root by default", "", []string{org.RootID}},
		{"chosen OUs", `["ou-a1b2-11111111","ou-a1b2-22222222"]`, []string{"ou-a1b2-11111111", "ou-a1b2-22222222"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := map[string]string{
				"rootwatch:rootGuardrail":  "true",
				"rootwatch:rootBreakGlass": `{"444455556666":"2026-12-09T18:00:00Z INC-4521 restore bucket policy"}`,
			}
			if c.targets != "" {
				cfg["rootwatch:rootGuardrailTargets"] = c.targets
			}
			rec, err := runProgram(cfg, &env)
			if err != nil {
				t.Fatal(err)
			}
			rs := rec.Resources()
			scps := offline.ByType(rs, "aws:organizations/policy:Policy")
			if len(scps) != 1 {
				t.Fatalf("%d SCPs", len(scps))
			}
			in := offline.Plain(scps[0].Inputs)
			content, _ := in["content"].(string)
			for _, want := range []string{`"aws:AssumedRoot":"true"`, `"444455556666"`, `"2026-12-09T18:00:00Z"`,
				`"iam:CreateAccessKey"`} {
				if !strings.Contains(content, want) {
					t.Errorf("the SCP lacks %s: %s", want, content)
				}
			}
			if in["type"] != guardrail.PolicyType || scps[0].Parent == "" {
				t.Errorf("SCP type %v, parent %q", in["type"], scps[0].Parent)
			}
			var got []string
			for _, a := range offline.ByType(rs, "aws:organizations/policyAttachment:PolicyAttachment") {
				got = append(got, offline.Plain(a.Inputs)["targetId"].(string))
			}
			sort.Strings(got) // registrations are recorded as the SDK sends them, not in call order
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("attached to %v, want %v", got, c.want)
			}
		})
	}
}

// TestRootGuardrailConfigErrors: a break-glass exemption that has expired, a target outside the
// organization, or the guardrail in an account that cannot see the organization's root fail before
// anything is registered, naming the key, the value and what is allowed.
func TestRootGuardrailConfigErrors(t *testing.T) {
	pinClock(t, time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	member := offline.DefaultEnv
	member.Organization = &offline.Organization{ID: "o-a1b2c3d4e5", ManagementAccountID: "999988887777",
		FeatureSet: "ALL"}
	const expired = `{"444455556666":"2026-12-01T00:00:00Z INC-1"}`
	for _, c := range []struct {
		name string
		cfg  map[string]string
		env  *offline.Env
		want []string
	}{
		{"expired exemption", map[string]string{"rootwatch:rootBreakGlass": expired}, nil, []string{
			`rootwatch:rootBreakGlass.444455556666: "2026-12-01T00:00:00Z" has passed (it is 2026-12-08T09:00:00Z)`,
			"remove the exemption"}},
		{"no reason", map[string]string{"rootwatch:rootBreakGlass": `{"ou-a1b2-11111111":"2026-12-09T00:00:00Z"}`},
			nil, []string{"rootwatch:rootBreakGlass.ou-a1b2-11111111", "is empty"}},
		{"bad target", map[string]string{"rootwatch:rootGuardrailTargets": `["111122223333"]`}, nil,
			[]string{`rootwatch:rootGuardrailTargets[0]: "111122223333" is neither a root id nor an OU id`}},
		{"unknown OU", map[string]string{"rootwatch:rootGuardrailTargets": `["ou-a1b2-99999999"]`}, nil,
			[]string{`rootwatch:rootGuardrailTargets`, "ou-a1b2-99999999"}},
		{"member account", map[string]string{}, &member, []string{"rootwatch:rootGuardrailTargets: [] is empty",
			"deploy from the organization's management account"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := map[string]string{"rootwatch:rootGuardrail": "true"}
			for k, v := range c.cfg {
				cfg[k] = v
			}
			rec, err := runProgram(cfg, c.env)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range c.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}
