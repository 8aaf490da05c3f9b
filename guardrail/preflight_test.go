package guardrail_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// Control Tower's AWS-GR_RESTRICT_ROOT_USER statement, without and with ExemptAssumeRoot.
// https://docs.aws.amazon.com/controltower/latest/controlreference/strongly-recommended-preventive-controls.html
const (
	ctRoot = `{"Version":"2012-10-17","Statement":[{"Sid":"GRRESTRICTROOTUSER","Effect":"Deny","Action":"*",` +
		`"Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":["arn:*:iam::*:root"]}}}]}`
	ctRootExemptAssumeRoot = `{"Version":"2012-10-17","Statement":[{"Sid":"GRRESTRICTROOTUSER","Effect":"Deny",` +
		`"Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":["arn:*:iam::*:root"]},` +
		`"Null":{"aws:AssumedRoot":"true"}}}]}`
	// lzaRoot is a NotAction-style root deny, as Landing Zone Accelerator's guardrail had one.
	lzaRoot = `{"Version":"2012-10-17","Statement":[{"Sid":"ROOT","Effect":"Deny","NotAction":["iam:GetUser",` +
		`"iam:ListMFADevices"],"Resource":"*","Condition":{"StringLike":{"aws:PrincipalArn":"arn:aws:iam::*:root"}}}]}`
	regionDeny = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","NotAction":"iam:*","Resource":"*",` +
		`"Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1"]}}}]}`
)

func org(edit func(*offline.Organization)) *offline.Organization {
	o := offline.DefaultOrganization
	o.OUs = []string{ou, glassOU}
	if edit != nil {
		edit(&o)
	}
	return &o
}

func preflight(t *testing.T, o *offline.Organization, a *guardrail.Args) ([]string, error) {
	t.Helper()
	env := offline.DefaultEnv
	env.Organization = o
	rec, err := offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
		return guardrail.Preflight(ctx, a)
	})
	if len(rec.Resources()) != 0 {
		t.Errorf("Preflight registered %d resources", len(rec.Resources()))
	}
	return rec.Messages(), err
}

func TestPreflightPassesInAnOrganizationReadyForSCPs(t *testing.T) {
	msgs, err := preflight(t, org(nil), args())
	if err != nil || len(msgs) != 0 {
		t.Errorf("err = %v, messages %v", err, msgs)
	}
}

// TestPreflightTargetsTheRootWhenNoneIsGiven: with no Targets, Preflight attaches the guardrail to
// the organization's root, which only the management account is shown; from a member account it
// says so, naming Targets, rather than leave the guardrail with nothing to attach to.
func TestPreflightTargetsTheRootWhenNoneIsGiven(t *testing.T) {
	a := args()
	a.Targets = nil
	if _, err := preflight(t, org(nil), a); err != nil || len(a.Targets) != 1 ||
		a.Targets[0] != offline.DefaultOrganization.RootID {
		t.Errorf("err = %v, targets %v; want the root %s", err, a.Targets, offline.DefaultOrganization.RootID)
	}
	a.Targets = nil
	_, err := preflight(t, org(func(o *offline.Organization) { o.ManagementAccountID = "999988887777" }), a)
	if fe := fieldErr(err, "Targets"); fe == nil || !strings.Contains(fe.Error(), "only its management account is") ||
		len(a.Targets) != 0 {
		t.Errorf("from a member account: err = %v, targets %v", err, a.Targets)
	}
	if err := a.Validate(); err == nil {
		t.Error("Validate (New's check) accepts no targets")
	}
}

func TestPreflightRefusesAnOrganizationThatCannotCarrySCPs(t *testing.T) {
	for name, c := range map[string]struct {
		edit func(*offline.Organization)
		want string
	}{
		"consolidated billing": {func(o *offline.Organization) { o.FeatureSet = "CONSOLIDATED_BILLING" },
			"feature set CONSOLIDATED_BILLING"},
		"SCPs disabled": {func(o *offline.Organization) { o.SCPDisabled = true },
			"enable-policy-type --root-id r-a1b2 "},
		"no organization": {func(o *offline.Organization) { o.NotInUse = true }, "needs an AWS Organization"},
	} {
		_, err := preflight(t, org(c.edit), args())
		if fe := fieldErr(err, "Targets"); fe == nil || !strings.Contains(fe.Error(), c.want) {
			t.Errorf("%s: err = %v; want Targets: %s", name, err, c.want)
		}
	}
}

func TestPreflightRefusesUnknownOUsAndTheManagementAccount(t *testing.T) {
	a := args()
	a.Targets = []string{"r-zz99", "ou-a1b2-99999999"}
	a.Exemptions[0].Account = offline.DefaultEnv.AccountID // the management account
	a.Exemptions[1].OU = "ou-a1b2-88888888"
	_, err := preflight(t, org(nil), a)
	for field, want := range map[string]string{
		"Targets[0]":            "not in organization o-a1b2c3d4e5",
		"Targets[1]":            "not in organization",
		"Exemptions[0].Account": "the management account, which no SCP covers",
		"Exemptions[1].OU":      "not an OU of organization",
	} {
		if fe := fieldErr(err, field); fe == nil || !strings.Contains(fe.Error(), want) {
			t.Errorf("%s: err = %v; want %q", field, err, want)
		}
	}
}

func TestPreflightNamesSCPsThatBreakAssumeRootSessions(t *testing.T) {
	scps := []offline.SCP{
		{ID: "p-ct000001", Name: "aws-guardrails-AbCdEf", Content: ctRoot, Targets: []string{ou}},
		{ID: "p-lza00001", Name: "LZA-Guardrails-Sensitive", Content: lzaRoot, Targets: []string{"r-a1b2"}},
		{ID: "p-ok000001", Name: "aws-guardrails-GhIjKl", Content: ctRootExemptAssumeRoot, Targets: []string{glassOU}},
		{ID: "p-region01", Name: "region-deny", Content: regionDeny, Targets: []string{glassOU}},
	}
	msgs, err := preflight(t, org(func(o *offline.Organization) { o.SCPs = scps }), args())
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{
		"SCP aws-guardrails-AbCdEf (p-ct000001, attached to " + ou + ") holds Control Tower's " +
			"AWS-GR_RESTRICT_ROOT_USER (Sid GRRESTRICTROOTUSER) without ExemptAssumeRoot",
		"ExemptAssumeRoot: true",
		"SCP LZA-Guardrails-Sensitive (p-lza00001, attached to r-a1b2) denies iam:DeleteLoginProfile " +
			"inside sts:AssumeRoot sessions",
		"SCP region-deny (p-region01, attached to " + glassOU + ") could not be evaluated",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "GhIjKl") || strings.Contains(all, "FullAWSAccess") {
		t.Errorf("an SCP that lets AssumeRoot through is named:\n%s", all)
	}
}

func TestPreflightFromAMemberAccountWarnsItMustBeADelegatedAdministrator(t *testing.T) {
	msgs, err := preflight(t, org(func(o *offline.Organization) { o.ManagementAccountID = "999988887777" }), args())
	if err != nil || len(msgs) != 1 || !strings.Contains(msgs[0], "delegated administrator for Organizations") {
		t.Errorf("err = %v, messages %v", err, msgs)
	}
}
