package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/audit"
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

// reachChecks are the checks whose topics and rules come from the stack's outputs.
var reachChecks = map[string]bool{
	audit.CheckAlertSubscriptions: true,
	audit.CheckAlertEncryption:    true,
	audit.CheckAlertPolicy:        true,
	audit.CheckRootActivityRules:  true,
	audit.CheckHealthTopic:        true,
	audit.CheckHeartbeat:          true,
}

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
