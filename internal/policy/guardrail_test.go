package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/internal/scpeval"
)

const (
	member      = "444455556666"
	breakGlass  = "777788889999"
	breakGlass2 = "123456789012"
	glassOU     = "ou-a1b2-11111111"
	otherOU     = "ou-a1b2-22222222"
)

var (
	glassUntil = time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	ouUntil    = time.Date(2027, 1, 20, 6, 30, 0, 0, time.UTC)
	// guardrailExemptions: two accounts sharing an expiry (one statement), an OU with its own.
	guardrailExemptions = RootGuardrailArgs{OrganizationID: orgID, Exemptions: []Exemption{
		{Account: breakGlass, Expires: glassUntil},
		{OU: glassOU, Expires: ouUntil},
		{Account: breakGlass2, Expires: glassUntil},
	}}
)

// controlTowerRestrictRootUser is Control Tower's AWS-GR_RESTRICT_ROOT_USER as enabled without
// ExemptAssumeRoot (the control reference's artifact with neither parameter set).
// https://docs.aws.amazon.com/controltower/latest/controlreference/strongly-recommended-preventive-controls.html
const controlTowerRestrictRootUser = `{"Version":"2012-10-17","Statement":[` +
	`{"Sid":"GRRESTRICTROOTUSER","Effect":"Deny","Action":"*","Resource":"*",` +
	`"Condition":{"ArnLike":{"aws:PrincipalArn":["arn:*:iam::*:root"]}}}]}`

// call is a request by account's principal, in partition p, under OU path ou (under the root).
func call(p, account, principal, ou, action string, at time.Time) scpeval.Request {
	path := orgID + "/r-a1b2/"
	if ou != "" {
		path += ou + "/"
	}
	return scpeval.Request{
		Action: action, PrincipalARN: "arn:" + p + ":iam::" + account + ":" + principal, Account: account,
		OrgPaths: []string{path}, Time: at,
	}
}

func rootCall(account, ou, action string, at time.Time) scpeval.Request {
	return call("aws", account, "root", ou, action, at)
}

func assumeRootCall(account, action string) scpeval.Request {
	r := rootCall(account, "", action, before)
	r.AssumedRoot = true
	return r
}

var before = time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)

func guardrail(t *testing.T, a RootGuardrailArgs) string {
	t.Helper()
	s, err := RootGuardrailJSON(a)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decide(t *testing.T, policy string, r scpeval.Request) scpeval.Decision {
	t.Helper()
	d, err := scpeval.EvaluateJSON(policy, r)
	if err != nil {
		t.Fatalf("%s by %s: %v", r.Action, r.PrincipalARN, err)
	}
	return d
}

func TestCIS_2_1_2_RootGuardrail_MemberRootDenied(t *testing.T) {
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov"} {
		for _, a := range []RootGuardrailArgs{{}, guardrailExemptions} {
			d := decide(t, guardrail(t, a), call(p, member, "root", otherOU, "s3:PutBucketPolicy", before))
			if !d.Denied || d.Sid != SidDenyRootExceptAssumeRoot {
				t.Errorf("%s, %d exemptions: %v; want denied by %s", p, len(a.Exemptions), d,
					SidDenyRootExceptAssumeRoot)
			}
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_RootAccessKeyCreationDenied(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	for name, r := range map[string]scpeval.Request{
		"long-term root":            rootCall(member, "", "iam:CreateAccessKey", before),
		"AssumeRoot session":        assumeRootCall(member, "iam:CreateAccessKey"),
		"break-glass account":       rootCall(breakGlass, "", "iam:CreateAccessKey", before),
		"break-glass OU":            rootCall(member, glassOU, "iam:CreateAccessKey", before),
		"break-glass AssumeRoot":    assumeRootCall(breakGlass, "iam:CreateAccessKey"),
		"lowercase action (IAM ci)": rootCall(breakGlass, "", "iam:createaccesskey", before),
	} {
		// Long-term root outside the exemptions is denied by the first statement already.
		want := SidDenyRootAlways
		if name == "long-term root" {
			want = SidDenyRootExceptAssumeRoot
		}
		if d := decide(t, doc, r); !d.Denied || d.Sid != want {
			t.Errorf("%s: %v; want denied by %s", name, d, want)
		}
	}
}

// TestCIS_2_1_2_RootGuardrail_BreakGlassCannotOutlastItsExpiry: an exempted root user, before its
// expiry, still may not take its account out of the organization (and so out from under every SCP)
// or mint federated-user sessions, which the root deny would not match.
func TestCIS_2_1_2_RootGuardrail_BreakGlassCannotOutlastItsExpiry(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	for _, action := range []string{"organizations:LeaveOrganization", "sts:GetFederationToken"} {
		for name, r := range map[string]scpeval.Request{
			"break-glass account":    rootCall(breakGlass, "", action, before),
			"break-glass OU":         rootCall(member, glassOU, action, before),
			"break-glass AssumeRoot": assumeRootCall(breakGlass, action),
		} {
			if d := decide(t, doc, r); !d.Denied || d.Sid != SidDenyRootAlways {
				t.Errorf("%s %s: %v; want denied by %s", name, action, d, SidDenyRootAlways)
			}
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_AssumeRootSessionAllowed(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	actions := []string{
		"iam:DeleteLoginProfile", "iam:DeactivateMFADevice", "s3:DeleteBucketPolicy", "iam:GetAccountSummary",
	}
	for _, action := range actions {
		if d := decide(t, doc, assumeRootCall(member, action)); d.Denied {
			t.Errorf("%s in an AssumeRoot session: %v", action, d)
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_IAMRolesUntouched(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	principals := []string{"role/Admin", "user/alice", "role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123"}
	for _, principal := range principals {
		for _, action := range []string{"iam:CreateAccessKey", "s3:PutBucketPolicy", "*"} {
			if d := decide(t, doc, call("aws", member, principal, otherOU, action, before)); d.Denied {
				t.Errorf("%s %s: %v", principal, action, d)
			}
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_BreakGlassAccountUntilExpiry(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	for _, account := range []string{breakGlass, breakGlass2} {
		if d := decide(t, doc, rootCall(account, otherOU, "s3:PutBucketPolicy", glassUntil)); d.Denied {
			t.Errorf("%s at its expiry: %v; want allowed until then", account, d)
		}
		d := decide(t, doc, rootCall(account, otherOU, "s3:PutBucketPolicy", glassUntil.Add(time.Second)))
		if !d.Denied || d.Sid != SidRootExemptionExpired+"1" {
			t.Errorf("%s after its expiry: %v; want denied by %s1", account, d, SidRootExemptionExpired)
		}
	}
}

func TestCIS_2_1_2_RootGuardrail_BreakGlassOUUntilExpiry(t *testing.T) {
	doc := guardrail(t, guardrailExemptions)
	for _, path := range []string{glassOU, otherOU + "/" + glassOU, glassOU + "/ou-a1b2-33333333"} {
		if d := decide(t, doc, rootCall(member, path, "ec2:RunInstances", ouUntil.Add(-time.Hour))); d.Denied {
			t.Errorf("under %s before the OU's expiry: %v", path, d)
		}
		d := decide(t, doc, rootCall(member, path, "ec2:RunInstances", ouUntil.Add(time.Second)))
		if !d.Denied || d.Sid != SidRootExemptionExpired+"2" {
			t.Errorf("under %s after the OU's expiry: %v; want denied by %s2", path, d, SidRootExemptionExpired)
		}
	}
	// An OU whose id merely starts like the exempted one is not exempted.
	if d := decide(t, doc, rootCall(member, glassOU+"9", "ec2:RunInstances", before)); !d.Denied {
		t.Errorf("an OU id extending the exempted one is exempted: %v", d)
	}
	// Without org paths in the request, the exemptions fail closed.
	r := rootCall(member, glassOU, "ec2:RunInstances", before)
	r.OrgPaths = nil
	if d := decide(t, doc, r); !d.Denied {
		t.Errorf("a root request without aws:PrincipalOrgPaths is not denied: %v", d)
	}
}

// Control Tower's control, enabled without ExemptAssumeRoot, denies the AssumeRoot sessions the
// guardrail lets through; the evaluator says so.
func TestCIS_2_1_2_RootGuardrail_ControlTowerWithoutExemptAssumeRootBreaksAssumeRoot(t *testing.T) {
	r := assumeRootCall(member, "iam:DeleteLoginProfile")
	d, err := scpeval.Evaluate(r,
		scpeval.Policy{Name: "rootwatch guardrail", Content: guardrail(t, RootGuardrailArgs{})},
		scpeval.Policy{Name: "aws-guardrails-AbCdEf", Content: controlTowerRestrictRootUser})
	if err != nil || !d.Denied || d.Sid != "GRRESTRICTROOTUSER" || d.Policy != "aws-guardrails-AbCdEf" {
		t.Errorf("%v, %v; want denied by GRRESTRICTROOTUSER", d, err)
	}
}

func TestCIS_2_1_2_RootGuardrail_MinifiedAndWithinTheSCPLimit(t *testing.T) {
	s := guardrail(t, guardrailExemptions)
	if strings.ContainsAny(s, "\n\t") || strings.Contains(s, `": `) || strings.Contains(s, `, "`) {
		t.Errorf("not minified: %s", s)
	}
	if len(s) > MaxSCPSize {
		t.Errorf("%d characters", len(s))
	}
	var many RootGuardrailArgs
	many.OrganizationID = orgID
	for i := range 80 {
		ou := "ou-a1b2-000000" + string(rune('a'+i/26)) + string(rune('a'+i%26))
		at := glassUntil.Add(time.Duration(i) * time.Hour)
		many.Exemptions = append(many.Exemptions, Exemption{OU: ou, Expires: at})
	}
	_, err := RootGuardrailJSON(many)
	if err == nil || !strings.Contains(err.Error(), "over the 5120") ||
		!strings.Contains(err.Error(), "OU ou-a1b2-000000aa until 2027-01-15T00:00:00Z") {
		t.Errorf("err = %v; want the size refused, naming the exemptions", err)
	}
}

func TestRootGuardrail_BadExemptions(t *testing.T) {
	one := func(xs ...Exemption) RootGuardrailArgs { return RootGuardrailArgs{Exemptions: xs} }
	for _, c := range []struct {
		a    RootGuardrailArgs
		want string
	}{
		{RootGuardrailArgs{Exemptions: []Exemption{{Expires: glassUntil}}}, "exactly one account or one OU"},
		{one(Exemption{Account: breakGlass, OU: glassOU, Expires: glassUntil}), "exactly one"},
		{RootGuardrailArgs{Exemptions: []Exemption{{Account: "1234", Expires: glassUntil}}}, "not an account id"},
		{RootGuardrailArgs{OrganizationID: orgID, Exemptions: []Exemption{{OU: "ou-x", Expires: ouUntil}}}, "OU id"},
		{RootGuardrailArgs{Exemptions: []Exemption{{OU: glassOU, Expires: glassUntil}}}, "needed for OU exemptions"},
		{RootGuardrailArgs{Exemptions: []Exemption{{Account: breakGlass}}}, "Expires"},
		{one(Exemption{Account: breakGlass, Expires: glassUntil}, Exemption{Account: breakGlass, Expires: ouUntil}),
			"twice"},
	} {
		_, err := RootGuardrailJSON(c.a)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v; want %q", c.a, err, c.want)
		}
	}
}
