package scan

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// TimeForms says which --since and --until values ParseTime accepts.
const TimeForms = "a time back from now (1y, 3mo, 2w, 90d, 36h, 1h30m; y and mo are calendar years and months, d is " +
	"24 hours, w 7 days), an RFC 3339 time (2025-01-31T12:00:00Z) or a date (2025-01-31, midnight UTC)"

// ParseTime reads a --since or --until value relative to now: one of TimeForms.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time; want %s", TimeForms)
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	if t, ok := calendarBack(s, now); ok {
		return t, nil
	}
	if d, err := parseDuration(s); err == nil {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not %s", s, TimeForms)
}

// CloudTrailLaunch is the day AWS released CloudTrail: the CloudTrail User Guide's document
// history ends with "This release introduces AWS CloudTrail", November 13, 2013
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-document-history.html).
// No log file holds an earlier event.
var CloudTrailLaunch = time.Date(2013, 11, 13, 0, 0, 0, 0, time.UTC)

// CheckBound reports an error when t cannot bound a review window (--since or --until) at now:
// before CloudTrailLaunch, when nothing was logged, or after now plus DeliveryMargin, past which
// nothing can have been delivered yet. The bound matters for more than the message: an S3 scan
// lists one day prefix per day of the window in every region folder, and builds that list before
// its first call, so "--since 1000y" or "--since 0001-01-01" once asked for some 365,000 prefixes
// per region folder; within the bounds there are at most about 4,800.
func CheckBound(t, now time.Time) error {
	lo, hi := CloudTrailLaunch, now.Add(DeliveryMargin).UTC()
	if t.Before(lo) || t.After(hi) {
		return fmt.Errorf("outside the allowed range %s (CloudTrail's launch) to %s (now plus the %d-hour "+
			"delivery margin)",
			lo.Format(time.RFC3339), hi.Format(time.RFC3339), int(DeliveryMargin.Hours()))
	}
	return nil
}

// maxCalendarBack caps n in "<n>y" and "<n>mo": a million years or months back is far before
// CloudTrailLaunch already (CheckBound refuses it), and a larger n would overflow time.Time's
// arithmetic into an arbitrary date, possibly one inside the allowed range.
const maxCalendarBack = 1_000_000

// calendarBack reads "<n>y" and "<n>mo": n calendar years or months before now.
func calendarBack(s string, now time.Time) (time.Time, bool) {
	for _, u := range []struct {
		suffix        string
		years, months int
	}{{"mo", 0, 1}, {"y", 1, 0}} {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(num)
		if err != nil || n < 0 || num[0] == '+' {
			return time.Time{}, false
		}
		n = min(n, maxCalendarBack)
		return now.AddDate(-n*u.years, -n*u.months, 0).UTC(), true
	}
	return time.Time{}, false
}

// parseDuration accepts Go durations plus whole numbers of days ("d") and weeks ("w"), which may
// be combined with Go units ("1d12h"). A total past the largest Duration (about 292 years) is held
// at it, which reaches before CloudTrailLaunch (CheckBound refuses it), where a wrapped sum (200000d
// is 1.7e19 ns) would land on an arbitrary time, possibly one inside the allowed range.
func parseDuration(s string) (time.Duration, error) {
	var total time.Duration
	rest := s
	for _, unit := range []struct {
		suffix string
		d      time.Duration
	}{{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}} {
		i := strings.Index(rest, unit.suffix)
		if i < 0 {
			continue
		}
		n, err := strconv.Atoi(rest[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		total = addSat(total, n, unit.d)
		rest = rest[i+1:]
	}
	if rest != "" {
		d, err := time.ParseDuration(rest)
		if err != nil {
			return 0, err
		}
		if d < 0 {
			return 0, fmt.Errorf("negative duration %q", s)
		}
		total = addSat(total, 1, d)
	}
	return total, nil
}

// addSat returns total + n*unit for non-negative arguments, held at the largest Duration.
func addSat(total time.Duration, n int, unit time.Duration) time.Duration {
	if unit > 0 && int64(n) > int64(math.MaxInt64-total)/int64(unit) {
		return math.MaxInt64
	}
	return total + time.Duration(n)*unit
}
