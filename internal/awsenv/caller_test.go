package awsenv

import "testing"

// TestAssumedRoleCallerActsAsItsRole: the principal a key policy must name for an assumed-role
// session is its role; users and the root user are themselves.
func TestAssumedRoleCallerActsAsItsRole(t *testing.T) {
	for caller, want := range map[string]string{
		"arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-42":                         "arn:aws:iam::111122223333:role/Deployer",
		"arn:aws-us-gov:sts::111122223333:assumed-role/Deployer/alice@example.com":          "arn:aws-us-gov:iam::111122223333:role/Deployer",
		"arn:aws:iam::111122223333:user/deployer":                                           "arn:aws:iam::111122223333:user/deployer",
		"arn:aws:iam::111122223333:root":                                                    "arn:aws:iam::111122223333:root",
		"arn:aws:sts::111122223333:federated-user/bob":                                      "arn:aws:sts::111122223333:federated-user/bob",
		"arn:aws-cn:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/x": "arn:aws-cn:iam::111122223333:role/AWSReservedSSO_Admin_0123456789abcdef",
	} {
		if got := CallerPrincipal(caller); got != want {
			t.Errorf("CallerPrincipal(%s) = %s, want %s", caller, got, want)
		}
	}
}

// TestKeyAdminsMustCoverTheDeployer holds AdminsCoverCaller to KMS's lockout safety check for the
// key policies rootwatch writes (kms:* to the administrators only).
func TestKeyAdminsMustCoverTheDeployer(t *testing.T) {
	const (
		role    = "arn:aws:sts::111122223333:assumed-role/Deployer/ci-run-42"
		user    = "arn:aws:iam::111122223333:user/deployer"
		rootUsr = "arn:aws:iam::111122223333:root"
		sso     = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com"
	)
	cases := []struct {
		name   string
		admins []string
		caller string
		want   bool
	}{
		{"no admins: the account root administers", nil, role, true},
		{"the session's role", []string{"arn:aws:iam::111122223333:role/Deployer"}, role, true},
		{"the session's role under a path", []string{"arn:aws:iam::111122223333:role/ci/pulumi/Deployer"}, role, true},
		{
			"an Identity Center role under its reserved path",
			[]string{
				"arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_0123456789abcdef",
			},
			sso,
			true,
		},
		{
			"the account root covers a role session",
			[]string{"arn:aws:iam::111122223333:role/KeyAdmin", "arn:aws:iam::111122223333:root"},
			role,
			true,
		},
		{"the account root covers the root user", []string{"arn:aws:iam::111122223333:root"}, rootUsr, true},
		{"the user itself", []string{"arn:aws:iam::111122223333:user/deployer"}, user, true},
		{"the user under a path", []string{"arn:aws:iam::111122223333:user/humans/deployer"}, user, true},
		{"another role", []string{"arn:aws:iam::111122223333:role/KeyAdmin"}, role, false},
		{
			"a role whose name only ends like the caller's",
			[]string{"arn:aws:iam::111122223333:role/OldDeployer"},
			role,
			false,
		},
		{
			"a path segment, not the name, equal to the role",
			[]string{"arn:aws:iam::111122223333:role/Deployer/Other"},
			role,
			false,
		},
		{"a user named like the role", []string{"arn:aws:iam::111122223333:user/Deployer"}, role, false},
		{"the same role name in another account", []string{"arn:aws:iam::444455556666:role/Deployer"}, role, false},
		{"another account's root", []string{"arn:aws:iam::444455556666:root"}, role, false},
		{"another partition's root", []string{"arn:aws-us-gov:iam::111122223333:root"}, role, false},
		{"the root user is not covered by a role", []string{"arn:aws:iam::111122223333:role/Deployer"}, rootUsr, false},
		{
			"a federated user needs the account root",
			[]string{"arn:aws:iam::111122223333:role/bob"},
			"arn:aws:sts::111122223333:federated-user/bob",
			false,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := AdminsCoverCaller(c.admins, c.caller); got != c.want {
				t.Errorf("AdminsCoverCaller(%v, %s) = %v, want %v", c.admins, c.caller, got, c.want)
			}
		})
	}
}
