package athena

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Args are the component's arguments.
type Args struct {
	// BucketName is the trail's log bucket.
	BucketName pulumi.StringInput
	// S3KeyPrefix is the trail's S3 key prefix ("" for none).
	S3KeyPrefix string
	// OrganizationID is set ("o-...") for an organization trail, whose log files are under
	// AWSLogs/<organization id>/<account>/; "" for an account trail (AWSLogs/<account>/).
	OrganizationID string
	// AccountIDs are the accounts whose log files the table projects (required): the stack's
	// account for an account trail, the organization's accounts for an organization trail.
	// Preflight fills them (and OrganizationID) when they are not given.
	AccountIDs []string
	// OrganizationTrail says the bucket holds an organization trail's log files. Only Preflight
	// reads it, to know which accounts (and organization) to fill in; New reads OrganizationID and
	// AccountIDs.
	OrganizationTrail bool
	// Regions are the regions the table projects; default: every region of the stack's partition.
	Regions []string
	// DatabaseName is the Glue database (lower-case letters, digits and _); default: the component
	// name with - turned into _.
	DatabaseName string
	// TableName is the Glue table; default DefaultTableName.
	TableName string
	// WorkgroupName is the Athena workgroup; default: the component name.
	WorkgroupName string
	// BytesScannedCutoffPerQuery caps each query's scan; default DefaultBytesScannedCutoff.
	BytesScannedCutoffPerQuery int
	// ResultsExpirationDays is how long results are kept; default DefaultResultsExpirationDays.
	ResultsExpirationDays int
	// QueryDays is how many days back the named queries look; default DefaultQueryDays.
	QueryDays int
	// ProjectionStart is the first day (yyyy/MM/dd) the table projects; default DefaultProjectionStart.
	ProjectionStart string
	// KeyAdminARNs administer the results key (default: the account, through its IAM policies).
	KeyAdminARNs []string
	// ForceDestroy lets `pulumi destroy` delete the results bucket with its contents and the key;
	// otherwise they are retained.
	ForceDestroy bool
	// Tags go on every taggable resource.
	Tags map[string]string
}

var (
	glueNameRe      = regexp.MustCompile(`^[a-z0-9_]{1,255}$`)
	workgroupNameRe = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,128}$`)
	dayRe           = regexp.MustCompile(`^(19|20)[0-9]{2}/(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])$`)
)

func (a Args) withDefaults(name string) Args {
	if a.DatabaseName == "" {
		a.DatabaseName = strings.ToLower(strings.ReplaceAll(name, "-", "_"))
	}
	if a.TableName == "" {
		a.TableName = DefaultTableName
	}
	if a.WorkgroupName == "" {
		a.WorkgroupName = name
	}
	if a.BytesScannedCutoffPerQuery == 0 {
		a.BytesScannedCutoffPerQuery = DefaultBytesScannedCutoff
	}
	if a.ResultsExpirationDays == 0 {
		a.ResultsExpirationDays = DefaultResultsExpirationDays
	}
	if a.QueryDays == 0 {
		a.QueryDays = DefaultQueryDays
	}
	if a.ProjectionStart == "" {
		a.ProjectionStart = DefaultProjectionStart
	}
	return a
}

// Validate reports every problem with a (after defaults for a component called name), each
// naming its field.
func (a *Args) Validate(name string) error {
	if a == nil {
		return fmt.Errorf("athena: args are required (at least BucketName and AccountIDs)")
	}
	d := a.withDefaults(name)
	var es validate.Errors
	if d.BucketName == nil {
		es.Add("BucketName", "", "is required", "the trail's log bucket")
	}
	validate.S3KeyPrefix(&es, "S3KeyPrefix", d.S3KeyPrefix)
	if d.OrganizationID != "" && !validate.IsOrganizationID(d.OrganizationID) {
		es.Add("OrganizationID", d.OrganizationID, "is not an AWS Organizations id", validate.OrganizationIDRule)
	}
	if len(d.AccountIDs) == 0 {
		es.Add("AccountIDs", "", "is empty", "the accounts whose log files are in the bucket")
	}
	for i, id := range d.AccountIDs {
		if !awsenv.IsAccountID(id) {
			es.Add(fmt.Sprintf("AccountIDs[%d]", i), id, "is not an AWS account id", "12 digits")
		}
	}
	for i, r := range d.Regions {
		if !awsenv.IsRegion(r) {
			es.Add(fmt.Sprintf("Regions[%d]", i), r, "is not a region name", "such as eu-west-1")
		}
	}
	if !glueNameRe.MatchString(d.DatabaseName) {
		es.Add("DatabaseName", d.DatabaseName, "is not a Glue database name Athena can query",
			"1 to 255 lower-case letters, digits and _")
	}
	if !glueNameRe.MatchString(d.TableName) {
		es.Add("TableName", d.TableName, "is not a Glue table name Athena can query",
			"1 to 255 lower-case letters, digits and _")
	}
	if !workgroupNameRe.MatchString(d.WorkgroupName) {
		es.Add("WorkgroupName", d.WorkgroupName, "is not an Athena workgroup name",
			"1 to 128 letters, digits, '.', '_' and '-'")
	}
	if d.BytesScannedCutoffPerQuery < MinBytesScannedCutoff {
		es.Add("BytesScannedCutoffPerQuery", d.BytesScannedCutoffPerQuery, "is below Athena's minimum",
			fmt.Sprintf("at least %d (10 MB)", MinBytesScannedCutoff))
	}
	if d.ResultsExpirationDays < 1 {
		es.Add("ResultsExpirationDays", d.ResultsExpirationDays, "is not a number of days", "1 or more")
	}
	if d.QueryDays < 1 || d.QueryDays > 3650 {
		es.Add("QueryDays", d.QueryDays, "is out of range", "1 to 3650")
	}
	if !dayRe.MatchString(d.ProjectionStart) {
		es.Add("ProjectionStart", d.ProjectionStart, "is not a day in yyyy/MM/dd", "such as "+DefaultProjectionStart)
	}
	for i, arn := range d.KeyAdminARNs {
		awsenv.CheckARN(&es, fmt.Sprintf("KeyAdminARNs[%d]", i), arn, "iam",
			"arn:aws:iam::111122223333:role/SecurityAdmin")
	}
	validate.Tags(&es, "Tags", d.Tags)
	return es.Err("athena: invalid args")
}

// organizationDeployers says which accounts are shown an organization's accounts.
const organizationDeployers = "deploy from the organization's management account or a delegated administrator " +
	"(such as CloudTrail's), or give AccountIDs and OrganizationID"

// Preflight fills in, with invokes only (nothing is registered), what New needs and args leaves to
// the provider's account: when AccountIDs are not given, the stack's account for an account trail;
// for an organization trail (OrganizationTrail), the organization's accounts, and OrganizationID
// when it is not given, the organization's id. organizations:ListAccounts shows the accounts only to
// the management account and to a member account that is a delegated administrator for an AWS
// service (such as CloudTrail's)
// (https://docs.aws.amazon.com/organizations/latest/APIReference/API_ListAccounts.html); the
// provider's organization lookup lists them to both. Errors name OrganizationTrail. A program calls
// it while validating its configuration, before New.
func Preflight(ctx *pulumi.Context, args *Args, opts ...pulumi.InvokeOption) error {
	if args == nil || len(args.AccountIDs) > 0 && (!args.OrganizationTrail || args.OrganizationID != "") {
		return nil
	}
	env, err := awsenv.Lookup(ctx, opts...)
	if err != nil {
		return err
	}
	if !args.OrganizationTrail {
		args.AccountIDs = []string{env.AccountID}
		return nil
	}
	var es validate.Errors
	o, err := awsenv.LookupOrganization(ctx, env, opts...)
	if err != nil {
		es.Add("OrganizationTrail", true, "over an organization trail "+err.Error(), organizationDeployers)
		return es.Err("athena: invalid args")
	}
	if len(args.AccountIDs) == 0 && len(o.AccountIDs) == 0 {
		es.Add("OrganizationTrail", true, "over an organization trail needs the organization's accounts, and account "+
			env.AccountID+" is not shown them (only the management account and delegated administrators are)",
			organizationDeployers)
		return es.Err("athena: invalid args")
	}
	if args.OrganizationID == "" {
		args.OrganizationID = o.ID
	}
	if len(args.AccountIDs) == 0 {
		args.AccountIDs = o.AccountIDs
	}
	return nil
}
