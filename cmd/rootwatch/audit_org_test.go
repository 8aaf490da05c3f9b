package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestAuditOrganizationUsage(t *testing.T) {
	for _, c := range []struct {
		name, stderr string
		args         []string
	}{
		{"concurrency 0", "--concurrency 0", []string{"audit", "--organization", "--concurrency", "0"}},
		{"trail with organization", "--trail and --send-test-alert do not apply to --organization", []string{"audit", "--organization", "--trail", "t"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(context.Background(), c.args, &out, &errb, false); code != exitUsage {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(errb.String(), c.stderr) {
				t.Errorf("stderr: %s", errb.String())
			}
		})
	}
}
