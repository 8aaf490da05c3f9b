package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunByHandSaysWhatItIs: the program started outside the Pulumi engine (none of its variables)
// registers nothing and says, in one line, that it is the Pulumi program, to deploy with `pulumi up`,
// and where the CLI is; started by the engine it runs.
func TestRunByHandSaysWhatItIs(t *testing.T) {
	var stderr bytes.Buffer
	if underPulumi(func(string) string { return "" }, &stderr) {
		t.Fatal("run by hand, the program would run")
	}
	msg := stderr.String()
	if strings.Count(msg, "\n") != 1 {
		t.Errorf("not one line: %q", msg)
	}
	for _, want := range []string{
		"pulumi up", "go run ./cmd/rootwatch", "go install github.com/rootwatch/rootwatch/cmd/rootwatch@",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %q", want, msg)
		}
	}
	for _, k := range []string{"PULUMI_MONITOR", "PULUMI_ENGINE", "PULUMI_PLUGINS"} {
		stderr.Reset()
		set := func(name string) string {
			if name == k {
				return "x"
			}
			return ""
		}
		if !underPulumi(set, &stderr) || stderr.Len() != 0 {
			t.Errorf("with %s set: ran=false or said %q", k, stderr.String())
		}
	}
}
