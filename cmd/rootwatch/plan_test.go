package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/cmd/rootwatch/internal/plan"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
	"github.com/rootwatch/rootwatch/program"
)

var update = flag.Bool("update", false, "rewrite testdata/plan/*.golden from the current output")

// examples returns a copy of the project (Pulumi.yaml and the test copies of the example stacks)
// in which the example stacks' alert address, which the program refuses, is
// pulumitest.TestAlertEmail: what a user has after setting who gets told
// (TestPlanExampleAddressIsRefused plans the stacks as they are shipped). It has a subdirectory,
// sub/, for the walk-up test.
func examples(t *testing.T) string {
	t.Helper()
	dir := pulumitest.ExampleProject(t, true)
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPlanExampleAddressIsRefused: the shipped dev stack, planned as it is, fails as pulumi up
// would, naming the key and the command that sets a real address, and prints no plan.
func TestPlanExampleAddressIsRefused(t *testing.T) {
	code, out, errOut := runCLI(t, "plan", "--dir", pulumitest.ExampleProject(t, false), "--stack", "dev")
	want := `rootwatch:alertEmails[0]: "` + pulumitest.ExampleStackAddress + `" is at a domain reserved for examples`
	if code != exitConfig || out != "" || !strings.Contains(errOut, want) ||
		!strings.Contains(errOut, "pulumi config set --path 'rootwatch:alertEmails[0]'") {
		t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
	}
}

// planStacks are the example stacks whose plans are golden files; a new example stack is one line.
var planStacks = []string{"dev", "org", "log-archive", "controltower"}

// TestPlanGolden: the plan of each example stack, as text, is testdata/plan/<stack>.golden; the
// log-archive plan as JSON is testdata/plan/log-archive.json.golden. Refresh with
// `go test ./cmd/rootwatch -update` and review the diff.
func TestPlanGolden(t *testing.T) {
	dir := examples(t)
	for _, name := range planStacks {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, "plan", "--dir", dir, "--stack", name)
			if code != exitOK || errOut != "" {
				t.Fatalf("exit %d, stderr:\n%s", code, errOut)
			}
			pulumitest.Golden(t, filepath.Join("testdata", "plan", name+".golden"), []byte(out), *update)
			if !strings.Contains(out, "Nothing was sent to AWS") ||
				!strings.Contains(out, "123456789012 (placeholder") {
				t.Errorf("the header does not say nothing was sent or that the account is a placeholder:\n%s", out)
			}
			// The Control Tower stack subscribes nobody (the user sets the address): plan shows
			// the warning pulumi up prints, which the mock engine alone would drop.
			if noSubscriber := strings.Contains(out, "warning: alarms: no subscriber is configured"); noSubscriber != (name == "controltower") {
				t.Errorf(
					"no-subscriber warning shown: %v, want it for the stack without alert addresses only",
					noSubscriber,
				)
			}
		})
	}
	code, out, errOut := runCLI(t, "plan", "--dir", dir, "--stack", "log-archive", "--format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d, stderr:\n%s", code, errOut)
	}
	pulumitest.Golden(t, filepath.Join("testdata", "plan", "log-archive.json.golden"), []byte(out), *update)
	if !json.Valid([]byte(out)) {
		t.Fatal("the json plan does not parse")
	}
}

// TestPlanIsDeterministic: two runs print the same bytes (no timestamps, sorted).
func TestPlanIsDeterministic(t *testing.T) {
	dir := examples(t)
	_, a, _ := runCLI(t, "plan", "--dir", dir, "--stack", "org", "--format", "json")
	_, b, _ := runCLI(t, "plan", "--dir", dir, "--stack", "org", "--format", "json")
	if a != b {
		t.Errorf("two runs differ: %s", pulumitest.FirstDiff(a, b))
	}
}

// writeProject makes a project directory with the repository's Pulumi.yaml and the given stack files.
func writeProject(t *testing.T, stacks map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	proj, err := os.ReadFile(repo.Path("Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "Pulumi.yaml"), proj)
	for name, body := range stacks {
		write(t, filepath.Join(dir, "Pulumi."+name+".yaml"), []byte(body))
	}
	return dir
}

// TestPlanConfigError: a configuration the program refuses gives exit 2 and, on stderr, exactly
// the error program.Program returns (what pulumi up prints), and nothing on stdout.
func TestPlanConfigError(t *testing.T) {
	dir := writeProject(t, map[string]string{"bad": "config:\n  aws:region: us-east-1\n" +
		"  rootwatch:logRetentionDays: 42\n  rootwatch:trailName: my trail\n  rootwatch:alertEmail: a@acme-corp.io\n"})
	code, out, errOut := runCLI(t, "plan", "--dir", dir, "--stack", "bad")
	if code != exitConfig || out != "" {
		t.Fatalf("exit %d (want %d), stdout %q", code, exitConfig, out)
	}
	sc, err := offline.LoadStackConfig(filepath.Join(dir, "Pulumi.yaml"), "bad", filepath.Join(dir, "Pulumi.bad.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = offline.Run(offline.Options{Stack: "bad", Config: sc.Config}, func(ctx *pulumi.Context) error {
		return program.Program(ctx, sc.Config)
	})
	if err == nil {
		t.Fatal("program.Program accepts the bad config")
	}
	if errOut != err.Error()+"\n" {
		t.Errorf("stderr is not program.Program's error:\n got: %q\nwant: %q", errOut, err.Error()+"\n")
	}
	for _, want := range []string{
		"rootwatch:logRetentionDays: 42", `rootwatch:trailName: "my trail"`,
		"rootwatch:alertEmail: (value not shown) is not a rootwatch setting; " +
			"allowed: did you mean rootwatch:alertEmails?",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

// TestPlanPolicies: for the log-archive stack --policies prints exactly the requiredBucketPolicy
// and requiredKeyPolicy outputs the program exports for the deploying account, with the owner of
// each resource; the dev stack needs none and says so.
func TestPlanPolicies(t *testing.T) {
	dir := examples(t)
	sc, err := offline.LoadStackConfig(
		filepath.Join(dir, "Pulumi.yaml"),
		"log-archive",
		filepath.Join(dir, "Pulumi.log-archive.yaml"),
	)
	if err != nil {
		t.Fatal(err)
	}
	var c offline.Collector
	if _, err := offline.Run(offline.Options{Stack: "log-archive", Config: sc.Config}, func(ctx *pulumi.Context) error {
		return program.Build(ctx, sc.Config, c.Watch)
	}); err != nil {
		t.Fatal(err)
	}
	outputs := pulumitest.Wait(t, &c)
	account := offline.DefaultEnv.AccountID

	code, out, errOut := runCLI(
		t,
		"plan",
		"--dir",
		dir,
		"--stack",
		"log-archive",
		"--policies",
		"--account",
		account,
		"--format",
		"json",
	)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct{ Policies []plan.ForeignPolicy }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	owners := map[string]string{
		program.OutRequiredBucketPolicy: "the account that owns the bucket",
		program.OutRequiredKeyPolicy:    "444455556666",
	}
	if len(got.Policies) != len(owners) {
		t.Fatalf("%d policies, want %d:\n%s", len(got.Policies), len(owners), out)
	}
	_, text, _ := runCLI(t, "plan", "--dir", dir, "--stack", "log-archive", "--policies", "--account", account)
	for _, fp := range got.Policies {
		want, _ := outputs[fp.Output].(string)
		var a, b any
		if err := json.Unmarshal(fp.Policy, &a); err != nil {
			t.Fatalf("%s: %v", fp.Output, err)
		}
		if err := json.Unmarshal([]byte(want), &b); err != nil {
			t.Fatalf("output %s: %v", fp.Output, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s differs from the stack output:\n%s\nwant:\n%s", fp.Output, fp.Policy, want)
		}
		if !strings.Contains(text, want) {
			t.Errorf("the text does not print output %s exactly", fp.Output)
		}
		if fp.Account != owners[fp.Output] {
			t.Errorf("%s: owner %q, want %q", fp.Output, fp.Account, owners[fp.Output])
		}
	}

	code, text, _ = runCLI(t, "plan", "--dir", dir, "--stack", "dev", "--policies")
	if code != exitOK || !strings.Contains(text, "No other account must hold a policy for stack dev") ||
		strings.Contains(text, `"Statement"`) {
		t.Errorf("dev --policies: exit %d:\n%s", code, text)
	}
	_, out, _ = runCLI(t, "plan", "--dir", dir, "--stack", "dev", "--policies", "--format", "json")
	if !strings.Contains(out, `"policies": []`) {
		t.Errorf("dev --policies --format json does not give an empty list:\n%s", out)
	}
}

// TestPlanStackChoice: an unknown stack lists the stacks there are; without a Pulumi.yaml in the
// directory or above it, plan says so; Pulumi.yaml is found from a subdirectory; one stack file
// is the default stack.
func TestPlanStackChoice(t *testing.T) {
	dir := examples(t)
	code, out, errOut := runCLI(t, "plan", "--dir", dir, "--stack", "prod")
	if code != exitConfig || out != "" || !strings.Contains(errOut, `no stack "prod"`) ||
		!strings.Contains(errOut, "dev, log-archive, org") {
		t.Errorf("unknown stack: exit %d, stderr:\n%s", code, errOut)
	}
	empty := t.TempDir()
	code, _, errOut = runCLI(t, "plan", "--dir", empty)
	if code != exitConfig || !strings.Contains(errOut, "no Pulumi.yaml in "+empty+" or any directory above it") {
		t.Errorf("no project: exit %d, stderr:\n%s", code, errOut)
	}
	code, out, errOut = runCLI(t, "plan", "--dir", filepath.Join(dir, "sub"))
	if code != exitOK || !strings.HasPrefix(out, "rootwatch plan: project rootwatch, stack dev (Pulumi.dev.yaml)") {
		t.Errorf("from a subdirectory: exit %d, stderr %s\n%s", code, errOut, out)
	}
	one := writeProject(t, map[string]string{"staging": "config:\n  aws:region: eu-west-1\n"})
	code, out, errOut = runCLI(t, "plan", "--dir", one)
	if code != exitOK || !strings.HasPrefix(out, "rootwatch plan: project rootwatch, stack staging "+
		"(Pulumi.staging.yaml)") || !strings.Contains(out, "arn:aws:cloudtrail:eu-west-1:123456789012:trail/rootwatch-staging") {
		t.Errorf("the only stack file: exit %d, stderr %s\n%s", code, errOut, out)
	}
	code, _, errOut = runCLI(t, "plan", "--dir", dir, "--format", "yaml")
	if code != exitUsage || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "plan", "--dir", dir, "--account", "1234")
	if code != exitUsage || !strings.Contains(errOut, "--account") {
		t.Errorf("bad account: exit %d, %s", code, errOut)
	}
}

// TestPlanSecretsArePlaceholders: a secure: value cannot be decrypted offline; plan runs with a
// placeholder and says which key held it. An --account shows in the ARNs.
func TestPlanSecretsArePlaceholders(t *testing.T) {
	dir := writeProject(t, map[string]string{"sec": "config:\n  aws:region: cn-north-1\n" +
		"  rootwatch:metricNamespace:\n    secure: v1:abc:def\n"})
	code, out, errOut := runCLI(t, "plan", "--dir", dir, "--stack", "sec", "--account", "210987654321")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"secrets:      rootwatch:metricNamespace cannot be decrypted offline; planned with \"" + offline.SecretPlaceholder + "\"",
		"account:      210987654321\n", "partition aws-cn",
		"arn:aws-cn:cloudtrail:cn-north-1:210987654321:trail/rootwatch-sec",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("plan lacks %q:\n%s", want, out[:min(len(out), 1200)])
		}
	}
}
