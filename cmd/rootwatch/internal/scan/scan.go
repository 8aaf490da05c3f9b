package scan

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unique"

	"github.com/klauspost/compress/gzip"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
)

// Rule is a catalogue control compiled for scanning: it matches an event when any of its
// patterns (Pattern, then ExtraPatterns) does, exactly as the alarms it deploys would fire.
type Rule struct {
	Control  catalog.Control
	patterns []*filterpattern.Pattern
}

// Compile parses the patterns of the given controls with filterpattern, the engine that also
// checks the patterns the alarms deploy.
func Compile(controls []catalog.Control) ([]Rule, error) {
	rules := make([]Rule, 0, len(controls))
	for _, c := range controls {
		r := Rule{Control: c}
		for _, src := range c.Patterns() {
			if src == "" {
				continue
			}
			p, err := filterpattern.Parse(src)
			if err != nil {
				return nil, fmt.Errorf("control %s: pattern %q: %w", c.ID, src, err)
			}
			r.patterns = append(r.patterns, p)
		}
		if len(r.patterns) == 0 {
			return nil, fmt.Errorf("control %s has no filter pattern", c.ID)
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// Match reports whether the record matches the rule.
func (r *Rule) Match(rec []byte) bool {
	for _, p := range r.patterns {
		if p.Match(rec) {
			return true
		}
	}
	return false
}

// matcher evaluates the patterns of all the rules on a record at once: a filterpattern.Set reads
// the record once, whatever the number of patterns, and skips the patterns its literal index rules
// out (most records need only a lookup of their eventName), so a scan of every control runs
// about as fast as a scan of one.
type matcher struct {
	set   *filterpattern.Set // nil: each rule's Match, in turn (the reference the tests compare with)
	rules []Rule
	owner []int // the rule of each pattern of set
}

func newMatcher(rules []Rule) *matcher {
	m := &matcher{rules: rules}
	var ps []*filterpattern.Pattern
	for i, r := range rules {
		for _, p := range r.patterns {
			ps = append(ps, p)
			m.owner = append(m.owner, i)
		}
	}
	m.set = filterpattern.NewSet(ps...)
	return m
}

// match appends to dst the indices of the rules rec matches, in increasing order, using hits as
// scratch space; it returns dst and hits, extended.
func (m *matcher) match(rec []byte, dst, hits []int) ([]int, []int) {
	if m.set == nil {
		for i := range m.rules {
			if m.rules[i].Match(rec) {
				dst = append(dst, i)
			}
		}
		return dst, hits
	}
	hits = m.set.Match(rec, hits[:0])
	for _, h := range hits { // in increasing order, so a rule's patterns are adjacent
		if r := m.owner[h]; len(dst) == 0 || dst[len(dst)-1] != r {
			dst = append(dst, r)
		}
	}
	return dst, hits
}

// Input is one log file to read.
type Input struct {
	Name    string // a path or an s3:// URL, as reported to the user
	Size    int64  // bytes as stored (compressed), or -1 if unknown
	Account string // the account the key layout names, if any (used when an event lacks it)
	Open    func(ctx context.Context) (io.ReadCloser, error)
	// Retries is how many times a read that fails in transport (not in decoding) may be
	// resumed by opening the input again and skipping the records already scanned.
	Retries int
}

// Source enumerates inputs.
type Source interface {
	// Check reports why the source cannot be read at all (a missing path or bucket, no
	// credentials), before the scan starts.
	Check(ctx context.Context) error
	// Enumerate lists the inputs of the window to l; it returns when everything is listed or ctx
	// is done.
	Enumerate(ctx context.Context, w Window, l Lister)
	// LookedFor says what Enumerate looks for, for the message when it finds nothing.
	LookedFor(w Window) string
	String() string
}

// Lister receives what a Source finds.
type Lister struct {
	// Emit is called for each input; it returns false when the scan is stopping.
	Emit func(Input) bool
	// Problem is called for each part of the source that could not be listed.
	Problem func(name string, err error)
	// NotLog is called for each file that is not a CloudTrail log file (see isLogKey): skipped.
	NotLog func(name string)
}

// Window is the time range of the review, [Since, Until).
type Window struct{ Since, Until time.Time }

// Contains reports whether t lies in the window.
func (w Window) Contains(t time.Time) bool { return !t.Before(w.Since) && t.Before(w.Until) }

// Options configures a scan.
type Options struct {
	Window  Window
	Rules   []Rule
	Workers int // concurrent inputs; 0 means GOMAXPROCS
	// Problem is told of each input that was skipped or damaged, as it happens (the CLI writes
	// it to stderr). Calls are serialized, never concurrent. It may be nil.
	Problem func(Problem)
	// reference evaluates each rule's patterns one by one instead of all at once, and decodes
	// findings with encoding/json alone (unmarshalEvent): the reference the tests compare the
	// scan with.
	reference bool
}

// Problem is an input that could not be read, or not to its end.
type Problem struct {
	Input   string `json:"input"`
	Error   string `json:"error"`
	Records int64  `json:"records_scanned"` // records scanned before the error (their findings are kept)
	// NoLogFiles marks a source (a path or an s3:// URL given) in which no CloudTrail log file was
	// found: nothing was read from it.
	NoLogFiles bool `json:"no_log_files,omitempty"`
}

// ControlSummary counts one control's findings.
type ControlSummary struct {
	ID       string `json:"control"`
	Title    string `json:"title"`
	Matches  int    `json:"matches"`
	Failures int    `json:"failures"`
	// NoMFA counts successful console sign-ins (ConsoleLogin) without MFA: API calls carry no
	// sign-in, and a failed sign-in let nobody in.
	NoMFA int `json:"sign_ins_without_mfa"`
	// AccessKey counts requests made with a long-term access key (AKIA...), their own count.
	AccessKey int       `json:"long_term_access_key_calls"`
	Accounts  []string  `json:"accounts"`
	First     time.Time `json:"first,omitzero"`
	Last      time.Time `json:"last,omitzero"`
}

// Stats are live counters, safe to read while a scan runs (for progress display).
type Stats struct {
	InputsListed  atomic.Int64
	InputsDone    atomic.Int64
	InputsFailed  atomic.Int64
	BytesRead     atomic.Int64 // as stored (compressed)
	BytesDecoded  atomic.Int64 // JSON bytes
	Records       atomic.Int64
	Matches       atomic.Int64
	OutsideWindow atomic.Int64 // matching events dropped because eventTime is outside the window
	NotLogs       atomic.Int64 // files skipped because they are not CloudTrail log files
}

// Result is what a scan found. When the scan was interrupted it holds what was found so far.
type Result struct {
	Findings      []Finding
	Controls      []ControlSummary
	Problems      []Problem
	Inputs        int64 // inputs scanned to the end
	InputsListed  int64
	BytesRead     int64
	BytesDecoded  int64
	Records       int64
	OutsideWindow int64
	Undated       int64 // findings whose eventTime could not be parsed (reported, not dropped)
	NotLogs       int64 // files skipped because they are not CloudTrail log files (digests, AWS Config files, ...)
	// NothingRead is set when no source held a CloudTrail log file (each is a Problem with
	// NoLogFiles): the scan read nothing, which is never a clean result.
	NothingRead bool
	// RootSessions counts the sts:AssumeRoot events (with a session key) read, whatever the
	// selected controls and the window; SessionsLinked and SessionsUnlinked count the root
	// findings made with a session key that one of them opened, and the others.
	RootSessions     int
	SessionsLinked   int
	SessionsUnlinked int
	Interrupted      bool
	Elapsed          time.Duration
}

// Run scans the sources. Cancelling ctx stops the scan; the Result then has Interrupted set and
// holds everything found until then. stats may be nil.
func Run(ctx context.Context, sources []Source, opts Options, stats *Stats) *Result {
	if stats == nil {
		stats = new(Stats)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	start := time.Now()
	res := &Result{}
	var mu sync.Mutex     // guards found, res.Problems and sessions
	var found [][]Finding // each worker's findings
	sessions := map[string]rootSession{}
	problem := func(p Problem) {
		stats.InputsFailed.Add(1)
		mu.Lock()
		defer mu.Unlock() // also serializes opts.Problem: workers report concurrently
		res.Problems = append(res.Problems, p)
		if opts.Problem != nil {
			opts.Problem(p)
		}
	}

	inputs := make(chan Input, 4*workers)
	var empty atomic.Int64 // sources that held no log file
	go func() {
		defer close(inputs)
		var wg sync.WaitGroup
		for _, src := range sources {
			wg.Go(func() {
				if enumerate(ctx, src, opts.Window, inputs, stats, problem) {
					empty.Add(1)
				}
			})
		}
		wg.Wait()
	}()

	m := newMatcher(opts.Rules)
	if opts.reference {
		m.set = nil
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := newWorker(opts, m, stats)
			for in := range inputs {
				if ctx.Err() != nil {
					continue // drain
				}
				n, err := w.scanInput(ctx, in)
				switch {
				case err == nil:
					stats.InputsDone.Add(1)
				case ctx.Err() != nil:
					// interrupted: the input is neither done nor damaged
				default:
					problem(Problem{Input: in.Name, Error: err.Error(), Records: n})
				}
			}
			mu.Lock()
			found = append(found, w.findings)
			for _, s := range w.sessions {
				keep(sessions, s)
			}
			mu.Unlock()
		})
	}
	wg.Wait()

	if len(found) == 1 {
		res.Findings = found[0]
	} else {
		res.Findings = slices.Concat(found...) // one copy, of the exact size
	}
	found = nil
	res.Interrupted = ctx.Err() != nil
	res.Elapsed = time.Since(start)
	res.takeCounts(stats)
	res.NothingRead = !res.Interrupted && len(sources) > 0 && empty.Load() == int64(len(sources))
	// Joined only now that every input is read: an AssumeRoot event may be in any file, read by
	// any worker, before or after the member account's records.
	res.RootSessions = len(sessions)
	res.SessionsLinked, res.SessionsUnlinked = linkSessions(res.Findings, sessions)
	sortFindings(res.Findings)
	sort.Slice(res.Problems, func(i, j int) bool { return res.Problems[i].Input < res.Problems[j].Input })
	res.Controls = summarize(opts.Rules, res.Findings)
	for _, f := range res.Findings {
		if f.Time.IsZero() {
			res.Undated++
		}
	}
	return res
}

// takeCounts copies the scan's final counts from stats.
func (res *Result) takeCounts(stats *Stats) {
	res.Inputs = stats.InputsDone.Load()
	res.InputsListed = stats.InputsListed.Load()
	res.BytesRead = stats.BytesRead.Load()
	res.BytesDecoded = stats.BytesDecoded.Load()
	res.Records = stats.Records.Load()
	res.OutsideWindow = stats.OutsideWindow.Load()
	res.NotLogs = stats.NotLogs.Load()
}

// sortFindings orders findings by time, then account, event id, control and input (stable).
func sortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := &fs[i], &fs[j] // not copies: a Finding is half a kilobyte
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.EventID != b.EventID {
			return a.EventID < b.EventID
		}
		if a.Control != b.Control {
			return a.Control < b.Control
		}
		return a.Input < b.Input
	})
}

// enumerate lists src into inputs. It reports true, after telling problem, when the source held no
// log file in the window and could be listed without error: nothing was read from it.
func enumerate(
	ctx context.Context,
	src Source,
	w Window,
	inputs chan<- Input,
	stats *Stats,
	problem func(Problem),
) bool {
	var listed, problems, notLogs atomic.Int64 // an S3 source lists day folders in parallel
	src.Enumerate(ctx, w, Lister{
		Emit: func(in Input) bool {
			listed.Add(1)
			stats.InputsListed.Add(1)
			select {
			case inputs <- in:
				return true
			case <-ctx.Done():
				return false
			}
		},
		Problem: func(name string, err error) {
			problems.Add(1)
			problem(Problem{Input: name, Error: err.Error()})
		},
		NotLog: func(string) {
			notLogs.Add(1)
			stats.NotLogs.Add(1)
		},
	})
	if listed.Load() > 0 || problems.Load() > 0 || ctx.Err() != nil {
		return false
	}
	msg := "no CloudTrail log files (" + src.LookedFor(w)
	if n := notLogs.Load(); n > 0 {
		msg += fmt.Sprintf("; %d files skipped: not CloudTrail logs", n)
	}
	problem(Problem{Input: src.String(), Error: msg + ")", NoLogFiles: true})
	return true
}

func summarize(rules []Rule, fs []Finding) []ControlSummary {
	out := make([]ControlSummary, len(rules))
	idx := map[string]int{}
	accts := make([]map[string]bool, len(rules))
	for i, r := range rules {
		out[i] = ControlSummary{ID: r.Control.ID, Title: r.Control.Title, Accounts: []string{}}
		idx[r.Control.ID] = i
		accts[i] = map[string]bool{}
	}
	for _, f := range fs {
		i, ok := idx[f.Control]
		if !ok {
			continue
		}
		s := &out[i]
		s.Matches++
		if f.Outcome == "failure" {
			s.Failures++
		}
		if signInWithoutMFA(f) {
			s.NoMFA++
		}
		if f.Credential == CredentialLongTermKey {
			s.AccessKey++
		}
		if f.Account != "" && !accts[i][f.Account] {
			accts[i][f.Account] = true
			s.Accounts = append(s.Accounts, f.Account)
		}
		if !f.Time.IsZero() {
			if s.First.IsZero() || f.Time.Before(s.First) {
				s.First = f.Time
			}
			if f.Time.After(s.Last) {
				s.Last = f.Time
			}
		}
	}
	for i := range out {
		sort.Strings(out[i].Accounts)
	}
	return out
}

// signInWithoutMFA reports a successful console sign-in whose additionalEventData.MFAUsed is no.
func signInWithoutMFA(f Finding) bool {
	if f.EventName != "ConsoleLogin" || f.Outcome != "success" {
		return false
	}
	switch f.MFA {
	case "No", "NO", "no":
		return true
	}
	return false
}

// worker holds the per-goroutine buffers reused from one input to the next.
type worker struct {
	opts     Options
	m        *matcher
	rules    []int // scratch: the rules a record matched
	hits     []int // scratch: the patterns it matched
	stats    *Stats
	br       *bufio.Reader
	gz       *gzip.Reader
	rr       *RecordReader
	findings []Finding
	sessions map[string]rootSession // AssumeRoot events by the key id they returned
}

func newWorker(opts Options, m *matcher, stats *Stats) *worker {
	return &worker{opts: opts, m: m, stats: stats, br: bufio.NewReaderSize(nil, 256<<10), rr: NewRecordReader(nil),
		sessions: map[string]rootSession{}}
}

// rootQuote anchors the search for "AssumeRoot" in every record: 'R' is rare in CloudTrail JSON
// while '"' is everywhere, so searching for `Root"` and then checking the bytes before it costs
// a few tens of nanoseconds per record, about twenty times less than searching for
// `"AssumeRoot"` (measured on corpus records, go1.26, amd64).
var rootQuote = []byte(`Root"`)

// mayBeAssumeRoot reports whether rec holds the JSON string "AssumeRoot", which every
// sts:AssumeRoot event does (as its eventName): only such records are decoded by noteSession.
func mayBeAssumeRoot(rec []byte) bool {
	const before = `"Assume`
	for {
		i := bytes.Index(rec, rootQuote)
		if i < 0 {
			return false
		}
		if i >= len(before) && string(rec[i-len(before):i]) == before {
			return true
		}
		rec = rec[i+len(rootQuote):]
	}
}

// noteSession keeps an sts:AssumeRoot event, whatever the selected controls and the window (a
// session opened just before the window may be used inside it), to link root findings to it.
func (w *worker) noteSession(rec []byte) {
	var e cloudTrailEvent
	if readEvent(rec, &e) != nil {
		return // a matching rule reports the record if it cannot be decoded
	}
	if s, ok := sessionOpened(&e); ok {
		keep(w.sessions, s)
	}
}

// transportError marks a failure to read the stored bytes (network, disk), as opposed to a
// failure to decode them; only the former is worth retrying.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// countingReader counts stored bytes and tags read errors as transport errors.
type countingReader struct {
	r     io.Reader
	stats *Stats
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.stats.BytesRead.Add(int64(n))
	if err != nil && err != io.EOF {
		err = &transportError{err}
	}
	return n, err
}

// scanInput scans one input and returns the number of records scanned. Findings are appended to
// w.findings as they are found, so a damaged input keeps what it yielded before the damage.
func (w *worker) scanInput(ctx context.Context, in Input) (int64, error) {
	var done int64 // records scanned, across attempts
	for attempt := 0; ; attempt++ {
		err := w.scanAttempt(ctx, in, &done)
		var te *transportError
		if err == nil || ctx.Err() != nil || !errors.As(err, &te) || attempt >= in.Retries {
			return done, err
		}
		select { // brief backoff before resuming
		case <-time.After(time.Duration(200*(attempt+1)) * time.Millisecond):
		case <-ctx.Done():
			return done, ctx.Err()
		}
	}
}

func (w *worker) scanAttempt(ctx context.Context, in Input, done *int64) error {
	rc, err := in.Open(ctx) // not retried here: the S3 client retries transient errors itself
	if err != nil {
		return err
	}
	defer rc.Close()
	w.br.Reset(&countingReader{r: rc, stats: w.stats})
	var src io.Reader = w.br
	head, err := w.br.Peek(2)
	if err != nil && len(head) == 0 {
		if err == io.EOF {
			return errors.New("empty file")
		}
		return err
	}
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		if w.gz == nil {
			w.gz, err = gzip.NewReader(w.br)
		} else {
			err = w.gz.Reset(w.br)
		}
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		src = &gzipErrReader{w.gz}
	}
	w.rr.Reset(src)
	skip := *done
	var n, pending int64
	decodedAt := w.rr.Offset()
	flush := func() {
		off := w.rr.Offset()
		w.stats.BytesDecoded.Add(off - decodedAt)
		w.stats.Records.Add(pending)
		decodedAt, pending = off, 0
	}
	defer flush()
	for {
		rec, err := w.rr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		n++
		if n <= skip {
			continue // already scanned in an earlier attempt
		}
		*done = n
		pending++
		if pending == 1024 {
			flush()
			if ctx.Err() != nil {
				return ctx.Err()
			}
		}
		if mayBeAssumeRoot(rec) {
			w.noteSession(rec)
		}
		w.rules, w.hits = w.m.match(rec, w.rules[:0], w.hits)
		if len(w.rules) == 0 {
			continue
		}
		read := readEvent
		if w.opts.reference {
			read = unmarshalEvent
		}
		f, err := decodeWith(rec, read) // once per record, however many controls it matched
		if err != nil {
			return fmt.Errorf("record %d: %w", n, err)
		}
		if !f.Time.IsZero() && !w.opts.Window.Contains(f.Time) {
			w.stats.OutsideWindow.Add(int64(len(w.rules)))
			continue
		}
		if f.Account == "" {
			f.Account = in.Account
		}
		f.Input = in.Name
		share(&f)
		for _, i := range w.rules {
			f.Control = w.opts.Rules[i].Control.ID
			w.findings = append(w.findings, f)
			w.stats.Matches.Add(1)
		}
	}
}

// share replaces the fields of f that repeat from one event to the next (accounts, regions, event
// names, error messages, user agents, who acted) by the one copy that unique keeps of each, so
// that findings hold little more than what is their own (time, event id, source IP, console
// link). A scan that finds tens of thousands of events holds them all until it reports them
// sorted; sharing cuts that memory by about a third.
func share(f *Finding) {
	for _, s := range []*string{&f.Account, &f.Region, &f.EventName, &f.EventSource, &f.ErrorCode, &f.ErrorMessage,
		&f.UserAgent, &f.MFA, &f.IdentityType, &f.IdentityARN, &f.Principal, &f.AccessKeyID} {
		*s = unique.Make(*s).Value()
	}
}

// gzipErrReader names decompression failures as such ("gzip: unexpected EOF" for a truncated
// file, "gzip: flate: corrupt input ..." for damaged data), leaving transport errors as they are.
type gzipErrReader struct{ r io.Reader }

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		var te *transportError
		if !errors.As(err, &te) && !strings.HasPrefix(err.Error(), "gzip: ") {
			err = fmt.Errorf("gzip: %w", err)
		}
	}
	return n, err
}
