package audit

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// docsPolicy is the read-only policy docs/audit.md gives, the JSON block under its heading.
func docsPolicy(t *testing.T) map[string]any {
	t.Helper()
	md, err := os.ReadFile("../../docs/audit.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)## The read-only IAM policy it needs\n.*?```json\n(.*?)```").FindSubmatch(md)
	if m == nil {
		t.Fatal("docs/audit.md has no JSON policy under \"## The read-only IAM policy it needs\"")
	}
	var doc map[string]any
	if err := json.Unmarshal(m[1], &doc); err != nil {
		t.Fatalf("docs/audit.md's policy is not JSON: %v", err)
	}
	return doc
}

// without returns the policy with one action removed from its first statement.
func without(doc map[string]any, action string) map[string]any {
	st := doc["Statement"].([]any)[0].(map[string]any)
	var kept []any
	for _, a := range st["Action"].([]any) {
		if a != action {
			kept = append(kept, a)
		}
	}
	b, _ := json.Marshal(doc)
	var cp map[string]any
	json.Unmarshal(b, &cp)
	cp["Statement"].([]any)[0].(map[string]any)["Action"] = kept
	return cp
}

// userWithPolicy creates an IAM user holding doc as its only (inline) policy and returns a
// configuration with its access key.
//
// moto names the action it authorizes after the request's SigV4 signing name, which for
// CloudWatch is "monitoring", not the IAM prefix "cloudwatch" AWS uses
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html);
// so each cloudwatch: action of doc is granted under moto's name too. Every other service's
// signing name is its IAM prefix.
func (a *motoAccount) userWithPolicy(name string, doc map[string]any) aws.Config {
	a.t.Helper()
	ctx := context.Background()
	for _, st := range doc["Statement"].([]any) {
		st := st.(map[string]any)
		acts := st["Action"].([]any)
		for _, act := range acts {
			if rest, ok := strings.CutPrefix(act.(string), "cloudwatch:"); ok {
				acts = append(acts, "monitoring:"+rest)
			}
		}
		st["Action"] = acts
	}
	b, err := json.Marshal(doc)
	if err != nil {
		a.t.Fatal(err)
	}
	a.must(a.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	a.must(a.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(name), PolicyName: aws.String("audit"), PolicyDocument: aws.String(string(b))}))
	key, err := a.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		a.t.Fatal(err)
	}
	cfg := a.cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(aws.ToString(key.AccessKey.AccessKeyId), aws.ToString(key.AccessKey.SecretAccessKey), "")
	return cfg
}

// TestAuditWithTheDocumentedPolicy runs the audit as an IAM user holding exactly the read-only
// policy docs/audit.md gives, against moto_server with its IAM access control on (moto evaluates
// the caller's identity policies once /moto-api/reset-auth is posted): no check may be denied.
// Then as a user whose policy lacks cloudtrail:GetEventSelectors: exactly the check that calls it
// could not run, naming that action, and the exit code is 3. Nothing is faked here but the two
// values motoGaps documents.
func TestAuditWithTheDocumentedPolicy(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	policy := docsPolicy(t)
	actions := policy["Statement"].([]any)[0].(map[string]any)["Action"].([]any)
	if !slices.Contains(actions, any("cloudtrail:GetEventSelectors")) {
		t.Fatalf("the documented policy lacks cloudtrail:GetEventSelectors: %v", actions)
	}

	// a trail, so that every trail check makes its calls
	s3c := s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(a.url); o.UsePathStyle = true })
	a.must(s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs")}))
	a.must(a.ct.api().CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("audited"), S3BucketName: aws.String("trail-logs"), IsMultiRegionTrail: aws.Bool(true)}))

	full := a.userWithPolicy("auditor", policy)
	partial := a.userWithPolicy("auditor-without-selectors", without(policy, "cloudtrail:GetEventSelectors"))

	// from here on moto authorizes every call against the caller's policies
	resp, err := http.Post(a.url+"/moto-api/reset-auth", "text/plain", strings.NewReader("0"))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("turning moto's access control on: %v %v", resp, err)
	}
	resp.Body.Close()
	denied := Run(ctx, Options{Config: a.cfg, Endpoint: a.url, Now: time.Now()})
	if ExitCode(denied) != ExitErrored {
		t.Fatal("moto's access control is not on: the unknown key 'testing' was not refused")
	}

	for _, r := range Run(ctx, Options{Config: full, Endpoint: a.url, Now: time.Now()}) {
		if r.Status == Error {
			t.Errorf("with the documented policy, %s could not run: %s", r.ID, r.Detail)
		}
	}
	for _, r := range Run(ctx, Options{Config: partial, Endpoint: a.url, Now: time.Now()}) {
		switch {
		case r.ID == CheckTrailManagement:
			if r.Status != Error || !strings.Contains(r.Detail, "the caller lacks cloudtrail:GetEventSelectors") {
				t.Errorf("%s: %s %q, want ERROR naming cloudtrail:GetEventSelectors", r.ID, r.Status, r.Detail)
			}
		case r.Status == Error:
			t.Errorf("%s could not run without cloudtrail:GetEventSelectors: %s", r.ID, r.Detail)
		}
	}
}
