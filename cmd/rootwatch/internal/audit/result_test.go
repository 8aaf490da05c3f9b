package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestExitCode(t *testing.T) {
	for _, c := range []struct {
		name string
		sts  []Status
		want int
	}{
		{"all pass", []Status{Pass, Pass}, ExitOK},
		{"warnings only", []Status{Pass, Warn}, ExitOK},
		{"a failure", []Status{Pass, Fail, Warn}, ExitFail},
		{"an error wins over a failure", []Status{Fail, Error}, ExitErrored},
		{"nothing", nil, ExitOK},
	} {
		t.Run(c.name, func(t *testing.T) {
			var rs []Result
			for _, s := range c.sts {
				rs = append(rs, Result{Status: s})
			}
			if got := ExitCode(rs); got != c.want {
				t.Errorf("ExitCode = %d, want %d", got, c.want)
			}
		})
	}
}

var sample = []Result{
	{ID: "a-pass", Status: Pass, Title: "A passes", Detail: "fine", Remediation: "never shown"},
	{ID: "b-warn", Status: Warn, Title: "B warns", Detail: "hmm", Remediation: "look"},
	{
		ID:          "c-fail",
		Status:      Fail,
		Title:       "C fails",
		Detail:      "bad\x1b[31m",
		Remediation: "fix c",
		CIS:         "2.3",
		SecurityHub: "IAM.4",
		Prowler:     "iam_no_root_access_key",
	},
	{ID: "d-error", Status: Error, Title: "D errs", Detail: "denied", Remediation: "grant"},
}

func TestWriteTableFailuresFirstAndSummary(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReport(&b, "table", sample); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	order := []string{"c-fail", "d-error", "b-warn", "a-pass"}
	last := -1
	for _, id := range order {
		i := strings.Index(out, id)
		if i < last {
			t.Errorf("%s out of order (failures, errors, warnings, passes):\n%s", id, out)
		}
		last = i
	}
	if !strings.Contains(out, "CIS 2.3, IAM.4, iam_no_root_access_key") {
		t.Errorf("control ids missing:\n%s", out)
	}
	if strings.Contains(out, "never shown") {
		t.Errorf("a passing check's fix is printed:\n%s", out)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
	want := "4 checks: 1 failed, 1 could not run, 1 warnings, 1 passed\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("last line: want %q in\n%s", want, out)
	}
}

func TestWriteJSONOneObjectPerCheck(t *testing.T) {
	var b bytes.Buffer
	if err := WriteReport(&b, "json", sample); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != len(sample) {
		t.Fatalf("%d lines, want %d", len(lines), len(sample))
	}
	for i, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"id", "status", "title", "detail", "remediation"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %d lacks %q: %s", i, k, l)
			}
		}
		if m["id"] != sample[i].ID {
			t.Errorf("line %d is %v, want %s (the checks' order)", i, m["id"], sample[i].ID)
		}
	}
}

// TestWriteCSVSameColumnsAsJSON: the csv header is the JSON format's keys in the struct's order,
// every row parses back to its check, and text from AWS cannot run as a spreadsheet formula.
func TestWriteCSVSameColumnsAsJSON(t *testing.T) {
	var keys []string
	rt := reflect.TypeOf(Result{})
	for i := 0; i < rt.NumField(); i++ {
		keys = append(keys, strings.Split(rt.Field(i).Tag.Get("json"), ",")[0])
	}
	if !slices.Equal(keys, CSVHeader) {
		t.Errorf("CSV header %v, JSON keys %v", CSVHeader, keys)
	}
	rs := append(
		append([]Result(nil), sample...),
		Result{ID: "x", Status: Fail, Title: "t", Detail: "=cmd|' /C calc'!A0 \x1b", Remediation: "-"},
	)
	var b bytes.Buffer
	if err := WriteReport(&b, "csv", rs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(rs)+1 {
		t.Fatalf("%d rows, want a header and %d", len(rows), len(rs))
	}
	for i, r := range rs {
		if rows[i+1][0] != r.ID || rows[i+1][1] != string(r.Status) {
			t.Errorf("row %d is %v, want %s %s (the checks' order)", i+1, rows[i+1][:2], r.ID, r.Status)
		}
	}
	last := rows[len(rows)-1]
	if !strings.HasPrefix(last[3], "'=") || last[4] != "'-" {
		t.Errorf("formula-like cells not defused: %q %q", last[3], last[4])
	}
}

func TestErroredNamesTheMissingAction(t *testing.T) {
	base := Result{ID: "x"}
	denied := &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::123456789012:user/ci is not " +
		"authorized to perform: iam:GetAccountSummary on resource: *"}
	r := Errored(base, "iam:ListVirtualMFADevices", denied)
	if r.Status != Error || !strings.Contains(r.Detail, "iam:GetAccountSummary") ||
		!strings.Contains(r.Remediation, "iam:GetAccountSummary") {
		t.Errorf("the action in AWS's message is not named: %+v", r)
	}
	r = Errored(
		base,
		"cloudtrail:GetTrailStatus",
		&smithy.GenericAPIError{Code: "AccessDeniedException", Message: "denied"},
	)
	if !strings.Contains(r.Detail, "cloudtrail:GetTrailStatus") {
		t.Errorf("without an action in the message, the called action is not named: %+v", r)
	}
	r = Errored(base, "iam:GetAccountSummary", errors.New("dial tcp: connection refused"))
	if r.Status != Error || !strings.Contains(r.Detail, "connection refused") ||
		strings.Contains(r.Detail, "access denied") {
		t.Errorf("a network error: %+v", r)
	}
}
