//go:build integration

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/athenascan"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// TestScanAthenaOnMoto runs `rootwatch scan --athena` against moto_server's Athena: the workgroup
// and a rootwatch named query as the stack creates them (the scan finds the database from it),
// and the query's results seeded with the rows of two corpus records (moto runs no SQL): a root
// console sign-in without MFA, found and reported as a scan of the log files reports it, and an
// sts:AssumeRoot call. The query's bytes scanned and cost are reported.
func TestScanAthenaOnMoto(t *testing.T) {
	srv := startMoto(t)
	s3Env(t)
	ctx := context.Background()
	if _, err := srv.cl.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("results")}); err != nil {
		t.Fatal(err)
	}
	ath := awsathena.New(
		awsathena.Options{
			Region:       "us-east-1",
			BaseEndpoint: aws.String(srv.URL),
			Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		},
	)
	if _, err := ath.CreateWorkGroup(ctx, &awsathena.CreateWorkGroupInput{
		Name:          aws.String("rootwatch-dev"),
		Configuration: &types.WorkGroupConfiguration{ResultConfiguration: &types.ResultConfiguration{OutputLocation: aws.String("s3://results/")}},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ath.CreateNamedQuery(ctx, &awsathena.CreateNamedQueryInput{
		Name: aws.String("rootwatch: root-usage"), Database: aws.String("rootwatch_dev"),
		WorkGroup: aws.String("rootwatch-dev"), QueryString: aws.String("SELECT 1"),
	}); err != nil {
		t.Fatal(err)
	}
	type datum struct {
		VarCharValue *string `json:",omitempty"`
	}
	type row struct{ Data []datum }
	rows := []row{{}}
	for _, n := range athenascan.ColumnNames() {
		rows[0].Data = append(rows[0].Data, datum{aws.String(n)})
	}
	for _, file := range []string{"curated/root_consolelogin_success_mfa_no__awsdocs.json", "awsdocs/iam__assumeroot-privileged-session-opened.json"} {
		data, err := corpus.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := json.Compact(&b, data); err != nil {
			t.Fatal(err)
		}
		vals, err := athenascan.RowOf(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var r row
		for _, v := range vals {
			r.Data = append(r.Data, datum{v})
		}
		rows = append(rows, r)
	}
	body, _ := json.Marshal(map[string]any{"results": []any{map[string]any{"rows": rows}}})
	resp, err := http.Post(srv.URL+"/moto-api/static/athena/query-results", "application/json", bytes.NewReader(body))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("seeding moto's results: %v %v", err, resp)
	}
	resp.Body.Close()

	code, out, errOut := runCLI(
		t,
		"scan",
		"--athena",
		"rootwatch-dev",
		"--endpoint-url",
		srv.URL,
		"--since",
		"2020-01-01",
		"--format",
		"json",
	)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, out, errOut)
	}
	if !strings.Contains(out, `"control":"root-usage"`) || !strings.Contains(out, `"event_name":"ConsoleLogin"`) ||
		!strings.Contains(out, `"mfa_used":"No"`) ||
		!strings.Contains(out, `"input":"athena://rootwatch-dev/`) {
		t.Errorf("report:\n%s", out)
	}
	if !strings.Contains(errOut, "Athena query ") || !strings.Contains(errOut, "workgroup rootwatch-dev: 2 rows") ||
		!strings.Contains(errOut, "USD per TB scanned") {
		t.Errorf("stderr:\n%s", errOut)
	}

	code, _, errOut = runCLI(t, "scan", "--athena", "no-such-workgroup", "--endpoint-url", srv.URL)
	if code != exitUsage || !strings.Contains(errOut, "no-such-workgroup") {
		t.Errorf("unknown workgroup: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "scan", "--athena", "rootwatch-dev", "some/path")
	if code != exitUsage || !strings.Contains(errOut, "give no paths with it") {
		t.Errorf("paths with --athena: exit %d, %s", code, errOut)
	}
}
