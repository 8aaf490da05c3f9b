// Package cfnlint runs cfn-lint (AWS CloudFormation's template linter) on a template in tests.
package cfnlint

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Version is the cfn-lint the tests are run with (.github/requirements-ci.txt pins it).
const Version = "1.51.0"

// Check writes template (JSON) to a temporary file and runs cfn-lint on it; any error, warning or
// informational finding fails the test with cfn-lint's report. It fails, not skips, when cfn-lint
// is missing: .ci/run checks for it first.
func Check(t testing.TB, template string) {
	t.Helper()
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Fatalf(
			"cfn-lint is required for this test and was not found on PATH (pip install 'cfn-lint==%s'): %v",
			Version,
			err,
		)
	}
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, []byte(template), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--format", "parseable", "--", path).CombinedOutput()
	if err != nil || len(out) != 0 {
		t.Fatalf("cfn-lint finds problems in the template (%v):\n%s", err, out)
	}
}
