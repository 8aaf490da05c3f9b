package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/audit"
	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

func TestAuditUsage(t *testing.T) {
	notOurs := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(notOurs, []byte(`{"bucketName": "b"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name     string
		args     []string
		code     int
		onStdout string
		onStderr string
	}{
		{"help on stdout", []string{"audit", "-h"}, exitOK, "Usage: rootwatch audit", ""},
		{"bad format", []string{"audit", "--format", "xml"}, exitUsage, "", `--format "xml"`},
		{"outputs file missing", []string{"audit", "--outputs", "no/such/file.json"}, exitUsage, "", "--outputs no/such/file.json: open no/such/file.json"},
		{"outputs not JSON", []string{"audit", "--outputs", "testdata/plan/dev.golden"}, exitUsage, "", "not the JSON object `pulumi stack output --json` prints"},
		{"outputs not rootwatch's", []string{"audit", "--outputs", "go.mod.json"}, exitUsage, "", "no trailName"},
		{"stray argument", []string{"audit", "extra"}, exitUsage, "", `unexpected argument "extra"`},
		{"unknown flag", []string{"audit", "--nope"}, exitUsage, "", "flag provided but not defined"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for i, a := range c.args {
				if a == "go.mod.json" {
					c.args[i] = notOurs
				}
			}
			var out, errb bytes.Buffer
			code := run(context.Background(), c.args, &out, &errb, false)
			if code != c.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, c.code, errb.String())
			}
			if c.onStdout != "" && !strings.Contains(out.String(), c.onStdout) {
				t.Errorf("stdout lacks %q:\n%s", c.onStdout, out.String())
			}
			if c.onStderr != "" && !strings.Contains(errb.String(), c.onStderr) {
				t.Errorf("stderr lacks %q:\n%s", c.onStderr, errb.String())
			}
		})
	}
	var out bytes.Buffer
	run(context.Background(), []string{"help"}, &out, &out, false)
	if !strings.Contains(out.String(), "rootwatch audit") {
		t.Errorf("the usage does not list audit:\n%s", out.String())
	}
}

// TestAuditCLIEmptyAccount runs "rootwatch audit" against moto_server's empty account, as a user
// would with --endpoint-url: root MFA and every trail check fail, so the exit code is 1.
func TestAuditCLIEmptyAccount(t *testing.T) {
	url := mototest.Start(t) // before s3Env: moto_server started with s3Env's variables answers CloudTrail calls with 500
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
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "37 checks: 31 failed, 0 could not run, 3 warnings, 3 passed") {
		t.Errorf("summary line: %q", last)
	}
}

// reachChecks are the checks whose topics and rules come from the stack's outputs.
var reachChecks = map[string]bool{audit.CheckAlertSubscriptions: true, audit.CheckAlertEncryption: true, audit.CheckAlertPolicy: true,
	audit.CheckRootActivityRules: true, audit.CheckHealthTopic: true, audit.CheckHeartbeat: true}

// TestAuditCLICouldNotRun points the audit at a closed port: no check can run, exit 3, and each
// check says why.
func TestAuditCLICouldNotRun(t *testing.T) {
	s3Env(t)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"audit", "--endpoint-url", url, "--format", "json"}, &out, &errb, false)
	if code != 3 {
		t.Fatalf("exit %d, want 3\n%s", code, out.String())
	}
	for _, m := range jsonLines(t, out.String()) {
		if reachChecks[m["id"].(string)] {
			continue // without stack outputs naming a topic or rule, they have nothing to call
		}
		if m["status"] != "ERROR" || !strings.Contains(m["detail"].(string), "could not run") {
			t.Errorf("%v: %v %v", m["id"], m["status"], m["detail"])
		}
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
	code := run(context.Background(), []string{"audit", "--endpoint-url", url, "--outputs", "-", "--format", "csv", "--send-test-alert"}, &out, &errb, false)
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
	if last := rows[len(rows)-1]; last[0] != "test-alert" || last[1] != "FAIL" || !strings.Contains(last[3], `no metric alarm named "rootwatch-dev-RootAccountUsage"`) {
		t.Errorf("last row %q: want the test alert's FAIL naming the outputs' alarm", last)
	}
}
