package athena

import (
	"fmt"
	"strings"

	"github.com/rootwatch/rootwatch/internal/validate"
)

// Projected is what a table's partition projection (Projection's parameters, as Glue returns
// them) says about the accounts the table reads.
type Projected struct {
	// Accounts are the values of the account enum, in the table's order.
	Accounts []string
	// OrganizationID is the organization whose folder, AWSLogs/<organization id>/, the location
	// template reads (an organization trail's layout); "" for an account trail's AWSLogs/<account>/.
	OrganizationID string
}

// ReadProjection reads the account enum and the layout out of a table's parameters. It refuses a
// table whose account partition is not projected as an enum, or whose location template does not
// put the account where CloudTrail writes it ([prefix/]AWSLogs/[o-organization/]${account}/CloudTrail/):
// not a table Projection built, so nothing can be said about the accounts it reads.
func ReadProjection(params map[string]string) (Projected, error) {
	typeKey, valuesKey := "projection."+PartitionAccount+".type", "projection."+PartitionAccount+".values"
	if !strings.EqualFold(strings.TrimSpace(params["projection.enabled"]), "true") {
		return Projected{}, fmt.Errorf("partition projection is not enabled (projection.enabled = %q)",
			params["projection.enabled"])
	}
	// Athena reads the type case-insensitively, with white space around it allowed; every
	// character of a value counts
	// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html).
	if t := params[typeKey]; !strings.EqualFold(strings.TrimSpace(t), "enum") {
		return Projected{}, fmt.Errorf("the %s partition is not projected as an enum (%s = %q)", PartitionAccount,
			typeKey, t)
	}
	var p Projected
	if v := params[valuesKey]; v != "" {
		p.Accounts = strings.Split(v, ",")
	}
	tmpl := params["storage.location.template"]
	before, _, ok := strings.Cut(tmpl, "/${"+PartitionAccount+"}/CloudTrail/")
	if !ok {
		return Projected{}, notCloudTrailLayout(tmpl)
	}
	segs := strings.Split(before, "/")
	switch last := segs[len(segs)-1]; {
	case last == "AWSLogs":
	case len(segs) >= 2 && segs[len(segs)-2] == "AWSLogs" && validate.IsOrganizationID(last):
		p.OrganizationID = last
	default:
		return Projected{}, notCloudTrailLayout(tmpl)
	}
	return p, nil
}

func notCloudTrailLayout(tmpl string) error {
	return fmt.Errorf("storage.location.template %q does not read CloudTrail's layout "+
		"<bucket>/[prefix/]AWSLogs/[o-organization/]${%s}/CloudTrail/<region>/<day>",
		tmpl, PartitionAccount)
}
