// Command rootwatch is rootwatch's CLI: plan a stack offline, scan CloudTrail logs, audit live.
//
//	rootwatch plan [--stack NAME] [--dir DIR] [--account ID] [--format text|json] [--policies]
//	rootwatch scan [PATH|s3://bucket/prefix ...] [--since 90d] [--until TIME]
//	               [--controls root-usage,root-session-opened,...|all] [--format table|json|csv] [--fail-on-match]
//	               [--region REGION] [--endpoint-url URL] [--workers N]
//	rootwatch audit [--trail NAME] [--organization [--concurrency N]] [--region R] [--endpoint-url URL] [--format table|json]
//	rootwatch controls
//	rootwatch version   (or --version)
//
// plan shows what `pulumi up` would create for a stack, with no AWS account and no Pulumi CLI
// (docs/plan.md); audit checks the root user and the path that watches it, live and read-only
// (docs/audit.md). scan reads CloudTrail log files (.json.gz as CloudTrail writes them, or plain
// .json), whole directories recursively, and S3 prefixes, evaluates the filter patterns of the
// catalogue's controls (the ones the alarms deploy) on every event, and prints each matching event
// and a summary per control. Without --controls it reviews root-usage and root-session-opened. Each
// finding names who acted, the credential used, the error, a summary of the request parameters and
// the event's CloudTrail console link; root calls made in an sts:AssumeRoot session are linked to
// the AssumeRoot event by its key id. Files beside the logs that are not CloudTrail logs (digests,
// AWS Config files) are skipped and counted, as the S3 listing skips them. See docs/scan.md for the
// output. Exit codes:
//
//	0  every input was read and held CloudTrail log files; no match, or matches without --fail-on-match
//	1  --fail-on-match and at least one event matched; every input was read
//	2  usage error (bad flag, unknown control, bad time), or the scan could not start: a missing
//	   path or bucket, or no AWS credentials (one line on stderr, no report); or nothing was read:
//	   no input held a CloudTrail log file (never a clean result, with or without --fail-on-match)
//	3  some input was skipped or damaged, or held no CloudTrail log file while others did
//	   (reported on stderr); no failing match
//	4  both 1 and 3: matches with --fail-on-match, and some input was skipped
//	130 interrupted (Ctrl-C / SIGTERM); the partial results and summary are printed
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills the process at once
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, stderrIsTerminal())
	stop()
	os.Exit(code)
}

// Exit codes.
const (
	exitOK          = 0
	exitMatch       = 1
	exitUsage       = 2
	exitSkipped     = 3
	exitMatchSkip   = 4
	exitInterrupted = 130
)

const usage = `rootwatch reviews root-user activity in CloudTrail log files.

Usage:
  rootwatch scan [PATH|s3://bucket/prefix ...] [flags]   scan log files for the catalogue's controls
  rootwatch controls                                      list the controls --controls accepts
  rootwatch plan [--stack NAME] [--policies] [flags]      show what pulumi up would create, offline
  rootwatch audit [--trail NAME] [flags]                  check the root user and the trail, live
  rootwatch version                                       print the version (also --version)

Run "rootwatch scan -h", "rootwatch plan -h" or "rootwatch audit -h" for the flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "scan":
		return runScan(ctx, args[1:], stdout, stderr, tty)
	case "controls":
		return runControls(stdout)
	case "plan":
		return runPlan(args[1:], stdout, stderr)
	case "audit":
		return runAudit(ctx, args[1:], stdout, stderr, tty)
	case "version", "-version", "--version":
		info, ok := debug.ReadBuildInfo()
		fmt.Fprintln(stdout, versionLine(info, ok))
		return exitOK
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "rootwatch: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// versionLine is "rootwatch <version>": the main module's version from the build information
// ("(devel)" when built from a work tree), and the VCS revision when the build recorded one.
func versionLine(info *debug.BuildInfo, ok bool) string {
	v := "(devel)"
	if ok && info.Main.Version != "" {
		v = info.Main.Version
	}
	line := "rootwatch " + v
	if !ok {
		return line
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		line += " (revision " + rev
		if modified == "true" {
			line += ", modified"
		}
		line += ")"
	}
	return line
}
