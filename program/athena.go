package program

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// athenaPreflight has athena.Preflight find the accounts whose log files the trail's bucket holds
// (and the organization's id over an organization trail: the created one's, or the adopted trail's).
// Its errors name the way out in the program's terms: turn rootwatch:athena off.
func athenaPreflight(ctx *pulumi.Context, s *settings) error {
	if !s.Athena.Enabled {
		return nil
	}
	org := s.Trail.OrganizationTrail
	if s.existing != nil {
		org = s.existing.IsOrganizationTrail
	}
	s.Athena.found = athena.Args{OrganizationTrail: org}
	err := athena.Preflight(ctx, &s.Athena.found)
	for _, f := range validate.Fields(err) {
		if f.Field == "OrganizationTrail" {
			f.Allowed = athenaOrganizationDeployers
		}
	}
	return err
}

// athenaOrganizationDeployers is what to do when this account may not list the organization's accounts.
const athenaOrganizationDeployers = "deploy from the organization's management account or a delegated administrator " +
	"(such as CloudTrail's), or set rootwatch:athena to false"

var notGlue = regexp.MustCompile(`[^a-z0-9_]+`)

// deployAthena creates the Athena component over the trail's bucket.
func deployAthena(ctx *pulumi.Context, s *settings, t *trailSide, trailName string) (*athena.Athena, error) {
	a, err := athena.New(ctx, "rootwatch", &athena.Args{
		BucketName:     t.bucketName,
		S3KeyPrefix:    t.prefix,
		OrganizationID: s.Athena.found.OrganizationID,
		AccountIDs:     s.Athena.found.AccountIDs,
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
