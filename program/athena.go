package program

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// athenaPreflight finds the accounts whose log files the trail's bucket holds: the stack's own for
// an account trail; for an organization trail, the organization's accounts, which
// organizations:ListAccounts shows only to the management account and to a member account that is
// a delegated administrator for an AWS service (such as CloudTrail's)
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html); the
// provider's organization lookup lists them to both.
func athenaPreflight(ctx *pulumi.Context, s *settings) error {
	if !s.Athena.Enabled {
		return nil
	}
	env, err := awsenv.Lookup(ctx)
	if err != nil {
		return err
	}
	org := s.Trail.OrganizationTrail
	if s.existing != nil {
		org = s.existing.IsOrganizationTrail
	}
	if !org {
		s.Athena.accounts = []string{env.AccountID}
		return nil
	}
	var es validate.Errors
	o, err := awsenv.LookupOrganization(ctx, env)
	if err != nil {
		es.Add("Enabled", true, "over an organization trail "+err.Error(), "deploy from the organization's management account or a delegated administrator (such as CloudTrail's), or set rootwatch:athena to false")
		return es.Err("athena")
	}
	if len(o.AccountIDs) == 0 {
		es.Add("Enabled", true, "over an organization trail needs the organization's accounts, and account "+env.AccountID+" is not shown them (only the management account and delegated administrators are)", "deploy from the organization's management account or a delegated administrator (such as CloudTrail's), or set rootwatch:athena to false")
		return es.Err("athena")
	}
	s.Athena.organizationID, s.Athena.accounts = o.ID, o.AccountIDs
	return nil
}

var notGlue = regexp.MustCompile(`[^a-z0-9_]+`)

// deployAthena creates the Athena component over the trail's bucket.
func deployAthena(ctx *pulumi.Context, s *settings, t *trailSide, trailName string) (*athena.Athena, error) {
	a, err := athena.New(ctx, "rootwatch", &athena.Args{
		BucketName:     t.bucketName,
		S3KeyPrefix:    t.prefix,
		OrganizationID: s.Athena.organizationID,
		AccountIDs:     s.Athena.accounts,
		DatabaseName:   strings.Trim(notGlue.ReplaceAllString(strings.ToLower(trailName), "_"), "_"),
		WorkgroupName:  trailName,
		KeyAdminARNs:   s.Trail.KeyAdminARNs,
		ForceDestroy:   s.Trail.ForceDestroy,
		Tags:           s.Trail.Tags,
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}
