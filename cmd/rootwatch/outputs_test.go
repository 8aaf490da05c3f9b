package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/audit"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
	"github.com/rootwatch/rootwatch/program"
)

// exampleStackConfig is the config the Pulumi CLI hands the program for an example stack (its test
// copy), with the example alert address replaced by the tests' own.
func exampleStackConfig(t *testing.T, stackFile string) map[string]string {
	t.Helper()
	name := strings.TrimSuffix(strings.TrimPrefix(stackFile, "Pulumi."), ".yaml")
	sc, err := offline.LoadStackConfig(repo.Path("Pulumi.yaml"), name, pulumitest.StackFixture(stackFile))
	if err != nil {
		t.Fatal(err)
	}
	if raw, ok := sc.Config["rootwatch:alertEmails"]; ok {
		sc.Config["rootwatch:alertEmails"] = pulumitest.WithTestAddress(raw)
	}
	return sc.Config
}

// stackOutputs runs the program offline on cfg and returns its stack outputs, resolved.
func stackOutputs(t *testing.T, cfg map[string]string) map[string]any {
	t.Helper()
	var c offline.Collector
	_, err := offline.Run(offline.Options{Config: cfg}, func(ctx *pulumi.Context) error {
		return program.Build(ctx, cfg, c.Watch)
	})
	if err != nil {
		t.Fatal(err)
	}
	return pulumitest.Wait(t, &c)
}

// TestAuditReadsTheStackOutputs: "rootwatch audit --outputs" reads what the program exports, as
// `pulumi stack output --json` prints it (the outputs, JSON-encoded): every field the audit uses
// is filled from the output of the same name.
func TestAuditReadsTheStackOutputs(t *testing.T) {
	for _, file := range []string{"Pulumi.dev.yaml", "Pulumi.org.yaml"} { // org: member notifications on
		t.Run(file, func(t *testing.T) {
			got := stackOutputs(t, exampleStackConfig(t, file))
			data, err := json.Marshal(got)
			if err != nil {
				t.Fatal(err)
			}
			s, err := audit.ParseStackOutputs(data)
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range map[string]any{
				program.OutTrailName: s.TrailName, program.OutLogGroupName: s.LogGroupName,
				program.OutAlertTopicArn:  s.AlertTopicArn,
				program.OutHealthTopicArn: s.HealthTopicArn, program.OutChatTopicArn: s.ChatTopicArn,
				program.OutHeartbeatRuleArn: s.HeartbeatRuleArn,
				program.OutAlarmNames:       s.AlarmNames, program.OutControls: s.CISControls,
				program.OutMetricNamespace:   s.MetricNamespace,
				program.OutRootEventRuleArns: s.RootEventRules, program.OutMemberStackSetName: s.MemberStackSet,
			} {
				if fmt.Sprint(v) != fmt.Sprint(got[name]) {
					t.Errorf("audit read %s as %v, the stack exports %v", name, v, got[name])
				}
			}
			if s.AlarmNames["root-usage"] == "" || s.TrailName == "" || len(s.CISControls) == 0 {
				t.Errorf("outputs read as %+v", s)
			}
			if (file == "Pulumi.org.yaml") != (s.MemberStackSet != "") {
				t.Errorf("%s: memberStackSetName read as %q", file, s.MemberStackSet)
			}
		})
	}
}
