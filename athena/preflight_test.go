package athena_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// preflight runs athena.Preflight on args against env, and checks that it registers nothing.
func preflight(t *testing.T, env offline.Env, args *athena.Args) error {
	t.Helper()
	rec, err := offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
		return athena.Preflight(ctx, args)
	})
	if n := len(rec.Resources()); n != 0 {
		t.Errorf("%d resources registered", n)
	}
	return err
}

// TestPreflightFillsTheAccounts: over an account trail the table projects the stack's own account;
// over an organization trail, the organization's accounts and its id. What is given is kept.
func TestPreflightFillsTheAccounts(t *testing.T) {
	management := []string{account, "444455556666", "777788889999"}
	for name, c := range map[string]struct {
		args     athena.Args
		org, ids []string
		orgID    string
	}{
		"account trail": {args: athena.Args{}, ids: []string{account}},
		"organization trail": {args: athena.Args{OrganizationTrail: true}, ids: management,
			orgID: offline.DefaultOrganization.ID},
		"account trail, accounts given": {args: athena.Args{AccountIDs: []string{"444455556666"}},
			ids: []string{"444455556666"}},
		"organization trail, accounts and id given": {
			args: athena.Args{OrganizationTrail: true, OrganizationID: "o-zzzzzzzzzz", AccountIDs: []string{account}},
			ids:  []string{account}, orgID: "o-zzzzzzzzzz"},
		"organization trail, id given": {args: athena.Args{OrganizationTrail: true, OrganizationID: "o-zzzzzzzzzz"},
			ids: management, orgID: "o-zzzzzzzzzz"},
	} {
		t.Run(name, func(t *testing.T) {
			args := c.args
			if err := preflight(t, offline.DefaultEnv, &args); err != nil {
				t.Fatal(err)
			}
			got := slices.Sorted(slices.Values(args.AccountIDs))
			if !slices.Equal(got, c.ids) || args.OrganizationID != c.orgID {
				t.Errorf("accounts %v, organization %q; want %v, %q", got, args.OrganizationID, c.ids, c.orgID)
			}
		})
	}
}

// TestPreflightOrganizationTrailErrors: an organization trail's accounts are shown only to the
// management account and delegated administrators; from any other account, or one in no
// organization, Preflight says so under OrganizationTrail and fills nothing.
func TestPreflightOrganizationTrailErrors(t *testing.T) {
	const allowed = "; allowed: deploy from the organization's management account or a delegated administrator " +
		"(such as CloudTrail's), or give AccountIDs and OrganizationID"
	for name, c := range map[string]struct {
		org  func(o *offline.Organization)
		want string
	}{
		"member account": {func(o *offline.Organization) { o.ManagementAccountID = "999988887777" },
			"OrganizationTrail: true over an organization trail needs the organization's accounts, and account " +
				account + " is not shown them (only the management account and delegated administrators are)" +
				allowed},
		"no organization": {func(o *offline.Organization) { o.NotInUse = true },
			"OrganizationTrail: true over an organization trail needs an AWS Organization, and account " +
				account + " could not describe one ("},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			c.org(&org)
			env.Organization = &org
			args := athena.Args{OrganizationTrail: true}
			err := preflight(t, env, &args)
			if err == nil || !strings.Contains(err.Error(), "\n  "+c.want) {
				t.Fatalf("error %v, want it to contain %q", err, c.want)
			}
			if !strings.Contains(err.Error(), allowed+"\n") {
				t.Errorf("error %v, want its line to end %q", err, allowed)
			}
			if args.AccountIDs != nil || args.OrganizationID != "" {
				t.Errorf("filled accounts %v, organization %q", args.AccountIDs, args.OrganizationID)
			}
		})
	}
}
