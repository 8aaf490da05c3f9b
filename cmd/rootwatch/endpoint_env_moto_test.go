//go:build integration

package main

import (
	"strings"
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// TestAuditHonoursAWSEndpointURL: with the SDK's standard AWS_ENDPOINT_URL pointing at moto and no
// --endpoint-url, every check of the audit calls moto, IAM and Organizations included (before,
// their clients dropped the configured endpoint and called AWS: ERROR). The SDK's region setting
// (AWS_REGION) is the region searched when --region is not given, and the detail says so.
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
func TestAuditHonoursAWSEndpointURL(t *testing.T) {
	url := mototest.Start(
		t,
	) // before s3Env: moto_server started with s3Env's variables answers CloudTrail calls with 500
	s3Env(t)
	t.Setenv("AWS_ENDPOINT_URL", url)
	t.Setenv("AWS_REGION", "eu-west-1")
	code, out, stderr := runCLI(t, "audit", "--format", "json")
	if code != exitMatch {
		t.Fatalf("exit %d, want 1 (moto's empty account fails, every check ran); stderr: %s\n%s", code, stderr, out)
	}
	byID := map[string]map[string]any{}
	for _, m := range jsonLines(t, out) {
		byID[m["id"].(string)] = m
		if m["status"] == "ERROR" {
			t.Errorf("%v could not run: %v", m["id"], m["detail"])
		}
	}
	// IAM (account summary) and Organizations (not in an organization) answered by moto
	for id, want := range map[string]string{
		"root-access-keys": "PASS", "root-centralized-access": "PASS", "trail-exists": "FAIL",
	} {
		if got := byID[id]["status"]; got != want {
			t.Errorf("%s: %v, want %s (%v)", id, got, want, byID[id]["detail"])
		}
	}
	if d, _ := byID["trail-exists"]["detail"].(string); !strings.Contains(d, "in eu-west-1") {
		t.Errorf("trail-exists does not name the SDK's region as the one searched: %q", d)
	}
}

// TestAuditServiceEndpointEnvForIAMOnly: AWS_ENDPOINT_URL_IAM sends IAM's calls to moto (the root
// checks run), while the other services stay on AWS_ENDPOINT_URL, a closed port here (their checks
// could not run): each service's own setting is kept, none is overwritten.
func TestAuditServiceEndpointEnvForIAMOnly(t *testing.T) {
	url := mototest.Start(t)
	s3Env(t)
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1") // nothing listens: any service left on it fails
	t.Setenv("AWS_ENDPOINT_URL_IAM", url)
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	_, out, _ := runCLI(t, "audit", "--format", "json")
	for _, m := range jsonLines(t, out) {
		id := m["id"].(string)
		if strings.HasPrefix(id, "root-") && id != "root-centralized-access" && m["status"] == "ERROR" {
			t.Errorf("%s could not run although AWS_ENDPOINT_URL_IAM points at moto: %v", id, m["detail"])
		}
		if id == "trail-exists" && m["status"] != "ERROR" {
			t.Errorf("trail-exists %v: CloudTrail did not use AWS_ENDPOINT_URL (%v)", m["status"], m["detail"])
		}
	}
}

// TestScanS3HonoursAWSEndpointURL: "rootwatch scan s3://..." reads a bucket on moto reached
// through AWS_ENDPOINT_URL alone, without --endpoint-url.
func TestScanS3HonoursAWSEndpointURL(t *testing.T) {
	m := startMoto(t)
	s3Env(t)
	const bucket = "trail-logs"
	m.createBucket(t, bucket)
	now := time.Now().UTC()
	d1 := now.Add(-24 * time.Hour)
	evs := at(events(t, "curated/root_consolelogin_success_mfa_no__awsdocs.json"), d1)
	m.put(t, bucket, key("trail/AWSLogs/493859302102", d1.Add(10*time.Minute), "us-east-1", "E1"), logGz(t, evs))
	t.Setenv("AWS_ENDPOINT_URL", m.URL)
	code, out, stderr := runCLI(
		t,
		"scan",
		"s3://"+bucket+"/trail",
		"--since",
		"30d",
		"--format",
		"json",
		"--fail-on-match",
	)
	if code != exitMatch {
		t.Fatalf("exit %d, want 1 (the root sign-in matched); stderr:\n%s", code, stderr)
	}
	found := 0
	for _, l := range jsonLines(t, out) {
		if l["type"] == "event" {
			found++
		}
	}
	if found != countRoot(evs) || found == 0 {
		t.Errorf("%d root events found, want %d", found, countRoot(evs))
	}
}
