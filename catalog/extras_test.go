package catalog

import (
	"bytes"
	"testing"
)

// The extras against real CloudTrail records of the corpus (AWS CloudTrail User Guide examples,
// Panther rule tests and its compromised-root scenario, Stratus Red Team detonations), each shown to
// fire on the event it is for and not on its look-alikes: an IAM user doing the same thing, root
// doing something else. The corpus has no DeactivateMFADevice, DeleteVirtualMFADevice or
// PasswordRecovery* record; those are checked on records derived from AWS's examples by changing
// only the named fields, and each derived record says so in its name.

// extraCase is one record and whether the control should count it.
type extraCase struct {
	what string
	msg  []byte
	want bool
}

func checkExtra(t *testing.T, id string, cases []extraCase) {
	t.Helper()
	var ctl *compiledControl
	for _, c := range compileCatalog(t) {
		if c.ID == id {
			c := c
			ctl = &c
		}
	}
	if ctl == nil || !ctl.Extra {
		t.Fatalf("no extra %s in the catalogue", id)
	}
	for _, tc := range cases {
		if got := ctl.match(tc.msg); got != tc.want {
			t.Errorf("%s: %s matches = %v, want %v (pattern %s)", tc.what, id, got, tc.want, ctl.Pattern)
		}
	}
}

// derive returns msg with old replaced by new exactly once; it fails if old does not occur once,
// so a derived record never silently equals its source.
func derive(t *testing.T, msg []byte, pairs ...string) []byte {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := bytes.Count(msg, []byte(pairs[i])); n != 1 {
			t.Fatalf("derive: %q occurs %d times in %s", pairs[i], n, msg)
		}
		msg = bytes.Replace(msg, []byte(pairs[i]), []byte(pairs[i+1]), 1)
	}
	return msg
}

// TestRootAccessKeyCreated_FiresOnRootCreateAccessKeyOnly: every root CreateAccessKey counts,
// root's own key (requestParameters null: Panther's test, the scenario's console call) and a key
// root makes for an IAM user (requestParameters.userName: Panther's second test, the scenario's
// aws-cli call); IAM users creating keys (Stratus) and root listing keys do not.
func TestRootAccessKeyCreated_FiresOnRootCreateAccessKeyOnly(t *testing.T) {
	events := loadCorpus(t)
	rec := func(key string) []byte { return corpusRecord(t, events, key) }
	own := rec("panther_scenarios/compromised-root-creds__attacker_cloudtrail.json#5")
	if !bytes.Contains(own, []byte(`"requestParameters":null`)) || !bytes.Contains(own, []byte(`"userName":"Root"`)) {
		t.Fatalf("scenario record 5 is not root creating its own key: %s", own)
	}
	forUser := rec("curated/root_api_call_cli_CreateAccessKey__panther_scenario.json#0")
	if !bytes.Contains(forUser, []byte(`"requestParameters":{"userName":"tracy_stone"}`)) {
		t.Fatalf("curated record is not root creating a key for tracy_stone: %s", forUser)
	}
	checkExtra(t, "root-access-key-created", []extraCase{
		{
			"Panther: Root Access Key Created (root's own key, IAM console)",
			rec("panther/aws_root_access_key_created.json#0"),
			true,
		},
		{"Panther: Root Created Access Key For User", rec("panther/aws_root_access_key_created.json#1"), true},
		{"compromised-root scenario: root's own key from the console", own, true},
		{
			"compromised-root scenario: root's key for backdoor user tracy_stone (aws-cli)",
			rec("panther_scenarios/compromised-root-creds__attacker_cloudtrail.json#10"),
			true,
		},
		{"curated copy of the scenario's aws-cli call", forUser, true},
		{
			"Stratus iam-backdoor-user: IAM user creates an access key",
			rec("stratus/aws.persistence.iam-backdoor-user.json#0"),
			false,
		},
		{
			"Stratus iam-create-admin-user: IAM user creates an access key",
			rec("stratus/aws.persistence.iam-create-admin-user.json#1"),
			false,
		},
		{"Panther: root ListAccessKeys (read-only)", rec("panther/aws_root_activity.json#5"), false},
		{
			"compromised-root scenario: root CreateUser",
			rec("panther_scenarios/compromised-root-creds__attacker_cloudtrail.json#6"),
			false,
		},
		{"AWS docs: root console sign-in", rec("curated/root_consolelogin_success_mfa_no__awsdocs.json#0"), false},
		{
			"derived: the scenario's root key record with userIdentity.type IAMUser",
			derive(t, own, `"type":"Root"`, `"type":"IAMUser"`),
			false,
		},
		{
			"derived: the scenario's root key record with errorCode AccessDenied (a failed attempt counts)",
			derive(t, own, `"eventID":"1",`, `"eventID":"1","errorCode":"AccessDenied",`),
			true,
		},
	})
}

// TestRootPasswordChange_FiresOnRootPasswordAndRecoveryOnly: AWS's and Panther's root
// PasswordUpdated records count (a failed change too); root sign-ins, root MFA changes and IAM user
// sign-ins do not. The recovery flow (derived from AWS's PasswordUpdated example) counts even
// without userIdentity, since only root has it; a PasswordUpdated by anyone but root, and IAM's
// ChangePassword, do not.
func TestRootPasswordChange_FiresOnRootPasswordAndRecoveryOnly(t *testing.T) {
	events := loadCorpus(t)
	rec := func(key string) []byte { return corpusRecord(t, events, key) }
	aws := rec("curated/root_passwordupdated__awsdocs.json#0")
	if !bytes.Contains(aws, []byte(`"eventName":"PasswordUpdated"`)) || !bytes.Contains(aws, []byte(`"type":"Root"`)) {
		t.Fatalf("AWS docs record is not the root password change: %s", aws)
	}
	recovery := func(name string) []byte {
		return derive(
			t,
			aws,
			`"eventName":"PasswordUpdated"`,
			`"eventName":"`+name+`"`,
			`"responseElements":{"PasswordUpdated":"Success"}`,
			`"responseElements":{"`+name+`":"Success"}`,
		)
	}
	noIdentity := func(msg []byte) []byte {
		i := bytes.Index(msg, []byte(`"userIdentity":{`))
		j := bytes.Index(msg, []byte(`"eventTime"`))
		if i < 0 || j < i {
			t.Fatalf("no userIdentity before eventTime in %s", msg)
		}
		return append(append([]byte(nil), msg[:i]...), msg[j:]...)
	}
	checkExtra(t, "root-password-change", []extraCase{
		{"AWS docs: root password changed", aws, true},
		{"curated copy of AWS's root password change", rec("curated/root_passwordupdated__awsdocs.json#0"), true},
		{"Panther: Root Password Changed", rec("panther/aws_root_password_changed.json#0"), true},
		{
			"Panther: Root Password Change Failed (attempts count)",
			rec("panther/aws_root_password_changed.json#1"),
			true,
		},
		{"AWS docs: root sign-in without MFA", rec("curated/root_consolelogin_success_mfa_no__awsdocs.json#0"), false},
		{"AWS docs: root sign-in failure", rec("curated/root_consolelogin_failure__awsdocs.json#0"), false},
		{"AWS docs: root EnableMFADevice", rec("curated/root_enablemfadevice_apicall__awsdocs.json#0"), false},
		{"AWS docs: IAM user sign-in", rec("awsdocs/signin__iam-user-successful-sign-in-without-mfa.json#0"), false},
		{
			"AWS docs: IAM user CheckMfa",
			rec("awsdocs/signin__iam-user-sign-in-process-checks-for-mfa-single-mfa-device-type.json#0"),
			false,
		},
		{"derived: PasswordRecoveryRequested", recovery("PasswordRecoveryRequested"), true},
		{"derived: PasswordRecoveryCompleted", recovery("PasswordRecoveryCompleted"), true},
		{
			"derived: PasswordRecoveryRequested without userIdentity",
			noIdentity(recovery("PasswordRecoveryRequested")),
			true,
		},
		{"derived: PasswordUpdated by an IAMUser", derive(t, aws, `"type":"Root"`, `"type":"IAMUser"`), false},
		{"derived: PasswordUpdated without userIdentity", noIdentity(aws), false},
		{
			"derived: IAM user ChangePassword on iam.amazonaws.com",
			derive(
				t,
				aws,
				`"type":"Root"`,
				`"type":"IAMUser"`,
				`"eventSource":"signin.amazonaws.com"`,
				`"eventSource":"iam.amazonaws.com"`,
				`"eventName":"PasswordUpdated"`,
				`"eventName":"ChangePassword"`,
			),
			false,
		},
		{
			"derived: PasswordRecoveryRequested from another event source",
			derive(
				t,
				recovery("PasswordRecoveryRequested"),
				`"eventSource":"signin.amazonaws.com"`,
				`"eventSource":"iam.amazonaws.com"`,
			),
			false,
		},
	})
}

// TestRootMFARemoved_FiresOnRootMFARemovalOnly: AWS's root EnableMFADevice example (adding a
// device) does not count; the same record turned into DeactivateMFADevice or DeleteVirtualMFADevice
// does, whatever requestParameters.userName says; the same removal by an IAM user does not.
func TestRootMFARemoved_FiresOnRootMFARemovalOnly(t *testing.T) {
	events := loadCorpus(t)
	rec := func(key string) []byte { return corpusRecord(t, events, key) }
	enable := rec("curated/root_enablemfadevice_apicall__awsdocs.json#0")
	if !bytes.Contains(enable, []byte(`"eventName":"EnableMFADevice"`)) ||
		!bytes.Contains(enable, []byte(`"userName":"AWS ROOT USER"`)) {
		t.Fatalf("AWS docs record is not root's EnableMFADevice: %s", enable)
	}
	deactivate := derive(t, enable, `"eventName":"EnableMFADevice"`, `"eventName":"DeactivateMFADevice"`)
	deleteVirtual := derive(
		t,
		enable,
		`"eventName":"EnableMFADevice"`,
		`"eventName":"DeleteVirtualMFADevice"`,
		`"userName":"AWS ROOT USER",`,
		``,
	)
	checkExtra(t, "root-mfa-removed", []extraCase{
		{"AWS docs: root EnableMFADevice", enable, false},
		{
			"curated copy of AWS's root EnableMFADevice",
			rec("curated/root_enablemfadevice_apicall__awsdocs.json#0"),
			false,
		},
		{"AWS docs: root password changed", rec("curated/root_passwordupdated__awsdocs.json#0"), false},
		{
			"compromised-root scenario: root CreateAccessKey",
			rec("panther_scenarios/compromised-root-creds__attacker_cloudtrail.json#5"),
			false,
		},
		{"derived: root DeactivateMFADevice (userName AWS ROOT USER)", deactivate, true},
		{
			"derived: root DeactivateMFADevice for IAM user alice",
			derive(t, deactivate, `"AWS ROOT USER"`, `"alice"`),
			true,
		},
		{"derived: root DeleteVirtualMFADevice (serial number only)", deleteVirtual, true},
		{"derived: IAMUser DeactivateMFADevice", derive(t, deactivate, `"type":"Root"`, `"type":"IAMUser"`), false},
		{
			"derived: IAMUser DeleteVirtualMFADevice",
			derive(t, deleteVirtual, `"type":"Root"`, `"type":"IAMUser"`),
			false,
		},
		{
			"derived: root DeactivateMFADevice on another event source",
			derive(t, deactivate, `"eventSource":"iam.amazonaws.com"`, `"eventSource":"sts.amazonaws.com"`),
			false,
		},
	})
}

// TestExtras_AlsoRootUsage: every corpus record a root-posture extra counts is also counted by
// root-usage, which is always on: an extra adds a specific alarm next to root usage's, it does not
// replace it. root-session-opened is the exception by design: its caller (the management account's
// role or user) is not root; the session's calls in the member account are root usage there.
func TestExtras_AlsoRootUsage(t *testing.T) {
	events := loadCorpus(t)
	controls := map[string]compiledControl{}
	for _, c := range compileCatalog(t) {
		controls[c.ID] = c
	}
	n := 0
	for _, ev := range events {
		for _, c := range Extras() {
			if c.ID == RootSessionOpened {
				continue
			}
			if controls[c.ID].match(ev.msg) {
				n++
				if !controls["root-usage"].match(ev.msg) {
					t.Errorf("%s: %s counts it but root-usage does not", ev.source(), c.ID)
				}
			}
		}
	}
	if n != 8 {
		t.Errorf("extras count %d corpus records, want 8 (5 root CreateAccessKey, 3 root PasswordUpdated; see "+
			"expected_matches.json)", n)
	}
}

// TestRootSessionOpened_FiresOnAssumeRootOnly: AWS's AssumeRoot example (the management account
// opening a root session on a member) counts, and so does a failed attempt; the member account's
// calls made with the session (root usage there), other STS calls and root sign-ins do not.
func TestRootSessionOpened_FiresOnAssumeRootOnly(t *testing.T) {
	events := loadCorpus(t)
	rec := func(key string) []byte { return corpusRecord(t, events, key) }
	opened := rec("awsdocs/iam__assumeroot-privileged-session-opened.json#0")
	checkExtra(t, RootSessionOpened, []extraCase{
		{"AWS docs: AssumeRoot in the management account", opened, true},
		{
			"derived: the same AssumeRoot refused (errorCode AccessDenied; a failed attempt counts)",
			derive(t, opened, `"eventName":"AssumeRoot",`, `"eventName":"AssumeRoot","errorCode":"AccessDenied",`),
			true,
		},
		{
			"derived: the same record as an AssumeRole call",
			derive(t, opened, `"eventName":"AssumeRoot"`, `"eventName":"AssumeRole"`),
			false,
		},
		{
			"derived: AssumeRoot on another event source",
			derive(t, opened, `"eventSource":"sts.amazonaws.com"`, `"eventSource":"iam.amazonaws.com"`),
			false,
		},
		{
			"derived: the member account's call made with the session",
			rec("curated/root_session_member_DeleteBucketPolicy__derived.json#0"),
			false,
		},
		{"AWS docs: root console sign-in", rec("curated/root_consolelogin_success_mfa_no__awsdocs.json#0"), false},
	})
}
