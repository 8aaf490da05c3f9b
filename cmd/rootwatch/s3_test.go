package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// fakeS3 is an in-memory S3 (gofakes3) served over HTTP on 127.0.0.1 by this test process: the
// scan reaches it through the AWS SDK exactly as it reaches a real S3 endpoint given with
// --endpoint-url. It serves path-style requests only, so it also checks that the scanner uses
// path-style addressing with a custom endpoint.
type fakeS3 struct {
	s3Server
	backend *s3mem.Backend
	// listV2 and listV2Continued count ListObjectsV2 requests, and those among them that ask for
	// a page after the first (with a continuation token).
	listV2, listV2Continued atomic.Int64
	// denyHead answers HeadBucket with 403, as S3 does for a policy that allows listing under a
	// prefix only.
	denyHead atomic.Bool
}

func startFakeS3(t *testing.T) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New()}
	h := gofakes3.New(f.backend).Server()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead && f.denyHead.Load() && strings.Count(strings.Trim(r.URL.Path, "/"), "/") == 0 {
			w.WriteHeader(http.StatusForbidden)
			return
		}
		if q := r.URL.Query(); q.Get("list-type") == "2" {
			f.listV2.Add(1)
			if q.Has("continuation-token") {
				f.listV2Continued.Add(1)
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	f.s3Server = newS3Server(srv.URL)
	return f
}

// s3Server is an S3-compatible endpoint the tests upload to through the S3 API.
type s3Server struct {
	URL string
	cl  *s3.Client
}

func newS3Server(url string) s3Server {
	return s3Server{URL: url, cl: s3.New(s3.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(url),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})}
}

func (f *s3Server) createBucket(t *testing.T, bucket string) {
	t.Helper()
	if _, err := f.cl.CreateBucket(
		context.Background(), &s3.CreateBucketInput{Bucket: aws.String(bucket)},
	); err != nil {
		t.Fatal(err)
	}
}

// put uploads an object through the S3 API (PutObject).
func (f *s3Server) put(t testing.TB, bucket, k string, body []byte) {
	t.Helper()
	if _, err := f.cl.PutObject(context.Background(), &s3.PutObjectInput{
		Bucket: aws.String(bucket), Key: aws.String(k), Body: bytes.NewReader(body),
	}); err != nil {
		t.Fatalf("put %s: %v", k, err)
	}
}

// s3Env points the AWS SDK's default chain at dummy static credentials and nothing else.
func s3Env(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "",
		"AWS_REGION":                  "us-east-1",
		"AWS_PROFILE":                 "",
		"AWS_CONFIG_FILE":             filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_ENDPOINT_URL":            "",
		"AWS_ENDPOINT_URL_S3":         "",
	} {
		t.Setenv(k, v)
	}
}

func key(layout string, t time.Time, region, unique string) string {
	acct := layout[strings.LastIndex(layout, "/")+1:]
	return fmt.Sprintf("%s/CloudTrail/%s/%s/%s_CloudTrail_%s_%s_%s.json.gz",
		layout, region, t.Format("2006/01/02"), acct, region, t.Format("20060102T1504Z"), unique)
}

// jsonLines decodes the scan's --format json output.
func jsonLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var ms []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not JSON lines: %q", l)
		}
		ms = append(ms, m)
	}
	return ms
}

// TestS3 uploads logs in both key layouts, a corrupt object and files the scan must not read to
// an S3 server through the real S3 API (with the Go SDK), then scans the bucket with
// --endpoint-url, as a user would scan their trail's bucket.
// It runs against gofakes3 (in-process) here, and against moto's S3 (the closer imitation of AWS)
// in TestS3OnMoto, with the integration tag.
func TestS3(t *testing.T) {
	t.Run("gofakes3", func(t *testing.T) {
		s3Scenario(t, &startFakeS3(t).s3Server)
	})
}

func s3Scenario(t *testing.T, f *s3Server) {
	s3Env(t)
	const bucket = "trail-logs"
	f.createBucket(t, bucket)
	put := func(k string, body []byte) { t.Helper(); f.put(t, bucket, k, body) }

	now := time.Now().UTC()
	acctLayout := "trail/AWSLogs/493859302102"
	orgLayout := "trail/AWSLogs/o-aa111bb222/111122223333"
	d5, d3, d1 := now.Add(-5*24*time.Hour), now.Add(-3*24*time.Hour), now.Add(-24*time.Hour)

	attacker := at(events(t, "panther_scenarios/compromised-root-creds__attacker_cloudtrail.json"), d5)
	put(key(acctLayout, d5.Add(10*time.Minute), "us-east-1", "A1"), logGz(t, attacker))
	victim := at(events(t, "panther_scenarios/compromised-root-creds__victim_cloudtrail.json"), d3)
	put(key(acctLayout, d3.Add(10*time.Minute), "eu-west-1", "V1"), logGz(t, victim))
	var org []map[string]any
	for _, n := range []string{"curated/root_consolelogin_success_mfa_no__awsdocs.json", "curated/root_consolelogin_failure__awsdocs.json", "curated/iamuser_consolelogin_success_mfa_no__awsdocs.json"} {
		org = append(org, events(t, n)...)
	}
	org = at(org, d1)
	put(key(orgLayout, d1.Add(10*time.Minute), "us-east-1", "O1"), logGz(t, org))
	corruptKey := key(acctLayout, d1.Add(20*time.Minute), "us-east-1", "BAD")
	put(corruptKey, append([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"), bytes.Repeat([]byte("corrupt!"), 64)...))

	// Must not be read: a day outside the window, a digest, another service's logs.
	old := now.Add(-200 * 24 * time.Hour)
	put(
		key(acctLayout, old, "us-east-1", "OLD"),
		logGz(t, at(events(t, "curated/root_consolelogin_success_mfa_no__awsdocs.json"), old)),
	)
	put(
		"trail/AWSLogs/493859302102/CloudTrail-Digest/us-east-1/"+d1.Format("2006/01/02")+"/digest.json.gz",
		[]byte("not even gzip"),
	)
	put("trail/AWSLogs/493859302102/elasticloadbalancing/x.json.gz", []byte("not even gzip"))

	wantRoot := countRoot(attacker) + countRoot(victim) + countRoot(org)
	if wantRoot == 0 {
		t.Fatal("the fixtures hold no root-usage event")
	}
	start := time.Now()
	code, out, stderr := runCLI(
		t,
		"scan",
		"s3://"+bucket+"/trail",
		"--since",
		"30d",
		"--endpoint-url",
		f.URL,
		"--format",
		"json",
		"--fail-on-match",
	)
	elapsed := time.Since(start)
	if code != exitMatchSkip {
		t.Errorf("exit %d, want %d (matches and a skipped object)\nstderr:\n%s", code, exitMatchSkip, stderr)
	}
	if !strings.Contains(stderr, "s3://"+bucket+"/"+corruptKey) {
		t.Errorf("stderr does not name the corrupt object:\n%s", stderr)
	}
	var evs, skipped int
	var totals map[string]any
	accounts := map[string]bool{}
	for _, m := range jsonLines(t, out) {
		switch m["type"] {
		case "event":
			evs++
			accounts[m["account"].(string)] = true
			if !strings.HasPrefix(m["input"].(string), "s3://"+bucket+"/trail/AWSLogs/") {
				t.Errorf("event from %v", m["input"])
			}
		case "skipped":
			skipped++
		case "totals":
			totals = m
		}
	}
	if evs != wantRoot {
		t.Errorf("%d root-usage events, want %d\n%s", evs, wantRoot, out)
	}
	if !accounts["493859302102"] || !accounts["111122223333"] || len(accounts) != 2 {
		t.Errorf("accounts %v, want both layouts' accounts", accounts)
	}
	if skipped != 1 {
		t.Errorf("%d skipped, want 1 (the corrupt object)", skipped)
	}
	if totals == nil || totals["inputs_scanned"] != float64(3) {
		t.Errorf("totals %v: want 3 log files scanned (the old day, digest and other services not read)", totals)
	}
	t.Logf("S3 scan took %s", elapsed)

	s3ScenarioPrefixes(t, f, bucket)
}

// s3ScenarioPrefixes: after s3Scenario's uploads to bucket, the scan by prefix, of a missing bucket
// and of prefixes that hold no log file.
func s3ScenarioPrefixes(t *testing.T, f *s3Server, bucket string) {
	// The organization layout alone, by prefix, in table format.
	code, out, stderr := runCLI(
		t,
		"scan",
		"s3://"+bucket+"/trail/AWSLogs/o-aa111bb222/",
		"--since",
		"30d",
		"--endpoint-url",
		f.URL,
		"--fail-on-match",
	)
	if code != exitMatch || !strings.Contains(out, "111122223333") || strings.Contains(out, "493859302102") {
		t.Errorf("org prefix: exit %d\n%s\n%s", code, out, stderr)
	}

	// A bucket that does not exist: the scan cannot start; one line says so, and nothing else.
	code, out, stderr = runCLI(t, "scan", "s3://no-such-bucket/trail", "--endpoint-url", f.URL, "--fail-on-match")
	if want := "rootwatch scan: could not start: s3://no-such-bucket: no such bucket\n"; code != exitUsage ||
		stderr != want ||
		out != "" {
		t.Errorf("missing bucket: exit %d, stdout %q, stderr %q; want %d and %q", code, out, stderr, exitUsage, want)
	}
	// A mistyped prefix, or a bucket without CloudTrail logs: nothing was read, which is no pass.
	f.createBucket(t, "empty-bucket")
	f.put(t, bucket, "not-a-trail/notes.json", []byte(`{"a":1}`))
	for _, u := range []string{"s3://" + bucket + "/trial", "s3://" + bucket + "/not-a-trail", "s3://empty-bucket"} {
		code, out, stderr = runCLI(t, "scan", u, "--endpoint-url", f.URL, "--fail-on-match")
		if code != exitUsage || out != "" || !strings.Contains(stderr, "nothing read from "+u) ||
			!strings.Contains(stderr, "no CloudTrail log files (looked for *.json.gz and *.json objects in AWSLogs/") ||
			!strings.Contains(stderr, "rootwatch scan: nothing was read") {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", u, code, out, stderr)
		}
	}
	// One empty prefix beside a trail's: that input is reported as skipped (exit 3), the rest read.
	code, out, stderr = runCLI(
		t,
		"scan",
		"s3://"+bucket+"/trail/AWSLogs/o-aa111bb222/",
		"s3://"+bucket+"/trial",
		"--since",
		"30d",
		"--endpoint-url",
		f.URL,
	)
	if code != exitSkipped || !strings.Contains(out, "111122223333") ||
		!strings.Contains(stderr, "nothing read from s3://"+bucket+"/trial") {
		t.Errorf("empty prefix beside a trail: exit %d\n%s\n%s", code, out, stderr)
	}
}

// TestS3HeadBucketDenied: a denied HeadBucket does not stop the scan (listing may be allowed under
// the trail's prefix only); the listing decides.
func TestS3HeadBucketDenied(t *testing.T) {
	f := startFakeS3(t)
	s3Env(t)
	f.createBucket(t, "trail-logs")
	d1 := time.Now().UTC().Add(-24 * time.Hour)
	f.put(
		t,
		"trail-logs",
		key("AWSLogs/493859302102", d1, "us-east-1", "A1"),
		logGz(t, at(events(t, "curated/root_consolelogin_success_mfa_no__awsdocs.json"), d1)),
	)
	f.denyHead.Store(true)
	code, out, stderr := runCLI(
		t,
		"scan",
		"s3://trail-logs/",
		"--endpoint-url",
		f.URL,
		"--since",
		"3d",
		"--fail-on-match",
	)
	if code != exitMatch || !strings.Contains(out, "ConsoleLogin") {
		t.Errorf("exit %d, want %d\n%s\n%s", code, exitMatch, out, stderr)
	}
}

// TestS3MissingCredentials: with no credentials anywhere in the default chain the scan cannot
// start, and says so in one line naming the bucket.
func TestS3MissingCredentials(t *testing.T) {
	f := startFakeS3(t)
	s3Env(t)
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	f.createBucket(t, "trail-logs")
	code, out, stderr := runCLI(t, "scan", "s3://trail-logs/", "--endpoint-url", f.URL)
	if code != exitUsage || out != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.HasPrefix(stderr, "rootwatch scan: could not start: s3://trail-logs: no AWS credentials") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, stderr)
	}
}

// TestS3Pagination puts more log files in one day folder than a ListObjectsV2 page holds (1000
// keys) and checks that the scan reads them all, the last page included: the only root-usage
// event is in the file listed last.
func TestS3Pagination(t *testing.T) {
	f := startFakeS3(t)
	s3Env(t)
	const bucket = "big-trail"
	f.createBucket(t, bucket)

	const n = 1050
	d1 := time.Now().UTC().Add(-24 * time.Hour)
	layout := "AWSLogs/493859302102"
	quiet := logGz(t, at(events(t, "curated/iamuser_consolelogin_success_mfa_no__awsdocs.json"), d1))
	root := at(events(t, "curated/root_consolelogin_success_mfa_no__awsdocs.json"), d1)
	if countRoot(root) == 0 {
		t.Fatal("the fixture holds no root-usage event")
	}
	rootBody := logGz(t, root)
	lastKey := key(layout, d1, "us-east-1", fmt.Sprintf("P%04d", n-1))
	// Straight into the server's store: a thousand PutObject requests would only slow the test.
	for i := range n {
		body := quiet
		if i == n-1 {
			body = rootBody
		}
		k := key(layout, d1, "us-east-1", fmt.Sprintf("P%04d", i))
		if _, err := f.backend.PutObject(
			bucket, k, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil,
		); err != nil {
			t.Fatalf("put %s: %v", k, err)
		}
	}

	f.listV2.Store(0)
	f.listV2Continued.Store(0)
	code, out, stderr := runCLI(
		t,
		"scan",
		"s3://"+bucket+"/",
		"--since",
		"3d",
		"--endpoint-url",
		f.URL,
		"--format",
		"json",
		"--fail-on-match",
	)
	if code != exitMatch {
		t.Errorf("exit %d, want %d\nstderr:\n%s", code, exitMatch, stderr)
	}
	var evs int
	var totals map[string]any
	for _, m := range jsonLines(t, out) {
		switch m["type"] {
		case "event":
			evs++
			if m["input"] != "s3://"+bucket+"/"+lastKey {
				t.Errorf("event from %v, want %s", m["input"], lastKey)
			}
		case "totals":
			totals = m
		}
	}
	if evs != countRoot(root) {
		t.Errorf("%d root-usage events, want %d (from the last page)", evs, countRoot(root))
	}
	if totals == nil || totals["inputs_scanned"] != float64(n) {
		t.Errorf("totals %v: want %d log files scanned", totals, n)
	}
	if f.listV2Continued.Load() == 0 {
		t.Errorf("no ListObjectsV2 request asked for a second page (%d list requests)", f.listV2.Load())
	}
	t.Logf("%d ListObjectsV2 requests, %d of them for a later page", f.listV2.Load(), f.listV2Continued.Load())
}
