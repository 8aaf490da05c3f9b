//go:build integration

package notify_test

import (
	"testing"

	"github.com/rootwatch/rootwatch/internal/testkit/cfnlint"
	"github.com/rootwatch/rootwatch/notify"
)

// TestMemberTemplatePassesCfnLint: the StackSet's template, as generated, has no cfn-lint finding
// (errors, warnings or informational), in every partition.
func TestMemberTemplatePassesCfnLint(t *testing.T) {
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov"} {
		s, err := notify.MemberTemplate(p, "arn:"+p+":events:us-east-1:"+account+":event-bus/rw-member-root-events",
			forwardRule)
		if err != nil {
			t.Fatal(err)
		}
		cfnlint.Check(t, s)
	}
}
