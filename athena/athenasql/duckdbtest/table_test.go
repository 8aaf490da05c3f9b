package duckdbtest

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
)

// corpusDir is the project's one CloudTrail corpus (see its PROVENANCE.md).
var corpusDir = corpus.Dir()

// record is one CloudTrail record of the corpus, compacted to one line.
type record struct {
	source string
	msg    []byte
}

// loadCorpus reads every record of the corpus (internal/testkit/corpus.Load, as catalog's corpus
// proof reads it).
func loadCorpus(t testing.TB) []record {
	t.Helper()
	recs, err := corpus.Load(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 100 {
		t.Fatalf("only %d corpus records under %s", len(recs), corpusDir)
	}
	out := make([]record, 0, len(recs))
	for _, r := range recs {
		out = append(out, record{source: fmt.Sprintf("%s record %d", r.File, r.Index), msg: r.Msg})
	}
	return out
}

// row converts a CloudTrail record into a row of AWS's table, as the table's JSON SerDe reads it:
// members matched to columns without regard to letter case, members the table has no column for
// dropped, a JSON-text column holding the member's JSON text. It returns an error where the record
// breaks the one assumption of the translation (athenasql.Translate): a member the table keeps as
// a string, boolean or struct that is not a JSON string, boolean or object as CloudTrail writes it.
// Array and map columns (resources, webIdFederationData.attributes), which the translator never
// reads, are left NULL.
func row(msg []byte) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(msg))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	return convert(obj, athenasql.Columns(), "$")
}

func convert(obj map[string]any, cols []athenasql.Column, at string) (map[string]any, error) {
	out := map[string]any{}
	for _, c := range cols {
		var v any
		found := false
		for k, val := range obj {
			if strings.EqualFold(k, c.Name) {
				v, found = val, true
			}
		}
		if !found {
			continue
		}
		where := at + "." + c.Member
		switch c.Holds {
		case "string":
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s is %T, not a string", where, v)
			}
			out[c.Name] = s
		case "boolean":
			b, ok := v.(bool)
			if !ok {
				return nil, fmt.Errorf("%s is %T, not a boolean", where, v)
			}
			out[c.Name] = fmt.Sprint(b)
		case "json":
			if v == nil {
				continue
			}
			text, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out[c.Name] = string(text)
		case "struct":
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s is %T, not an object", where, v)
			}
			s, err := convert(m, c.Fields, where)
			if err != nil {
				return nil, err
			}
			out[c.Name] = s
		}
	}
	return out, nil
}

// structure is the table's columns as a DuckDB json_transform structure.
func structure(cols []athenasql.Column) map[string]any {
	out := map[string]any{}
	for _, c := range cols {
		switch {
		case c.Holds == "struct":
			out[c.Name] = structure(c.Fields)
		case c.Type == "string":
			out[c.Name] = "VARCHAR"
		case strings.HasPrefix(c.Type, "array<struct<"):
			inner := strings.TrimSuffix(strings.TrimPrefix(c.Type, "array<struct<"), ">>")
			el := map[string]any{}
			for _, f := range strings.Split(inner, ",") {
				name, _, _ := strings.Cut(f, ":")
				el[name] = "VARCHAR"
			}
			out[c.Name] = []any{el}
		case c.Type == "map<string,string>":
			out[c.Name] = "MAP(VARCHAR, VARCHAR)"
		default:
			panic("no DuckDB type for " + c.Type)
		}
	}
	return out
}

// table is a DuckDB database holding records in a table cloudtrail shaped like AWS's: the same
// columns, nested STRUCTs, the JSON-text columns as VARCHAR; plus id, the record's index.
type table struct {
	db *sql.DB
	// structure is the json_transform structure (a quoted SQL string) that turns a row's JSON into
	// a struct with the table's columns.
	structure string
}

func newTable(t testing.TB) *table {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	st, err := json.Marshal(structure(athenasql.Columns()))
	if err != nil {
		t.Fatal(err)
	}
	return &table{db: db, structure: quote(string(st))}
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// load creates the table cloudtrail from rows (their index is the column id).
func (tb *table) load(t testing.TB, rows []map[string]any) {
	t.Helper()
	if _, err := tb.db.Exec(`CREATE OR REPLACE TABLE raw (id INTEGER, j VARCHAR)`); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		j, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tb.db.Exec(`INSERT INTO raw VALUES (?, ?)`, i, string(j)); err != nil {
			t.Fatal(err)
		}
	}
	q := fmt.Sprintf(`CREATE OR REPLACE TABLE cloudtrail AS SELECT id, s.* FROM (SELECT id, json_transform(CAST(j AS JSON), %s) AS s FROM raw)`, tb.structure)
	if _, err := tb.db.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// eval returns the value of the boolean SQL expression for each row id of the table; a NULL fails.
func (tb *table) eval(t testing.TB, expr string) map[int]bool {
	t.Helper()
	rows, err := tb.db.Query(`SELECT id, ` + expr + ` FROM cloudtrail ORDER BY id`)
	if err != nil {
		t.Fatalf("%v\n%s", err, expr)
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var id int
		var v sql.NullBool
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		if !v.Valid {
			t.Fatalf("row %d: the expression is NULL\n%s", id, expr)
		}
		out[id] = v.Bool
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
