package scpeval

import (
	"testing"
	"time"
)

var now = time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)

func rootReq(action string) Request {
	return Request{
		Action: action, PrincipalARN: "arn:aws:iam::444455556666:root", Account: "444455556666",
		OrgPaths: []string{"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"}, Time: now,
	}
}

func deny(cond string) string {
	return `{"Version":"2012-10-17","Statement":{"Effect":"Deny","Action":"*","Resource":"*","Condition":` + cond + `}}`
}

func TestOperators(t *testing.T) {
	cases := []struct {
		cond string
		want bool
	}{
		{`{"ArnLike":{"aws:PrincipalArn":"arn:*:iam::*:root"}}`, true},
		{`{"ArnLike":{"aws:PrincipalArn":"arn:aws-cn:iam::*:root"}}`, false},
		{`{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::444455556666:root"}}`, true},
		{`{"ArnNotLike":{"aws:PrincipalArn":["arn:aws:iam::*:role/*","arn:aws:iam::*:root"]}}`, false},
		{`{"StringLike":{"aws:principalarn":"arn:aws:iam::*"}}`, true}, // keys are case-insensitive
		{`{"StringEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}`, true},
		{`{"StringNotEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]}}`, false},
		{`{"StringNotEquals":{"aws:PrincipalAccount":["111122223333"]}}`, true},
		{`{"Null":{"aws:AssumedRoot":"true"}}`, true},
		{`{"Null":{"aws:AssumedRoot":"false"}}`, false},
		{`{"Bool":{"aws:AssumedRoot":"false"}}`, false}, // absent key: Bool does not match
		{`{"Bool":{"aws:AssumedRoot":"true"}}`, false},
		{`{"BoolIfExists":{"aws:AssumedRoot":"true"}}`, true},
		{`{"StringNotLike":{"aws:AssumedRoot":"x"}}`, true}, // negated on an absent key: true
		{`{"DateGreaterThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`, true},
		{`{"DateLessThan":{"aws:CurrentTime":"2027-01-01T00:00:00Z"}}`, false},
		{`{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*/ou-ab12-11111111/*"}}`, true},
		{`{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*/ou-ab12-22222222/*"}}`, false},
		{`{"ForAllValues:StringNotLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*/ou-ab12-11111111/*"}}`, false},
		{`{"ForAllValues:StringNotLike":{"aws:PrincipalOrgPaths":"o-a1b2c3d4e5/*/ou-ab12-22222222/*"}}`, true},
		{`{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}`, true},
	}
	for _, c := range cases {
		d, err := EvaluateJSON(deny(c.cond), rootReq("s3:ListBucket"))
		if err != nil {
			t.Errorf("%s: %v", c.cond, err)
			continue
		}
		if d.Denied != c.want {
			t.Errorf("%s: denied = %v, want %v", c.cond, d.Denied, c.want)
		}
	}
}

func TestAbsentMultivaluedKey(t *testing.T) {
	r := rootReq("s3:ListBucket")
	r.OrgPaths = nil
	for cond, want := range map[string]bool{
		`{"ForAllValues:StringNotLike":{"aws:PrincipalOrgPaths":"o-x/*"}}`: true, // true on an absent key
		`{"ForAnyValue:StringLike":{"aws:PrincipalOrgPaths":"*"}}`:         false,
	} {
		if d, err := EvaluateJSON(deny(cond), r); err != nil || d.Denied != want {
			t.Errorf("%s: %v, %v; want denied %v", cond, d, err, want)
		}
	}
}

func TestActions(t *testing.T) {
	p := `{"Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:Get*"],"Resource":"*"},` +
		`{"Sid":"Keys","Effect":"Deny","Action":"IAM:CreateAccess?ey","Resource":"*"}]}`
	for action, want := range map[string]string{
		"s3:GetObject":          "statement 0",
		"iam:CreateAccessKey":   "Keys",
		"iam:ListUsers":         "",
		"sts:GetCallerIdentity": "",
	} {
		d, err := EvaluateJSON(p, rootReq(action))
		if err != nil {
			t.Fatal(err)
		}
		got := d.Sid
		if d.Denied && got == "" {
			got = "statement 0"
		}
		if got != want {
			t.Errorf("%s: decided by %q, want %q", action, got, want)
		}
	}
}

// An evaluator that cannot read a statement says so, unless another statement denies anyway.
func TestUnknownIsAnErrorNeverAnAllow(t *testing.T) {
	unknown := []string{
		`{"StringEqualsIgnoreCase":{"aws:PrincipalAccount":"444455556666"}}`,
		`{"StringEquals":{"aws:RequestedRegion":"us-east-1"}}`,
		`{"StringLike":{"aws:PrincipalOrgPaths":"*"}}`, // multivalued without a set operator
		`{"Maybe:StringLike":{"aws:PrincipalOrgPaths":"*"}}`,
		`{"DateGreaterThan":{"aws:CurrentTime":"1700000000"}}`,
	}
	for _, cond := range unknown {
		if d, err := EvaluateJSON(deny(cond), rootReq("s3:ListBucket")); err == nil {
			t.Errorf("%s: no error (%v)", cond, d)
		}
	}
	// A false condition decides the statement whatever the unknown one says.
	cond := `{"StringEquals":{"aws:RequestedRegion":"us-east-1","aws:PrincipalAccount":"000000000000"}}`
	if d, err := EvaluateJSON(deny(cond), rootReq("s3:ListBucket")); err != nil || d.Denied {
		t.Errorf("%v, %v; want not denied without error", d, err)
	}
	// Another policy's deny decides.
	d, err := Evaluate(rootReq("s3:ListBucket"), Policy{"odd", deny(unknown[0])}, Policy{"ct", deny(`{}`)})
	if err != nil || !d.Denied || d.Policy != "ct" {
		t.Errorf("%v, %v; want denied by ct", d, err)
	}
	for _, bad := range []string{
		`{`, `{"Statement":[]}`, `{"Statement":{"Effect":"Deny","Action":"*","Resource":"arn:aws:s3:::b"}}`,
		`{"Statement":{"Effect":"Deny","Action":"*","NotAction":"s3:*","Resource":"*"}}`,
		`{"Statement":{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*"}}`} {
		if _, err := EvaluateJSON(bad, rootReq("s3:ListBucket")); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*c", "abbc", true}, {"a*c", "abcd", false}, {"a?c", "abc", true},
		{"o-x/*/ou-1/*", "o-x/r-1/ou-0/ou-1/", true}, {"o-x/*/ou-1/*", "o-x/r-1/ou-1x/", false},
		{"**a", "xa", true}, {"a", "A", false},
	} {
		if got := glob(c.p, c.s); got != c.want {
			t.Errorf("glob(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
