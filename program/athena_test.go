package program

import (
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// TestOrgAthenaStackSnapshot: the organization stack (Pulumi.org.yaml) with rootwatch:athena on,
// as a golden resource graph (testdata/org-athena-stack.golden.json): the table projects the
// organization's accounts under AWSLogs/<org id>/ below the stack's prefix.
func TestOrgAthenaStackSnapshot(t *testing.T) {
	cfg := offlineStackConfig(t, "Pulumi.org.yaml")
	cfg["rootwatch:athena"] = "true"
	rec, err := runProgram(cfg, nil)
	if err != nil {
		t.Fatalf("the org stack with Athena fails: %v", err)
	}
	snap, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/org-athena-stack.golden.json", snap)
	text := string(snap)
	for _, want := range []string{
		`"storage.location.template": "s3://rootwatch-bucket-`,
		`/cloudtrail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}"`,
		`"projection.account.values": "111122223333,444455556666,777788889999"`,
		`"name": "org_root_watch"`,
		`"name": "org-root-watch"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the snapshot has no %s", want)
		}
	}
	if n := len(offline.ByType(rec.Resources(), "aws:athena/namedQuery:NamedQuery")); n != len(catalog.All())+1 {
		t.Errorf("%d named queries", n)
	}
}

// TestAthenaSwitch: off by default (nothing Athena, the output empty); on for an account trail it
// projects the stack's account and exports the workgroup.
func TestAthenaSwitch(t *testing.T) {
	rec, err := runProgram(offlineStackConfig(t, "Pulumi.dev.yaml"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rec.Resources() {
		if strings.HasPrefix(r.Type, "aws:athena/") || strings.HasPrefix(r.Type, "aws:glue/") {
			t.Errorf("athena off, yet %s %s", r.Type, r.Name)
		}
	}
	cfg := offlineStackConfig(t, "Pulumi.dev.yaml")
	cfg["rootwatch:athena"] = "true"
	outs := stackOutputs(t, cfg)
	if got := outs[OutAthenaWorkgroup]; got != "rootwatch-dev" {
		t.Errorf("workgroup output %v", got)
	}
	if db, tbl := outs[OutAthenaDatabase], outs[OutAthenaTable]; db != "rootwatch_dev" ||
		tbl != athena.DefaultTableName {
		t.Errorf("database and table outputs %v.%v, want rootwatch_dev.%s (what rootwatch audit reads)", db, tbl,
			athena.DefaultTableName)
	}
	rec, err = runProgram(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	tbl, ok := offline.Find(rec.Resources(), "aws:glue/catalogTable:CatalogTable", "rootwatch-table")
	if !ok {
		t.Fatal("no table")
	}
	p := offline.Plain(tbl.Inputs)["parameters"].(map[string]any)
	if p["projection.account.values"] != offline.DefaultEnv.AccountID ||
		!strings.Contains(p["storage.location.template"].(string), "/AWSLogs/${account}/CloudTrail/") {
		t.Errorf("account layout: %v", p)
	}
}

// TestAthenaOrgTrailOutsideTheManagementAccountRegistersNothing: over an organization trail the
// table needs the organization's accounts, which only the management account and delegated
// administrators may list; from a plain member account, or one in no organization, nothing is
// registered and rootwatch:athena says so (athena.Preflight's errors, under the key).
func TestAthenaOrgTrailOutsideTheManagementAccountRegistersNothing(t *testing.T) {
	const allowed = "; allowed: deploy from the organization's management account or a delegated administrator " +
		"(such as CloudTrail's), or set rootwatch:athena to false"
	for name, c := range map[string]struct {
		org  func(o *offline.Organization)
		want string
	}{
		"member account": {func(o *offline.Organization) { o.ManagementAccountID = "999988887777" },
			"rootwatch:athena: true over an organization trail needs the organization's accounts, and account " +
				"111122223333 is not shown them (only the management account and delegated administrators are)" +
				allowed},
		"no organization": {func(o *offline.Organization) { o.NotInUse = true },
			"rootwatch:athena: true over an organization trail needs an AWS Organization, and account " +
				"111122223333 could not describe one ("},
	} {
		t.Run(name, func(t *testing.T) {
			cfg := offlineStackConfig(t, "Pulumi.org.yaml")
			cfg["rootwatch:athena"] = "true"
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			c.org(&org)
			env.Organization = &org
			rec, err := runProgram(cfg, &env)
			if err == nil || !strings.Contains(err.Error(), "\n  "+c.want) ||
				!strings.Contains(err.Error(), allowed+"\n") {
				t.Fatalf("error %v, want a line %q...%q", err, c.want, allowed)
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}
