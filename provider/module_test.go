package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/modfile"
)

// rootwatchModule is the module the provider builds on, taken from this repository (../).
const rootwatchModule = "github.com/rootwatch/rootwatch"

// TestModuleHoldsOnlyRootwatchCode (issue 23: no code from other projects in the repository): the
// provider module's dependencies come from their released versions, checked against go.sum, so
// provider/go.mod replaces no module but rootwatch's own (with ../, the tree it is tested with), and
// no directory under provider/ holds another module or a copy of one (vendor/, third_party/).
func TestModuleHoldsOnlyRootwatchCode(t *testing.T) {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	mf, err := modfile.Parse("go.mod", b, nil)
	if err != nil {
		t.Fatal(err)
	}
	ownReplaced := false
	for _, r := range mf.Replace {
		if r.Old.Path == rootwatchModule && filepath.Clean(r.New.Path) == ".." && r.New.Version == "" {
			ownReplaced = true
			continue
		}
		t.Errorf("go.mod replaces %s with %s: depend on a released version instead", r.Old, r.New)
	}
	if !ownReplaced {
		t.Errorf(
			"go.mod does not replace %s with ../, so the provider would not build on this tree's components",
			rootwatchModule,
		)
	}
	err = filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "vendor" || d.Name() == "third_party") {
			t.Errorf("%s: other projects' code is a go.mod requirement, not a copy in the repository", path)
			return fs.SkipDir
		}
		if !d.IsDir() && d.Name() == "go.mod" && path != "go.mod" {
			t.Errorf("%s: a module inside the provider module", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
