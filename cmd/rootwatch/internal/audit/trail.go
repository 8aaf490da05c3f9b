package audit

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CloudTrailAPI is what the trail checks call (CloudTrail satisfies it).
type CloudTrailAPI interface {
	DescribeTrails(ctx context.Context, names []string) ([]Trail, error)
	GetTrailStatus(ctx context.Context, name string) (*TrailStatus, error)
	GetEventSelectors(ctx context.Context, name string) (*EventSelectors, error)
}

// Trail check ids.
const (
	CheckTrailExists       = "trail-exists"
	CheckTrailLogging      = "trail-logging"
	CheckTrailMultiRegion  = "trail-multi-region"
	CheckTrailGlobalEvents = "trail-global-events"
	CheckTrailValidation   = "trail-log-file-validation"
	CheckTrailKMS          = "trail-kms"
	CheckTrailManagement   = "trail-management-events"
	CheckTrailDelivery     = "trail-s3-delivery"
	CheckTrailCWLogs       = "trail-cloudwatch-logs-delivery"
)

// CWLogsMaxAge is how old the trail's latest CloudWatch Logs delivery may be. CloudTrail delivers
// about every five minutes while there are events, and an account always has some.
const CWLogsMaxAge = 24 * time.Hour

var trailChecks = []Result{
	{ID: CheckTrailExists, Title: "A CloudTrail trail records the account",
		SecurityHub: "CloudTrail.1", Prowler: "cloudtrail_multi_region_enabled",
		Remediation: "deploy rootwatch (pulumi up) or create a multi-region trail with management events"},
	{ID: CheckTrailLogging, Title: "The trail is logging",
		Remediation: "start logging: aws cloudtrail start-logging --name TRAIL (and find out who stopped it: a " +
			"StopLogging event)"},
	{ID: CheckTrailMultiRegion, Title: "The trail is multi-region",
		SecurityHub: "CloudTrail.1", Prowler: "cloudtrail_multi_region_enabled",
		Remediation: "aws cloudtrail update-trail --name TRAIL --is-multi-region-trail"},
	{ID: CheckTrailGlobalEvents, Title: "The trail records global service events (IAM, STS, sign-in)",
		Remediation: "aws cloudtrail update-trail --name TRAIL --include-global-service-events"},
	{ID: CheckTrailValidation, Title: "Log file validation is on",
		SecurityHub: "CloudTrail.4", Prowler: "cloudtrail_log_file_validation_enabled",
		Remediation: "aws cloudtrail update-trail --name TRAIL --enable-log-file-validation"},
	{ID: CheckTrailKMS, Title: "Log files are encrypted with a KMS key (SSE-KMS)",
		SecurityHub: "CloudTrail.2", Prowler: "cloudtrail_kms_encryption_enabled",
		Remediation: "aws cloudtrail update-trail --name TRAIL --kms-key-id KEY (a customer managed key whose policy " +
			"lets CloudTrail use it)"},
	{ID: CheckTrailManagement, Title: "The trail records management events, read and write",
		SecurityHub: "CloudTrail.1", Prowler: "cloudtrail_multi_region_enabled",
		Remediation: "aws cloudtrail put-event-selectors --trail-name TRAIL --event-selectors " +
			"'[{\"ReadWriteType\":\"All\",\"IncludeManagementEvents\":true}]'"},
	{ID: CheckTrailDelivery, Title: "Log files reach the S3 bucket without error",
		Remediation: "fix the bucket policy or the KMS key policy so that CloudTrail can write (the error " +
			"names the cause)"},
	{ID: CheckTrailCWLogs, Title: "The trail delivers to CloudWatch Logs, recently and without error",
		Prowler: "cloudtrail_cloudwatch_logging_enabled", SecurityHub: "CloudTrail.5",
		Remediation: "check the trail's CloudWatch Logs role (trust cloudtrail.amazonaws.com, logs:CreateLogStream " +
			"and logs:PutLogEvents on the log group) and the log group's KMS key"},
}

func trailCheck(id string) Result {
	for _, r := range trailChecks {
		if r.ID == id {
			return r
		}
	}
	panic("audit: unknown trail check " + id)
}

// TrailChecks judges the trail named name, or, without a name, the first multi-region trail
// (else the first trail) DescribeTrails lists. It also returns the trail it judged (nil when none
// was found or the calls failed).
func TrailChecks(ctx context.Context, c CloudTrailAPI, name string, now time.Time) ([]Result, *Trail) {
	var names []string
	if name != "" {
		names = []string{name}
	}
	trails, err := c.DescribeTrails(ctx, names)
	if err != nil && !isNotFound(err) {
		rs := make([]Result, len(trailChecks))
		for i, r := range trailChecks {
			rs[i] = Errored(r, "cloudtrail:DescribeTrails", err)
		}
		return rs, nil
	}
	t := pickTrail(trails, name)
	if t == nil {
		rs := make([]Result, len(trailChecks))
		for i, r := range trailChecks {
			r.Status = Fail
			r.Detail = "not checked: there is no trail to check (see trail-exists)"
			rs[i] = r
		}
		in := "the region searched"
		if r := trailRegion(c, name); r != "" {
			in = r
		}
		rs[0].Detail = "no trail in DescribeTrails' answer in " + in + " (--region, else the SDK's region; a trail " +
			"of another region is listed only when it is multi-region)"
		if name != "" {
			rs[0].Detail = fmt.Sprintf("no trail named %q in %s", name, in)
		}
		return rs, nil
	}
	ref := t.TrailARN
	if ref == "" {
		ref = t.Name
	}
	var rs []Result
	add := func(id string, st Status, detail string) {
		r := trailCheck(id)
		r.Status, r.Detail = st, detail
		rs = append(rs, r)
	}
	add(CheckTrailExists, Pass, fmt.Sprintf("trail %s (home region %s)", t.Name, t.HomeRegion))

	status, statusErr := c.GetTrailStatus(ctx, ref)
	switch {
	case statusErr != nil:
		rs = append(rs, Errored(trailCheck(CheckTrailLogging), "cloudtrail:GetTrailStatus", statusErr))
	case status.IsLogging:
		add(CheckTrailLogging, Pass, "IsLogging is true")
	default:
		add(CheckTrailLogging, Fail, "IsLogging is false: the trail records nothing")
	}
	add(
		CheckTrailMultiRegion,
		passIf(t.IsMultiRegionTrail),
		fmt.Sprintf("IsMultiRegionTrail is %t", t.IsMultiRegionTrail),
	)
	add(
		CheckTrailGlobalEvents,
		passIf(t.IncludeGlobalServiceEvents),
		fmt.Sprintf("IncludeGlobalServiceEvents is %t", t.IncludeGlobalServiceEvents),
	)
	add(
		CheckTrailValidation,
		passIf(t.LogFileValidationEnabled),
		fmt.Sprintf("LogFileValidationEnabled is %t", t.LogFileValidationEnabled),
	)
	if t.KmsKeyID != "" {
		add(CheckTrailKMS, Pass, "KmsKeyId is "+t.KmsKeyID)
	} else {
		add(CheckTrailKMS, Fail, "the trail has no KmsKeyId: log files are encrypted with SSE-S3 only")
	}

	sel, err := c.GetEventSelectors(ctx, ref)
	if err != nil {
		rs = append(rs, Errored(trailCheck(CheckTrailManagement), "cloudtrail:GetEventSelectors", err))
	} else {
		ok, detail := managementAll(sel)
		add(CheckTrailManagement, passIf(ok), detail)
	}

	if statusErr != nil {
		rs = append(rs, Errored(trailCheck(CheckTrailDelivery), "cloudtrail:GetTrailStatus", statusErr),
			Errored(trailCheck(CheckTrailCWLogs), "cloudtrail:GetTrailStatus", statusErr))
		return rs, t
	}
	if status.LatestDeliveryError != "" {
		add(CheckTrailDelivery, Fail, "LatestDeliveryError: "+status.LatestDeliveryError)
	} else {
		add(CheckTrailDelivery, Pass, "no LatestDeliveryError")
	}
	st, detail := cwLogsDelivery(t, status, now)
	add(CheckTrailCWLogs, st, detail)
	return rs, t
}

// trailRegion is the region DescribeTrails asked about name: a trail ARN's own, else the client's
// ("" for a client that does not say).
func trailRegion(c CloudTrailAPI, name string) string {
	if r := regionOf(name); r != "" {
		return r
	}
	if rc, ok := c.(interface{ Region() string }); ok {
		return rc.Region()
	}
	return ""
}

func passIf(ok bool) Status {
	if ok {
		return Pass
	}
	return Fail
}

func isNotFound(err error) bool {
	return err != nil && strings.Contains(err.Error(), "TrailNotFound")
}

func pickTrail(trails []Trail, name string) *Trail {
	for i := range trails {
		if name != "" && (trails[i].Name == name || trails[i].TrailARN == name) {
			return &trails[i]
		}
	}
	if name != "" {
		return nil
	}
	for i := range trails {
		if trails[i].IsMultiRegionTrail {
			return &trails[i]
		}
	}
	if len(trails) > 0 {
		return &trails[0]
	}
	return nil
}

// managementAll reports whether the selectors record management events, read and write.
func managementAll(s *EventSelectors) (bool, string) {
	for _, es := range s.EventSelectors {
		if (es.IncludeManagementEvents == nil || *es.IncludeManagementEvents) &&
			(es.ReadWriteType == "" || es.ReadWriteType == "All") {
			return true, "an event selector records management events with ReadWriteType All"
		}
	}
	for _, as := range s.AdvancedEventSelectors {
		mgmt, readOnlyLimited := false, false
		for _, f := range as.FieldSelectors {
			switch f.Field {
			case "eventCategory":
				for _, v := range f.Equals {
					mgmt = mgmt || v == "Management"
				}
			case "readOnly":
				readOnlyLimited = true
			}
		}
		if mgmt && !readOnlyLimited {
			return true, fmt.Sprintf("advanced event selector %q records management events, read and write", as.Name)
		}
	}
	if len(s.EventSelectors) == 0 && len(s.AdvancedEventSelectors) == 0 {
		return false, "the trail has no event selectors"
	}
	return false, "no event selector records management events both read and write"
}

func cwLogsDelivery(t *Trail, s *TrailStatus, now time.Time) (Status, string) {
	if t.CloudWatchLogsLogGroupArn == "" {
		return Fail, "the trail does not deliver to CloudWatch Logs (no CloudWatchLogsLogGroupArn), so no metric " +
			"filter or alarm sees its events"
	}
	if s.LatestCloudWatchLogsDeliveryError != "" {
		return Fail, "LatestCloudWatchLogsDeliveryError: " + s.LatestCloudWatchLogsDeliveryError
	}
	last := s.LatestCloudWatchLogsDeliveryTime.Time()
	if last.IsZero() {
		return Warn, "delivers to " + t.CloudWatchLogsLogGroupArn + " but CloudTrail reports no delivery yet " +
			"(LatestCloudWatchLogsDeliveryTime is empty)"
	}
	if age := now.Sub(last); age > CWLogsMaxAge {
		return Fail, fmt.Sprintf(
			"the latest CloudWatch Logs delivery was %s ago (%s), more than %s",
			age.Round(time.Minute),
			last.Format(time.RFC3339),
			CWLogsMaxAge,
		)
	}
	return Pass, "delivers to " + t.CloudWatchLogsLogGroupArn + ", latest delivery " + last.Format(time.RFC3339)
}
