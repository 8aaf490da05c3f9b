package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/athenascan"
	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/scan"
)

// defaultControls is what a scan evaluates without --controls: root usage, the question the
// periodic review answers, and root sessions opened with sts:AssumeRoot (in the management
// account's logs), whose calls in member accounts are root usage there.
const defaultControls = "root-usage," + catalog.RootSessionOpened

func stderrIsTerminal() bool { return term.IsTerminal(int(os.Stderr.Fd())) }

type scanFlags struct {
	since, until, controls, format string
	region, endpointURL            string
	athena, athenaDatabase         string
	workers                        int
	workersSet                     bool // --workers was given (then 0 is refused, not the default)
	failOnMatch                    bool
}

// maxWorkers bounds --workers. Each worker holds one log file open, its gzip stream and the
// records being matched, and reading S3 one HTTP connection: a bound keeps a mistyped value from
// exhausting memory (100000000 workers once took 24 GB before being stopped). 256 is above the S3
// default (4 per CPU, at least 16) of any machine up to 64 CPUs, and past it a scan gains nothing:
// the network and the CPUs that decompress and match are saturated long before.
const maxWorkers = 256

// parseInterleaved parses flags wherever they stand among the positional arguments
// ("rootwatch scan s3://b/p --since 30d"), which the flag package alone does not.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag, or after "--" (then everything is positional).
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newScanFlags defines the flags of scan. Its output is discarded: runScan prints the errors
// and the usage itself, to the stream each belongs on.
func newScanFlags(f *scanFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("rootwatch scan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(
		&f.since,
		"since",
		"90d",
		"start of the review window, from "+scan.CloudTrailLaunch.Format(
			"2006-01-02",
		)+" (CloudTrail's launch): "+scan.TimeForms,
	)
	fs.StringVar(&f.until, "until", "", fmt.Sprintf("end of the review window (exclusive), same forms as --since, at "+
		"most %d hours from now (default now)", int(scan.DeliveryMargin.Hours())))
	fs.StringVar(
		&f.controls,
		"controls",
		defaultControls,
		`comma-separated controls as "rootwatch controls" lists them (root-usage, 5.3, cis-1.4:4.3, CloudWatch.1), "all" (the 15 CIS controls and root-session-opened) or "extras"`,
	)
	fs.StringVar(&f.format, "format", "table", "output format: table, json (one object per line) or csv")
	fs.BoolVar(&f.failOnMatch, "fail-on-match", false, "exit 1 if any event matches (for CI)")
	fs.StringVar(&f.region, "region", "", "AWS region of the bucket (default: from the AWS "+
		"config/environment, else us-east-1)")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "S3 endpoint URL (for S3-compatible servers and tests; implies "+
		"path-style addressing), or with --athena the Athena endpoint URL")
	fs.StringVar(&f.athena, "athena", "", "run the scan in this Athena workgroup (the stack's athenaWorkgroup "+
		"output) instead of reading log files: one query over the window's days, its bytes scanned and cost reported")
	fs.StringVar(&f.athenaDatabase, "athena-database", "", "with --athena: the Glue database of the CloudTrail table "+
		"(default: the database of the workgroup's rootwatch named queries)")
	fs.IntVar(&f.workers, "workers", 0, fmt.Sprintf("log files read at once, 1 to %d (default: the number of CPUs "+
		"for local files, 4 per CPU (at least 16) when reading S3, at most %d)", maxWorkers, maxWorkers))
	return fs
}

const scanUsageHead = `Usage: rootwatch scan [PATH|s3://bucket/prefix ...] [flags]
       rootwatch scan --athena WORKGROUP [flags]

Scans CloudTrail log files (.json.gz, .json, directories recursively, S3 prefixes) for events
matching the catalogue's controls (default: root usage and sts:AssumeRoot root sessions). Each
finding names who acted, the credential used (access key id; long-term key, session or console
sign-in), the error if any, a summary of the request and the event's CloudTrail console link;
root calls made in an AssumeRoot session are linked to the AssumeRoot event when the scanned logs
hold it (an organization trail). Files that are not CloudTrail logs (digests, AWS Config files)
are skipped and counted. Exit codes: 0 clean, 1 match with --fail-on-match, 2 usage error or
nothing to read (a missing path or bucket, no credentials, no CloudTrail log file), 3 input
skipped or damaged, 4 both 1 and 3, 130 interrupted.

Flags:
`

// printUsage prints a command's usage: head, then its flags.
func printUsage(w io.Writer, head string, fs *flag.FlagSet) {
	fmt.Fprint(w, head)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
}

// parseFlags parses a command's flags wherever they stand among its arguments. -h and --help
// print the usage on stdout (exit 0); a flag error prints the error and the usage on stderr (exit
// 2). ok is false when the command must return code. fs's own output must be discarded.
func parseFlags(
	fs *flag.FlagSet,
	head string,
	args []string,
	stdout, stderr io.Writer,
) (rest []string, code int, ok bool) {
	rest, err := parseInterleaved(fs, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		printUsage(stdout, head, fs)
		return nil, exitOK, false
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n\n", fs.Name(), err)
		printUsage(stderr, head, fs)
		return nil, exitUsage, false
	}
	return rest, exitOK, true
}

// parseScanArgs parses scan's flags and paths (parseFlags); no path is a usage error. ok is false
// when runScan must return code.
func parseScanArgs(args []string, stdout, stderr io.Writer) (f scanFlags, paths []string, code int, ok bool) {
	fs := newScanFlags(&f)
	if paths, code, ok = parseFlags(fs, scanUsageHead, args, stdout, stderr); !ok {
		return f, nil, code, false
	}
	fs.Visit(func(fl *flag.Flag) { f.workersSet = f.workersSet || fl.Name == "workers" })
	if f.athena != "" && len(paths) > 0 {
		fmt.Fprint(stderr, "rootwatch scan: --athena reads the trail through Athena: give no paths with it\n\n")
		printUsage(stderr, scanUsageHead, fs)
		return f, nil, exitUsage, false
	}
	if len(paths) == 0 && f.athena == "" {
		fmt.Fprint(stderr, "rootwatch scan: no input: give log files, directories or s3://bucket/prefix URLs, or "+
			"--athena WORKGROUP\n\n")
		printUsage(stderr, scanUsageHead, fs)
		return f, nil, exitUsage, false
	}
	return f, paths, exitOK, true
}

func runScan(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool) int {
	f, paths, code, ok := parseScanArgs(args, stdout, stderr)
	if !ok {
		return code
	}
	p, err := f.plan(ctx, paths, time.Now().UTC())
	if err != nil {
		fmt.Fprintf(stderr, "rootwatch scan: %v\n", err)
		return exitUsage
	}
	// A missing path or bucket, or no credentials: said first and alone, before any report.
	for _, src := range p.sources {
		if err := src.Check(ctx); err != nil {
			fmt.Fprintf(stderr, "rootwatch scan: could not start: %v\n", err)
			return exitUsage
		}
	}
	res := execute(ctx, p, stderr, tty)
	if res.NothingRead {
		fmt.Fprintln(stderr, "rootwatch scan: nothing was read: no input held a CloudTrail log file, so there is no "+
			"report (this is not a clean result)")
		return exitUsage
	}
	if err := scan.WriteReport(stdout, stderr, f.format, p.window, res); err != nil {
		fmt.Fprintf(stderr, "rootwatch scan: writing the report: %v\n", err)
		return exitUsage
	}
	if a := p.athena; a != nil && a.QueryID != "" {
		fmt.Fprintf(stderr, "Athena query %s in workgroup %s: %d rows, %d bytes scanned, about %.4f USD (%.0f USD "+
			"per TB scanned, 10 MB minimum)\n",
			a.QueryID, a.Workgroup, a.Rows, a.BytesScanned, athenascan.Cost(a.BytesScanned), athenascan.PricePerTB)
	}
	return exitCode(f.failOnMatch, res)
}

// scanPlan is a scan ready to run: the flags checked and turned into what scan.Run takes.
type scanPlan struct {
	window  scan.Window
	rules   []scan.Rule
	sources []scan.Source
	workers int
	athena  *athenascan.Source // with --athena
}

// plan checks the flags and paths; its errors are usage errors.
func (f *scanFlags) plan(ctx context.Context, paths []string, now time.Time) (*scanPlan, error) {
	p := &scanPlan{}
	var err error
	if p.window, err = f.parseWindow(now); err != nil {
		return nil, err
	}
	if !validFormat(f.format) {
		return nil, fmt.Errorf("--format %q: want table, json or csv", f.format)
	}
	if p.rules, err = f.parseControls(); err != nil {
		return nil, err
	}
	if f.workersSet && (f.workers < 1 || f.workers > maxWorkers) {
		return nil, fmt.Errorf("--workers %d: must be between 1 and %d", f.workers, maxWorkers)
	}
	if f.athena != "" {
		client, err := athenascan.NewClient(ctx, f.region, f.endpointURL)
		if err != nil {
			return nil, err
		}
		controls := make([]catalog.Control, len(p.rules))
		for i, r := range p.rules {
			controls[i] = r.Control
		}
		p.athena = &athenascan.Source{
			Client:    client,
			Workgroup: f.athena,
			Database:  f.athenaDatabase,
			Controls:  controls,
		}
		p.sources = []scan.Source{p.athena}
	} else if f.athenaDatabase != "" {
		return nil, errors.New("--athena-database needs --athena")
	}
	anyS3 := false
	var s3c *scan.S3Client
	for _, path := range paths {
		if !strings.HasPrefix(path, "s3://") {
			p.sources = append(p.sources, scan.LocalSource{Path: path})
			continue
		}
		bucket, prefix, err := scan.ParseS3URL(path)
		if err != nil {
			return nil, err
		}
		if s3c == nil {
			if s3c, err = scan.NewS3Client(ctx, f.region, f.endpointURL); err != nil {
				return nil, err
			}
		}
		anyS3 = true
		p.sources = append(p.sources, &scan.S3Source{Client: s3c, Bucket: bucket, Prefix: prefix})
	}
	p.workers = f.workers
	if p.workers == 0 {
		p.workers = runtime.GOMAXPROCS(0)
		if anyS3 {
			p.workers = max(16, 4*p.workers)
		}
		p.workers = min(p.workers, maxWorkers)
	}
	return p, nil
}

func (f *scanFlags) parseWindow(now time.Time) (scan.Window, error) {
	w := scan.Window{Until: now}
	var err error
	if w.Since, err = scan.ParseTime(f.since, now); err != nil {
		return w, fmt.Errorf("--since: %w", err)
	}
	if f.until != "" {
		if w.Until, err = scan.ParseTime(f.until, now); err != nil {
			return w, fmt.Errorf("--until: %w", err)
		}
	}
	// Both ends within CloudTrail's lifetime (scan.CheckBound): an unbounded --since made an S3
	// scan build one day prefix per day per region folder before its first call.
	if err := scan.CheckBound(w.Since, now); err != nil {
		return w, fmt.Errorf("--since %q: %w", f.since, err)
	}
	if err := scan.CheckBound(w.Until, now); err != nil {
		return w, fmt.Errorf("--until %q: %w", f.until, err)
	}
	if !w.Since.Before(w.Until) {
		return w, fmt.Errorf(
			"the window is empty: --since %s is not before --until %s",
			w.Since.Format(time.RFC3339),
			w.Until.Format(time.RFC3339),
		)
	}
	return w, nil
}

func (f *scanFlags) parseControls() ([]scan.Rule, error) {
	var ids []string
	for _, id := range strings.Split(f.controls, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, errors.New("--controls is empty")
	}
	controls, err := catalog.Select(ids)
	if err != nil {
		return nil, fmt.Errorf("--controls: %s", strings.TrimPrefix(err.Error(), "catalog: "))
	}
	if len(controls) == 0 {
		return nil, errors.New("--controls selects no control")
	}
	return scan.Compile(controls)
}

// execute runs the scan, with progress on a terminal and each problem on stderr as it happens.
func execute(ctx context.Context, p *scanPlan, stderr io.Writer, tty bool) *scan.Result {
	var stats scan.Stats
	var errMu sync.Mutex // progress and problem lines share stderr
	opts := scan.Options{
		Window:  p.window,
		Rules:   p.rules,
		Workers: p.workers,
		Problem: func(pr scan.Problem) {
			errMu.Lock()
			defer errMu.Unlock()
			if tty {
				fmt.Fprint(stderr, "\r\033[K")
			}
			if pr.NoLogFiles {
				fmt.Fprintf(stderr, "rootwatch scan: nothing read from %s: %s\n", pr.Input, pr.Error)
				return
			}
			fmt.Fprintf(stderr, "rootwatch scan: skipped %s: %s\n", pr.Input, pr.Error)
		},
	}
	stopProgress := func() {}
	if tty {
		stopProgress = startProgress(stderr, &stats, &errMu)
	}
	res := scan.Run(ctx, p.sources, opts, &stats)
	stopProgress()
	return res
}

func exitCode(failOnMatch bool, res *scan.Result) int {
	switch {
	case res.Interrupted:
		return exitInterrupted
	case failOnMatch && len(res.Findings) > 0 && len(res.Problems) > 0:
		return exitMatchSkip
	case failOnMatch && len(res.Findings) > 0:
		return exitMatch
	case len(res.Problems) > 0:
		return exitSkipped
	}
	return exitOK
}

func validFormat(f string) bool {
	for _, x := range scan.Formats {
		if f == x {
			return true
		}
	}
	return false
}

// startProgress redraws one status line on stderr twice a second; the returned func erases it.
func startProgress(stderr io.Writer, st *scan.Stats, mu *sync.Mutex) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				mu.Lock()
				fmt.Fprint(stderr, "\r\033[K")
				mu.Unlock()
				return
			case <-t.C:
				secs := time.Since(start).Seconds()
				mu.Lock()
				fmt.Fprintf(stderr, "\r\033[Kfiles %d/%d (%d skipped)  %.1f MB read  %.0f MB/s  %.0f "+
					"events/s  %d matches",
					st.InputsDone.Load(), st.InputsListed.Load(), st.InputsFailed.Load(),
					float64(st.BytesRead.Load())/1e6, float64(st.BytesDecoded.Load())/1e6/secs,
					float64(st.Records.Load())/secs, st.Matches.Load())
				mu.Unlock()
			}
		}
	}()
	return func() { close(done); <-finished }
}

func runControls(stdout io.Writer) int {
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCIS v7.0\tCIS v3.0 / v1.4\tCIS v1.2\tSECURITY HUB\tTITLE")
	for _, c := range catalog.All() {
		cis, cis30, cis12 := c.CISv7_0, c.CISv3_0, c.CISv1_2
		if c.Extra {
			cis, cis30, cis12 = "extra", "", ""
		}
		fmt.Fprintf(
			tw,
			"%s\t%s\t%s\t%s\t%s\t%s\n",
			c.ID,
			dash(cis),
			dash(cis30),
			dash(cis12),
			dash(c.SecurityHub),
			c.Title,
		)
	}
	tw.Flush()
	fmt.Fprint(stdout, controlsFooter)
	return exitOK
}

// controlsFooter says which forms --controls (and rootwatch:cisControls) accept.
const controlsFooter = `
--controls (and the stack setting rootwatch:cisControls) accepts, comma-separated: an ID; a CIS
v7.0 number (5.3); an older CIS number with its version, cis-3.0:4.3, cis-1.4:4.3 or cis-1.2:3.3
(a bare 4.3 is CIS v7.0's 4.3, a networking control); a Security Hub id (CloudWatch.1); "all" (the
CIS controls and root-session-opened), "none" (root-usage only) or "extras".
`

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
