//go:build integration

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// TestAuditCLIEmptyAccount runs "rootwatch audit" against moto_server's empty account, as a user
// would with --endpoint-url: root MFA and every trail check fail, so the exit code is 1.
func TestAuditCLIEmptyAccount(t *testing.T) {
	url := mototest.Start(
		t,
	) // before s3Env: moto_server started with s3Env's variables answers CloudTrail calls with 500
	s3Env(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"audit", "--endpoint-url", url, "--format", "json"}, &out, &errb, false)
	if code != exitMatch {
		t.Fatalf("exit %d, want 1; stderr: %s\n%s", code, errb.String(), out.String())
	}
	byID := map[string]map[string]any{}
	for _, m := range jsonLines(t, out.String()) {
		byID[m["id"].(string)] = m
	}
	// moto's credential report has no root row (root-recent-use warns, not checked); moto's
	// account is in no organization (root-centralized-access passes as not applicable)
	for id, want := range map[string]string{"root-access-keys": "PASS", "root-mfa": "FAIL", "trail-exists": "FAIL", "trail-logging": "FAIL",
		"root-recent-use": "WARN", "root-centralized-access": "PASS"} {
		if got := byID[id]["status"]; got != want {
			t.Errorf("%s: %v, want %s (%v)", id, got, want, byID[id]["detail"])
		}
	}

	out.Reset()
	run(context.Background(), []string{"audit", "--endpoint-url", url}, &out, &errb, false)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.HasPrefix(lines[1], "FAIL") {
		t.Errorf("the table does not start with the failures:\n%s", out.String())
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "37 checks: 31 failed, 0 could not run, 3 "+
		"warnings, 3 passed") {
		t.Errorf("summary line: %q", last)
	}
}

// TestAuditCLIReadsOutputsFromStdin: "--outputs -" reads `pulumi stack output --json` from
// standard input, and the audit judges the trail it names (moto's empty account has none), and
// --send-test-alert the root-usage alarm it names.
func TestAuditCLIReadsOutputsFromStdin(t *testing.T) {
	url := mototest.Start(t)
	s3Env(t)
	old := stdin
	defer func() { stdin = old }()
	stdin = strings.NewReader(`{"trailName": "rootwatch-dev", "logGroupName": "/aws/cloudtrail/rootwatch-dev", "alarmNames": {"root-usage": "rootwatch-dev-RootAccountUsage"}}`)
	var out, errb bytes.Buffer
	code := run(
		context.Background(),
		[]string{"audit", "--endpoint-url", url, "--outputs", "-", "--format", "csv", "--send-test-alert"},
		&out,
		&errb,
		false,
	)
	if code != exitMatch {
		t.Fatalf("exit %d, want 1; stderr: %s\n%s", code, errb.String(), out.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if r[0] == "trail-exists" {
			found = true
			if r[1] != "FAIL" || !strings.Contains(r[3], `no trail named "rootwatch-dev"`) {
				t.Errorf("trail-exists row %q: want a FAIL naming the outputs' trail", r)
			}
		}
	}
	if !found || rows[0][0] != "id" {
		t.Errorf("csv report without a header or trail-exists:\n%s", out.String())
	}
	// --send-test-alert looks for the outputs' root-usage alarm: moto's account has none
	if last := rows[len(rows)-1]; last[0] != "test-alert" || last[1] != "FAIL" ||
		!strings.Contains(last[3], `no metric alarm named "rootwatch-dev-RootAccountUsage"`) {
		t.Errorf("last row %q: want the test alert's FAIL naming the outputs' alarm", last)
	}
}
