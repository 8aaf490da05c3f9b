package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/plan"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/offline"
)

// exitConfig is plan's exit code for a stack configuration the program refuses (pulumi up would
// fail the same way), and for a project or stack file that cannot be read.
const exitConfig = exitUsage

// planFlags are rootwatch plan's flags.
type planFlags struct {
	stack, dir, account, format string
	policies                    bool
}

const planUsageHead = `Usage: rootwatch plan [--stack NAME] [--policies] [--dir DIR] [--account ID] [--format text|json]

Shows what ` + "`pulumi up`" + ` would create for a stack, with no AWS account and no Pulumi CLI: it reads
Pulumi.yaml and Pulumi.<stack>.yaml with Pulumi's own loaders, runs the program against Pulumi's
mocks with a placeholder account, and prints the resources as a tree with their security
settings, the warnings pulumi up would print, the stack outputs known before deployment, and
(--policies) the bucket and key policies another account must hold. Nothing is sent to AWS.
Exit codes: 0 planned, 2 usage or configuration error (the same message pulumi up would print).

Flags:
`

func runPlan(args []string, stdout, stderr io.Writer) int {
	var f planFlags
	fs := flag.NewFlagSet("rootwatch plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(
		&f.stack,
		"stack",
		"",
		"stack name: reads Pulumi.<stack>.yaml (default: the only stack file, else dev)",
	)
	fs.StringVar(&f.dir, "dir", ".", "directory of the project; Pulumi.yaml is looked for there and in the "+
		"directories above, as the Pulumi CLI does")
	fs.StringVar(
		&f.account,
		"account",
		"",
		"the 12-digit AWS account id to plan for (default: the placeholder "+plan.PlaceholderAccount+")",
	)
	fs.StringVar(&f.format, "format", "text", "output format: text or json")
	fs.BoolVar(&f.policies, "policies", false, "print only the policies other accounts' owners must apply before the "+
		"first pulumi up (log-archive pattern)")
	rest, code, ok := parseFlags(fs, planUsageHead, args, stdout, stderr)
	if !ok {
		return code
	}
	usageErr := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "rootwatch plan: "+format+"\n", a...)
		return exitUsage
	}
	if len(rest) > 0 {
		return usageErr("unexpected argument %q (the stack is chosen with --stack)", rest[0])
	}
	if f.format != "text" && f.format != "json" {
		return usageErr("--format %q: want text or json", f.format)
	}
	if f.account != "" && !awsenv.IsAccountID(f.account) {
		return usageErr("--account %q: want a 12-digit AWS account id", f.account)
	}
	p, err := plan.Run(plan.Options{Dir: f.dir, Stack: f.stack, Account: f.account})
	if err != nil {
		var ce plan.ConfigError
		if errors.As(err, &ce) {
			// The program's own message, as pulumi up prints it.
			fmt.Fprintln(stderr, ce)
			if len(p.Secrets) > 0 {
				fmt.Fprintf(
					stderr,
					"(rootwatch plan cannot decrypt secrets: %s held %q)\n",
					strings.Join(p.Secrets, ", "),
					offline.SecretPlaceholder,
				)
			}
			return exitConfig
		}
		fmt.Fprintf(stderr, "rootwatch plan: %v\n", err)
		return exitConfig
	}
	if err := plan.Write(stdout, p, f.format, f.policies); err != nil {
		fmt.Fprintf(stderr, "rootwatch plan: %v\n", err)
		return exitUsage
	}
	return exitOK
}
