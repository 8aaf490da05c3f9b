//go:build integration

package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/rootwatch/rootwatch/internal/testkit/mototest"
)

// TestAuditCLIOrganization runs "rootwatch audit --organization" against moto: outside an
// organization it cannot start (exit 3, saying so); in an organization
// with no member yet it audits the management account with its own credentials, each result
// naming the account, with progress on stderr only on a terminal. (Members need sts:AssumeRoot,
// which moto lacks: cmd/rootwatch/internal/audit's TestRunOrganization covers them.)
func TestAuditCLIOrganization(t *testing.T) {
	url := mototest.Start(t)
	s3Env(t)
	var out, errb bytes.Buffer
	if code := run(
		context.Background(), []string{"audit", "--organization", "--endpoint-url", url}, &out, &errb, false,
	); code != 3 {
		t.Fatalf("no organization: exit %d, want 3; stderr: %s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "not in an organization") || out.Len() != 0 {
		t.Errorf("no organization: stderr %q, stdout %q", errb.String(), out.String())
	}

	org := organizations.New(organizations.Options{Region: "us-east-1", BaseEndpoint: aws.String(url),
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")})
	if _, err := org.CreateOrganization(
		context.Background(), &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll},
	); err != nil {
		t.Fatal(err)
	}
	for _, tty := range []bool{false, true} {
		out.Reset()
		errb.Reset()
		code := run(
			context.Background(),
			[]string{"audit", "--organization", "--endpoint-url", url, "--format", "json"},
			&out,
			&errb,
			tty,
		)
		// moto lacks iam:ListOrganizationsFeatures, so root-centralized-access could not run:
		// exit 3 (cmd/rootwatch/internal/audit's tests fake that call)
		if code != 3 {
			t.Fatalf("exit %d, want 3; stderr: %s\n%s", code, errb.String(), out.String())
		}
		ids := map[string]bool{}
		for _, m := range jsonLines(t, out.String()) {
			if m["account"] != "123456789012" {
				t.Errorf("result without the management account: %v", m)
			}
			id := m["id"].(string)
			ids[id] = true
			if want := map[string]string{"root-mfa": "FAIL", "root-access-keys": "PASS", "root-centralized-access": "ERROR"}[id]; want != "" && m["status"] != want {
				t.Errorf("%s: %v, want %s (%v)", id, m["status"], want, m["detail"])
			}
		}
		for _, id := range []string{"root-mfa", "root-recent-use", "root-centralized-access"} {
			if !ids[id] {
				t.Errorf("%s missing from %v", id, ids)
			}
		}
		if ids["trail-exists"] {
			t.Error("--organization ran the trail checks")
		}
		if got := errb.String(); tty != strings.Contains(got, "audited 1/1 accounts") {
			t.Errorf("tty=%v: stderr %q", tty, got)
		}
	}
}
