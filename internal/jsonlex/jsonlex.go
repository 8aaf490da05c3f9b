// Package jsonlex holds the byte-level JSON primitives rootwatch's two JSON readers share. The
// filter-pattern evaluator (filterpattern) and the log-file record splitter
// (cmd/rootwatch/internal/scan) ask it whether a quote ends a string, and how deep a document may
// nest. Both walk raw bytes without decoding or allocating; keeping these rules in one place keeps
// the two readers agreeing on what one JSON value is.
package jsonlex

// MaxDepth bounds the nesting of objects and arrays in one JSON value. CloudTrail events nest a
// few levels; a deeper value is not an event (the evaluator does not match it, the splitter stops
// reading the file there).
const MaxDepth = 10000

// Escaped reports whether the byte at b[i] is escaped: preceded by an odd number of backslashes.
// It is how both scanners decide whether a '"' they found (with bytes.IndexByte, in their own
// loops, which it is small enough to be inlined into) closes the string: b must hold the string's
// opening quote, where counting the backslashes back stops at the latest.
func Escaped(b []byte, i int) bool {
	n := 0
	for i--; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// IsSpace reports whether c is JSON whitespace (space, tab, newline, carriage return).
func IsSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
