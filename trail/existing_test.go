package trail_test

import (
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/trail"
)

// controlTowerProperties is Control Tower's organization trail (landing zone 3.0 and later) as
// Cloud Control's GetResource describes AWS::CloudTrail::Trail: in the management account and home
// region, delivering to the log archive account's bucket under the organization id and to
// aws-controltower/CloudTrailLogs, without a KMS key (optional in Control Tower).
const controlTowerProperties = `{
  "TrailName": "aws-controltower-BaselineCloudTrail",
  "Arn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/aws-controltower-BaselineCloudTrail",
  "S3BucketName": "aws-controltower-logs-444455556666-us-east-1",
  "S3KeyPrefix": "o-a1b2c3d4e5",
  "CloudWatchLogsLogGroupArn": "arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs:*",
  "CloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/aws-controltower-CloudWatchLogsRole",
  "IsLogging": true,
  "IsMultiRegionTrail": true,
  "IncludeGlobalServiceEvents": true,
  "IsOrganizationTrail": true,
  "EnableLogFileValidation": true,
  "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}],
  "InsightSelectors": [],
  "Tags": []
}`

const ctLogGroup = "arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs"

// withProps edits the Control Tower trail's JSON: each pair replaces old by new.
func withProps(t *testing.T, pairs ...string) string {
	t.Helper()
	s := controlTowerProperties
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("fixture lacks %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

// TestExistingTrailCheck judges realistic trails: Control Tower's passes (with the KMS warning,
// CloudTrail.2), and each defect that would blind the alarms is refused by what is missing.
func TestExistingTrailCheck(t *testing.T) {
	const mgmtSelectors = `"EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]`
	for _, c := range []struct {
		name       string
		props      string
		logGroup   string
		defects    []string // substrings, one per expected defect
		onLogGroup bool     // the (single) defect is about the log group's name
		warnings   []string
	}{
		{name: "Control Tower's trail", props: controlTowerProperties, logGroup: ctLogGroup,
			warnings: []string{"not encrypted with a KMS key (CloudTrail.2)"}},
		{name: "Control Tower's trail with a KMS key", props: withProps(t, `"IsLogging"`, `"KMSKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "IsLogging"`), logGroup: ctLogGroup + ":*"},
		{name: "no selectors is CloudTrail's default, all management events",
			props: withProps(t, mgmtSelectors+",", ""), logGroup: ctLogGroup,
			warnings: []string{"CloudTrail.2"}},
		{name: "CloudTrail.5 no CloudWatch Logs delivery", props: withProps(t, `"arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs:*"`, `""`), logGroup: ctLogGroup,
			defects: []string{"does not deliver to CloudWatch Logs"}},
		{name: "delivers to another log group", props: controlTowerProperties, logGroup: "arn:aws:logs:us-east-1:111122223333:log-group:/org/trail",
			defects: []string{`is not the log group trail aws-controltower-BaselineCloudTrail delivers to (arn:aws:logs:us-east-1:111122223333:log-group:aws-controltower/CloudTrailLogs)`}, onLogGroup: true},
		{name: "not logging", props: withProps(t, `"IsLogging": true`, `"IsLogging": false`), logGroup: ctLogGroup,
			defects: []string{"is not logging (IsLogging is false)"}},
		{name: "CloudTrail.1 single-region trail",
			props: withProps(t, `"IsMultiRegionTrail": true`, `"IsMultiRegionTrail": false`), logGroup: ctLogGroup,
			defects: []string{"is a single-region trail"}},
		{name: "no global service events",
			props:    withProps(t, `"IncludeGlobalServiceEvents": true`, `"IncludeGlobalServiceEvents": false`),
			logGroup: ctLogGroup, defects: []string{"does not include global service events"}},
		{name: "CloudTrail.1 management events excluded",
			props:    withProps(t, `"IncludeManagementEvents": true`, `"IncludeManagementEvents": false`),
			logGroup: ctLogGroup, defects: []string{"logs no management events"}},
		{name: "CloudTrail.1 write-only", props: withProps(t, `"ReadWriteType": "All"`, `"ReadWriteType": "WriteOnly"`),
			logGroup: ctLogGroup, defects: []string{"logs only write management events"}},
		{name: "CloudTrail.1 read-only", props: withProps(t, `"ReadWriteType": "All"`, `"ReadWriteType": "ReadOnly"`),
			logGroup: ctLogGroup, defects: []string{"logs only read-only management events"}},
		{name: "read and write in two selectors", props: withProps(t, mgmtSelectors, `"EventSelectors": [{"ReadWriteType": "ReadOnly"}, {"ReadWriteType": "WriteOnly", "IncludeManagementEvents": true}]`), logGroup: ctLogGroup,
			warnings: []string{"CloudTrail.2"}},
		{name: "CloudWatch.7 KMS events excluded warns", props: withProps(t, `"ExcludeManagementEventSources": []`, `"ExcludeManagementEventSources": ["kms.amazonaws.com"]`), logGroup: ctLogGroup,
			warnings: []string{"exclude kms.amazonaws.com management events, so the CIS alarm on disabled or deleted " +
				"customer managed keys (CloudWatch.7) cannot fire", "CloudTrail.2"}},
		{name: "CloudTrail.4 no log file validation warns",
			props:    withProps(t, `"EnableLogFileValidation": true`, `"EnableLogFileValidation": false`),
			logGroup: ctLogGroup, warnings: []string{"log file validation is off (CloudTrail.4)", "CloudTrail.2"}},
		{name: "advanced selectors: all management events", props: withProps(t, mgmtSelectors, `"AdvancedEventSelectors": [{"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}, {"Name": "S3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]`), logGroup: ctLogGroup,
			warnings: []string{"CloudTrail.2"}},
		{name: "CloudTrail.1 advanced selectors: readOnly false only", props: withProps(t, mgmtSelectors, `"AdvancedEventSelectors": [{"Name": "Write management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "readOnly", "Equals": ["false"]}]}]`), logGroup: ctLogGroup,
			defects: []string{"logs only write management events"}},
		{name: "CloudTrail.1 advanced selectors: data events only", props: withProps(t, mgmtSelectors, `"AdvancedEventSelectors": [{"Name": "S3", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}]`), logGroup: ctLogGroup,
			defects: []string{"logs no management events"}},
		{name: "advanced selectors: KMS excluded warns", props: withProps(t, mgmtSelectors, `"AdvancedEventSelectors": [{"Name": "No KMS", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com"]}]}]`), logGroup: ctLogGroup,
			warnings: []string{"CloudWatch.7", "CloudTrail.2"}},
		{name: "several defects reported together", props: withProps(t, `"IsLogging": true`, `"IsLogging": false`, `"IsMultiRegionTrail": true`, `"IsMultiRegionTrail": false`), logGroup: ctLogGroup,
			defects: []string{"is not logging", "is a single-region trail"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := trail.ParseTrailProperties(c.props)
			if err != nil {
				t.Fatal(err)
			}
			got := p.Check(c.logGroup)
			if len(got.Defects) != len(c.defects) {
				t.Fatalf("defects %+v, want %d: %v", got.Defects, len(c.defects), c.defects)
			}
			for i, want := range c.defects {
				if !strings.Contains(got.Defects[i].Problem, want) || got.Defects[i].Allowed == "" {
					t.Errorf("defect %d = %+v, want %q with what is allowed", i, got.Defects[i], want)
				}
				if got.Defects[i].LogGroup != c.onLogGroup {
					t.Errorf("defect %d about the log group: %v, want %v", i, got.Defects[i].LogGroup, c.onLogGroup)
				}
			}
			if len(c.defects) > 0 {
				return // a refused trail's warnings are not shown
			}
			if len(got.Warnings) != len(c.warnings) {
				t.Fatalf("warnings %q, want %q", got.Warnings, c.warnings)
			}
			for i, want := range c.warnings {
				if !strings.Contains(got.Warnings[i], want) {
					t.Errorf("warning %d = %q, want %q", i, got.Warnings[i], want)
				}
			}
		})
	}
	if _, err := trail.ParseTrailProperties("not json"); err == nil {
		t.Error("malformed properties accepted")
	}
}
