package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

// exampleProject is a copy of the project's Pulumi.yaml and example stack files with the example
// alert address, which the program refuses, replaced by pulumitest.TestAlertEmail.
func exampleProject(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files, err := filepath.Glob(filepath.Join(repo.Root(), "Pulumi*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no project files in %s: %v", repo.Root(), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(
			filepath.Join(dir, filepath.Base(f)), []byte(pulumitest.WithTestAddress(string(b))), 0o644,
		); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestEveryResourceTypeHasSettings: every resource type of the example stacks has a row in
// settingsTable, so a new type is not shown without its security settings.
func TestEveryResourceTypeHasSettings(t *testing.T) {
	dir := exampleProject(t)
	for _, name := range []string{"dev", "org", "log-archive", "controltower"} {
		p, err := Run(Options{Dir: dir, Stack: name})
		if err != nil {
			t.Fatalf("stack %s: %v", name, err)
		}
		for typ := range p.Counts {
			if _, ok := settingsTable[typ]; !ok && !strings.HasPrefix(typ, "rootwatch:") {
				t.Errorf("stack %s: type %s has no row in settingsTable", name, typ)
			}
		}
	}
}
