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
	if got := es.Err("p").Error(); got != "p: 3 problems:\n  TrailARN: \"\" is not a cloudtrail ARN\n"+
		"  Env: invalid AWS environment: Region \"x\" is empty\n  N: 3 is odd; allowed: even numbers" {
		t.Errorf("Err: %q", got)
	}
}

func TestPredicates(t *testing.T) {
	for _, c := range []struct {
		name string
		f    func(string) bool
		s    string
		want bool
	}{
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
