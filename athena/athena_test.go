package athena_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
)

const account = "111122223333"

func orgArgs() athena.Args {
	return athena.Args{
		BucketName:     pulumi.String("org-root-watch-logs"),
		S3KeyPrefix:    "cloudtrail",
		OrganizationID: "o-a1b2c3d4e5",
		AccountIDs:     []string{account, "444455556666"},
		Regions:        []string{"us-east-1", "eu-west-1"},
	}
}

func deploy(t *testing.T, args athena.Args) []offline.Resource {
	t.Helper()
	rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
		_, err := athena.New(ctx, "rootwatch-athena", &args)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return rec.Resources()
}

func inputs(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

func get(m any, path ...string) any {
	for _, p := range path {
		mm, ok := m.(map[string]any)
		if !ok {
			return nil
		}
		m = mm[p]
	}
	return m
}

// TestTableIsAWSsCloudTrailTable: the Glue table has AWS's columns, SerDe and input format, and
// projects the organization layout under the prefix: account and region enums, the day as a
// date, so no crawler or MSCK REPAIR is needed.
func TestTableIsAWSsCloudTrailTable(t *testing.T) {
	rs := deploy(t, orgArgs())
	tbl := inputs(pulumitest.One(t, rs, "aws:glue/catalogTable:CatalogTable", "rootwatch-athena-table"))
	sd := tbl["storageDescriptor"].(map[string]any)
	if sd["inputFormat"] != "com.amazon.emr.cloudtrail.CloudTrailInputFormat" ||
		get(sd, "serDeInfo", "serializationLibrary") != "org.apache.hive.hcatalog.data.JsonSerDe" {
		t.Errorf("formats: %v", sd)
	}
	if sd["location"] != "s3://org-root-watch-logs/cloudtrail/AWSLogs/o-a1b2c3d4e5/" {
		t.Errorf("location %v", sd["location"])
	}
	cols := sd["columns"].([]any)
	want := athenasql.Columns()
	if len(cols) != len(want) {
		t.Fatalf("%d columns, want %d", len(cols), len(want))
	}
	for i, c := range want {
		if get(cols[i], "name") != c.Name || get(cols[i], "type") != c.Type {
			t.Errorf("column %d: %v, want %s %s", i, cols[i], c.Name, c.Type)
		}
	}
	var keys []string
	for _, k := range tbl["partitionKeys"].([]any) {
		keys = append(keys, fmt.Sprint(get(k, "name")))
	}
	if strings.Join(keys, ",") != "account,region,timestamp" {
		t.Errorf("partition keys %v", keys)
	}
	p := tbl["parameters"].(map[string]any)
	for k, v := range map[string]string{
		"projection.enabled":                 "true",
		"projection.account.type":            "enum",
		"projection.account.values":          account + ",444455556666",
		"projection.region.values":           "us-east-1,eu-west-1",
		"projection.timestamp.type":          "date",
		"projection.timestamp.format":        "yyyy/MM/dd",
		"projection.timestamp.range":         "2013/11/01,NOW",
		"projection.timestamp.interval.unit": "DAYS",
		"storage.location.template":          "s3://org-root-watch-logs/cloudtrail/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${timestamp}",
		"EXTERNAL":                           "TRUE",
	} {
		if p[k] != v {
			t.Errorf("parameter %s = %v, want %s", k, p[k], v)
		}
	}
	if tbl["tableType"] != "EXTERNAL_TABLE" {
		t.Errorf("table type %v", tbl["tableType"])
	}
}

// TestAccountLayoutAndDefaultRegions: an account trail without prefix is projected under
// AWSLogs/<account>/, over every region of the partition.
func TestAccountLayoutAndDefaultRegions(t *testing.T) {
	rs := deploy(t, athena.Args{BucketName: pulumi.String("b"), AccountIDs: []string{account}})
	p := inputs(pulumitest.One(t, rs, "aws:glue/catalogTable:CatalogTable",
		"rootwatch-athena-table"))["parameters"].(map[string]any)
	if p["storage.location.template"] != "s3://b/AWSLogs/${account}/CloudTrail/${region}/${timestamp}" {
		t.Errorf("template %v", p["storage.location.template"])
	}
	if r := fmt.Sprint(p["projection.region.values"]); !strings.Contains(r, "us-east-1") ||
		!strings.Contains(r, "ap-southeast-2") ||
		strings.Contains(r, "cn-north-1") {
		t.Errorf("regions %s", r)
	}
}

// TestWorkgroupEnforcesEncryptedCappedResults: the workgroup's settings override the clients':
// results in the results bucket, SSE_KMS with the results key, a cap on bytes scanned.
func TestWorkgroupEnforcesEncryptedCappedResults(t *testing.T) {
	rs := deploy(t, orgArgs())
	wg := inputs(pulumitest.One(t, rs, "aws:athena/workgroup:Workgroup", "rootwatch-athena-workgroup"))
	c := wg["configuration"].(map[string]any)
	if c["enforceWorkgroupConfiguration"] != true ||
		c["bytesScannedCutoffPerQuery"] != float64(athena.DefaultBytesScannedCutoff) ||
		get(c, "engineVersion", "selectedEngineVersion") != "Athena engine version 3" ||
		c["publishCloudwatchMetricsEnabled"] != true {
		t.Errorf("configuration %v", c)
	}
	rc := c["resultConfiguration"].(map[string]any)
	if get(rc, "encryptionConfiguration", "encryptionOption") != "SSE_KMS" ||
		!strings.Contains(fmt.Sprint(get(rc, "encryptionConfiguration", "kmsKeyArn")), ":key/") ||
		!strings.HasPrefix(fmt.Sprint(rc["outputLocation"]), "s3://rootwatch-athena-results") ||
		rc["expectedBucketOwner"] != account {
		t.Errorf("results %v", rc)
	}
}

// TestResultsBucketHardened: the results bucket is hardened like rootwatch's log buckets (no ACLs,
// no public access, TLS only, SSE-KMS with the results key) and its results expire.
func TestResultsBucketHardened(t *testing.T) {
	rs := deploy(t, orgArgs())
	if o := inputs(pulumitest.One(t, rs, "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"rootwatch-athena-results-ownership")); get(o, "rule", "objectOwnership") != "BucketOwnerEnforced" {
		t.Errorf("ownership %v", o)
	}
	pab := inputs(pulumitest.One(t, rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"rootwatch-athena-results-public-access-block"))
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if pab[k] != true {
			t.Errorf("%s %v", k, pab[k])
		}
	}
	enc := inputs(pulumitest.One(t, rs,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"rootwatch-athena-results-encryption"))
	rule := enc["rules"].([]any)[0]
	if get(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm") != "aws:kms" ||
		!strings.Contains(fmt.Sprint(get(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId")), ":key/") {
		t.Errorf("encryption %v", rule)
	}
	life := inputs(pulumitest.One(t, rs, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
		"rootwatch-athena-results-lifecycle"))
	if get(life["rules"].([]any)[0], "expiration", "days") != float64(athena.DefaultResultsExpirationDays) {
		t.Errorf("lifecycle %v", life)
	}
	pol := fmt.Sprint(
		inputs(pulumitest.One(t, rs, "aws:s3/bucketPolicy:BucketPolicy", "rootwatch-athena-results-policy"))["policy"],
	)
	if !strings.Contains(pol, `"aws:SecureTransport": "false"`) ||
		!strings.Contains(pol, "s3:x-amz-server-side-encryption-aws-kms-key-id") {
		t.Errorf("policy %s", pol)
	}
	for _, r := range rs {
		if (r.Type == "aws:s3/bucketV2:BucketV2" || r.Type == "aws:kms/key:Key") && !r.RetainOnDelete {
			t.Errorf("%s %s is not retained on delete", r.Type, r.Name)
		}
	}
	key := inputs(pulumitest.One(t, rs, "aws:kms/key:Key", "rootwatch-athena-results-key"))
	if key["enableKeyRotation"] != true || !strings.Contains(fmt.Sprint(key["policy"]), "kms:ViaService") {
		t.Errorf("key %v", key)
	}
}

// TestNamedQueryForEveryControl: one named query per catalogue control and the root-activity
// summary, each the control's translated patterns, restricted to the projected days.
func TestNamedQueryForEveryControl(t *testing.T) {
	rs := deploy(t, orgArgs())
	qs := offline.ByType(rs, "aws:athena/namedQuery:NamedQuery")
	if len(qs) != len(catalog.All())+1 {
		t.Fatalf("%d named queries, want %d", len(qs), len(catalog.All())+1)
	}
	for _, c := range catalog.All() {
		q := inputs(pulumitest.One(t, rs, "aws:athena/namedQuery:NamedQuery", "rootwatch-athena-query-"+c.ID))
		where, err := athena.ControlWhere(c)
		if err != nil {
			t.Fatal(err)
		}
		sql := fmt.Sprint(q["query"])
		if q["name"] != "rootwatch: "+c.ID || q["database"] != "rootwatch_athena" ||
			q["workgroup"] != "rootwatch-athena" ||
			!strings.Contains(sql, where) ||
			!strings.Contains(sql, athena.LastDays(30)) ||
			!strings.Contains(sql, `FROM "rootwatch_athena"."cloudtrail"`) {
			t.Errorf("%s: %v", c.ID, q)
		}
	}
	s := fmt.Sprint(
		inputs(pulumitest.One(t, rs, "aws:athena/namedQuery:NamedQuery",
			"rootwatch-athena-query-root-activity-summary"))["query"],
	)
	if !strings.Contains(s, "GROUP BY") || !strings.Contains(s, "useridentity.invokedby IS NULL") ||
		!strings.Contains(s, "'long-term access key'") {
		t.Errorf("summary %s", s)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	bad := athena.Args{
		S3KeyPrefix: "/x", OrganizationID: "org", AccountIDs: []string{"12"}, Regions: []string{"Europe"},
		DatabaseName: "Root-Watch", WorkgroupName: "a b", BytesScannedCutoffPerQuery: 5, ResultsExpirationDays: -1,
		QueryDays: 5000, ProjectionStart: "2013-11-01",
	}
	rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
		_, err := athena.New(ctx, "rootwatch-athena", &bad)
		return err
	})
	if err == nil {
		t.Fatal("no error")
	}
	for _, f := range []string{"BucketName", "S3KeyPrefix", "OrganizationID", "AccountIDs[0]", "Regions[0]",
		"DatabaseName", "WorkgroupName", "BytesScannedCutoffPerQuery", "ResultsExpirationDays", "QueryDays",
		"ProjectionStart"} {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error does not name %s: %v", f, err)
		}
	}
	if n := len(rec.Resources()); n != 0 {
		t.Errorf("%d resources registered", n)
	}
	if err := (&athena.Args{BucketName: pulumi.String("b")}).Validate("x"); err == nil ||
		!strings.Contains(err.Error(), "AccountIDs") {
		t.Errorf("no accounts: %v", err)
	}
}

func TestDateConditions(t *testing.T) {
	if got := athena.LastDays(7); got != `"timestamp" >= date_format(current_date - INTERVAL '7' DAY, '%Y/%m/%d')` {
		t.Errorf("LastDays: %s", got)
	}
	if got := athena.Between("2026/01/01", "2026/01/31"); got != `"timestamp" BETWEEN '2026/01/01' AND '2026/01/31'` {
		t.Errorf("Between: %s", got)
	}
	if got := athena.Between("x'y", "z"); !strings.Contains(got, "'x''y'") {
		t.Errorf("Between does not escape: %s", got)
	}
}
