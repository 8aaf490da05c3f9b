package plan

import (
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
)

// TestEveryResourceTypeHasSettings: every resource type of the example stacks has a row in
// settingsTable, so a new type is not shown without its security settings.
func TestEveryResourceTypeHasSettings(t *testing.T) {
	dir := pulumitest.ExampleProject(t, true)
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
