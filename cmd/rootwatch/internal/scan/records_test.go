package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func readAll(r io.Reader) ([]string, error) {
	rr := NewRecordReader(r)
	var out []string
	for {
		rec, err := rr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, string(rec))
	}
}

func TestRecordReader(t *testing.T) {
	big := `{"a":"` + strings.Repeat("x", 3*initialBufSize) + `"}`
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string // substring; "" means a clean end
	}{
		{"cloudtrail wrapper", `{"Records":[{"a":1},{"b":{"c":[1,2]}}]}`, []string{`{"a":1}`, `{"b":{"c":[1,2]}}`}, ""},
		{
			"whitespace and newlines",
			" {\n \"Records\" : [\n {\"a\":1} ,\n\t{\"b\":2}\n ]\n}\n",
			[]string{`{"a":1}`, `{"b":2}`},
			"",
		},
		{"byte order mark", "\xEF\xBB\xBF{\"Records\":[{\"a\":1}]}", []string{`{"a":1}`}, ""},
		{"bare array of records", `[{"a":1},{"b":2}]`, []string{`{"a":1}`, `{"b":2}`}, ""},
		{"empty records", `{"Records":[]}`, nil, ""},
		{"null records", `{"Records":null}`, nil, ""},
		{
			"other members around records",
			`{"x":{"Records":[{"no":1}]},"Records":[{"a":1}],"y":[1,"]"],"z":null}`,
			[]string{`{"a":1}`},
			"",
		},
		{
			"braces and quotes inside strings",
			`{"Records":[{"ua":"a}\"]{[","p":"\\"},{"q":"\\\"}"}]}`,
			[]string{`{"ua":"a}\"]{[","p":"\\"}`, `{"q":"\\\"}"}`},
			"",
		},
		{"record larger than the buffer", `{"Records":[` + big + `,{"a":1}]}`, []string{big, `{"a":1}`}, ""},
		{"truncated inside a record", `{"Records":[{"a":1},{"b":"xy`, []string{`{"a":1}`}, "truncated"},
		{"truncated after a record", `{"Records":[{"a":1},`, []string{`{"a":1}`}, "truncated"},
		{"truncated before the closing brace", `{"Records":[{"a":1}]`, []string{`{"a":1}`}, "truncated"},
		{"garbage after the document", `{"Records":[{"a":1}]} trailing`, []string{`{"a":1}`}, "after the end"},
		{"not json", "Hello, this is not a log file\n", nil, "expected a JSON object"},
		{"empty file", "", nil, "empty file"},
		{"no Records member", `{"awsAccountId":"111122223333","digestStartTime":"x"}`, nil, `no "Records" array`},
		{"records not an array", `{"Records":{"a":1}}`, nil, "not an array"},
		{"record not an object", `{"Records":[{"a":1},42]}`, []string{`{"a":1}`}, "expected a record"},
		{"missing comma", `{"Records":[{"a":1}{"b":2}]}`, []string{`{"a":1}`}, "expected ','"},
	}
	for _, tc := range tests {
		for _, mode := range []string{"whole", "one byte at a time"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				var r io.Reader = strings.NewReader(tc.in)
				if mode != "whole" {
					r = iotest.OneByteReader(r)
				}
				got, err := readAll(r)
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("records = %.200q, want %.200q", got, tc.want)
				}
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("error = %v, want a clean end", err)
				case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
					t.Errorf("error = %v, want one containing %q", err, tc.wantErr)
				}
			})
		}
	}
}

func TestRecordReaderReadError(t *testing.T) {
	boom := errors.New("connection reset")
	r := io.MultiReader(strings.NewReader(`{"Records":[{"a":1},{"b":`), iotest.ErrReader(boom))
	got, err := readAll(r)
	if len(got) != 1 || !errors.Is(err, boom) {
		t.Fatalf("got %q, %v; want one record and the read error", got, err)
	}
}

// recordStream generates a CloudTrail log file of n records on the fly, never held in memory.
type recordStream struct {
	n, i  int
	state int
	buf   bytes.Buffer
}

func (s *recordStream) Read(p []byte) (int, error) {
	for s.buf.Len() < len(p) {
		switch {
		case s.state == 0:
			s.buf.WriteString(`{"Records":[`)
			s.state = 1
		case s.i < s.n:
			if s.i > 0 {
				s.buf.WriteByte(',')
			}
			fmt.Fprintf(&s.buf, `{"eventVersion":"1.08","eventTime":"2025-01-01T00:00:00Z","eventName":"GetObject","i":%d,"userAgent":"%s"}`, s.i, strings.Repeat("u", 900))
			s.i++
		case s.state == 1:
			s.buf.WriteString("]}")
			s.state = 2
		default:
			if s.buf.Len() == 0 {
				return 0, io.EOF
			}
			return s.buf.Read(p)
		}
	}
	return s.buf.Read(p)
}

// TestRecordReaderStreams proves memory stays bounded: a 100 MB file passes through without the
// buffer growing past its initial size.
func TestRecordReaderStreams(t *testing.T) {
	const n = 100_000
	rr := NewRecordReader(&recordStream{n: n})
	count, err := countRecords(rr)
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("read %d records, want %d", count, n)
	}
	if rr.Offset() < 100e6 {
		t.Fatalf("stream was only %d bytes", rr.Offset())
	}
	if len(rr.buf) != initialBufSize {
		t.Fatalf("buffer grew to %d bytes for %d-byte records", len(rr.buf), 1000)
	}
}

// countRecords reads rr to its end and counts the records, without keeping them.
func countRecords(rr *RecordReader) (int, error) {
	for n := 0; ; n++ {
		if _, err := rr.Next(); err == io.EOF {
			return n, nil
		} else if err != nil {
			return n, err
		}
	}
}
