// Package audit checks, live and read-only, the AWS root user's posture and the health of the
// path that watches it (the trail, its CloudWatch Logs delivery). Each check yields a Result;
// WriteTable and WriteJSON print them, ExitCode turns them into the CLI's exit code.
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/aws/smithy-go"
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
var Formats = []string{"table", "json"}

// WriteReport writes rs in format ("table" or "json").
func WriteReport(w io.Writer, format string, rs []Result) error {
	switch format {
	case "table":
		return WriteTable(w, rs)
	case "json":
		return WriteJSON(w, rs)
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Status, clean(id), controls(r), clean(r.Title))
		fmt.Fprintf(tw, "\t\t\t  %s\n", clean(r.Detail))
		if r.Status != Pass && r.Remediation != "" {
			fmt.Fprintf(tw, "\t\t\t  fix: %s\n", clean(r.Remediation))
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

// clean makes text that came from AWS (error messages, names) safe to print on a terminal:
// control characters are shown escaped. (The same rule as the scan report's.)
func clean(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) < 0 {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
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
	var ae smithy.APIError
	if errors.As(err, &ae) && (accessDeniedCodes[ae.ErrorCode()] || deniedAction.MatchString(ae.ErrorMessage())) {
		missing := action
		if m := deniedAction.FindStringSubmatch(ae.ErrorMessage()); m != nil {
			missing = m[1]
		}
		base.Detail = fmt.Sprintf("could not run: access denied: the caller lacks %s (%s)", missing, ae.ErrorCode())
		base.Remediation = fmt.Sprintf("grant %s to the identity running the audit (docs/audit.md lists the read-only policy)", missing)
		return base
	}
	base.Detail = fmt.Sprintf("could not run: %s failed: %v", action, err)
	base.Remediation = "check the credentials, region and endpoint, then run the audit again"
	return base
}
