package main

import (
	"flag"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The house rules (CONTRIBUTING.md): how the repository is laid out by role, checked on every Go
// file of every module in it, so that a change that breaks one fails here rather than in review.
const (
	modulePath = "github.com/rootwatch/rootwatch"
	// maxFuncLines is the longest a function may be, from its func keyword to its closing brace.
	maxFuncLines = 100
	// maxLineWidth is the widest a line of Go may be, a tab counting as four columns (gofmt's
	// indentation, as editors show it); long messages go in named constants or data. The lines
	// wider than this that remain are counted in linesOverMaxWidth.
	maxLineWidth = 120
)

// layer ranks a package by role: shared parts (0) are used by components (1), which the Pulumi
// program (2) puts together, which the commands (3: the program's main, the CLI and its engines,
// the provider, the examples and tools) run. A package may import only its own layer or below.
func layer(dir string) int {
	switch {
	case dir == "program":
		return 2
	case dir == "trail", dir == "alarms", dir == "notify", dir == "posture", dir == "athena", dir == "guardrail":
		return 1
	case dir == "catalog", dir == "filterpattern", dir == "athena/athenasql",
		strings.HasPrefix(dir, "internal/"):
		return 0
	}
	return 3
}

// harnesses are folders that exist to test the folder above them and may import it: each a module
// of its own, so that what it needs stays out of the main module's build.
var harnesses = map[string]string{
	"athena/athenasql/duckdbtest": "proves athenasql's SQL on DuckDB, which needs cgo",
}

// goFile is one Go source file of the repository, parsed.
type goFile struct {
	rel  string // slash-separated, from the repository's root
	fset *token.FileSet
	ast  *ast.File
	src  []byte
}

func repoGoFiles(t *testing.T) []goFile {
	t.Helper()
	var files []goFile
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if filepath.Ext(p) != ".go" {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, parser.ParseComments)
		if err != nil {
			return err
		}
		if !ast.IsGenerated(f) {
			files = append(files, goFile{rel: filepath.ToSlash(p), fset: fset, ast: f, src: src})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("found %d Go files: not the repository's root?", len(files))
	}
	return files
}

// TestNoUpwardImport: no package imports one of a higher layer (a component importing the program,
// a shared part importing a component), or one in a folder above its own; the test helpers of
// internal/testkit are imported by tests only.
func TestNoUpwardImport(t *testing.T) {
	for _, f := range repoGoFiles(t) {
		dir := path.Dir(f.rel)
		for _, spec := range f.ast.Imports {
			imp, err := strconv.Unquote(spec.Path.Value)
			if err != nil {
				t.Fatal(err)
			}
			rest, ours := strings.CutPrefix(imp, modulePath+"/")
			if !ours {
				if imp == modulePath && dir != "." {
					t.Errorf("%s imports the module's root", f.rel)
				}
				continue
			}
			if layer(rest) > layer(dir) {
				t.Errorf("%s (layer %d) imports %s (layer %d)", f.rel, layer(dir), rest, layer(rest))
			}
			if _, ok := harnesses[dir]; !ok && strings.HasPrefix(dir, rest+"/") {
				t.Errorf("%s imports %s, a folder above its own", f.rel, rest)
			}
			if strings.HasPrefix(rest, "internal/testkit/") && !strings.HasSuffix(f.rel, "_test.go") &&
				!strings.HasPrefix(dir, "internal/testkit/") {
				t.Errorf("%s is not a test but imports the test helper %s", f.rel, rest)
			}
		}
	}
}

// TestNoFunctionOverMaxLines: every function and method, tests included, fits in maxFuncLines.
func TestNoFunctionOverMaxLines(t *testing.T) {
	for _, f := range repoGoFiles(t) {
		for _, d := range f.ast.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			from, to := f.fset.Position(fn.Pos()).Line, f.fset.Position(fn.End()).Line
			if n := to - from + 1; n > maxFuncLines {
				t.Errorf("%s:%d: %s is %d lines (at most %d)", f.rel, from, fn.Name.Name, n, maxFuncLines)
			}
		}
	}
}

// wideLines lists the lines of Go still wider than maxLineWidth, one "path<TAB>line" each: the
// layout change left them (most are raw-string fixtures and long type names). The list may only
// shrink: a line not in it fails TestNoNewLineOverMaxWidth (a changed wide line counts as new), and
// one that is gone is taken out with `go test . -run TestNoNewLineOverMaxWidth -update`.
const wideLines = "testdata/wide_lines.txt"

var update = flag.Bool("update", false, "rewrite "+wideLines+" from the current tree")

// TestNoNewLineOverMaxWidth: no line of Go is added wider than maxLineWidth columns.
func TestNoNewLineOverMaxWidth(t *testing.T) {
	var wide []string
	for _, f := range repoGoFiles(t) {
		for _, line := range strings.Split(string(f.src), "\n") {
			if utf8.RuneCountInString(line)+3*strings.Count(line, "\t") > maxLineWidth {
				wide = append(wide, f.rel+"\t"+strings.TrimSpace(line))
			}
		}
	}
	sort.Strings(wide)
	if *update {
		if err := os.WriteFile(wideLines, []byte(strings.Join(wide, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(wideLines)
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]int{}
	for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
		known[l]++
	}
	for _, l := range wide {
		if known[l] == 0 {
			path, line, _ := strings.Cut(l, "\t")
			t.Errorf("%s: a line wider than %d columns (long messages go in named constants or data): %.80s...",
				path, maxLineWidth, line)
			continue
		}
		known[l]--
	}
	gone := 0
	for _, n := range known {
		gone += n
	}
	if gone > 0 {
		t.Errorf("%d wide lines of %s are gone: take them out with `go test . -run TestNoNewLineOverMaxWidth -update`",
			gone, wideLines)
	}
}

// maxSynopsisLen is the longest a package comment's first sentence (go doc's synopsis, what package
// lists show) may be: one short sentence, the detail after it.
const maxSynopsisLen = 100

// TestPackageCommentsOpenWithOneShortSentence: every package (commands included) has a package
// comment in exactly one of its files, and its first sentence fits in maxSynopsisLen characters.
func TestPackageCommentsOpenWithOneShortSentence(t *testing.T) {
	docs := map[string][]string{} // folder and package name: the files with a package comment
	for _, f := range repoGoFiles(t) {
		name := f.ast.Name.Name
		if strings.HasSuffix(name, "_test") || strings.HasSuffix(f.rel, "_test.go") {
			continue
		}
		key := path.Dir(f.rel) + " " + name
		if _, ok := docs[key]; !ok {
			docs[key] = nil
		}
		if f.ast.Doc == nil {
			continue
		}
		docs[key] = append(docs[key], f.rel)
		if syn := new(doc.Package).Synopsis(f.ast.Doc.Text()); len(syn) > maxSynopsisLen {
			t.Errorf("%s: the package comment's first sentence is %d characters (at most %d): %q",
				f.rel, len(syn), maxSynopsisLen, syn)
		}
	}
	for pkg, files := range docs {
		if len(files) != 1 {
			t.Errorf("package %s has a package comment in %d files (want one): %v", pkg, len(files), files)
		}
	}
}

// goCommand is a go test, vet, run or build command line in the docs or CI scripts: its package
// paths (./x, ./x/...) and the test it runs (-run '^Name$').
var (
	goCommand = regexp.MustCompile("go (test|vet|run|build) ([^\n`\"|;&>]*)")
	runFlag   = regexp.MustCompile(`-run '?\^?((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\$?'?(?:\s|$)`)
)

// TestCommandsInDocsNameRealPackages: every `go test ./dir` (vet, run, build) that the README, the
// docs, CONTRIBUTING.md, .ci/run and the workflows tell someone to run names a folder that exists,
// and a test it selects by name (-run '^TestX$') exists in that folder: a moved package or a renamed
// test cannot leave a command that fails (the preview workflow once ran a package that had moved).
func TestCommandsInDocsNameRealPackages(t *testing.T) {
	files := []string{"README.md", "CONTRIBUTING.md", ".ci/run"}
	for _, pattern := range []string{"docs/*.md", ".github/workflows/*.yml"} {
		more, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	checked := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range goCommand.FindAllStringSubmatch(string(src), -1) {
			var dirs []string
			for _, word := range strings.Fields(m[2]) {
				if m[1] == "run" && len(dirs) == 1 {
					break // the rest are the program's arguments
				}
				if strings.HasPrefix(word, "./") && !strings.HasPrefix(word, "./...") {
					dirs = append(dirs, strings.TrimSuffix(strings.TrimSuffix(word, "/..."), "/"))
				}
			}
			for _, d := range dirs {
				checked++
				if st, err := os.Stat(d); err != nil || !st.IsDir() {
					t.Errorf("%s: %q names %s, which is not a folder", f, m[0], d)
				}
			}
			if r := runFlag.FindStringSubmatch(m[2]); r != nil && len(dirs) == 1 {
				if !definesFunc(t, dirs[0], r[1]) {
					t.Errorf("%s: %q runs %s, which %s does not define", f, m[0], r[1], dirs[0])
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no go command with a package path found: is the pattern still right?")
	}
}

// definesFunc says whether a Go file in dir declares a function named name.
func definesFunc(t *testing.T, dir, name string) bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(src), "\nfunc "+name+"(") {
			return true
		}
	}
	return false
}
