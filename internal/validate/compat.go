package validate

import (
	"regexp"
	"strings"
)

// This file keeps two ARN and account checks for cmd/rootwatch/plan.go only, which another change
// is moving: awsenv (ParseARN, IsAccountID) is their home, and awsenv imports this package, so
// these cannot call it. Delete the file once plan.go calls awsenv.

var compatARNRe = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):[a-z0-9-]+:[a-z0-9-]*:(\d{12}|):.+$`)

// ParseARN gives the account of an ARN, as awsenv.ParseARN reads it.
//
// Transitional: call awsenv.ParseARN.
func ParseARN(s string) (struct{ Account string }, bool) {
	m := compatARNRe.FindStringSubmatch(s)
	if m == nil {
		return struct{ Account string }{}, false
	}
	return struct{ Account string }{Account: m[2]}, true
}

// IsAccountID says whether s is 12 digits.
//
// Transitional: call awsenv.IsAccountID.
func IsAccountID(s string) bool { return len(s) == 12 && strings.Trim(s, "0123456789") == "" }
