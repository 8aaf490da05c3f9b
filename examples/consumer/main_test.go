package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/filterpattern"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

const (
	project       = "rootwatch-consumer"
	stackRefToken = "pulumi:pulumi:StackReference"
	filterToken   = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	alarmToken    = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// devOutputs are outputs shaped as rootwatch's dev stack exports them (see rootwatch's
// TestDevStackExportsOutputs), the ones this program reads and a few it ignores.
var devOutputs = map[string]any{
	"logGroupName":    "/aws/cloudtrail/rootwatch-dev",
	"logGroupArn":     "arn:aws:logs:us-east-1:111122223333:log-group:/aws/cloudtrail/rootwatch-dev",
	"alertTopicArn":   "arn:aws:sns:us-east-1:111122223333:rootwatch-topic-0123456",
	"alertKeyArn":     "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-00000000000e",
	"metricNamespace": "CISBenchmark",
	"trailArn":        "arn:aws:cloudtrail:us-east-1:111122223333:trail/rootwatch-dev",
	"cisControls":     []any{"root-usage"},
}

// stackRefMock answers StackReference reads with the outputs of the stacks it knows, and leaves
// every other registration to pulumitest's recorder.
type stackRefMock struct {
	*offline.Recorder
	stacks map[string]map[string]any // fully qualified stack name -> outputs
}

func (m *stackRefMock) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if args.TypeToken != stackRefToken {
		return m.Recorder.NewResource(args)
	}
	id, _, err := m.Recorder.NewResource(args) // recorded like any other resource
	if err != nil {
		return "", nil, err
	}
	name := args.Inputs["name"].StringValue()
	outs, ok := m.stacks[name]
	if !ok {
		return "", nil, &missingStackError{name}
	}
	return id, resource.NewPropertyMapFromMap(map[string]any{
		"name":              name,
		"outputs":           outs,
		"secretOutputNames": []any{},
	}), nil
}

type missingStackError struct{ name string }

func (e *missingStackError) Error() string { return "unknown stack " + e.name }

func run(t *testing.T, cfg map[string]string, stacks map[string]map[string]any) (*offline.Recorder, error) {
	t.Helper()
	rec := offline.NewRecorder(offline.DefaultEnv)
	err := pulumi.RunErr(program, pulumi.WithMocks(project, "dev", &stackRefMock{Recorder: rec, stacks: stacks}),
		func(info *pulumi.RunInfo) { info.Config = cfg })
	return rec, err
}

func find(t *testing.T, rs []offline.Resource, token, name string) map[string]any {
	t.Helper()
	return offline.Plain(pulumitest.One(t, rs, token, name).Inputs)
}

// TestReadsRootwatchOutputsAndWiresThem: the StackReference names the configured stack, and the
// filter and alarm are built from its log group, metric namespace and alert topic.
func TestReadsRootwatchOutputsAndWiresThem(t *testing.T) {
	rec, err := run(t,
		map[string]string{project + ":rootwatchStack": "acme/rootwatch/dev"},
		map[string]map[string]any{"acme/rootwatch/dev": devOutputs})
	if err != nil {
		t.Fatal(err)
	}
	rs := rec.Resources()

	ref := find(t, rs, stackRefToken, "acme/rootwatch/dev")
	if ref["name"] != "acme/rootwatch/dev" {
		t.Errorf("StackReference name = %v, want acme/rootwatch/dev", ref["name"])
	}

	filter := find(t, rs, filterToken, "guardduty-tampering-filter")
	if got := filter["logGroupName"]; got != devOutputs["logGroupName"] {
		t.Errorf("filter logGroupName = %v, want rootwatch's %v", got, devOutputs["logGroupName"])
	}
	if got := filter["name"]; got != "dev-GuardDutyTampering" {
		t.Errorf("filter name = %v, want dev-GuardDutyTampering (default prefix is the stack name)", got)
	}
	if got := filter["pattern"]; got != Pattern {
		t.Errorf("filter pattern = %v, want Pattern", got)
	}
	mt, _ := filter["metricTransformation"].(map[string]any)
	if mt["namespace"] != devOutputs["metricNamespace"] || mt["name"] != "dev-GuardDutyTampering" ||
		mt["value"] != "1" {
		t.Errorf("filter metricTransformation = %v, want rootwatch's namespace %v, metric "+
			"dev-GuardDutyTampering, value 1", mt, devOutputs["metricNamespace"])
	}

	alarm := find(t, rs, alarmToken, "guardduty-tampering-alarm")
	if got, want := alarm["alarmActions"], []any{devOutputs["alertTopicArn"]}; !reflect.DeepEqual(got, want) {
		t.Errorf("alarm alarmActions = %v, want rootwatch's alert topic %v", got, want)
	}
	if alarm["namespace"] != devOutputs["metricNamespace"] || alarm["metricName"] != "dev-GuardDutyTampering" {
		t.Errorf(
			"alarm watches %v/%v, want %v/dev-GuardDutyTampering",
			alarm["namespace"],
			alarm["metricName"],
			devOutputs["metricNamespace"],
		)
	}
	if alarm["comparisonOperator"] != "GreaterThanOrEqualToThreshold" || alarm["threshold"] != 1.0 ||
		alarm["statistic"] != "Sum" ||
		alarm["treatMissingData"] != "notBreaching" {
		t.Errorf("alarm does not fire on the first occurrence: %v", alarm)
	}

	// The alarm waits for its filter: an alarm on a metric nobody publishes yet is INSUFFICIENT_DATA.
	a, _ := offline.Find(rs, alarmToken, "guardduty-tampering-alarm")
	wantDep := "urn:pulumi:dev::" + project + "::" + filterToken + "::guardduty-tampering-filter"
	found := false
	for _, d := range a.Dependencies {
		found = found || d == wantDep
	}
	if !found {
		t.Errorf("alarm dependencies %v lack the filter %s", a.Dependencies, wantDep)
	}
}

// TestNamePrefix: the namePrefix key names the filter, metric and alarm.
func TestNamePrefix(t *testing.T) {
	rec, err := run(t,
		map[string]string{project + ":rootwatchStack": "acme/rootwatch/dev", project + ":namePrefix": "team-x-"},
		map[string]map[string]any{"acme/rootwatch/dev": devOutputs})
	if err != nil {
		t.Fatal(err)
	}
	if got := find(t, rec.Resources(), alarmToken, "guardduty-tampering-alarm")["name"]; got != "team-x-GuardDutyTampering" {
		t.Errorf("alarm name = %v, want team-x-GuardDutyTampering", got)
	}
}

// TestMissingOutputFails: a referenced stack that does not export an output this program needs
// (not a rootwatch stack, or one too old) fails the update, naming the output and the stack.
func TestMissingOutputFails(t *testing.T) {
	outs := map[string]any{}
	for k, v := range devOutputs {
		if k != "alertTopicArn" {
			outs[k] = v
		}
	}
	_, err := run(t,
		map[string]string{project + ":rootwatchStack": "acme/other/dev"},
		map[string]map[string]any{"acme/other/dev": outs})
	if err == nil {
		t.Fatal("want an error for a stack without alertTopicArn, got none")
	}
	for _, want := range []string{`"alertTopicArn"`, "acme/other/dev"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

// TestStackNameValidation: rootwatchStack must be <organization>/<project>/<stack>; a bad or
// missing value fails with the key's name before anything is registered.
func TestStackNameValidation(t *testing.T) {
	for _, ok := range []string{"acme/rootwatch/dev", "organization/rootwatch/prod", "my-org/root_watch.v2/eu-west-1"} {
		if err := ParseStackName(ok); err != nil {
			t.Errorf("ParseStackName(%q) = %v, want nil", ok, err)
		}
	}
	for _, bad := range []string{"dev", "rootwatch/dev", "acme//dev", "/rootwatch/dev", "acme/rootwatch/", "a/b/c/d", "acme/root watch/dev", "acme/rootwatch/dev!"} {
		err := ParseStackName(bad)
		if err == nil {
			t.Errorf("ParseStackName(%q) = nil, want an error", bad)
		}
	}
	cases := []struct {
		cfg  map[string]string
		want []string
	}{
		{map[string]string{}, []string{project + ":rootwatchStack is required", "<organization>/<project>/<stack>"}},
		{
			map[string]string{project + ":rootwatchStack": "dev"},
			[]string{
				project + ":rootwatchStack",
				`"dev" is not a fully qualified stack name`,
				"organization/rootwatch/prod",
			},
		},
		{
			map[string]string{project + ":rootwatchStack": "acme/rootwatch/dev", project + ":namePrefix": "bad prefix"},
			[]string{project + ":namePrefix", `"bad prefix"`},
		},
	}
	for _, c := range cases {
		rec, err := run(t, c.cfg, map[string]map[string]any{"acme/rootwatch/dev": devOutputs})
		if err == nil {
			t.Errorf("config %v: want an error, got none", c.cfg)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("config %v: error %q does not contain %q", c.cfg, err, w)
			}
		}
		if n := len(rec.Resources()); n != 0 {
			t.Errorf("config %v: %d resources registered, want none", c.cfg, n)
		}
	}
}

// TestPatternMatchesGuardDutyTampering runs the filter pattern through rootwatch's CloudWatch Logs
// filter-pattern engine against CloudTrail records shaped as GuardDuty's.
func TestPatternMatchesGuardDutyTampering(t *testing.T) {
	p, err := filterpattern.Parse(Pattern)
	if err != nil {
		t.Fatalf("Pattern does not parse: %v", err)
	}
	event := func(name, params string) []byte {
		return []byte(`{"eventVersion":"1.08","eventSource":"guardduty.amazonaws.com","eventName":"` + name +
			`","awsRegion":"us-east-1","userIdentity":{"type":"AssumedRole"},"requestParameters":` + params + `}`)
	}
	cases := []struct {
		name  string
		event []byte
		want  bool
	}{
		{"DeleteDetector", event("DeleteDetector", `{"detectorId":"12abc34d567e8fa901bc2d34e56789f0"}`), true},
		{"UpdateDetector disable", event("UpdateDetector", `{"detectorId":"12abc","enable":false}`), true},
		{"UpdateDetector enable", event("UpdateDetector", `{"detectorId":"12abc","enable":true}`), false},
		{
			"UpdateDetector frequency only",
			event("UpdateDetector", `{"detectorId":"12abc","findingPublishingFrequency":"SIX_HOURS"}`),
			false,
		},
		{
			"DisassociateFromAdministratorAccount",
			event("DisassociateFromAdministratorAccount", `{"detectorId":"12abc"}`),
			true,
		},
		{
			"StopMonitoringMembers",
			event("StopMonitoringMembers", `{"detectorId":"12abc","accountIds":["111122223333"]}`),
			true,
		},
		{"CreateDetector", event("CreateDetector", `{"enable":true}`), false},
		{"ListDetectors", event("ListDetectors", `null`), false},
		{"other service", []byte(`{"eventSource":"iam.amazonaws.com","eventName":"DeleteDetector"}`), false},
	}
	for _, c := range cases {
		if got := p.Match(c.event); got != c.want {
			t.Errorf("%s: Match = %v, want %v", c.name, got, c.want)
		}
	}
}

// rootwatchOutputs parses rootwatch's program/program.go for its Out* constants: the stack's outputs.
func rootwatchOutputs(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), repo.Path("program/program.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	outs := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok {
			return true
		}
		for i, id := range vs.Names {
			if !strings.HasPrefix(id.Name, "Out") || i >= len(vs.Values) {
				continue
			}
			if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				v, err := strconv.Unquote(lit.Value)
				if err != nil {
					t.Fatal(err)
				}
				outs[id.Name] = v
			}
		}
		return true
	})
	if len(outs) == 0 {
		t.Fatal("no Out* constants found in program/program.go")
	}
	return outs
}

// TestConsumedOutputsAreRootwatchOutputs: every output this example reads is one rootwatch exports.
func TestConsumedOutputsAreRootwatchOutputs(t *testing.T) {
	exported := map[string]bool{}
	for _, v := range rootwatchOutputs(t) {
		exported[v] = true
	}
	for _, o := range ConsumedOutputs {
		if !exported[o] {
			t.Errorf("this example reads %q, which rootwatch's program/program.go does not export", o)
		}
	}
	for k := range devOutputs {
		if !exported[k] {
			t.Errorf("the test fixture has %q, which rootwatch's program/program.go does not export", k)
		}
	}
}

// TestStackOutputsAreDocumented: docs/stack-outputs.md, the stable interface for StackReference
// consumers, documents exactly the outputs rootwatch exports.
func TestStackOutputsAreDocumented(t *testing.T) {
	b, err := os.ReadFile(repo.Path("docs/stack-outputs.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	inOutputs := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			inOutputs = line == "## Outputs"
		}
		// Rows of the table under "## Outputs": | `name` | type | value |
		if inOutputs && strings.HasPrefix(line, "| `") {
			name := strings.TrimPrefix(line, "| `")
			if i := strings.Index(name, "`"); i > 0 {
				documented[name[:i]] = true
			}
		}
	}
	var missing, extra []string
	exported := map[string]bool{}
	for _, v := range rootwatchOutputs(t) {
		exported[v] = true
		if !documented[v] {
			missing = append(missing, v)
		}
	}
	for d := range documented {
		if !exported[d] {
			extra = append(extra, d)
		}
	}
	if len(documented) == 0 {
		t.Fatal("docs/stack-outputs.md has no outputs table under \"## Outputs\"")
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("docs/stack-outputs.md does not document %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("docs/stack-outputs.md documents %v, which rootwatch does not export", extra)
	}
}

// TestProjectFiles: Pulumi.yaml loads as a Go project whose name is the config namespace used
// above, and the example stack, Pulumi.dev.yaml with the project's defaults, deploys.
func TestProjectFiles(t *testing.T) {
	proj, err := workspace.LoadProject("Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if string(proj.Name) != project || proj.Runtime.Name() != "go" {
		t.Errorf("Pulumi.yaml: name %q runtime %q, want %q go", proj.Name, proj.Runtime.Name(), project)
	}
	for _, k := range []string{keyRootwatchStack, keyNamePrefix} {
		if _, ok := proj.Config[k]; !ok {
			t.Errorf("Pulumi.yaml does not declare %s", k)
		}
	}
	st, err := workspace.LoadProjectStack(nil, proj, "Pulumi.dev.yaml")
	if err != nil {
		t.Fatalf("Pulumi.dev.yaml does not load as a Pulumi stack: %v", err)
	}
	dec, err := st.Config.Decrypt(config.NopDecrypter)
	if err != nil {
		t.Fatal(err)
	}
	cfg := map[string]string{}
	for k, v := range dec {
		cfg[k.String()] = v
	}
	for name, ct := range proj.Config {
		if s, ok := ct.Default.(string); ok {
			if _, set := cfg[project+":"+name]; !set {
				cfg[project+":"+name] = s
			}
		}
	}
	ref := cfg[project+":"+keyRootwatchStack]
	if err := ParseStackName(ref); err != nil {
		t.Fatalf("Pulumi.dev.yaml: %v", err)
	}
	if _, err := run(t, cfg, map[string]map[string]any{ref: devOutputs}); err != nil {
		t.Errorf("the example dev stack fails: %v", err)
	}
}
