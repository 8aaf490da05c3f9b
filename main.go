// Command rootwatch is a Pulumi program that secures and monitors the AWS root user: a CloudTrail
// trail (all regions, log file validation) whose logs go to a KMS-encrypted S3 bucket and to
// CloudWatch Logs, metric filters and alarms for root usage and the rest of the CIS monitoring
// set, near-real-time EventBridge messages, and an SNS topic that reaches people.
//
// Run it with `pulumi up`; configure it with `pulumi config set rootwatch:<key>` (see Pulumi.yaml
// and docs/configuration.md). The program itself lives in program, so that
// `rootwatch plan` runs the very same code offline; its components live in packages trail,
// alarms, notify and posture for use from other stacks.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/program"
)

func main() {
	// The program judges the stack's configuration keys: it gets the configuration the SDK has
	// read from the engine as a value (run options are applied before the program runs).
	var cfg map[string]string
	pulumi.Run(func(ctx *pulumi.Context) error { return program.Program(ctx, cfg) },
		func(info *pulumi.RunInfo) { cfg = info.Config })
}
