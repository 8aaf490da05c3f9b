// Package eventpattern evaluates Amazon EventBridge event patterns against events. The tests prove
// rootwatch's rules with it, and rootwatch audit checks that a deployed rule still matches root
// activity.
//
// It implements exactly the subset of the pattern language rootwatch's rules use, and refuses
// (Parse returns an error) every construct it does not implement, so a pattern can never be
// silently mis-evaluated: a test that parses a pattern this package cannot judge fails instead of
// passing. The semantics follow the EventBridge User Guide:
//
//   - Event patterns: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
//     "For an event pattern to match an event, the event must contain all the field names listed in
//     the event pattern. The field names must also appear in the event with the same nesting
//     structure." Fields of the event the pattern does not name are ignored. Strings match
//     "character-by-character without case-folding"; "For numbers, EventBridge uses string
//     representation. For example, 300, 300.0, and 3.0e2 are not considered equal."
//   - Arrays: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
//     "An event pattern matches the event if any of the values in the array match the value in the
//     event. If the value in the event is an array, then the event pattern matches if the
//     intersection of the event pattern array and the event array is non-empty."
//   - Content filtering:
//     https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-content-based-filtering.html
//     prefix, anything-but (a string, a number, or a list of only strings or only numbers),
//     anything-but prefix, and exists, which "only works on leaf nodes. It does not work on
//     intermediate nodes."
//   - $or: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
//     "$or": [ {...}, {...} ] at any level of the pattern: the object matches when every other
//     field matches and at least one alternative, evaluated at the same position, does.
//
// Known difference: when an event holds an array of objects, this evaluator lets different
// elements satisfy different fields of one pattern object, while EventBridge's matcher (Event
// Ruler) requires them in the same element. rootwatch's patterns name no field under an array of
// objects, so none depends on it; do not use this package for patterns that do.
//
// Supported:
//
//   - nested objects (AND across the fields of an object);
//   - leaf arrays of alternatives (OR), each an exact string, an exact number, or one of
//     {"prefix": "<string>"}, {"anything-but": <string|number|[strings]|[numbers]>},
//     {"anything-but": {"prefix": "<string>"}}, {"exists": true|false};
//   - "$or": an array of pattern objects.
//
// anything-but, like every matcher but exists, needs the field to be present: an event without the
// field does not match it (the conservative reading; a rule that must also match an absent field
// says {"exists": false} beside it).
//
// Refused with a *ParseError: numeric, cidr, suffix, wildcard, equals-ignore-case, prefix with an
// object operand, anything-but with any other object operand, the literals true, false and null,
// empty arrays, empty objects, and any other operator or shape.
package eventpattern

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// ParseError says why a pattern is refused, and where (a dotted path into the pattern).
type ParseError struct {
	Path string
	Msg  string
}

func (e *ParseError) Error() string {
	if e.Path == "" {
		return "eventpattern: " + e.Msg
	}
	return "eventpattern: " + e.Path + ": " + e.Msg
}

// Pattern is a parsed event pattern.
type Pattern struct {
	root *node
}

// node is an object of the pattern: each field is either a nested object or a leaf.
type node struct {
	fields map[string]*node
	leaves map[string][]matcher
	or     []*node // "$or": at least one must match, at this node's position
}

type kind int

const (
	exactString kind = iota
	exactNumber
	prefix
	anythingBut
	anythingButPrefix
	exists
)

type matcher struct {
	kind kind
	str  string   // exactString, exactNumber (its JSON text), prefix, anythingButPrefix
	set  []string // anythingBut: strings, or numbers' JSON text
	num  bool     // anythingBut: the set holds numbers
	yes  bool     // exists
}

// Parse parses a pattern, refusing anything outside the supported subset.
func Parse(pattern []byte) (*Pattern, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(pattern))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, &ParseError{Msg: "not JSON: " + err.Error()}
	}
	if dec.More() {
		return nil, &ParseError{Msg: "trailing data after the pattern"}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, &ParseError{Msg: "a pattern must be a JSON object"}
	}
	n, err := parseObject("", obj)
	if err != nil {
		return nil, err
	}
	return &Pattern{root: n}, nil
}

// MustParse is Parse for patterns known to be valid; it panics otherwise.
func MustParse(pattern string) *Pattern {
	p, err := Parse([]byte(pattern))
	if err != nil {
		panic(err)
	}
	return p
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func parseObject(path string, obj map[string]any) (*node, error) {
	if len(obj) == 0 {
		return nil, &ParseError{Path: path, Msg: "empty object"}
	}
	n := &node{fields: map[string]*node{}, leaves: map[string][]matcher{}}
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		p := join(path, k)
		if k == "$or" {
			alts, ok := obj[k].([]any)
			if !ok || len(alts) < 2 {
				return nil, &ParseError{Path: p, Msg: "$or takes an array of at least two pattern objects"}
			}
			for i, a := range alts {
				ao, ok := a.(map[string]any)
				if !ok {
					return nil, &ParseError{
						Path: fmt.Sprintf("%s[%d]", p, i),
						Msg:  fmt.Sprintf("$or alternatives must be objects, got %s", describe(a)),
					}
				}
				alt, err := parseObject(fmt.Sprintf("%s[%d]", p, i), ao)
				if err != nil {
					return nil, err
				}
				n.or = append(n.or, alt)
			}
			continue
		}
		if strings.HasPrefix(k, "$") {
			return nil, &ParseError{Path: p, Msg: fmt.Sprintf("operator %q is not implemented", k)}
		}
		switch x := obj[k].(type) {
		case map[string]any:
			child, err := parseObject(p, x)
			if err != nil {
				return nil, err
			}
			n.fields[k] = child
		case []any:
			ms, err := parseLeaf(p, x)
			if err != nil {
				return nil, err
			}
			n.leaves[k] = ms
		default:
			return nil, &ParseError{Path: p, Msg: fmt.Sprintf("value must be an object or an array of "+
				"alternatives, got %s", describe(x))}
		}
	}
	return n, nil
}

func parseLeaf(path string, xs []any) ([]matcher, error) {
	if len(xs) == 0 {
		return nil, &ParseError{Path: path, Msg: "empty array of alternatives"}
	}
	var out []matcher
	for i, x := range xs {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch v := x.(type) {
		case string:
			out = append(out, matcher{kind: exactString, str: v})
		case json.Number:
			out = append(out, matcher{kind: exactNumber, str: v.String()})
		case map[string]any:
			m, err := parseOperator(p, v)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		default:
			return nil, &ParseError{Path: p, Msg: fmt.Sprintf("%s is not implemented (only strings, numbers, prefix, "+
				"anything-but and exists)", describe(x))}
		}
	}
	return out, nil
}

func parseOperator(path string, op map[string]any) (matcher, error) {
	if len(op) != 1 {
		return matcher{}, &ParseError{Path: path, Msg: fmt.Sprintf("an operator object must have exactly one "+
			"key, got %d (%s)", len(op), strings.Join(slices.Sorted(maps.Keys(op)), ", "))}
	}
	var name string
	for k := range op {
		name = k
	}
	arg := op[name]
	p := path + "." + name
	switch name {
	case "prefix":
		s, ok := arg.(string)
		if !ok {
			return matcher{}, &ParseError{
				Path: p,
				Msg:  fmt.Sprintf("only a string operand is implemented, got %s", describe(arg)),
			}
		}
		return matcher{kind: prefix, str: s}, nil
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return matcher{}, &ParseError{
				Path: p,
				Msg:  fmt.Sprintf("operand must be true or false, got %s", describe(arg)),
			}
		}
		return matcher{kind: exists, yes: b}, nil
	case "anything-but":
		switch v := arg.(type) {
		case string:
			return matcher{kind: anythingBut, set: []string{v}}, nil
		case json.Number:
			return matcher{kind: anythingBut, set: []string{v.String()}, num: true}, nil
		case map[string]any:
			pre, ok := v["prefix"].(string)
			if len(v) != 1 || !ok {
				return matcher{}, &ParseError{Path: p, Msg: fmt.Sprintf("only {\"prefix\": <string>} is implemented "+
					"as an object operand, got %s", describe(v))}
			}
			return matcher{kind: anythingButPrefix, str: pre}, nil
		case []any:
			if len(v) == 0 {
				return matcher{}, &ParseError{Path: p, Msg: "empty list"}
			}
			m := matcher{kind: anythingBut}
			for i, e := range v {
				switch ev := e.(type) {
				case string:
					if i > 0 && m.num {
						return matcher{}, &ParseError{Path: p, Msg: "a list must hold only strings or only numbers"}
					}
					m.set = append(m.set, ev)
				case json.Number:
					if i > 0 && !m.num {
						return matcher{}, &ParseError{Path: p, Msg: "a list must hold only strings or only numbers"}
					}
					m.num = true
					m.set = append(m.set, ev.String())
				default:
					msg := fmt.Sprintf("only strings or numbers, got %s", describe(e))
					return matcher{}, &ParseError{Path: fmt.Sprintf("%s[%d]", p, i), Msg: msg}
				}
			}
			return m, nil
		default:
			return matcher{}, &ParseError{Path: p, Msg: fmt.Sprintf("only a string, a number or a list of them is "+
				"implemented, got %s", describe(arg))}
		}
	}
	return matcher{}, &ParseError{Path: path, Msg: fmt.Sprintf("operator %q is not implemented", name)}
}

func describe(x any) string {
	switch v := x.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("the literal %v", v)
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object (" + strings.Join(slices.Sorted(maps.Keys(v)), ", ") + ")"
	}
	return fmt.Sprintf("%T", x)
}

// Match reports whether the event (a JSON object) matches the pattern.
func (p *Pattern) Match(event []byte) (bool, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(event))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return false, fmt.Errorf("eventpattern: event is not JSON: %w", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return false, fmt.Errorf("eventpattern: an event must be a JSON object")
	}
	return p.root.match([]any{v}), nil
}

// match: every field of the pattern object must match (AND). values are the event values found at
// this object's position (more than one when the event has arrays of objects on the way).
func (n *node) match(values []any) bool {
	if len(n.or) > 0 {
		hit := false
		for _, alt := range n.or {
			if alt.match(values) {
				hit = true
				break
			}
		}
		if !hit {
			return false
		}
	}
	for k, child := range n.fields {
		if !child.match(descend(values, k)) {
			return false
		}
	}
	for k, ms := range n.leaves {
		leaf := leaves(descend(values, k))
		ok := false
		for _, m := range ms {
			if m.match(leaf) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// descend returns the values of field k in the objects among values, flattening arrays.
func descend(values []any, k string) []any {
	var out []any
	for _, v := range values {
		for _, o := range flatten(v) {
			if obj, ok := o.(map[string]any); ok {
				if x, ok := obj[k]; ok {
					out = append(out, x)
				}
			}
		}
	}
	return out
}

func flatten(v any) []any {
	arr, ok := v.([]any)
	if !ok {
		return []any{v}
	}
	var out []any
	for _, e := range arr {
		out = append(out, flatten(e)...)
	}
	return out
}

// leaves keeps the leaf values (strings, numbers, booleans, null) among values, arrays flattened:
// objects are intermediate nodes, which exists does not see.
func leaves(values []any) []any {
	var out []any
	for _, v := range values {
		for _, e := range flatten(v) {
			if _, isObj := e.(map[string]any); !isObj {
				out = append(out, e)
			}
		}
	}
	return out
}

func (m matcher) match(vals []any) bool {
	if m.kind == exists {
		return (len(vals) > 0) == m.yes
	}
	for _, v := range vals {
		switch m.kind {
		case exactString:
			if s, ok := v.(string); ok && s == m.str {
				return true
			}
		case exactNumber:
			if n, ok := v.(json.Number); ok && n.String() == m.str {
				return true
			}
		case prefix:
			if s, ok := v.(string); ok && strings.HasPrefix(s, m.str) {
				return true
			}
		case anythingBut:
			if !m.excludes(v) {
				return true
			}
		case anythingButPrefix:
			// Only strings are judged; a number, boolean or null is refused, as for anything-but
			// of strings.
			if s, ok := v.(string); ok && !strings.HasPrefix(s, m.str) {
				return true
			}
		}
	}
	return false
}

// excludes reports whether v fails anything-but: it is one of the listed values, or (the
// conservative choice where the documentation says nothing) not of the list's type, i.e. a string
// list never matches a number, boolean or null and a number list never matches a string.
func (m matcher) excludes(v any) bool {
	var text string
	switch x := v.(type) {
	case string:
		if m.num {
			return true
		}
		text = x
	case json.Number:
		if !m.num {
			return true
		}
		text = x.String()
	default:
		return true
	}
	for _, s := range m.set {
		if s == text {
			return true
		}
	}
	return false
}
