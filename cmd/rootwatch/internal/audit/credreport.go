package audit

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// CredentialReportAPI is the part of the IAM client the credential report check uses.
type CredentialReportAPI interface {
	GenerateCredentialReport(
		context.Context,
		*iam.GenerateCredentialReportInput,
		...func(*iam.Options),
	) (*iam.GenerateCredentialReportOutput, error)
	GetCredentialReport(
		context.Context,
		*iam.GetCredentialReportInput,
		...func(*iam.Options),
	) (*iam.GetCredentialReportOutput, error)
}

// CheckRootRecentUse is the id of the check on when the root user was last used.
const CheckRootRecentUse = "root-recent-use"

// RootUseWindow is how recent a use of the root user's password or access keys makes
// root-recent-use warn: 90 days, the window `rootwatch scan` reviews by default, so the fix
// ("see what root did") covers the use the check saw.
const RootUseWindow = 90 * 24 * time.Hour

// A recent root use is a WARN, not a FAIL: CIS v7.0 2.7 ("Eliminate use of the 'root' user for
// administrative and daily tasks") is a manual recommendation, and a few tasks can only be done
// as root (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html#root-user-tasks),
// so a use is something to review, not a misconfiguration. (Prowler's iam_avoid_root_usage fails
// a use within the last day.) Whether the root user has access keys at all is root-access-keys'
// verdict; this check only reports their use.
var rootRecentUse = Result{ID: CheckRootRecentUse, Title: "The root user has not been used in the last 90 days",
	CIS: "2.7", Prowler: "iam_avoid_root_usage",
	Remediation: "review what the root user did (rootwatch scan --since 90d) and move that work to IAM roles; if the " +
		"use was not yours, change the root password, delete its access keys and check its MFA"}

// rootAccountUser is the credential report's name for the root user.
const rootAccountUser = "<root_account>"

// reportDelays are the waits between GenerateCredentialReport calls while IAM builds the
// report (STARTED, INPROGRESS): about 13 seconds in all, then the check gives up.
var reportDelays = []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second,
	2 * time.Second, 3 * time.Second, 3 * time.Second, 3 * time.Second}

// CredentialReportChecks generates the account's credential report (iam:GenerateCredentialReport;
// IAM reuses a report less than four hours old), downloads it (iam:GetCredentialReport) and judges
// the root user's row: when its password and access keys were last used, as of now.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html
func CredentialReportChecks(ctx context.Context, c CredentialReportAPI, now time.Time) []Result {
	out, r := credentialReport(ctx, c)
	if out == nil {
		return []Result{r}
	}
	row, err := rootRow(out.Content)
	if errors.Is(err, errNoRootRow) {
		// The report answered but has no root row (AWS always writes one; emulators may not):
		// nothing to judge, and nothing that stops the rest of the audit, so a WARN that says
		// it did not look.
		r := rootRecentUse
		r.Status, r.Detail = Warn, "not checked: the credential report has no <root_account> row"
		r.Remediation = "download the report (aws iam get-credential-report) and look for the <root_account> row"
		return []Result{r}
	}
	if err != nil {
		r := rootRecentUse
		r.Status, r.Detail = Error, "could not run: "+err.Error()
		r.Remediation = "run the audit again; if the report stays unreadable, download it (aws iam " +
			"get-credential-report) and look at the <root_account> row"
		return []Result{r}
	}
	u, err := rootUseFromReport(row)
	if err != nil {
		r := rootRecentUse
		r.Status, r.Detail = Error, "could not run: the credential report's <root_account> row: "+err.Error()
		r.Remediation = "run the audit again; if it persists, look at the report's <root_account> row (aws iam " +
			"get-credential-report)"
		return []Result{r}
	}
	source := "the credential report"
	if out.GeneratedTime != nil {
		source += " of " + out.GeneratedTime.UTC().Format(time.RFC3339)
	}
	return []Result{judgeRootUse(u, now, source)}
}

// credentialReport asks IAM for the report until it is COMPLETE, then downloads it. On failure it
// returns nil and the ERROR result.
func credentialReport(ctx context.Context, c CredentialReportAPI) (*iam.GetCredentialReportOutput, Result) {
	var state types.ReportStateType
	for i := 0; ; i++ {
		gen, err := c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			return nil, Errored(rootRecentUse, "iam:GenerateCredentialReport", err)
		}
		if state = gen.State; state == types.ReportStateTypeComplete {
			break
		}
		if i == len(reportDelays) {
			r := rootRecentUse
			r.Status = Error
			r.Detail = fmt.Sprintf("could not run: IAM was still generating the credential report (state %s) "+
				"after %d attempts", state, i+1)
			r.Remediation = "run the audit again in a minute: IAM keeps a generated report for four hours"
			return nil, r
		}
		select {
		case <-ctx.Done():
			return nil, Errored(rootRecentUse, "iam:GenerateCredentialReport", ctx.Err())
		case <-time.After(reportDelays[i]):
		}
	}
	out, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	if err != nil {
		return nil, Errored(rootRecentUse, "iam:GetCredentialReport", err)
	}
	return out, Result{}
}

var errNoRootRow = errors.New("the credential report has no " + rootAccountUser + " row")

// rootRow parses the report (CSV with a header line) and returns the root user's row, keyed by
// column name: columns are looked up by name, not position.
func rootRow(content []byte) (map[string]string, error) {
	rd := csv.NewReader(bytes.NewReader(content))
	header, err := rd.Read()
	if err != nil {
		return nil, fmt.Errorf("the credential report has no header line: %v", err)
	}
	userCol := -1
	for i, h := range header {
		if h == "user" {
			userCol = i
		}
	}
	if userCol < 0 {
		return nil, errors.New(`the credential report has no "user" column`)
	}
	rd.FieldsPerRecord = len(header)
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			return nil, errNoRootRow
		}
		if err != nil {
			return nil, fmt.Errorf("the credential report is not valid CSV: %v", err)
		}
		if rec[userCol] != rootAccountUser {
			continue
		}
		row := make(map[string]string, len(header))
		for i, h := range header {
			row[h] = rec[i]
		}
		return row, nil
	}
}

// rootUse is what is known of the root user's use: when its password and each access key were
// last used (zero: never, or no information), and its access keys.
type rootUse struct {
	passwordLastUsed time.Time
	keys             []rootKey
}

type rootKey struct {
	n           int // 1 or 2, as the report numbers them
	active      bool
	lastRotated time.Time // zero: no key
	lastUsed    time.Time // zero: never used (or no key)
}

// rootUseFromReport reads the root row's password_last_used and access_key_N_* columns. A column
// that is not a date ("N/A", "no_information", "not_supported") means no use recorded.
func rootUseFromReport(row map[string]string) (rootUse, error) {
	var u rootUse
	var err error
	if u.passwordLastUsed, err = reportTime(row, "password_last_used"); err != nil {
		return u, err
	}
	for n := 1; n <= 2; n++ {
		k := rootKey{n: n}
		p := fmt.Sprintf("access_key_%d_", n)
		active, ok := row[p+"active"]
		if !ok {
			return u, fmt.Errorf("no %sactive column", p)
		}
		k.active = strings.EqualFold(active, "true")
		if k.lastRotated, err = reportTime(row, p+"last_rotated"); err != nil {
			return u, err
		}
		if k.lastUsed, err = reportTime(row, p+"last_used_date"); err != nil {
			return u, err
		}
		u.keys = append(u.keys, k)
	}
	return u, nil
}

// reportTime parses a date column of the report (ISO 8601); a value that is not a date is the
// zero time.
func reportTime(row map[string]string, col string) (time.Time, error) {
	v, ok := row[col]
	if !ok {
		return time.Time{}, fmt.Errorf("no %s column", col)
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, nil // N/A, no_information, not_supported
	}
	return t, nil
}

// judgeRootUse warns when the root user's password or an access key was used within
// RootUseWindow of now, naming each use; source names where the dates come from.
func judgeRootUse(u rootUse, now time.Time, source string) Result {
	r := rootRecentUse
	var recent, older []string
	use := func(what string, when time.Time) {
		if when.IsZero() {
			return
		}
		s := fmt.Sprintf("%s %s (%s)", what, when.UTC().Format(time.RFC3339), ago(now, when))
		if now.Sub(when) < RootUseWindow {
			recent = append(recent, s)
		} else {
			older = append(older, s)
		}
	}
	use("password used to sign in", u.passwordLastUsed)
	var keys []string
	for _, k := range u.keys {
		use(fmt.Sprintf("access key %d used", k.n), k.lastUsed)
		if k.active {
			keys = append(
				keys,
				fmt.Sprintf("access key %d is active, last rotated %s", k.n, k.lastRotated.UTC().Format(time.RFC3339)),
			)
		}
	}
	switch {
	case len(recent) > 0:
		r.Status = Warn
		r.Detail = fmt.Sprintf(
			"%s shows root use in the last %d days: %s",
			source,
			int(RootUseWindow.Hours()/24),
			strings.Join(recent, "; "),
		)
	case len(older) > 0:
		r.Status = Pass
		r.Detail = fmt.Sprintf(
			"%s shows no root use in the last %d days; last: %s",
			source,
			int(RootUseWindow.Hours()/24),
			strings.Join(older, "; "),
		)
	default:
		r.Status = Pass
		r.Detail = source + " records no use of the root user's password or access keys"
	}
	if len(keys) > 0 {
		r.Detail += "; " + strings.Join(keys, "; ") + " (see root-access-keys)"
	}
	return r
}

// ago says how long before now t was, in days (hours under a day).
func ago(now, t time.Time) string {
	d := now.Sub(t)
	switch {
	case d < 0:
		return "in the future: check the clock"
	case d < 24*time.Hour:
		return fmt.Sprintf("%d hours ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}
