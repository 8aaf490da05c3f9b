package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestRunByHandSaysWhatItIs: the program started outside the Pulumi engine (no PULUMI_MONITOR)
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
	for _, want := range []string{"pulumi up", "go run ./cmd/rootwatch", "go install github.com/rootwatch/rootwatch/cmd/rootwatch@"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %q", want, msg)
		}
	}
	stderr.Reset()
	monitor := func(k string) string {
		if k == "PULUMI_MONITOR" {
			return "127.0.0.1:1"
		}
		return ""
	}
	if !underPulumi(monitor, &stderr) || stderr.Len() != 0 {
		t.Errorf("under the engine: ran=false or said %q", stderr.String())
	}
}
