package notify_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/notify"
)

const (
	tBus         = "aws:cloudwatch/eventBus:EventBus"
	tBusPolicy   = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"
	tStackSet    = "aws:cloudformation/stackSet:StackSet"
	tSSInstance  = "aws:cloudformation/stackSetInstance:StackSetInstance"
	centralBus   = "arn:aws:events:us-east-1:" + account + ":event-bus/rw-member-root-events"
	memberAcct   = "444455556666"
	forwardRule  = "rw-root-events-to-central-bus"
	stackSetName = "rw-member-root-events"
)

func memberTemplate(t *testing.T) map[string]any {
	t.Helper()
	s, err := notify.MemberTemplate("aws", centralBus, forwardRule)
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal([]byte(s), &tpl); err != nil {
		t.Fatal(err)
	}
	return tpl
}

// TestMemberTemplateIsGeneratedFromTheRules: the member rule's pattern is ForwardPattern (the
// superset of the rule definitions the cross-region forwarders use), its target the central bus
// through the role, and the role's documents are internal/policy's, with the member's own account
// and region filled in by CloudFormation.
func TestMemberTemplateIsGeneratedFromTheRules(t *testing.T) {
	tpl := memberTemplate(t)
	res := tpl["Resources"].(map[string]any)
	rule := res["ForwardRule"].(map[string]any)["Properties"].(map[string]any)
	pattern, _ := json.Marshal(rule["EventPattern"])
	var want any
	_ = json.Unmarshal([]byte(notify.ForwardPattern()), &want)
	wantJSON, _ := json.Marshal(want)
	if string(pattern) != string(wantJSON) {
		t.Errorf("member pattern %s, want ForwardPattern %s", pattern, wantJSON)
	}
	if rule["Name"] != forwardRule || rule["EventBusName"] != "default" ||
		rule["State"] != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" {
		t.Errorf("member rule %v", rule)
	}
	targets := rule["Targets"].([]any)
	if len(targets) != 1 ||
		fmt.Sprint(
			targets[0],
		) != "map[Arn:"+centralBus+" Id:rootwatch-central-bus RoleArn:map[Fn::GetAtt:[ForwardRole Arn]]]" {
		t.Errorf("member rule targets %v", targets)
	}
	role := res["ForwardRole"].(map[string]any)["Properties"].(map[string]any)
	trust, _ := json.Marshal(role["AssumeRolePolicyDocument"])
	for _, w := range []string{`"aws:SourceAccount":{"Fn::Sub":"${AWS::AccountId}"}`,
		`"aws:SourceArn":{"Fn::Sub":"arn:aws:events:${AWS::Region}:${AWS::AccountId}:rule/` + forwardRule + `"}`,
		`"Service":"events.amazonaws.com"`, policy.SidMemberForwardAssumeRole} {
		if !strings.Contains(string(trust), w) {
			t.Errorf("trust policy %s lacks %s", trust, w)
		}
	}
	pols := role["Policies"].([]any)
	put, _ := json.Marshal(pols[0].(map[string]any)["PolicyDocument"])
	var wantPut any
	_ = json.Unmarshal([]byte(policy.MemberPutEvents(centralBus).MustJSON()), &wantPut)
	wantPutJSON, _ := json.Marshal(wantPut)
	if len(pols) != 1 || string(put) != string(wantPutJSON) {
		t.Errorf("role policies %s, want only %s", put, wantPutJSON)
	}
	if _, err := notify.MemberTemplate("aws", "arn:aws:events:us-east-1:"+account+":event-bus/*",
		forwardRule); err == nil {
		t.Error("a wildcard bus was accepted")
	}
}

// asMember returns ev as it arrives on the central bus from member account memberAcct: EventBridge
// keeps the event's fields, the account (the member's) among them, when a rule forwards it to a bus
// of another account.
func asMember(t *testing.T, ev []byte) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatal(err)
	}
	m["account"] = memberAcct
	if d, ok := m["detail"].(map[string]any); ok {
		d["recipientAccountId"] = memberAcct
	}
	b, _ := json.Marshal(m)
	return b
}

// TestMemberEventsForwardedAndNotified: every corpus event as a member account records it: the member
// rule (the template's pattern) forwards exactly what a central rule then notifies (root sign-ins,
// root API calls, sts:AssumeRoot sessions), each by the same rule as in the deploying account, and
// forwards none of the IAM users' sign-ins, AWS service events or other principals' calls (only root
// calls a service made, which no rule notifies, pass the superset pattern). Other organizations'
// accounts cannot put events on the bus at all (its policy,
// TestCentralBusAdmitsOnlyTheMembersForwardingRoles).
func TestMemberEventsForwardedAndNotified(t *testing.T) {
	tpl := memberTemplate(t)
	p, _ := json.Marshal(tpl["Resources"].(map[string]any)["ForwardRule"].(map[string]any)["Properties"].(map[string]any)["EventPattern"])
	fwd := parsed(t, string(p))
	seen := map[string]bool{}
	for _, ev := range corpus(t) {
		member := asMember(t, ev.event)
		var got []string
		for _, r := range notify.Rules("aws") {
			if matches(t, parsed(t, r.Pattern), member) {
				got = append(got, r.ID)
			}
		}
		want := expected[ev.file]
		if want == "" && len(got) != 0 || want != "" && fmt.Sprint(got) != "["+want+"]" {
			t.Errorf("%s from a member account: central rules %v, want %q", ev.file, got, want)
		}
		forwarded := matches(t, fwd, member)
		if want != "" && !forwarded {
			t.Errorf("%s: notified centrally (%s) but not forwarded by the member rule", ev.file, want)
		}
		// The pattern is a superset (the central rules do the precise filtering): it may forward
		// root events no rule notifies (calls a service made for root), nothing else.
		if want == "" && forwarded && !isRoot(member) {
			t.Errorf("%s: forwarded by the member rule though it is no root activity", ev.file)
		}
		if want != "" {
			seen[want] = true
		}
	}
	for _, id := range []string{notify.RuleSignIn, notify.RuleAPICall, notify.RuleSessionOpened} {
		if !seen[id] {
			t.Errorf("no member-account corpus event for %s", id)
		}
	}
}

func isRoot(ev []byte) bool {
	var m struct {
		Detail struct {
			UserIdentity struct{ Type string } `json:"userIdentity"`
		} `json:"detail"`
	}
	_ = json.Unmarshal(ev, &m)
	return m.Detail.UserIdentity.Type == "Root"
}

// TestCentralMessageNamesTheMemberAccount: the central rules' messages take the account and region
// from the event, so a forwarded event names the member account, not the deploying one.
func TestCentralMessageNamesTheMemberAccount(t *testing.T) {
	for _, r := range notify.Rules("aws") {
		if r.InputPaths["account"] != "$.account" || r.InputPaths["region"] != "$.region" ||
			!strings.Contains(r.Text(), "Account <account>, region <region>") {
			t.Errorf("%s: message does not name the event's account and region: %v", r.ID, r.InputPaths)
		}
	}
}

var members = func() notify.Args {
	a := base
	a.Regions = []string{"eu-west-1"}
	a.Members = &notify.Members{}
	return a
}()

// TestCentralBusAdmitsOnlyTheMembersForwardingRoles: the central bus's policy admits
// events:PutEvents on it from principals of this organization alone, and of those only the roles
// under the IAM path the StackSet template gives the forwarding role (aws:PrincipalArn, ArnLike, any
// account): the role CloudFormation creates in a member account matches; a member account's user,
// a role under another path, and a role of another partition do not.
func TestCentralBusAdmitsOnlyTheMembersForwardingRoles(t *testing.T) {
	r := deploy(t, members)
	bus := in(one(t, r.rs, tBus, "rw-member-bus"))
	if bus["name"] != "rw-member-root-events" || fmt.Sprint(bus["tags"]) != "map[team:sec]" {
		t.Errorf("bus %v", bus)
	}
	pol := one(t, r.rs, tBusPolicy, "rw-member-bus-policy")
	sts := statements(t, pol, "policy")
	if len(sts) != 2 || sts[1].Effect != "Deny" ||
		fmt.Sprint(sts[1].Condition) != "map[ForAnyValue:StringLike:map[events:source:aws.partner/*]]" {
		t.Fatalf("bus policy %+v: want the grant and the partner deny", sts)
	}
	st := sts[0]
	roles := fmt.Sprint(st.Condition["ArnLike"]["aws:PrincipalArn"])
	if fmt.Sprint(st.Principal) != "*" || fmt.Sprint(st.Action) != "events:PutEvents" ||
		fmt.Sprint(st.Resource) != centralBus ||
		fmt.Sprint(st.Condition["StringEquals"]) != "map[aws:PrincipalOrgID:o-a1b2c3d4e5]" ||
		len(st.Condition) != 2 ||
		roles != "arn:aws:iam::*:role/rootwatch/rw-member-root-events/*" {
		t.Errorf("bus policy %+v", sts)
	}
	var tpl map[string]any
	if err := json.Unmarshal(
		[]byte(fmt.Sprint(in(one(t, r.rs, tStackSet, "rw-member-stackset"))["templateBody"])), &tpl,
	); err != nil {
		t.Fatal(err)
	}
	path, _ := tpl["Resources"].(map[string]any)["ForwardRole"].(map[string]any)["Properties"].(map[string]any)["Path"].(string)
	if _, named := tpl["Resources"].(map[string]any)["ForwardRole"].(map[string]any)["Properties"].(map[string]any)["RoleName"]; named ||
		path == "" {
		t.Fatalf("forwarding role path %q (and named: %v): each region's stack needs its own CloudFormation-named "+
			"role under one path",
			path, named)
	}
	// ArnLike with one trailing wildcard and the account wildcarded: the ARN, its account
	// replaced, starts with the pattern's prefix.
	admits := func(arn string) bool {
		parts := strings.SplitN(arn, ":", 6)
		if len(parts) != 6 {
			return false
		}
		parts[4] = "*"
		return strings.HasPrefix(strings.Join(parts, ":"), strings.TrimSuffix(roles, "*"))
	}
	for arn, want := range map[string]bool{
		"arn:aws:iam::" + memberAcct + ":role" + path + "StackSet-rw-member-root-events-0a1b-ForwardRole-AbC123": true,
		"arn:aws:iam::" + memberAcct + ":user/developer":                                                         false,
		"arn:aws:iam::" + memberAcct + ":role/DeveloperAccess":                                                   false,
		"arn:aws:iam::" + memberAcct + ":role/rootwatch/other-bus/ForwardRole":                                   false,
		"arn:aws-cn:iam::" + memberAcct + ":role" + path + "ForwardRole":                                         false,
	} {
		if got := admits(arn); got != want {
			t.Errorf("bus policy admits %s: %v, want %v", arn, got, want)
		}
	}
}

// TestCentralRulesOnTheBusWithFailedInvocationsAlarms: the same rules as the home rules, on the
// central bus, sending the same messages to the topic, each with a FailedInvocations alarm on the
// custom bus's metric (EventBusName and RuleName) through the health path.
func TestCentralRulesOnTheBusWithFailedInvocationsAlarms(t *testing.T) {
	args := members
	args.Health = &notify.Health{TopicARN: pulumi.String("arn:aws:sns:us-east-1:" + account + ":health")}
	r := deploy(t, args)
	for _, rule := range notify.Rules("aws") {
		name := "rw-member-" + rule.ID
		got := in(one(t, r.rs, tRule, name))
		if got["name"] != name || got["eventBusName"] != "rw-member-root-events" ||
			got["eventPattern"] != rule.Pattern ||
			got["state"] != rule.State() {
			t.Errorf("%s: %v", name, got)
		}
		tg := in(one(t, r.rs, tTarget, name+"-topic"))
		if tg["arn"] != topic || tg["eventBusName"] != "rw-member-root-events" ||
			tg["inputTransformer"].(map[string]any)["inputTemplate"] != rule.Template {
			t.Errorf("%s target %v", name, tg)
		}
		a := in(one(t, r.rs, tAlarm, name+"-failed-invocations"))
		if fmt.Sprint(a["dimensions"]) != "map[EventBusName:rw-member-root-events RuleName:"+name+"]" ||
			a["name"] != name+"-FailedInvocations" ||
			!strings.Contains(fmt.Sprint(a["alarmActions"]), "health") ||
			!strings.Contains(fmt.Sprint(a["alarmDescription"]), "member account") {
			t.Errorf("%s alarm %v", name, a)
		}
	}
	if n := len(offline.ByType(r.rs, tRule)); n != 11 {
		t.Errorf("%d rules, want 5 home + 1 forwarding + 5 central", n)
	}
}

// TestStackSetDeploysTheGeneratedTemplateToTheOrganization: a service-managed StackSet with
// automatic deployment (stacks deleted when an account leaves), the generated template, from the
// management account (CallAs SELF), and one instance per watched region (home and forwarding) for
// the organization's root by default.
func TestStackSetDeploysTheGeneratedTemplateToTheOrganization(t *testing.T) {
	r := deploy(t, members)
	ss := in(one(t, r.rs, tStackSet, "rw-member-stackset"))
	tpl, _ := notify.MemberTemplate("aws", centralBus, forwardRule)
	want := map[string]any{
		"name": stackSetName, "permissionModel": "SERVICE_MANAGED", "callAs": "SELF", "templateBody": tpl,
	}
	for k, v := range want {
		if ss[k] != v {
			t.Errorf("stack set %s = %v, want %v", k, ss[k], v)
		}
	}
	if fmt.Sprint(ss["autoDeployment"]) != "map[enabled:true retainStacksOnAccountRemoval:false]" ||
		fmt.Sprint(ss["capabilities"]) != "[CAPABILITY_IAM]" ||
		fmt.Sprint(ss["managedExecution"]) != "map[active:true]" ||
		fmt.Sprint(ss["tags"]) != "map[team:sec]" {
		t.Errorf("stack set %v", ss)
	}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		inst := in(one(t, r.rs, tSSInstance, "rw-member-stackset-"+region))
		if inst["region"] != region || inst["stackSetName"] != stackSetName || inst["callAs"] != "SELF" ||
			fmt.Sprint(inst["deploymentTargets"]) != "map[organizationalUnitIds:[r-a1b2]]" {
			t.Errorf("instance %s: %v", region, inst)
		}
	}
	// The provider's update loop on AdministrationRoleARN (terraform-provider-aws#23464).
	if got := fmt.Sprint(r.ignore[tStackSet+"::rw-member-stackset"]); got != "[administrationRoleArn]" {
		t.Errorf("stack set ignoreChanges %s", got)
	}
	if n := len(offline.ByType(r.rs, tSSInstance)); n != 2 {
		t.Errorf("%d stack set instances, want 2", n)
	}
	if fmt.Sprint(r.comp.MemberOrganizationalUnits) != "[r-a1b2]" {
		t.Errorf("OUs %v", r.comp.MemberOrganizationalUnits)
	}
	// Without Members nothing of it exists.
	r = deploy(t, base)
	if len(offline.ByType(r.rs, tStackSet))+len(offline.ByType(r.rs, tBus)) != 0 {
		t.Error("member resources without Members")
	}
}

// TestDelegatedAdministrator: a registered delegated administrator of CloudFormation StackSets
// deploys with CallAs DELEGATED_ADMIN to the OUs it names; one that is not registered, a member
// account without the setting, the management account with it, and a missing root fail before
// anything but the component is registered, naming the field and what to do.
func TestDelegatedAdministrator(t *testing.T) {
	delegated := func(services ...string) offline.Env {
		env := offline.DefaultEnv
		org := offline.DefaultOrganization
		org.ManagementAccountID = "999988887777"
		org.DelegatedServices = services
		env.Organization = &org
		return env
	}
	args := members
	args.Members = &notify.Members{DelegatedAdmin: true, OrganizationalUnits: []string{"ou-a1b2-c3d4e5f6"}}
	r, err := deployIn(t, delegated(notify.StackSetsServicePrincipal), args)
	if err != nil {
		t.Fatal(err)
	}
	if ss := in(one(t, r.rs, tStackSet, "rw-member-stackset")); ss["callAs"] != "DELEGATED_ADMIN" {
		t.Errorf("callAs %v", ss["callAs"])
	}
	inst := in(one(t, r.rs, tSSInstance, "rw-member-stackset-us-east-1"))
	if inst["callAs"] != "DELEGATED_ADMIN" ||
		fmt.Sprint(inst["deploymentTargets"]) != "map[organizationalUnitIds:[ou-a1b2-c3d4e5f6]]" {
		t.Errorf("instance %v", inst)
	}
	for name, c := range map[string]struct {
		env     offline.Env
		members notify.Members
		want    []string
	}{
		"not registered": {delegated("config.amazonaws.com"), notify.Members{
			DelegatedAdmin: true, OrganizationalUnits: []string{"r-a1b2"},
		},
			[]string{"Members.DelegatedAdmin: true account 111122223333 is not a delegated administrator of " +
				"CloudFormation StackSets", "it administers: config.amazonaws.com",
				"register-delegated-administrator"}},
		"member account without the setting": {delegated(), notify.Members{},
			[]string{"Members.DelegatedAdmin: false account 111122223333 is a member account, not organization " +
				"o-a1b2c3d4e5's management account (999988887777)", "Members.OrganizationalUnits: \"\" is empty"}},
		"management account as delegated admin": {offline.DefaultEnv, notify.Members{DelegatedAdmin: true},
			[]string{"Members.DelegatedAdmin: true is set, but account 111122223333 is the organization's " +
				"management account"}},
		"no trusted access": {func() offline.Env {
			env := offline.DefaultEnv
			org := offline.DefaultOrganization
			org.ServiceAccessPrincipals = []string{"cloudtrail.amazonaws.com"}
			env.Organization = &org
			return env
		}(), notify.Members{}, []string{"needs trusted access for CloudFormation StackSets"}},
		"other organization": {offline.DefaultEnv, notify.Members{OrganizationID: "o-zzzzzzzzzz"},
			[]string{`Members.OrganizationID: "o-zzzzzzzzzz" is not this account's organization (o-a1b2c3d4e5)`}},
	} {
		t.Run(name, func(t *testing.T) {
			a := members
			m := c.members
			a.Members = &m
			rec := offline.NewRecorder(c.env)
			err := pulumi.RunErr(func(ctx *pulumi.Context) error { return notify.Preflight(ctx, &a) },
				pulumi.WithMocks("rootwatch", "dev", rec))
			for _, w := range c.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("Preflight error %v, want %q", err, w)
				}
			}
			if n := len(rec.Resources()); n != 0 {
				t.Errorf("Preflight registered %d resources", n)
			}
			r, err := deployIn(t, c.env, a)
			if err == nil || !strings.Contains(err.Error(), c.want[0]) {
				t.Errorf("New error %v, want %q", err, c.want[0])
			}
			if len(r.rs) != 1 || r.rs[0].Type != notify.TypeToken {
				t.Errorf("New registered %d resources beyond the component", len(r.rs)-1)
			}
		})
	}
}

// TestBadMemberArgs: OU ids that are not ones, a duplicate and a bad organization id are refused
// by Validate, each under its field.
func TestBadMemberArgs(t *testing.T) {
	a := members
	a.Members = &notify.Members{
		OrganizationID:      "org-1",
		OrganizationalUnits: []string{"ou-a1b2-c3d4e5f6", "Security", "ou-a1b2-c3d4e5f6", "r-A1B2"},
	}
	err := a.Validate()
	for _, w := range []string{
		`Members.OrganizationID: "org-1" is not an AWS Organizations id`,
		`Members.OrganizationalUnits[1]: "Security" is not an organizational unit or root id; allowed: an organizational unit id (ou-`,
		`Members.OrganizationalUnits[2]: "ou-a1b2-c3d4e5f6" is listed twice`,
		`Members.OrganizationalUnits[3]: "r-A1B2" is not an organizational unit or root id`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error %v, want %q", err, w)
		}
	}
	for _, ok := range []string{
		"r-a1b2", "ou-a1b2-c3d4e5f6", "ou-" + strings.Repeat("a", 32) + "-" + strings.Repeat("0", 32),
	} {
		if !notify.IsOrganizationalUnit(ok) {
			t.Errorf("%s refused", ok)
		}
	}
}

// TestCentralBusPolicyWrittenAfterTheMembersRoles (issue 23, forged alerts; review finding): the
// bus policy that admits only roles under MemberForwardRolePath is registered after the StackSet
// and every instance, which move the members' forwarding roles under that path. Written first, an
// upgrade from a release whose roles were at "/" would refuse every member's root activity until
// each instance was updated, seen only in the members' own FailedInvocations; and nothing of the
// StackSet may wait on the policy, or Pulumi could not order them.
func TestCentralBusPolicyWrittenAfterTheMembersRoles(t *testing.T) {
	r := deploy(t, members)
	pol := one(t, r.rs, tBusPolicy, "rw-member-bus-policy")
	deps := strings.Join(pol.Dependencies, "\n")
	want := []string{tStackSet + "::rw-member-stackset"}
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		want = append(want, tSSInstance+"::rw-member-stackset-"+region)
	}
	for _, w := range want {
		if !strings.Contains(deps, w) {
			t.Errorf("the central bus policy does not wait for %s; it depends on:\n%s", w, deps)
		}
	}
	for _, typ := range []string{tStackSet, tSSInstance} {
		for _, res := range offline.ByType(r.rs, typ) {
			if strings.Contains(strings.Join(res.Dependencies, "\n"), tBusPolicy) {
				t.Errorf("%s %s waits for the bus policy", typ, res.Name)
			}
		}
	}
}
