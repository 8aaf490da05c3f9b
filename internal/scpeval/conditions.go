package scpeval

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Operators are the condition operators the evaluator knows, without the ForAnyValue: or
// ForAllValues: prefix and the IfExists suffix, both of which it also knows.
var Operators = []string{
	"StringEquals", "StringNotEquals", "StringLike", "StringNotLike",
	"ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
	"Bool", "Null",
	"DateGreaterThan", "DateGreaterThanEquals", "DateLessThan", "DateLessThanEquals",
}

// conditionsHold ANDs a statement's conditions: false as soon as one is false (whatever the
// others are), an error when none is false and one could not be evaluated.
func conditionsHold(cond map[string]map[string][]string, r Request) (bool, error) {
	var errs []error
	for _, op := range slices.Sorted(maps.Keys(cond)) {
		for _, key := range slices.Sorted(maps.Keys(cond[op])) {
			ok, err := holds(op, key, cond[op][key], r)
			if err != nil {
				errs = append(errs, fmt.Errorf("condition %s %s: %w", op, key, err))
				continue
			}
			if !ok {
				return false, nil
			}
		}
	}
	if len(errs) > 0 {
		return false, errors.Join(errs...)
	}
	return true, nil
}

// holds evaluates one operator on one key.
func holds(op, key string, want []string, r Request) (bool, error) {
	set, base := "", op
	if p, rest, ok := strings.Cut(op, ":"); ok {
		if p != "ForAnyValue" && p != "ForAllValues" {
			return false, fmt.Errorf("unknown set operator %q (known: ForAnyValue, ForAllValues)", p)
		}
		set, base = p, rest
	}
	ifExists := strings.HasSuffix(base, "IfExists") && base != "IfExists"
	base = strings.TrimSuffix(base, "IfExists")
	if !slices.Contains(Operators, base) {
		return false, fmt.Errorf("operator %s is not evaluated (known: %s)", op, strings.Join(Operators, ", "))
	}
	multi, known := Keys[strings.ToLower(key)]
	if !known {
		list := strings.Join(slices.Sorted(maps.Keys(Keys)), ", ")
		return false, fmt.Errorf("condition key %s is not evaluated (known: %s)", key, list)
	}
	if len(want) == 0 {
		return false, errors.New("has no value")
	}
	vals, present, _ := r.values(key)
	if base == "Null" {
		if set != "" || ifExists {
			return false, fmt.Errorf("%s cannot take a set operator or IfExists", base)
		}
		for _, w := range want {
			if w != "true" && w != "false" {
				return false, fmt.Errorf("the Null operator takes \"true\" or \"false\", not %q", w)
			}
		}
		return slices.Contains(want, "true") && !present || slices.Contains(want, "false") && present, nil
	}
	if multi && set == "" {
		return false, fmt.Errorf("%s is multivalued: the operator needs a ForAnyValue or ForAllValues prefix", key)
	}
	negated := strings.Contains(base, "Not")
	test := func(v string) (bool, error) {
		matched := false
		for _, w := range want {
			m, err := match(base, w, v)
			if err != nil {
				return false, err
			}
			matched = matched || m
		}
		return matched != negated, nil // negated operators NOR their values
	}
	switch {
	case !present && ifExists:
		return true, nil
	case !present && set == "ForAllValues":
		return true, nil
	case !present && set == "ForAnyValue":
		return false, nil
	case !present:
		return negated, nil
	}
	for _, v := range vals {
		ok, err := test(v)
		if err != nil {
			return false, err
		}
		if ok && set != "ForAllValues" {
			return true, nil // ForAnyValue, or a single value
		}
		if !ok && set == "ForAllValues" {
			return false, nil
		}
	}
	return set == "ForAllValues", nil
}

// match says whether the request value v matches the policy value w under base (negation aside).
func match(base, w, v string) (bool, error) {
	switch strings.Replace(base, "Not", "", 1) {
	case "StringEquals":
		return w == v, nil
	case "StringLike":
		return glob(w, v), nil
	case "ArnEquals", "ArnLike":
		return arnLike(w, v), nil
	case "Bool":
		return strings.EqualFold(w, v), nil
	}
	pw, err := time.Parse(time.RFC3339, w)
	if err != nil {
		return false, fmt.Errorf("value %q is not an ISO 8601 date and time (only RFC 3339 is evaluated)", w)
	}
	pv, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return false, fmt.Errorf("request value %q is not a date and time", v)
	}
	switch base {
	case "DateGreaterThan":
		return pv.After(pw), nil
	case "DateGreaterThanEquals":
		return !pv.Before(pw), nil
	case "DateLessThan":
		return pv.Before(pw), nil
	case "DateLessThanEquals":
		return !pv.After(pw), nil
	}
	return false, fmt.Errorf("operator %s is not evaluated", base)
}

// arnLike matches an ARN against an ARN pattern: each of the six colon-separated parts separately,
// each with * and ? wildcards, case-sensitively (ArnEquals and ArnLike behave the same).
func arnLike(pattern, arn string) bool {
	p, a := strings.SplitN(pattern, ":", 6), strings.SplitN(arn, ":", 6)
	if len(p) != 6 || len(a) != 6 {
		return false
	}
	for i := range p {
		if !glob(p[i], a[i]) {
			return false
		}
	}
	return true
}

// glob matches s against a pattern whose * matches any characters (none included, "/" and ":"
// included) and ? exactly one.
func glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(t) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == t[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			i, mark = star+1, mark+1
			j = mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}

// parse reads a policy's statements.
func parse(content string) ([]statement, error) {
	var doc struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(content), &doc); err != nil {
		return nil, fmt.Errorf("not a policy document: %w", err)
	}
	raw := bytes.TrimSpace(doc.Statement)
	if len(raw) == 0 {
		return nil, errors.New("has no Statement")
	}
	var raws []json.RawMessage
	if raw[0] == '[' {
		if err := json.Unmarshal(raw, &raws); err != nil {
			return nil, fmt.Errorf("the Statement element: %w", err)
		}
	} else {
		raws = []json.RawMessage{raw}
	}
	if len(raws) == 0 {
		return nil, errors.New("has no Statement")
	}
	out := make([]statement, len(raws))
	for i, r := range raws {
		s, err := parseStatement(r)
		if err != nil {
			return nil, fmt.Errorf("statement %d: %w", i, err)
		}
		out[i] = s
	}
	return out, nil
}

func parseStatement(raw json.RawMessage) (statement, error) {
	var f struct {
		Sid          string
		Effect       string
		Action       oneOrMany
		NotAction    oneOrMany
		Resource     oneOrMany
		NotResource  oneOrMany
		Principal    json.RawMessage
		NotPrincipal json.RawMessage
		Condition    map[string]map[string]oneOrMany
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return statement{}, err
	}
	if (len(f.Action) > 0) == (len(f.NotAction) > 0) {
		return statement{}, errors.New("needs exactly one of Action and NotAction")
	}
	s := statement{
		Sid: f.Sid, Effect: f.Effect, Action: f.Action, NotAction: f.NotAction,
		Resource: f.Resource, NotResource: f.NotResource,
		Principal: f.Principal != nil || f.NotPrincipal != nil,
		Condition: map[string]map[string][]string{},
	}
	for op, keys := range f.Condition {
		s.Condition[op] = map[string][]string{}
		for k, v := range keys {
			s.Condition[op][k] = v
		}
	}
	return s, nil
}

// oneOrMany is a policy value written as one value or a list; booleans and numbers read as text.
type oneOrMany []string

func (o *oneOrMany) UnmarshalJSON(b []byte) error {
	var many []any
	if err := json.Unmarshal(b, &many); err != nil {
		var one any
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		many = []any{one}
	}
	for _, v := range many {
		switch x := v.(type) {
		case string:
			*o = append(*o, x)
		case bool, float64:
			*o = append(*o, fmt.Sprint(x))
		default:
			return fmt.Errorf("value %s is neither a string, a boolean nor a number", b)
		}
	}
	return nil
}
