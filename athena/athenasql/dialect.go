package athenasql

import (
	"fmt"
	"strings"
)

// Dialect is the SQL engine a translation is rendered for. Everything that differs between the
// engines is in this file; the translator (translate.go) writes only what both accept.
type Dialect int

const (
	// Trino is Amazon Athena's engine (engine version 3, based on Trino).
	Trino Dialect = iota
	// DuckDB is the embedded engine the translator is proved on (its own test module).
	DuckDB
)

func (d Dialect) String() string {
	switch d {
	case Trino:
		return "trino"
	case DuckDB:
		return "duckdb"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// The differences, and how each is rendered:
//
//   - The JSON text of a member of a JSON-string column: Trino
//     json_format(json_extract(c, path)); DuckDB CAST(json_extract(c, path) AS VARCHAR). Both
//     give NULL when the path selects nothing, and the literal text null for a JSON null.
//   - A member's scalar value (a string unescaped; a number's or boolean's text): Trino
//     json_extract_scalar(c, path); DuckDB json_extract_string(c, path). The translator reads it
//     only after the JSON text showed a string, number or boolean (DuckDB's function also returns
//     the text of an object or array).
//   - JSON paths: both take $.name and [index]; a name that is not a plain identifier (CloudTrail
//     names may hold "-") is written $["a-b"] for Trino and $."a-b" for DuckDB.
//   - Regular expressions: Trino regexp_like (Java-syntax engine); DuckDB regexp_matches (RE2,
//     the engine filterpattern uses). Both search anywhere in the value. For Trino, an unescaped
//     "." outside a class becomes [^\n] and "$" becomes \z, because Java's "." also refuses \r,
//     \u0085, \u2028 and \u2029 and its "$" also matches before a final line terminator; escapes
//     other than \d \D \w \W and an escaped symbol, and POSIX classes ([[:alpha:]]), are refused
//     (their meaning differs between the engines); a "[" inside a class and a "{" that starts no
//     repetition are escaped (RE2 reads them literally, Java does not).
//   - Both dialects share LIKE ... ESCAPE '\', single-quoted strings with '' for a quote (a
//     backslash is an ordinary character in both), TRY_CAST, substr, COALESCE and CASE.

// jsonText renders the JSON text of the member at path of a JSON-string column.
func (d Dialect) jsonText(col, path string) string {
	if d == Trino {
		return fmt.Sprintf("json_format(json_extract(%s, %s))", col, quoteSQL(path))
	}
	return fmt.Sprintf("CAST(json_extract(%s, %s) AS VARCHAR)", col, quoteSQL(path))
}

// jsonScalar renders the scalar value of the member at path of a JSON-string column.
func (d Dialect) jsonScalar(col, path string) string {
	if d == Trino {
		return fmt.Sprintf("json_extract_scalar(%s, %s)", col, quoteSQL(path))
	}
	return fmt.Sprintf("json_extract_string(%s, %s)", col, quoteSQL(path))
}

// pathName renders one member name of a JSON path.
func (d Dialect) pathName(name string) string {
	if isIdent(name) {
		return "." + name
	}
	if d == Trino {
		return `["` + name + `"]`
	}
	return `."` + name + `"`
}

// regex renders a search for the RE2 expression re in the string expression s.
func (d Dialect) regex(s, re string) (string, error) {
	if d == Trino {
		tr, err := trinoRegex(re)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("regexp_like(%s, %s)", s, quoteSQL(tr)), nil
	}
	return fmt.Sprintf("regexp_matches(%s, %s)", s, quoteSQL(re)), nil
}

// trinoRegex rewrites an RE2 expression (in filterpattern's regex character set: no parentheses)
// into one Trino's engine reads the same way, or says why it cannot.
func trinoRegex(re string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(re); i++ {
		c := re[i]
		switch {
		case c == '\\':
			if i+1 >= len(re) {
				return "", fmt.Errorf("regex %q ends with a backslash", re)
			}
			n := re[i+1]
			if !strings.ContainsRune(`dDwW`, rune(n)) && isAlnumByte(n) {
				return "", fmt.Errorf(`regex %q: the escape \%c differs between RE2 and Trino's engine; only \d \D \w \W and escaped symbols are translated`, re, n)
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case c == '[' && !inClass:
			if strings.HasPrefix(re[i:], "[[:") || strings.HasPrefix(re[i:], "[^[:") {
				return "", fmt.Errorf("regex %q: POSIX classes differ between RE2 and Trino's engine", re)
			}
			inClass = true
			b.WriteByte(c)
			// a ] right after [ or [^ is a literal member
			if i+1 < len(re) && re[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(re) && re[i+1] == ']' {
				b.WriteByte(']')
				i++
			}
		case c == '[' && inClass:
			if strings.HasPrefix(re[i:], "[:") {
				return "", fmt.Errorf("regex %q: POSIX classes differ between RE2 and Trino's engine", re)
			}
			// Java reads a [ inside a class as a nested class; RE2 as a literal.
			b.WriteString(`\[`)
		case c == ']' && inClass:
			inClass = false
			b.WriteByte(c)
		case c == '.' && !inClass:
			b.WriteString(`[^\n]`)
		case c == '$' && !inClass:
			b.WriteString(`\z`)
		case c == '{' && !inClass && !isRepeat(re[i:]):
			// RE2 reads a { that starts no repetition as a literal; Java rejects it.
			b.WriteString(`\{`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// isRepeat reports whether s starts with a repetition {n}, {n,} or {n,m}.
func isRepeat(s string) bool {
	i := 1
	digits := func() int {
		n := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == ',' {
		i++
		digits()
	}
	return i < len(s) && s[i] == '}'
}

func isAlnumByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isAlnumByte(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

// quoteSQL writes s as a single-quoted SQL string literal.
func quoteSQL(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
