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
	"strconv"

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
	pulumi.Run(withConfig())
}

// withConfig is the program and the run option that hands it the stack's configuration: the
// program judges the configuration keys, and gets the configuration the SDK has read from the
// engine as a value (run options are applied before the program runs, after any given before it).
func withConfig() (pulumi.RunFunc, pulumi.RunOption) {
	var cfg map[string]string
	return func(ctx *pulumi.Context) error { return program.Program(ctx, cfg) },
		func(info *pulumi.RunInfo) { cfg = info.Config }
}

// underPulumi reports whether the Pulumi engine started the program: the Go language host passes
// the resource monitor's and the engine's addresses together (PULUMI_MONITOR, PULUMI_ENGINE), and
// the SDK's plugin query is PULUMI_PLUGINS=true. Otherwise it says in one line what to run
// instead (and which engine variable is missing when only one is set), rather than let the SDK exit
// without a word.
func underPulumi(getenv func(string) string, stderr io.Writer) bool {
	if plugins, err := strconv.ParseBool(getenv("PULUMI_PLUGINS")); err == nil && plugins {
		return true
	}
	monitor, engine := getenv(pulumi.EnvMonitor) != "", getenv(pulumi.EnvEngine) != ""
	switch {
	case monitor && engine:
		return true
	case monitor:
		fmt.Fprintln(stderr, pulumi.EnvMonitor+" is set but not "+pulumi.EnvEngine+": "+notUnderPulumi)
	case engine:
		fmt.Fprintln(stderr, pulumi.EnvEngine+" is set but not "+pulumi.EnvMonitor+": "+notUnderPulumi)
	default:
		fmt.Fprintln(stderr, notUnderPulumi)
	}
	return false
}
