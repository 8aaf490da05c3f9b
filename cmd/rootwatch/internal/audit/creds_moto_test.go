//go:build integration

package audit

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
)

// credsGaps fakes, in the HTTP transport, only what moto 5.2.1 lacks for the credential report,
// centralized root access and --organization; every other call goes to moto (through motoGaps):
//   - the credential report's <root_account> row: moto's report lists IAM users only (moto has no
//     root user). moto's real GenerateCredentialReport (STARTED, then COMPLETE) and
//     GetCredentialReport run; with root set, a root row is added to the CSV moto returns (and,
//     with reverse, the report's columns are reversed, to prove they are read by name);
//   - IAM's centralized root access API (ListOrganizationsFeatures,
//     EnableOrganizationsRoot{CredentialsManagement,Sessions}, DisableOrganizationsRootSessions):
//     moto has none of it. The features are kept here; only the management account's
//     credentials (the "testing" key) may list them, as AWS allows only the management account
//     and IAM's delegated administrator;
//   - sts:AssumeRoot: moto has no AssumeRoot. It is answered by moto's own AssumeRole into the
//     target account (moto lets a role ARN name any account), so the session's credentials
//     really are the member account's in moto; its answer is renamed AssumeRoot's;
//   - organizations:ListAccounts from a delegated administrator: moto lists an organization's
//     accounts to its management account only (a member's call lists none), while AWS also
//     answers a delegated administrator. For the keys in delegatedAdmin, the call is sent to moto
//     as the management account's (its access key swapped for "testing"; moto does not check
//     signatures);
//   - the root user's own IAM data, as a root session reads it: ListMFADevices, GetUser and
//     ListAccessKeys without a user name, and GetAccessKeyLastUsed of the root user's keys. moto
//     has no root user (it fails, or answers a made-up "default_user"); they are answered per
//     account, found from the session's access key. GetLoginProfile without a user name too: the
//     root user's password (NoSuchEntity when it has none, as IAM answers).
type credsGaps struct {
	base http.RoundTripper

	mu         sync.Mutex
	root       map[string]string // the <root_account> row's columns; nil: moto's report as is
	reverse    bool
	stuck      bool // GenerateCredentialReport keeps answering INPROGRESS
	generates  int  // GenerateCredentialReport calls
	features   map[string]bool
	featureErr string              // error code ListOrganizationsFeatures answers, "" for none
	deny       map[string]bool     // AssumeRoot into these accounts is denied
	assumed    []url.Values        // AssumeRoot requests received
	keys       map[string]string   // root session access key id -> account
	rootMFA    map[string][]string // account -> the root user's MFA serial numbers
	rootUsers  map[string]fakeRoot // account -> the root user's password use and access keys
	delay      time.Duration       // AssumeRoot takes this long (to measure concurrency)
	delegated  map[string]bool     // access keys of a delegated administrator (see ListAccounts above)
	inFlight   int
	maxFlight  int
}

var (
	credsGapsMu  sync.Mutex
	credsGapsFor = map[*motoAccount]*credsGaps{}
)

// fakes puts credsGaps in front of a's transport (once) and returns it.
func fakes(a *motoAccount) *credsGaps {
	credsGapsMu.Lock()
	defer credsGapsMu.Unlock()
	if g := credsGapsFor[a]; g != nil {
		return g
	}
	g := &credsGaps{base: a.cfg.HTTPClient.(*http.Client).Transport, features: map[string]bool{},
		deny: map[string]bool{}, keys: map[string]string{}, rootMFA: map[string][]string{}, rootUsers: map[string]fakeRoot{}}
	a.cfg.HTTPClient = &http.Client{Transport: g}
	credsGapsFor[a] = g
	return g
}

var accessKeyInAuth = regexp.MustCompile(`Credential=([^/]+)/`)

func (g *credsGaps) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	form, _ := url.ParseQuery(string(body))
	key := ""
	if m := accessKeyInAuth.FindStringSubmatch(req.Header.Get("Authorization")); m != nil {
		key = m[1]
	}
	g.mu.Lock()
	delegated := g.delegated[key]
	g.mu.Unlock()
	if delegated && strings.HasSuffix(req.Header.Get("X-Amz-Target"), ".ListAccounts") {
		r2 := req.Clone(req.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.Header.Set(
			"Authorization",
			strings.Replace(req.Header.Get("Authorization"), "Credential="+key+"/", "Credential=testing/", 1),
		)
		return g.base.RoundTrip(r2)
	}
	switch form.Get("Action") {
	case "GenerateCredentialReport":
		return g.generate(req)
	case "GetCredentialReport":
		return g.report(req)
	case "ListOrganizationsFeatures":
		return g.listFeatures(key)
	case "EnableOrganizationsRootCredentialsManagement",
		"EnableOrganizationsRootSessions",
		"DisableOrganizationsRootSessions":
		return g.setFeature(form.Get("Action"))
	case "AssumeRoot":
		return g.assumeRoot(req, form)
	case "ListMFADevices":
		if form.Get("UserName") == "" {
			return g.rootMFADevices(key)
		}
	case "GetUser", "ListAccessKeys", "GetLoginProfile":
		g.mu.Lock()
		account, session := g.keys[key]
		root := g.rootUsers[account]
		g.mu.Unlock()
		if form.Get("UserName") == "" && session {
			return root.answer(form.Get("Action"), account), nil
		}
	case "GetAccessKeyLastUsed":
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, root := range g.rootUsers {
			for _, k := range root.keys {
				if k.id == form.Get("AccessKeyId") {
					return k.lastUsedXML(), nil
				}
			}
		}
	}
	return g.base.RoundTrip(req)
}

func xmlResponse(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {"text/xml"}},
		Body: io.NopCloser(strings.NewReader(body)), ContentLength: int64(len(body))}
}

func xmlError(status int, code, msg string) *http.Response {
	return xmlResponse(status, fmt.Sprintf(`<ErrorResponse><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake</RequestId></ErrorResponse>`, code, msg))
}

func (g *credsGaps) generate(req *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	g.mu.Lock()
	g.generates++
	stuck := g.stuck
	g.mu.Unlock()
	if !stuck {
		return resp, nil
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, err
	}
	body = regexp.MustCompile(`<State>[A-Z]+</State>`).ReplaceAll(body, []byte("<State>INPROGRESS</State>"))
	return replaceBody(resp, body), nil
}

var reportContent = regexp.MustCompile(`<Content>([^<]*)</Content>`)

func (g *credsGaps) report(req *http.Request) (*http.Response, error) {
	resp, err := g.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	g.mu.Lock()
	root, reverse := g.root, g.reverse
	g.mu.Unlock()
	if root == nil {
		return resp, nil
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, err
	}
	m := reportContent.FindSubmatch(body)
	if m == nil {
		panic("moto's GetCredentialReport answer changed shape: " + string(body))
	}
	csvText, err := base64.StdEncoding.DecodeString(string(m[1]))
	if err != nil {
		return nil, err
	}
	recs, err := csv.NewReader(bytes.NewReader(csvText)).ReadAll()
	if err != nil {
		return nil, err
	}
	header := recs[0]
	row := make([]string, len(header))
	for i, h := range header {
		if v, ok := root[h]; ok {
			row[i] = v
		} else {
			row[i] = "N/A"
		}
	}
	recs = append(recs[:1], append([][]string{row}, recs[1:]...)...)
	if reverse {
		for _, r := range recs {
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
		}
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.WriteAll(recs); err != nil {
		return nil, err
	}
	enc := base64.StdEncoding.EncodeToString(out.Bytes())
	body = reportContent.ReplaceAll(body, []byte("<Content>"+enc+"</Content>"))
	return replaceBody(resp, body), nil
}

const featuresResult = `<%[1]sResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><%[1]sResult><OrganizationId>o-rootwatch01</OrganizationId><EnabledFeatures>%[2]s</EnabledFeatures></%[1]sResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%[1]sResponse>`

func (g *credsGaps) featuresXML(action string) *http.Response {
	var names []string
	for f, on := range g.features {
		if on {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	var members strings.Builder
	for _, f := range names {
		members.WriteString("<member>" + f + "</member>")
	}
	return xmlResponse(http.StatusOK, fmt.Sprintf(featuresResult, action, members.String()))
}

func (g *credsGaps) listFeatures(key string) (*http.Response, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case g.featureErr != "":
		return xmlError(http.StatusBadRequest, g.featureErr, "fake "+g.featureErr), nil
	case key != "testing": // not the management account's credentials
		return xmlError(http.StatusBadRequest, "AccountNotManagementOrDelegatedAdministratorException",
			"The request was rejected because the account making the request is not the management account or "+
				"delegated administrator account for centralized root access."), nil
	}
	return g.featuresXML("ListOrganizationsFeatures"), nil
}

func (g *credsGaps) setFeature(action string) (*http.Response, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	switch action {
	case "EnableOrganizationsRootCredentialsManagement":
		g.features["RootCredentialsManagement"] = true
	case "EnableOrganizationsRootSessions":
		g.features["RootSessions"] = true
	case "DisableOrganizationsRootSessions":
		g.features["RootSessions"] = false
	}
	return g.featuresXML(action), nil
}

var accessKeyInCredentials = regexp.MustCompile(`<AccessKeyId>([^<]+)</AccessKeyId>`)

func (g *credsGaps) assumeRoot(req *http.Request, form url.Values) (*http.Response, error) {
	target := form.Get("TargetPrincipal")
	g.mu.Lock()
	g.assumed = append(g.assumed, form)
	g.inFlight++
	if g.inFlight > g.maxFlight {
		g.maxFlight = g.inFlight
	}
	denied, delay := g.deny[target], g.delay
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.inFlight--
		g.mu.Unlock()
	}()
	time.Sleep(delay)
	if denied {
		return xmlError(http.StatusForbidden, "AccessDenied", fmt.Sprintf(
			"User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: sts:AssumeRoot on resource: "+
				"arn:aws:iam::%s:root", target)), nil
	}
	stand := url.Values{"Action": {"AssumeRole"}, "Version": {"2011-06-15"},
		"RoleArn":         {"arn:aws:iam::" + target + ":role/assume-root-stand-in"},
		"RoleSessionName": {"assume-root"}, "DurationSeconds": {form.Get("DurationSeconds")}}.Encode()
	r2 := req.Clone(req.Context())
	r2.Body = io.NopCloser(strings.NewReader(stand))
	r2.ContentLength = int64(len(stand))
	r2.Header.Del("Content-Length")
	resp, err := g.base.RoundTrip(r2)
	if err != nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	body, err := readBody(resp)
	if err != nil {
		return nil, err
	}
	m := accessKeyInCredentials.FindSubmatch(body)
	if m == nil {
		panic("moto's AssumeRole answer changed shape: " + string(body))
	}
	g.mu.Lock()
	g.keys[string(m[1])] = target
	g.mu.Unlock()
	body = bytes.ReplaceAll(body, []byte("AssumeRoleResponse"), []byte("AssumeRootResponse"))
	body = bytes.ReplaceAll(body, []byte("AssumeRoleResult"), []byte("AssumeRootResult"))
	return replaceBody(resp, body), nil
}

func (g *credsGaps) rootMFADevices(key string) (*http.Response, error) {
	g.mu.Lock()
	account, ok := g.keys[key]
	serials := g.rootMFA[account]
	g.mu.Unlock()
	if !ok {
		return xmlError(
			http.StatusBadRequest,
			"NoSuchEntity",
			"the fake lists root MFA devices for root sessions only",
		), nil
	}
	var members strings.Builder
	for _, s := range serials {
		members.WriteString("<member><UserName>root</UserName><SerialNumber>" + s + "</SerialNumber><EnableDate>2025-01-01T00:00:00Z</EnableDate></member>")
	}
	return xmlResponse(
		http.StatusOK,
		`<ListMFADevicesResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListMFADevicesResult><MFADevices>`+
			members.String()+`</MFADevices><IsTruncated>false</IsTruncated></ListMFADevicesResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></ListMFADevicesResponse>`,
	), nil
}

// fakeRoot is a member account's root user as its root session sees it.
type fakeRoot struct {
	passwordLastUsed string // "" for never
	keys             []fakeRootKey
	password         string // "": it has one; "none": deleted (NoSuchEntity); "denied": GetLoginProfile refused
}

type fakeRootKey struct{ id, status, created, lastUsed string }

const iamNS = `xmlns="https://iam.amazonaws.com/doc/2010-05-08/"`

func (r fakeRoot) answer(action, account string) *http.Response {
	var result string
	switch {
	case action == "GetLoginProfile" && r.password == "none":
		return xmlError(http.StatusNotFound, "NoSuchEntity", "The user with name root cannot be found.")
	case action == "GetLoginProfile" && r.password == "denied":
		return xmlError(http.StatusForbidden, "AccessDenied", "User: arn:aws:iam::"+account+":root is not authorized "+
			"to perform: iam:GetLoginProfile")
	case action == "GetLoginProfile":
		result = `<LoginProfile><UserName>root</UserName><CreateDate>2020-01-01T00:00:00Z</CreateDate></LoginProfile>`
	case action == "GetUser":
		pw := ""
		if r.passwordLastUsed != "" {
			pw = "<PasswordLastUsed>" + r.passwordLastUsed + "</PasswordLastUsed>"
		}
		result = fmt.Sprintf(`<User><Path>/</Path><UserName>root</UserName><UserId>%[1]s</UserId><Arn>arn:aws:iam::%[1]s:root</Arn><CreateDate>2020-01-01T00:00:00Z</CreateDate>%[2]s</User>`, account, pw)
	default:
		var keys strings.Builder
		for _, k := range r.keys {
			fmt.Fprintf(&keys, `<member><UserName>root</UserName><AccessKeyId>%s</AccessKeyId><Status>%s</Status><CreateDate>%s</CreateDate></member>`, k.id, k.status, k.created)
		}
		result = `<AccessKeyMetadata>` + keys.String() + `</AccessKeyMetadata><IsTruncated>false</IsTruncated>`
	}
	return xmlResponse(http.StatusOK, fmt.Sprintf(`<%[1]sResponse %[2]s><%[1]sResult>%[3]s</%[1]sResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></%[1]sResponse>`, action, iamNS, result))
}

func (k fakeRootKey) lastUsedXML() *http.Response {
	used := `<ServiceName>N/A</ServiceName><Region>N/A</Region>` // never used, as IAM answers it
	if k.lastUsed != "" {
		used = `<LastUsedDate>` + k.lastUsed + `</LastUsedDate><ServiceName>s3</ServiceName><Region>us-east-1</Region>`
	}
	return xmlResponse(http.StatusOK, `<GetAccessKeyLastUsedResponse `+iamNS+`><GetAccessKeyLastUsedResult><UserName>root</UserName><AccessKeyLastUsed>`+
		used+`</AccessKeyLastUsed></GetAccessKeyLastUsedResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetAccessKeyLastUsedResponse>`)
}

// rootReportRow is a <root_account> row as AWS writes it for a root user with MFA, no access keys and
// a password last used at passwordUsed ("no_information" for never).
func rootReportRow(passwordUsed string) map[string]string {
	return map[string]string{
		"user": "<root_account>", "arn": "arn:aws:iam::123456789012:root",
		"user_creation_time": "2020-01-01T00:00:00+00:00",
		"password_enabled":   "not_supported", "password_last_used": passwordUsed,
		"password_last_changed":  "not_supported",
		"password_next_rotation": "not_supported", "mfa_active": "true",
		"access_key_1_active": "false", "access_key_2_active": "false",
		"cert_1_active": "false", "cert_2_active": "false",
	}
}

func iso(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func (a *motoAccount) credentialReport(now time.Time) Result {
	a.t.Helper()
	rs := CredentialReportChecks(
		context.Background(),
		iam.NewFromConfig(a.cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(a.url) }),
		now,
	)
	if len(rs) != 1 || rs[0].ID != CheckRootRecentUse {
		a.t.Fatalf("CredentialReportChecks returned %+v", rs)
	}
	return rs[0]
}

// TestCredentialReportRootUse runs moto's real report generation with the root row added, and
// judges each use of the root user.
func TestCredentialReportRootUse(t *testing.T) {
	// Not parallel: its "report never completes" case shortens the package's reportDelays, which
	// every other audit reads; the parallel tests start only after this one has ended.
	a := newMotoAccount(t)
	g := fakes(a)
	// an IAM user whose password was used yesterday: its row must not be read as root's
	if _, err := a.iam.CreateUser(
		context.Background(), &iam.CreateUserInput{UserName: aws.String("alice")},
	); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)

	t.Run("moto has no root row", func(t *testing.T) {
		r := a.credentialReport(now)
		if r.Status != Warn || !strings.Contains(r.Detail, "not checked") {
			t.Errorf("%s: %s", r.Status, r.Detail)
		}
		if g.generates < 2 {
			t.Errorf(
				"GenerateCredentialReport called %d times: moto answers STARTED first, so the check must ask again",
				g.generates,
			)
		}
	})

	cases := []struct {
		name   string
		row    func(map[string]string)
		want   Status
		detail []string
	}{
		{"never used", func(map[string]string) {}, Pass, []string{"records no use"}},
		{
			"password used 3 days ago",
			func(r map[string]string) { r["password_last_used"] = iso(now.Add(-3 * 24 * time.Hour)) },
			Warn,
			[]string{"password used to sign in 2026-11-27T12:00:00Z (3 days ago)"},
		},
		{
			"password used 2 hours ago",
			func(r map[string]string) { r["password_last_used"] = iso(now.Add(-2 * time.Hour)) },
			Warn,
			[]string{"(2 hours ago)"},
		},
		{"access key 2 used 10 days ago, password long ago", func(r map[string]string) {
			r["password_last_used"] = iso(now.Add(-400 * 24 * time.Hour))
			r["access_key_2_active"], r["access_key_2_last_rotated"] = "true", "2025-06-01T00:00:00+00:00"
			r["access_key_2_last_used_date"] = iso(now.Add(-10 * 24 * time.Hour))
		}, Warn, []string{"access key 2 used 2026-11-20T12:00:00Z (10 days ago)", "access key 2 is active, last " +
			"rotated 2025-06-01T00:00:00Z"}},
		{"all uses older than 90 days", func(r map[string]string) {
			r["password_last_used"] = iso(now.Add(-91 * 24 * time.Hour))
			r["access_key_1_active"], r["access_key_1_last_rotated"] = "false", "2024-01-01T00:00:00+00:00"
			r["access_key_1_last_used_date"] = iso(now.Add(-200 * 24 * time.Hour))
		}, Pass, []string{"no root use in the last 90 days", "password used to sign in", "(91 days ago)", "access key 1 used"}},
	}
	for _, reverse := range []bool{false, true} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s reversed=%v", c.name, reverse), func(t *testing.T) {
				row := rootReportRow("no_information")
				c.row(row)
				g.mu.Lock()
				g.root, g.reverse = row, reverse
				g.mu.Unlock()
				r := a.credentialReport(now)
				if r.Status != c.want {
					t.Errorf("%s (%s), want %s", r.Status, r.Detail, c.want)
				}
				for _, d := range c.detail {
					if !strings.Contains(r.Detail, d) {
						t.Errorf("detail %q lacks %q", r.Detail, d)
					}
				}
				if r.CIS != "2.7" || r.Prowler != "iam_avoid_root_usage" {
					t.Errorf("controls: %+v", r)
				}
			})
		}
	}

	credentialReportStuck(t, a, g, now)

	t.Run("through Run", func(t *testing.T) {
		g.mu.Lock()
		g.root, g.reverse = rootReportRow(iso(now.Add(-24*time.Hour))), false
		g.mu.Unlock()
		got := a.audit("", now)
		if r := got[CheckRootRecentUse]; r.Status != Warn {
			t.Errorf("root-recent-use through Run: %+v", r)
		}
	})
}

// credentialReportStuck: a report that never completes is an ERROR after the last attempt, and a
// cancelled audit stops waiting for it.
func credentialReportStuck(t *testing.T, a *motoAccount, g *credsGaps, now time.Time) {
	t.Run("report never completes", func(t *testing.T) {
		saved := reportDelays
		reportDelays = []time.Duration{time.Millisecond, time.Millisecond}
		defer func() { reportDelays = saved }()
		g.mu.Lock()
		g.stuck = true
		g.mu.Unlock()
		defer func() { g.mu.Lock(); g.stuck = false; g.mu.Unlock() }()
		r := a.credentialReport(now)
		if r.Status != Error || !strings.Contains(r.Detail, "INPROGRESS") || !strings.Contains(r.Detail, "3 attempts") {
			t.Errorf("%s: %s", r.Status, r.Detail)
		}
	})

	t.Run("cancelled while waiting", func(t *testing.T) {
		g.mu.Lock()
		g.stuck = true
		g.mu.Unlock()
		defer func() { g.mu.Lock(); g.stuck = false; g.mu.Unlock() }()
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		rs := CredentialReportChecks(
			ctx,
			iam.NewFromConfig(a.cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(a.url) }),
			now,
		)
		if time.Since(start) > 3*time.Second || rs[0].Status != Error {
			t.Errorf("after %v: %+v", time.Since(start), rs[0])
		}
	})
}

// TestCentralizedRootAccess: outside an organization the check passes as not applicable; in one
// built the rootwatch way it passes; each feature off, trusted access off, and a member
// account's view are each reported for what they are.
func TestCentralizedRootAccess(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	g := fakes(a)
	ctx := context.Background()
	check := func(cfg aws.Config) Result {
		c := NewClients(cfg, a.url)
		return CentralizedRootAccessCheck(ctx, c.Organizations, c.IAM)
	}
	if r := check(a.cfg); r.Status != Pass || !strings.Contains(r.Detail, "not applicable") {
		t.Errorf("no organization: %s: %s", r.Status, r.Detail)
	}
	members := deployOrganization(t, a, 1)
	if r := check(a.cfg); r.Status != Pass || r.CIS != "2.1.1" ||
		r.Prowler != "iam_root_credentials_management_enabled" {
		t.Errorf("rootwatch's organization: %+v", r)
	}
	if r := a.audit("", time.Now())[CheckRootCentralizedAccess]; r.Status != Pass {
		t.Errorf("through Run: %+v", r)
	}

	iamc := iam.NewFromConfig(a.cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(a.url) })
	if _, err := iamc.DisableOrganizationsRootSessions(ctx, &iam.DisableOrganizationsRootSessionsInput{}); err != nil {
		t.Fatal(err)
	}
	r := check(a.cfg)
	if r.Status != Fail || !strings.Contains(r.Detail, "lacks RootSessions") ||
		!strings.Contains(r.Remediation, "enable-organizations-root-sessions") ||
		strings.Contains(r.Remediation, "root-credentials-management") {
		t.Errorf("root sessions off: %+v", r)
	}
	if _, err := iamc.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}); err != nil {
		t.Fatal(err)
	}

	g.mu.Lock()
	g.featureErr = "ServiceAccessNotEnabledException"
	g.mu.Unlock()
	if r := check(a.cfg); r.Status != Fail || !strings.Contains(r.Detail, "trusted access") {
		t.Errorf("trusted access off: %+v", r)
	}
	g.mu.Lock()
	g.featureErr = ""
	g.mu.Unlock()

	// a member account's own credentials (moto's AssumeRole into it): it is in the
	// organization, but may not read the features
	out, err := sts.NewFromConfig(a.cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(a.url) }).
		AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + members[0] + ":role/workload"), RoleSessionName: aws.String("audit")})
	if err != nil {
		t.Fatal(err)
	}
	mcfg := a.cfg.Copy()
	mcfg.Credentials = credentials.NewStaticCredentialsProvider(
		*out.Credentials.AccessKeyId,
		*out.Credentials.SecretAccessKey,
		*out.Credentials.SessionToken,
	)
	if r := check(mcfg); r.Status != Warn || !strings.Contains(r.Detail, "not checked") ||
		!strings.Contains(r.Detail, "123456789012") {
		t.Errorf("member account: %+v", r)
	}
}

// deployOrganization builds, through the AWS APIs, the organization rootwatch's --organization
// expects: an organization with all features, centralized root access with both features
// (through credsGaps), and members member accounts; it returns their ids, sorted.
func deployOrganization(t *testing.T, a *motoAccount, members int) []string {
	t.Helper()
	ctx := context.Background()
	fakes(a)
	org := organizations.NewFromConfig(a.cfg, func(o *organizations.Options) { o.BaseEndpoint = aws.String(a.url) })
	if _, err := org.CreateOrganization(
		ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll},
	); err != nil {
		t.Fatal(err)
	}
	// Trusted access for IAM (aws organizations enable-aws-service-access --service-principal
	// iam.amazonaws.com) comes next in a real organization; moto does not know that service
	// principal and refuses it, so it is left out here.
	iamc := iam.NewFromConfig(a.cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String(a.url) })
	if _, err := iamc.EnableOrganizationsRootCredentialsManagement(
		ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{},
	); err != nil {
		t.Fatal(err)
	}
	if _, err := iamc.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < members; i++ {
		if _, err := org.CreateAccount(ctx, &organizations.CreateAccountInput{
			AccountName: aws.String("member-" + strconv.Itoa(i)), Email: aws.String(fmt.Sprintf("member-%d@example.com", i))}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	p := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, acc := range page.Accounts {
			if id := aws.ToString(acc.Id); id != "123456789012" {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	if len(ids) != members {
		t.Fatalf("organization has members %v, want %d", ids, members)
	}
	return ids
}

// TestRunOrganization: three members; AssumeRoot into one is denied, another's root MFA is a
// virtual device and its root password was used 5 days ago, the third has a FIDO key and an
// active root access key last used 200 days ago. Every account is reported, in id order, the
// denied one with ERRORs naming sts:AssumeRoot; no more sessions are open at once than the
// concurrency allows.
func TestRunOrganization(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	g := fakes(a)
	members := deployOrganization(t, a, 3)
	denied, virtual := members[0], members[2]
	a.gaps.rootMFA.Store(true) // every root user has MFA (moto's summary says 0 otherwise)
	g.mu.Lock()
	g.deny[denied] = true
	g.rootMFA[virtual] = []string{"arn:aws:iam::" + virtual + ":mfa/root-phone"}
	g.rootMFA[members[1]] = []string{"arn:aws:iam::" + members[1] + ":u2f/root/yubikey-ABCDEF"} // a FIDO key
	g.root = rootReportRow("no_information")
	g.delay = 100 * time.Millisecond
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	g.rootUsers[virtual] = fakeRoot{passwordLastUsed: "2026-11-25T12:00:00Z"}
	g.rootUsers[members[1]] = fakeRoot{keys: []fakeRootKey{{id: "AKIAROOTKEY000000001", status: "Active", created: "2024-03-01T00:00:00Z", lastUsed: "2026-05-14T12:00:00Z"}}}
	g.mu.Unlock()

	var progress bytes.Buffer
	rs, err := RunOrganization(
		context.Background(),
		OrgOptions{Config: a.cfg, Endpoint: a.url, Now: now, Concurrency: 2, Progress: &progress},
	)
	if err != nil {
		t.Fatal(err)
	}
	all := append([]string{"123456789012"}, members...)
	sort.Strings(all)
	var order []string
	byAccount := map[string]map[string]Result{}
	for _, r := range rs {
		if len(order) == 0 || order[len(order)-1] != r.Account {
			order = append(order, r.Account)
		}
		if byAccount[r.Account] == nil {
			byAccount[r.Account] = map[string]Result{}
		}
		byAccount[r.Account][r.ID] = r
	}
	if fmt.Sprint(order) != fmt.Sprint(all) {
		t.Errorf("accounts in order %v, want %v", order, all)
	}
	checkOrgResults(t, byAccount, members)

	g.mu.Lock()
	maxFlight, assumed := g.maxFlight, g.assumed
	g.mu.Unlock()
	if maxFlight > 2 || maxFlight < 2 {
		t.Errorf("at most %d AssumeRoot sessions at once, want 2 (the concurrency)", maxFlight)
	}
	if len(assumed) != 3 {
		t.Errorf("AssumeRoot called %d times, want once per member", len(assumed))
	}
	for _, f := range assumed {
		if f.Get("TaskPolicyArn.arn") != "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials" ||
			f.Get("DurationSeconds") != "900" {
			t.Errorf("AssumeRoot request %v", f)
		}
		if f.Get("TargetPrincipal") == "123456789012" {
			t.Error("AssumeRoot into the caller's own account")
		}
	}
	if got := strings.TrimSpace(progress.String()); !strings.HasSuffix(got, "audited 4/4 accounts") ||
		strings.Count(got, "\n") != 3 {
		t.Errorf("progress:\n%s", got)
	}

	// the same organization again, one account at a time: the same results, in the same order
	g.mu.Lock()
	g.maxFlight = 0
	g.mu.Unlock()
	again, err := RunOrganization(
		context.Background(),
		OrgOptions{Config: a.cfg, Endpoint: a.url, Now: now, Concurrency: 1},
	)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(again) != fmt.Sprint(rs) {
		t.Errorf("results differ between runs:\n%v\n%v", rs, again)
	}
	if g.maxFlight != 1 {
		t.Errorf("concurrency 1 had %d sessions at once", g.maxFlight)
	}

	var table bytes.Buffer
	if err := WriteTable(&table, rs); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(table.String(), denied+"/"+CheckRootMFA) {
		t.Errorf("the table does not name the account:\n%s", table.String())
	}
}

// checkOrgResults checks TestRunOrganization's results by account: the management account and
// members[1] pass, members[0] (denied AssumeRoot) errs, members[2] has a virtual MFA device and a
// recent root sign-in.
func checkOrgResults(t *testing.T, byAccount map[string]map[string]Result, members []string) {
	t.Helper()
	denied, virtual := members[0], members[2]
	mgmt := byAccount["123456789012"]
	for _, id := range []string{CheckRootAccessKeys, CheckRootMFA, CheckRootHardwareMFA, CheckRootSigningCert, CheckRootRecentUse, CheckRootCentralizedAccess} {
		if r, ok := mgmt[id]; !ok || r.Status != Pass {
			t.Errorf("management account %s: %+v", id, r)
		}
	}
	for _, id := range []string{
		CheckRootAccessKeys, CheckRootMFA, CheckRootHardwareMFA, CheckRootSigningCert, CheckRootRecentUse,
	} {
		if r := byAccount[denied][id]; r.Status != Error || !strings.Contains(r.Detail, "sts:AssumeRoot") ||
			!strings.Contains(r.Remediation, "root sessions") {
			t.Errorf("denied member %s: %+v", id, r)
		}
		if r := byAccount[members[1]][id]; r.Status != Pass {
			t.Errorf("member %s %s: %+v", members[1], id, r)
		}
	}
	if r := byAccount[virtual][CheckRootHardwareMFA]; r.Status != Fail || !strings.Contains(r.Detail, "root-phone") {
		t.Errorf("virtual-MFA member: %+v", r)
	}
	if r := byAccount[virtual][CheckRootRecentUse]; r.Status != Warn ||
		!strings.Contains(r.Detail, "password used to sign in 2026-11-25T12:00:00Z (5 days ago)") {
		t.Errorf("member whose root signed in: %+v", r)
	}
	if r := byAccount[members[1]][CheckRootRecentUse]; r.Status != Pass ||
		!strings.Contains(
			r.Detail,
			"access key 1 used 2026-05-14T12:00:00Z (200 days ago)",
		) || !strings.Contains(r.Detail, "access key 1 is active, last rotated 2024-03-01T00:00:00Z") {
		t.Errorf("member with an old root key: %+v", r)
	}
	if len(byAccount[denied]) != 5 || len(byAccount[virtual]) != 5 {
		t.Errorf("member accounts get the five root checks: %v / %v", byAccount[denied], byAccount[virtual])
	}
}

// TestRunOrganizationFromDelegatedAdministrator: run from IAM's delegated administrator (a member
// account), the audit opens root sessions into the other members only. The management account,
// where no root session can be opened, gets its five checks as WARN "not checked", telling to audit
// it with its own credentials; no AssumeRoot targets it, and nothing is an ERROR, so a well-run
// organization does not exit 3.
func TestRunOrganizationFromDelegatedAdministrator(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	g := fakes(a)
	members := deployOrganization(t, a, 2)
	admin, other := members[0], members[1]
	a.gaps.rootMFA.Store(true)
	g.mu.Lock()
	g.root = rootReportRow("no_information")
	g.mu.Unlock()
	ctx := context.Background()
	out, err := sts.NewFromConfig(a.cfg, func(o *sts.Options) { o.BaseEndpoint = aws.String(a.url) }).
		AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn:         aws.String("arn:aws:iam::" + admin + ":role/iam-delegated-admin"),
			RoleSessionName: aws.String("audit")})
	if err != nil {
		t.Fatal(err)
	}
	cfg := a.cfg.Copy()
	cfg.Credentials = credentials.NewStaticCredentialsProvider(
		*out.Credentials.AccessKeyId,
		*out.Credentials.SecretAccessKey,
		*out.Credentials.SessionToken,
	)
	g.mu.Lock()
	g.delegated = map[string]bool{*out.Credentials.AccessKeyId: true}
	g.mu.Unlock()

	rs, err := RunOrganization(ctx, OrgOptions{Config: cfg, Endpoint: a.url, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	byAccount := map[string]map[string]Result{}
	for _, r := range rs {
		if byAccount[r.Account] == nil {
			byAccount[r.Account] = map[string]Result{}
		}
		byAccount[r.Account][r.ID] = r
		if r.Status == Error {
			t.Errorf("%s/%s could not run: %s", r.Account, r.ID, r.Detail)
		}
	}
	mgmt := byAccount["123456789012"]
	if len(mgmt) != 5 {
		t.Errorf("the management account has %d results, want the five member checks: %v", len(mgmt), mgmt)
	}
	for id, r := range mgmt {
		if r.Status != Warn || !strings.Contains(r.Detail, "management account") ||
			!strings.Contains(r.Remediation, "rootwatch audit, run in account 123456789012") {
			t.Errorf("management account %s: %+v", id, r)
		}
	}
	if r := byAccount[other][CheckRootMFA]; r.Status != Pass {
		t.Errorf("member %s audited through its root session: %+v", other, r)
	}
	if _, ok := byAccount[admin][CheckRootCentralizedAccess]; !ok {
		t.Errorf("the delegated administrator's own account is not audited with its credentials: %v", byAccount[admin])
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range g.assumed {
		if target := f.Get("TargetPrincipal"); target == "123456789012" || target == admin {
			t.Errorf("AssumeRoot into %s", target)
		}
	}
	if len(g.assumed) != 1 {
		t.Errorf("AssumeRoot called %d times, want once (the other member)", len(g.assumed))
	}
	if ExitCode(rs) == ExitErrored {
		t.Error("exit code 3 for an organization audited from its delegated administrator")
	}
}

// TestMemberRootChecks_NoRootCredentials (CIS 2.5 / IAM.9, 2.6 / IAM.6 with centralized root
// access): through root sessions, a member whose root credentials were all deleted (no password:
// GetLoginProfile answers NoSuchEntity; no keys, certificates or MFA device) passes root-mfa and
// root-hardware-mfa as "no root credentials"; one that kept its password but has no MFA fails; one
// whose password cannot be read is an ERROR naming iam:GetLoginProfile, never a PASS.
func TestMemberRootChecks_NoRootCredentials(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	g := fakes(a)
	members := deployOrganization(t, a, 3) // moto's summary: no MFA, keys or certificates anywhere
	deleted, kept, unreadable := members[0], members[1], members[2]
	g.mu.Lock()
	g.root = rootReportRow("no_information")
	g.rootUsers[deleted] = fakeRoot{password: "none"}
	g.rootUsers[kept] = fakeRoot{}
	g.rootUsers[unreadable] = fakeRoot{password: "denied"}
	g.mu.Unlock()
	rs, err := RunOrganization(context.Background(), OrgOptions{Config: a.cfg, Endpoint: a.url, Now: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Result{}
	for _, r := range rs {
		got[r.Account+"/"+r.ID] = r
	}
	for _, id := range []string{CheckRootMFA, CheckRootHardwareMFA} {
		if r := got[deleted+"/"+id]; r.Status != Pass || !strings.Contains(r.Detail, "no root credentials") ||
			!strings.Contains(r.Detail, "NoSuchEntity") {
			t.Errorf("member without root credentials, %s: %s %s", id, r.Status, r.Detail)
		}
		if r := got[kept+"/"+id]; r.Status != Fail {
			t.Errorf("member with a root password and no MFA, %s: %s %s", id, r.Status, r.Detail)
		}
		if r := got[unreadable+"/"+id]; r.Status != Error || !strings.Contains(r.Detail, "iam:GetLoginProfile") {
			t.Errorf("member whose root password cannot be read, %s: %s %s", id, r.Status, r.Detail)
		}
	}
	if r := got[kept+"/"+CheckRootMFA]; !strings.Contains(r.Detail, "has a password (GetLoginProfile returned "+
		"a login profile)") {
		t.Errorf("root-mfa of the member that kept its password: %s", r.Detail)
	}
}
