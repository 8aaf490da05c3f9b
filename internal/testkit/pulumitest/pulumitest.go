// Package pulumitest holds the test helpers over package offline. Package offline runs rootwatch's
// programs and components under the Pulumi Go SDK's mock resource monitor. Only _test.go files
// import it (its helpers take a testing.TB and fail the test).
package pulumitest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

// One returns the resource with the given type and logical name, failing the test if there is none.
func One(t testing.TB, rs []offline.Resource, token, name string) offline.Resource {
	t.Helper()
	r, ok := offline.Find(rs, token, name)
	if !ok {
		var have []string
		for _, x := range offline.ByType(rs, token) {
			have = append(have, x.Name)
		}
		t.Fatalf("no %s named %s; registered of that type: %v", token, name, have)
	}
	return r
}

// Wait returns c's watched values, failing the test if one has not resolved within 10 seconds.
func Wait(t testing.TB, c *offline.Collector) map[string]any {
	t.Helper()
	vals, err := c.Wait(10 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	return vals
}

// Golden compares got with the golden file at path, or with update rewrites it (creating its
// directory). Each package's tests define their own -update flag and pass its value.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is out of date. Review the change, then run the package's tests with -update (go test "+
			"./<package> -update) and commit the diff.\n%s", path, FirstDiff(string(want), string(got)))
	}
}

// FirstDiff describes the first line where a and b differ ("" when they are equal).
func FirstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("first difference at line %d:\n- %s\n+ %s", i+1, x, y)
		}
	}
	return ""
}

// TestAlertEmail stands in, in tests, for the alert address of the example stacks: they carry
// security-alerts@example.com, which the program refuses (a reserved domain reaches nobody), so a
// stack deployed unchanged fails and says how to set a real address. The project's GitHub Pages
// domain takes no mail, and is not reserved.
const TestAlertEmail = "security-alerts@rootwatch.github.io"

// StackFixture names a file of stacks/, the tests' copies of the example stacks (Pulumi.dev.yaml and
// the others at the repository's root, as committed): the tests read these, never the user's stack
// files, so following the quick start (setting a real alert address) never breaks a test.
// TestShippedStacksAreTheFixtures keeps the two in step. name may be a glob pattern.
func StackFixture(name string) string { return repo.Path("internal/testkit/pulumitest/stacks", name) }

// ExampleProject is a new directory holding the project file (Pulumi.yaml, whose config block is
// generated from program/config.go) and the test copies of the example stacks, as the CLI's plan
// reads a project. With testAddress, the stacks' example alert address, which the program refuses,
// is TestAlertEmail: what a user has after following the quick start.
func ExampleProject(t testing.TB, testAddress bool) string {
	t.Helper()
	dir := t.TempDir()
	stacks, err := filepath.Glob(StackFixture("Pulumi.*.yaml"))
	if err != nil || len(stacks) == 0 {
		t.Fatalf("no example stack fixtures: %v", err)
	}
	for _, f := range append([]string{repo.Path("Pulumi.yaml")}, stacks...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if testAddress {
			b = []byte(WithTestAddress(string(b)))
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// ExampleStackAddress is the address the example stack files carry.
const ExampleStackAddress = "security-alerts@example.com"

// WithTestAddress is s (a stack file, or a config value) with the example stacks' address
// replaced by TestAlertEmail: what a user has after setting who gets told.
func WithTestAddress(s string) string {
	return strings.ReplaceAll(s, ExampleStackAddress, TestAlertEmail)
}
