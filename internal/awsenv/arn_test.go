package awsenv

import (
	"testing"
)

func TestParseARN(t *testing.T) {
	for _, c := range []struct {
		s    string
		want ARNParts
		ok   bool
	}{
		{"arn:aws:iam::111122223333:role/Admin", ARNParts{"aws", "iam", "", "111122223333", "role/Admin"}, true},
		{"arn:aws-cn:sns:cn-north-1:111122223333:t", ARNParts{"aws-cn", "sns", "cn-north-1", "111122223333", "t"}, true},
		{"arn:aws:s3:::bucket", ARNParts{"aws", "s3", "", "", "bucket"}, true},
		{"arn:aws:logs:us-east-1:111122223333:log-group:/a:*", ARNParts{"aws", "logs", "us-east-1", "111122223333", "log-group:/a:*"}, true},
		{"arn:other:s3:::bucket", ARNParts{}, false},
		{"arn:aws:iam::1111:root", ARNParts{}, false},
		{"arn:aws:iam::111122223333:", ARNParts{}, false},
		{"", ARNParts{}, false},
	} {
		got, ok := ParseARN(c.s)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseARN(%q) = %+v, %v; want %+v, %v", c.s, got, ok, c.want, c.ok)
		}
	}
}

func TestAccountAndRegionSyntax(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		s    string
		want bool
	}{
		{"account", IsAccountID, "011122223333", true},
		{"account", IsAccountID, "11112222333", false},
		{"region", IsRegion, "us-gov-west-1", true},
		{"region", IsRegion, "US-east-1", false},
	} {
		if got := c.f(c.s); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", c.name, c.s, got, c.want)
		}
	}
}
