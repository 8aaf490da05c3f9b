package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
	pschema "github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Each component has a file of its own (trail.go, alarms.go, notify.go, posture.go, athena.go,
// guardrail.go): its inputs, the nested types they use, the descriptions of its outputs and a
// Construct that converts the inputs into the Go Args and calls the Go New, so the resources, their
// names and every check are the Go component's. Plain Go values in Args (what decides which
// resources exist) are plain inputs here; pulumi.*Input fields accept outputs of other resources.
// Each input type mirrors the Go Args field for field (TestInputsMirrorGoArgs holds them to it).

// servedComponent is what a component's file gives the provider.
type servedComponent struct {
	// inferred is the component, as infer serves it; token is its type token.
	inferred infer.InferredComponent
	token    string
	// types maps the token of the component and of each object type it uses to the Go type of
	// its inputs or properties.
	types map[string]reflect.Type
	// outputs describe the component's outputs: the exported fields of the Go component struct
	// (trail.Trail, ...), whose doc comments they follow. infer takes descriptions from the output
	// type's Annotate method, which those structs, in the root module, do not have; describeOutputs
	// adds these instead, and refuses an output without one.
	outputs map[string]string
}

// servedComponents are the components the package serves.
var servedComponents = []servedComponent{
	trailComponent, alarmsComponent, notifyComponent, postureComponent, athenaComponent, guardrailComponent,
}

// profileProvider is the template of an explicit AWS provider that takes profile ("" for none).
func profileProvider(profile string) *aws.ProviderArgs {
	if profile == "" {
		return nil
	}
	return &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
}

// describeOutputs adds the components' output descriptions to spec's resources, and refuses a
// resource or output property without a description, or a description for an output that does not
// exist.
func describeOutputs(spec *pschema.PackageSpec) error {
	var problems []string
	for _, c := range servedComponents {
		tok, docs := c.token, c.outputs
		r, ok := spec.Resources[tok]
		if !ok {
			problems = append(problems, tok+" is not served")
			continue
		}
		for name, d := range docs {
			prop, ok := r.Properties[name]
			if !ok {
				problems = append(problems, tok+" has no output "+name)
				continue
			}
			prop.Description = d
			r.Properties[name] = prop
		}
		spec.Resources[tok] = r
	}
	for tok, r := range spec.Resources {
		if r.Description == "" {
			problems = append(problems, tok+" has no description")
		}
		for name, prop := range r.Properties {
			if prop.Description == "" {
				problems = append(problems, tok+" output "+name+" has no description")
			}
		}
		for name, prop := range r.InputProperties {
			if prop.Description == "" {
				problems = append(problems, tok+" input "+name+" has no description")
			}
		}
	}
	for tok, t := range spec.Types {
		for name, prop := range t.Properties {
			if prop.Description == "" {
				problems = append(problems, tok+" property "+name+" has no description")
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("schema: %s", strings.Join(problems, "; "))
	}
	return nil
}

// servedTypes are the Go types behind the schema's resources (their inputs) and object types.
func servedTypes() map[string]reflect.Type {
	types := map[string]reflect.Type{}
	for _, c := range servedComponents {
		for tok, typ := range c.types {
			types[tok] = typ
		}
	}
	return types
}

var inputType = reflect.TypeFor[pulumi.Input]()

// markPlain makes the schema say what the Go arguments say: a field that is a plain Go value (a
// string, a list, a map, a nested struct) is plain as a whole, so the SDKs take a value known when
// the program runs, as the Go component needs to decide which resources exist; a pulumi.*Input
// field takes an output, and so do the elements of an array input (pulumi.StringArrayInput).
// infer marks only the innermost values of a plain list or map plain.
func markPlain(spec *pschema.PackageSpec) error {
	for tok, typ := range servedTypes() {
		var props map[string]pschema.PropertySpec
		if r, ok := spec.Resources[tok]; ok {
			props = r.InputProperties
		} else if t, ok := spec.Types[tok]; ok {
			props = t.Properties
		} else {
			return fmt.Errorf("schema: %s is not served", tok)
		}
		for _, f := range reflect.VisibleFields(typ) {
			name, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
			prop, ok := props[name]
			if name == "" || !ok {
				continue
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			setPlain(&prop.TypeSpec, !ft.Implements(inputType))
			props[name] = prop
		}
	}
	return nil
}

// setPlain marks t, and the elements of an array or map, plain or not.
func setPlain(t *pschema.TypeSpec, plain bool) {
	t.Plain = plain
	if t.Items != nil {
		setPlain(t.Items, plain)
	}
	if t.AdditionalProperties != nil {
		setPlain(t.AdditionalProperties, plain)
	}
}

// inferredComponents are the components as infer serves them.
func inferredComponents() []infer.InferredComponent {
	var s []infer.InferredComponent
	for _, c := range servedComponents {
		s = append(s, c.inferred)
	}
	return s
}
