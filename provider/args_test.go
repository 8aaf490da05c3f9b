package main

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// goArgsOf pairs each component's inputs with the Go Args they mirror; the nested types (trail's
// Lifecycle, alarms' channels, notify's Health and Members, guardrail's Exemption) are paired
// through the fields that hold them.
var goArgsOf = map[reflect.Type]reflect.Type{
	reflect.TypeFor[TrailArgs]():     reflect.TypeFor[trail.Args](),
	reflect.TypeFor[AlarmsArgs]():    reflect.TypeFor[alarms.Args](),
	reflect.TypeFor[NotifyArgs]():    reflect.TypeFor[notify.Args](),
	reflect.TypeFor[PostureArgs]():   reflect.TypeFor[posture.Args](),
	reflect.TypeFor[AthenaArgs]():    reflect.TypeFor[athena.Args](),
	reflect.TypeFor[GuardrailArgs](): reflect.TypeFor[guardrail.Args](),
}

// difference is a deliberate difference between a Go Args field and the package's inputs: a Go
// field without an input, an input without a Go field (both in one row when one stands for the
// other), or a Go struct field whose own fields are the input type's (flatten).
type difference struct {
	goField, input string // "alarms.Args.ChatProvider", "AlarmsArgs.ChatProfile"; "" for none
	flatten        bool
	reason         string
}

const providerTemplateReason = "*aws.ProviderArgs is a template of another package's provider " +
	"resource (credentials, assume-role, default tags), which a schema input cannot carry as a " +
	"plain value; the package takes the one setting most stacks need, an AWS profile, and builds " +
	"the template with profileProvider (docs/components.md, \"What differs from Go\")"

var differences = []difference{
	{goField: "alarms.Args.ChatProvider", input: "AlarmsArgs.ChatProfile", reason: providerTemplateReason},
	{goField: "notify.Args.RegionProvider", input: "NotifyArgs.RegionProfile", reason: providerTemplateReason},
	{goField: "athena.Args.OrganizationTrail", reason: "only athena.Preflight reads it, to fill accountIds and " +
		"organizationId from the deploying account's organization before New; the package does not run " +
		"Preflight (Construct has no configuration-checking step before registering), so it takes accountIds " +
		"(required) and organizationId as given and an organizationTrail input would do nothing"},
	{goField: "guardrail.Args.Now", reason: "Now is a Go function (the clock tests inject); a schema input " +
		"cannot carry a function, so Construct leaves it nil and Validate judges the exemptions' expiries by " +
		"the time the stack runs, as it does for a Go stack that does not set it"},
	{goField: "notify.Health.Subscribers", flatten: true, reason: "alerttopic.Subscribers is internal to the " +
		"root module; Health takes its three lists (emails, httpsEndpoints, sqsQueueArns) as its own " +
		"properties, as Alarms does, and goArgs gathers them back"},
}

// TestInputsMirrorGoArgs: each component argument is written once, in the Go Args. The package's
// input types mirror them field for field (same name, the input's name being the Go name up to
// case, and the same type, nested structs compared the same way), but for the differences listed
// above with their reasons; every served type is one of them, and every listed difference is
// still there.
func TestInputsMirrorGoArgs(t *testing.T) {
	m := &mirror{t: t, used: map[string]bool{}, seen: map[reflect.Type]bool{}}
	for _, c := range servedComponents {
		input := c.types[c.token]
		goArgs, ok := goArgsOf[input]
		if !ok {
			t.Errorf("%s: goArgsOf does not say which Go Args %s mirrors", c.token, input.Name())
			continue
		}
		m.structs(input, goArgs)
	}
	for tok, typ := range servedTypes() {
		if !m.seen[typ] {
			t.Errorf("%s: %s mirrors no Go type (no field of a mirrored type holds it)", tok, typ.Name())
		}
	}
	for _, d := range differences {
		if !m.used[d.goField] && !m.used[d.input] {
			t.Errorf("difference %s / %s is listed but no longer there: remove it", d.goField, d.input)
		}
	}
}

// mirror compares the package's input types with the Go types they mirror.
type mirror struct {
	t    *testing.T
	used map[string]bool       // differences met, by goField and input
	seen map[reflect.Type]bool // input types compared
}

// field is a struct field under the name it is matched by, with its path in the Go type.
type field struct {
	path string
	typ  reflect.Type
	tag  string
}

// deliberate reports whether key (a goField or input of differences) is a listed difference.
func (m *mirror) deliberate(key string, flatten bool) bool {
	for _, d := range differences {
		if d.flatten == flatten && key != "" && (d.goField == key || d.input == key) {
			m.used[key] = true
			return true
		}
	}
	return false
}

// fields are typ's exported fields by name, the fields of a field listed as flatten in its place.
func (m *mirror) fields(typ reflect.Type, prefix string) map[string]field {
	out := map[string]field{}
	for _, f := range reflect.VisibleFields(typ) {
		if !f.IsExported() || f.Anonymous {
			continue
		}
		if m.deliberate(typ.String()+"."+f.Name, true) && f.Type.Kind() == reflect.Struct {
			for name, sub := range m.fields(f.Type, prefix+f.Name+".") {
				out[name] = sub
			}
			continue
		}
		tag, _, _ := strings.Cut(f.Tag.Get("pulumi"), ",")
		out[f.Name] = field{path: prefix + f.Name, typ: f.Type, tag: tag}
	}
	return out
}

// structs compares the input struct type with the Go struct type it mirrors.
func (m *mirror) structs(input, goType reflect.Type) {
	m.seen[input] = true
	in, goFields := m.fields(input, ""), m.fields(goType, "")
	for _, name := range sortedKeys(goFields) {
		g := goFields[name]
		if m.deliberate(goType.String()+"."+g.path, false) {
			continue
		}
		f, ok := in[name]
		if !ok {
			m.t.Errorf("%s has no input for %s.%s (%s)", input.Name(), goType, g.path, g.typ)
			continue
		}
		if !strings.EqualFold(f.tag, name) {
			m.t.Errorf("%s.%s is the input %q: name it %s in camelCase", input.Name(), name, f.tag, name)
		}
		m.same(input.Name()+"."+name, f.typ, g.typ)
	}
	for _, name := range sortedKeys(in) {
		if _, ok := goFields[name]; !ok && !m.deliberate(input.Name()+"."+name, false) {
			m.t.Errorf("%s.%s mirrors no field of %s", input.Name(), name, goType)
		}
	}
}

// same compares the type of an input (at where) with the type of the Go field it mirrors.
func (m *mirror) same(where string, input, goType reflect.Type) {
	if input == goType {
		return
	}
	if input.Kind() != goType.Kind() {
		m.t.Errorf("%s is %s (a %s), the Go field %s (a %s)", where, input, input.Kind(), goType, goType.Kind())
		return
	}
	switch input.Kind() {
	case reflect.Pointer:
		m.same(where, input.Elem(), goType.Elem())
	case reflect.Slice:
		m.same(where+"[]", input.Elem(), goType.Elem())
	case reflect.Map:
		m.same(where+"{key}", input.Key(), goType.Key())
		m.same(where+"{}", input.Elem(), goType.Elem())
	case reflect.Struct:
		m.structs(input, goType)
	default:
		m.t.Errorf("%s is %s, the Go field %s", where, input, goType)
	}
}

func sortedKeys(fields map[string]field) []string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
