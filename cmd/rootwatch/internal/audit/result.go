// Package audit is the engine of `rootwatch audit`: live, read-only checks. It checks the AWS root
// user's posture and the health of the path that watches it (the trail, its CloudWatch Logs
// delivery). Each check yields a Result; WriteTable and WriteJSON print them, ExitCode turns them
// into the CLI's exit code.
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/rootwatch/rootwatch/internal/safetext"
)

// Status is a check's outcome.
type Status string

const (
	Pass  Status = "PASS"
	Fail  Status = "FAIL"
	Warn  Status = "WARN"
	Error Status = "ERROR" // the check could not run (Detail says why; for a denied call, the IAM action)
)

// Result is one check's outcome. CIS is the CIS AWS Foundations Benchmark v7.0 recommendation
// number, SecurityHub the Security Hub control id, Prowler the Prowler check id; each is empty
// where that checker has no counterpart.
type Result struct {
	ID          string `json:"id"`
	Status      Status `json:"status"`
	Title       string `json:"title"`
	Detail      string `json:"detail"`
	Remediation string `json:"remediation"`
	CIS         string `json:"cis,omitempty"`
	SecurityHub string `json:"securityHub,omitempty"`
	Prowler     string `json:"prowler,omitempty"`
	Account     string `json:"account,omitempty"` // the account checked, in an organization audit
}

// Exit codes of an audit.
const (
	ExitOK      = 0 // nothing failed (WARN allowed)
	ExitFail    = 1 // at least one check failed, and every check ran
	ExitUsage   = 2 // (the CLI's) usage error
	ExitErrored = 3 // at least one check could not run (ERROR); takes precedence over 1
)

// ExitCode is ExitErrored when any check could not run, else ExitFail when any failed, else ExitOK.
func ExitCode(rs []Result) int {
	code := ExitOK
	for _, r := range rs {
		switch r.Status {
		case Error:
			return ExitErrored
		case Fail:
			code = ExitFail
		}
	}
	return code
}

// Formats are the report formats WriteReport accepts.
var Formats = []string{"table", "json", "csv"}

// WriteReport writes rs in format ("table", "json" or "csv").
func WriteReport(w io.Writer, format string, rs []Result) error {
	switch format {
	case "table":
		return WriteTable(w, rs)
	case "json":
		return WriteJSON(w, rs)
	case "csv":
		return WriteCSV(w, rs)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// rank orders the table: what needs action first.
func rank(s Status) int {
	switch s {
	case Fail:
		return 0
	case Error:
		return 1
	case Warn:
		return 2
	}
	return 3
}

// WriteTable writes one row per check, failures first (then checks that could not run, warnings,
// passes; the checks' own order within each), each with its detail and, unless it passed, the
// fix; then a summary line.
func WriteTable(w io.Writer, rs []Result) error {
	sorted := append([]Result(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return rank(sorted[i].Status) < rank(sorted[j].Status) })
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tCHECK\tCONTROLS\tTITLE")
	for _, r := range sorted {
		id := r.ID
		if r.Account != "" {
			id = r.Account + "/" + id
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Status, safetext.Terminal(id), controls(r), safetext.Terminal(r.Title))
		fmt.Fprintf(tw, "\t\t\t  %s\n", safetext.Terminal(r.Detail))
		if r.Status != Pass && r.Remediation != "" {
			fmt.Fprintf(tw, "\t\t\t  fix: %s\n", safetext.Terminal(r.Remediation))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, Summary(rs))
	return err
}

// Summary is the report's last line: the count of each status.
func Summary(rs []Result) string {
	n := map[Status]int{}
	for _, r := range rs {
		n[r.Status]++
	}
	return fmt.Sprintf("%d checks: %d failed, %d could not run, %d warnings, %d passed",
		len(rs), n[Fail], n[Error], n[Warn], n[Pass])
}

func controls(r Result) string {
	var ids []string
	if r.CIS != "" {
		ids = append(ids, "CIS "+r.CIS)
	}
	if r.SecurityHub != "" {
		ids = append(ids, r.SecurityHub)
	}
	if r.Prowler != "" {
		ids = append(ids, r.Prowler)
	}
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}

// WriteJSON writes one JSON object per check, one per line, in the checks' order.
func WriteJSON(w io.Writer, rs []Result) error {
	enc := json.NewEncoder(w)
	for _, r := range rs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// CSVHeader is the csv format's header row: the JSON format's keys, in the same order.
var CSVHeader = []string{"id", "status", "title", "detail", "remediation", "cis", "securityHub", "prowler", "account"}

// WriteCSV writes a header row and one row per check, in the checks' order. Text from AWS is
// escaped as on a terminal and defused for spreadsheets (safetext).
func WriteCSV(w io.Writer, rs []Result) error {
	return safetext.WriteCSV(w, CSVHeader, rs, func(r Result) []string {
		return []string{
			r.ID,
			string(r.Status),
			r.Title,
			r.Detail,
			r.Remediation,
			r.CIS,
			r.SecurityHub,
			r.Prowler,
			r.Account,
		}
	})
}

// deniedAction finds the IAM action in AWS's access-denied message ("... is not authorized to
// perform: iam:GetAccountSummary on resource: ...").
var deniedAction = regexp.MustCompile(`not authorized to perform: ([A-Za-z0-9-]+:[A-Za-z0-9]+)`)

// accessDeniedCodes are the error codes AWS services answer a denied call with.
var accessDeniedCodes = map[string]bool{
	"AccessDenied": true, "AccessDeniedException": true, "UnauthorizedOperation": true,
	"UnauthorizedAccess": true, "AuthorizationError": true, "NotAuthorized": true,
}

// Errored is the result of a check whose AWS call (action, such as "iam:GetAccountSummary")
// failed. A denied call names the IAM action the caller lacks: the one in AWS's message, else
// action.
func Errored(base Result, action string, err error) Result {
	base.Status = Error
	denied := func(missing, code string) Result {
		base.Detail = fmt.Sprintf("could not run: access denied: the caller lacks %s (%s)", missing, code)
		base.Remediation = fmt.Sprintf("grant %s to the identity running the audit (docs/audit.md lists the "+
			"read-only policy)", missing)
		return base
	}
	var ae smithy.APIError
	if errors.As(err, &ae) && (accessDeniedCodes[ae.ErrorCode()] || deniedAction.MatchString(ae.ErrorMessage())) {
		missing := action
		if m := deniedAction.FindStringSubmatch(ae.ErrorMessage()); m != nil {
			missing = m[1]
		}
		return denied(missing, ae.ErrorCode())
	}
	// A 403 whose body the SDK could not read (no error code at all) is still a refusal: name the
	// action called. (A 403 with a code, such as a bad signature, was read above.)
	var re *smithyhttp.ResponseError
	if !errors.As(err, &ae) && errors.As(err, &re) && re.HTTPStatusCode() == http.StatusForbidden {
		return denied(action, "HTTP 403 without a readable error code")
	}
	base.Detail = fmt.Sprintf("could not run: %s failed: %v", action, err)
	base.Remediation = "check the credentials, region and endpoint, then run the audit again"
	return base
}
