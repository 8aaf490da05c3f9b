package awsenv

import (
	"strings"
	"testing"
)

// TestKnownRegion: each partition's regions pass, a syntactically valid name that is no region
// is refused with the same area's regions, and partitions without a list are not judged.
func TestKnownRegion(t *testing.T) {
	for _, c := range []struct {
		region, partition string
		ok                bool
		allowed           string
	}{
		{"us-east-1", "aws", true, ""},
		{"ap-southeast-7", "aws", true, ""},
		{"mx-central-1", "aws", true, ""},
		{"cn-northwest-1", "aws-cn", true, ""},
		{"us-gov-east-1", "aws-us-gov", true, ""},
		{"us-iso-east-1", "aws-iso", true, ""},
		{"eu-west-4", "aws", false, "a region of partition aws, such as eu-central-1, eu-central-2, eu-north-1, " +
			"eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3 (all 36: internal/awsenv/regions.go)"},
		{"narnia-east-1", "aws", false, "a region of partition aws: af-south-1,"},
		{"cn-south-1", "aws-cn", false, "a region of partition aws-cn: cn-north-1, cn-northwest-1"},
		{"us-gov-north-1", "aws-us-gov", false, "a region of partition aws-us-gov: us-gov-east-1, us-gov-west-1"},
	} {
		p, ok, allowed := KnownRegion(c.region)
		if p != c.partition || ok != c.ok || !strings.HasPrefix(allowed, c.allowed) ||
			(c.allowed == "") != (allowed == "") {
			t.Errorf(
				"KnownRegion(%q) = %q, %v, %q; want %q, %v, %q",
				c.region,
				p,
				ok,
				allowed,
				c.partition,
				c.ok,
				c.allowed,
			)
		}
	}
	if n := len(PartitionRegions["aws"]); n != 36 {
		t.Errorf("%d aws regions; the error text says how many", n)
	}
}
