package athena

import (
	"fmt"
	"strings"

	"github.com/rootwatch/rootwatch/athena/athenasql"
	"github.com/rootwatch/rootwatch/catalog"
)

// The table's partition keys, in order (see Table). timestamp is yyyy/MM/dd, as CloudTrail writes
// it into the log files' keys.
const (
	PartitionAccount   = "account"
	PartitionRegion    = "region"
	PartitionTimestamp = "timestamp"
)

// Query is a generated Athena query.
type Query struct {
	// Name is the named query's name ("rootwatch: <control id>", or "rootwatch: root-activity-summary").
	Name string
	// ControlID is the catalogue control it reviews ("" for the summary).
	ControlID string
	// Description says what it finds (at most 1024 characters, the named-query limit).
	Description string
	// SQL is the query text.
	SQL string
}

// SummaryQueryName is the root-activity summary's named query.
const SummaryQueryName = "rootwatch: root-activity-summary"

// LastDays is the date condition of the named queries: the projected timestamp partition within
// the last days days (today included), so a query reads only those days' log files. Athena's
// partition projection evaluates it before reading any data.
func LastDays(days int) string {
	return fmt.Sprintf(`"%s" >= date_format(current_date - INTERVAL '%d' DAY, '%%Y/%%m/%%d')`, PartitionTimestamp, days)
}

// Between is the date condition for the days from since to until (both yyyy/MM/dd, inclusive).
func Between(since, until string) string {
	return fmt.Sprintf(`"%s" BETWEEN '%s' AND '%s'`, PartitionTimestamp, strings.ReplaceAll(since, "'", "''"),
		strings.ReplaceAll(until, "'", "''"))
}

// ControlWhere is the control's condition: its patterns (the metric filters feeding its alarm)
// translated for Athena, ORed.
func ControlWhere(c catalog.Control) (string, error) {
	var parts []string
	for _, p := range c.Patterns() {
		w, err := athenasql.Where(p, athenasql.Trino)
		if err != nil {
			return "", fmt.Errorf("control %s: %w", c.ID, err)
		}
		parts = append(parts, w)
	}
	if len(parts) == 1 {
		return parts[0], nil
	}
	return "(" + strings.Join(parts, "\n    OR ") + ")", nil
}

// quoteIdent quotes a database or table name for Trino.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// ControlQuery is the query listing the events of control c in table (database.table), on the
// days dateCond selects (LastDays, Between).
func ControlQuery(c catalog.Control, database, table, dateCond string) (Query, error) {
	where, err := ControlWhere(c)
	if err != nil {
		return Query{}, err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "-- rootwatch: %s\n-- The events CloudWatch metric filter(s) of this control count:\n", c.Title)
	for _, p := range c.Patterns() {
		fmt.Fprintf(&b, "--   %s\n", p)
	}
	fmt.Fprintf(&b, `SELECT eventtime, %s, %s, eventsource, eventname,
  useridentity.type AS identity_type, useridentity.arn AS identity_arn,
  useridentity.accesskeyid AS access_key_id, sourceipaddress, useragent, errorcode, eventid
FROM %s.%s
WHERE %s
  AND %s
ORDER BY eventtime DESC
`, PartitionAccount, PartitionRegion, quoteIdent(database), quoteIdent(table), dateCond, where)
	desc := c.Title
	if len(desc) > 1000 {
		desc = desc[:1000]
	}
	return Query{Name: "rootwatch: " + c.ID, ControlID: c.ID, Description: desc, SQL: b.String()}, nil
}

// SummaryQuery is the root-activity summary: for each account, who used root (the identity's ARN),
// with which credential (a long-term access key AKIA..., a session ASIA... such as a console
// sign-in's, or none: the sign-in itself), from where (source IP address and user agent), doing
// what, how often, first and last time, on the days dateCond selects. "Root use" is the root-usage
// control's patterns, as its alarm counts it.
func SummaryQuery(database, table, dateCond string) (Query, error) {
	c, ok := catalog.Lookup(catalog.RootUsage)
	if !ok {
		return Query{}, fmt.Errorf("catalogue has no %s control", catalog.RootUsage)
	}
	where, err := ControlWhere(c)
	if err != nil {
		return Query{}, err
	}
	sql := fmt.Sprintf(
		`-- rootwatch: root activity per account: who, with which credential, from where, doing what, when
SELECT %s,
  useridentity.arn AS who,
  CASE
    WHEN useridentity.accesskeyid LIKE 'AKIA%%' THEN 'long-term access key'
    WHEN useridentity.accesskeyid LIKE 'ASIA%%' THEN 'session'
    ELSE 'none (sign-in)'
  END AS credential,
  useridentity.accesskeyid AS access_key_id,
  sourceipaddress, useragent, eventsource, eventname,
  count(*) AS events, min(eventtime) AS first_seen, max(eventtime) AS last_seen
FROM %s.%s
WHERE %s
  AND %s
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ORDER BY %s, last_seen DESC
`,
		PartitionAccount,
		quoteIdent(database),
		quoteIdent(table),
		dateCond,
		where,
		PartitionAccount,
	)
	return Query{
		Name:        SummaryQueryName,
		Description: "Root activity per account: who, with which credential, from where, doing what, when.",
		SQL:         sql,
	}, nil
}

// Queries are the named queries: one per catalogue control (catalog.All, whether or not the
// stack deploys its alarm), then the root-activity summary, all over the last days days.
func Queries(database, table string, days int) ([]Query, error) {
	var out []Query
	for _, c := range catalog.All() {
		q, err := ControlQuery(c, database, table, LastDays(days))
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	s, err := SummaryQuery(database, table, LastDays(days))
	if err != nil {
		return nil, err
	}
	return append(out, s), nil
}
