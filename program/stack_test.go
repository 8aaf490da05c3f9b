package program

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
)

// root names a file of the repository's root (Pulumi.yaml, the docs); the example stacks the tests
// run are pulumitest.StackFixture's copies.
func root(name string) string { return repo.Path(name) }

var update = flag.Bool("update", false,
	"rewrite golden files (testdata/*.golden.json, Pulumi.yaml config, the config and controls tables in docs/)")

// loadStackConfig returns the config the Pulumi CLI would hand the program for stackFile (the test
// copy of an example stack, pulumitest.StackFixture): offline.LoadStackConfig, which `rootwatch plan` uses too.
func loadStackConfig(t *testing.T, stackFile string) map[string]string {
	t.Helper()
	stack := strings.TrimSuffix(strings.TrimPrefix(stackFile, "Pulumi."), ".yaml")
	sc, err := offline.LoadStackConfig(root("Pulumi.yaml"), stack, pulumitest.StackFixture(stackFile))
	if err != nil {
		t.Fatal(err)
	}
	return sc.Config
}

// testAlertEmail replaces, in the tests only, the example stacks' security-alerts@example.com,
// which the program refuses (so that a stack file deployed as is fails, naming the key). The
// snapshots must still show the subscriptions, so the tests subscribe this address: the project's
// own GitHub Pages domain (github.com/rootwatch), which is not a reserved example domain and takes
// no mail. Nothing is deployed by a test, so nothing is ever sent to it.
const testAlertEmail = pulumitest.TestAlertEmail

// offlineStackConfig is loadStackConfig with the example stacks' alert address replaced by
// testAlertEmail (pulumitest.WithTestAddress): how the tests exercise the subscriptions the example
// stacks describe.
func offlineStackConfig(t *testing.T, stackFile string) map[string]string {
	t.Helper()
	cfg := loadStackConfig(t, stackFile)
	if raw, ok := cfg["rootwatch:alertEmails"]; ok {
		cfg["rootwatch:alertEmails"] = pulumitest.WithTestAddress(raw)
	}
	return cfg
}

// noConfig is the program run on a stack without configuration.
func noConfig(ctx *pulumi.Context) error { return Program(ctx, nil) }

func runProgram(cfg map[string]string, env *offline.Env) (*offline.Recorder, error) {
	return offline.Run(offline.Options{Config: cfg, Env: env},
		func(ctx *pulumi.Context) error { return Program(ctx, cfg) })
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	pulumitest.Golden(t, path, got, *update)
}

// TestDevStackSnapshot runs the program with Pulumi.dev.yaml and compares the whole resource graph
// with testdata/dev-stack.golden.json: the offline preview a pull request shows as a diff.
func TestDevStackSnapshot(t *testing.T) {
	rec, err := runProgram(offlineStackConfig(t, "Pulumi.dev.yaml"), nil)
	if err != nil {
		t.Fatalf("the dev stack fails: %v", err)
	}
	snap, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/dev-stack.golden.json", snap)
}

// TestExampleStackSnapshots: the organization stack (organization trail from the management
// account) and the log-archive stack (the trail writes to another account's bucket and key) as
// golden resource graphs, plus what an auditor reads first in each.
func TestExampleStackSnapshots(t *testing.T) {
	for _, stack := range []string{"org", "log-archive"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := runProgram(offlineStackConfig(t, "Pulumi."+stack+".yaml"), nil)
			if err != nil {
				t.Fatalf("the %s stack fails: %v", stack, err)
			}
			snap, err := offline.Snapshot(rec.Resources())
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "testdata/"+stack+"-stack.golden.json", snap)
			text := string(snap)
			if !strings.Contains(text, `"isOrganizationTrail": true`) ||
				!strings.Contains(text, "AWSLogs/o-a1b2c3d4e5/*") && stack == "org" {
				t.Error("not an organization trail writing under AWSLogs/<org id>/")
			}
			buckets := offline.ByType(rec.Resources(), "aws:s3/bucketV2:BucketV2")
			if stack == "log-archive" {
				if len(buckets) != 0 || !strings.Contains(text, `"s3BucketName": "acme-log-archive-cloudtrail"`) ||
					!strings.Contains(text, "444455556666:key/") {
					t.Errorf("log-archive stack created %d buckets or does not use the brought bucket and key",
						len(buckets))
				}
			} else if len(buckets) != 2 {
				t.Errorf("%d buckets, want the log bucket and its access-log bucket", len(buckets))
			}
		})
	}
}

// TestLogArchiveExportsTheRequiredPolicies: the log-archive owners get the exact bucket and key
// policies as outputs: the organization path, this trail as aws:SourceArn, the brought key.
func TestLogArchiveExportsTheRequiredPolicies(t *testing.T) {
	got := stackOutputs(t, offlineStackConfig(t, "Pulumi.log-archive.yaml"))
	bucket, _ := got[OutRequiredBucketPolicy].(string)
	key, _ := got[OutRequiredKeyPolicy].(string)
	trailARN := "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-root-watch"
	for _, want := range []string{"arn:aws:s3:::acme-log-archive-cloudtrail/cloudtrail/AWSLogs/o-a1b2c3d4e5/*",
		"arn:aws:s3:::acme-log-archive-cloudtrail/cloudtrail/AWSLogs/111122223333/*", trailARN, "aws:SecureTransport"} {
		if !strings.Contains(bucket, want) {
			t.Errorf("requiredBucketPolicy lacks %s:\n%s", want, bucket)
		}
	}
	for _, want := range []string{trailARN, "kms:EncryptionContext:aws:cloudtrail:arn", "logs.us-east-1.amazonaws.com",
		"arn:aws:iam::444455556666:root"} {
		if !strings.Contains(key, want) {
			t.Errorf("requiredKeyPolicy lacks %s:\n%s", want, key)
		}
	}
}

// stackOutputs runs the program with cfg under the mocks and returns every exported output's value.
func stackOutputs(t *testing.T, cfg map[string]string) map[string]any {
	t.Helper()
	var c offline.Collector
	_, err := offline.Run(offline.Options{Config: cfg}, func(ctx *pulumi.Context) error {
		return Build(ctx, cfg, c.Watch)
	})
	if err != nil {
		t.Fatal(err)
	}
	return pulumitest.Wait(t, &c)
}

// TestDevStackExportsOutputs checks every stack output other stacks consume through
// StackReference is exported and resolves to a value of the right shape.
func TestDevStackExportsOutputs(t *testing.T) {
	got := stackOutputs(t, offlineStackConfig(t, "Pulumi.dev.yaml"))
	want := map[string]string{
		OutTrailArn:                `^arn:aws:cloudtrail:us-east-1:111122223333:trail/rootwatch-dev$`,
		OutTrailName:               `^rootwatch-dev$`,
		OutBucketName:              `^rootwatch-bucket-`,
		OutBucketArn:               `^arn:aws:s3:::rootwatch-bucket-`,
		OutAccessLogBucketName:     `^rootwatch-access-logs-`,
		OutKeyArn:                  `^arn:aws:kms:us-east-1:111122223333:key/`,
		OutLogGroupName:            `^/aws/cloudtrail/rootwatch-dev$`,
		OutLogGroupArn:             `^arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/rootwatch-dev$`,
		OutLogsRoleArn:             `^arn:aws:iam::111122223333:role/`,
		OutDeliveryTopicArn:        `^$`,
		OutAlertTopicArn:           `^arn:aws:sns:us-east-1:111122223333:`,
		OutAlertKeyArn:             `^arn:aws:kms:us-east-1:111122223333:key/`,
		OutAlarmArns:               `root-usage:arn:aws:cloudwatch:us-east-1:111122223333:alarm:rootwatch-dev-RootAccountUsage`,
		OutAlarmNames:              `root-usage:rootwatch-dev-RootAccountUsage`,
		OutControls:                `^\[root-usage |root-usage`,
		OutMetricNamespace:         `^CISBenchmark$`,
		OutRootCredentialsFeatures: `^\[\]$`,
		OutConfigRuleArns:          `^map\[\]$`,
		OutRequiredKeyPolicy:       `"Version": "2012-10-17"`,
		OutRequiredBucketPolicy:    `"Version": "2012-10-17"`,
		OutRootEventRuleArns:       `root-signin:arn:aws:events:us-east-1:111122223333:rule/rootwatch-dev-root-signin`,
		OutRootEventAlarmArns:      `root-signin:arn:aws:cloudwatch:us-east-1:111122223333:alarm:`,
		OutRootEventForwardRegions: `^\[\]$`,
		OutHealthTopicArn:          `^arn:aws:sns:us-east-1:111122223333:`,
		OutHeartbeatRuleArn:        `^arn:aws:events:us-east-1:111122223333:rule/rootwatch-dev-heartbeat$`,
		OutChatTopicArn:            `^$`,
		OutMemberEventBusArn:       `^$`,
		OutMemberStackSetName:      `^$`,
		OutAthenaWorkgroup:         `^$`,
		OutAthenaDatabase:          `^$`,
		OutAthenaTable:             `^$`,
		OutRootGuardrailPolicyID:   `^$`,
		OutRootGuardrailTargets:    `^\[\]$`,
	}
	for k, re := range want {
		v, ok := got[k]
		if !ok {
			t.Errorf("output %s is not exported", k)
			continue
		}
		if s := fmt.Sprint(v); !regexp.MustCompile(re).MatchString(s) {
			t.Errorf("output %s = %s, want match for %s", k, s, re)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d outputs exported, %d documented here", len(got), len(want))
	}
}

// TestProjectDefaultsAreValid runs the program with no stack config at all: Pulumi.yaml's defaults
// alone must make a valid stack (with the warning that nobody is subscribed).
func TestProjectDefaultsAreValid(t *testing.T) {
	sc, err := offline.LoadStackConfig(root("Pulumi.yaml"), "dev", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runProgram(sc.Config, nil); err != nil {
		t.Fatalf("Pulumi.yaml's defaults do not make a valid stack: %v", err)
	}
	if _, err := runProgram(nil, nil); err != nil {
		t.Fatalf("an empty config does not make a valid stack: %v", err)
	}
}

// TestPulumiYAMLMatchesConfigKeys holds Pulumi.yaml's typed config block to the key definitions
// in newSettings (type, default, description). `go test ./program -update` rewrites the block.
func TestPulumiYAMLMatchesConfigKeys(t *testing.T) {
	if *update {
		writePulumiYAML(t)
	}
	proj, err := workspace.LoadProject(root("Pulumi.yaml"))
	if err != nil {
		t.Fatalf("Pulumi.yaml does not validate against Pulumi's project schema: %v", err)
	}
	if proj.Name != "rootwatch" || proj.Runtime.Name() != "go" {
		t.Errorf("Pulumi.yaml: project %q runtime %q, want rootwatch / go", proj.Name, proj.Runtime.Name())
	}
	seen := map[string]bool{}
	for _, k := range configKeys {
		seen[k.Name] = true
		ct, ok := proj.Config[k.Name]
		if !ok {
			t.Errorf("Pulumi.yaml lacks config key %s", k.Name)
			continue
		}
		if ct.Type == nil || *ct.Type != k.Type {
			t.Errorf("Pulumi.yaml %s: type %v, want %s", k.Name, ct.Type, k.Type)
		}
		if ct.Description != k.Description {
			t.Errorf("Pulumi.yaml %s: description %q, want %q", k.Name, ct.Description, k.Description)
		}
		if fmt.Sprint(normalize(ct.Default)) != fmt.Sprint(normalize(k.Default)) {
			t.Errorf("Pulumi.yaml %s: default %v, want %v", k.Name, ct.Default, k.Default)
		}
	}
	for name := range proj.Config {
		if !seen[name] {
			t.Errorf("Pulumi.yaml declares %s, which program/config.go does not read", name)
		}
	}
}

func normalize(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func writePulumiYAML(t *testing.T) {
	t.Helper()
	src, err := os.ReadFile(root("Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	head := string(src)
	if i := strings.Index(head, "\nconfig:"); i >= 0 {
		head = head[:i+1]
	}
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("config:\n")
	for _, k := range configKeys {
		fmt.Fprintf(&b, "  %s:\n    type: %s\n", k.Name, k.Type)
		if k.Type == "array" {
			b.WriteString("    items:\n      type: string\n")
		}
		desc := yamlJSON(k.Description)
		def := yamlJSON(k.Default)
		fmt.Fprintf(&b, "    description: %s\n    default: %s\n", desc, def)
	}
	if err := os.WriteFile(root("Pulumi.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestConfigReference holds docs/configuration.md's config table to configKeys. `go test ./program -update`
// rewrites the table between its markers.
func TestConfigReference(t *testing.T) {
	var b strings.Builder
	b.WriteString("| key | type | default | what it does |\n|---|---|---|---|\n")
	for _, k := range configKeys {
		def := yamlJSON(k.Default)
		fmt.Fprintf(&b, "| `rootwatch:%s` | %s | `%s` | %s |\n", k.Name, k.Type, def,
			strings.NewReplacer("|", "\\|", "<", "&lt;", ">", "&gt;").Replace(k.Description))
	}
	replaceBetweenMarkers(t, root("docs/configuration.md"), "config-reference", b.String())
}

// TestControlsTable holds docs/controls.md's table of controls to the catalogue.
func TestControlsTable(t *testing.T) {
	replaceBetweenMarkers(t, root("docs/controls.md"), "controls-table", catalog.MarkdownTable())
}

func replaceBetweenMarkers(t *testing.T, path, marker, body string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin, end := "<!-- begin "+marker+" (generated: go test ./program -update) -->\n", "<!-- end "+marker+" -->"
	re := regexp.MustCompile(`(?s)` + regexp.QuoteMeta(begin) + `.*?` + regexp.QuoteMeta(end))
	if !re.Match(src) {
		t.Fatalf("%s lacks the markers %q ... %q", path, begin, end)
	}
	want := re.ReplaceAllLiteral(src, []byte(begin+body+end))
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(src, want) {
		t.Errorf("%s: the %s section is out of date; run `go test ./program -update`.\n%s", path, marker,
			pulumitest.FirstDiff(string(src), string(want)))
	}
}

// badConfigCase is one invalid stack config: the error must name the key, quote the value and say
// what is allowed, and nothing may be registered.
type badConfigCase struct {
	name string
	cfg  map[string]string
	want []string // substrings of the error
}

// badConfigCases are the bad configs TestBadConfigRegistersNothing runs, each with what its error
// must say.
var badConfigCases = []badConfigCase{
	{"retention not accepted by CloudWatch", map[string]string{"rootwatch:logRetentionDays": "42"},
		[]string{
			"rootwatch:logRetentionDays: 42 is not a retention CloudWatch Logs accepts",
			"allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, " +
				"2922, 3288, 3653",
		}},
	{"retention not a number", map[string]string{"rootwatch:logRetentionDays": "a year"},
		[]string{`rootwatch:logRetentionDays: "a year" is not a whole number`}},
	{"trail name with a space", map[string]string{"rootwatch:trailName": "my trail"},
		[]string{
			`rootwatch:trailName: "my trail" is not a valid CloudTrail trail name`,
			"allowed: 3 to 128 ASCII letters",
		}},
	{"trail name with adjacent punctuation", map[string]string{"rootwatch:trailName": "my-_trail"},
		[]string{`rootwatch:trailName: "my-_trail" is not a valid CloudTrail trail name`}},
	{"trail name like an IP address", map[string]string{"rootwatch:trailName": "192.168.5.4"},
		[]string{`rootwatch:trailName: "192.168.5.4"`}},
	{"negative archive days", map[string]string{"rootwatch:logArchiveDays": "-1"},
		[]string{"rootwatch:logArchiveDays: -1 is negative", "allowed: 0 (off) or a positive whole number"}},
	{"negative expiration", map[string]string{"rootwatch:logExpirationDays": "-30"},
		[]string{"rootwatch:logExpirationDays: -30 is negative"}},
	{"negative noncurrent expiration", map[string]string{"rootwatch:noncurrentVersionExpirationDays": "-5"},
		[]string{"rootwatch:noncurrentVersionExpirationDays: -5 is negative"}},
	{
		"expiration before archive",
		map[string]string{"rootwatch:logArchiveDays": "90", "rootwatch:logExpirationDays": "30"},
		[]string{"rootwatch:logExpirationDays: 30 is not after the archive transition (90 days)"},
	},
	{"unknown storage class", map[string]string{"rootwatch:logArchiveStorageClass": "TAPE"},
		[]string{
			`rootwatch:logArchiveStorageClass: "TAPE" is not supported`,
			"allowed: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE",
		}},
	{"key prefix with leading slash", map[string]string{"rootwatch:s3KeyPrefix": "/logs"},
		[]string{`rootwatch:s3KeyPrefix: "/logs" is not a usable S3 key prefix`}},
	{"bad log group name", map[string]string{"rootwatch:logGroupName": "has space"},
		[]string{`rootwatch:logGroupName: "has space" is not a valid CloudWatch Logs log group name`}},
	{"organization trail without id", map[string]string{"rootwatch:organizationTrail": "true"},
		[]string{`rootwatch:organizationId: "" is not an AWS Organizations id`}},
	{"organizationTrail not a boolean", map[string]string{"rootwatch:organizationTrail": "yes please"},
		[]string{`rootwatch:organizationTrail: "yes please" is not a boolean`, "allowed: true or false"}},
	{"forceDestroy not a boolean", map[string]string{"rootwatch:forceDestroy": "maybe"},
		[]string{`rootwatch:forceDestroy: "maybe" is not a boolean`}},
	{"tags not a map", map[string]string{"rootwatch:tags": `["a"]`},
		[]string{`rootwatch:tags: "[\"a\"]" is not a map of strings to strings`}},
	{"reserved tag key", map[string]string{"rootwatch:tags": `{"aws:owner":"me"}`},
		[]string{`rootwatch:tags: "aws:owner" is a reserved tag key`}},
	{"bad e-mail", map[string]string{"rootwatch:alertEmails": `["security@rootwatch.github.io","not-an-address"]`},
		[]string{`rootwatch:alertEmails[1]: "not-an-address" is not an e-mail address`}},
	{"http endpoint", map[string]string{"rootwatch:alertHttpsEndpoints": `["http://hooks.yourcompany.com/x"]`},
		[]string{`rootwatch:alertHttpsEndpoints[0]: "http://hooks.yourcompany.com/x" is not an HTTPS URL`}},
	{"https endpoint without a host", map[string]string{"rootwatch:alertHttpsEndpoints": `["https:///x"]`},
		[]string{`rootwatch:alertHttpsEndpoints[0]: "https:///x" is not an HTTPS URL`}},
	{
		"e-mail at example.com",
		map[string]string{"rootwatch:alertEmails": `["soc@rootwatch.github.io","security-alerts@example.com"]`},
		[]string{
			`rootwatch:alertEmails[1]: "security-alerts@example.com" is at a domain reserved for examples and tests (RFC 2606, RFC 6761)`,
			"set it with: pulumi config set --path 'rootwatch:alertEmails[1]' security@yourcompany.com",
		},
	},
	{"e-mail under a .test domain", map[string]string{"rootwatch:alertEmails": `["soc@mail.corp.TEST"]`},
		[]string{`rootwatch:alertEmails[0]: "soc@mail.corp.TEST" is at a domain reserved`}},
	{
		"https endpoint at a subdomain of example.org",
		map[string]string{"rootwatch:alertHttpsEndpoints": `["https://hooks.example.org/rootwatch"]`},
		[]string{
			`rootwatch:alertHttpsEndpoints[0]: "https://hooks.example.org/rootwatch" is at a domain reserved`,
			"set it with: pulumi config set --path 'rootwatch:alertHttpsEndpoints[0]' " +
				"https://hooks.yourcompany.com/rootwatch",
		},
	},
	{
		"queue that is not an SQS ARN",
		map[string]string{"rootwatch:alertSqsQueueArns": `["arn:aws:sns:us-east-1:111122223333:t"]`},
		[]string{`rootwatch:alertSqsQueueArns[0]: "arn:aws:sns:us-east-1:111122223333:t" is not an SQS ARN`},
	},
	{"unknown CIS control", map[string]string{"rootwatch:cisControls": `["root-usage","5.99"]`},
		[]string{`rootwatch:cisControls: ["root-usage", "5.99"]`, "5.99"}},
	{"alarm period not allowed", map[string]string{"rootwatch:alarmPeriodSeconds": "45"},
		[]string{
			"rootwatch:alarmPeriodSeconds: 45 is not a period CloudWatch alarms accept",
			"allowed: a multiple of 60 from 60 to 604800",
		}},
	{"high-resolution alarm period on one-minute metrics", map[string]string{"rootwatch:alarmPeriodSeconds": "10"},
		[]string{
			"rootwatch:alarmPeriodSeconds: 10 is a high-resolution period",
			"INSUFFICIENT_DATA",
			"allowed: a multiple of 60",
		}},
	{"30 s alarm period on one-minute metrics", map[string]string{"rootwatch:alarmPeriodSeconds": "30"},
		[]string{"rootwatch:alarmPeriodSeconds: 30 is a high-resolution period"}},
	{"alarm period over seven days", map[string]string{"rootwatch:alarmPeriodSeconds": "604860"},
		[]string{"rootwatch:alarmPeriodSeconds: 604860 is longer than CloudWatch lets an alarm evaluate"}},
	{"negative heartbeat", map[string]string{"rootwatch:heartbeatDays": "-1"},
		[]string{
			"rootwatch:heartbeatDays: -1 is not a heartbeat interval",
			"allowed: a whole number of days from 1 to 90, or 0 for no heartbeat",
		}},
	{"AWS namespace", map[string]string{"rootwatch:metricNamespace": "AWS/CloudTrail"},
		[]string{`rootwatch:metricNamespace: "AWS/CloudTrail" is not a usable CloudWatch namespace`}},
	{
		"existing trail without its log group",
		map[string]string{"rootwatch:existingTrailName": "aws-controltower-BaselineCloudTrail"},
		[]string{
			`rootwatch:existingLogGroupName: "" is required with rootwatch:existingTrailName`,
			"aws-controltower/CloudTrailLogs",
		},
	},
	{
		"existing log group without its trail",
		map[string]string{"rootwatch:existingLogGroupName": "aws-controltower/CloudTrailLogs"},
		[]string{`rootwatch:existingTrailName: "" is required with rootwatch:existingLogGroupName`},
	},
	{
		"existing trail name that is no trail name",
		map[string]string{
			"rootwatch:existingTrailName":    "arn:aws:cloudtrail:us-east-1:111122223333:trail/t",
			"rootwatch:existingLogGroupName": "lg",
		},
		[]string{
			`rootwatch:existingTrailName: "arn:aws:cloudtrail:us-east-1:111122223333:trail/t" is not a valid CloudTrail trail name`,
		},
	},
	{"existing trail with the created trail's keys", map[string]string{
		"rootwatch:existingTrailName":               "aws-controltower-BaselineCloudTrail",
		"rootwatch:existingLogGroupName":            "aws-controltower/CloudTrailLogs",
		"rootwatch:trailName":                       "mine",
		"rootwatch:s3KeyPrefix":                     "ct",
		"rootwatch:logGroupName":                    "/mine",
		"rootwatch:logRetentionDays":                "400",
		"rootwatch:logArchiveDays":                  "30",
		"rootwatch:logArchiveStorageClass":          "GLACIER",
		"rootwatch:logExpirationDays":               "3650",
		"rootwatch:noncurrentVersionExpirationDays": "30",
		"rootwatch:organizationTrail":               "true",
		"rootwatch:organizationId":                  "o-a1b2c3d4e5",
		"rootwatch:forceDestroy":                    "true",
		"rootwatch:logDeliveryNotifications":        "true",
		"rootwatch:existingKeyArn":                  "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"rootwatch:existingBucketName":              "acme-logs",
	}, []string{
		`rootwatch:trailName: "mine" is set together with rootwatch:existingTrailName, but it names the trail rootwatch would create`,
		`rootwatch:s3KeyPrefix: "ct" is set together with rootwatch:existingTrailName`,
		`rootwatch:logGroupName: "/mine" is set together with rootwatch:existingTrailName, but it names the log group rootwatch would create; the existing one is rootwatch:existingLogGroupName`,
		`rootwatch:logRetentionDays: "400" is set together`, `rootwatch:logArchiveDays: "30" is set together`,
		`rootwatch:logArchiveStorageClass: "GLACIER" is set together`,
		`rootwatch:logExpirationDays: "3650" is set together`,
		`rootwatch:noncurrentVersionExpirationDays: "30" is set together`,
		`rootwatch:organizationTrail: "true" is set together`,
		`rootwatch:organizationId: "o-a1b2c3d4e5" is set together`,
		`rootwatch:forceDestroy: "true" is set together`, `rootwatch:logDeliveryNotifications: "true" is set together`,
		`rootwatch:existingKeyArn: "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab" is set together`,
		`rootwatch:existingBucketName: "acme-logs" is set together`,
		"allowed: leave it unset when using an existing trail", "14 problems",
	}},
	{"region that is not one", map[string]string{"rootwatch:regions": `["eu-west-1","eu-west-4"]`},
		[]string{`rootwatch:regions[1]: "eu-west-4" is not a region of partition aws; allowed: a region of partition aws, such as eu-central-1`, "(all 36: internal/awsenv/regions.go)"}},
	{"China region that is not one", map[string]string{"rootwatch:regions": `["cn-south-1"]`},
		[]string{`rootwatch:regions[0]: "cn-south-1" is not a region of partition aws-cn; allowed: a region of partition aws-cn: cn-north-1, cn-northwest-1`}},
	{"slack channel without a workspace", map[string]string{"rootwatch:slackChannels": `["C07EZ1ABC23"]`},
		[]string{
			`rootwatch:slackChannels[0]: "C07EZ1ABC23" is not WORKSPACE_ID/CHANNEL_ID`,
			"allowed: a Slack workspace id and channel id joined by /",
		}},
	{
		"slack workspace id in lower case",
		map[string]string{"rootwatch:slackChannels": `["T07EA123LEP/C07EZ1ABC23","t07ea123lep/C07EZ1ABC23"]`},
		[]string{
			`rootwatch:slackChannels[1]: "t07ea123lep/C07EZ1ABC23" has workspace id "t07ea123lep", not a Slack workspace id`,
		},
	},
	{"slack channel given by name", map[string]string{"rootwatch:slackChannels": `["T07EA123LEP/#security-alerts"]`},
		[]string{
			`rootwatch:slackChannels[0]: "T07EA123LEP/#security-alerts" has channel id "#security-alerts", not a Slack channel id`,
			"the end of the channel's link",
		}},
	{
		"slack channel twice",
		map[string]string{"rootwatch:slackChannels": `["T07EA123LEP/C07EZ1ABC23","T07EA123LEP/C07EZ1ABC23"]`},
		[]string{`rootwatch:slackChannels[1]: "T07EA123LEP/C07EZ1ABC23" is listed twice`},
	},
	{
		"teams channel id not URL-encoded",
		map[string]string{
			"rootwatch:teamsChannels": `["a1b2c3d4-1111-2222-3333-444455556666/b1b2c3d4-1111-2222-3333-444455556666/19:b6ef35dc342d56ba5654e6fc6d25a071@thread.tacv2"]`,
		},
		[]string{`rootwatch:teamsChannels[0]:`, "has a channel id that is not URL-encoded", "%3a"},
	},
	{
		"teams channel without tenant",
		map[string]string{
			"rootwatch:teamsChannels": `["b1b2c3d4-1111-2222-3333-444455556666/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"]`,
		},
		[]string{`rootwatch:teamsChannels[0]:`, "is not TENANT_ID/TEAM_ID/CHANNEL_ID"},
	},
	{
		"teams tenant that is not an id",
		map[string]string{
			"rootwatch:teamsChannels": `["contoso/b1b2c3d4-1111-2222-3333-444455556666/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"]`,
		},
		[]string{`rootwatch:teamsChannels[0]:`, "does not start with a tenant id and a team id (UUIDs)"},
	},
	{
		"chat region without the Chatbot API",
		map[string]string{
			"rootwatch:chatRegion":    "us-east-1",
			"rootwatch:slackChannels": `["T07EA123LEP/C07EZ1ABC23"]`,
		},
		[]string{
			`rootwatch:chatRegion: "us-east-1" is not supported`,
			"allowed: us-east-2, us-west-2, eu-west-1, ap-southeast-1",
		},
	},
	{
		"member notifications without an organization trail",
		map[string]string{"rootwatch:memberAccountNotifications": "true"},
		[]string{
			"rootwatch:memberAccountNotifications: true needs the member accounts' events recorded by an " +
				"organization trail",
			"allowed: rootwatch:organizationTrail true with rootwatch:organizationId",
		},
	},
	{
		"member notifications without root notifications",
		map[string]string{
			"rootwatch:memberAccountNotifications": "true",
			"rootwatch:rootEventNotifications":     "false",
			"rootwatch:organizationTrail":          "true",
			"rootwatch:organizationId":             "o-a1b2c3d4e5",
		},
		[]string{"rootwatch:memberAccountNotifications: true needs rootwatch:rootEventNotifications true"},
	},
	{
		"member OU that is not one",
		map[string]string{
			"rootwatch:memberAccountNotifications": "true",
			"rootwatch:organizationTrail":          "true",
			"rootwatch:organizationId":             "o-a1b2c3d4e5",
			"rootwatch:memberOrganizationalUnits":  `["ou-a1b2-c3d4e5f6","Security"]`,
		},
		[]string{
			`rootwatch:memberOrganizationalUnits[1]: "Security" is not an organizational unit or root id; allowed: an organizational unit id (ou-`,
		},
	},
	{
		"member OUs without member notifications",
		map[string]string{
			"rootwatch:memberOrganizationalUnits": `["ou-a1b2-c3d4e5f6"]`,
			"rootwatch:delegatedAdministrator":    "true",
		},
		[]string{
			`rootwatch:memberOrganizationalUnits: "[\"ou-a1b2-c3d4e5f6\"]" has no effect without rootwatch:memberAccountNotifications`,
			`rootwatch:delegatedAdministrator: "true" has no effect`,
		},
	},
	{
		"topic ARN and subscriptions",
		map[string]string{
			"rootwatch:alertTopicArn": "arn:aws:sns:us-east-1:111122223333:sec",
			"rootwatch:alertEmails":   `["a@rootwatch.github.io"]`,
		},
		[]string{
			`rootwatch:alertTopicArn: "arn:aws:sns:us-east-1:111122223333:sec" is set together with 1 subscriptions`,
		},
	},
}

// TestBadConfigRegistersNothing: each bad config fails naming the key, the value and what is
// allowed, before a single resource is registered or looked up.
func TestBadConfigRegistersNothing(t *testing.T) {
	cases := badConfigCases
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec, err := runProgram(c.cfg, nil)
			if err == nil {
				t.Fatalf("config %v was accepted", c.cfg)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if rs := rec.Resources(); len(rs) != 0 {
				t.Errorf("a bad config registered %d resources (first %s %s)", len(rs), rs[0].Type, rs[0].Name)
			}
			if inv := rec.Invokes(); len(inv) != 0 {
				t.Errorf("a bad config made invokes: %v", inv)
			}
		})
	}
}

// TestSeveralBadKeysReportedTogether: a user fixes every problem in one pass.
func TestSeveralBadKeysReportedTogether(t *testing.T) {
	rec, err := runProgram(map[string]string{
		"rootwatch:logRetentionDays":   "42",
		"rootwatch:trailName":          "x",
		"rootwatch:logArchiveDays":     "-1",
		"rootwatch:alarmPeriodSeconds": "7",
		"rootwatch:alertEmails":        `["nope"]`,
	}, nil)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, key := range []string{"rootwatch:logRetentionDays", "rootwatch:trailName", "rootwatch:logArchiveDays",
		"rootwatch:alarmPeriodSeconds", "rootwatch:alertEmails[0]"} {
		if !strings.Contains(err.Error(), key+":") {
			t.Errorf("error does not report %s:\n%v", key, err)
		}
	}
	if !strings.Contains(err.Error(), "5 problems") {
		t.Errorf("error does not count 5 problems:\n%v", err)
	}
	if len(rec.Resources()) != 0 {
		t.Error("resources registered")
	}
}

// TestEveryConfigKeyIsRead sets each defined key in turn to a value other than its default and
// checks that the value reaches every component argument its definition names (so no key in
// Pulumi.yaml is silently ignored, and its errors are reported under the right key). A new key
// needs nothing here.
func TestEveryConfigKeyIsRead(t *testing.T) {
	base, es := readKeys(t, nil)
	if len(es) != 0 {
		t.Fatalf("no config: %v", es.Err("read"))
	}
	claimed := map[string]string{}
	for _, k := range configKeys {
		t.Run(k.Name, func(t *testing.T) {
			var s *settings
			for _, raw := range nonDefaultSamples(k) {
				if got, es := readKeys(t, map[string]string{namespace + ":" + k.Name: raw}); len(es) == 0 {
					s = got
					break
				}
			}
			if s == nil {
				t.Fatalf("none of %q parses", nonDefaultSamples(k))
			}
			if len(k.Args) == 0 {
				t.Fatal("sets no component argument")
			}
			for _, arg := range append(slices.Clone(k.Args), k.Shared...) {
				if other, ok := claimed[arg]; ok {
					t.Errorf("%s is also set by %s", arg, other)
				}
				claimed[arg] = k.Name
				if was, now := argValue(t, base, arg), argValue(t, s, arg); reflect.DeepEqual(was, now) {
					t.Errorf("the value does not reach %s: still %v", arg, was)
				}
			}
		})
	}
}

// readKeys reads the definitions with cfg, as loadSettings does before judging the values.
func readKeys(t *testing.T, cfg map[string]string) (*settings, validate.Errors) {
	t.Helper()
	var s *settings
	var es validate.Errors
	if _, err := offline.Run(offline.Options{Config: cfg}, func(ctx *pulumi.Context) error {
		var keys keySet
		s, keys = newSettings(stackDefaultName(ctx.Stack()))
		r := &reader{ctx: ctx}
		r.read(keys)
		es = r.es
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return s, es
}

// nonDefaultSamples are raw values of k's type other than its default, to try in turn until one
// parses (an array of structured entries such as WORKSPACE_ID/CHANNEL_ID refuses the first).
func nonDefaultSamples(k *configKey) []string {
	switch d := k.Default.(type) {
	case string:
		return []string{"probe"}
	case int:
		return []string{fmt.Sprint(d + 1)}
	case bool:
		return []string{fmt.Sprint(!d)}
	case []any:
		return []string{`["probe"]`, `["probe/a"]`, `["probe/a/b"]`}
	case map[string]any:
		return []string{`{"probe":"a"}`}
	}
	return nil
}

// argValue is the value of the settings field arg names: a component argument such as
// "trail.Lifecycle.ArchiveAfterDays" (component as in settings, lower case) or a settings field,
// pointers followed.
func argValue(t *testing.T, s *settings, arg string) any {
	t.Helper()
	v := reflect.ValueOf(s)
	for _, name := range strings.Split(arg, ".") {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		f := v.FieldByName(strings.ToUpper(name[:1]) + name[1:])
		if !f.IsValid() {
			t.Fatalf("%s names no field of settings", arg)
		}
		v = f
	}
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// TestNonDefaultConfigReachesTheResources runs the program with most keys set to valid values
// other than their defaults, and finds each value on the resources.
func TestNonDefaultConfigReachesTheResources(t *testing.T) {
	cfg := map[string]string{
		"rootwatch:trailName":                       "org-audit",
		"rootwatch:s3KeyPrefix":                     "audit/ct",
		"rootwatch:logGroupName":                    "/security/org-audit",
		"rootwatch:logRetentionDays":                "731",
		"rootwatch:logArchiveDays":                  "120",
		"rootwatch:logArchiveStorageClass":          "DEEP_ARCHIVE",
		"rootwatch:logExpirationDays":               "2555",
		"rootwatch:noncurrentVersionExpirationDays": "400",
		"rootwatch:organizationTrail":               "true",
		"rootwatch:organizationId":                  "o-a1b2c3d4e5",
		"rootwatch:forceDestroy":                    "true",
		"rootwatch:logDeliveryNotifications":        "true",
		"rootwatch:keyAdminArns":                    `["arn:aws:iam::111122223333:role/KeyAdmin"]`,
		"rootwatch:tags":                            `{"team":"security"}`,
		"rootwatch:alertEmails":                     `["soc@rootwatch.github.io"]`,
		"rootwatch:alertHttpsEndpoints":             `["https://rootwatch.github.io/hooks/rootwatch"]`,
		"rootwatch:alertSqsQueueArns":               `["arn:aws:sqs:us-east-1:111122223333:soc"]`,
		"rootwatch:cisControls":                     `["root-usage","CloudWatch.2"]`,
		"rootwatch:alarmPeriodSeconds":              "300",
		"rootwatch:metricNamespace":                 "Security/Root",
		"rootwatch:namePrefix":                      "acme-",
		"rootwatch:alarmOkActions":                  "true",
		"rootwatch:heartbeatDays":                   "14",
		"rootwatch:rootEventNotifications":          "true",
		"rootwatch:rootCredentialsManagement":       "true",
		"rootwatch:configRules":                     "true",
		"rootwatch:regions":                         `["eu-west-1"]`,
		"rootwatch:slackChannels":                   `["T07EA123LEP/C07EZ1ABC23"]`,
		"rootwatch:teamsChannels":                   `["a1b2c3d4-1111-2222-3333-444455556666/b1b2c3d4-1111-2222-3333-444455556666/19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"]`,
		"rootwatch:chatRegion":                      "us-west-2",
	}
	// The deploying identity is a session of the key administrator role, as KMS requires.
	env := offline.DefaultEnv
	env.CallerARN = offline.AssumedRoleCaller(env, "KeyAdmin", "pulumi-up")
	rec, err := runProgram(cfg, &env)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	text := string(snap)
	for _, want := range []string{
		`"name": "org-audit"`, `"s3KeyPrefix": "audit/ct"`, `"/security/org-audit"`, `"retentionInDays": 731`,
		`"days": 120`, `"DEEP_ARCHIVE"`, `"days": 2555`, `"noncurrentDays": 400`, `"isOrganizationTrail": true`,
		`o-a1b2c3d4e5`, `"forceDestroy": true`, `org-audit-log-delivery`, `role/KeyAdmin`, `"team": "security"`,
		`soc@rootwatch.github.io`, `https://rootwatch.github.io/hooks/rootwatch`,
		`arn:aws:sqs:us-east-1:111122223333:soc`,
		`acme-RootAccountUsage`, `"period": 300`, `"scheduleExpression": "rate(14 days)"`,
		`"namespace": "Security/Root"`, `"okActions"`,
		`"name": "acme-root-events-to-us-east-1"`, `"region": "eu-west-1"`, `acme-root-signin`,
		`"RootCredentialsManagement"`, `"RootSessions"`, `"ROOT_ACCOUNT_MFA_ENABLED"`, `"IAM_ROOT_ACCESS_KEY_CHECK"`,
		`acme-root-posture-compliance`,
		`"slackTeamId": "T07EA123LEP"`, `"slackChannelId": "C07EZ1ABC23"`,
		`"tenantId": "a1b2c3d4-1111-2222-3333-444455556666"`,
		`"channelId": "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2"`, `"region": "us-west-2"`,
		`"configurationName": "acme-slack-0"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no resource carries %s", want)
		}
	}
	if n := len(offline.ByType(rec.Resources(), "aws:cloudwatch/logMetricFilter:LogMetricFilter")); n != 3 {
		t.Errorf("cisControls [root-usage, CloudWatch.2] deployed %d metric filters, want 3 (root usage has two)", n)
	}
}

// TestRootEventNotificationsSwitch: on by default (rules on the alert topic, an alarm on each
// rule's failed invocations), and off when rootwatch:rootEventNotifications is false, with its
// outputs then empty rather than missing.
func TestRootEventNotificationsSwitch(t *testing.T) {
	const rule = "aws:cloudwatch/eventRule:EventRule"
	rec, err := runProgram(map[string]string{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(offline.ByType(rec.Resources(), rule)); n == 0 {
		t.Error("no EventBridge rule by default")
	}
	rec, err = runProgram(map[string]string{"rootwatch:rootEventNotifications": "false"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range offline.ByType(rec.Resources(), rule) {
		if r.Name != "rootwatch-heartbeat" {
			t.Errorf("EventBridge rule %s with rootEventNotifications false (only the heartbeat belongs)", r.Name)
		}
	}
	_, err = runProgram(
		map[string]string{
			"rootwatch:regions":    `["eu-west-1","narnia-1"]`,
			"rootwatch:namePrefix": "a-very-long-prefix-that-is-too-long-",
		},
		nil,
	)
	for _, want := range []string{`rootwatch:regions[1]: "narnia-1" is not an AWS region name`,
		`rootwatch:namePrefix: "a-very-long-prefix-that-is-too-long-" is not a usable name prefix`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	}
}

// TestRootCredentialsManagementOutsideTheManagementAccount: the organization prerequisite is
// checked with the configuration, so a member account's stack fails under
// rootwatch:rootCredentialsManagement with what to do, having registered nothing.
func TestRootCredentialsManagementOutsideTheManagementAccount(t *testing.T) {
	env := offline.DefaultEnv
	org := offline.DefaultOrganization
	org.ManagementAccountID = "999988887777"
	env.Organization = &org
	rec, err := runProgram(map[string]string{"rootwatch:rootCredentialsManagement": "true"}, &env)
	if err == nil ||
		!strings.Contains(err.Error(),
			"rootwatch:rootCredentialsManagement: true cannot be enabled from account 111122223333") ||
		!strings.Contains(err.Error(), "999988887777") {
		t.Fatalf("error %v", err)
	}
	if n := len(rec.Resources()); n != 0 {
		t.Errorf("%d resources registered", n)
	}
}

// TestRegionProvidersUseTheStackProfile: the forwarding regions' explicit providers get the
// stack's aws:profile (they read no aws:* setting themselves) and are pinned to its account.
func TestRegionProvidersUseTheStackProfile(t *testing.T) {
	rec, err := runProgram(map[string]string{"aws:profile": "security-admin", "rootwatch:regions": `["eu-west-1"]`},
		nil)
	if err != nil {
		t.Fatal(err)
	}
	ps := offline.ByType(rec.Resources(), "pulumi:providers:aws")
	if len(ps) != 1 {
		t.Fatalf("%d providers, want one for eu-west-1", len(ps))
	}
	in := offline.Plain(ps[0].Inputs)
	if in["profile"] != "security-admin" || in["region"] != "eu-west-1" ||
		fmt.Sprint(in["allowedAccountIds"]) != "[111122223333]" {
		t.Errorf("provider inputs %v", in)
	}
}

// TestOrganizationTrailPreflight: an organization trail from a member account, for another
// organization, or without CloudTrail's trusted access fails under its config key before anything
// (buckets, key) is registered.
func TestOrganizationTrailPreflight(t *testing.T) {
	cfg := map[string]string{"rootwatch:organizationTrail": "true", "rootwatch:organizationId": "o-a1b2c3d4e5"}
	for name, c := range map[string]struct {
		org  func(o *offline.Organization)
		want string
	}{
		"member account": {func(o *offline.Organization) { o.ManagementAccountID = "999988887777" },
			"rootwatch:organizationTrail: true cannot be created from account 111122223333, not organization " +
				"o-a1b2c3d4e5's management account (999988887777): account 111122223333 is not a delegated " +
				"administrator of CloudTrail (cloudtrail.amazonaws.com); it administers: none; allowed: deploy from " +
				"the management account, or register this account as CloudTrail's delegated administrator from " +
				"the management account first: aws cloudtrail register-organization-delegated-admin " +
				"--member-account-id 111122223333"},
		"other organization": {func(o *offline.Organization) { o.ID = "o-zzzzzzzzzz" },
			`rootwatch:organizationId: "o-a1b2c3d4e5" is not this account's organization (o-zzzzzzzzzz)`},
		"no trusted access": {func(o *offline.Organization) { o.ServiceAccessPrincipals = []string{"iam.amazonaws.com"} },
			"needs trusted access for CloudTrail"},
		"not in organization": {func(o *offline.Organization) { o.NotInUse = true },
			"rootwatch:organizationTrail: true needs an AWS Organization"},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			c.org(&org)
			env.Organization = &org
			rec, err := runProgram(cfg, &env)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}

// TestOrgStackFromDelegatedAdmin: the organization stack (Pulumi.org.yaml) deployed from a member
// account that is the delegated administrator of CloudTrail and of CloudFormation StackSets
// (rootwatch:delegatedAdministrator for the StackSet; the trail needs no setting), as a golden
// resource graph (testdata/org-delegated-admin-stack.golden.json): the bucket, key and log group
// are the deploying account's, and every policy names the trail as AWS records it, the management
// account's.
func TestOrgStackFromDelegatedAdmin(t *testing.T) {
	const management = "999988887777"
	cfg := offlineStackConfig(t, "Pulumi.org.yaml")
	cfg["rootwatch:delegatedAdministrator"] = "true"
	cfg["rootwatch:memberOrganizationalUnits"] = `["ou-a1b2-c3d4e5f6"]`
	env := offline.DefaultEnv
	org := offline.DefaultOrganization
	org.ManagementAccountID = management
	org.DelegatedServices = []string{"cloudtrail.amazonaws.com", "member.org.stacksets.cloudformation.amazonaws.com"}
	env.Organization = &org
	rec, err := runProgram(cfg, &env)
	if err != nil {
		t.Fatalf("the org stack from a delegated administrator fails: %v", err)
	}
	snap, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/org-delegated-admin-stack.golden.json", snap)
	text := string(snap)
	trailARN := "arn:aws:cloudtrail:us-east-1:" + management + ":trail/org-root-watch"
	for _, want := range []string{`"isOrganizationTrail": true`, trailARN, "AWSLogs/o-a1b2c3d4e5/*",
		"AWSLogs/" + management + "/*", "arn:aws:cloudtrail:*:" + management + ":trail/*", `"callAs": "DELEGATED_ADMIN"`} {
		if !strings.Contains(text, want) {
			t.Errorf("snapshot lacks %s", want)
		}
	}
	for _, not := range []string{"111122223333:trail/", "AWSLogs/111122223333/"} {
		if strings.Contains(text, not) {
			t.Errorf("snapshot names the deploying account's trail: %s", not)
		}
	}
	if n := len(offline.ByType(rec.Resources(), "aws:s3/bucketV2:BucketV2")); n != 2 {
		t.Errorf("%d buckets, want the log bucket and its access-log bucket in the deploying account", n)
	}
}

// TestMemberAccountNotificationsPreflight: who may deploy the member StackSet is checked with the
// configuration: a member account without rootwatch:delegatedAdministrator, an account that is not
// a registered delegated administrator of CloudFormation StackSets, and an organization without
// trusted access for StackSets fail under their keys before anything is registered; a registered
// delegated administrator deploys with CallAs DELEGATED_ADMIN.
func TestMemberAccountNotificationsPreflight(t *testing.T) {
	const stackSets = "member.org.stacksets.cloudformation.amazonaws.com"
	delegated := map[string]string{
		"rootwatch:memberAccountNotifications": "true",
		"rootwatch:delegatedAdministrator":     "true",
		"rootwatch:memberOrganizationalUnits":  `["ou-a1b2-c3d4e5f6"]`,
	}
	controlTower := func() map[string]string {
		cfg := loadStackConfig(t, "Pulumi.controltower.yaml")
		cfg["rootwatch:memberAccountNotifications"] = "true"
		return cfg
	}
	for name, c := range map[string]struct {
		cfg  map[string]string
		org  func(o *offline.Organization)
		want string
	}{
		"member account as deployer": {controlTower(),
			func(o *offline.Organization) { o.ManagementAccountID = "999988887777" },
			"rootwatch:delegatedAdministrator: false account 111122223333 is a member account, not organization " +
				"o-a1b2c3d4e5's management account (999988887777)"},
		"not a delegated administrator": {delegated,
			func(o *offline.Organization) { o.ManagementAccountID = "999988887777" },
			"rootwatch:delegatedAdministrator: true account 111122223333 is not a delegated administrator of " +
				"CloudFormation StackSets"},
		"no trusted access for StackSets": {controlTower(),
			func(o *offline.Organization) { o.ServiceAccessPrincipals = []string{"cloudtrail.amazonaws.com"} },
			"rootwatch:memberAccountNotifications: true needs trusted access for CloudFormation StackSets"},
		"registered delegated administrator": {delegated, func(o *offline.Organization) {
			o.ManagementAccountID = "999988887777"
			o.DelegatedServices = []string{stackSets}
		}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			c.org(&org)
			env.Organization = &org
			rec, err := runProgram(c.cfg, &env)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				insts := offline.ByType(rec.Resources(), "aws:cloudformation/stackSetInstance:StackSetInstance")
				if len(insts) == 0 {
					t.Fatal("no StackSetInstance")
				}
				for _, r := range insts {
					if in := offline.Plain(r.Inputs); in["callAs"] != "DELEGATED_ADMIN" ||
						fmt.Sprint(in["deploymentTargets"]) != "map[organizationalUnitIds:[ou-a1b2-c3d4e5f6]]" {
						t.Errorf("%s: %v", r.Name, in)
					}
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}

// TestOrgStackExportsTheMemberPath: with memberAccountNotifications the stack exports the central
// bus and the StackSet, which an organization audit reads.
func TestOrgStackExportsTheMemberPath(t *testing.T) {
	got := stackOutputs(t, offlineStackConfig(t, "Pulumi.org.yaml"))
	if got[OutMemberEventBusArn] != "arn:aws:events:us-east-1:111122223333:event-bus/rootwatch-dev-member-root-events" || got[OutMemberStackSetName] != "rootwatch-dev-member-root-events" {
		t.Errorf("member outputs %v %v", got[OutMemberEventBusArn], got[OutMemberStackSetName])
	}
}

// TestKeyAdminsWithoutTheDeployerRegisterNothing: KMS refuses a key policy that does not let its
// creator call PutKeyPolicy (the lockout safety check), so rootwatch:keyAdminArns without the
// deploying identity fails before anything is registered, naming the key, the caller and what to
// add; the deploying role (with or without its path) or the account root passes.
func TestKeyAdminsWithoutTheDeployerRegisterNothing(t *testing.T) {
	env := offline.DefaultEnv
	env.CallerARN = offline.AssumedRoleCaller(env, "Deployer", "ci-run-42")
	cfg := func(admins string, extra ...string) map[string]string {
		c := map[string]string{"rootwatch:keyAdminArns": admins}
		for i := 0; i+1 < len(extra); i += 2 {
			c[extra[i]] = extra[i+1]
		}
		return c
	}
	logArchive := []string{
		"rootwatch:existingKeyArn", "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		"rootwatch:existingBucketName", "acme-log-archive-cloudtrail",
	}
	refused := map[string]map[string]string{
		"another role":                   cfg(`["arn:aws:iam::111122223333:role/KeyAdmin"]`),
		"the role in another account":    cfg(`["arn:aws:iam::444455556666:role/Deployer"]`),
		"the topic key of a brought key": cfg(`["arn:aws:iam::111122223333:role/KeyAdmin"]`, logArchive...),
		"the topic key with an existing trail": cfg(`["arn:aws:iam::111122223333:role/KeyAdmin"]`,
			"rootwatch:existingTrailName", offline.ControlTowerTrailName, "rootwatch:existingLogGroupName",
			offline.ControlTowerLogGroupName),
	}
	for name, c := range refused {
		t.Run("refused/"+name, func(t *testing.T) {
			rec, err := runProgram(c, &env)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, want := range []string{
				"rootwatch:keyAdminArns:", env.CallerARN, "MalformedPolicyDocumentException",
				"allowed: a list that also holds arn:aws:iam::111122223333:role/Deployer",
				"arn:aws:iam::111122223333:role/<path>/Deployer", "arn:aws:iam::111122223333:root",
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error does not say %q:\n%v", want, err)
				}
			}
			if n := strings.Count(err.Error(), "rootwatch:keyAdminArns:"); n != 1 {
				t.Errorf("rootwatch:keyAdminArns reported %d times:\n%v", n, err)
			}
			if rs := rec.Resources(); len(rs) != 0 {
				t.Errorf("%d resources registered (first %s %s)", len(rs), rs[0].Type, rs[0].Name)
			}
		})
	}
	accepted := map[string]struct {
		cfg  map[string]string
		keys int // KMS keys created: the trail's and the alert topic's
	}{
		"no administrators (the account)": {cfg(`[]`), 2},
		"the deploying role": {
			cfg(`["arn:aws:iam::111122223333:role/KeyAdmin","arn:aws:iam::111122223333:role/Deployer"]`),
			2,
		},
		"the deploying role with a path": {cfg(`["arn:aws:iam::111122223333:role/ci/pulumi/Deployer"]`), 2},
		"the account root": {
			cfg(`["arn:aws:iam::111122223333:role/KeyAdmin","arn:aws:iam::111122223333:root"]`),
			2,
		},
		// No key is created: the brought key's owners and the existing topic's owners decide.
		"existing trail: the topic key only": {cfg(`["arn:aws:iam::111122223333:role/Deployer"]`,
			"rootwatch:existingTrailName", offline.ControlTowerTrailName, "rootwatch:existingLogGroupName",
			offline.ControlTowerLogGroupName), 1},
		"no key created": {
			cfg(
				`["arn:aws:iam::111122223333:role/KeyAdmin"]`,
				append(logArchive, "rootwatch:alertTopicArn", "arn:aws:sns:us-east-1:111122223333:sec")...),
			0,
		},
	}
	for name, c := range accepted {
		t.Run("accepted/"+name, func(t *testing.T) {
			rec, err := runProgram(c.cfg, &env)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(offline.ByType(rec.Resources(), "aws:kms/key:Key")); n != c.keys {
				t.Errorf("%d KMS keys created, want %d", n, c.keys)
			}
		})
	}
}

// TestDefaultPrefixFitsTheNotificationRules: a long stack name still gives a valid default prefix.
func TestDefaultPrefixFitsTheNotificationRules(t *testing.T) {
	rec, err := offline.Run(offline.Options{Stack: "production-europe-west-primary-2026"}, noConfig)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(offline.ByType(rec.Resources(), "aws:cloudwatch/eventRule:EventRule")); n == 0 {
		t.Error("no rules")
	}
	if got := defaultPrefix("rootwatch-production-europe-west-primary-2026"); len(got) > 32 ||
		!strings.HasSuffix(got, "-") {
		t.Errorf("default prefix %q", got)
	}
}

// TestDefaultNamesFollowTheStack: two stacks in one account get different trail, log group,
// metric and alarm names.
func TestDefaultNamesFollowTheStack(t *testing.T) {
	names := map[string]string{}
	for _, stack := range []string{"prod", "staging"} {
		rec, err := offline.Run(offline.Options{Stack: stack}, noConfig)
		if err != nil {
			t.Fatal(err)
		}
		tr := offline.ByType(rec.Resources(), "aws:cloudtrail/trail:Trail")[0]
		name := tr.Inputs["name"].StringValue()
		if want := "rootwatch-" + stack; name != want {
			t.Errorf("stack %s: trail %q, want %q", stack, name, want)
		}
		for _, a := range offline.ByType(rec.Resources(), "aws:cloudwatch/metricAlarm:MetricAlarm") {
			n := a.Inputs["name"].StringValue()
			if other, dup := names[n]; dup {
				t.Errorf("alarm name %q used by stacks %s and %s", n, other, stack)
			}
			names[n] = stack
		}
	}
}

// TestDevConfigIsRealistic: the example stack names a region and a subscriber, as a real one must.
func TestDevConfigIsRealistic(t *testing.T) {
	cfg := loadStackConfig(t, "Pulumi.dev.yaml")
	if cfg["aws:region"] == "" {
		t.Error("Pulumi.dev.yaml sets no aws:region")
	}
	if cfg["rootwatch:alertEmails"] == "" || cfg["rootwatch:alertEmails"] == "[]" {
		t.Error("Pulumi.dev.yaml subscribes nobody")
	}
}

// TestExampleStacksAsIsRefuseTheExampleAddress: deployed as committed, each example stack fails
// before registering anything, because its alert address is at example.com; the error names the
// key, the value, and the command that sets a real address.
func TestExampleStacksAsIsRefuseTheExampleAddress(t *testing.T) {
	for _, stack := range []string{"dev", "org", "log-archive"} {
		t.Run(stack, func(t *testing.T) {
			rec, err := runProgram(loadStackConfig(t, "Pulumi."+stack+".yaml"), nil)
			if err == nil {
				t.Fatal("the stack with security-alerts@example.com was accepted")
			}
			for _, want := range []string{
				`rootwatch:alertEmails[0]: "security-alerts@example.com" is at a domain reserved for examples and tests`,
				"nothing sent there reaches anyone",
				"set it with: pulumi config set --path 'rootwatch:alertEmails[0]' security@yourcompany.com",
			} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("%d resources registered", n)
			}
		})
	}
}

// yamlJSON renders v as JSON (valid YAML flow syntax) without escaping <, > and &.
func yamlJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// TestUnknownConfigKeyIsAnError: a misspelt rootwatch:* key (here alertEmail for alertEmails) is
// reported with the nearest real key, and nothing is registered; keys of other namespaces are not
// ours to judge. The program gets the engine's configuration as a value.
func TestUnknownConfigKeyIsAnError(t *testing.T) {
	cfg := map[string]string{
		"aws:region": "us-east-1", "rootwatch:alertEmail": "secret-ish@example.com",
		"rootwatch:config:cisControl": `["all"]`, "rootwatch:trailName": "ok-trail",
	}
	rec, err := offline.Run(offline.Options{Config: cfg}, func(ctx *pulumi.Context) error { return Program(ctx, cfg) })
	if err == nil {
		t.Fatal("unknown keys accepted")
	}
	for _, want := range []string{
		"rootwatch:alertEmail: (value not shown) is not a rootwatch setting; allowed: did you mean " +
			"rootwatch:alertEmails?",
		"rootwatch:cisControl: (value not shown) is not a rootwatch setting; allowed: did you mean " +
			"rootwatch:cisControls?",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "secret-ish") || strings.Contains(err.Error(), "aws:region") ||
		strings.Contains(err.Error(), "trailName") {
		t.Errorf("error repeats a value or judges a known or foreign key:\n%v", err)
	}
	if n := len(rec.Resources()); n != 0 {
		t.Errorf("%d resources registered", n)
	}
	if got := unknownKeys(map[string]string{"rootwatch:zzzzzzzzzzzz": "1"}); len(got) != 1 ||
		strings.Contains(got[0].Allowed, "did you mean") {
		t.Errorf("a key far from every setting gets a suggestion: %v", got)
	}
}

// TestDocsLinksResolve: every relative link in the README and docs/ points at a file that exists,
// so moving a page cannot leave the first screen pointing nowhere.
func TestDocsLinksResolve(t *testing.T) {
	pages, err := filepath.Glob(root("docs/*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, root("README.md"), root("CHANGELOG.md"))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)]*)?\)`)
	for _, page := range pages {
		src, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(src), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, target)
			}
		}
	}
}

// TestControlTowerStackSnapshot runs Pulumi.controltower.yaml (Control Tower's organization trail
// and its log group in the management account) and compares the graph with
// testdata/controltower-stack.golden.json: no trail, bucket, trail key or log group is created, and
// every CIS metric filter (CIS 4.x / CloudWatch.1-14) is on aws-controltower/CloudTrailLogs.
func TestControlTowerStackSnapshot(t *testing.T) {
	cfg := loadStackConfig(t, "Pulumi.controltower.yaml")
	if cfg["rootwatch:alertEmails"] != "[]" {
		t.Errorf("the example subscribes %s; the user sets their own address", cfg["rootwatch:alertEmails"])
	}
	rec, err := runProgram(cfg, nil)
	if err != nil {
		t.Fatalf("the controltower stack fails: %v", err)
	}
	snap, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/controltower-stack.golden.json", snap)
	rs := rec.Resources()
	for _, typ := range []string{"rootwatch:trail:Trail", "aws:cloudtrail/trail:Trail", "aws:s3/bucketV2:BucketV2",
		"aws:cloudwatch/logGroup:LogGroup"} {
		if n := len(offline.ByType(rs, typ)); n != 0 {
			t.Errorf("%d %s registered for an existing trail", n, typ)
		}
	}
	for _, k := range offline.ByType(rs, "aws:kms/key:Key") {
		if k.Name != "rootwatch-topic-key" && k.Name != "rootwatch-health-topic-key" {
			t.Errorf("KMS key %s registered; only the alert path's keys belong", k.Name)
		}
	}
	if _, ok := offline.Find(rs, "aws:iam/role:Role", "rootwatch-logs-role"); ok {
		t.Error("the trail's CloudWatch Logs role registered for an existing trail")
	}
	filters := offline.ByType(rs, "aws:cloudwatch/logMetricFilter:LogMetricFilter")
	if len(filters) < 16 {
		t.Errorf("%d metric filters, want the whole CIS set", len(filters))
	}
	for _, f := range filters {
		if lg := f.Inputs["logGroupName"].StringValue(); lg != "aws-controltower/CloudTrailLogs" {
			t.Errorf("metric filter %s on %q", f.Name, lg)
		}
	}
	if !strings.Contains(string(snap), "s3://aws-controltower-logs-444455556666-us-east-1/o-a1b2c3d4e5/") {
		t.Error("the heartbeat does not name the Control Tower trail's bucket and prefix")
	}
	if n := len(offline.ByType(rs, "pulumi:providers:aws")); n != 2 {
		t.Errorf("%d region providers, want eu-west-1 and ap-southeast-2", n)
	}
}

// TestControlTowerStackOutputs: the documented outputs stay meaningful with an existing trail:
// where the logs are comes from the lookup, what rootwatch did not create is "".
func TestControlTowerStackOutputs(t *testing.T) {
	got := stackOutputs(t, loadStackConfig(t, "Pulumi.controltower.yaml"))
	want := map[string]string{
		OutTrailArn:             "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail",
		OutTrailName:            "aws-controltower-BaselineCloudTrail",
		OutBucketName:           "aws-controltower-logs-444455556666-us-east-1",
		OutBucketArn:            "arn:aws:s3:::aws-controltower-logs-444455556666-us-east-1",
		OutLogGroupName:         "aws-controltower/CloudTrailLogs",
		OutLogGroupArn:          "arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs",
		OutAccessLogBucketName:  "",
		OutKeyArn:               "",
		OutLogsRoleArn:          "",
		OutDeliveryTopicArn:     "",
		OutRequiredKeyPolicy:    "",
		OutRequiredBucketPolicy: "",
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("output %s = %v (exported %v), want %q", k, g, ok, v)
		}
	}
	if len(got) != 33 {
		t.Errorf("%d outputs, want the same 33 as a stack that creates its trail", len(got))
	}
}

// TestExistingTrailARNWithoutArnProperty: should Cloud Control leave the read-only Arn out, the
// trailArn output is still the trail's ARN.
func TestExistingTrailARNWithoutArnProperty(t *testing.T) {
	env := offline.DefaultEnv
	tr := offline.ControlTowerTrail(env)
	tr.Arn = ""
	env.Trails = []offline.Trail{tr}
	var c offline.Collector
	cfg := loadStackConfig(t, "Pulumi.controltower.yaml")
	_, err := offline.Run(offline.Options{Env: &env, Config: cfg}, func(ctx *pulumi.Context) error {
		return Build(ctx, cfg, c.Watch)
	})
	if err != nil {
		t.Fatal(err)
	}
	got := pulumitest.Wait(t, &c)
	if want := "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail"; got[OutTrailArn] != want {
		t.Errorf("trailArn %v, want %s", got[OutTrailArn], want)
	}
}

// TestExistingTrailDefectsRegisterNothing: the existing trail and log group are looked up before
// anything is registered, and each defect that would leave the alarms blind fails under its config
// key, saying what is missing.
func TestExistingTrailDefectsRegisterNothing(t *testing.T) {
	cfg := map[string]string{
		"rootwatch:existingTrailName":    offline.ControlTowerTrailName,
		"rootwatch:existingLogGroupName": offline.ControlTowerLogGroupName,
	}
	trailWith := func(edit func(*offline.Trail)) func(*offline.Env) {
		return func(e *offline.Env) {
			tr := offline.ControlTowerTrail(*e)
			edit(&tr)
			e.Trails = []offline.Trail{tr}
		}
	}
	for _, c := range []struct {
		name string
		env  func(*offline.Env)
		cfg  map[string]string
		want []string
	}{
		{"trail not found", func(e *offline.Env) { e.Trails = []offline.Trail{} }, nil,
			[]string{`rootwatch:existingTrailName: "aws-controltower-BaselineCloudTrail" was not found, or could not be read, in the stack's account and region`, "cloudformation:GetResource"}},
		{"log group not found", func(e *offline.Env) { e.LogGroups = []offline.LogGroup{} }, nil,
			[]string{`rootwatch:existingLogGroupName: "aws-controltower/CloudTrailLogs" was not found in the stack's account and region`}},
		{"CloudTrail.5 trail delivers to another log group", nil,
			map[string]string{"rootwatch:existingLogGroupName": "/org/other"},
			[]string{`rootwatch:existingLogGroupName: "/org/other" was not found`}},
		{"CloudTrail.5 trail's log group is not the one named", func(e *offline.Env) {
			e.LogGroups = []offline.LogGroup{{Name: "aws-controltower/CloudTrailLogs"}, {Name: "/org/other"}}
		}, map[string]string{"rootwatch:existingLogGroupName": "/org/other"},
			[]string{`rootwatch:existingLogGroupName: "/org/other" is not the log group trail aws-controltower-BaselineCloudTrail delivers to`, `allowed: "aws-controltower/CloudTrailLogs", the trail's own log group`}},
		{"CloudTrail.5 no CloudWatch Logs delivery", func(e *offline.Env) {
			trailWith(func(t *offline.Trail) { t.CloudWatchLogsLogGroupArn = "" })(e)
			e.LogGroups = []offline.LogGroup{{Name: offline.ControlTowerLogGroupName}}
		}, nil, []string{`rootwatch:existingTrailName: "aws-controltower-BaselineCloudTrail" does not deliver to CloudWatch Logs`}},
		{"trail not logging", trailWith(func(t *offline.Trail) { t.IsLogging = false }), nil,
			[]string{`rootwatch:existingTrailName: "aws-controltower-BaselineCloudTrail" is not logging`,
				"aws cloudtrail start-logging --name aws-controltower-BaselineCloudTrail"}},
		{"CloudTrail.1 single-region trail", trailWith(func(t *offline.Trail) { t.IsMultiRegionTrail = false }), nil,
			[]string{`"aws-controltower-BaselineCloudTrail" is a single-region trail`}},
		{"no global service events", trailWith(func(t *offline.Trail) { t.IncludeGlobalServiceEvents = false }), nil,
			[]string{`"aws-controltower-BaselineCloudTrail" does not include global service events`}},
		{"CloudTrail.1 management events excluded", trailWith(func(t *offline.Trail) {
			t.EventSelectors = []map[string]any{{"ReadWriteType": "All", "IncludeManagementEvents": false}}
		}), nil, []string{"logs no management events"}},
		{"CloudTrail.1 write events only", trailWith(func(t *offline.Trail) {
			t.EventSelectors = []map[string]any{{"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}}
		}), nil, []string{"logs only write management events"}},
		{"CloudTrail.1 advanced selector restricted to read-only", trailWith(func(t *offline.Trail) {
			t.EventSelectors = nil
			t.AdvancedEventSelectors = []map[string]any{{"Name": "reads", "FieldSelectors": []any{
				map[string]any{"Field": "eventCategory", "Equals": []any{"Management"}},
				map[string]any{"Field": "readOnly", "Equals": []any{"true"}},
			}}}
		}), nil, []string{"logs only read-only management events"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := offline.DefaultEnv
			if c.env != nil {
				c.env(&env)
			}
			conf := map[string]string{}
			for k, v := range cfg {
				conf[k] = v
			}
			for k, v := range c.cfg {
				conf[k] = v
			}
			rec, err := runProgram(conf, &env)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
			if rs := rec.Resources(); len(rs) != 0 {
				t.Errorf("%d resources registered (first %s %s)", len(rs), rs[0].Type, rs[0].Name)
			}
		})
	}
}

// TestRegionOfAnotherPartitionRegistersNothing: a forwarding region outside the stack's partition
// (from the getPartition invoke) fails before anything is registered.
func TestRegionOfAnotherPartitionRegistersNothing(t *testing.T) {
	env := offline.Env{
		Partition: "aws-cn",
		DNSSuffix: "amazonaws.com.cn",
		AccountID: "111122223333",
		Region:    "cn-north-1",
	}
	rec, err := runProgram(map[string]string{"rootwatch:regions": `["eu-west-1"]`}, &env)
	want := `rootwatch:regions[0]: "eu-west-1" is in partition aws, not in the home region's partition aws-cn; allowed: regions of partition aws-cn`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
	if rs := rec.Resources(); len(rs) != 0 {
		t.Errorf("%d resources registered (first %s %s)", len(rs), rs[0].Type, rs[0].Name)
	}
}

// TestChatRouteThroughTheProgram: with rootwatch:slackChannels set, every notify rule gets a
// second target on the chat topic whose input template is the rule's custom notification (same
// input paths), its FailedInvocations alarm notifies the chat topic too, and the alert topic's
// targets keep the plain text; without chat channels there is no chat target (the snapshots).
func TestChatRouteThroughTheProgram(t *testing.T) {
	rec, err := runProgram(
		map[string]string{
			"rootwatch:alertEmails":   `["` + testAlertEmail + `"]`,
			"rootwatch:slackChannels": `["T07EA123LEP/C07EZ1ABC23"]`,
		},
		nil,
	)
	if err != nil {
		t.Fatal(err)
	}
	rs := rec.Resources()
	for _, r := range notify.Rules("aws") {
		chat, ok := offline.Find(rs, "aws:cloudwatch/eventTarget:EventTarget", "rootwatch-"+r.ID+"-chat")
		if !ok {
			t.Errorf("rule %s has no chat target", r.ID)
			continue
		}
		in := offline.Plain(chat.Inputs)
		tr, _ := in["inputTransformer"].(map[string]any)
		if !strings.Contains(fmt.Sprint(in["arn"]), ":rootwatch-chat-topic-") ||
			tr["inputTemplate"] != r.ChatTemplate() ||
			fmt.Sprint(tr["inputPaths"]) != fmt.Sprint(r.ChatTransformer().InputPaths) {
			t.Errorf("rule %s chat target %v", r.ID, in)
		}
		mail, _ := offline.Find(rs, "aws:cloudwatch/eventTarget:EventTarget", "rootwatch-"+r.ID+"-topic")
		if mt, _ := offline.Plain(mail.Inputs)["inputTransformer"].(map[string]any); mt["inputTemplate"] != r.Template {
			t.Errorf("rule %s: the alert topic target lost its plain text", r.ID)
		}
		alarm, _ := offline.Find(rs, "aws:cloudwatch/metricAlarm:MetricAlarm", "rootwatch-"+r.ID+"-failed-invocations")
		if acts := fmt.Sprint(offline.Plain(alarm.Inputs)["alarmActions"]); !strings.Contains(acts,
			"rootwatch-chat-topic") {
			t.Errorf("rule %s FailedInvocations actions %s", r.ID, acts)
		}
	}
	if n := len(offline.ByType(rs, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration")); n != 1 {
		t.Errorf("%d Slack configurations", n)
	}
}

// TestChatOutsideTheAWSPartitionRegistersNothing: Amazon Q Developer in chat applications exists
// in the aws partition only; chat channels in an aws-cn stack fail, under their key, before any
// resource is registered (not half-way, after the alert topic).
func TestChatOutsideTheAWSPartitionRegistersNothing(t *testing.T) {
	env := offline.Env{
		Partition: "aws-cn",
		DNSSuffix: "amazonaws.com.cn",
		AccountID: "111122223333",
		Region:    "cn-north-1",
	}
	rec, err := runProgram(
		map[string]string{
			"rootwatch:alertEmails":   `["` + testAlertEmail + `"]`,
			"rootwatch:slackChannels": `["T07EA123LEP/C07EZ1ABC23"]`,
		},
		&env,
	)
	want := `rootwatch:slackChannels: "[T07EA123LEP/C07EZ1ABC23]" needs Amazon Q Developer in chat applications, which partition aws-cn does not offer`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("error %v, want %q", err, want)
	}
	if rs := rec.Resources(); len(rs) != 0 {
		t.Errorf("%d resources registered (first %s %s)", len(rs), rs[0].Type, rs[0].Name)
	}
}

// TestVersionedCISIDsInConfig: rootwatch:cisControls accepts the ids `rootwatch scan --controls`
// accepts, including an older CIS version's number (cis-1.4:4.7 is CIS v7.0 5.7, CloudWatch.7).
func TestVersionedCISIDsInConfig(t *testing.T) {
	rec, err := runProgram(
		map[string]string{
			"rootwatch:alertEmails": `["` + testAlertEmail + `"]`,
			"rootwatch:cisControls": `["cis-1.4:4.7"]`,
		},
		nil,
	)
	if err != nil {
		t.Fatal(err)
	}
	pulumitest.One(t, rec.Resources(), "aws:cloudwatch/metricAlarm:MetricAlarm",
		"rootwatch-kms-key-disable-or-deletion-alarm")
	if _, ok := offline.Find(
		rec.Resources(), "aws:cloudwatch/metricAlarm:MetricAlarm", "rootwatch-vpc-changes-alarm",
	); ok {
		t.Error("a control that was not named is deployed")
	}
}

// TestShippedStacksAreTheFixtures: the tests run pulumitest.StackFixture's copies of the example
// stacks, so they must be the stacks the repository ships. Every copy has its stack file at the
// root with the same configuration, the alert addresses aside (the quick start has the user set
// their own); a root file that still carries the example address (a clean clone, as CI has) is its
// copy byte for byte, comments included. Stacks a user adds (pulumi stack init) are theirs.
func TestShippedStacksAreTheFixtures(t *testing.T) {
	fixtures, err := filepath.Glob(pulumitest.StackFixture("Pulumi.*.yaml"))
	if err != nil || len(fixtures) == 0 {
		t.Fatalf("no example stack fixtures: %v", err)
	}
	for _, f := range fixtures {
		name := filepath.Base(f)
		copyOf, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := os.ReadFile(root(name))
		if err != nil {
			t.Errorf("test copy %s has no example stack at the root: %v", f, err)
			continue
		}
		if bytes.Contains(mine, []byte(pulumitest.ExampleStackAddress)) && !bytes.Equal(mine, copyOf) {
			t.Errorf("%s differs from its test copy %s: copy the change there", name, f)
		}
		stack := strings.TrimSuffix(strings.TrimPrefix(name, "Pulumi."), ".yaml")
		shipped, err := offline.LoadStackConfig(root("Pulumi.yaml"), stack, root(name))
		if err != nil {
			t.Fatal(err)
		}
		tested, err := offline.LoadStackConfig(root("Pulumi.yaml"), stack, f)
		if err != nil {
			t.Fatal(err)
		}
		delete(shipped.Config, "rootwatch:alertEmails")
		delete(tested.Config, "rootwatch:alertEmails")
		if !reflect.DeepEqual(shipped.Config, tested.Config) {
			t.Errorf("%s's configuration, alert addresses aside, differs from its test copy %s: "+
				"copy the change there, or keep your own settings in a stack of your own", name, f)
		}
	}
}
