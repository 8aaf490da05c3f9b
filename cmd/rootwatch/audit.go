package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/rootwatch/rootwatch/internal/audit"
)

type auditFlags struct {
	trail, region, endpointURL, format string
	organization                       bool
	concurrency                        int
}

func newAuditFlags(f *auditFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("rootwatch audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.trail, "trail", "", "the trail to judge, by name or ARN (default: the first multi-region trail the region lists)")
	fs.StringVar(&f.region, "region", "", "AWS region of the trail (default: from the AWS config/environment, else us-east-1)")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "one endpoint URL for every AWS service called (for emulators and tests)")
	fs.StringVar(&f.format, "format", "table", "output format: table (failures first, then a summary line) or json (one object per check per line)")
	fs.BoolVar(&f.organization, "organization", false, "audit the root user of every account of the organization, members through sts:AssumeRoot (run from the management account or IAM's delegated administrator)")
	fs.IntVar(&f.concurrency, "concurrency", 8, "with --organization, member accounts audited at once")
	return fs
}

const auditUsageHead = `Usage: rootwatch audit [flags]

Checks, live and read-only, the root user's credentials (access keys, MFA, hardware MFA,
signing certificates, when it was last used, centralized root access) and the trail that watches it (logging, multi-region, global events, log
file validation, KMS, management events read and write, S3 and CloudWatch Logs delivery).
docs/audit.md lists each check and the IAM actions it needs. Exit codes: 0 nothing failed,
1 a check failed, 2 usage error, 3 a check could not run (the report says why, naming a denied
IAM action).

With --organization, it audits the root user of every active account of the organization
instead: the caller's account with its own credentials, each member through a short root session
(sts:AssumeRoot with the IAMAuditRootUserCredentials task policy), which needs centralized root
access with root sessions enabled. Each result names its account.

Flags:
`

func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer, tty bool) int {
	var f auditFlags
	fs := newAuditFlags(&f)
	rest, code, ok := parseFlags(fs, auditUsageHead, args, stdout, stderr)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "rootwatch audit: unexpected argument %q\n\n", rest[0])
		printUsage(stderr, auditUsageHead, fs)
		return exitUsage
	}
	if f.format != "table" && f.format != "json" {
		fmt.Fprintf(stderr, "rootwatch audit: --format %q: want %s\n", f.format, strings.Join(audit.Formats, " or "))
		return exitUsage
	}
	if f.organization && f.trail != "" {
		fmt.Fprintln(stderr, "rootwatch audit: --trail does not apply to --organization, which audits root users only")
		return exitUsage
	}
	if f.concurrency < 1 {
		fmt.Fprintf(stderr, "rootwatch audit: --concurrency %d: want 1 or more\n", f.concurrency)
		return exitUsage
	}
	var opts []func(*config.LoadOptions) error
	if f.region != "" {
		opts = append(opts, config.WithRegion(f.region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		fmt.Fprintf(stderr, "rootwatch audit: loading the AWS configuration: %v\n", err)
		return exitUsage
	}
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	var rs []audit.Result
	if f.organization {
		var progress io.Writer
		if tty { // progress lines only where a person watches
			progress = stderr
		}
		rs, err = audit.RunOrganization(ctx, audit.OrgOptions{Config: cfg, Endpoint: f.endpointURL, Concurrency: f.concurrency, Progress: progress})
		if err != nil {
			fmt.Fprintf(stderr, "rootwatch audit: --organization: %v\n", err)
			return audit.ExitErrored
		}
	} else {
		rs = audit.Run(ctx, audit.Options{Config: cfg, Endpoint: f.endpointURL, Trail: f.trail})
	}
	if err := audit.WriteReport(stdout, f.format, rs); err != nil {
		fmt.Fprintf(stderr, "rootwatch audit: writing the report: %v\n", err)
		return exitUsage
	}
	return audit.ExitCode(rs)
}
