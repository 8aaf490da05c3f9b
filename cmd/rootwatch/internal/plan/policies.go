package plan

import (
	"encoding/json"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/program"
)

// ForeignPolicy is a policy that a resource rootwatch does not own must hold.
type ForeignPolicy struct {
	Output       string          `json:"output"`    // the stack output that holds it after pulumi up
	ConfigKey    string          `json:"configKey"` // the key that names the resource
	Kind         string          `json:"kind"`      // "bucket policy", "key policy"
	Resource     string          `json:"resource"`
	Account      string          `json:"account"` // the account that owns the resource
	Sids         []string        `json:"sids"`
	Policy       json.RawMessage `json:"policy,omitempty"`
	KnownAfterUp bool            `json:"knownAfterUp,omitempty"`
}

// foreignPolicies: the resources a stack may bring (config key) and the output holding the policy
// their owners apply.
var foreignPolicies = []struct {
	configKey, output, kind string
	owner                   func(resource string) string
}{
	{program.KeyExistingBucketName, program.OutRequiredBucketPolicy, "bucket policy", func(string) string {
		return "the account that owns the bucket"
	}},
	{program.KeyExistingKeyArn, program.OutRequiredKeyPolicy, "key policy", func(arn string) string {
		if a, ok := awsenv.ParseARN(arn); ok && a.Account != "" {
			return a.Account
		}
		return "the account that owns the key"
	}},
}

// policyDoc is the part of a policy document plan reads.
type policyDoc struct {
	Statement []struct {
		Sid       string
		Principal any
		Action    any
	}
}

func parsePolicy(s string) (policyDoc, bool) {
	var d policyDoc
	return d, s != "" && json.Unmarshal([]byte(s), &d) == nil
}

func sids(doc string) []string {
	d, _ := parsePolicy(doc)
	out := []string{}
	for _, st := range d.Statement {
		out = append(out, st.Sid)
	}
	return out
}
