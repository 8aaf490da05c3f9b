package guardrail_test

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/scpeval"
	"github.com/rootwatch/rootwatch/internal/validate"
)

const (
	tComp   = guardrail.TypeToken
	tPolicy = "aws:organizations/policy:Policy"
	tAttach = "aws:organizations/policyAttachment:PolicyAttachment"
	getOrg  = "aws:organizations/getOrganization:getOrganization"
	root    = "r-a1b2"
	ou      = "ou-a1b2-11111111"
	glassOU = "ou-a1b2-22222222"
	account = "777788889999"
)

var now = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

func clock() time.Time { return now }

func args() *guardrail.Args {
	return &guardrail.Args{
		Targets: []string{root},
		Exemptions: []guardrail.Exemption{
			{Account: account, Expires: "2027-01-11T09:00:00Z", Reason: "INC-1234 restore bucket policy"},
			{OU: glassOU, Expires: "2027-01-12T00:00:00Z", Reason: "CHG-77 migration"},
		},
		Tags: map[string]string{"team": "platform-security"},
		Now:  clock,
	}
}

type run struct {
	rec *offline.Recorder
	rs  []offline.Resource
}

func deploy(t *testing.T, a *guardrail.Args) (run, error) {
	t.Helper()
	rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
		_, err := guardrail.New(ctx, "rw", a)
		return err
	})
	return run{rec: rec, rs: rec.Resources()}, err
}

func in(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

func TestCIS_2_1_2_RootGuardrail_OneSCPAttachedToEachTarget(t *testing.T) {
	a := args()
	a.Targets = []string{ou, "ou-a1b2-33333333"}
	r, err := deploy(t, a)
	if err != nil {
		t.Fatal(err)
	}
	ps, as := offline.ByType(r.rs, tPolicy), offline.ByType(r.rs, tAttach)
	if len(ps) != 1 || len(as) != 2 || len(r.rs) != 4 {
		t.Fatalf("registered %d resources, %d policies, %d attachments", len(r.rs), len(ps), len(as))
	}
	p := in(ps[0])
	if p["type"] != "SERVICE_CONTROL_POLICY" || ps[0].Name != "rw-scp" {
		t.Errorf("policy %s: type %v", ps[0].Name, p["type"])
	}
	if _, named := p["name"]; named {
		t.Errorf("name %v set; want Pulumi's auto-naming", p["name"])
	}
	// Registrations are recorded as the SDK sends them, not in call order: match by name.
	byName := map[string]offline.Resource{}
	for _, at := range as {
		byName[at.Name] = at
	}
	for _, want := range a.Targets {
		at, ok := byName["rw-"+want]
		id, _ := in(at)["policyId"].(string)
		if !ok || in(at)["targetId"] != want || !strings.HasPrefix(id, "p-") {
			t.Errorf("attachment rw-%s: %v, want target %s and the SCP's id", want, in(at), want)
		}
	}
	for _, res := range append(ps, as...) {
		if !strings.HasSuffix(res.Parent, tComp+"::rw") {
			t.Errorf("%s parent = %q", res.Name, res.Parent)
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_ContentIsTheMinifiedDocumentWithTheOrganizationsID(t *testing.T) {
	r, err := deploy(t, args())
	if err != nil {
		t.Fatal(err)
	}
	got := in(offline.ByType(r.rs, tPolicy)[0])["content"].(string)
	want, err := policy.RootGuardrailJSON(policy.RootGuardrailArgs{OrganizationID: offline.DefaultOrganization.ID,
		Exemptions: []policy.Exemption{
			{Account: account, Expires: time.Date(2027, 1, 11, 9, 0, 0, 0, time.UTC)},
			{OU: glassOU, Expires: time.Date(2027, 1, 12, 0, 0, 0, 0, time.UTC)},
		}})
	if err != nil || got != want {
		t.Errorf("content = %s\nwant %s (%v)", got, want, err)
	}
	if !slices.Contains(r.rec.Invokes(), getOrg) {
		t.Errorf("the organization was not looked up for the OU exemption's path")
	}
	// The deployed SCP lets the exempted OU's root in before its expiry and not after.
	req := scpeval.Request{Action: "s3:PutBucketPolicy", PrincipalARN: "arn:aws:iam::444455556666:root",
		Account: "444455556666", OrgPaths: []string{"o-a1b2c3d4e5/r-a1b2/" + glassOU + "/"}, Time: now}
	for at, denied := range map[time.Time]bool{now: false, now.Add(48 * time.Hour): true} {
		req.Time = at
		if d, err := scpeval.EvaluateJSON(got, req); err != nil || d.Denied != denied {
			t.Errorf("at %s: %v, %v; want denied %v", at, d, err, denied)
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_ReasonsInDescriptionAndTagsNotContent(t *testing.T) {
	r, err := deploy(t, args())
	if err != nil {
		t.Fatal(err)
	}
	p := in(offline.ByType(r.rs, tPolicy)[0])
	if strings.Contains(p["content"].(string), "INC-1234") {
		t.Errorf("the reason is in the content")
	}
	d := p["description"].(string)
	if !strings.Contains(d, account+" until 2027-01-11T09:00:00Z (INC-1234 restore bucket policy)") || len(d) > 512 {
		t.Errorf("description = %q", d)
	}
	want := map[string]any{
		"team":                                 "platform-security",
		guardrail.ExemptionTagPrefix + account: "2027-01-11T09:00:00Z INC-1234 restore bucket policy",
		guardrail.ExemptionTagPrefix + glassOU: "2027-01-12T00:00:00Z CHG-77 migration",
	}
	if !reflect.DeepEqual(p["tags"], want) {
		t.Errorf("tags = %v, want %v", p["tags"], want)
	}
}

func TestNoOUExemptionNoOrganizationLookup(t *testing.T) {
	a := args()
	a.Exemptions = a.Exemptions[:1]
	a.Name = "rootwatch-root-guardrail"
	r, err := deploy(t, a)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.rec.Invokes()) != 0 {
		t.Errorf("invoked %v", r.rec.Invokes())
	}
	if got := in(offline.ByType(r.rs, tPolicy)[0])["name"]; got != a.Name {
		t.Errorf("name = %v", got)
	}
}

func fieldErr(err error, field string) *validate.FieldError {
	for _, fe := range validate.Fields(err) {
		if fe.Field == field {
			return fe
		}
	}
	return nil
}

func TestValidateRefusesBeforeAnyResource(t *testing.T) {
	const day = "2027-01-11T00:00:00Z"
	ex := func(x guardrail.Exemption) func(*guardrail.Args) {
		return func(a *guardrail.Args) { a.Exemptions = []guardrail.Exemption{x} }
	}
	acct := func(expires, reason string) func(*guardrail.Args) {
		return ex(guardrail.Exemption{Account: account, Expires: expires, Reason: reason})
	}
	targets := func(ts ...string) func(*guardrail.Args) { return func(a *guardrail.Args) { a.Targets = ts } }
	cases := []struct {
		name, field, want string
		edit              func(*guardrail.Args)
	}{
		{"no target", "Targets", "is empty", targets()},
		{"account target", "Targets[0]", "neither a root id nor an OU id", targets(account)},
		{"bad OU target", "Targets[0]", "neither", targets("ou-AB12-1")},
		{"duplicate target", "Targets[1]", "listed twice", targets(ou, ou)},
		{"expired", "Exemptions[0].Expires", "has passed (it is 2027-01-10T09:00:00Z)",
			acct("2027-01-10T08:59:59Z", "x")},
		{"too far", "Exemptions[0].Expires", "too far ahead", acct("2027-02-10T09:00:01Z", "x")},
		{"not UTC", "Exemptions[0].Expires", "RFC 3339 time in UTC", acct("2027-01-11T09:00:00+02:00", "x")},
		{"not a time", "Exemptions[0].Expires", "RFC 3339", acct("tomorrow", "x")},
		{"no reason", "Exemptions[0].Reason", "is empty", acct(day, " ")},
		{"reason not a tag value", "Exemptions[0].Reason", "tag value", acct(day, "INC#1")},
		{"both", "Exemptions[0]", "exactly one",
			ex(guardrail.Exemption{Account: account, OU: ou, Expires: day, Reason: "x"})},
		{"bad account", "Exemptions[0].Account", "not an account id",
			ex(guardrail.Exemption{Account: "7", Expires: day, Reason: "x"})},
		{"bad OU", "Exemptions[0].OU", "not an OU id", ex(guardrail.Exemption{OU: "ou-1", Expires: day, Reason: "x"})},
		{"duplicate exemption", "Exemptions[1]", "exempted twice",
			func(a *guardrail.Args) { a.Exemptions[1] = a.Exemptions[0] }},
		{"reserved tag", "Tags", "exemption tag prefix",
			func(a *guardrail.Args) { a.Tags = map[string]string{guardrail.ExemptionTagPrefix + "x": "y"} }},
		{"name", "Name", "not an SCP name", func(a *guardrail.Args) { a.Name = "é" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := args()
			c.edit(a)
			r, err := deploy(t, a)
			fe := fieldErr(err, c.field)
			if fe == nil || !strings.Contains(fe.Error(), c.want) {
				t.Fatalf("err = %v; want %s: %s", err, c.field, c.want)
			}
			if len(r.rs) != 0 || len(r.rec.Invokes()) != 0 {
				t.Errorf("registered %d resources, invoked %v", len(r.rs), r.rec.Invokes())
			}
		})
	}
}

func TestValidateRefusesTooManyExemptionsForTheSCPSize(t *testing.T) {
	a := args()
	a.Exemptions = nil
	for i := range 30 { // under the tag limit; each with its own expiry statement
		a.Exemptions = append(a.Exemptions, guardrail.Exemption{
			OU:      fmt.Sprintf("ou-a1b2-%08d", i),
			Expires: now.Add(time.Duration(i+1) * time.Hour).Format(time.RFC3339), Reason: "x",
		})
	}
	fe := fieldErr(a.Validate(), "Exemptions")
	if fe == nil || !strings.Contains(fe.Error(), "over the 5120") {
		t.Errorf("err = %v", a.Validate())
	}
}

// TestValidateRefusesMoreTagsThanAWSAllows: each exemption puts a tag on the SCP beside the user's,
// and AWS refuses a resource with more than 50 tags, so Validate does before anything is created.
func TestValidateRefusesMoreTagsThanAWSAllows(t *testing.T) {
	a := args()
	a.Exemptions = nil
	a.Tags = map[string]string{"team": "security", "cost-center": "sec"}
	for i := range 49 { // the SCP stays small: one expiry for all
		a.Exemptions = append(a.Exemptions, guardrail.Exemption{
			Account: fmt.Sprintf("1000000000%02d", i), Expires: now.Add(time.Hour).Format(time.RFC3339), Reason: "x",
		})
	}
	fe := fieldErr(a.Validate(), "Exemptions")
	if fe == nil || !strings.Contains(fe.Error(), "make 51 tags on the SCP") {
		t.Errorf("err = %v", a.Validate())
	}
	a.Tags = nil
	if err := a.Validate(); err != nil {
		t.Errorf("49 exemptions and no tags: %v", err)
	}
}
