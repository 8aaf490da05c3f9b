// Package duckdbtest proves package athenasql's SQL on DuckDB, an embedded SQL engine. It loads the
// CloudTrail corpus into a DuckDB table shaped like AWS's Athena CloudTrail table and checks, for
// every catalogue pattern and every record (and for generated records, by fuzzing), that the
// translated SQL and filterpattern give the same answer.
//
// It is its own module because DuckDB's driver needs cgo and a large static library: the main
// module's build and tests stay fast, and .ci/run runs this module's tests separately.
package duckdbtest
