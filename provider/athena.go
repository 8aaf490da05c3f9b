package main

import (
	"fmt"
	"reflect"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// athenaComponent is rootwatch:athena:Athena as the package serves it: the types below, and the
// descriptions of the outputs of the Go component (athena.Athena).
var athenaComponent = servedComponent{
	inferred: infer.Component[*Athena](&Athena{}),
	token:    athena.TypeToken,
	types: map[string]reflect.Type{
		athena.TypeToken: reflect.TypeFor[AthenaArgs](),
	},
	outputs: map[string]string{
		"databaseName": "The Glue database holding the CloudTrail table.",
		"tableName": "The Glue table of the trail's CloudTrail records, partitioned by projection (account, " +
			"region, timestamp).",
		"workgroupName": "The Athena workgroup the named queries belong to: choose it in the Athena console, or " +
			"pass it to `rootwatch scan --athena`.",
		"resultsBucketName": "The bucket receiving the workgroup's query results (encrypted with the " +
			"results key, expiring).",
		"resultsKeyArn": "The KMS key encrypting the query results.",
		"namedQueryIds": "Each catalogue control id, and root-activity-summary, mapped to its named query's id.",
	},
}

// Athena serves rootwatch:athena:Athena.
type Athena struct{}

// Annotate sets the token and the description.
func (r *Athena) Annotate(a infer.Annotator) {
	a.SetToken("athena", "Athena")
	a.Describe(r, "Amazon Athena over the trail's bucket: a Glue database and AWS's CloudTrail table with partition "+
		"projection (accounts, regions, days; no crawler), an Athena workgroup (engine version 3) that enforces "+
		"KMS-encrypted results in a hardened, expiring results bucket and caps the bytes each query scans, and a "+
		"named query for every catalogue control plus a root-activity summary. The results key and bucket are "+
		"retained when removed from the stack unless forceDestroy is set. Every argument is checked before "+
		"anything is created.")
}

// AthenaArgs are athena.Args.
type AthenaArgs struct {
	BucketName                 pulumi.StringInput `pulumi:"bucketName"`
	S3KeyPrefix                string             `pulumi:"s3KeyPrefix,optional"`
	OrganizationID             string             `pulumi:"organizationId,optional"`
	AccountIDs                 []string           `pulumi:"accountIds"`
	Regions                    []string           `pulumi:"regions,optional"`
	DatabaseName               string             `pulumi:"databaseName,optional"`
	TableName                  string             `pulumi:"tableName,optional"`
	WorkgroupName              string             `pulumi:"workgroupName,optional"`
	BytesScannedCutoffPerQuery int                `pulumi:"bytesScannedCutoffPerQuery,optional"`
	ResultsExpirationDays      int                `pulumi:"resultsExpirationDays,optional"`
	QueryDays                  int                `pulumi:"queryDays,optional"`
	ProjectionStart            string             `pulumi:"projectionStart,optional"`
	KeyAdminARNs               []string           `pulumi:"keyAdminArns,optional"`
	ForceDestroy               bool               `pulumi:"forceDestroy,optional"`
	Tags                       map[string]string  `pulumi:"tags,optional"`
}

// Annotate describes the inputs.
func (a *AthenaArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.BucketName, "The trail's log bucket (required), such as a Trail's bucketName.")
	an.Describe(&a.S3KeyPrefix,
		"The trail's S3 key prefix (its s3KeyPrefix): log files are under <prefix>/AWSLogs/... Up to 200 characters "+
			"from a-z A-Z 0-9 ! _ . * ' ( ) - /, with no leading, trailing or doubled \"/\". Default: none.")
	an.Describe(&a.OrganizationID,
		"For an organization trail, the organization's id ("+validate.OrganizationIDRule+"): its log files are under "+
			"AWSLogs/<organization id>/<account>/. Default: none, an account trail (AWSLogs/<account>/).")
	an.Describe(&a.AccountIDs,
		"The accounts (12 digits each) whose log files the table projects (required, not empty): the stack's account "+
			"for an account trail, the organization's accounts for an organization trail.")
	an.Describe(&a.Regions,
		"The regions the table projects (region names such as eu-west-1). Default: every region of the "+
			"stack's partition.")
	an.Describe(&a.DatabaseName,
		"The Glue database: 1 to 255 lower-case letters, digits and _. Default: the component's name, lower case, "+
			"with - turned into _.")
	an.Describe(&a.TableName,
		"The Glue table: 1 to 255 lower-case letters, digits and _. Default: "+athena.DefaultTableName+".")
	an.Describe(&a.WorkgroupName,
		"The Athena workgroup: 1 to 128 letters, digits, '.', '_' and '-'. Default: the component's name.")
	an.Describe(
		&a.BytesScannedCutoffPerQuery,
		fmt.Sprintf(
			"Cancel a query that scans more than this many bytes (it is billed for what it scanned): at least %d (10 "+
				"MB, Athena's minimum). Default: %d (100 GiB, about 0.49 USD at 5 USD per TB scanned).",
			athena.MinBytesScannedCutoff,
			athena.DefaultBytesScannedCutoff,
		),
	)
	an.Describe(&a.ResultsExpirationDays,
		fmt.Sprintf("Days query results stay in the results bucket: 1 or more. Default: %d.",
			athena.DefaultResultsExpirationDays))
	an.Describe(&a.QueryDays,
		fmt.Sprintf("How many days back the named queries look: 1 to 3650. Default: %d.", athena.DefaultQueryDays))
	an.Describe(
		&a.ProjectionStart,
		"The first day (yyyy/MM/dd) the table projects. Default: "+athena.DefaultProjectionStart+
			", when CloudTrail started; days without log files cost nothing.",
	)
	an.Describe(&a.KeyAdminARNs,
		"IAM principals (ARNs) that administer the results key. Default: the account, through its IAM policies.")
	an.Describe(
		&a.ForceDestroy,
		"Let `pulumi destroy` delete the results bucket with its contents, and schedule the results key's deletion. "+
			"Default: false, and they are retained when removed from the stack.",
	)
	an.Describe(&a.Tags,
		"Tags on every taggable resource: at most 50, keys of 1 to 128 and values of at most 256 characters, no "+
			"\"aws:\" prefix.")
}

// Construct calls athena.New.
func (*Athena) Construct(
	ctx *pulumi.Context, name, _ string, args AthenaArgs, opts pulumi.ResourceOption,
) (*athena.Athena, error) {
	return athena.New(ctx, name, &athena.Args{
		BucketName: args.BucketName, S3KeyPrefix: args.S3KeyPrefix, OrganizationID: args.OrganizationID,
		AccountIDs: args.AccountIDs, Regions: args.Regions, DatabaseName: args.DatabaseName,
		TableName: args.TableName, WorkgroupName: args.WorkgroupName,
		BytesScannedCutoffPerQuery: args.BytesScannedCutoffPerQuery, ResultsExpirationDays: args.ResultsExpirationDays,
		QueryDays: args.QueryDays, ProjectionStart: args.ProjectionStart, KeyAdminARNs: args.KeyAdminARNs,
		ForceDestroy: args.ForceDestroy, Tags: args.Tags,
	}, opts)
}
