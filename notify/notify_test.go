package notify_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/internal/alerttopic"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/policytest"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
)

const (
	tRule     = "aws:cloudwatch/eventRule:EventRule"
	tTarget   = "aws:cloudwatch/eventTarget:EventTarget"
	tAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tRole     = "aws:iam/role:Role"
	tRolePol  = "aws:iam/rolePolicy:RolePolicy"
	tProvider = "pulumi:providers:aws"
	account   = "111122223333"
	topic     = "arn:aws:sns:us-east-1:111122223333:rootwatch-alerts"
)

// monitor records which provider each resource was registered with, then lets the shared
// recorder answer.
type monitor struct {
	*offline.Recorder
	mu       sync.Mutex
	provider map[string]string // type::name -> provider reference ("" for the default)
	ignore   map[string][]string
}

func (m *monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.provider[args.TypeToken+"::"+args.Name] = args.Provider // the role and the rule share a name
	if args.RegisterRPC != nil {
		m.ignore[args.TypeToken+"::"+args.Name] = args.RegisterRPC.GetIgnoreChanges()
	}
	m.mu.Unlock()
	return m.Recorder.NewResource(args)
}

type run struct {
	rs       []offline.Resource
	provider map[string]string
	ignore   map[string][]string
	comp     *notify.Notify
}

func deployIn(t *testing.T, env offline.Env, args notify.Args) (run, error) {
	t.Helper()
	m := &monitor{Recorder: offline.NewRecorder(env), provider: map[string]string{}, ignore: map[string][]string{}}
	var comp *notify.Notify
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		c, err := notify.New(ctx, "rw", &args)
		comp = c
		return err
	}, pulumi.WithMocks("rootwatch", "dev", m))
	return run{rs: m.Resources(), provider: m.provider, ignore: m.ignore, comp: comp}, err
}

func deploy(t *testing.T, args notify.Args) run {
	t.Helper()
	r, err := deployIn(t, offline.DefaultEnv, args)
	if err != nil {
		t.Fatalf("notify.New: %v", err)
	}
	return r
}

func in(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

var one = pulumitest.One

var base = notify.Args{
	TopicARN:   pulumi.String(topic),
	NamePrefix: "rw-",
	Tags:       map[string]string{"team": "sec"},
}

// TestHomeRulesTargetTheTopicWithAReadableMessage: the three rules on the default bus, with the
// patterns the evaluator judged, each sending its transformed message to the topic.
func TestHomeRulesTargetTheTopicWithAReadableMessage(t *testing.T) {
	r := deploy(t, base)
	for _, rule := range notify.Rules("aws") {
		res := one(t, r.rs, tRule, "rw-"+rule.ID)
		got := in(res)
		wantState := "ENABLED"
		if rule.AllManagementEvents {
			wantState = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
		}
		if got["name"] != "rw-"+rule.ID || got["eventPattern"] != rule.Pattern || got["state"] != wantState ||
			got["eventBusName"] != nil {
			t.Errorf("%s: %v", rule.ID, got)
		}
		if fmt.Sprint(got["tags"]) != "map[team:sec]" {
			t.Errorf("%s tags %v", rule.ID, got["tags"])
		}
		if !strings.Contains(res.Parent, notify.TypeToken) || r.provider[tRule+"::"+res.Name] != "" {
			t.Errorf("%s parent %q provider %q", rule.ID, res.Parent, r.provider[tRule+"::"+res.Name])
		}
		tg := in(one(t, r.rs, tTarget, "rw-"+rule.ID+"-topic"))
		it := tg["inputTransformer"].(map[string]any)
		if tg["arn"] != topic || tg["rule"] != "rw-"+rule.ID || it["inputTemplate"] != rule.Template ||
			tg["roleArn"] != nil {
			t.Errorf("%s target %v", rule.ID, tg)
		}
		paths := it["inputPaths"].(map[string]any)
		if len(paths) != len(rule.InputPaths) {
			t.Errorf("%s input paths %v", rule.ID, paths)
		}
	}
	if n := len(offline.ByType(r.rs, tRule)); n != 5 {
		t.Errorf("%d rules without extra regions, want 5", n)
	}
	if len(offline.ByType(r.rs, tProvider)) != 0 || len(offline.ByType(r.rs, tRole)) != 0 {
		t.Error("providers or roles without extra regions")
	}
}

// TestFailedInvocationsAlarmPerRule: a broken notification path raises an alarm on the topic.
func TestFailedInvocationsAlarmPerRule(t *testing.T) {
	r := deploy(t, base)
	for _, rule := range notify.Rules("aws") {
		a := in(one(t, r.rs, tAlarm, "rw-"+rule.ID+"-failed-invocations"))
		want := map[string]any{
			"name": "rw-" + rule.ID + "-FailedInvocations", "namespace": "AWS/Events",
			"metricName": "FailedInvocations",
			"statistic":  "Sum", "threshold": float64(1), "comparisonOperator": "GreaterThanOrEqualToThreshold",
			"evaluationPeriods": float64(1), "treatMissingData": "notBreaching", "actionsEnabled": true,
			"period": float64(300),
		}
		for k, v := range want {
			if a[k] != v {
				t.Errorf("%s alarm %s = %v, want %v", rule.ID, k, a[k], v)
			}
		}
		if fmt.Sprint(a["dimensions"]) != fmt.Sprintf("map[RuleName:rw-%s]", rule.ID) ||
			fmt.Sprint(a["alarmActions"]) != "["+topic+"]" {
			t.Errorf("%s alarm dimensions %v actions %v", rule.ID, a["dimensions"], a["alarmActions"])
		}
	}
}

type statement = policytest.Statement

func statements(t *testing.T, r offline.Resource, key string) []statement {
	t.Helper()
	return policytest.Parse(t, r.Inputs[resource.PropertyKey(key)].StringValue()).Statement
}

// TestUSEast1AlwaysWatched: root console sign-ins and IAM calls reach EventBridge only in
// us-east-1, so a stack elsewhere in the aws partition forwards from it without being told to.
func TestUSEast1AlwaysWatched(t *testing.T) {
	env := offline.DefaultEnv
	env.Region = "eu-central-1"
	args := base
	args.TopicARN = pulumi.String("arn:aws:sns:eu-central-1:" + account + ":rootwatch-alerts")
	r, err := deployIn(t, env, args)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(r.comp.Regions) != "[us-east-1]" {
		t.Errorf("forwarding regions %v, want [us-east-1]", r.comp.Regions)
	}
	gov := offline.Env{Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-gov-west-1"}
	args = base
	args.TopicARN = pulumi.String("arn:aws-us-gov:sns:us-gov-west-1:" + account + ":rootwatch-alerts")
	r, err = deployIn(t, gov, args)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.comp.Regions) != 0 {
		t.Errorf("GovCloud forwards from %v; us-east-1 is not in its partition", r.comp.Regions)
	}
}

// TestForwardingPerExtraRegionWithLeastPrivilegeRole: each extra region (home region and
// duplicates dropped) gets an explicit provider, a forwarding rule through it targeting the home
// default bus, and a role only that rule can assume, allowed only events:PutEvents on that bus.
func TestForwardingPerExtraRegionWithLeastPrivilegeRole(t *testing.T) {
	args := base
	args.Regions = []string{"us-east-1", "eu-west-1", "ap-southeast-2", "eu-west-1"}
	r := deploy(t, args)
	if n := len(offline.ByType(r.rs, tProvider)); n != 2 {
		t.Fatalf("%d providers, want 2", n)
	}
	homeBus := "arn:aws:events:us-east-1:" + account + ":event-bus/default"
	for _, region := range []string{"eu-west-1", "ap-southeast-2"} {
		prov := one(t, r.rs, tProvider, "rw-"+region)
		if in(prov)["region"] != region || !strings.Contains(prov.Parent, notify.TypeToken) {
			t.Errorf("provider %s: %v parent %q", region, in(prov), prov.Parent)
		}
		// The explicit provider reads none of the stack's aws:* settings: it must refuse to act in
		// any account but the stack's, rather than put the rule in another one.
		if got := fmt.Sprint(in(prov)["allowedAccountIds"]); got != "["+account+"]" {
			t.Errorf("provider %s allowedAccountIds %s, want [%s]", region, got, account)
		}
		ruleRes := one(t, r.rs, tRule, "rw-forward-"+region)
		rule := in(ruleRes)
		if rule["name"] != "rw-root-events-to-us-east-1" || rule["eventPattern"] != notify.ForwardPattern() ||
			rule["state"] != "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" {
			t.Errorf("forward rule %s: %v", region, rule)
		}
		if !strings.Contains(r.provider[tRule+"::"+ruleRes.Name], "pulumi:providers:aws::rw-"+region) {
			t.Errorf("forward rule %s uses provider %q", region, r.provider[tRule+"::"+ruleRes.Name])
		}
		tgRes := one(t, r.rs, tTarget, "rw-forward-"+region+"-bus")
		tg := in(tgRes)
		if tg["arn"] != homeBus || tg["roleArn"] != "arn:aws:iam::"+account+":role/rw-root-events-fwd-"+region {
			t.Errorf("forward target %s: %v", region, tg)
		}
		if !strings.Contains(r.provider[tTarget+"::"+tgRes.Name], "pulumi:providers:aws::rw-"+region) {
			t.Errorf("forward target %s uses provider %q", region, r.provider[tTarget+"::"+tgRes.Name])
		}
		role := one(t, r.rs, tRole, "rw-forward-"+region)
		trust := statements(t, role, "assumeRolePolicy")
		ruleARN := "arn:aws:events:" + region + ":" + account + ":rule/rw-root-events-to-us-east-1"
		if len(trust) != 1 || fmt.Sprint(trust[0].Principal) != "map[Service:events.amazonaws.com]" ||
			trust[0].Action != "sts:AssumeRole" ||
			trust[0].Condition["StringEquals"]["aws:SourceAccount"] != account ||
			trust[0].Condition["StringEquals"]["aws:SourceArn"] != ruleARN {
			t.Errorf("trust %s: %+v", region, trust)
		}
		pol := statements(t, one(t, r.rs, tRolePol, "rw-forward-"+region+"-put-events"), "policy")
		if len(pol) != 1 || pol[0].Effect != "Allow" || pol[0].Action != "events:PutEvents" ||
			pol[0].Resource != homeBus ||
			pol[0].Condition != nil {
			t.Errorf("role policy %s: %+v", region, pol)
		}
	}
	if fmt.Sprint(r.comp.Regions) != "[eu-west-1 ap-southeast-2]" {
		t.Errorf("Regions %v", r.comp.Regions)
	}
}

// TestInvalidArgsRegisterNothing: every problem reported at once, each naming its field, and no
// resource registered.
func TestInvalidArgsRegisterNothing(t *testing.T) {
	args := notify.Args{
		Regions:    []string{"us-east-1", "US-EAST-2", "mars-1"},
		NamePrefix: "bad prefix!",
		Tags:       map[string]string{"aws:x": "y"},
	}
	r, err := deployIn(t, offline.DefaultEnv, args)
	if err == nil {
		t.Fatal("no error")
	}
	var fields []string
	for _, f := range validate.Fields(err) {
		fields = append(fields, f.Field)
	}
	if fmt.Sprint(fields) != "[TopicARN Regions[1] Regions[2] NamePrefix Tags]" {
		t.Errorf("fields %v in %v", fields, err)
	}
	if len(r.rs) != 0 {
		t.Errorf("registered %d resources", len(r.rs))
	}
	if err := (*notify.Args)(nil).Validate(); err == nil {
		t.Error("nil args accepted")
	}
}

// TestRegionOfAnotherPartitionFailsBeforeAnyChild: known only after the provider lookup, so the
// component itself is registered, but no child.
func TestRegionOfAnotherPartitionFailsBeforeAnyChild(t *testing.T) {
	args := base
	args.Regions = []string{"eu-west-1", "cn-north-1"}
	r, err := deployIn(t, offline.DefaultEnv, args)
	if err == nil || !strings.Contains(err.Error(), "Regions[1]") {
		t.Fatalf("err %v", err)
	}
	for _, res := range r.rs {
		if res.Type != notify.TypeToken {
			t.Errorf("registered %s %s", res.Type, res.Name)
		}
	}
}

// TestTopicOfAnotherRegionFails: rules can only notify a topic of their own region.
func TestTopicOfAnotherRegionFails(t *testing.T) {
	args := base
	args.TopicARN = pulumi.String("arn:aws:sns:eu-west-1:111122223333:alerts")
	if _, err := deployIn(t, offline.DefaultEnv, args); err == nil || !strings.Contains(err.Error(), "TopicARN") {
		t.Fatalf("err %v", err)
	}
}

// TestPartitionsWriteNoAwsARN: in aws-cn and aws-us-gov every ARN and link is the partition's own.
func TestPartitionsWriteNoAwsARN(t *testing.T) {
	for _, c := range []struct {
		env    offline.Env
		extra  string
		domain string
	}{
		{offline.Env{Partition: "aws-cn", DNSSuffix: "amazonaws.com.cn", AccountID: account, Region: "cn-north-1"},
			"cn-northwest-1", "https://console.amazonaws.cn/"},
		{offline.Env{Partition: "aws-us-gov", DNSSuffix: "amazonaws.com", AccountID: account, Region: "us-gov-west-1"},
			"us-gov-east-1", "https://console.amazonaws-us-gov.com/"},
	} {
		t.Run(c.env.Partition, func(t *testing.T) {
			args := base
			args.TopicARN = pulumi.String("arn:" + c.env.Partition + ":sns:" + c.env.Region + ":" + account + ":alerts")
			// EventBridge does not route between regions in these partitions: refused, by name.
			args.Regions = []string{c.extra}
			if _, err := deployIn(t, c.env, args); err == nil ||
				!strings.Contains(err.Error(), "Regions[0]: \""+c.extra+"\" cannot be forwarded") {
				t.Errorf("forwarding from %s in %s: %v", c.extra, c.env.Partition, err)
			}
			args.Regions = nil
			r, err := deployIn(t, c.env, args)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.comp.Regions) != 0 {
				t.Errorf("forwards from %v", r.comp.Regions)
			}
			snap, err := offline.Snapshot(r.rs)
			if err != nil {
				t.Fatal(err)
			}
			s := string(snap)
			if strings.Contains(s, "arn:aws:") || strings.Contains(s, "console.aws.amazon.com") {
				t.Errorf("aws partition literal in %s", s)
			}
			if !strings.Contains(s, c.domain) ||
				!strings.Contains(s, "arn:"+c.env.Partition+":sns:"+c.env.Region+":"+account+":alerts") {
				t.Errorf("no %s console link or the partition's topic ARN", c.domain)
			}
		})
	}
}

// TestForwardingFailuresReachPeopleInTheirRegion (alert path): with a health path, every home rule's
// FailedInvocations alarm notifies the alert topic and the health topic, and each forwarding
// region gets, through that region's provider, a health topic with its own customer managed key
// (retained), policy and the same subscribers, and a FailedInvocations alarm on its forwarding rule
// that notifies it (an alarm's SNS actions must be topics of its own region).
func TestForwardingFailuresReachPeopleInTheirRegion(t *testing.T) {
	const health = "arn:aws:sns:us-east-1:111122223333:rootwatch-health"
	args := base
	args.Regions = []string{"eu-west-1"}
	args.Health = &notify.Health{
		TopicARN:    pulumi.String(health),
		Subscribers: alerttopic.Subscribers{Emails: []string{"soc@rootwatch.github.io"}},
	}
	r := deploy(t, args)
	for _, rule := range notify.Rules("aws") {
		acts := list(in(one(t, r.rs, tAlarm, "rw-"+rule.ID+"-failed-invocations"))["alarmActions"])
		if fmt.Sprint(acts) != fmt.Sprint([]string{topic, health}) {
			t.Errorf("%s FailedInvocations actions %v, want the alert and health topics", rule.ID, acts)
		}
	}
	const region = "eu-west-1"
	prov := "pulumi:providers:aws::rw-" + region
	alarmRes := one(t, r.rs, tAlarm, "rw-forward-"+region+"-failed-invocations")
	alarm := in(alarmRes)
	if fmt.Sprint(alarm["dimensions"]) != "map[RuleName:rw-root-events-to-us-east-1]" ||
		alarm["namespace"] != "AWS/Events" ||
		alarm["metricName"] != "FailedInvocations" {
		t.Errorf("forwarding alarm %v", alarm)
	}
	if acts := list(alarm["alarmActions"]); len(acts) != 1 ||
		!strings.HasPrefix(acts[0], "arn:aws:sns:"+region+":"+account+":rw-health-"+region+"-topic") {
		t.Errorf("forwarding alarm actions %v, want the %s health topic", acts, region)
	}
	for _, res := range []struct{ typ, name string }{
		{tAlarm, alarmRes.Name},
		{"aws:sns/topic:Topic", "rw-health-" + region + "-topic"},
		{"aws:kms/key:Key", "rw-health-" + region + "-topic-key"},
		{"aws:sns/topicPolicy:TopicPolicy", "rw-health-" + region + "-topic-policy"},
		{"aws:sns/topicSubscription:TopicSubscription", "rw-health-" + region + "-email-0"},
	} {
		one(t, r.rs, res.typ, res.name)
		if !strings.Contains(r.provider[res.typ+"::"+res.name], prov) {
			t.Errorf("%s %s uses provider %q, want %s", res.typ, res.name, r.provider[res.typ+"::"+res.name], prov)
		}
	}
	if !one(t, r.rs, "aws:kms/key:Key", "rw-health-"+region+"-topic-key").RetainOnDelete {
		t.Error("the regional health key is not retained")
	}
	pol := statements(t, one(t, r.rs, "aws:sns/topicPolicy:TopicPolicy", "rw-health-"+region+"-topic-policy"), "policy")
	for _, st := range pol {
		if st.Sid == "CloudWatchAlarmsPublish" &&
			fmt.Sprint(
				st.Condition["ArnLike"]["aws:SourceArn"],
			) != "arn:aws:cloudwatch:"+region+":"+account+":alarm:*" {
			t.Errorf("regional topic policy admits alarms of %v", st.Condition["ArnLike"])
		}
	}

	// Without a health path the home alarms notify the alert topic alone and no regional topic is
	// made (nobody to reach there).
	args.Health = nil
	r = deploy(t, args)
	if _, ok := offline.Find(r.rs, tAlarm, "rw-forward-"+region+"-failed-invocations"); ok {
		t.Error("a forwarding alarm without a health path")
	}
}

var list = policytest.List
