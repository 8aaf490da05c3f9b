// Package jsonlex holds the byte-level JSON primitives shared by the filter-pattern evaluator
// (filterpattern) and the log-file record splitter (internal/scan): where a string ends, and how
// deep a document may nest. Both walk raw bytes without decoding or allocating; keeping these
// rules in one place keeps the two readers agreeing on what one JSON value is.
package jsonlex

import "bytes"

// MaxDepth bounds the nesting of objects and arrays in one JSON value. CloudTrail events nest a
// few levels; a deeper value is not an event (the evaluator does not match it, the splitter stops
// reading the file there).
const MaxDepth = 10000

// QuoteEnd returns the index in b of the first unescaped '"' at or after from, or -1 if there is
// none. b must hold the string's opening quote before from: a quote is escaped when an odd number
// of backslashes precede it, and counting them back stops at that opening quote at the latest.
func QuoteEnd(b []byte, from int) int {
	for {
		j := bytes.IndexByte(b[from:], '"')
		if j < 0 {
			return -1
		}
		k := from + j
		if !Escaped(b, k) {
			return k
		}
		from = k + 1
	}
}

// Escaped reports whether the byte at b[i] is escaped: preceded by an odd number of backslashes.
func Escaped(b []byte, i int) bool {
	n := 0
	for i--; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// IsSpace reports whether c is JSON whitespace (space, tab, newline, carriage return).
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
