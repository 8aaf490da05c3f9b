package athenascan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corpusdata "github.com/rootwatch/rootwatch/internal/testkit/corpus"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/scan"
)

// fake is an Athena API with a workgroup, named queries and one query whose results it serves in
// pages after reporting it queued and running.
type fake struct {
	mu       sync.Mutex
	queries  []string // query strings started
	states   []types.QueryExecutionState
	pages    [][]types.Row
	scanned  int64
	stopped  bool
	named    map[string]types.NamedQuery
	failWith string
}

func (f *fake) GetWorkGroup(
	_ context.Context,
	in *awsathena.GetWorkGroupInput,
	_ ...func(*awsathena.Options),
) (*awsathena.GetWorkGroupOutput, error) {
	if aws.ToString(in.WorkGroup) != "rootwatch-dev" {
		return nil, fmt.Errorf("InvalidRequestException: WorkGroup %s is not found", aws.ToString(in.WorkGroup))
	}
	return &awsathena.GetWorkGroupOutput{}, nil
}

func (f *fake) ListNamedQueries(
	context.Context,
	*awsathena.ListNamedQueriesInput,
	...func(*awsathena.Options),
) (*awsathena.ListNamedQueriesOutput, error) {
	var ids []string
	for id := range f.named {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return &awsathena.ListNamedQueriesOutput{NamedQueryIds: ids}, nil
}

func (f *fake) GetNamedQuery(
	_ context.Context,
	in *awsathena.GetNamedQueryInput,
	_ ...func(*awsathena.Options),
) (*awsathena.GetNamedQueryOutput, error) {
	q := f.named[aws.ToString(in.NamedQueryId)]
	return &awsathena.GetNamedQueryOutput{NamedQuery: &q}, nil
}

func (f *fake) StartQueryExecution(
	_ context.Context,
	in *awsathena.StartQueryExecutionInput,
	_ ...func(*awsathena.Options),
) (*awsathena.StartQueryExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.queries = append(f.queries, aws.ToString(in.QueryString))
	return &awsathena.StartQueryExecutionOutput{QueryExecutionId: aws.String("q-1")}, nil
}

func (f *fake) GetQueryExecution(
	context.Context,
	*awsathena.GetQueryExecutionInput,
	...func(*awsathena.Options),
) (*awsathena.GetQueryExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.states[0]
	if len(f.states) > 1 {
		f.states = f.states[1:]
	}
	return &awsathena.GetQueryExecutionOutput{QueryExecution: &types.QueryExecution{
		Status:     &types.QueryExecutionStatus{State: st, StateChangeReason: aws.String(f.failWith)},
		Statistics: &types.QueryExecutionStatistics{DataScannedInBytes: aws.Int64(f.scanned)},
	}}, nil
}

func (f *fake) GetQueryResults(
	_ context.Context,
	in *awsathena.GetQueryResultsInput,
	_ ...func(*awsathena.Options),
) (*awsathena.GetQueryResultsOutput, error) {
	i := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &i)
	}
	out := &awsathena.GetQueryResultsOutput{ResultSet: &types.ResultSet{Rows: f.pages[i]}}
	if i+1 < len(f.pages) {
		out.NextToken = aws.String(fmt.Sprint(i + 1))
	}
	return out, nil
}

func (f *fake) StopQueryExecution(
	context.Context,
	*awsathena.StopQueryExecutionInput,
	...func(*awsathena.Options),
) (*awsathena.StopQueryExecutionOutput, error) {
	f.mu.Lock()
	f.stopped = true
	f.mu.Unlock()
	return &awsathena.StopQueryExecutionOutput{}, nil
}

// corpus reads the curated and Stratus records of the project's CloudTrail corpus.
func corpus(t *testing.T) [][]byte {
	t.Helper()
	var out [][]byte
	for _, dir := range []string{"curated", "stratus"} {
		recs, err := corpusdata.Folder(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			out = append(out, r.Msg)
		}
	}
	return out
}

func rowOf(t *testing.T, rec []byte) types.Row {
	t.Helper()
	vals, err := RowOf(rec)
	if err != nil {
		t.Fatal(err)
	}
	var row types.Row
	for _, v := range vals {
		row.Data = append(row.Data, types.Datum{VarCharValue: v})
	}
	return row
}

func header() types.Row {
	var row types.Row
	for _, n := range ColumnNames() {
		row.Data = append(row.Data, types.Datum{VarCharValue: aws.String(n)})
	}
	return row
}

var window = scan.Window{
	Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC),
	Until: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC),
}

func run(t *testing.T, src scan.Source, controls []catalog.Control) *scan.Result {
	t.Helper()
	rules, err := scan.Compile(controls)
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return scan.Run(context.Background(), []scan.Source{src}, scan.Options{Window: window, Rules: rules}, nil)
}

func findings(r *scan.Result) []string {
	var out []string
	for _, f := range r.Findings {
		f.Input = ""
		b, _ := json.Marshal(f)
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

// TestSameReportAsLogFiles: the records Athena returns for every control (as the SQL selects
// them: the records filterpattern matches, and sts:AssumeRoot), rebuilt from their columns and
// scanned, give exactly the findings a scan of the log files gives, sessions linked alike; the
// query runs on the window's days, its status is polled until it succeeds, every page is read.
func TestSameReportAsLogFiles(t *testing.T) {
	controls := catalog.All()
	recs := corpus(t)
	dir := t.TempDir()
	var all bytes.Buffer
	all.WriteString(`{"Records":[`)
	rules, _ := scan.Compile(controls)
	f := &fake{
		states: []types.QueryExecutionState{
			types.QueryExecutionStateQueued,
			types.QueryExecutionStateRunning,
			types.QueryExecutionStateSucceeded,
		},
		scanned: 123_456_789,
		named: map[string]types.NamedQuery{
			"a": {Name: aws.String("someone else's"), Database: aws.String("other")},
			"b": {Name: aws.String("rootwatch: root-usage"), Database: aws.String("rootwatch_dev")},
		},
	}
	page := []types.Row{header()}
	for i, r := range recs {
		if i > 0 {
			all.WriteByte(',')
		}
		all.Write(r)
		selected := isAssumeRoot(r)
		for _, rule := range rules {
			selected = selected || rule.Match(r)
		}
		if selected {
			page = append(page, rowOf(t, r))
			if len(page) == 7 {
				f.pages = append(f.pages, page)
				page = nil
			}
		}
	}
	f.pages = append(f.pages, page)
	all.WriteString("]}")
	if len(f.pages) < 3 {
		t.Fatalf("only %d pages: the corpus should need several", len(f.pages))
	}
	file := filepath.Join(dir, "corpus.json")
	if err := os.WriteFile(file, all.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	local := run(t, scan.LocalSource{Path: file}, controls)
	src := &Source{Client: f, Workgroup: "rootwatch-dev", Controls: controls, Poll: time.Millisecond}
	remote := run(t, src, controls)
	if len(remote.Problems) != 0 {
		t.Fatalf("problems: %+v", remote.Problems)
	}
	if src.Database != "rootwatch_dev" || src.BytesScanned != 123_456_789 || src.QueryID != "q-1" {
		t.Errorf("source: %+v", src)
	}
	l, r := findings(local), findings(remote)
	if len(l) < 20 {
		t.Fatalf("only %d findings in the corpus", len(l))
	}
	if strings.Join(l, "\n") != strings.Join(r, "\n") {
		t.Errorf("findings differ:\nlog files:\n%s\nathena:\n%s", strings.Join(l, "\n"), strings.Join(r, "\n"))
	}
	if local.RootSessions != remote.RootSessions || local.SessionsLinked != remote.SessionsLinked {
		t.Errorf(
			"sessions: local %d/%d, athena %d/%d",
			local.RootSessions,
			local.SessionsLinked,
			remote.RootSessions,
			remote.SessionsLinked,
		)
	}
	q := f.queries[0]
	for _, want := range []string{`FROM "rootwatch_dev"."cloudtrail"`, `"timestamp" BETWEEN '2000/01/01' AND '2100/01/01'`, assumeRoot, "useridentity.invokedby IS NULL"} {
		if !strings.Contains(q, want) {
			t.Errorf("query lacks %s:\n%s", want, q)
		}
	}
}

// TestDisagreementIsReported: a row the SQL selected but no pattern matches is a problem of the
// scan (exit 3), not a silent omission; a failed query says why.
func TestDisagreementIsReported(t *testing.T) {
	bogus := []byte(
		`{"eventVersion":"1.08","eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser"}}`,
	)
	f := &fake{
		states: []types.QueryExecutionState{types.QueryExecutionStateSucceeded},
		pages:  [][]types.Row{{header(), rowOf(t, bogus)}},
	}
	src := &Source{
		Client:    f,
		Workgroup: "rootwatch-dev",
		Database:  "db",
		Controls:  []catalog.Control{mustControl(t, catalog.RootUsage)},
		Poll:      time.Millisecond,
	}
	res := run(t, src, src.Controls)
	if len(res.Problems) != 1 ||
		!strings.Contains(res.Problems[0].Error, "no selected control's filter pattern matches") {
		t.Errorf("problems %+v", res.Problems)
	}
	f = &fake{
		states:   []types.QueryExecutionState{types.QueryExecutionStateRunning, types.QueryExecutionStateFailed},
		failWith: "HIVE_BAD_DATA: oops",
	}
	src = &Source{Client: f, Workgroup: "rootwatch-dev", Database: "db", Controls: src.Controls, Poll: time.Millisecond}
	res = run(t, src, src.Controls)
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Error, "query q-1 failed: HIVE_BAD_DATA: oops") {
		t.Errorf("problems %+v", res.Problems)
	}
}

func mustControl(t *testing.T, id string) catalog.Control {
	c, ok := catalog.Lookup(id)
	if !ok {
		t.Fatal(id)
	}
	return c
}

// TestCancelStopsTheQuery: Athena bills what a query scans until it stops, so an interrupted scan
// stops its query.
func TestCancelStopsTheQuery(t *testing.T) {
	f := &fake{states: []types.QueryExecutionState{types.QueryExecutionStateRunning}}
	src := &Source{
		Client:    f,
		Workgroup: "rootwatch-dev",
		Database:  "db",
		Controls:  []catalog.Control{mustControl(t, catalog.RootUsage)},
		Poll:      5 * time.Millisecond,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := src.run(ctx, window); err == nil {
		t.Fatal("no error")
	}
	if !f.stopped {
		t.Error("the query was not stopped")
	}
}

func TestCheck(t *testing.T) {
	src := &Source{Client: &fake{}, Workgroup: "nope"}
	if err := src.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown workgroup: %v", err)
	}
	src = &Source{
		Client:    &fake{named: map[string]types.NamedQuery{"a": {Name: aws.String("x"), Database: aws.String("y")}}},
		Workgroup: "rootwatch-dev",
	}
	if err := src.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "--athena-database") {
		t.Errorf("no rootwatch query: %v", err)
	}
}

func TestCost(t *testing.T) {
	if got := Cost(1e12); got != 5 {
		t.Errorf("1 TB: %v", got)
	}
	if got := Cost(1); got != 5e-5 {
		t.Errorf("the 10 MB minimum: %v", got)
	}
	if athena.DefaultBytesScannedCutoff > 1e12 {
		t.Error("the default cap is over a TB")
	}
}
