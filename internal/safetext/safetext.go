// Package safetext makes text from AWS or from a requester safe to print. Text such as user agents,
// error messages and names is made safe on a terminal, and in a CSV file opened in a spreadsheet.
// The scan and audit reports both print such text, by these two rules.
package safetext

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Terminal shows control characters (and invalid UTF-8) escaped, so that text cannot move the
// cursor, clear the screen or forge report lines. Text without any is returned as it is.
func Terminal(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == unicode.ReplacementChar }) < 0 {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// CSVCell defuses spreadsheet formulas: a cell starting with = + - @ (or a tab or carriage
// return) is run as a formula when the CSV is opened in a spreadsheet. Such cells get a leading
// apostrophe, as OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection). An
// empty value stays an empty cell.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes header, then row(item) for each item, every cell escaped as on a terminal
// (Terminal) and defused for spreadsheets (CSVCell).
func WriteCSV[T any](w io.Writer, header []string, items []T, row func(T) []string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, it := range items {
		cells := row(it)
		for i := range cells {
			cells[i] = CSVCell(Terminal(cells[i]))
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
