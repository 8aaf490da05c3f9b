package audit

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
)

// CloudTrail reads the three things the trail checks need through the AWS SDK's CloudTrail
// client, and hands them over as the small types below, which are all the checks read.
type CloudTrail struct {
	Config   aws.Config // credentials, region and HTTP client
	Endpoint string     // e.g. http://127.0.0.1:5000 for an emulator; "" for AWS's

	client  *cloudtrail.Client
	regions *Regions // set by Regions.In: the clients of the other regions
}

// Region is the region the calls go to, unless they name a trail by an ARN of another region.
func (c *CloudTrail) Region() string { return c.Config.Region }

// at returns the CloudTrail of the region of ref when ref is a trail ARN of another region (and
// the clients of other regions are at hand), else c. DescribeTrails, GetTrailStatus and
// GetEventSelectors take a trail's ARN, which names a trail of another region or, for an
// organization trail, of the management account; a member account must give the ARN
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_DescribeTrails.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html,
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetEventSelectors.html).
// The call goes to the trail's home region, where its status is kept.
func (c *CloudTrail) at(ref string) *CloudTrail {
	if r := regionOf(ref); r != "" && r != c.Config.Region && c.regions != nil {
		return c.regions.In(r).CloudTrail
	}
	return c
}

func (c *CloudTrail) api() *cloudtrail.Client {
	if c.client == nil {
		c.client = cloudtrail.NewFromConfig(c.Config, func(o *cloudtrail.Options) {
			if c.Endpoint != "" {
				o.BaseEndpoint = aws.String(c.Endpoint)
			}
		})
	}
	return c.client
}

// Trail is the part of DescribeTrails' trail the checks read.
type Trail struct {
	Name                       string
	TrailARN                   string
	HomeRegion                 string
	IsMultiRegionTrail         bool
	IncludeGlobalServiceEvents bool
	LogFileValidationEnabled   bool
	KmsKeyID                   string
	CloudWatchLogsLogGroupArn  string
	CloudWatchLogsRoleArn      string
	S3BucketName               string
	IsOrganizationTrail        bool
}

// DescribeTrails is cloudtrail:DescribeTrails (names empty: every trail, shadow trails included).
func (c *CloudTrail) DescribeTrails(ctx context.Context, names []string) ([]Trail, error) {
	at := c
	if len(names) > 0 {
		at = c.at(names[0])
	}
	out, err := at.api().
		DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(true), TrailNameList: names})
	if err != nil {
		return nil, err
	}
	trails := make([]Trail, 0, len(out.TrailList))
	for _, t := range out.TrailList {
		trails = append(trails, Trail{
			Name: aws.ToString(t.Name), TrailARN: aws.ToString(t.TrailARN), HomeRegion: aws.ToString(t.HomeRegion),
			IsMultiRegionTrail: aws.ToBool(
				t.IsMultiRegionTrail,
			), IncludeGlobalServiceEvents: aws.ToBool(t.IncludeGlobalServiceEvents),
			LogFileValidationEnabled: aws.ToBool(t.LogFileValidationEnabled), KmsKeyID: aws.ToString(t.KmsKeyId),
			CloudWatchLogsLogGroupArn: aws.ToString(
				t.CloudWatchLogsLogGroupArn,
			), CloudWatchLogsRoleArn: aws.ToString(t.CloudWatchLogsRoleArn),
			S3BucketName: aws.ToString(t.S3BucketName), IsOrganizationTrail: aws.ToBool(t.IsOrganizationTrail),
		})
	}
	return trails, nil
}

// epoch is a point in time as the checks read it.
type epoch struct{ t time.Time }

// Time is the time, zero when CloudTrail reported none.
func (e epoch) Time() time.Time { return e.t.UTC() }

func epochOf(t *time.Time) epoch {
	if t == nil {
		return epoch{}
	}
	return epoch{*t}
}

// TrailStatus is the part of GetTrailStatus's answer the checks read.
type TrailStatus struct {
	IsLogging                         bool
	LatestDeliveryError               string
	LatestDeliveryTime                epoch
	LatestCloudWatchLogsDeliveryError string
	LatestCloudWatchLogsDeliveryTime  epoch
}

// GetTrailStatus is cloudtrail:GetTrailStatus.
func (c *CloudTrail) GetTrailStatus(ctx context.Context, name string) (*TrailStatus, error) {
	out, err := c.at(name).api().GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: aws.String(name)})
	if err != nil {
		return nil, err
	}
	return &TrailStatus{
		IsLogging:                         aws.ToBool(out.IsLogging),
		LatestDeliveryError:               aws.ToString(out.LatestDeliveryError),
		LatestDeliveryTime:                epochOf(out.LatestDeliveryTime),
		LatestCloudWatchLogsDeliveryError: aws.ToString(out.LatestCloudWatchLogsDeliveryError),
		LatestCloudWatchLogsDeliveryTime:  epochOf(out.LatestCloudWatchLogsDeliveryTime),
	}, nil
}

// EventSelector is a basic event selector.
type EventSelector struct {
	ReadWriteType           string
	IncludeManagementEvents *bool
}

// FieldSelector is one field condition of an advanced event selector.
type FieldSelector struct {
	Field     string
	Equals    []string
	NotEquals []string
}

// AdvancedEventSelector is an advanced event selector.
type AdvancedEventSelector struct {
	Name           string
	FieldSelectors []FieldSelector
}

// EventSelectors is GetEventSelectors' answer: basic or advanced selectors.
type EventSelectors struct {
	EventSelectors         []EventSelector
	AdvancedEventSelectors []AdvancedEventSelector
}

// GetEventSelectors is cloudtrail:GetEventSelectors.
func (c *CloudTrail) GetEventSelectors(ctx context.Context, name string) (*EventSelectors, error) {
	out, err := c.at(name).api().GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: aws.String(name)})
	if err != nil {
		return nil, err
	}
	var s EventSelectors
	for _, es := range out.EventSelectors {
		s.EventSelectors = append(
			s.EventSelectors,
			EventSelector{ReadWriteType: string(es.ReadWriteType), IncludeManagementEvents: es.IncludeManagementEvents},
		)
	}
	for _, as := range out.AdvancedEventSelectors {
		a := AdvancedEventSelector{Name: aws.ToString(as.Name)}
		for _, f := range as.FieldSelectors {
			a.FieldSelectors = append(
				a.FieldSelectors,
				FieldSelector{Field: aws.ToString(f.Field), Equals: f.Equals, NotEquals: f.NotEquals},
			)
		}
		s.AdvancedEventSelectors = append(s.AdvancedEventSelectors, a)
	}
	return &s, nil
}
