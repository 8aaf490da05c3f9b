package scan

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rootwatch/rootwatch/internal/safetext"
)

// Formats lists the output formats WriteReport accepts.
var Formats = []string{"table", "json", "csv"}

// Totals is the closing line of a report.
type Totals struct {
	Since time.Time `json:"since"` // the window
	Until time.Time `json:"until"`
	// FirstEvent and LastEvent are the eventTimes of the first and last matching events.
	FirstEvent    time.Time `json:"first_event,omitzero"`
	LastEvent     time.Time `json:"last_event,omitzero"`
	Inputs        int64     `json:"inputs_scanned"`
	InputsSkipped int       `json:"inputs_skipped"`
	BytesRead     int64     `json:"bytes_read"`
	BytesDecoded  int64     `json:"bytes_decoded"`
	Records       int64     `json:"events_scanned"`
	Matches       int       `json:"matches"`
	OutsideWindow int64     `json:"matches_outside_window"`
	Undated       int64     `json:"matches_undated"`
	NotLogs       int64     `json:"files_skipped_not_cloudtrail_logs"`
	// Root sessions: sts:AssumeRoot events read, and root findings made with a session key that
	// one of them opened (linked) or that none did (unlinked: a root console sign-in session, or
	// a session opened in logs that were not scanned).
	RootSessions     int     `json:"assume_root_sessions"`
	SessionsLinked   int     `json:"root_session_findings_linked"`
	SessionsUnlinked int     `json:"root_session_findings_unlinked"`
	Interrupted      bool    `json:"interrupted"`
	Seconds          float64 `json:"seconds"`
}

func (r *Result) totals(w Window) Totals {
	first, last := r.eventSpan()
	return Totals{
		Since: w.Since, Until: w.Until, FirstEvent: first, LastEvent: last,
		Inputs: r.Inputs, InputsSkipped: len(r.Problems),
		BytesRead: r.BytesRead, BytesDecoded: r.BytesDecoded, Records: r.Records,
		Matches: len(r.Findings), OutsideWindow: r.OutsideWindow, Undated: r.Undated, NotLogs: r.NotLogs,
		RootSessions: r.RootSessions, SessionsLinked: r.SessionsLinked, SessionsUnlinked: r.SessionsUnlinked,
		Interrupted: r.Interrupted, Seconds: r.Elapsed.Seconds(),
	}
}

// WriteReport writes the findings and the summary in the given format:
//
//   - table: one line per finding, then a summary per control and the totals, for people.
//   - json:  one JSON object per line: {"type":"event",...} per finding, {"type":"skipped",...}
//     per input that was skipped or damaged, {"type":"summary",...} per control, then one
//     {"type":"totals",...}.
//   - csv:   a header and one row per finding on out; the summary table goes to summaryOut
//     (stderr in the CLI), so that out stays a clean CSV file.
func WriteReport(out, summaryOut io.Writer, format string, w Window, r *Result) error {
	switch format {
	case "table":
		if err := writeTable(out, r); err != nil {
			return err
		}
		fmt.Fprintln(out)
		return writeSummary(out, w, r)
	case "json":
		return writeJSON(out, w, r)
	case "csv":
		if err := writeCSV(out, r); err != nil {
			return err
		}
		return writeSummary(summaryOut, w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func outcome(f Finding) string {
	if f.ErrorCode != "" {
		return f.Outcome + " (" + f.ErrorCode + ")"
	}
	return f.Outcome
}

func writeTable(out io.Writer, r *Result) error {
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintln(out, "No matching events.")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tACCOUNT\tREGION\tCONTROL\tEVENT\tOUTCOME\tWHO\tSOURCE IP\tMFA\tCREDENTIAL\tACCESS "+
		"KEY\tUSER AGENT\tERROR MESSAGE\tREQUEST\tROOT SESSION\tEVENT HISTORY")
	for _, f := range r.Findings {
		cells := []string{
			orDash(f.EventTime),
			orDash(f.Account),
			orDash(f.Region),
			f.Control,
			orDash(f.EventName),
			outcome(f),
			orDash(f.Principal),
			orDash(f.SourceIP),
			orDash(f.MFA),
			orDash(f.Credential),
			orDash(f.AccessKeyID),
			truncate(orDash(f.UserAgent), 70),
			truncate(orDash(f.ErrorMessage), 70),
			orDash(f.RequestParameters),
			sessionCell(f),
			orDash(eventLink(f)),
		}
		for i := range cells {
			cells[i] = safetext.Terminal(cells[i])
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprint(out, credentialLegend)
	return err
}

// eventLink is the console link of a finding, or its event id when there is no link.
func eventLink(f Finding) string {
	if f.ConsoleURL != "" {
		return f.ConsoleURL
	}
	return f.EventID
}

// credentialLegend explains the CREDENTIAL and ROOT SESSION columns under the table.
const credentialLegend = `CREDENTIAL (from userIdentity.accessKeyId): long-term-access-key = an AKIA... key; for root the worst
  case, root should have none: delete it now. session = ASIA... temporary credentials; for root,
  either a root console sign-in session or an sts:AssumeRoot session. console-sign-in = the sign-in
  itself. none = the event names no key.
ROOT SESSION: for sts:AssumeRoot, the member account, task policy and session key it opened; for root
  calls made with a session key, the AssumeRoot event that opened it (matched by key id), or, when the
  scanned logs hold none, either a root console sign-in session or a session opened outside them.
`

// sessionCell describes a finding's root session for the table: the session an AssumeRoot event
// opened, or the AssumeRoot event that opened the session a root call was made in.
func sessionCell(f Finding) string {
	switch {
	case f.EventSource == "sts.amazonaws.com" && f.EventName == "AssumeRoot":
		return fmt.Sprintf("opens a root session on %s, task %s, key %s",
			orDash(f.TargetAccount), orDash(taskName(f.TaskPolicyARN)), orDash(f.SessionKeyID))
	case f.SessionOpenedBy != "" || f.SessionOpenedAt != "":
		return fmt.Sprintf("opened by %s (account %s) at %s, task %s, event %s",
			orDash(f.SessionOpenedBy), orDash(f.SessionOpenedByAccount), orDash(f.SessionOpenedAt),
			orDash(taskName(f.TaskPolicyARN)), orDash(f.SessionOpenedEventID))
	case f.IdentityType == "Root" && f.Credential == CredentialSession:
		return "no AssumeRoot in the scanned logs: console session or opened elsewhere"
	}
	return "-"
}

// taskName shortens a task policy ARN (arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy) to
// its name for the table; json and csv carry the whole ARN.
func taskName(arn string) string {
	if !strings.HasPrefix(arn, "arn:") {
		return arn
	}
	return arn[strings.LastIndex(arn, "/")+1:]
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// eventSpan is the eventTime of the first and the last matching event (zero without any).
func (r *Result) eventSpan() (first, last time.Time) {
	for _, c := range r.Controls {
		if !c.First.IsZero() && (first.IsZero() || c.First.Before(first)) {
			first = c.First
		}
		if c.Last.After(last) {
			last = c.Last
		}
	}
	return first, last
}

func writeSummary(out io.Writer, w Window, r *Result) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Summary, window %s to %s; ", fmtTime(w.Since), fmtTime(w.Until))
	if first, last := r.eventSpan(); first.IsZero() {
		fmt.Fprintln(tw, "no matching events:")
	} else {
		fmt.Fprintf(tw, "matching events from %s to %s:\n", fmtTime(first), fmtTime(last))
	}
	fmt.Fprintln(tw, "CONTROL\tMATCHES\tFAILED\tSIGN-INS WITHOUT MFA\tLONG-TERM KEY CALLS\tACCOUNTS\tFIRST\tLAST")
	for _, c := range r.Controls {
		accts := strings.Join(c.Accounts, ",")
		if len(c.Accounts) > 3 {
			accts = fmt.Sprintf("%s,… (%d)", strings.Join(c.Accounts[:3], ","), len(c.Accounts))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\t%s\t%s\n", c.ID, c.Matches, c.Failures, c.NoMFA, c.AccessKey,
			safetext.Terminal(orDash(accts)), fmtTime(c.First), fmtTime(c.Last))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	t := r.totals(w)
	fmt.Fprintf(out, "Scanned %d log files (%s stored, %s of JSON), %d events, in %.1fs.\n",
		t.Inputs, humanBytes(t.BytesRead), humanBytes(t.BytesDecoded), t.Records, t.Seconds)
	if t.NotLogs > 0 {
		fmt.Fprintf(out, "%d files skipped: not CloudTrail logs (digests, AWS Config files and other files beside "+
			"the logs; not damage).\n", t.NotLogs)
	}
	if t.OutsideWindow > 0 {
		fmt.Fprintf(out, "%d matching events had an eventTime outside the window and were left out.\n", t.OutsideWindow)
	}
	if t.Undated > 0 {
		fmt.Fprintf(out, "%d matching events have no valid eventTime; they are listed anyway.\n", t.Undated)
	}
	if n := rootKeyFindings(r.Findings); n > 0 {
		fmt.Fprintf(out, "WARNING: %d events were made with a long-term root access key (AKIA...), the worst case: "+
			"root should have none; delete it now.\n", n)
	}
	if t.SessionsLinked > 0 {
		fmt.Fprintf(out, "%d root events were made in sessions opened with sts:AssumeRoot in the scanned logs (ROOT "+
			"SESSION: who opened each, and when).\n", t.SessionsLinked)
	}
	if t.SessionsUnlinked > 0 {
		fmt.Fprintf(out, "%d root events were made with a session key (ASIA...) that no sts:AssumeRoot in the "+
			"scanned logs opened: either a root console sign-in session or a session opened outside the scanned logs "+
			"(scan the management account's logs too).\n", t.SessionsUnlinked)
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(out, "SKIPPED %d inputs that could not be read, or not to the end (events before the damage "+
			"were scanned):\n", len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(out, "  %s: %s\n", safetext.Terminal(p.Input), safetext.Terminal(p.Error))
		}
	}
	if r.Interrupted {
		fmt.Fprintln(out, "INTERRUPTED: the scan was stopped; these results are partial.")
	}
	return nil
}

// isRootKey reports whether a finding is root's own request made with a long-term access key.
func isRootKey(f Finding) bool {
	return f.IdentityType == "Root" && f.Credential == CredentialLongTermKey
}

func rootKeyFindings(fs []Finding) int {
	n := 0
	for _, f := range fs {
		if isRootKey(f) {
			n++
		}
	}
	return n
}

func humanBytes(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "kMGTPE"[exp])
}

func writeJSON(out io.Writer, w Window, r *Result) error {
	bw := bufio.NewWriterSize(out, 64<<10) // one write per 64 KiB, not one per line
	if err := encodeJSON(bw, w, r); err != nil {
		return err
	}
	return bw.Flush()
}

func encodeJSON(out io.Writer, w Window, r *Result) error {
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	for _, f := range r.Findings {
		if err := enc.Encode(struct {
			Type string `json:"type"`
			Finding
		}{"event", f}); err != nil {
			return err
		}
	}
	for _, p := range r.Problems {
		if err := enc.Encode(struct {
			Type string `json:"type"`
			Problem
		}{"skipped", p}); err != nil {
			return err
		}
	}
	for _, c := range r.Controls {
		if err := enc.Encode(struct {
			Type string `json:"type"`
			ControlSummary
		}{"summary", c}); err != nil {
			return err
		}
	}
	return enc.Encode(struct {
		Type string `json:"type"`
		Totals
	}{"totals", r.totals(w)})
}

// CSVHeader is the header row of the csv format.
var CSVHeader = []string{"time", "account", "region", "control", "event_name", "event_source", "outcome",
	"error_code", "error_message", "principal", "source_ip", "user_agent", "mfa_used", "identity_type", "identity_arn",
	"event_id", "console_url", "request_parameters", "input",
	"access_key_id", "credential", "target_account", "task_policy_arn", "session_access_key_id",
	"session_opened_by", "session_opened_by_account", "session_opened_at", "session_opened_event_id"}

func writeCSV(out io.Writer, r *Result) error {
	return safetext.WriteCSV(out, CSVHeader, r.Findings, func(f Finding) []string {
		return []string{f.EventTime, f.Account, f.Region, f.Control, f.EventName, f.EventSource, f.Outcome,
			f.ErrorCode, f.ErrorMessage, f.Principal, f.SourceIP, f.UserAgent, f.MFA, f.IdentityType, f.IdentityARN,
			f.EventID, f.ConsoleURL, f.RequestParameters, f.Input,
			f.AccessKeyID, f.Credential, f.TargetAccount, f.TaskPolicyARN, f.SessionKeyID,
			f.SessionOpenedBy, f.SessionOpenedByAccount, f.SessionOpenedAt, f.SessionOpenedEventID}
	})
}
