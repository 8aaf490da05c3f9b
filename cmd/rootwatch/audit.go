package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/audit"
)

type auditFlags struct {
	trail, region, endpointURL, format, outputs string
	sendTestAlert, organization                 bool
	concurrency                                 int
}

// maxConcurrency bounds --concurrency. Each member account audited at once opens a root session
// (sts:AssumeRoot) and makes a handful of IAM calls, and STS and IAM throttle every account's
// calls at a rate that cannot be raised
// (https://repost.aws/knowledge-center/iam-sts-throttling-error): past a few dozen accounts at
// once the audit only waits on throttling retries, and the burst also throttles the
// organization's other automation, which shares the caller account's rate.
const maxConcurrency = 32

// stdin is where "--outputs -" reads from (a variable for the tests).
var stdin io.Reader = os.Stdin

func newAuditFlags(f *auditFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("rootwatch audit", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.trail, "trail", "", "the trail to judge, by name or ARN (default: the outputs' trailName, else "+
		"the first multi-region trail the region lists)")
	fs.StringVar(&f.region, "region", "", "AWS region searched for what is found by name (default: the SDK's region "+
		"settings, AWS_REGION or the profile's region, else us-east-1); with --outputs each resource is looked up in "+
		"the region of its ARN")
	fs.StringVar(&f.endpointURL, "endpoint-url", "", "one endpoint URL for every AWS service called (for emulators "+
		"and tests; default: the SDK's endpoint settings, AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> or the "+
		"profile's endpoint_url, else AWS's)")
	fs.StringVar(&f.format, "format", "table", "output format: table (failures first, then a summary line), json "+
		"(one object per check per line) or csv")
	fs.StringVar(&f.outputs, "outputs", "", "FILE: the rootwatch stack's outputs as \"pulumi stack output --json\" "+
		"prints them, or - for standard input (default: find the trail, filters, alarms and topics in the account)")
	fs.BoolVar(&f.sendTestAlert, "send-test-alert", false, "after the checks, put the root-usage alarm into ALARM "+
		"for a moment with a reason that says it is a test, so that its subscribers receive one message (the alarm "+
		"returns to its actual state by itself)")
	fs.BoolVar(&f.organization, "organization", false, "audit the root user of every account of the organization, "+
		"members through sts:AssumeRoot (run from the management account or IAM's delegated administrator)")
	fs.IntVar(&f.concurrency, "concurrency", 8, fmt.Sprintf("with --organization, member accounts audited "+
		"at once, 1 to %d", maxConcurrency))
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
	if !slices.Contains(audit.Formats, f.format) {
		fmt.Fprintf(
			stderr,
			"rootwatch audit: --format %q: want one of %s\n",
			f.format,
			strings.Join(audit.Formats, ", "),
		)
		return exitUsage
	}
	if f.concurrency < 1 || f.concurrency > maxConcurrency {
		fmt.Fprintf(
			stderr,
			"rootwatch audit: --concurrency %d: must be between 1 and %d\n",
			f.concurrency,
			maxConcurrency,
		)
		return exitUsage
	}
	var stack audit.StackOutputs
	if f.outputs != "" {
		var err error
		if stack, err = readStackOutputs(f.outputs); err != nil {
			fmt.Fprintf(stderr, "rootwatch audit: --outputs %s: %v\n", f.outputs, err)
			return exitUsage
		}
	}
	if f.organization && (f.trail != "" || f.sendTestAlert) {
		fmt.Fprintln(stderr, "rootwatch audit: --trail and --send-test-alert do not apply to --organization, which "+
			"audits root users and the member accounts' forwarding stacks")
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
		rs, err = audit.RunOrganization(
			ctx,
			audit.OrgOptions{
				Config:            cfg,
				Endpoint:          f.endpointURL,
				Concurrency:       f.concurrency,
				Progress:          progress,
				MemberStackSet:    stack.MemberStackSet,
				MemberEventBusArn: stack.MemberEventBusArn,
			},
		)
		if err != nil {
			fmt.Fprintf(stderr, "rootwatch audit: --organization: %v\n", err)
			return audit.ExitErrored
		}
	} else {
		rs = audit.Run(ctx, audit.Options{
			Config: cfg, Endpoint: f.endpointURL, Trail: f.trail, Stack: stack, SendTestAlert: f.sendTestAlert,
		})
	}
	if err := audit.WriteReport(stdout, f.format, rs); err != nil {
		fmt.Fprintf(stderr, "rootwatch audit: writing the report: %v\n", err)
		return exitUsage
	}
	return audit.ExitCode(rs)
}

// readStackOutputs reads `pulumi stack output --json` from a file, or from standard input for "-".
func readStackOutputs(name string) (audit.StackOutputs, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return audit.StackOutputs{}, err
	}
	return audit.ParseStackOutputs(data)
}
