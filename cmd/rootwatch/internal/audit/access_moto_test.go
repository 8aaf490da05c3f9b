//go:build integration

package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
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
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

// docsPolicy is the read-only policy docs/audit.md gives, the JSON block under its heading.
func docsPolicy(t *testing.T) map[string]any {
	t.Helper()
	md, err := os.ReadFile(repo.Path("docs/audit.md"))
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
// accessControlOn turns moto's IAM access control on: from then on it evaluates each caller's
// identity policies.
func (a *motoAccount) accessControlOn() {
	a.t.Helper()
	resp, err := http.Post(a.url+"/moto-api/reset-auth", "text/plain", strings.NewReader("0"))
	if err != nil || resp.StatusCode != http.StatusOK {
		a.t.Fatalf("turning moto's access control on: %v %v", resp, err)
	}
	resp.Body.Close()
}

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
	a.must(
		a.iam.PutUserPolicy(
			ctx,
			&iam.PutUserPolicyInput{
				UserName:       aws.String(name),
				PolicyName:     aws.String("audit"),
				PolicyDocument: aws.String(string(b)),
			},
		),
	)
	key, err := a.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})
	if err != nil {
		a.t.Fatal(err)
	}
	cfg := a.cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(
		aws.ToString(key.AccessKey.AccessKeyId),
		aws.ToString(key.AccessKey.SecretAccessKey),
		"",
	)
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
	a.must(a.ct.api().CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String("audited"), S3BucketName: aws.String("trail-logs"), IsMultiRegionTrail: aws.Bool(true),
	}))

	full := a.userWithPolicy("auditor", policy)
	partial := a.userWithPolicy("auditor-without-selectors", without(policy, "cloudtrail:GetEventSelectors"))

	// from here on moto authorizes every call against the caller's policies
	a.accessControlOn()
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

// keyPolicies fakes what moto lacks for KMS key policies: moto applies only a key policy's Deny
// statements (its kms/policy_validator.py), while KMS allows a call on a key only where the key
// policy allows it, to the caller itself or to the account root, which then lets the caller's IAM
// policies decide ("Unless the key policy explicitly allows it, you cannot use IAM policies to
// allow access to a KMS key", https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
// In front of moto it answers kms:DescribeKey and kms:GetKeyPolicy on the keys it knows with
// AccessDeniedException unless an unconditional Allow of the key's policy names, for the action,
// the caller's ARN, the account root or everyone, and no unconditional Deny covers it; a call it
// lets through goes on to moto, which evaluates the caller's IAM policies. Conditional Allows do not
// count (stricter than KMS): no condition of rootwatch's key policies is met by an IAM user.
type keyPolicies struct {
	base     http.RoundTripper
	rootARN  string
	policies map[string]string // key ARN -> key policy
	callers  map[string]string // access key id -> the caller's ARN
}

func (k keyPolicies) RoundTrip(req *http.Request) (*http.Response, error) {
	target := req.Header.Get("X-Amz-Target")
	action := ""
	switch {
	case strings.HasSuffix(target, ".DescribeKey"):
		action = "kms:DescribeKey"
	case strings.HasSuffix(target, ".GetKeyPolicy"):
		action = "kms:GetKeyPolicy"
	default:
		return k.base.RoundTrip(req)
	}
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	var in struct{ KeyId string }
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	doc, known := k.policies[in.KeyId]
	if !known {
		return k.base.RoundTrip(req)
	}
	caller := ""
	if m := accessKeyInAuth.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		caller = k.callers[m[1]]
	}
	if keyPolicyAllows(doc, action, caller, k.rootARN) {
		return k.base.RoundTrip(req)
	}
	msg := fmt.Sprintf(
		`{"__type":"AccessDeniedException","message":"User: %s is not authorized to perform: %s on resource: %s because no resource-based policy allows the %s action"}`,
		caller,
		action,
		in.KeyId,
		action,
	)
	return &http.Response{
		StatusCode:    http.StatusBadRequest,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.1"}},
		Body:          io.NopCloser(strings.NewReader(msg)),
		ContentLength: int64(len(msg)),
	}, nil
}

// keyPolicyAllows evaluates a key policy as keyPolicies describes.
func keyPolicyAllows(doc, action, caller, rootARN string) bool {
	var d policyDoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return false
	}
	allowed := false
	for _, s := range d.Statement {
		if len(s.Condition) > 0 || !s.covers(action) || !namesCaller(s, caller, rootARN) {
			continue
		}
		switch {
		case strings.EqualFold(s.Effect, "Deny"):
			return false
		case strings.EqualFold(s.Effect, "Allow"):
			allowed = true
		}
	}
	return allowed
}

// namesCaller says whether the statement's Principal is everyone, the caller or the account root.
func namesCaller(s policyStatement, caller, rootARN string) bool {
	var everyone string
	if json.Unmarshal(s.Principal, &everyone) == nil {
		return everyone == "*"
	}
	var p struct{ AWS oneOrList[string] }
	if json.Unmarshal(s.Principal, &p) != nil {
		return false
	}
	return slices.ContainsFunc(
		p.AWS,
		func(a string) bool { return a == "*" || a == rootARN || (caller != "" && a == caller) },
	)
}

// TestAuditWithTheDocumentedPolicy_KeyAdminArns: with rootwatch:keyAdminArns the topic keys are
// administered by the named principals only. An account built the rootwatch way, whose alert and
// health topic keys carry exactly the policy rootwatch generates with an administrator named, is
// audited by an IAM user holding only the documented read-only policy, with the key policies
// evaluated as KMS does (keyPolicies): every check passes, alert-topic-encryption included. The same
// keys with the policy rootwatch generated before (no AccountReadKeyMetadata statement) leave that
// check unable to run, naming kms:DescribeKey: the proof that the key policy, not moto, decides.
func TestAuditWithTheDocumentedPolicy_KeyAdminArns(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	now := time.Now()
	stack := deployAccount(t, a, now)
	c := a.reachClients()
	withAdmins := policy.TopicKey(
		policy.TopicKeyArgs{Env: motoEnv, AdminARNs: []string{"arn:aws:iam::123456789012:role/KeyAdmin"}},
	).MustJSON()
	var keys []string
	for _, topic := range []string{stack.AlertTopicArn, stack.HealthTopicArn} {
		attrs, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, attrs.Attributes["KmsMasterKeyId"])
	}
	gate := keyPolicies{rootARN: motoEnv.AccountRootARN(), policies: map[string]string{}, callers: map[string]string{}}
	setKeyPolicies := func(doc string) {
		t.Helper()
		for _, k := range keys {
			if _, err := c.kms.PutKeyPolicy(ctx, &kms.PutKeyPolicyInput{
				KeyId: aws.String(k), PolicyName: aws.String("default"), Policy: aws.String(doc),
			}); err != nil {
				t.Fatal(err)
			}
			gate.policies[k] = doc
		}
	}
	setKeyPolicies(withAdmins)

	auditor := a.userWithPolicy("auditor", docsPolicy(t))
	creds, err := auditor.Credentials.Retrieve(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gate.callers[creds.AccessKeyID] = "arn:aws:iam::123456789012:user/auditor"
	gate.base = auditor.HTTPClient.(*http.Client).Transport
	auditor.HTTPClient = &http.Client{Transport: gate}
	a.accessControlOn()

	for _, r := range Run(ctx, Options{Config: auditor, Endpoint: a.url, Stack: stack, Now: now}) {
		if r.Status != Pass {
			t.Errorf(
				"keyAdminArns set, as the auditor with the documented policy, %s: %s (%s)",
				r.ID,
				r.Status,
				r.Detail,
			)
		}
	}

	// the keys' policies as rootwatch wrote them before: the account's IAM policies could not read them
	before := withoutStatement(t, withAdmins, policy.SidAccountReadKey)
	for _, k := range keys {
		gate.policies[k] = before
	}
	got := byID(t, Run(ctx, Options{Config: auditor, Endpoint: a.url, Stack: stack, Now: now}))
	if r := got[CheckAlertEncryption]; r.Status != Error || !strings.Contains(r.Detail, "kms:DescribeKey") {
		t.Errorf(
			"a key policy the account's IAM policies cannot read: %s %s, want ERROR naming kms:DescribeKey",
			r.Status,
			r.Detail,
		)
	}
}
