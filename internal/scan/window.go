package scan

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads a --since or --until value relative to now: a duration back from now ("90d",
// "2w", "36h", "1h30m"; d is 24 hours and w is 7 days), an RFC 3339 time
// ("2025-01-31T12:00:00Z"), or a UTC date ("2025-01-31", meaning its midnight).
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, fmt.Errorf("empty time")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t.UTC(), nil
	}
	if d, err := parseDuration(s); err == nil {
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a duration (90d, 2w, 36h), an RFC 3339 time or a YYYY-MM-DD date", s)
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
