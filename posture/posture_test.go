package posture_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/eventpattern"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/posture"
)

const (
	tComp     = posture.TypeToken
	tFeatures = "aws:iam/organizationsFeatures:OrganizationsFeatures"
	tCfgRule  = "aws:cfg/rule:Rule"
	tRule     = "aws:cloudwatch/eventRule:EventRule"
	tTarget   = "aws:cloudwatch/eventTarget:EventTarget"
	tAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	getOrg    = "aws:organizations/getOrganization:getOrganization"
	topic     = "arn:aws:sns:us-east-1:111122223333:rootwatch-alerts"
)

type run struct {
	rec  *offline.Recorder
	rs   []offline.Resource
	comp *posture.Posture
}

func deployIn(t *testing.T, env offline.Env, args *posture.Args) (run, error) {
	t.Helper()
	var comp *posture.Posture
	rec, err := offline.Run(offline.Options{Env: &env}, func(ctx *pulumi.Context) error {
		c, err := posture.New(ctx, "rw", args)
		comp = c
		return err
	})
	return run{rec: rec, rs: rec.Resources(), comp: comp}, err
}

func deploy(t *testing.T, args *posture.Args) run {
	t.Helper()
	r, err := deployIn(t, offline.DefaultEnv, args)
	if err != nil {
		t.Fatalf("posture.New: %v", err)
	}
	return r
}

func in(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

func types(rs []offline.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Type+"::"+r.Name)
	}
	return out
}

func TestBothModesOffByDefaultRegisterNothingAndInvokeNothing(t *testing.T) {
	r := deploy(t, &posture.Args{TopicARN: pulumi.String(topic), NamePrefix: "x-", Tags: map[string]string{"a": "b"}})
	if len(r.rs) != 0 || len(r.rec.Invokes()) != 0 || r.comp != nil {
		t.Fatalf("registered %v, invoked %v, component %v; want nothing", types(r.rs), r.rec.Invokes(), r.comp)
	}
}

func TestConfigRulesOffRegistersNoConfigResources(t *testing.T) {
	r := deploy(t, &posture.Args{RootCredentialsManagement: true})
	for _, typ := range []string{tCfgRule, tRule, tTarget, tAlarm} {
		if got := offline.ByType(r.rs, typ); len(got) != 0 {
			t.Errorf("%d %s registered without ConfigRules", len(got), typ)
		}
	}
	if len(r.rs) != 2 { // the component and the features
		t.Errorf("registered %v", types(r.rs))
	}
}

func TestRootCredentialsManagementOffNeitherLooksUpTheOrganizationNorEnablesFeatures(t *testing.T) {
	r := deploy(t, &posture.Args{ConfigRules: true, TopicARN: pulumi.String(topic)})
	if got := offline.ByType(r.rs, tFeatures); len(got) != 0 {
		t.Errorf("features registered without RootCredentialsManagement")
	}
	if slices.Contains(r.rec.Invokes(), getOrg) {
		t.Errorf("getOrganization invoked without RootCredentialsManagement")
	}
}

func TestFeaturesResourceEnablesExactlyTheTwoFeaturesUnderTheComponent(t *testing.T) {
	r := deploy(t, &posture.Args{RootCredentialsManagement: true})
	fs := offline.ByType(r.rs, tFeatures)
	if len(fs) != 1 {
		t.Fatalf("%d features resources", len(fs))
	}
	got := in(fs[0])["enabledFeatures"]
	want := []any{"RootCredentialsManagement", "RootSessions"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("enabledFeatures = %v, want %v", got, want)
	}
	if !strings.HasSuffix(fs[0].Parent, tComp+"::rw") {
		t.Errorf("parent = %q, want the component", fs[0].Parent)
	}
	if !slices.Contains(r.rec.Invokes(), getOrg) {
		t.Errorf("the organization was not checked")
	}
}

func fieldErr(t *testing.T, err error, field string) *validate.FieldError {
	t.Helper()
	for _, fe := range validate.Fields(err) {
		if fe.Field == field {
			return fe
		}
	}
	t.Fatalf("error %v names no field %s", err, field)
	return nil
}

func TestNotManagementAccountFailsNamingTheManagementAccountAndRegistersNoChild(t *testing.T) {
	env := offline.DefaultEnv
	org := offline.DefaultOrganization
	org.ManagementAccountID = "999988887777"
	env.Organization = &org
	r, err := deployIn(t, env,
		&posture.Args{RootCredentialsManagement: true, ConfigRules: true, TopicARN: pulumi.String(topic)})
	if err == nil {
		t.Fatal("no error from a member account")
	}
	fe := fieldErr(t, err, "RootCredentialsManagement")
	for _, want := range []string{"111122223333", "999988887777", "management account", "false"} {
		if !strings.Contains(fe.Error(), want) {
			t.Errorf("error %q does not say %q", fe.Error(), want)
		}
	}
	for _, res := range r.rs {
		if res.Type != tComp {
			t.Errorf("registered %s %s despite the error", res.Type, res.Name)
		}
	}
}

func TestOrganizationPrerequisitesFailWithWhatToDo(t *testing.T) {
	for name, tc := range map[string]struct {
		org  offline.Organization
		want string
	}{
		"no organization":   {offline.Organization{NotInUse: true}, "AWS Organization"},
		"consolidated only": {offline.Organization{ID: "o-x", FeatureSet: "CONSOLIDATED_BILLING"}, "all features"},
		"no IAM trusted access": {offline.Organization{ID: "o-x", FeatureSet: "ALL",
			ServiceAccessPrincipals: []string{"cloudtrail.amazonaws.com"}},
			"enable-aws-service-access --service-principal iam.amazonaws.com"},
	} {
		t.Run(name, func(t *testing.T) {
			env := offline.DefaultEnv
			env.Organization = &tc.org
			r, err := deployIn(t, env, &posture.Args{RootCredentialsManagement: true})
			if err == nil {
				t.Fatal("no error")
			}
			if fe := fieldErr(t, err, "RootCredentialsManagement"); !strings.Contains(fe.Error(), tc.want) {
				t.Errorf("error %q does not say %q", fe.Error(), tc.want)
			}
			if got := offline.ByType(r.rs, tFeatures); len(got) != 0 {
				t.Errorf("features registered despite the error")
			}
		})
	}
}

func TestConfigRuleIdentifiersPerPartition(t *testing.T) {
	for _, tc := range []struct {
		env  offline.Env
		want []string
	}{
		{offline.DefaultEnv, []string{"ROOT_ACCOUNT_MFA_ENABLED", "IAM_ROOT_ACCESS_KEY_CHECK",
			"ROOT_ACCOUNT_HARDWARE_MFA_ENABLED"}},
		{offline.Env{Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", AccountID: "111122223333",
			Region: "us-gov-west-1"}, []string{"IAM_ROOT_ACCESS_KEY_CHECK"}},
		{offline.Env{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: "111122223333",
			Region: "cn-north-1"}, []string{"IAM_ROOT_ACCESS_KEY_CHECK"}},
	} {
		t.Run(tc.env.Partition, func(t *testing.T) {
			topicARN := "arn:" + tc.env.Partition + ":sns:" + tc.env.Region + ":111122223333:rootwatch-alerts"
			r, err := deployIn(
				t,
				tc.env,
				&posture.Args{
					ConfigRules: true,
					TopicARN:    pulumi.String(topicARN),
					NamePrefix:  "rw-",
					Tags:        map[string]string{"team": "sec"},
				},
			)
			if err != nil {
				t.Fatal(err)
			}
			var got, names []string
			for _, cr := range offline.ByType(r.rs, tCfgRule) {
				m := in(cr)
				src := m["source"].(map[string]any)
				if src["owner"] != "AWS" {
					t.Errorf("%s: owner %v", cr.Name, src["owner"])
				}
				if m["maximumExecutionFrequency"] != "TwentyFour_Hours" {
					t.Errorf("%s: frequency %v", cr.Name, m["maximumExecutionFrequency"])
				}
				if !reflect.DeepEqual(m["tags"], map[string]any{"team": "sec"}) {
					t.Errorf("%s: tags %v", cr.Name, m["tags"])
				}
				if !strings.HasSuffix(cr.Parent, tComp+"::rw") {
					t.Errorf("%s: parent %q", cr.Name, cr.Parent)
				}
				got = append(got, src["sourceIdentifier"].(string))
				names = append(names, m["name"].(string))
			}
			slices.Sort(got)
			slices.Sort(names)
			slices.Sort(tc.want)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("identifiers = %v, want %v", got, tc.want)
			}
			if len(r.comp.ConfigRules)+len(r.comp.SkippedConfigRules) != 3 || len(r.comp.ConfigRules) != len(tc.want) {
				t.Errorf("deployed %v, skipped %v", r.comp.ConfigRules, r.comp.SkippedConfigRules)
			}
			rules := offline.ByType(r.rs, tRule)
			if len(rules) != 1 {
				t.Fatalf("%d event rules", len(rules))
			}
			var p map[string]any
			if err := json.Unmarshal([]byte(in(rules[0])["eventPattern"].(string)), &p); err != nil {
				t.Fatal(err)
			}
			var gotNames []string
			for _, n := range p["detail"].(map[string]any)["configRuleName"].([]any) {
				gotNames = append(gotNames, n.(string))
			}
			slices.Sort(gotNames)
			if !reflect.DeepEqual(gotNames, names) {
				t.Errorf("pattern names %v, want the created rules %v", gotNames, names)
			}
			if tc.env.Partition != "aws" {
				snap, err := offline.Snapshot(r.rs)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(string(snap), "arn:aws:") {
					t.Errorf("partition %s: the stack holds a literal arn:aws:", tc.env.Partition)
				}
			}
		})
	}
}

func TestComplianceTargetIsTheTopicWithAReadableTransformerAndAFailureAlarm(t *testing.T) {
	r := deploy(t, &posture.Args{ConfigRules: true, TopicARN: pulumi.String(topic), NamePrefix: "rw-"})
	targets := offline.ByType(r.rs, tTarget)
	if len(targets) != 1 {
		t.Fatalf("%d targets", len(targets))
	}
	m := in(targets[0])
	if m["arn"] != topic || m["rule"] != "rw-root-posture-compliance" {
		t.Errorf("target arn %v rule %v", m["arn"], m["rule"])
	}
	tr := m["inputTransformer"].(map[string]any)
	tmpl := tr["inputTemplate"].(string)
	for _, v := range []string{"<rule>", "<compliance>", "<resourceId>", "<account>", "<region>", "<time>"} {
		if !strings.Contains(tmpl, v) {
			t.Errorf("template lacks %s", v)
		}
	}
	if err := posture.ComplianceRule("aws", []string{"x"}).Check(); err != nil {
		t.Error(err)
	}
	alarms := offline.ByType(r.rs, tAlarm)
	if len(alarms) != 1 || in(alarms[0])["name"] != "rw-root-posture-compliance-FailedInvocations" {
		t.Fatalf("alarms %v", types(alarms))
	}
	if got := in(alarms[0])["alarmActions"]; !reflect.DeepEqual(got, []any{topic}) {
		t.Errorf("alarm actions %v", got)
	}
}

func TestTopicOfAnotherRegionFailsNamingTopicARN(t *testing.T) {
	_, err := deployIn(t, offline.DefaultEnv,
		&posture.Args{ConfigRules: true, TopicARN: pulumi.String("arn:aws:sns:eu-west-1:111122223333:t")})
	if err == nil || !strings.Contains(err.Error(), "TopicARN") {
		t.Fatalf("err = %v, want one naming TopicARN", err)
	}
}

func TestInvalidArgsReportEveryProblemAndRegisterNothing(t *testing.T) {
	args := &posture.Args{ConfigRules: true, NamePrefix: "bad prefix!", Tags: map[string]string{"aws:x": "y"}}
	r, err := deployIn(t, offline.DefaultEnv, args)
	if err == nil {
		t.Fatal("no error")
	}
	for _, f := range []string{"TopicARN", "NamePrefix", "Tags"} {
		fieldErr(t, err, f)
	}
	if len(r.rs) != 0 || len(r.rec.Invokes()) != 0 {
		t.Errorf("registered %v, invoked %v", types(r.rs), r.rec.Invokes())
	}
	var nilArgs *posture.Args
	if err := nilArgs.Validate(); err == nil {
		t.Error("nil args validated")
	}
}

// event wraps the AWS docs' compliance change notification as EventBridge delivers it (see
// testdata/PROVENANCE.md), with the rule name replaced by ruleName ("" keeps the docs' rule).
func event(t *testing.T, detailType, ruleName string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "config_compliance_change_notification__awsdocs.json"))
	if err != nil {
		t.Fatal(err)
	}
	var n struct{ Message map[string]any }
	if err := json.Unmarshal(b, &n); err != nil {
		t.Fatal(err)
	}
	d := n.Message
	if ruleName != "" {
		d["configRuleName"] = ruleName
		for _, k := range []string{"newEvaluationResult", "oldEvaluationResult"} {
			q := d[k].(map[string]any)["evaluationResultIdentifier"].(map[string]any)["evaluationResultQualifier"].(map[string]any)
			q["configRuleName"] = ruleName
		}
	}
	ev := map[string]any{
		"version": "0", "id": "cd4d811e-ab12-322b-8255-872ce65b1bc8",
		"detail-type": detailType, "source": "aws.config",
		"account": d["awsAccountId"], "time": "2016-09-27T19:48:42Z", "region": d["awsRegion"],
		"resources": []any{}, "detail": d,
	}
	out, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func setCompliance(t *testing.T, ev []byte, compliance string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatal(err)
	}
	m["detail"].(map[string]any)["newEvaluationResult"].(map[string]any)["complianceType"] = compliance
	out, _ := json.Marshal(m)
	return out
}

func TestCompliancePatternMatchesTheDocsEventForItsRulesOnly(t *testing.T) {
	names := []string{"rw-root-account-mfa-enabled", "rw-iam-root-access-key-check"}
	p, err := eventpattern.Parse([]byte(posture.ComplianceRule("aws", names).Pattern))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		ev   []byte
		want bool
	}{
		{"docs event, rootwatch rule, COMPLIANT", event(t, posture.DetailTypeComplianceChange, names[1]), true},
		{"docs event, rootwatch rule, NON_COMPLIANT",
			setCompliance(t, event(t, posture.DetailTypeComplianceChange, names[0]), "NON_COMPLIANT"), true},
		{"docs event, rootwatch rule, NOT_APPLICABLE",
			setCompliance(t, event(t, posture.DetailTypeComplianceChange, names[0]), "NOT_APPLICABLE"), false},
		{"docs event unchanged (rule cloudtrail-enabled)", event(t, posture.DetailTypeComplianceChange, ""), false},
		{"rule of another stack's prefix", event(t, posture.DetailTypeComplianceChange, "root-account-mfa-enabled"),
			false},
		{"configuration item change", event(t, "Config Configuration Item Change", names[0]), false},
	} {
		got, err := p.Match(tc.ev)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: match = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestTransformerPathsResolveOnTheDocsEvent(t *testing.T) {
	ev := event(t, posture.DetailTypeComplianceChange, "rw-root-account-mfa-enabled")
	var m any
	if err := json.Unmarshal(ev, &m); err != nil {
		t.Fatal(err)
	}
	rule := posture.ComplianceRule("aws", []string{"rw-root-account-mfa-enabled"})
	for k, path := range rule.InputPaths {
		v := m
		for _, part := range strings.Split(strings.TrimPrefix(path, "$."), ".") {
			obj, ok := v.(map[string]any)
			if !ok {
				v = nil
				break
			}
			v = obj[part]
		}
		if s, ok := v.(string); !ok || s == "" {
			t.Errorf("variable %s (%s) does not resolve to a string on the docs event: %v", k, path, v)
		}
	}
}

// TestConfigRulesPerPartition (Security Hub IAM.4, IAM.6, IAM.9): each documented partition gets
// the rules AWS documents in it, and a partition no rule documents (the isolated ones) still gets
// IAM_ROOT_ACCESS_KEY_CHECK, whatever regions rootwatch knows of.
func TestConfigRulesPerPartition(t *testing.T) {
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-eusc"} {
		deployed, skipped := posture.ConfigRules(p)
		var ids []string
		for _, r := range deployed {
			ids = append(ids, r.ID)
			if !slices.Contains(r.Partitions, p) && r.ID != posture.RuleRootAccessKey {
				t.Errorf("%s: %s deployed, but AWS documents it in %v", p, r.ID, r.Partitions)
			}
		}
		if !slices.Contains(ids, posture.RuleRootAccessKey) {
			t.Errorf("%s: no %s (deployed %v)", p, posture.RuleRootAccessKey, ids)
		}
		if len(deployed)+len(skipped) == 0 {
			t.Errorf("%s: no rules at all", p)
		}
	}
}
