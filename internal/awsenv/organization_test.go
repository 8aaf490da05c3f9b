package awsenv_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// TestLookupOrganization: the one organization look-up trail and posture share reports what the
// deploying account sees, and phrases an account outside any organization the way both put it.
func TestLookupOrganization(t *testing.T) {
	for name, c := range map[string]struct {
		org             offline.Organization
		management, all bool
		iam, cloudtrail bool
		errContains     string
	}{
		"management account": {
			org: offline.DefaultOrganization, management: true, all: true, iam: true, cloudtrail: true,
		},
		"member account": {org: offline.Organization{ID: "o-x", ManagementAccountID: "999988887777", FeatureSet: "ALL", ServiceAccessPrincipals: []string{"iam.amazonaws.com"}}, all: true},
		"consolidated billing": {
			org: offline.Organization{ID: "o-x", FeatureSet: "CONSOLIDATED_BILLING"}, management: true,
		},
		"no organization": {org: offline.Organization{NotInUse: true}, errContains: "needs an AWS Organization, " +
			"and account 111122223333 could not describe one ("},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			org := c.org
			env.Organization = &org
			var got *awsenv.Organization
			var lookupErr error
			_, err := offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
				e, err := awsenv.Lookup(ctx)
				if err != nil {
					return err
				}
				got, lookupErr = awsenv.LookupOrganization(ctx, e)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if c.errContains != "" {
				if lookupErr == nil || !strings.Contains(lookupErr.Error(), c.errContains) {
					t.Fatalf("error %v, want one containing %q", lookupErr, c.errContains)
				}
				return
			}
			if lookupErr != nil {
				t.Fatal(lookupErr)
			}
			if got.ID != org.ID || got.FromManagementAccount() != c.management || got.AllFeatures() != c.all ||
				got.TrustedAccess(
					"iam.amazonaws.com",
				) != c.iam || got.TrustedAccess("cloudtrail.amazonaws.com") != c.cloudtrail {
				t.Errorf(
					"got %+v (management %v, all features %v)",
					got,
					got.FromManagementAccount(),
					got.AllFeatures(),
				)
			}
		})
	}
}
