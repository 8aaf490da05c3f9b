package scan

import (
	"strings"
	"testing"
	"time"
)

// TestCheckBoundRefusesWindowsOutsideCloudTrailsLifetime (bounded inputs; review finding): a
// --since or --until before CloudTrail's launch or past now plus the delivery margin is refused,
// naming the range; the two ends themselves are allowed. Unbounded, "--since 0001-01-01" made an S3
// scan build a day prefix for each of some 740,000 days per region folder before its first call.
func TestCheckBoundRefusesWindowsOutsideCloudTrailsLifetime(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, ok := range []time.Time{
		CloudTrailLaunch, now, now.Add(DeliveryMargin), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		if err := CheckBound(ok, now); err != nil {
			t.Errorf("CheckBound(%v) = %v", ok, err)
		}
	}
	for _, bad := range []time.Time{
		CloudTrailLaunch.Add(-time.Nanosecond), now.Add(DeliveryMargin + time.Nanosecond),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		err := CheckBound(bad, now)
		if err == nil || !strings.Contains(err.Error(), "2013-11-13T00:00:00Z (CloudTrail's launch) to "+
			"2026-12-08T12:00:00Z") {
			t.Errorf("CheckBound(%v) = %v; want the allowed range named", bad, err)
		}
	}
}

// TestParseTimeDoesNotWrapHugeValues (bounded inputs): a relative time too large for time's
// arithmetic lands before CloudTrail's launch, where CheckBound refuses it, instead of wrapping
// around to an arbitrary date that could fall inside the allowed window (200000d is 1.7e19 ns).
func TestParseTimeDoesNotWrapHugeValues(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	for _, in := range []string{"200000d", "100000w", "99999999999999y", "9999999999999mo", "1000y", "5000000d12h"} {
		got, err := ParseTime(in, now)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", in, err)
			continue
		}
		if !got.Before(CloudTrailLaunch) {
			t.Errorf("ParseTime(%q) = %v, not before CloudTrail's launch", in, got)
		}
	}
}
