// Package athenasql translates CloudWatch Logs filter patterns into Athena SQL. It turns JSON
// filter patterns (package filterpattern) into SQL over AWS's Athena CloudTrail table, so that a
// catalogue control means the same thing in a metric filter, in a local scan and in an Athena
// query.
//
// Where (or Translate, for a parsed pattern) returns a boolean SQL expression for a WHERE clause:
//
//	sql, err := athenasql.Where(`{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }`, athenasql.Trino)
//	// (COALESCE(useridentity.type = 'Root', FALSE) AND (useridentity.invokedby IS NULL))
//
// # The table
//
// Columns lists the table as AWS's Athena guide defines it: struct columns for userIdentity,
// addendum and tlsDetails, string columns for the other scalar members (readOnly, a JSON boolean,
// is kept as 'true' or 'false'), and requestParameters, responseElements, additionalEventData,
// serviceEventDetails and edgeDeviceDetails as JSON text in string columns. Selectors map to
// lower-case column paths (useridentity.invokedby); selectors below a JSON-text column map to JSON
// paths read with the engine's JSON functions.
//
// # Semantics
//
// The expression is true for a row exactly when filterpattern's Match is true for the record it
// was read from (see Translate for the one assumption, which holds for CloudTrail's format), with
// filterpattern's decisions: case-sensitive comparison, "*" a wildcard only at either end (LIKE
// with '%', '_' and '\' escaped), a comparison on an absent member false for != as well as =,
// numbers compared numerically when the value is a number, NOT EXISTS true only for an absent
// member and IS NULL only for a JSON null. Every condition is wrapped so that it is TRUE or FALSE,
// never NULL, so AND, OR and parentheses combine as in the pattern.
//
// A pattern the table cannot answer exactly is an *UnsupportedError at translation time, never a
// different query.
//
// # Dialects
//
// Trino is Athena's engine; DuckDB is the embedded engine the translator is proved on, in the
// separate module athena/athenasql/duckdbtest (it needs cgo, so it stays out of this module's
// build). Their differences (JSON functions, JSON path quoting, regular expressions) are rendered
// in one place, dialect.go, and documented there.
package athenasql
