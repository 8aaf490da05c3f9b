// Command pulumi-resource-rootwatch is rootwatch's component package for every Pulumi language. It
// is a Pulumi provider plugin that serves the components trail, alarms, notify, posture, athena and
// guardrail to programs in every Pulumi language (TypeScript, Python, YAML, C#, Java, Go), with the
// same type tokens as the Go packages register and by calling the same Go New functions.
//
// It is a source-based plugin package (PulumiPlugin.yaml, runtime go): a program adds it with
//
//	pulumi package add github.com/rootwatch/rootwatch.git/provider@v0.4.0
//
// and Pulumi builds this directory and generates the SDK locally. schema.json is the schema it
// serves, checked in and held equal by the tests (go test . -update rewrites it).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// Name is the package name: the first segment of every type token.
const Name = "rootwatch"

// Version is the package version the schema carries (the SDKs generated from it take it). It is the
// release the source belongs to: bump it with the git tag.
const Version = "0.4.0"

func main() {
	prov, err := Provider()
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
	if err := prov.Run(context.Background(), Name, Version); err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		os.Exit(1)
	}
}

// Provider returns the provider: the six components, inferred from their argument types, with
// the descriptions of their outputs added to the schema it serves and plain Go arguments marked
// plain as a whole.
func Provider() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("rootwatch").
		WithDescription("Secure and monitor the AWS root user: a CloudTrail trail with encrypted, retained evidence, "+
			"CIS metric filters and alarms, near-real-time EventBridge notifications of root activity, root "+
			"posture controls, and a service control policy that stops member accounts' root user.").
		WithKeywords("aws", "cloudtrail", "security", "root user", "cis", "kind/component", "category/cloud").
		WithRepository("https://github.com/rootwatch/rootwatch").
		WithLicense("Apache-2.0").
		WithLanguageMap(map[string]any{
			"nodejs": map[string]any{"respectSchemaVersion": true},
			"python": map[string]any{"respectSchemaVersion": true, "pyproject": map[string]any{"enabled": true}},
			"go": map[string]any{
				"generateResourceContainerTypes": true, "respectSchemaVersion": true,
				"importBasePath": "github.com/rootwatch/rootwatch/provider/sdk/go/rootwatch",
			},
			"csharp": map[string]any{"respectSchemaVersion": true},
		}).
		WithComponents(inferredComponents()...).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	inferred := prov.GetSchema
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := inferred(ctx, req)
		if err != nil {
			return resp, err
		}
		var spec pschema.PackageSpec
		if err := json.Unmarshal([]byte(resp.Schema), &spec); err != nil {
			return resp, err
		}
		if err := describeOutputs(&spec); err != nil {
			return resp, err
		}
		if err := markPlain(&spec); err != nil {
			return resp, err
		}
		b, err := json.MarshalIndent(spec, "", "  ")
		if err != nil {
			return resp, err
		}
		return p.GetSchemaResponse{Schema: string(b) + "\n"}, nil
	}
	return prov, nil
}
