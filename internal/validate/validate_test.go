package validate

import "testing"

func TestInline(t *testing.T) {
	var es Errors
	if es.Inline("policy: X") != nil {
		t.Fatal("no problem, want nil")
	}
	es.Add("TrailARN", "", "is not a cloudtrail ARN", "")
	es.Addf("Env: %s", "invalid AWS environment: Region \"x\" is empty")
	es.Add("N", 3, "is odd", "even numbers")
	err := es.Inline("policy: X")
	want := `policy: X: TrailARN "" is not a cloudtrail ARN; Env: invalid AWS environment: Region "x" is empty; N 3 is odd; allowed: even numbers`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
	if Fields(err) != nil {
		t.Error("Fields must not read an Inline error as a component's argument errors")
	}
	if got := es.Err("p").Error(); got != "p: 3 problems:\n  TrailARN: \"\" is not a cloudtrail ARN\n  Env: invalid AWS environment: Region \"x\" is empty\n  N: 3 is odd; allowed: even numbers" {
		t.Errorf("Err: %q", got)
	}
}

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

func TestPredicates(t *testing.T) {
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
		{"org", IsOrganizationID, "o-abcdef1234", true},
		{"org", IsOrganizationID, "o-ABCDEF1234", false},
	} {
		if got := c.f(c.s); got != c.want {
			t.Errorf("%s(%q) = %v, want %v", c.name, c.s, got, c.want)
		}
	}
	var es Errors
	NamePrefix(&es, "NamePrefix", "ok-prefix.")
	NamePrefix(&es, "NamePrefix", "no/slash")
	if len(es) != 1 || es[0].Error() != `NamePrefix: "no/slash" is not a usable name prefix; allowed: `+NamePrefixRule {
		t.Errorf("NamePrefix: %v", es)
	}
}
