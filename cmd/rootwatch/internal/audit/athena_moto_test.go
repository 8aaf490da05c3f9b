//go:build integration

package audit

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/rootwatch/rootwatch/athena"
)

// motoOrg creates, in moto, an organization of the moto account (its management account) and one
// member account, and returns the organization id, the management account and the member.
func (a *motoAccount) motoOrg() (orgID, management, member string) {
	a.t.Helper()
	ctx := context.Background()
	oc := organizations.NewFromConfig(a.cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(a.url) })
	org, err := oc.CreateOrganization(
		ctx,
		&organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll},
	)
	if err != nil {
		a.t.Fatal(err)
	}
	created, err := oc.CreateAccount(
		ctx,
		&organizations.CreateAccountInput{
			AccountName: aws.String("joined-later"),
			Email:       aws.String("joined-later@example.com"),
		},
	)
	if err != nil {
		a.t.Fatal(err)
	}
	member = aws.ToString(created.CreateAccountStatus.AccountId)
	if member == "" {
		a.t.Fatalf("moto created no account: %+v", created.CreateAccountStatus)
	}
	return aws.ToString(org.Organization.Id), aws.ToString(org.Organization.MasterAccountId), member
}

// athenaTable creates (or, with update, replaces) the Glue table rootwatch:athena deploys,
// projecting accounts under the layout of organization orgID ("" for an account trail), with
// athena.Projection's parameters.
func (a *motoAccount) athenaTable(database, table, orgID string, accounts []string, update bool) {
	a.t.Helper()
	ctx := context.Background()
	gc := NewClients(a.cfg, a.url).Glue
	prefix := athena.LogFilesPrefix("", orgID)
	params := athena.Projection("trail-logs", prefix, accounts, []string{"us-east-1"}, athena.DefaultProjectionStart)
	in := &gluetypes.TableInput{
		Name: aws.String(table), TableType: aws.String("EXTERNAL_TABLE"), Parameters: params,
		PartitionKeys: []gluetypes.Column{{Name: aws.String(athena.PartitionAccount), Type: aws.String("string")},
			{Name: aws.String(athena.PartitionRegion), Type: aws.String("string")}, {Name: aws.String(athena.PartitionTimestamp), Type: aws.String("string")}},
		StorageDescriptor: &gluetypes.StorageDescriptor{Location: aws.String("s3://trail-logs/" + prefix)},
	}
	if update {
		a.must(gc.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String(database), TableInput: in}))
		return
	}
	if _, err := gc.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String(database)}); err != nil {
		a.must(
			gc.CreateDatabase(
				ctx,
				&glue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String(database)}},
			),
		)
	}
	a.must(gc.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String(database), TableInput: in}))
}

// TestAthenaAccountsProjected_WarnsOnAccountsThatJoinedAfterDeploy: the table's account enum is
// fixed at pulumi up. Against moto_server (its Glue and Organizations), over an organization of
// two accounts: a table projecting only the management account (the member joined after the
// deployment) is a WARN naming the member and the fix; once the table projects both (pulumi up
// again), PASS. An account trail's table passes as not applicable, a missing table fails, and a
// closed endpoint is an ERROR naming glue:GetTable. Through Run, the stack outputs athenaDatabase
// and athenaTable bring the check into the report. Nothing is faked.
func TestAthenaAccountsProjected_WarnsOnAccountsThatJoinedAfterDeploy(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	orgID, mgmt, member := a.motoOrg()
	a.athenaTable("rootwatch_org", "cloudtrail", orgID, []string{mgmt}, false)
	gc := NewClients(a.cfg, a.url).Glue
	oc := organizations.NewFromConfig(a.cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(a.url) })

	r := AthenaAccountsCheck(ctx, gc, oc, "rootwatch_org", "cloudtrail")
	if r.Status != Warn || !strings.Contains(r.Detail, member) || strings.Contains(r.Detail, mgmt) ||
		!strings.Contains(r.Detail, "1 of the 2 active accounts") {
		t.Errorf("table without the member: %s %q, want WARN naming %s (and not %s)", r.Status, r.Detail, member, mgmt)
	}
	if !strings.Contains(r.Remediation, "pulumi up") {
		t.Errorf("remediation %q does not say to run pulumi up", r.Remediation)
	}

	stack := StackOutputs{AthenaDatabase: "rootwatch_org", AthenaTable: "cloudtrail"}
	got := byID(t, Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Stack: stack, Now: time.Now()}))
	if got[CheckAthenaAccountsProjected].Status != Warn {
		t.Errorf("through Run with the stack's outputs: %+v", got[CheckAthenaAccountsProjected])
	}
	if _, ok := byID(t, Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Now: time.Now()}))[CheckAthenaAccountsProjected]; ok {
		t.Error("without outputs naming an Athena table, the check ran")
	}

	a.athenaTable("rootwatch_org", "cloudtrail", orgID, []string{mgmt, member}, true)
	if r := AthenaAccountsCheck(ctx, gc, oc, "rootwatch_org", "cloudtrail"); r.Status != Pass ||
		!strings.Contains(r.Detail, "all 2 active accounts") {
		t.Errorf("table with both accounts: %s %q, want PASS", r.Status, r.Detail)
	}

	a.athenaTable("rootwatch_dev", "cloudtrail", "", []string{mgmt}, false)
	if r := AthenaAccountsCheck(ctx, gc, oc, "rootwatch_dev", "cloudtrail"); r.Status != Pass ||
		!strings.Contains(r.Detail, "not applicable") {
		t.Errorf("account trail's table: %s %q, want PASS (not applicable)", r.Status, r.Detail)
	}
	if r := AthenaAccountsCheck(ctx, gc, oc, "rootwatch_org", "gone"); r.Status != Fail ||
		!strings.Contains(r.Detail, "does not exist") {
		t.Errorf("missing table: %s %q, want FAIL", r.Status, r.Detail)
	}

	closed := NewClients(a.cfg, "http://127.0.0.1:1").Glue
	if r := AthenaAccountsCheck(ctx, closed, oc, "rootwatch_org", "cloudtrail"); r.Status != Error ||
		!strings.Contains(r.Detail, "glue:GetTable") {
		t.Errorf("closed endpoint: %s %q, want ERROR naming glue:GetTable", r.Status, r.Detail)
	}
}

// TestAthenaAccountsProjected_WithTheDocumentedPolicy: as an IAM user holding exactly the
// read-only policy docs/audit.md gives, with moto's IAM access control on, the check runs (glue:GetTable
// and organizations:ListAccounts are in it); without glue:GetTable it could not run, naming that action.
func TestAthenaAccountsProjected_WithTheDocumentedPolicy(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	orgID, mgmt, member := a.motoOrg()
	a.athenaTable("rootwatch_org", "cloudtrail", orgID, []string{mgmt, member}, false)
	full := a.userWithPolicy("auditor", docsPolicy(t))
	noGlue := a.userWithPolicy("auditor-without-glue", without(docsPolicy(t), "glue:GetTable"))
	a.accessControlOn()
	stack := StackOutputs{AthenaDatabase: "rootwatch_org", AthenaTable: "cloudtrail"}
	if r := AthenaAccountsCheck(ctx, NewClients(a.cfg, a.url).Glue, organizations.NewFromConfig(a.cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(a.url) }), stack.AthenaDatabase, stack.AthenaTable); r.Status != Error {
		t.Fatalf(
			"moto's access control is not on: the unknown key 'testing' was not refused (%s %q)",
			r.Status,
			r.Detail,
		)
	}
	if r := byID(t, Run(ctx, Options{Config: full, Endpoint: a.url, Stack: stack, Now: time.Now()}))[CheckAthenaAccountsProjected]; r.Status != Pass {
		t.Errorf("with the documented policy: %s %q, want PASS", r.Status, r.Detail)
	}
	if r := byID(t, Run(ctx, Options{Config: noGlue, Endpoint: a.url, Stack: stack, Now: time.Now()}))[CheckAthenaAccountsProjected]; r.Status != Error || !strings.Contains(r.Detail, "the caller lacks glue:GetTable") {
		t.Errorf("without glue:GetTable: %s %q, want ERROR naming it", r.Status, r.Detail)
	}
}
