package main

import (
	"context"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestConcurrencyFlagsAreBounded: every flag that sets how much runs at once refuses a value
// outside its documented range, naming the flag, the value and the range, with exit 2 and before
// any work starts (the audit's endpoint is a closed port and the bucket does not exist: reaching
// either would end differently). "--workers 100000000" once took 24 GB before it was stopped.
func TestConcurrencyFlagsAreBounded(t *testing.T) {
	s3Env(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"scan", dir, "--workers", "100000000"}, "--workers 100000000: must be between 1 and 256"},
		{[]string{"scan", "s3://no-such-bucket/AWSLogs/", "--workers", "100000000", "--endpoint-url", closed}, "--workers 100000000: must be between 1 and 256"},
		{[]string{"scan", dir, "--workers", "257"}, "--workers 257: must be between 1 and 256"},
		{[]string{"scan", dir, "--workers", "0"}, "--workers 0: must be between 1 and 256"},
		{[]string{"scan", dir, "--workers", "-1"}, "--workers -1: must be between 1 and 256"},
		{[]string{"audit", "--organization", "--concurrency", "100000000", "--endpoint-url", closed}, "--concurrency 100000000: must be between 1 and 32"},
		{[]string{"audit", "--organization", "--concurrency", "33", "--endpoint-url", closed}, "--concurrency 33: must be between 1 and 32"},
		{[]string{"audit", "--organization", "--concurrency", "0", "--endpoint-url", closed}, "--concurrency 0: must be between 1 and 32"},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != exitUsage || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, c.want)
			}
			if stdout != "" {
				t.Errorf("a report was written although the flag was refused:\n%s", stdout)
			}
		})
	}
	// the bounds themselves are allowed
	for _, args := range [][]string{{"scan", dir, "--workers", "256"}, {"scan", dir, "--workers", "1"}} {
		if _, _, stderr := runCLI(t, args...); strings.Contains(stderr, "must be between") {
			t.Errorf("%v refused: %s", args, stderr)
		}
	}
	if code, _, stderr := runCLI(
		t, "audit", "--organization", "--concurrency", "32", "--endpoint-url", closed,
	); code == exitUsage {
		t.Errorf("--concurrency 32 refused: %s", stderr)
	}
}

// TestDefaultWorkersWithinTheBound: the S3 default, 4 workers per CPU, stays within --workers'
// bound on a machine with many CPUs.
func TestDefaultWorkersWithinTheBound(t *testing.T) {
	s3Env(t)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(96))
	f, paths, _, ok := parseScanArgs([]string{"s3://bucket/AWSLogs/"}, nil, nil)
	if !ok {
		t.Fatal("the arguments were refused")
	}
	p, err := f.plan(context.Background(), paths, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.workers != maxWorkers {
		t.Errorf("96 CPUs reading S3: %d workers, want the bound %d", p.workers, maxWorkers)
	}
}

// TestScanWindowIsBounded (bounded inputs; review finding): --since before CloudTrail's launch,
// a relative --since too large for time's arithmetic, and --until past now plus the delivery
// margin are refused before any work, with exit 2, the flag, the value as typed and the range;
// the launch day itself is allowed.
func TestScanWindowIsBounded(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ flag, value string }{
		{"--since", "0001-01-01"}, {"--since", "1000y"}, {"--since", "2013-11-12T23:59:59Z"},
		{"--since", "200000d"}, {"--until", "9999-12-31"},
	} {
		t.Run(c.flag+" "+c.value, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "scan", dir, c.flag, c.value)
			want := c.flag + " \"" + c.value + "\": outside the allowed range 2013-11-13T00:00:00Z " +
				"(CloudTrail's launch)"
			if code != exitUsage || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, want)
			}
			if stdout != "" {
				t.Errorf("a report was written although the window was refused:\n%s", stdout)
			}
		})
	}
	// an empty folder still exits 2 (nothing read), so the launch day is judged by the message
	if _, _, stderr := runCLI(t, "scan", dir, "--since", "2013-11-13"); strings.Contains(
		stderr,
		"outside the allowed range",
	) {
		t.Errorf("--since 2013-11-13 refused: %s", stderr)
	}
}
