package safetext

import "testing"

func TestTerminalEscapesControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, é":           "plain text, é",
		"evil\x1b[2Jclear":        `evil\x1b[2Jclear`,
		"two\nlines":              `two\nlines`,
		"bad utf-8 \xff":          `bad utf-8 \xff`,
		"":                        "",
		"tab\tinside":             `tab\tinside`,
		"Mozilla/5.0 (aws-cli/2)": "Mozilla/5.0 (aws-cli/2)",
	} {
		if got := Terminal(in); got != want {
			t.Errorf("Terminal(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCSVCellDefusesFormulas: OWASP's CSV injection list (= + - @ tab CR) gets an apostrophe.
func TestCSVCellDefusesFormulas(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-1":                "'-1",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"a=b":               "a=b",
		"":                  "",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}
