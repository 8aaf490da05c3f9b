package scan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// TimeForms says which --since and --until values ParseTime accepts.
const TimeForms = "a time back from now (1y, 3mo, 2w, 90d, 36h, 1h30m; y and mo are calendar years and months, d is 24 hours, w 7 days), an RFC 3339 time (2025-01-31T12:00:00Z) or a date (2025-01-31, midnight UTC)"

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
		return now.AddDate(-n*u.years, -n*u.months, 0).UTC(), true
	}
	return time.Time{}, false
}

// parseDuration accepts Go durations plus whole numbers of days ("d") and weeks ("w"), which may
// be combined with Go units ("1d12h").
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
		total += time.Duration(n) * unit.d
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
		total += d
	}
	return total, nil
}
