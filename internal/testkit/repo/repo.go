// Package repo finds the repository's files from any test, however deep its package sits.
package repo

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// module is the module path of the repository's root go.mod.
const module = "github.com/rootwatch/rootwatch"

var root = sync.OnceValue(find)

// Root is the repository's root folder: the nearest folder at or above the test's working
// directory (go test runs a test in its package's folder) whose go.mod is the rootwatch module's,
// so the provider module's and the DuckDB proof's tests find it too; failing that (a test run from
// elsewhere), the folder this source file was compiled from, which -trimpath hides.
func Root() string { return root() }

func find() string {
	if wd, err := os.Getwd(); err == nil {
		for dir := wd; ; dir = filepath.Dir(dir) {
			if isRoot(dir) {
				return dir
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	_, file, _, ok := runtime.Caller(0)
	if dir := filepath.Join(filepath.Dir(file), "..", "..", ".."); ok && isRoot(dir) {
		return dir
	}
	panic("repo: no folder at or above the working directory holds the " + module + " module's go.mod")
}

// isRoot says whether dir's go.mod declares the rootwatch module itself.
func isRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	for _, line := range bytes.Split(b, []byte("\n")) {
		if f := bytes.Fields(line); len(f) == 2 && string(f[0]) == "module" {
			return string(f[1]) == module
		}
	}
	return false
}

// Path joins slash-separated elements under the repository's root: Path("docs/audit.md").
func Path(elem ...string) string {
	for i, e := range elem {
		elem[i] = filepath.FromSlash(e)
	}
	return filepath.Join(append([]string{Root()}, elem...)...)
}
