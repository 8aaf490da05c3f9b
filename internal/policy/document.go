package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
)

// Version is the only policy language version rootwatch writes.
const Version = "2012-10-17"

// Kind says where a document is attached, which decides the elements its statements must have.
type Kind int

const (
	// ResourcePolicy is attached to a resource (a KMS key, an S3 bucket, an SNS topic): every
	// statement names a Principal and a Resource.
	ResourcePolicy Kind = iota
	// IdentityPolicy is attached to an IAM user, group or role: statements name a Resource and no
	// Principal (the principal is whoever the policy is attached to).
	IdentityPolicy
	// TrustPolicy is a role's assume-role policy: statements name a Principal and sts: actions,
	// and no Resource (the resource is the role itself).
	TrustPolicy
	// ServiceControlPolicy is an AWS Organizations SCP: like an identity policy, statements name a
	// Resource and no Principal ("Unsupported elements: NotPrincipal, Principal",
	// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_syntax.html).
	ServiceControlPolicy
)

func (k Kind) String() string {
	switch k {
	case ResourcePolicy:
		return "resource policy"
	case IdentityPolicy:
		return "identity policy"
	case TrustPolicy:
		return "trust policy"
	case ServiceControlPolicy:
		return "service control policy"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Document is a policy document. Build one with the constructors of this package (TrailKey,
// TrailBucket, ...) or as a literal; JSON validates it before marshalling.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
	// Kind decides which elements statements must or must not have (not marshalled).
	Kind Kind `json:"-"`

	// err is a problem with the arguments a constructor was given; JSON reports it.
	err error
}

// Statement is one policy statement. Single-element lists marshal as a plain string, as AWS
// itself normalises them, so the documents read like the ones in AWS's guides.
type Statement struct {
	Sid       string
	Effect    string // "Allow" or "Deny"
	Principal *Principal
	Action    []string
	Resource  []string
	Condition Condition
}

// Principal names who a resource or trust policy statement applies to. Any marshals as "*"
// (everyone, normally narrowed by a condition); otherwise AWS and Service marshal as
// {"AWS": ..., "Service": ...}. AWS may itself be []string{"*"}, which marshals as {"AWS": "*"}.
type Principal struct {
	AWS     []string
	Service []string
	Any     bool
}

// Condition maps an operator (StringEquals, ArnLike, Bool, ...) to condition keys and their values.
// It marshals with sorted operators and keys, so documents are byte-for-byte deterministic.
type Condition map[string]map[string][]string

// Constructors for the common shapes.

// AWSPrincipal names IAM principals (ARNs or "*").
func AWSPrincipal(arns ...string) *Principal { return &Principal{AWS: arns} }

// ServicePrincipals names AWS service principals.
func ServicePrincipals(services ...string) *Principal { return &Principal{Service: services} }

// AnyPrincipal is "Principal": "*".
func AnyPrincipal() *Principal { return &Principal{Any: true} }

// MarshalJSON writes the principal in AWS's shape.
func (p Principal) MarshalJSON() ([]byte, error) {
	if p.Any {
		return []byte(`"*"`), nil
	}
	type shape struct {
		AWS     any `json:"AWS,omitempty"`
		Service any `json:"Service,omitempty"`
	}
	return marshal(shape{AWS: oneOrMany(p.AWS), Service: oneOrMany(p.Service)})
}

// MarshalJSON writes the statement's elements in the order AWS's guides use, omitting empty ones.
func (s Statement) MarshalJSON() ([]byte, error) {
	type shape struct {
		Sid       string     `json:"Sid,omitempty"`
		Effect    string     `json:"Effect"`
		Principal *Principal `json:"Principal,omitempty"`
		Action    any        `json:"Action,omitempty"`
		Resource  any        `json:"Resource,omitempty"`
		Condition any        `json:"Condition,omitempty"`
	}
	out := shape{
		Sid:       s.Sid,
		Effect:    s.Effect,
		Principal: s.Principal,
		Action:    oneOrMany(s.Action),
		Resource:  oneOrMany(s.Resource),
	}
	if len(s.Condition) > 0 {
		out.Condition = s.Condition
	}
	return marshal(out)
}

// MarshalJSON writes operators and keys sorted, single values as strings.
func (c Condition) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, op := range slices.Sorted(maps.Keys(c)) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSON(&b, op)
		b.WriteString(":{")
		for j, key := range slices.Sorted(maps.Keys(c[op])) {
			if j > 0 {
				b.WriteByte(',')
			}
			writeJSON(&b, key)
			b.WriteByte(':')
			writeJSON(&b, oneOrMany(c[op][key]))
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, v any) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // strings and string slices cannot fail
	b.Truncate(b.Len() - 1)
}

// marshal is json.Marshal without HTML escaping ("<", ">" and "&" stay as they are).
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// oneOrMany returns nil for no values, the string for one, the slice otherwise.
func oneOrMany(xs []string) any {
	switch len(xs) {
	case 0:
		return nil
	case 1:
		return xs[0]
	}
	return xs
}

var (
	sidRe    = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	actionRe = regexp.MustCompile(`^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$`)
)

// Validate reports every problem with d in one error: the version, effects, Sids (IAM accepts only
// letters and digits, and they must be unique), actions, resources and principals the document's
// Kind requires or forbids, empty strings and empty condition blocks.
func (d Document) Validate() error {
	if d.err != nil {
		return d.err
	}
	var es validate.Errors
	if d.Version != Version {
		es.Addf("Version is %q, want %q", d.Version, Version)
	}
	if d.Kind < ResourcePolicy || d.Kind > ServiceControlPolicy {
		es.Addf("unknown Kind %d", int(d.Kind))
	}
	if len(d.Statement) == 0 {
		es.Addf("the document has no statement")
	}
	sids := map[string]int{}
	for i, s := range d.Statement {
		name := fmt.Sprintf("statement %d", i)
		if s.Sid != "" {
			name = fmt.Sprintf("statement %d (%s)", i, s.Sid)
			if !sidRe.MatchString(s.Sid) {
				es.Addf("%s: Sid %q may contain only letters and digits", name, s.Sid)
			}
			if j, dup := sids[s.Sid]; dup {
				es.Addf("%s: Sid %q is also used by statement %d", name, s.Sid, j)
			}
			sids[s.Sid] = i
		}
		if s.Effect != "Allow" && s.Effect != "Deny" {
			es.Addf("%s: Effect %q is neither Allow nor Deny", name, s.Effect)
		}
		d.checkActions(&es, name, s)
		d.checkResources(&es, name, s)
		d.checkPrincipal(&es, name, s)
		checkConditions(&es, name, s)
	}
	return es.Inline(fmt.Sprintf("policy: invalid %s", d.Kind))
}

// checkActions reports a statement without actions, and actions that are not service:Action (or,
// in a trust policy, not sts:).
func (d Document) checkActions(es *validate.Errors, name string, s Statement) {
	if len(s.Action) == 0 {
		es.Addf("%s: no Action", name)
	}
	checkList(es, name, "Action", s.Action, func(a string) string {
		if a != "*" && !actionRe.MatchString(a) {
			return "is not service:Action"
		}
		if d.Kind == TrustPolicy && !strings.HasPrefix(a, "sts:") {
			return "is not an sts: action, the only kind a trust policy grants"
		}
		return ""
	})
}

// checkResources reports resources a trust policy names, and missing or malformed ones elsewhere.
func (d Document) checkResources(es *validate.Errors, name string, s Statement) {
	if d.Kind == TrustPolicy {
		if len(s.Resource) > 0 {
			es.Addf("%s: a trust policy names no Resource (the role is the resource), got %v", name, s.Resource)
		}
		return
	}
	if len(s.Resource) == 0 {
		es.Addf("%s: no Resource", name)
	}
	checkList(es, name, "Resource", s.Resource, func(r string) string {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return `is neither "*" nor an ARN`
		}
		return ""
	})
}

// checkPrincipal reports a principal an identity policy names, and a missing, mixed or malformed
// one in the other kinds.
func (d Document) checkPrincipal(es *validate.Errors, name string, s Statement) {
	if d.Kind == IdentityPolicy || d.Kind == ServiceControlPolicy {
		switch {
		case s.Principal != nil && d.Kind == IdentityPolicy:
			es.Addf("%s: an identity policy names no Principal (it applies to whoever holds it)", name)
		case s.Principal != nil:
			es.Addf("%s: a service control policy names no Principal (select principals with conditions)", name)
		}
		return
	}
	p := s.Principal
	switch {
	case p == nil || (!p.Any && len(p.AWS) == 0 && len(p.Service) == 0):
		es.Addf("%s: a %s statement needs a Principal", name, d.Kind)
	case p.Any && (len(p.AWS) > 0 || len(p.Service) > 0):
		es.Addf(`%s: Principal "*" cannot also name AWS or Service principals`, name)
	default:
		checkList(es, name, "Principal.AWS", p.AWS, func(a string) string {
			if a != "*" && !strings.HasPrefix(a, "arn:") && !awsenv.IsAccountID(a) {
				return `is neither "*", an ARN nor an account id`
			}
			return ""
		})
		checkList(es, name, "Principal.Service", p.Service, func(svc string) string {
			if !awsenv.IsDNSName(svc) {
				return "is not a service principal such as cloudtrail.amazonaws.com"
			}
			return ""
		})
	}
}

// checkConditions reports empty operators, keys and values, in sorted order.
func checkConditions(es *validate.Errors, name string, s Statement) {
	for _, op := range slices.Sorted(maps.Keys(s.Condition)) {
		keys := s.Condition[op]
		if op == "" {
			es.Addf("%s: Condition has an empty operator", name)
		}
		if len(keys) == 0 {
			es.Addf("%s: Condition %s has no key", name, op)
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if k == "" {
				es.Addf("%s: Condition %s has an empty key", name, op)
			}
			if len(keys[k]) == 0 {
				es.Addf("%s: Condition %s %s has no value", name, op, k)
			}
			checkList(es, name, "Condition "+op+" "+k, keys[k], func(string) string { return "" })
		}
	}
}

// checkList reports empty and duplicate values, and whatever bad says about a value.
func checkList(es *validate.Errors, name, field string, xs []string, bad func(string) string) {
	seen := map[string]bool{}
	for _, x := range xs {
		switch {
		case strings.TrimSpace(x) == "":
			es.Addf("%s: %s has an empty value", name, field)
			continue
		case seen[x]:
			es.Addf("%s: %s lists %q twice", name, field, x)
		}
		seen[x] = true
		if why := bad(x); why != "" {
			es.Addf("%s: %s %q %s", name, field, x, why)
		}
	}
}

// JSON validates d and marshals it, indented, with sorted condition operators and keys: the same
// document always gives the same bytes.
func (d Document) JSON() (string, error) {
	if err := d.Validate(); err != nil {
		return "", err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return "", fmt.Errorf("policy: marshalling: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// CompactJSON is JSON without any white space outside strings: the form to send where every
// character counts against a size limit (an SCP's, through the Organizations API).
func (d Document) CompactJSON() (string, error) {
	if err := d.Validate(); err != nil {
		return "", err
	}
	b, err := marshal(d)
	if err != nil {
		return "", fmt.Errorf("policy: marshalling: %w", err)
	}
	return string(b), nil
}

// MustJSON is JSON for documents known to be valid; it panics otherwise.
func (d Document) MustJSON() string {
	s, err := d.JSON()
	if err != nil {
		panic(err)
	}
	return s
}

// Err is the problem with the arguments the document was built from, if any (JSON reports it too).
func (d Document) Err() error { return d.err }

// newDoc starts a document of kind k; err (possibly nil) is reported by JSON.
func newDoc(k Kind, err error, sts ...Statement) Document {
	return Document{Version: Version, Kind: k, Statement: sts, err: err}
}
