package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"gopkg.in/yaml.v3"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
)

// examples are the programs that build the example stack through the package, each a Pulumi
// project of its own.
var examples = []struct{ dir, runtime string }{
	{"yaml", "yaml"},
	{"typescript", "nodejs"},
	{"python", "python"},
}

// TestExampleProjectsLoad loads each example's Pulumi.yaml with Pulumi's own project loader (which
// validates it against the project schema, packages block included) and its Pulumi.dev.yaml with
// the stack loader.
func TestExampleProjectsLoad(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.dir, func(t *testing.T) {
			dir := filepath.Join("..", "examples", ex.dir)
			proj, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if proj.Runtime.Name() != ex.runtime {
				t.Errorf("runtime %s, want %s", proj.Runtime.Name(), ex.runtime)
			}
			pkgs := proj.GetPackageSpecs()
			spec, ok := pkgs[Name]
			if !ok {
				t.Fatalf("Pulumi.yaml does not name the %s package: %v", Name, pkgs)
			}
			if want := "github.com/rootwatch/rootwatch.git/provider"; spec.Source != want ||
				spec.Version != "v"+Version {
				t.Errorf("package %s@%s, want %s@v%s", spec.Source, spec.Version, want, Version)
			}
			st, err := workspace.LoadProjectStack(nil, proj, filepath.Join(dir, "Pulumi.dev.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			if len(st.Config) == 0 {
				t.Error("Pulumi.dev.yaml sets no config")
			}
		})
	}
}

// yamlProgram is the part of a Pulumi YAML program the test evaluates.
type yamlProgram struct {
	Variables map[string]string
	Resources yaml.Node
}

type yamlResource struct {
	Type       string
	Name       string
	Properties map[string]any
}

var interpolation = regexp.MustCompile(`\$\{([^}]+)\}`)

// TestYAMLExampleBuildsDevStack evaluates examples/yaml as the Pulumi YAML runtime would (config
// from its Pulumi.dev.yaml, variables, ${resource.output} interpolation), Constructs each resource
// through the package in order, and compares the whole graph with the Go program's for
// Pulumi.dev.yaml (program/testdata/dev-stack.golden.json): the same resources, names, parents and inputs.
// Dependencies are left out: across languages the engine tracks them per component output, not per
// child resource, so they are not expected to match the Go program's.
func TestYAMLExampleBuildsDevStack(t *testing.T) {
	dir := filepath.Join("..", "examples", "yaml")
	src, err := os.ReadFile(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var prog yamlProgram
	if err := yaml.Unmarshal(src, &prog); err != nil {
		t.Fatal(err)
	}
	stackFile, err := os.ReadFile(filepath.Join(dir, "Pulumi.dev.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var stack struct{ Config map[string]string }
	// What a user has after setting who gets told (the example address is refused by design).
	if err := yaml.Unmarshal([]byte(pulumitest.WithTestAddress(string(stackFile))), &stack); err != nil {
		t.Fatal(err)
	}
	values := map[string]any{"pulumi.stack": "dev"}
	for k, v := range stack.Config {
		if name, ok := strings.CutPrefix(k, "rootwatch-yaml:"); ok {
			values[name] = v
		}
	}
	resolve := func(s string) (string, error) {
		var missing []string
		out := interpolation.ReplaceAllStringFunc(s, func(m string) string {
			key := m[2 : len(m)-1]
			v, ok := values[key]
			if !ok {
				missing = append(missing, key)
				return m
			}
			return fmt.Sprint(v)
		})
		if len(missing) > 0 {
			return "", fmt.Errorf("unresolved %v in %q", missing, s)
		}
		return out, nil
	}
	for k, v := range prog.Variables {
		r, err := resolve(v)
		if err != nil {
			t.Fatal(err)
		}
		values[k] = r
	}

	rec := offline.NewRecorder(offline.DefaultEnv)
	srv := server(t, rec)
	// Resources in the order the program lists them: each refers only to those before it.
	for i := 0; i+1 < len(prog.Resources.Content); i += 2 {
		key := prog.Resources.Content[i].Value
		var r yamlResource
		if err := prog.Resources.Content[i+1].Decode(&r); err != nil {
			t.Fatal(err)
		}
		inputs, err := evaluate(r.Properties, resolve)
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		name := r.Name
		if name == "" {
			name = key
		}
		resp, err := srv.Construct(p.ConstructRequest{
			Urn:    resource.NewURN("dev", "rootwatch-yaml", "", tokens.Type(r.Type), name),
			Inputs: resource.FromResourcePropertyMap(resource.NewPropertyMapFromMap(inputs.(map[string]any))),
		})
		if err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		for k, v := range offline.Plain(resource.ToResourcePropertyMap(resp.State)) {
			values[key+"."+k] = v
		}
	}

	got, err := offline.Snapshot(rec.Resources())
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "program", "testdata", "dev-stack.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	g, w := withoutDependencies(t, got), withoutDependencies(t, want)
	if g != w {
		t.Errorf("examples/yaml builds another stack than Pulumi.dev.yaml:\n%s", pulumitest.FirstDiff(w, g))
	}
}

// evaluate resolves the interpolations in every string of v.
func evaluate(v any, resolve func(string) (string, error)) (any, error) {
	switch x := v.(type) {
	case string:
		return resolve(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			r, err := evaluate(e, resolve)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			r, err := evaluate(e, resolve)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	}
	return v, nil
}

// withoutDependencies re-renders a snapshot without each resource's dependsOn.
func withoutDependencies(t *testing.T, snapshot []byte) string {
	t.Helper()
	var entries []map[string]any
	if err := json.Unmarshal(snapshot, &entries); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		delete(e, "dependsOn")
	}
	b, err := json.MarshalIndent(entries, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExamplesAgree: the TypeScript and Python examples, which cannot run without the Pulumi CLI
// and their language's SDK, declare the same components under the same names as the YAML example
// (proven above to build the dev stack), and set the same inputs, each known to the schema.
func TestExamplesAgree(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "examples", "yaml", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var prog yamlProgram
	if err := yaml.Unmarshal(src, &prog); err != nil {
		t.Fatal(err)
	}
	var spec struct {
		Resources map[string]struct{ InputProperties map[string]any }
		Types     map[string]struct{ Properties map[string]any }
	}
	if err := json.Unmarshal([]byte(servedSchema(t)), &spec); err != nil {
		t.Fatal(err)
	}
	ts, err := os.ReadFile(filepath.Join("..", "examples", "typescript", "index.ts"))
	if err != nil {
		t.Fatal(err)
	}
	py, err := os.ReadFile(filepath.Join("..", "examples", "python", "__main__.py"))
	if err != nil {
		t.Fatal(err)
	}
	snake := regexp.MustCompile(`([a-z0-9])([A-Z])`)
	for i := 0; i+1 < len(prog.Resources.Content); i += 2 {
		var r yamlResource
		if err := prog.Resources.Content[i+1].Decode(&r); err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(r.Type, ":")
		mod, typ := parts[1], parts[2]
		if want := fmt.Sprintf("new rootwatch.%s.%s(%q, {", mod, typ, r.Name); !strings.Contains(string(ts), want) {
			t.Errorf("index.ts does not declare %s", want)
		}
		if want := fmt.Sprintf("rootwatch.%s.%s(\n    %q,", mod, typ, r.Name); !strings.Contains(string(py), want) {
			t.Errorf("__main__.py does not declare %q", want)
		}
		inputs := spec.Resources[r.Type].InputProperties
		keys := map[string]bool{}
		for k, v := range r.Properties {
			if _, ok := inputs[k]; !ok {
				t.Errorf("examples/yaml sets %s.%s, which the schema does not have", r.Type, k)
			}
			keys[k] = true
			if nested, ok := v.(map[string]any); ok && k != "tags" {
				for nk := range nested {
					keys[nk] = true
				}
			}
		}
		for k := range keys {
			if !regexp.MustCompile(`\b` + k + `\b[,:]`).Match(ts) {
				t.Errorf("index.ts does not set %s", k)
			}
			if p := strings.ToLower(snake.ReplaceAllString(k, "${1}_${2}")); !strings.Contains(string(py), p+"=") {
				t.Errorf("__main__.py does not set %s", p)
			}
		}
	}
}

// TestDocsNameThisRelease: the `pulumi package add` line in the README, docs/components.md, the
// CHANGELOG and the examples names the version the schema carries, so bumping Version for a
// release updates them all or fails here.
func TestDocsNameThisRelease(t *testing.T) {
	want := "pulumi package add github.com/rootwatch/rootwatch.git/provider@v" + Version
	for _, f := range []string{"README.md", "docs/components.md", "CHANGELOG.md", "examples/yaml/Pulumi.yaml", "examples/typescript/Pulumi.yaml", "examples/python/Pulumi.yaml", "provider/main.go"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(strings.Fields(string(b)), " "), want) {
			t.Errorf("%s does not say %q", f, want)
		}
	}
}
