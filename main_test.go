package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

// TestRunByHandSaysWhatItIs: the program started outside the Pulumi engine (neither of its
// variables, or only one) registers nothing and says, in one line, that it is the Pulumi program, to
// deploy with `pulumi up`, and where the CLI is; started by the engine (both addresses, or the SDK's
// plugin query) it runs.
func TestRunByHandSaysWhatItIs(t *testing.T) {
	env := func(vars ...string) func(string) string {
		return func(name string) string {
			for i := 0; i+1 < len(vars); i += 2 {
				if vars[i] == name {
					return vars[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		name string
		env  func(string) string
		runs bool
		says string
	}{
		{"by hand", env(), false, ""},
		{"monitor alone", env("PULUMI_MONITOR", "127.0.0.1:1"), false, "PULUMI_ENGINE"},
		{"engine alone", env("PULUMI_ENGINE", "127.0.0.1:1"), false, "PULUMI_MONITOR"},
		{"plugins=false", env("PULUMI_PLUGINS", "false"), false, ""},
		{"the engine", env("PULUMI_MONITOR", "127.0.0.1:1", "PULUMI_ENGINE", "127.0.0.1:2"), true, ""},
		{"the plugin query", env("PULUMI_PLUGINS", "true"), true, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			var stderr bytes.Buffer
			if got := underPulumi(c.env, &stderr); got != c.runs {
				t.Fatalf("runs: %v, want %v (said %q)", got, c.runs, stderr.String())
			}
			msg := stderr.String()
			if c.runs {
				if msg != "" {
					t.Errorf("said %q", msg)
				}
				return
			}
			if strings.Count(msg, "\n") != 1 {
				t.Errorf("not one line: %q", msg)
			}
			for _, want := range []string{
				"pulumi up", "go run ./cmd/rootwatch",
				"go install github.com/rootwatch/rootwatch/cmd/rootwatch@", c.says,
			} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q: %q", want, msg)
				}
			}
		})
	}
}

// TestTheProgramGetsTheStackConfig: main's program, run as pulumi.Run runs it (the SDK's RunInfo
// holding the configuration the engine passes), reads the stack's configuration and judges its
// keys: the dev stack registers its trail, and a misspelt key fails before anything is registered.
func TestTheProgramGetsTheStackConfig(t *testing.T) {
	sc, err := offline.LoadStackConfig(repo.Path("Pulumi.yaml"), "dev", pulumitest.StackFixture("Pulumi.dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	sc.Config["rootwatch:alertEmails"] = pulumitest.WithTestAddress(sc.Config["rootwatch:alertEmails"])
	run := func(cfg map[string]string) (*offline.Recorder, error) {
		rec := offline.NewRecorder(offline.DefaultEnv)
		body, capture := withConfig()
		engine := func(info *pulumi.RunInfo) { info.Config = cfg } // what the language host passes
		return rec, pulumi.RunErr(body, pulumi.WithMocks("rootwatch", "dev", rec), engine, capture)
	}
	rec, err := run(sc.Config)
	if err != nil {
		t.Fatalf("dev stack: %v", err)
	}
	trails := offline.ByType(rec.Resources(), "aws:cloudtrail/trail:Trail")
	if len(trails) != 1 || offline.Plain(trails[0].Inputs)["name"] != sc.Config["rootwatch:trailName"] {
		t.Errorf("the trail is not the stack's %q: %+v", sc.Config["rootwatch:trailName"], trails)
	}
	sc.Config["rootwatch:alertEmail"] = sc.Config["rootwatch:alertEmails"]
	rec, err = run(sc.Config)
	want := "rootwatch:alertEmail: (value not shown) is not a rootwatch setting"
	if err == nil || !strings.Contains(err.Error(), want) || len(rec.Resources()) != 0 {
		t.Errorf("a misspelt key: error %v (want %q), %d resources", err, want, len(rec.Resources()))
	}
}
