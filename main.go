// The module's root is rootwatch's Pulumi program, which `pulumi up` runs.
//
// It secures and monitors the AWS root user: a CloudTrail trail (all regions, log file validation)
// whose logs go to a KMS-encrypted S3 bucket and to CloudWatch Logs, metric filters and alarms for
// root usage and the rest of the CIS monitoring set, near-real-time EventBridge messages, and an
// SNS topic that reaches people. Configure it with `pulumi config set rootwatch:<key>` (see
// Pulumi.yaml and docs/configuration.md). The program itself lives in package program, so that
// `rootwatch plan` runs the very same code offline; its components live in packages trail, alarms,
// notify, posture and athena for use from other stacks. The CLI, rootwatch, is cmd/rootwatch.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/program"
)

// notUnderPulumi is what the program says when it is run by hand, outside the Pulumi engine.
const notUnderPulumi = "this is rootwatch's Pulumi program: deploy it with `pulumi up`; " +
	"the rootwatch CLI (plan, scan, audit) is `go run ./cmd/rootwatch` or " +
	"`go install github.com/rootwatch/rootwatch/cmd/rootwatch@<version>`"

func main() {
	if !underPulumi(os.Getenv, os.Stderr) {
		os.Exit(2)
	}
	// The program judges the stack's configuration keys: it gets the configuration the SDK has
	// read from the engine as a value (run options are applied before the program runs).
	var cfg map[string]string
	pulumi.Run(func(ctx *pulumi.Context) error { return program.Program(ctx, cfg) },
		func(info *pulumi.RunInfo) { cfg = info.Config })
}

// underPulumi reports whether the Pulumi engine started the program: it passes the resource
// monitor's and the engine's addresses (PULUMI_MONITOR, PULUMI_ENGINE), or asks for the plugins the
// program needs (PULUMI_PLUGINS). If none is set, it says in one line what to run instead.
func underPulumi(getenv func(string) string, stderr io.Writer) bool {
	for _, k := range []string{pulumi.EnvMonitor, pulumi.EnvEngine, "PULUMI_PLUGINS"} {
		if getenv(k) != "" {
			return true
		}
	}
	fmt.Fprintln(stderr, notUnderPulumi)
	return false
}
