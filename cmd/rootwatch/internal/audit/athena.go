package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/rootwatch/rootwatch/athena"
)

// CheckAthenaAccountsProjected is the id of the check that the stack's Athena table reads every
// account of the organization.
const CheckAthenaAccountsProjected = "athena-accounts-projected"

var athenaAccountsProjected = Result{ID: CheckAthenaAccountsProjected,
	Title: "The Athena CloudTrail table projects every active account of the organization",
	Remediation: "run pulumi up again from the stack's account: the table projects the organization's accounts as " +
		"they were listed at the last pulumi up"}

// GlueTableAPI is the Glue call the Athena check makes.
type GlueTableAPI interface {
	GetTable(context.Context, *glue.GetTableInput, ...func(*glue.Options)) (*glue.GetTableOutput, error)
}

// AthenaAccountsCheck judges whether the table database.table (rootwatch:athena's, named by the
// stack outputs athenaDatabase and athenaTable) reads the log files of every ACTIVE account of
// the organization.
//
// The table's account partition is an enum fixed at `pulumi up`: Athena reads only the folders
// the projection lists, so the log files of an account that joined the organization later are in
// the bucket but no named query, and no `rootwatch scan --athena`, ever reads them, and nothing
// says so. No projection type can follow the organization by itself over the named queries:
// injected, the one whose values are not fixed in the table, makes Athena refuse a query that
// does not name the column's values with equality conditions, and the queries look at every
// account (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-dynamic-id-partitioning.html,
// https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html).
// So the audit compares: WARN naming every active account the enum lacks, PASS when none lacks;
// for an account trail's table (AWSLogs/<account>/, one account's log files) there is nothing to
// compare. FAIL when the table is missing or is not projected the way rootwatch builds it; ERROR
// when glue:GetTable or organizations:ListAccounts fails. ListAccounts answers the management
// account and any delegated administrator
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html), which
// the stack's account is whenever it could deploy the table over an organization trail.
func AthenaAccountsCheck(
	ctx context.Context,
	g GlueTableAPI,
	org organizations.ListAccountsAPIClient,
	database, table string,
) Result {
	r := athenaAccountsProjected
	name := database + "." + table
	out, err := g.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String(database), Name: aws.String(table)})
	var missing *gluetypes.EntityNotFoundException
	switch {
	case errors.As(err, &missing):
		r.Status = Fail
		r.Detail = fmt.Sprintf("the stack's Athena table %s does not exist (%s)", name, aws.ToString(missing.Message))
		r.Remediation = "run pulumi up again to recreate it (was it deleted outside Pulumi?)"
		return r
	case err != nil:
		return Errored(r, "glue:GetTable", err)
	case out.Table == nil:
		return Errored(r, "glue:GetTable", errors.New("the answer holds no table"))
	}
	p, err := athena.ReadProjection(out.Table.Parameters)
	if err != nil {
		r.Status = Fail
		r.Detail = fmt.Sprintf("table %s is not projected the way rootwatch builds it, so the accounts it "+
			"reads are unknown: %v", name, err)
		r.Remediation = "run pulumi up again to restore the table rootwatch:athena deploys"
		return r
	}
	if p.OrganizationID == "" {
		r.Status = Pass
		r.Detail = fmt.Sprintf("not applicable: table %s reads an account trail's log files "+
			"(AWSLogs/<account>/), projecting %s", name, strings.Join(p.Accounts, ", "))
		return r
	}
	active, err := activeAccounts(ctx, org)
	if err != nil {
		return Errored(r, "organizations:ListAccounts", err)
	}
	var lacking []string
	for _, id := range active {
		if !slices.Contains(p.Accounts, id) {
			lacking = append(lacking, id)
		}
	}
	if len(lacking) == 0 {
		r.Status = Pass
		r.Detail = fmt.Sprintf("table %s projects all %d active accounts of %s", name, len(active), p.OrganizationID)
		return r
	}
	r.Status = Warn
	r.Detail = fmt.Sprintf("table %s does not project %d of the %d active accounts of %s: %s; their log files are in "+
		"the bucket (AWSLogs/%s/<account>/), but the named queries and rootwatch scan --athena never read them",
		name, len(lacking), len(active), p.OrganizationID, strings.Join(lacking, ", "), p.OrganizationID)
	return r
}
