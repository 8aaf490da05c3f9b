// Package repo finds the repository's files from any test, however deep its package sits.
package repo

import (
	"path/filepath"
	"runtime"
)

// Root is the repository's root folder, found from this source file's place in it (tests are built
// without -trimpath, so the path the compiler recorded is the file's path on this machine).
func Root() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		panic("repo: the source file's path is unknown")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Path joins slash-separated elements under the repository's root: Path("docs/audit.md").
func Path(elem ...string) string {
	for i, e := range elem {
		elem[i] = filepath.FromSlash(e)
	}
	return filepath.Join(append([]string{Root()}, elem...)...)
}
