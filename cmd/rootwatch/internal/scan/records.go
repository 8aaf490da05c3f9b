package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/rootwatch/rootwatch/internal/jsonlex"
)

// MaxRecordSize bounds the size of one CloudTrail record (and of any other top-level value in a log
// file). CloudTrail's own limit is far lower (an event is at most 256 KB); a larger value means
// the file is not a CloudTrail log, and reading stops there instead of buffering without bound.
const MaxRecordSize = 64 << 20

const initialBufSize = 256 << 10

// errTruncated is returned when input ends inside the JSON document.
var errTruncated = errors.New("unexpected end of input (truncated file?)")

// SyntaxError reports input that is not a CloudTrail log file: where (byte offset in the
// decompressed stream) and what was found.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// RecordReader streams the records of a CloudTrail log file: a JSON object {"Records": [ {...},
// ... ]} as CloudTrail writes it, or, for convenience, a bare JSON array of records (the shape of
// most published samples). It never holds more than one record (plus a read-ahead buffer) in
// memory, whatever the size of the file: it splits the byte stream at record boundaries by
// tracking strings and nesting, without decoding. Each record returned is checked only for
// balanced structure; the filter-pattern evaluator rejects a record that is not well-formed JSON.
type RecordReader struct {
	r      io.Reader
	buf    []byte
	start  int   // first unconsumed byte
	end    int   // end of valid data
	base   int64 // stream offset of buf[0]
	rerr   error // sticky read error (io.EOF at end of input)
	state  int
	nested bool // true once inside the Records array of the wrapper object
	object bool // the top-level value is an object (the CloudTrail wrapper)
}

const (
	stTop      = iota // before the first byte
	stObjKey          // in the top-level object, expecting a key or '}'
	stObjNext         // in the top-level object after a value: ',' or '}'
	stArrFirst        // in the records array, expecting a record or ']'
	stArrNext         // in the records array after a record: ',' or ']'
	stTrailer         // top-level value closed: only whitespace may follow
	stDone
)

// NewRecordReader returns a RecordReader reading from r. Reset reuses one for another stream.
func NewRecordReader(r io.Reader) *RecordReader {
	rr := &RecordReader{buf: make([]byte, initialBufSize)}
	rr.Reset(r)
	return rr
}

// Reset makes rr read a new stream, keeping its buffer.
func (rr *RecordReader) Reset(r io.Reader) {
	rr.r, rr.start, rr.end, rr.base, rr.rerr, rr.state, rr.nested, rr.object = r, 0, 0, 0, nil, stTop, false, false
}

// Offset is the number of decompressed bytes consumed so far.
func (rr *RecordReader) Offset() int64 { return rr.base + int64(rr.start) }

// fill reads more input, moving unconsumed bytes to the front and growing the buffer when the
// unconsumed part fills it. It returns false when no more input can be had (rr.rerr says why).
func (rr *RecordReader) fill() bool {
	if rr.rerr != nil {
		return false
	}
	if rr.start > 0 {
		n := copy(rr.buf, rr.buf[rr.start:rr.end])
		rr.base += int64(rr.start)
		rr.start, rr.end = 0, n
	}
	if rr.end == len(rr.buf) {
		if len(rr.buf) >= MaxRecordSize {
			rr.rerr = &SyntaxError{
				rr.base,
				fmt.Sprintf("a single JSON value exceeds %d MiB; not a CloudTrail log file", MaxRecordSize>>20),
			}
			return false
		}
		nb := make([]byte, min(2*len(rr.buf), MaxRecordSize))
		copy(nb, rr.buf[:rr.end])
		rr.buf = nb
	}
	for tries := 0; tries < 100; tries++ {
		n, err := rr.r.Read(rr.buf[rr.end:])
		rr.end += n
		if err != nil {
			rr.rerr = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	rr.rerr = io.ErrNoProgress
	return false
}

// skipWS advances past whitespace; it returns the next byte and true, or false at end of input.
func (rr *RecordReader) skipWS() (byte, bool) {
	for {
		for rr.start < rr.end {
			if c := rr.buf[rr.start]; !jsonlex.IsSpace(c) {
				return c, true
			}
			rr.start++
		}
		if !rr.fill() {
			return 0, false
		}
	}
}

func (rr *RecordReader) syntax(format string, a ...any) error {
	return &SyntaxError{rr.Offset(), fmt.Sprintf(format, a...)}
}

// eofErr turns the end of input in the middle of the document into an error.
func (rr *RecordReader) eofErr() error {
	if rr.rerr == nil || rr.rerr == io.EOF {
		return errTruncated
	}
	return rr.rerr
}

// Next returns the next record. The slice is valid until the next call. At the end of a
// well-formed file it returns io.EOF; any other error means the file is damaged or unreadable
// from that point (records returned before it were complete).
//
// Like encoding/json's scanner, the reader is a state machine: each state has one step, which
// consumes input, moves to the next state, and may yield a record or an error.
func (rr *RecordReader) Next() ([]byte, error) {
	for {
		var rec []byte
		var err error
		switch rr.state {
		case stTop:
			err = rr.stepTop()
		case stObjKey:
			err = rr.stepMember()
		case stObjNext:
			err = rr.stepAfterMember()
		case stArrFirst, stArrNext:
			rec, err = rr.stepRecord()
		case stTrailer:
			err = rr.stepTrailer()
		case stDone:
			return nil, io.EOF
		}
		if rec != nil || err != nil {
			return rec, err
		}
	}
}

// stepTop reads the first byte of the document (after a UTF-8 byte order mark): '{' opens the
// CloudTrail wrapper object, '[' a bare array of records.
func (rr *RecordReader) stepTop() error {
	c, ok := rr.skipWS()
	if !ok {
		if rr.Offset() == 0 && (rr.rerr == io.EOF) {
			return rr.syntax("empty file")
		}
		return rr.eofErr()
	}
	if rr.Offset() == 0 && c == 0xEF { // UTF-8 byte order mark
		for rr.end-rr.start < 3 && rr.fill() {
		}
		if bytes.HasPrefix(rr.buf[rr.start:rr.end], []byte("\xEF\xBB\xBF")) {
			rr.start += 3
			return nil
		}
	}
	switch c {
	case '{':
		rr.start++
		rr.state = stObjKey
		rr.object = true
	case '[':
		rr.start++
		rr.state = stArrFirst
	default:
		return rr.syntax("expected a JSON object {\"Records\": [...]} or array, found %q", c)
	}
	return nil
}

// stepMember reads one member of the wrapper object, or its closing '}'. The first "Records"
// array is entered (its records are read by stepRecord); any other member's value is skipped.
func (rr *RecordReader) stepMember() error {
	c, ok := rr.skipWS()
	if !ok {
		return rr.eofErr()
	}
	if c == '}' {
		rr.start++
		rr.state = stTrailer
		return nil
	}
	if c != '"' {
		return rr.syntax("expected an object key, found %q", c)
	}
	n, err := rr.valueLen()
	if err != nil {
		return err
	}
	// Decide now: reading on may move the buffer's contents.
	isRecords := string(rr.buf[rr.start:rr.start+n]) == `"Records"`
	rr.start += n
	if c, ok = rr.skipWS(); !ok {
		return rr.eofErr()
	}
	if c != ':' {
		return rr.syntax("expected ':', found %q", c)
	}
	rr.start++
	if c, ok = rr.skipWS(); !ok {
		return rr.eofErr()
	}
	if isRecords && !rr.nested {
		switch c {
		case '[':
			rr.start++
			rr.nested = true
			rr.state = stArrFirst
			return nil
		case 'n': // "Records": null
			rr.nested = true
		default:
			return rr.syntax("\"Records\" is not an array")
		}
	}
	// Some other member (or a null Records): skip its value.
	if n, err = rr.valueLen(); err != nil {
		return err
	}
	rr.start += n
	rr.state = stObjNext
	return nil
}

// stepAfterMember reads what follows a member of the wrapper object: ',' or '}'.
func (rr *RecordReader) stepAfterMember() error {
	c, ok := rr.skipWS()
	if !ok {
		return rr.eofErr()
	}
	switch c {
	case ',':
		rr.state = stObjKey
	case '}':
		rr.state = stTrailer
	default:
		return rr.syntax("expected ',' or '}', found %q", c)
	}
	rr.start++
	return nil
}

// stepRecord reads the next record of the records array, or its closing ']', and returns the
// record (nil at the ']').
func (rr *RecordReader) stepRecord() ([]byte, error) {
	c, ok := rr.skipWS()
	if !ok {
		return nil, rr.eofErr()
	}
	if c == ']' {
		rr.start++
		if rr.nested {
			rr.state = stObjNext
		} else {
			rr.state = stTrailer
		}
		return nil, nil
	}
	if rr.state == stArrNext {
		if c != ',' {
			return nil, rr.syntax("expected ',' or ']' between records, found %q", c)
		}
		rr.start++
		if c, ok = rr.skipWS(); !ok {
			return nil, rr.eofErr()
		}
	}
	if c != '{' {
		return nil, rr.syntax("expected a record (JSON object), found %q", c)
	}
	n, err := rr.valueLen()
	if err != nil {
		return nil, err
	}
	rec := rr.buf[rr.start : rr.start+n]
	rr.start += n
	rr.state = stArrNext
	return rec, nil
}

// stepTrailer reads what follows the document: only whitespace, then the end of input (io.EOF,
// or a syntax error for a wrapper object without "Records").
func (rr *RecordReader) stepTrailer() error {
	c, ok := rr.skipWS()
	if ok {
		return rr.syntax("unexpected %q after the end of the JSON document", c)
	}
	if rr.rerr != io.EOF {
		return rr.rerr
	}
	rr.state = stDone
	if rr.object && !rr.nested {
		return &SyntaxError{rr.Offset(), `no "Records" array: not a CloudTrail log file`}
	}
	return io.EOF
}

// valueLen returns the length of the JSON value starting at buf[start] (which is not
// whitespace), reading more input as needed. Objects, arrays and strings are delimited by
// tracking nesting and string escapes; scalars end at the next delimiter.
func (rr *RecordReader) valueLen() (int, error) {
	i := 0 // offset from rr.start; rr.start may move when fill compacts, so work relative to it
	depth := 0
	inStr := false
	first := rr.buf[rr.start]
	if first != '{' && first != '[' && first != '"' {
		// scalar: number, true, false, null
		for {
			for rr.start+i < rr.end {
				if c := rr.buf[rr.start+i]; c == ',' || c == '}' || c == ']' || jsonlex.IsSpace(c) {
					return i, nil
				}
				i++
			}
			if !rr.fill() {
				if rr.rerr == io.EOF && i > 0 {
					return i, nil
				}
				return 0, rr.eofErr()
			}
		}
	}
	for {
		buf := rr.buf[rr.start:rr.end]
		for i < len(buf) {
			if inStr {
				j := bytes.IndexByte(buf[i:], '"')
				if j < 0 {
					i = len(buf)
					break
				}
				i += j + 1
				// buf starts at the value, so it holds the string's opening quote.
				if jsonlex.Escaped(buf, i-1) {
					continue
				}
				inStr = false
				if depth == 0 { // a top-level string value
					return i, nil
				}
				continue
			}
			switch buf[i] {
			case '"':
				inStr = true
			case '{', '[':
				depth++
				if depth > jsonlex.MaxDepth {
					return 0, rr.syntax("nesting deeper than %d", jsonlex.MaxDepth)
				}
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		if !rr.fill() {
			return 0, rr.eofErr()
		}
	}
}
