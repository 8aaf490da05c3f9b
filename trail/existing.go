package trail

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudcontrol"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// ExistingArgs names a trail the organization already runs (Control Tower's, or its own) and the
// CloudWatch Logs group it delivers to, in the stack's account and region. With them a program
// creates no trail, bucket, trail key or log group, and puts its metric filters on that log group.
type ExistingArgs struct {
	// TrailName is the trail's name (not its ARN), e.g. aws-controltower-BaselineCloudTrail.
	TrailName string
	// LogGroupName is the log group the trail delivers to, e.g. aws-controltower/CloudTrailLogs.
	LogGroupName string
}

// Validate checks the names' syntax; LookupExisting checks that they exist and fit.
func (a *ExistingArgs) Validate() error {
	if a == nil {
		return fmt.Errorf("trail: existing trail args are required")
	}
	var es validate.Errors
	if a.TrailName == "" {
		es.Add("TrailName", "", "is required",
			"the name of the existing trail, e.g. aws-controltower-BaselineCloudTrail")
	} else {
		validate.TrailName(&es, "TrailName", a.TrailName)
	}
	if a.LogGroupName == "" {
		es.Add("LogGroupName", "", "is required",
			"the name of the CloudWatch Logs group the trail delivers to, e.g. aws-controltower/CloudTrailLogs")
	} else {
		validate.LogGroupName(&es, "LogGroupName", a.LogGroupName)
	}
	return es.Err("trail: invalid existing trail")
}

// ExistingTrail is what LookupExisting found: where the trail's logs are. Fields are plain values,
// known before anything is registered.
type ExistingTrail struct {
	TrailName    string
	TrailARN     string
	BucketName   string // in another account for an organization's log archive
	S3KeyPrefix  string
	KMSKeyID     string // "" when log files use S3's default encryption only
	LogGroupName string
	LogGroupARN  string // without the ":*" suffix
	// IsOrganizationTrail: the log group also receives the member accounts' events.
	IsOrganizationTrail bool
	// Warnings are what weakens, but does not break, detection (LookupExisting also logs them).
	Warnings []string
}

// CloudControlTrailType is the Cloud Control (CloudFormation) type LookupExisting reads.
const CloudControlTrailType = "AWS::CloudTrail::Trail"

// LookupExisting checks, with invokes only (nothing is registered), that the log group exists
// (cloudwatch.LookupLogGroup) and that the trail (read through Cloud Control, as pulumi-aws has no
// trail data source) delivers every management event, read and write, of every region and of the
// global services to it, and is logging. Each defect is a field error naming TrailName or
// LogGroupName and what is missing; weaknesses are logged as warnings. A program calls it while
// validating its configuration.
func LookupExisting(ctx *pulumi.Context, args *ExistingArgs, opts ...pulumi.InvokeOption) (*ExistingTrail, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	var es validate.Errors
	lg, lgErr := cloudwatch.LookupLogGroup(ctx, &cloudwatch.LookupLogGroupArgs{Name: args.LogGroupName}, opts...)
	if lgErr != nil {
		es.Add("LogGroupName", args.LogGroupName,
			fmt.Sprintf("was not found in the stack's account and region (%v)", lgErr),
			"the name of an existing CloudWatch Logs group, in the stack's region, that the trail delivers to")
	}
	res, trErr := cloudcontrol.LookupResource(
		ctx,
		&cloudcontrol.LookupResourceArgs{TypeName: CloudControlTrailType, Identifier: args.TrailName},
		opts...)
	if trErr != nil {
		es.Add("TrailName", args.TrailName,
			fmt.Sprintf("was not found, or could not be read, in the stack's account and region (%v)", trErr),
			"the name of a trail in the stack's account whose home region is the stack's region (for an organization "+
				"trail, the management account); the deploying identity needs cloudformation:GetResource (Cloud "+
				"Control) and cloudtrail:GetTrail, GetTrailStatus and GetEventSelectors")
	}
	if lgErr != nil || trErr != nil {
		return nil, es.Err("trail: existing trail")
	}
	p, err := ParseTrailProperties(res.Properties)
	if err != nil {
		es.Add("TrailName", args.TrailName, "could not be read: "+err.Error(), "a trail Cloud Control describes")
		return nil, es.Err("trail: existing trail")
	}
	c := p.Check(lg.Arn)
	for _, d := range c.Defects {
		field, value := "TrailName", args.TrailName
		if d.LogGroup {
			field, value = "LogGroupName", args.LogGroupName
		}
		es.Add(field, value, d.Problem, d.Allowed)
	}
	if err := es.Err("trail: existing trail"); err != nil {
		return nil, err
	}
	warnings := c.Warnings
	if lg.KmsKeyId == "" {
		warnings = append(
			warnings,
			fmt.Sprintf(
				"log group %s is not encrypted with a KMS key: CloudWatch Logs encrypts it with its own keys, and "+
					"anyone allowed logs:GetLogEvents on it reads the trail's events",
				args.LogGroupName,
			),
		)
	}
	for _, w := range warnings {
		if err := ctx.Log.Warn("existing trail "+args.TrailName+": "+w, nil); err != nil {
			return nil, err
		}
	}
	if p.Arn == "" {
		// Arn is a read-only property of the type; should Cloud Control leave it out, the trail is
		// in the log group's partition, region and account (it delivers to it).
		if a, ok := awsenv.ParseARN(lg.Arn); ok {
			p.Arn = awsenv.Env{Partition: a.Partition, Region: a.Region, AccountID: a.Account}.TrailARN(args.TrailName)
		}
	}
	return &ExistingTrail{
		TrailName: args.TrailName, TrailARN: p.Arn, BucketName: p.S3BucketName, S3KeyPrefix: p.S3KeyPrefix,
		KMSKeyID:     p.KMSKeyID,
		LogGroupName: args.LogGroupName, LogGroupARN: strings.TrimSuffix(lg.Arn, ":*"),
		IsOrganizationTrail: p.IsOrganizationTrail, Warnings: warnings,
	}, nil
}

// TrailProperties are the AWS::CloudTrail::Trail properties rootwatch reads, as Cloud Control
// returns them (the CloudFormation resource's property names).
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
type TrailProperties struct {
	TrailName                  string
	Arn                        string
	S3BucketName               string
	S3KeyPrefix                string
	KMSKeyID                   string `json:"KMSKeyId"`
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	IsLogging                  bool
	IsMultiRegionTrail         bool
	IncludeGlobalServiceEvents bool
	IsOrganizationTrail        bool
	EnableLogFileValidation    bool
	EventSelectors             []EventSelector
	AdvancedEventSelectors     []AdvancedEventSelector
}

// EventSelector is a classic event selector. Unset fields take CloudTrail's defaults
// (IncludeManagementEvents true, ReadWriteType All).
type EventSelector struct {
	IncludeManagementEvents       *bool
	ReadWriteType                 string
	ExcludeManagementEventSources []string
}

// AdvancedEventSelector is an advanced event selector: an event matches when it matches every
// field selector.
type AdvancedEventSelector struct {
	Name           string
	FieldSelectors []FieldSelector
}

// FieldSelector is one condition of an advanced event selector.
type FieldSelector struct {
	Field                                                               string
	Equals, NotEquals, StartsWith, NotStartsWith, EndsWith, NotEndsWith []string
}

// ParseTrailProperties reads Cloud Control's Properties JSON for AWS::CloudTrail::Trail.
func ParseTrailProperties(s string) (TrailProperties, error) {
	var p TrailProperties
	if err := json.Unmarshal([]byte(s), &p); err != nil {
		return TrailProperties{}, fmt.Errorf("the trail's properties are not the JSON Cloud Control returns: %w", err)
	}
	return p, nil
}

// Defect is one reason the trail cannot feed rootwatch's alarms. LogGroup says the problem is the
// log group's name rather than the trail's.
type Defect struct {
	Problem, Allowed string
	LogGroup         bool
}

// TrailCheck is Check's verdict: Defects refuse the trail, Warnings weaken detection.
type TrailCheck struct {
	Defects  []Defect
	Warnings []string
}

// kmsSource is the management event source a trail may exclude; the CIS KMS alarm
// (CloudWatch.7) watches its events.
const kmsSource = "kms.amazonaws.com"

// Check judges the trail for rootwatch: it must be logging, multi-region (CloudTrail.1), include
// global service events (IAM, STS and sign-in events, root console sign-ins among them), log every
// management event, read and write (CloudTrail.1), and deliver to the log group whose ARN is
// logGroupARN (CloudTrail.5). Log file validation (CloudTrail.4), KMS encryption (CloudTrail.2)
// and excluded KMS events only warn.
func (p TrailProperties) Check(logGroupARN string) TrailCheck {
	var c TrailCheck
	defect := func(problem, allowed string) {
		c.Defects = append(c.Defects, Defect{Problem: problem, Allowed: allowed})
	}
	lgARN := strings.TrimSuffix(logGroupARN, ":*")
	switch got := strings.TrimSuffix(p.CloudWatchLogsLogGroupArn, ":*"); {
	case got == "":
		defect("does not deliver to CloudWatch Logs (its CloudWatchLogsLogGroupArn is empty), so metric filters see "+
			"none of its events (CloudTrail.5)",
			"a trail that delivers to "+lgARN+" (CloudTrail console: the trail, CloudWatch Logs, Edit)")
	case got != lgARN:
		c.Defects = append(c.Defects, Defect{LogGroup: true,
			Problem: "is not the log group trail " + p.TrailName + " delivers to (" + got + ")",
			Allowed: "\"" + logGroupNameOf(got) + "\", the trail's own log group"})
	}
	if !p.IsLogging {
		defect("is not logging (IsLogging is false): no event reaches the log group",
			"a logging trail (aws cloudtrail start-logging --name "+p.TrailName+")")
	}
	if !p.IsMultiRegionTrail {
		defect("is a single-region trail: root activity in every other region is not recorded (CloudTrail.1)",
			"a multi-region trail (IsMultiRegionTrail true)")
	}
	if !p.IncludeGlobalServiceEvents {
		defect(
			"does not include global service events: IAM, STS and sign-in events, root console sign-ins among them, "+
				"are not recorded",
			"a trail with IncludeGlobalServiceEvents true",
		)
	}
	read, write, kmsExcluded, narrowed := p.managementCoverage()
	allowed := "a trail that logs all management events, Read and Write (event selector ReadWriteType All with " +
		"IncludeManagementEvents true, or an advanced selector eventCategory = Management without a readOnly condition)"
	switch {
	case narrowed != "":
		defect(
			"has an advanced event selector that logs the management events of some event sources only ("+narrowed+")",
			allowed,
		)
	case !read && !write:
		defect(
			"logs no management events: its event selectors exclude them, and every CIS alarm and root notification "+
				"reads management events (CloudTrail.1)",
			allowed,
		)
	case !read:
		defect(
			"logs only write management events: root's read-only API calls (ListAccessKeys, GetAccountSummary, ...) "+
				"are not recorded, and CIS root usage counts every root call (CloudTrail.1)",
			allowed,
		)
	case !write:
		defect("logs only read-only management events: sign-ins, IAM, policy and configuration changes are not "+
			"recorded (CloudTrail.1)",
			allowed)
	}
	if kmsExcluded {
		c.Warnings = append(c.Warnings,
			"its event selectors exclude "+kmsSource+" management events, so the CIS alarm on disabled or deleted "+
				"customer managed keys (CloudWatch.7) cannot fire")
	}
	if !p.EnableLogFileValidation {
		c.Warnings = append(c.Warnings,
			"log file validation is off (CloudTrail.4): changed or deleted log files cannot be detected")
	}
	if p.KMSKeyID == "" {
		c.Warnings = append(c.Warnings,
			"log files are not encrypted with a KMS key (CloudTrail.2): whoever reads the bucket reads the events")
	}
	return c
}

// managementCoverage says whether the selectors log read and write management events, whether they
// exclude KMS events, and names an advanced selector that restricts management events to some event
// sources. No selectors at all is CloudTrail's default: every management event.
func (p TrailProperties) managementCoverage() (read, write, kmsExcluded bool, narrowed string) {
	if len(p.AdvancedEventSelectors) > 0 {
		for _, s := range p.AdvancedEventSelectors {
			mgmt, r, w := false, true, true
			restricted := false
			for _, f := range s.FieldSelectors {
				switch f.Field {
				case "eventCategory":
					mgmt = slices.Contains(f.Equals, "Management")
				case "readOnly":
					switch {
					case slices.Equal(f.Equals, []string{"true"}) || slices.Equal(f.NotEquals, []string{"false"}):
						w = false
					case slices.Equal(f.Equals, []string{"false"}) || slices.Equal(f.NotEquals, []string{"true"}):
						r = false
					}
				case "eventSource":
					if slices.Contains(f.NotEquals, kmsSource) {
						kmsExcluded = true
					}
					if len(f.Equals)+len(f.StartsWith)+len(f.EndsWith)+len(f.NotStartsWith)+len(f.NotEndsWith) > 0 {
						restricted = true
					}
				}
			}
			if !mgmt {
				continue
			}
			if restricted {
				name := s.Name
				if name == "" {
					name = "unnamed"
				}
				return r, w, kmsExcluded, name
			}
			read, write = read || r, write || w
		}
		return read, write, kmsExcluded, ""
	}
	if len(p.EventSelectors) == 0 {
		return true, true, false, ""
	}
	for _, s := range p.EventSelectors {
		if s.IncludeManagementEvents != nil && !*s.IncludeManagementEvents {
			continue
		}
		switch s.ReadWriteType {
		case "", "All":
			read, write = true, true
		case "ReadOnly":
			read = true
		case "WriteOnly":
			write = true
		}
		if slices.Contains(s.ExcludeManagementEventSources, kmsSource) {
			kmsExcluded = true
		}
	}
	return read, write, kmsExcluded, ""
}

// logGroupNameOf reads the name from a log group ARN (arn:...:log-group:NAME).
func logGroupNameOf(arn string) string {
	if _, name, ok := strings.Cut(arn, ":log-group:"); ok {
		return name
	}
	return arn
}
