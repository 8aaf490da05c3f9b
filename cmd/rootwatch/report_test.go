package main

import (
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ticketTrail writes one log file of root activity (Panther's compromised-root scenario, attacker
// and victim halves), delivered an hour ago; the aws-cli CreateAccessKey call is derived to be
// signed with a long-term access key (the AWS docs' example id) and to carry a formula-like user
// agent. It returns the directory and the events as written.
func ticketTrail(t *testing.T) (string, []map[string]any) {
	t.Helper()
	var evs []map[string]any
	evs = append(evs, events(t, "panther_scenarios/compromised-root-creds__attacker_cloudtrail.json")...)
	evs = append(evs, events(t, "panther_scenarios/compromised-root-creds__victim_cloudtrail.json")...)
	evs = at(evs, time.Now().UTC().Add(-2*time.Hour))
	for _, e := range evs {
		if e["eventName"] == "CreateAccessKey" && strings.HasPrefix(e["userAgent"].(string), "aws-cli") {
			e["userIdentity"].(map[string]any)["accessKeyId"] = "AKIAIOSFODNN7EXAMPLE" // derived
			e["userAgent"] = "=HYPERLINK(\"http://example.com\")"                      // derived
		}
	}
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.json.gz"), logGz(t, evs))
	return dir, evs
}

// rootEvents returns the events the root-usage control matches (see countRoot).
func rootEvents(evs []map[string]any) []map[string]any {
	var out []map[string]any
	for _, e := range evs {
		if countRoot([]map[string]any{e}) == 1 {
			out = append(out, e)
		}
	}
	return out
}

func field(e map[string]any, path ...string) string {
	var v any = e
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// TestTicketFieldsEveryFormat: each finding carries who acted, the error message, the event id
// and its console link, and the request parameters, in table, json and csv alike.
func TestTicketFieldsEveryFormat(t *testing.T) {
	dir, evs := ticketTrail(t)
	var stop map[string]any
	for _, e := range evs {
		if e["eventName"] == "StopLogging" {
			stop = e
		}
	}
	link := "https://console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/" + field(stop, "eventID")
	wants := map[string]string{
		"principal":     field(stop, "userIdentity", "arn"),
		"error_code":    field(stop, "errorCode"),
		"error_message": field(stop, "errorMessage"),
		"event_id":      field(stop, "eventID"),
		"console_url":   link,
	}
	if wants["error_message"] == "" || wants["principal"] == "" || wants["event_id"] == "" {
		t.Fatalf("the fixture's StopLogging lacks a field: %v", wants)
	}

	_, out, _ := runCLI(t, "scan", dir, "--format", "json")
	found := false
	for _, m := range jsonLines(t, out) {
		if m["type"] != "event" || m["event_name"] != "StopLogging" {
			continue
		}
		found = true
		for k, v := range wants {
			if m[k] != v {
				t.Errorf("json %s = %v, want %q", k, m[k], v)
			}
		}
		if rp, _ := m["request_parameters"].(string); !strings.HasPrefix(rp, "{") {
			t.Errorf("json request_parameters = %q", rp)
		}
	}
	if !found {
		t.Fatalf("no StopLogging event in the json output:\n%s", out)
	}

	_, out, _ = runCLI(t, "scan", dir)
	for _, want := range []string{"WHO", "ERROR MESSAGE", "REQUEST", "EVENT HISTORY", wants["principal"], wants["error_message"], link, `{"name":"`} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}

	_, out, _ = runCLI(t, "scan", dir, "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	found = false
	for _, r := range rows[1:] {
		for i, cell := range r {
			if cell == "-" || cell == "'-" {
				t.Errorf("csv %s: placeholder %q for an empty value", rows[0][i], cell)
			}
		}
		if r[col["user_agent"]] != "" && strings.HasPrefix(r[col["user_agent"]], "=") {
			t.Errorf("csv: formula not defused: %q", r[col["user_agent"]])
		}
		if r[col["event_name"]] != "StopLogging" {
			continue
		}
		found = true
		for k, v := range wants {
			if i, ok := col[k]; !ok || r[i] != v {
				t.Errorf("csv %s = %q, want %q", k, r[col[k]], v)
			}
		}
		if !strings.HasPrefix(r[col["request_parameters"]], "{") {
			t.Errorf("csv request_parameters = %q", r[col["request_parameters"]])
		}
	}
	if !found {
		t.Fatalf("no StopLogging row:\n%s", out)
	}
	if !strings.Contains(out, `'=HYPERLINK`) {
		t.Errorf("csv: the formula-like user agent is not prefixed with ':\n%s", out)
	}
}

// TestSummaryIsTrue: "without MFA" counts successful console sign-ins without MFA only; calls
// made with a long-term access key have their own count; the summary gives the first and last
// matching events and labels the scan window as such.
func TestSummaryIsTrue(t *testing.T) {
	dir, evs := ticketTrail(t)
	root := rootEvents(evs)
	var noMFA, akia int
	for _, e := range root {
		if e["eventName"] == "ConsoleLogin" && field(e, "responseElements", "ConsoleLogin") == "Success" &&
			field(e, "additionalEventData", "MFAUsed") == "No" {
			noMFA++
		}
		if strings.HasPrefix(field(e, "userIdentity", "accessKeyId"), "AKIA") {
			akia++
		}
	}
	if noMFA == 0 || akia != 1 || noMFA == countNoMFAAnyOutcome(root) {
		t.Fatalf(
			"fixture: %d sign-ins without MFA, %d AKIA calls; it must also hold failed sign-ins without MFA",
			noMFA,
			akia,
		)
	}
	first, last := field(root[0], "eventTime"), field(root[len(root)-1], "eventTime")

	_, out, _ := runCLI(t, "scan", dir, "--format", "json", "--controls", "root-usage", "--since", "1y")
	ms := jsonLines(t, out)
	var summary, totals map[string]any
	for _, m := range ms {
		switch m["type"] {
		case "summary":
			summary = m
		case "totals":
			totals = m
		}
	}
	if summary["sign_ins_without_mfa"] != float64(noMFA) || summary["long_term_access_key_calls"] != float64(akia) ||
		summary["matches"] != float64(len(root)) {
		t.Errorf(
			"summary %v; want %d sign-ins without MFA, %d long-term key calls, %d matches",
			summary,
			noMFA,
			akia,
			len(root),
		)
	}
	if totals["first_event"] != first || totals["last_event"] != last {
		t.Errorf("totals first/last event %v %v, want %s %s", totals["first_event"], totals["last_event"], first, last)
	}

	_, out, _ = runCLI(t, "scan", dir, "--controls", "root-usage", "--since", "2025-01-01")
	if !strings.Contains(out, "Summary, window 2025-01-01T00:00:00Z to ") ||
		!strings.Contains(out, "; matching events from "+first+" to "+last+":") {
		t.Errorf("summary header:\n%s", out)
	}
	if !strings.Contains(out, "SIGN-INS WITHOUT MFA") || !strings.Contains(out, "LONG-TERM KEY CALLS") {
		t.Errorf("summary columns:\n%s", out)
	}
	if !strings.Contains(out, "WARNING: 1 events were made with a long-term root access key") {
		t.Errorf("no root access key warning:\n%s", out)
	}
}

func countNoMFAAnyOutcome(evs []map[string]any) int {
	n := 0
	for _, e := range evs {
		if e["eventName"] == "ConsoleLogin" && field(e, "additionalEventData", "MFAUsed") == "No" {
			n++
		}
	}
	return n
}
