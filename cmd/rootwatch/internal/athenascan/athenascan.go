// Package athenascan is the Athena source of `rootwatch scan --athena WORKGROUP`. It runs one query
// in the workgroup (the selected controls' filter patterns translated by athenasql, plus the
// sts:AssumeRoot events the report links root sessions to, on the days of the review window), pages
// through its results, rebuilds each row into a CloudTrail record and hands the records to the
// scanner (package scan), which re-checks them with filterpattern and writes the same report as a
// scan of log files.
package athenascan

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsathena "github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/scan"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// API is the part of the Athena client the source uses.
type API interface {
	GetWorkGroup(
		context.Context,
		*awsathena.GetWorkGroupInput,
		...func(*awsathena.Options),
	) (*awsathena.GetWorkGroupOutput, error)
	ListNamedQueries(
		context.Context,
		*awsathena.ListNamedQueriesInput,
		...func(*awsathena.Options),
	) (*awsathena.ListNamedQueriesOutput, error)
	GetNamedQuery(
		context.Context,
		*awsathena.GetNamedQueryInput,
		...func(*awsathena.Options),
	) (*awsathena.GetNamedQueryOutput, error)
	StartQueryExecution(
		context.Context,
		*awsathena.StartQueryExecutionInput,
		...func(*awsathena.Options),
	) (*awsathena.StartQueryExecutionOutput, error)
	GetQueryExecution(
		context.Context,
		*awsathena.GetQueryExecutionInput,
		...func(*awsathena.Options),
	) (*awsathena.GetQueryExecutionOutput, error)
	GetQueryResults(
		context.Context,
		*awsathena.GetQueryResultsInput,
		...func(*awsathena.Options),
	) (*awsathena.GetQueryResultsOutput, error)
	StopQueryExecution(
		context.Context,
		*awsathena.StopQueryExecutionInput,
		...func(*awsathena.Options),
	) (*awsathena.StopQueryExecutionOutput, error)
}

// PricePerTB is Athena's price per TB scanned, in USD (https://aws.amazon.com/athena/pricing/),
// and MinBilledBytes the least a query is billed for (10 MB).
const (
	PricePerTB     = 5.0
	MinBilledBytes = 10_000_000
)

// Cost is the price of a query that scanned n bytes, in USD.
func Cost(n int64) float64 {
	return float64(max(n, MinBilledBytes)) / 1e12 * PricePerTB
}

// Source is a scan.Source reading the trail's records through Athena.
type Source struct {
	Client    API
	Workgroup string
	// Database is the Glue database; "" means the database of the workgroup's rootwatch named
	// queries (found by Check).
	Database string
	// Table is the table; "" means athena.DefaultTableName.
	Table string
	// Controls are the controls to query (their patterns must translate: athenasql).
	Controls []catalog.Control
	// Poll is the first wait between status checks (doubling up to 5 s); 0 means 250 ms.
	Poll time.Duration

	// Set by Enumerate: the query's id, what it scanned, the rows it returned.
	QueryID      string
	BytesScanned int64
	Rows         int
}

func (s *Source) String() string { return "athena workgroup " + s.Workgroup }

func (s *Source) table() string {
	if s.Table == "" {
		return athena.DefaultTableName
	}
	return s.Table
}

// LookedFor says what Enumerate looks for.
func (s *Source) LookedFor(w scan.Window) string {
	return fmt.Sprintf(
		"records of %s.%s (workgroup %s) from %s to %s",
		s.Database,
		s.table(),
		s.Workgroup,
		w.Since.Format(time.RFC3339),
		w.Until.Format(time.RFC3339),
	)
}

// Check reports a workgroup that cannot be read, and finds the database when none was given.
func (s *Source) Check(ctx context.Context) error {
	if _, err := s.Client.GetWorkGroup(
		ctx, &awsathena.GetWorkGroupInput{WorkGroup: aws.String(s.Workgroup)},
	); err != nil {
		return fmt.Errorf("athena workgroup %s: %w", s.Workgroup, err)
	}
	if s.Database != "" {
		return nil
	}
	var token *string
	for {
		out, err := s.Client.ListNamedQueries(
			ctx,
			&awsathena.ListNamedQueriesInput{WorkGroup: aws.String(s.Workgroup), NextToken: token},
		)
		if err != nil {
			return fmt.Errorf("athena workgroup %s: listing its named queries: %w", s.Workgroup, err)
		}
		for _, id := range out.NamedQueryIds {
			q, err := s.Client.GetNamedQuery(ctx, &awsathena.GetNamedQueryInput{NamedQueryId: aws.String(id)})
			if err != nil {
				return fmt.Errorf("athena workgroup %s: named query %s: %w", s.Workgroup, id, err)
			}
			if nq := q.NamedQuery; nq != nil && strings.HasPrefix(aws.ToString(nq.Name), "rootwatch: ") &&
				aws.ToString(nq.Database) != "" {
				s.Database = aws.ToString(nq.Database)
				return nil
			}
		}
		if token = out.NextToken; token == nil {
			break
		}
	}
	return fmt.Errorf("athena workgroup %s holds no rootwatch named query to find the database from: is it the "+
		"stack's athenaWorkgroup output? (or give --athena-database)", s.Workgroup)
}

// leaf is one string or JSON column of the table, as selected and as placed back in a record.
type leaf struct {
	sql   string   // column path, as selected
	path  []string // CloudTrail member names
	holds string   // "string", "boolean" or "json"
}

func leaves(cols []athenasql.Column, sqlPrefix string, path []string) []leaf {
	var out []leaf
	for _, c := range cols {
		p := append(append([]string{}, path...), c.Member)
		switch c.Holds {
		case "struct":
			out = append(out, leaves(c.Fields, sqlPrefix+c.Name+".", p)...)
		case "string", "boolean", "json":
			out = append(out, leaf{sql: sqlPrefix + c.Name, path: p, holds: c.Holds})
		}
	}
	return out
}

var columns = leaves(athenasql.Columns(), "", nil)

// assumeRoot selects the sts:AssumeRoot events: the scan links root sessions to them whatever
// the selected controls.
const assumeRoot = `(eventsource = 'sts.amazonaws.com' AND eventname = 'AssumeRoot')`

// Query is the SQL Enumerate runs for window w: every string and JSON column of the records
// matching a control (or sts:AssumeRoot), on the days of the window. CloudTrail files a record
// under the day it delivers it, up to about a quarter of an hour after the event, so the day
// after the window's end is read too; the scanner drops events outside the window.
func (s *Source) Query(w scan.Window) (string, error) {
	var conds []string
	for _, c := range s.Controls {
		where, err := athena.ControlWhere(c)
		if err != nil {
			return "", err
		}
		conds = append(conds, where)
	}
	conds = append(conds, assumeRoot)
	sel := make([]string, len(columns))
	for i, c := range columns {
		sel[i] = c.sql
	}
	last := w.Until.Add(-time.Nanosecond).UTC().AddDate(0, 0, 1)
	return fmt.Sprintf("SELECT %s\nFROM %s.%s\nWHERE %s\n  AND (%s)",
		strings.Join(sel, ", "), quoteIdent(s.Database), quoteIdent(s.table()),
		athena.Between(w.Since.UTC().Format("2006/01/02"), last.Format("2006/01/02")),
		strings.Join(conds, "\n    OR ")), nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// Enumerate runs the query and emits its records as one input.
func (s *Source) Enumerate(ctx context.Context, w scan.Window, l scan.Lister) {
	name := "athena://" + s.Workgroup
	recs, err := s.run(ctx, w)
	if s.QueryID != "" {
		name += "/" + s.QueryID
	}
	if err != nil {
		l.Problem(name, err)
		return
	}
	// Each record must match what it was selected for: the SQL and filterpattern agree (proved
	// for every control on the corpus); a record they disagree on is reported, not dropped.
	var pats []*filterpattern.Pattern
	for _, c := range s.Controls {
		for _, src := range c.Patterns() {
			p, err := filterpattern.Parse(src)
			if err != nil {
				l.Problem(name, err)
				return
			}
			pats = append(pats, p)
		}
	}
	var buf bytes.Buffer
	buf.WriteString(`{"Records":[`)
	for i, r := range recs {
		if !matchesAny(pats, r) && !isAssumeRoot(r) {
			l.Problem(fmt.Sprintf("%s row %d", name, i+1), fmt.Errorf("the query selected a record no selected "+
				"control's filter pattern matches: %s", r))
			continue
		}
		if buf.Len() > len(`{"Records":[`) {
			buf.WriteByte(',')
		}
		buf.Write(r)
	}
	buf.WriteString("]}")
	data := buf.Bytes()
	l.Emit(scan.Input{Name: name, Size: -1, Open: func(context.Context) (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}})
}

func matchesAny(ps []*filterpattern.Pattern, rec []byte) bool {
	for _, p := range ps {
		if p.Match(rec) {
			return true
		}
	}
	return false
}

func isAssumeRoot(rec []byte) bool {
	var e struct{ EventSource, EventName string }
	return json.Unmarshal(rec, &e) == nil && e.EventSource == "sts.amazonaws.com" && e.EventName == "AssumeRoot"
}

// run starts the query, waits for it and reads every page of its results.
func (s *Source) run(ctx context.Context, w scan.Window) ([][]byte, error) {
	q, err := s.Query(w)
	if err != nil {
		return nil, err
	}
	start, err := s.Client.StartQueryExecution(ctx, &awsathena.StartQueryExecutionInput{
		QueryString:           aws.String(q),
		WorkGroup:             aws.String(s.Workgroup),
		QueryExecutionContext: &types.QueryExecutionContext{Database: aws.String(s.Database)},
	})
	if err != nil {
		return nil, fmt.Errorf("starting the query: %w", err)
	}
	s.QueryID = aws.ToString(start.QueryExecutionId)
	if err := s.wait(ctx); err != nil {
		return nil, err
	}
	var out [][]byte
	var token *string
	header := true
	for {
		page, err := s.Client.GetQueryResults(
			ctx,
			&awsathena.GetQueryResultsInput{
				QueryExecutionId: aws.String(s.QueryID),
				NextToken:        token,
				MaxResults:       aws.Int32(1000),
			},
		)
		if err != nil {
			return nil, fmt.Errorf("reading the results of query %s: %w", s.QueryID, err)
		}
		if page.ResultSet != nil {
			for _, row := range page.ResultSet.Rows {
				if header { // a SELECT's first row names its columns
					header = false
					if len(row.Data) != len(columns) ||
						aws.ToString(row.Data[0].VarCharValue) != lastName(columns[0].sql) {
						return nil, fmt.Errorf(
							"query %s: the first row is not the header of the %d columns selected",
							s.QueryID,
							len(columns),
						)
					}
					continue
				}
				rec, err := record(row.Data)
				if err != nil {
					return nil, fmt.Errorf("query %s row %d: %w", s.QueryID, s.Rows+1, err)
				}
				s.Rows++
				out = append(out, rec)
			}
		}
		if token = page.NextToken; token == nil {
			return out, nil
		}
	}
}

func lastName(sql string) string { return sql[strings.LastIndexByte(sql, '.')+1:] }

// wait polls the query's status, waiting Poll, then twice as long each time up to 5 s, until it
// ends; a cancelled ctx stops the query.
func (s *Source) wait(ctx context.Context) error {
	d := s.Poll
	if d == 0 {
		d = 250 * time.Millisecond
	}
	for {
		out, err := s.Client.GetQueryExecution(
			ctx,
			&awsathena.GetQueryExecutionInput{QueryExecutionId: aws.String(s.QueryID)},
		)
		if err != nil {
			return fmt.Errorf("query %s: %w", s.QueryID, err)
		}
		qe := out.QueryExecution
		if qe != nil && qe.Statistics != nil {
			s.BytesScanned = aws.ToInt64(qe.Statistics.DataScannedInBytes)
		}
		if qe != nil && qe.Status != nil {
			switch qe.Status.State {
			case types.QueryExecutionStateSucceeded:
				return nil
			case types.QueryExecutionStateFailed, types.QueryExecutionStateCancelled:
				return fmt.Errorf(
					"query %s %s: %s",
					s.QueryID,
					strings.ToLower(string(qe.Status.State)),
					aws.ToString(qe.Status.StateChangeReason),
				)
			}
		}
		select {
		case <-time.After(d):
		case <-ctx.Done():
			// Stop it: Athena bills what it scans until it stops.
			stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			_, _ = s.Client.StopQueryExecution(
				stopCtx,
				&awsathena.StopQueryExecutionInput{QueryExecutionId: aws.String(s.QueryID)},
			)
			cancel()
			return ctx.Err()
		}
		d = min(2*d, 5*time.Second)
	}
}

// record rebuilds a CloudTrail record from a row of the selected columns: a NULL is an absent
// member; a JSON column's text is placed as JSON; readOnly becomes a boolean.
func record(data []types.Datum) ([]byte, error) {
	if len(data) != len(columns) {
		return nil, fmt.Errorf("%d values, want %d", len(data), len(columns))
	}
	root := map[string]any{}
	for i, c := range columns {
		v := data[i].VarCharValue
		if v == nil {
			continue
		}
		var val any = *v
		switch c.holds {
		case "boolean":
			switch *v {
			case "true":
				val = true
			case "false":
				val = false
			}
		case "json":
			if !json.Valid([]byte(*v)) {
				return nil, fmt.Errorf("%s is not JSON: %q", c.sql, *v)
			}
			val = json.RawMessage(*v)
		}
		m := root
		for _, p := range c.path[:len(c.path)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		m[c.path[len(c.path)-1]] = val
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// NewClient is an Athena client with the standard credential chain, in region (default: from
// the AWS configuration, else us-east-1), at endpointURL when set (tests, emulators).
func NewClient(ctx context.Context, region, endpointURL string) (*awsathena.Client, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	return awsathena.NewFromConfig(cfg, func(o *awsathena.Options) {
		if endpointURL != "" {
			o.BaseEndpoint = aws.String(endpointURL)
		}
	}), nil
}

// ColumnNames are the names of the columns the query selects, as Athena's header row gives them.
func ColumnNames() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = lastName(c.sql)
	}
	return out
}

// RowOf is what the table holds for a CloudTrail record, in the order of ColumnNames, as Athena
// returns it: a string member's value, a boolean's text, a JSON member's JSON text, nil for an
// absent or null member. It is the inverse of the rebuilding the source does (for tests, and to
// seed an emulator's results).
func RowOf(rec []byte) ([]*string, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(rec, &obj); err != nil {
		return nil, err
	}
	out := make([]*string, len(columns))
	for i, c := range columns {
		m := obj
		var raw json.RawMessage
		for j, p := range c.path {
			v, ok := m[p]
			if !ok {
				break
			}
			if j == len(c.path)-1 {
				raw = v
				break
			}
			m = nil
			if json.Unmarshal(v, &m) != nil {
				break
			}
		}
		if raw == nil || string(raw) == "null" {
			continue
		}
		s := string(raw)
		if c.holds == "string" {
			if err := json.Unmarshal(raw, &s); err != nil {
				return nil, fmt.Errorf("%s is not a string", strings.Join(c.path, "."))
			}
		}
		out[i] = &s
	}
	return out, nil
}
