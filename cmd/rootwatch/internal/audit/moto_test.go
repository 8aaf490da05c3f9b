//go:build integration

package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// moto lacks two things the checks read, and only those are faked, in the HTTP transport, on
// moto's real answers:
//
//   - the root user: moto's GetAccountSummary always says AccountMFAEnabled = 0 (moto has no root
//     user to give MFA); with rootMFA set, that one value of its answer is rewritten to 1;
//
//   - CloudWatch Logs delivery: moto's GetTrailStatus never reports
//     LatestCloudWatchLogsDeliveryTime (it delivers nothing); with cwDelivery set, that field is
//     added to its answer.
//
//   - the root user's password: moto's GetAccountSummary has no AccountPasswordPresent; with
//     rootPassword 1 or 2 the key is added with the value 1 (a password) or 0 (none);
//
//   - the root user's virtual MFA device: moto has no root user to assign one to, so a virtual
//     device assigned to the IAM user root-stand-in is answered, in ListVirtualMFADevices, as
//     assigned to the root user (its User ARN rewritten to arn:aws:iam::123456789012:root).
//
// Everything else (the trail, its status and selectors, the virtual MFA devices) is moto's.
type motoGaps struct {
	base         http.RoundTripper
	rootMFA      atomic.Bool
	rootPassword atomic.Int32 // 0: leave moto's summary alone; 1: AccountPasswordPresent = 1; 2: = 0
	cwDelivery   atomic.Int64 // Unix seconds; 0: leave moto's answer alone
}

// rootStandIn is the IAM user whose assigned virtual MFA devices motoGaps answers as the root user's.
const rootStandIn = "root-stand-in"

func (g *motoGaps) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	resp, err := g.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	summary := bytes.Contains(reqBody, []byte("Action=GetAccountSummary"))
	status := strings.HasSuffix(req.Header.Get("X-Amz-Target"), ".GetTrailStatus")
	virtual := bytes.Contains(reqBody, []byte("Action=ListVirtualMFADevices"))
	password := g.rootPassword.Load()
	if !(summary && (g.rootMFA.Load() || password != 0)) && !(status && g.cwDelivery.Load() != 0) && !virtual {
		return resp, nil
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	switch {
	case virtual:
		body = bytes.ReplaceAll(
			body,
			[]byte("arn:aws:iam::123456789012:user/"+rootStandIn+"<"),
			[]byte("arn:aws:iam::123456789012:root<"),
		)
	case summary:
		const off, on = "<key>AccountMFAEnabled</key><value>0</value>", "<key>AccountMFAEnabled</key><value>1</value>"
		if !bytes.Contains(body, []byte(off)) || !bytes.Contains(body, []byte("<entry><key>AccountMFAEnabled</key>")) {
			panic("moto's GetAccountSummary answer changed shape: " + string(body))
		}
		if g.rootMFA.Load() {
			body = bytes.Replace(body, []byte(off), []byte(on), 1)
		}
		if password != 0 {
			v := map[int32]string{1: "1", 2: "0"}[password]
			body = bytes.Replace(body, []byte("<entry><key>AccountMFAEnabled</key>"),
				[]byte("<entry><key>AccountPasswordPresent</key><value>"+v+"</value></entry><entry><key>AccountMFAEnabled</key>"), 1)
		}
	default:
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, err
		}
		m["LatestCloudWatchLogsDeliveryTime"] = g.cwDelivery.Load()
		if body, err = json.Marshal(m); err != nil {
			return nil, err
		}
	}
	return replaceBody(resp, body), nil
}

// requestBody reads req's body and puts it back, for a fake that decides by the request's action.
func requestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}

// replaceBody swaps resp's body for body.
func replaceBody(resp *http.Response, body []byte) *http.Response {
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Del("Content-Length")
	return resp
}

func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

type motoAccount struct {
	t    *testing.T
	url  string
	gaps *motoGaps
	cfg  aws.Config
	ct   *CloudTrail
	iam  *iam.Client
}

func newMotoAccount(t *testing.T) *motoAccount {
	url := mototest.Start(t)
	gaps := &motoGaps{base: http.DefaultTransport}
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		HTTPClient:  &http.Client{Transport: gaps},
	}
	return &motoAccount{t: t, url: url, gaps: gaps, cfg: cfg,
		ct:  &CloudTrail{Config: cfg, Endpoint: url},
		iam: iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(url) }),
	}
}

// inRegion makes the account's clients (the ones the tests build state with) call region.
func (a *motoAccount) inRegion(region string) {
	a.cfg.Region = region
	a.ct = &CloudTrail{Config: a.cfg, Endpoint: a.url}
	a.iam = iam.NewFromConfig(a.cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(a.url) })
}

func (a *motoAccount) audit(trail string, now time.Time) map[string]Result {
	a.t.Helper()
	return byID(a.t, Run(context.Background(), Options{Config: a.cfg, Endpoint: a.url, Trail: trail, Now: now}))
}

// must fails the test on a CloudTrail write call's error (the checks make no write call).
func (a *motoAccount) must(_ any, err error) {
	a.t.Helper()
	if err != nil {
		a.t.Fatal(err) // the SDK's error names the operation
	}
}

var allChecks = []string{CheckRootAccessKeys, CheckRootMFA, CheckRootHardwareMFA, CheckRootSigningCert,
	CheckTrailExists, CheckTrailLogging, CheckTrailMultiRegion, CheckTrailGlobalEvents, CheckTrailValidation,
	CheckTrailKMS, CheckTrailManagement, CheckTrailDelivery, CheckTrailCWLogs}

// statuses compares the checks named in allChecks (the root and trail checks); the other groups'
// tests compare their own.
func statuses(t *testing.T, got map[string]Result, want map[string]Status) {
	t.Helper()
	for _, id := range allChecks {
		r, ok := got[id]
		if !ok {
			t.Errorf("check %s missing", id)
			continue
		}
		if r.Status != want[id] {
			t.Errorf("%s: %s (%s), want %s", id, r.Status, r.Detail, want[id])
		}
	}
}

// deployTrail builds the trail the way rootwatch's trail component deploys it: a logging,
// multi-region trail with global service events, log file validation, a KMS key, CloudWatch Logs
// delivery to logGroup and every management event, read and write, writing to its own bucket. It
// also turns the root user's MFA on and dates the latest CloudWatch Logs delivery ten minutes
// before now (the two values motoGaps fakes).
func (a *motoAccount) deployTrail(name, logGroup string, now time.Time) {
	a.t.Helper()
	ctx := context.Background()
	s3c := s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(a.url); o.UsePathStyle = true })
	in := &s3.CreateBucketInput{Bucket: aws.String(name + "-logs")}
	if a.cfg.Region != "us-east-1" { // S3 wants the region named, except us-east-1's
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{
			LocationConstraint: s3types.BucketLocationConstraint(a.cfg.Region),
		}
	}
	a.must(s3c.CreateBucket(ctx, in))
	ctc := a.ct.api()
	a.must(ctc.CreateTrail(ctx, &cloudtrail.CreateTrailInput{
		Name: aws.String(name), S3BucketName: aws.String(name + "-logs"), IsMultiRegionTrail: aws.Bool(true),
		IncludeGlobalServiceEvents: aws.Bool(true), EnableLogFileValidation: aws.Bool(true),
		KmsKeyId: aws.String(
			"arn:aws:kms:" + a.cfg.Region + ":123456789012:key/11111111-2222-3333-4444-555555555555",
		),
		CloudWatchLogsLogGroupArn: aws.String(
			"arn:aws:logs:" + a.cfg.Region + ":123456789012:log-group:" + logGroup + ":*",
		),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/" + name + "-cloudwatch"),
	}))
	a.must(ctc.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(name)}))
	a.must(ctc.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(name),
		EventSelectors: []cttypes.EventSelector{
			{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true)},
		}}))
	a.gaps.rootMFA.Store(true)
	a.gaps.cwDelivery.Store(now.Add(-10 * time.Minute).Unix())
}

// assignVirtualMFA creates the virtual MFA device name and assigns it to the IAM user user (created
// if missing); assigned to rootStandIn, motoGaps answers it as the root user's.
func (a *motoAccount) assignVirtualMFA(user, name string) {
	a.t.Helper()
	ctx := context.Background()
	if _, err := a.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(user)}); err != nil {
		a.must(a.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}))
	}
	d, err := a.iam.CreateVirtualMFADevice(
		ctx,
		&iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)},
	)
	if err != nil {
		a.t.Fatal(err)
	}
	a.must(
		a.iam.EnableMFADevice(
			ctx,
			&iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: d.VirtualMFADevice.SerialNumber,
				AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")},
		),
	)
}

// removeVirtualMFA undoes assignVirtualMFA (the user stays).
func (a *motoAccount) removeVirtualMFA(user, name string) {
	a.t.Helper()
	ctx := context.Background()
	serial := aws.String("arn:aws:iam::123456789012:mfa/" + name)
	a.must(
		a.iam.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(user), SerialNumber: serial}),
	)
	a.must(a.iam.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: serial}))
}

func TestAuditEmptyAccount(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	got := a.audit("", time.Now())
	want := map[string]Status{
		CheckRootAccessKeys: Pass, CheckRootSigningCert: Pass, // moto's summary: none
		CheckRootMFA: Fail, CheckRootHardwareMFA: Fail,
	}
	for _, id := range allChecks {
		if strings.HasPrefix(id, "trail-") {
			want[id] = Fail
		}
	}
	statuses(t, got, want)
	if d := got[CheckTrailExists].Detail; !strings.Contains(d, "no trail") {
		t.Errorf("trail-exists says %q", d)
	}
	if d := got[CheckTrailKMS].Detail; !strings.Contains(d, "not checked") {
		t.Errorf("a trail check without a trail claims to have checked: %q", d)
	}
	if ExitCode(mapValues(got)) != ExitFail {
		t.Error("exit code is not 1")
	}
}

func mapValues(m map[string]Result) []Result {
	var rs []Result
	for _, r := range m {
		rs = append(rs, r)
	}
	return rs
}

// TestAuditConfiguredAccount builds, through the AWS APIs, what rootwatch deploys (a logging,
// multi-region trail with validation, KMS, CloudWatch Logs and all management events; root MFA
// on, no virtual root device), sees every check pass, then breaks one thing at a time and sees
// exactly the check that should catch it fail, and the rest still pass.
func TestAuditConfiguredAccount(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	ctx := context.Background()
	// a decoy: a single-region trail created first must not be the one judged without --trail
	s3c := s3.NewFromConfig(a.cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(a.url); o.UsePathStyle = true })
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("other-logs")}); err != nil {
		t.Fatal(err)
	}
	ctc := a.ct.api()
	a.must(
		ctc.CreateTrail(
			ctx,
			&cloudtrail.CreateTrailInput{Name: aws.String("aaa-single-region"), S3BucketName: aws.String("other-logs")},
		),
	)
	const trail = "rootwatch-trail"
	now := time.Now()
	a.deployTrail(trail, "rootwatch-trail", now)

	allPass := map[string]Status{}
	for _, id := range allChecks {
		allPass[id] = Pass
	}
	for _, name := range []string{trail, ""} {
		got := a.audit(name, now)
		statuses(t, got, allPass)
		if !strings.Contains(got[CheckTrailExists].Detail, trail) {
			t.Errorf("--trail %q judged %s", name, got[CheckTrailExists].Detail)
		}
	}

	breaks := configuredBreaks(a, trail, now)
	for _, b := range breaks {
		t.Run(b.name, func(t *testing.T) {
			b.breakIt()
			defer b.undo()
			want := map[string]Status{}
			for k, v := range allPass {
				want[k] = v
			}
			want[b.check] = Fail
			if b.check == CheckRootMFA { // no MFA at all is not hardware MFA either
				want[CheckRootHardwareMFA] = Fail
			}
			got := a.audit(trail, now)
			statuses(t, got, want)
			if d := got[b.check].Detail; !strings.Contains(d, b.detailContains) {
				t.Errorf("%s says %q, want it to mention %q", b.check, d, b.detailContains)
			}
		})
	}

	t.Run(
		"virtual devices of nobody and of an IAM user",
		func(t *testing.T) { virtualDevicesOfOthers(t, a, trail, now) },
	)
	t.Run("no root credentials", func(t *testing.T) { noRootCredentials(t, a, trail, now) })
	t.Run("unknown trail name", func(t *testing.T) {
		got := a.audit("no-such-trail", now)
		if r := got[CheckTrailExists]; r.Status != Fail || !strings.Contains(r.Detail, "no-such-trail") {
			t.Errorf("trail-exists: %+v", r)
		}
	})
}

// configuredBreak breaks one thing (and undoes it); check then fails, its detail containing
// detailContains.
type configuredBreak struct {
	name, check    string
	breakIt, undo  func()
	detailContains string
}

// configuredBreaks are TestAuditConfiguredAccount's breaks of trail (deployed at now).
func configuredBreaks(a *motoAccount, trail string, now time.Time) []configuredBreak {
	ctx := context.Background()
	ctc := a.ct.api()
	selectors := func(rw cttypes.ReadWriteType) {
		a.must(ctc.PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String(trail),
			EventSelectors: []cttypes.EventSelector{{ReadWriteType: rw, IncludeManagementEvents: aws.Bool(true)}}}))
	}
	return []configuredBreak{
		{"logging stopped", CheckTrailLogging,
			func() { a.must(ctc.StopLogging(ctx, &cloudtrail.StopLoggingInput{Name: aws.String(trail)})) },
			func() { a.must(ctc.StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String(trail)})) }, "IsLogging is false"},
		{"log file validation off", CheckTrailValidation,
			func() {
				a.must(
					ctc.UpdateTrail(
						ctx,
						&cloudtrail.UpdateTrailInput{Name: aws.String(trail), EnableLogFileValidation: aws.Bool(false)},
					),
				)
			},
			func() {
				a.must(
					ctc.UpdateTrail(
						ctx,
						&cloudtrail.UpdateTrailInput{Name: aws.String(trail), EnableLogFileValidation: aws.Bool(true)},
					),
				)
			}, "false"},
		{"write-only management events", CheckTrailManagement,
			func() { selectors(cttypes.ReadWriteTypeWriteOnly) },
			func() { selectors(cttypes.ReadWriteTypeAll) }, "read and write"},
		{"CloudWatch Logs delivery stale", CheckTrailCWLogs,
			func() { a.gaps.cwDelivery.Store(now.Add(-50 * time.Hour).Unix()) },
			func() { a.gaps.cwDelivery.Store(now.Add(-10 * time.Minute).Unix()) }, "ago"},
		// CIS 2.6 / IAM.6: the root user named its virtual device (the console lets it): the
		// device is found by its assignment to the root user, not by its name
		{"root MFA is a virtual device named by the root user", CheckRootHardwareMFA,
			func() { a.assignVirtualMFA(rootStandIn, "my-phone") },
			func() { a.removeVirtualMFA(rootStandIn, "my-phone") }, "virtual device (arn:aws:iam::123456789012:mfa/my-phone)"},
		{"root MFA off", CheckRootMFA,
			func() { a.gaps.rootMFA.Store(false) },
			func() { a.gaps.rootMFA.Store(true) }, "AccountMFAEnabled = 0"},
	}
}

// virtualDevicesOfOthers, CIS 2.6 / IAM.6: virtual devices that are not the root user's (a
// leftover unassigned device named the old console's way, an IAM user's device) do not make its
// MFA virtual
func virtualDevicesOfOthers(t *testing.T, a *motoAccount, trail string, now time.Time) {
	ctx := context.Background()
	if _, err := a.iam.CreateVirtualMFADevice(
		ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("root-account-mfa-device")},
	); err != nil {
		t.Fatal(err)
	}
	a.assignVirtualMFA("alice", "alice-phone")
	defer a.removeVirtualMFA("alice", "alice-phone")
	defer func() {
		a.must(
			a.iam.DeleteVirtualMFADevice(
				ctx,
				&iam.DeleteVirtualMFADeviceInput{
					SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/root-account-mfa-device"),
				},
			),
		)
	}()
	if r := a.audit(trail, now)[CheckRootHardwareMFA]; r.Status != Pass {
		t.Errorf("%s: %s", r.Status, r.Detail)
	}
}

// noRootCredentials, CIS 2.5 / IAM.9 and 2.6 / IAM.6 with centralized root access: a root user
// whose credentials were all deleted passes as "no root credentials"; a password without MFA still
// fails, and so does a summary that cannot tell (no AccountPasswordPresent)
func noRootCredentials(t *testing.T, a *motoAccount, trail string, now time.Time) {
	a.gaps.rootMFA.Store(false)
	defer a.gaps.rootMFA.Store(true)
	defer a.gaps.rootPassword.Store(0)
	for _, c := range []struct {
		password int32
		want     Status
		detail   string
	}{
		{2, Pass, "no root credentials: the root user has no password (AccountPasswordPresent = 0)"},
		{1, Fail, "has a password (AccountPasswordPresent = 1)"},
		{0, Fail, "AccountMFAEnabled = 0"},
	} {
		a.gaps.rootPassword.Store(c.password)
		got := a.audit(trail, now)
		for _, id := range []string{CheckRootMFA, CheckRootHardwareMFA} {
			if r := got[id]; r.Status != c.want {
				t.Errorf(
					"AccountPasswordPresent fake %d, %s: %s (%s), want %s",
					c.password,
					id,
					r.Status,
					r.Detail,
					c.want,
				)
			}
		}
		if d := got[CheckRootMFA].Detail; !strings.Contains(d, c.detail) {
			t.Errorf("AccountPasswordPresent fake %d: root-mfa says %q, want %q", c.password, d, c.detail)
		}
	}
}
