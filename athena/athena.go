package athena

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/athena"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/glue"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/hardened"
	"github.com/rootwatch/rootwatch/internal/policy"
)

// TypeToken is the component's Pulumi type.
const TypeToken = "rootwatch:athena:Athena"

// Defaults.
const (
	// DefaultTableName is the Glue table's name.
	DefaultTableName = "cloudtrail"
	// DefaultBytesScannedCutoff caps the data one query may scan: 100 GiB, about 0.49 USD at
	// Athena's 5 USD per TB scanned. A query that reaches it is cancelled (and billed for what it
	// scanned).
	DefaultBytesScannedCutoff = 100 << 30
	// MinBytesScannedCutoff is the smallest cap Athena accepts (10 MB).
	MinBytesScannedCutoff = 10_000_000
	// DefaultResultsExpirationDays is how long query results stay in the results bucket.
	DefaultResultsExpirationDays = 30
	// DefaultQueryDays is how many days back the named queries look.
	DefaultQueryDays = 30
	// DefaultProjectionStart is the first day the table projects: November 2013, when CloudTrail
	// started. Days without log files cost nothing: Athena lists no objects there.
	DefaultProjectionStart = "2013/11/01"
	// EngineVersion is the Athena engine the named queries are written for (Trino based).
	EngineVersion = "Athena engine version 3"
	// KeyDeletionWindowDays is the results key's deletion window, the longest KMS allows.
	KeyDeletionWindowDays = hardened.KeyDeletionWindowDays
	// SerDe, InputFormat and OutputFormat are those of AWS's Athena CloudTrail table
	// (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html): Hive's JSON SerDe
	// over CloudTrail's input format, which reads the records of each log file.
	SerDe        = "org.apache.hive.hcatalog.data.JsonSerDe"
	InputFormat  = "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
	OutputFormat = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
)

// Athena is the component: a Glue database and CloudTrail table over the trail's bucket, an
// Athena workgroup whose results are encrypted with a customer managed key in a hardened bucket,
// and named queries for every catalogue control and a root-activity summary.
type Athena struct {
	pulumi.ResourceState

	DatabaseName      pulumi.StringOutput    `pulumi:"databaseName"`
	TableName         pulumi.StringOutput    `pulumi:"tableName"`
	WorkgroupName     pulumi.StringOutput    `pulumi:"workgroupName"`
	ResultsBucketName pulumi.StringOutput    `pulumi:"resultsBucketName"`
	ResultsKeyArn     pulumi.StringOutput    `pulumi:"resultsKeyArn"`
	NamedQueryIds     pulumi.StringMapOutput `pulumi:"namedQueryIds"`
}

// LogFilesPrefix is where the trail writes log files under its bucket: [prefix/]AWSLogs/[org/].
func LogFilesPrefix(s3KeyPrefix, organizationID string) string {
	p := ""
	if s3KeyPrefix != "" {
		p = s3KeyPrefix + "/"
	}
	p += "AWSLogs/"
	if organizationID != "" {
		p += organizationID + "/"
	}
	return p
}

// Projection returns the table's partition projection parameters for the log files under
// s3://bucket/<logFilesPrefix>: account and region enums, the day as a date, and the location
// template CloudTrail's layout gives
// (https://docs.aws.amazon.com/athena/latest/ug/partition-projection-supported-types.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html).
func Projection(bucket, logFilesPrefix string, accounts, regions []string, start string) map[string]string {
	return map[string]string{
		"projection.enabled":                                  "true",
		"projection." + PartitionAccount + ".type":            "enum",
		"projection." + PartitionAccount + ".values":          strings.Join(accounts, ","),
		"projection." + PartitionRegion + ".type":             "enum",
		"projection." + PartitionRegion + ".values":           strings.Join(regions, ","),
		"projection." + PartitionTimestamp + ".type":          "date",
		"projection." + PartitionTimestamp + ".format":        "yyyy/MM/dd",
		"projection." + PartitionTimestamp + ".range":         start + ",NOW",
		"projection." + PartitionTimestamp + ".interval":      "1",
		"projection." + PartitionTimestamp + ".interval.unit": "DAYS",
		"storage.location.template": "s3://" + bucket + "/" + logFilesPrefix +
			"${" + PartitionAccount + "}/CloudTrail/${" + PartitionRegion + "}/${" + PartitionTimestamp + "}",
	}
}

// New creates the component.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Athena, error) {
	if err := args.Validate(name); err != nil {
		return nil, err
	}
	a := args.withDefaults(name)
	comp := &Athena{}
	if err := ctx.RegisterComponentResource(TypeToken, name, comp, opts...); err != nil {
		return nil, err
	}
	env, err := awsenv.Lookup(ctx, pulumi.Parent(comp))
	if err != nil {
		return nil, fmt.Errorf("athena %s: %w", name, err)
	}
	if len(a.Regions) == 0 {
		a.Regions = slices.Clone(awsenv.PartitionRegions[env.Partition])
		if len(a.Regions) == 0 {
			a.Regions = []string{env.Region}
		}
	}
	b := &builder{ctx: ctx, name: name, a: a, env: env, comp: comp, tags: pulumi.ToStringMap(a.Tags)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("athena %s: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(comp, pulumi.Map{
		"databaseName":      comp.DatabaseName,
		"tableName":         comp.TableName,
		"workgroupName":     comp.WorkgroupName,
		"resultsBucketName": comp.ResultsBucketName,
		"resultsKeyArn":     comp.ResultsKeyArn,
		"namedQueryIds":     comp.NamedQueryIds,
	}); err != nil {
		return nil, fmt.Errorf("athena %s: registering outputs: %w", name, err)
	}
	return comp, nil
}

type builder struct {
	ctx  *pulumi.Context
	name string
	a    Args
	env  awsenv.Env
	comp *Athena
	tags pulumi.StringMap

	tableRes *glue.CatalogTable // the named queries read it
}

func (b *builder) child() pulumi.ResourceOption  { return pulumi.Parent(b.comp) }
func (b *builder) retain() pulumi.ResourceOption { return pulumi.RetainOnDelete(!b.a.ForceDestroy) }

func (b *builder) build() error {
	key, err := b.key()
	if err != nil {
		return err
	}
	bucket, err := b.resultsBucket(key)
	if err != nil {
		return err
	}
	if err := b.table(); err != nil {
		return err
	}
	wg, err := b.workgroup(key, bucket)
	if err != nil {
		return err
	}
	return b.queries(wg)
}

func (b *builder) key() (*kms.Key, error) {
	doc, err := policy.AthenaResultsKey(policy.AthenaResultsKeyArgs{Env: b.env, AdminARNs: b.a.KeyAdminARNs}).JSON()
	if err != nil {
		return nil, err
	}
	key, err := hardened.Key(b.ctx, b.name+"-results-key", hardened.KeyArgs{
		Description: pulumi.Sprintf("rootwatch: encrypts the query results of Athena workgroup %s", b.a.WorkgroupName),
		Policy:      doc,
		Alias:       "alias/rootwatch/athena/" + b.a.WorkgroupName,
		Tags:        b.tags,
		Retain:      !b.a.ForceDestroy,
	}, b.child())
	if err != nil {
		return nil, err
	}
	b.comp.ResultsKeyArn = key.Arn
	return key, nil
}

// resultsBucket creates the results bucket: ownership enforced (no ACLs), all public access
// blocked, SSE-KMS with the results key (with an S3 Bucket Key, fewer KMS requests), results
// expiring, TLS only. It is not versioned: results are reproducible, and versioning would keep
// every deleted or expired result as a noncurrent version.
func (b *builder) resultsBucket(key *kms.Key) (*s3.BucketV2, error) {
	n := b.name + "-results"
	hb, err := hardened.NewBucket(b.ctx, n, hardened.BucketArgs{
		ForceDestroy: b.a.ForceDestroy, Tags: b.tags,
		Encryption: s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: key.Arn,
			},
			BucketKeyEnabled: pulumi.Bool(true),
		},
		Lifecycle: s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("rootwatch-athena-results-expire"),
			Status: pulumi.String("Enabled"),
			Filter: &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{
				Days: pulumi.Int(b.a.ResultsExpirationDays),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(1),
			},
		},
	}, b.child(), b.retain())
	if err != nil {
		return nil, err
	}
	bucket, pab := hb.Bucket, hb.PublicAccessBlock
	doc := pulumi.All(bucket.Arn, key.Arn).ApplyT(func(v []any) (string, error) {
		return policy.AthenaResultsBucket(
			policy.AthenaResultsBucketArgs{Env: b.env, BucketARN: v[0].(string), KeyARN: v[1].(string)},
		).JSON()
	}).(pulumi.StringOutput)
	// After the public access block, as S3 evaluates a new policy against it.
	if _, err := s3.NewBucketPolicy(b.ctx, n+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: doc,
	}, b.child(), b.retain(), pulumi.DependsOn([]pulumi.Resource{pab})); err != nil {
		return nil, err
	}
	b.comp.ResultsBucketName = bucket.Bucket
	return bucket, nil
}

// table creates the Glue database and the CloudTrail table with partition projection.
func (b *builder) table() error {
	db, err := glue.NewCatalogDatabase(b.ctx, b.name+"-database", &glue.CatalogDatabaseArgs{
		Name:        pulumi.String(b.a.DatabaseName),
		Description: pulumi.String("rootwatch: the CloudTrail log files of the trail's bucket, for Athena"),
		Tags:        b.tags,
	}, b.child())
	if err != nil {
		return err
	}
	prefix := LogFilesPrefix(b.a.S3KeyPrefix, b.a.OrganizationID)
	var cols glue.CatalogTableStorageDescriptorColumnArray
	for _, c := range athenasql.Columns() {
		cols = append(cols,
			glue.CatalogTableStorageDescriptorColumnArgs{Name: pulumi.String(c.Name), Type: pulumi.String(c.Type)})
	}
	params := b.a.BucketName.ToStringOutput().ApplyT(func(bucket string) map[string]string {
		p := Projection(bucket, prefix, b.a.AccountIDs, b.a.Regions, b.a.ProjectionStart)
		p["EXTERNAL"] = "TRUE"
		p["classification"] = "cloudtrail"
		return p
	}).(pulumi.StringMapOutput)
	t, err := glue.NewCatalogTable(b.ctx, b.name+"-table", &glue.CatalogTableArgs{
		DatabaseName: db.Name,
		Name:         pulumi.String(b.a.TableName),
		Description: pulumi.String(
			"rootwatch: CloudTrail records, as AWS's Athena guide defines the table, partitioned by projection " +
				"(account, region, day)",
		),
		TableType:  pulumi.String("EXTERNAL_TABLE"),
		Parameters: params,
		PartitionKeys: glue.CatalogTablePartitionKeyArray{
			glue.CatalogTablePartitionKeyArgs{Name: pulumi.String(PartitionAccount), Type: pulumi.String("string")},
			glue.CatalogTablePartitionKeyArgs{Name: pulumi.String(PartitionRegion), Type: pulumi.String("string")},
			glue.CatalogTablePartitionKeyArgs{Name: pulumi.String(PartitionTimestamp), Type: pulumi.String("string")},
		},
		StorageDescriptor: &glue.CatalogTableStorageDescriptorArgs{
			Location:     pulumi.Sprintf("s3://%s/%s", b.a.BucketName, prefix),
			InputFormat:  pulumi.String(InputFormat),
			OutputFormat: pulumi.String(OutputFormat),
			SerDeInfo: &glue.CatalogTableStorageDescriptorSerDeInfoArgs{
				SerializationLibrary: pulumi.String(SerDe),
			},
			Columns: cols,
		},
	}, b.child())
	if err != nil {
		return err
	}
	b.comp.DatabaseName = db.Name
	b.tableRes = t
	b.comp.TableName = t.Name
	return nil
}

// workgroup creates the workgroup: its settings enforced over the clients' (so results always go
// to the results bucket, encrypted with the key), a cap on bytes scanned per query, CloudWatch
// metrics, Athena engine version 3.
func (b *builder) workgroup(key *kms.Key, bucket *s3.BucketV2) (*athena.Workgroup, error) {
	wg, err := athena.NewWorkgroup(b.ctx, b.name+"-workgroup", &athena.WorkgroupArgs{
		Name: pulumi.String(b.a.WorkgroupName),
		Description: pulumi.String(
			"rootwatch: review the trail's CloudTrail records (named queries for every control)",
		),
		State: pulumi.String("ENABLED"),
		// The named queries belong to the stack; results are kept by the bucket's lifecycle.
		ForceDestroy: pulumi.Bool(true),
		Configuration: &athena.WorkgroupConfigurationArgs{
			EnforceWorkgroupConfiguration:   pulumi.Bool(true),
			PublishCloudwatchMetricsEnabled: pulumi.Bool(true),
			BytesScannedCutoffPerQuery:      pulumi.Int(b.a.BytesScannedCutoffPerQuery),
			EngineVersion: &athena.WorkgroupConfigurationEngineVersionArgs{
				SelectedEngineVersion: pulumi.String(EngineVersion),
			},
			ResultConfiguration: &athena.WorkgroupConfigurationResultConfigurationArgs{
				OutputLocation:      pulumi.Sprintf("s3://%s/results/", bucket.Bucket),
				ExpectedBucketOwner: pulumi.String(b.env.AccountID),
				EncryptionConfiguration: &athena.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs{
					EncryptionOption: pulumi.String("SSE_KMS"),
					KmsKeyArn:        key.Arn,
				},
			},
		},
		Tags: b.tags,
	}, b.child())
	if err != nil {
		return nil, err
	}
	b.comp.WorkgroupName = wg.Name
	return wg, nil
}

// queries creates the named queries (Queries).
func (b *builder) queries(wg *athena.Workgroup) error {
	qs, err := Queries(b.a.DatabaseName, b.a.TableName, b.a.QueryDays)
	if err != nil {
		return err
	}
	ids := pulumi.StringMap{}
	for _, q := range qs {
		id := q.ControlID
		if id == "" {
			id = "root-activity-summary"
		}
		nq, err := athena.NewNamedQuery(b.ctx, b.name+"-query-"+id, &athena.NamedQueryArgs{
			Name:        pulumi.String(q.Name),
			Description: pulumi.String(q.Description),
			Database:    pulumi.String(b.a.DatabaseName),
			Workgroup:   wg.Name,
			Query:       pulumi.String(q.SQL),
		}, b.child(), pulumi.DependsOn([]pulumi.Resource{b.tableRes}))
		if err != nil {
			return err
		}
		ids[id] = nq.ID().ToStringOutput()
	}
	b.comp.NamedQueryIds = ids.ToStringMapOutput()
	return nil
}
