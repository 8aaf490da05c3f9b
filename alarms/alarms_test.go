package alarms_test

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/dlclark/regexp2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/catalog"
	"github.com/rootwatch/rootwatch/filterpattern"
	"github.com/rootwatch/rootwatch/internal/chatmsg"
	"github.com/rootwatch/rootwatch/internal/offline"
	"github.com/rootwatch/rootwatch/internal/testkit/corpus"
	"github.com/rootwatch/rootwatch/internal/testkit/policytest"
	"github.com/rootwatch/rootwatch/internal/testkit/pulumitest"
	"github.com/rootwatch/rootwatch/internal/testkit/repo"
)

const (
	tKey      = "aws:kms/key:Key"
	tTopic    = "aws:sns/topic:Topic"
	tTopicPol = "aws:sns/topicPolicy:TopicPolicy"
	tSub      = "aws:sns/topicSubscription:TopicSubscription"
	tFilter   = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	tAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	account   = "111122223333"
)

// base subscribes an address at the project's own GitHub Pages domain: not a reserved example
// domain (which Validate refuses), and it takes no mail; the tests deploy nothing.
var base = alarms.Args{
	LogGroupName: pulumi.String("/aws/cloudtrail/rootwatch"),
	Emails:       []string{"soc@rootwatch.github.io"},
	NamePrefix:   "rw-",
	Tags:         map[string]string{"team": "sec"},
}

func deploy(t *testing.T, args alarms.Args) []offline.Resource {
	t.Helper()
	rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
		_, err := alarms.New(ctx, "rw", &args)
		return err
	})
	if err != nil {
		t.Fatalf("alarms.New: %v", err)
	}
	return rec.Resources()
}

func in(r offline.Resource) map[string]any { return offline.Plain(r.Inputs) }

var one = pulumitest.One

type statement = policytest.Statement

func statements(t *testing.T, r offline.Resource, key string) []statement {
	t.Helper()
	return policytest.Parse(t, r.Inputs[resource.PropertyKey(key)].StringValue()).Statement
}

var (
	list = policytest.List
	cond = policytest.Cond
	has  = slices.Contains[[]string, string]
)

func allowing(sts []statement, action, principal string) []statement {
	return policytest.Find(sts, "Allow", action, principal)
}

// TestTopicControls: the topic CloudWatch alarms can actually deliver to.
func TestTopicControls(t *testing.T) {
	rs := deploy(t, base)
	topic := in(one(t, rs, tTopic, "rw-topic"))
	keyRes := one(t, rs, tKey, "rw-topic-key")
	keySts := statements(t, keyRes, "policy")
	topicSts := statements(t, one(t, rs, tTopicPol, "rw-topic-policy"), "policy")

	t.Run("SNS.1_sns_topics_kms_encryption_at_rest_enabled_with_customer_managed_key", func(t *testing.T) {
		k := fmt.Sprint(topic["kmsMasterKeyId"])
		if !strings.HasPrefix(k, "arn:aws:kms:us-east-1:"+account+":key/") || strings.Contains(k, "alias/aws/sns") {
			t.Errorf("topic key %q is not this component's customer managed key", k)
		}
	})
	t.Run("KMS.4_topic_key_rotation", func(t *testing.T) {
		if in(keyRes)["enableKeyRotation"] != true || !keyRes.RetainOnDelete {
			t.Errorf("rotation %v retain %v", in(keyRes)["enableKeyRotation"], keyRes.RetainOnDelete)
		}
	})
	// CloudWatch's KMS requests carry aws:SourceAccount; EventBridge's do not, so its grant is
	// unconditioned and the topic policy (below) limits publishing to this account's rules.
	for svc, wantSourceAccount := range map[string]bool{
		"cloudwatch.amazonaws.com": true, "events.amazonaws.com": false,
	} {
		svc, wantSourceAccount := svc, wantSourceAccount
		t.Run("key_lets_"+svc+"_use_it", func(t *testing.T) {
			for _, action := range []string{"kms:GenerateDataKey*", "kms:Decrypt"} {
				ss := allowing(keySts, action, svc)
				if len(ss) == 0 {
					t.Fatalf("%s may not %s", svc, action)
				}
				for _, s := range ss {
					if got := has(cond(s, "StringEquals", "aws:SourceAccount"), account); got != wantSourceAccount {
						t.Errorf("%s %s: aws:SourceAccount condition present=%v, want %v: %v", svc, action, got,
							wantSourceAccount, s.Condition)
					}
				}
			}
		})
	}
	t.Run("topic_policy_publish_only_by_this_accounts_alarms", func(t *testing.T) {
		ss := allowing(topicSts, "sns:Publish", "cloudwatch.amazonaws.com")
		if len(ss) != 1 {
			t.Fatalf("want one publish statement for CloudWatch, got %d", len(ss))
		}
		if !has(cond(ss[0], "StringEquals", "aws:SourceAccount"), account) ||
			!has(cond(ss[0], "ArnLike", "aws:SourceArn"), "arn:aws:cloudwatch:us-east-1:"+account+":alarm:*") {
			t.Errorf("CloudWatch publish conditions %v", ss[0].Condition)
		}
	})
	t.Run("topic_policy_publish_by_this_accounts_eventbridge_rules", func(t *testing.T) {
		ss := allowing(topicSts, "sns:Publish", "events.amazonaws.com")
		if len(ss) != 1 || !has(cond(ss[0], "StringEquals", "aws:SourceAccount"), account) {
			t.Errorf("EventBridge publish statement %+v", ss)
		}
	})
	t.Run("SNS.4_sns_topics_not_publicly_accessible_and_deny_without_TLS", func(t *testing.T) {
		var deny bool
		for _, s := range topicSts {
			if s.Effect == "Deny" && has(list(s.Action), "sns:Publish") &&
				has(cond(s, "Bool", "aws:SecureTransport"), "false") {
				deny = true
			}
			if s.Effect == "Allow" && strings.Contains(fmt.Sprint(s.Principal), "*") && len(s.Condition) == 0 {
				t.Errorf("statement %s allows anyone without a condition", s.Sid)
			}
		}
		if !deny {
			t.Error("no Deny sns:Publish without TLS")
		}
	})
	t.Run("subscriptions", func(t *testing.T) {
		args := base
		args.HTTPSEndpoints = []string{"https://rootwatch.github.io/hooks/rw"}
		args.SQSQueueARNs = []string{"arn:aws:sqs:us-east-1:111122223333:soc"}
		rs := deploy(t, args)
		got := map[string]string{}
		for _, s := range offline.ByType(rs, tSub) {
			got[fmt.Sprint(in(s)["protocol"])] = fmt.Sprint(in(s)["endpoint"])
		}
		want := map[string]string{
			"email": "soc@rootwatch.github.io",
			"https": "https://rootwatch.github.io/hooks/rw",
			"sqs":   "arn:aws:sqs:us-east-1:111122223333:soc",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("subscriptions %v, want %v", got, want)
		}
	})
}

// controlAlarms are the names of the catalogue's alarms among rs (not the FailedInvocations alarm
// of the heartbeat), sorted: registrations arrive in any order.
func controlAlarms(rs []offline.Resource) []string {
	var names []string
	for _, a := range offline.ByType(rs, tAlarm) {
		if strings.HasSuffix(a.Name, "-alarm") {
			names = append(names, a.Name)
		}
	}
	slices.Sort(names)
	return names
}

// TestCatalogueDeployed: by default every CIS control becomes a filter and an alarm with the
// settings CIS and Security Hub check, beside root-session-opened, and no other extra is deployed.
func TestCatalogueDeployed(t *testing.T) {
	rs := deploy(t, base)
	all := catalog.CIS()
	if len(all) != 15 {
		t.Fatalf("the catalogue has %d CIS controls, want the 15 CIS monitoring controls", len(all))
	}
	if n := len(controlAlarms(rs)); n != 16 {
		t.Errorf("%d alarms by default, want the 15 CIS controls' and root-session-opened's", n)
	}
	for _, c := range catalog.Extras() {
		if _, ok := offline.Find(rs, tAlarm, "rw-"+c.ID+"-alarm"); ok != c.OnByDefault {
			t.Errorf("the extra %s deployed by default = %v", c.ID, ok)
		}
	}
	for _, c := range all {
		c := c
		name := fmt.Sprintf("CIS_%s_%s_%s", c.CISv7_0, orNone(c.SecurityHub), c.Prowler)
		t.Run(name, func(t *testing.T) {
			f := in(one(t, rs, tFilter, "rw-"+c.ID+"-filter"))
			if f["pattern"] != c.Pattern || f["logGroupName"] != "/aws/cloudtrail/rootwatch" {
				t.Errorf("filter pattern %v on %v", f["pattern"], f["logGroupName"])
			}
			mt := f["metricTransformation"].(map[string]any)
			if mt["name"] != "rw-"+c.MetricName || mt["namespace"] != "CISBenchmark" || mt["value"] != "1" ||
				mt["defaultValue"] != "0" {
				t.Errorf("metric transformation %v", mt)
			}
			a := in(one(t, rs, tAlarm, "rw-"+c.ID+"-alarm"))
			checks := map[string]any{
				"name": "rw-" + c.MetricName, "metricName": "rw-" + c.MetricName, "namespace": "CISBenchmark",
				"statistic": "Sum", "threshold": float64(1), "comparisonOperator": "GreaterThanOrEqualToThreshold",
				"evaluationPeriods": float64(1), "datapointsToAlarm": float64(1), "period": float64(60),
				"treatMissingData": "notBreaching", "actionsEnabled": true,
			}
			for k, want := range checks {
				if a[k] != want {
					t.Errorf("alarm %s = %v, want %v", k, a[k], want)
				}
			}
			wantActions := []string{"arn:aws:sns:us-east-1:" + account + ":rw-topic-"}
			if c.AlertPath {
				wantActions = append(wantActions, "arn:aws:sns:us-east-1:"+account+":rw-health-topic-")
			}
			acts := list(a["alarmActions"])
			if len(acts) != len(wantActions) {
				t.Errorf("alarm actions %v, want %v", acts, wantActions)
			}
			for i := range acts {
				if i < len(wantActions) && !strings.HasPrefix(acts[i], wantActions[i]) {
					t.Errorf("alarm action %d = %s, want %s...", i, acts[i], wantActions[i])
				}
			}
			if _, ok := a["okActions"]; ok {
				t.Errorf("OK actions set by default: %v", a["okActions"])
			}
			desc := fmt.Sprint(a["alarmDescription"])
			if len(desc) > 1024 || !strings.Contains(desc, c.CISv7_0) || !strings.Contains(desc, c.Description) {
				t.Errorf("alarm description (%d chars) is not the runbook: %q", len(desc), desc)
			}
		})
	}
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// TestExtrasDeployWhenNamed: an extra named in Controls gets its filter and alarm, with a runbook
// that names it a rootwatch extra rather than a CIS control; "extras" deploys all three.
func TestExtrasDeployWhenNamed(t *testing.T) {
	args := base
	args.Controls = []string{"none", "root-mfa-removed"}
	rs := deploy(t, args)
	names := controlAlarms(rs)
	if strings.Join(names, ",") != "rw-root-mfa-removed-alarm,rw-root-usage-alarm" {
		t.Errorf("with controls [none, root-mfa-removed] got alarms %v", names)
	}
	c, _ := catalog.Lookup("root-mfa-removed")
	f := in(one(t, rs, tFilter, "rw-root-mfa-removed-filter"))
	if f["pattern"] != c.Pattern || f["metricTransformation"].(map[string]any)["name"] != "rw-RootMFADeviceRemoved" {
		t.Errorf("filter %v", f)
	}
	a := in(one(t, rs, tAlarm, "rw-root-mfa-removed-alarm"))
	desc := fmt.Sprint(a["alarmDescription"])
	if a["metricName"] != "rw-RootMFADeviceRemoved" || len(desc) > 1024 ||
		!strings.HasPrefix(desc, "rootwatch root-mfa-removed (rootwatch extra, not a CIS control): ") ||
		!strings.HasSuffix(desc, c.Description) ||
		strings.Contains(desc, "CIS ,") {
		t.Errorf("alarm %v: description %q", a["metricName"], desc)
	}

	args.Controls = []string{"all", "extras"}
	rs = deploy(t, args)
	if n := len(controlAlarms(rs)); n != len(catalog.All()) || n != 19 {
		t.Errorf("[all, extras] deployed %d alarms, want the whole catalogue (19)", n)
	}
	for _, c := range catalog.Extras() {
		d := fmt.Sprint(in(one(t, rs, tAlarm, "rw-"+c.ID+"-alarm"))["alarmDescription"])
		if len(d) > 1024 {
			t.Errorf("%s: runbook is %d characters", c.ID, len(d))
		}
	}
}

// TestRootUsageAlwaysOn: CIS 5.3 / CloudWatch.1 cannot be turned off.
func TestRootUsageAlwaysOn(t *testing.T) {
	args := base
	args.Controls = []string{"none"}
	rs := deploy(t, args)
	if as := controlAlarms(rs); len(as) != 1 || as[0] != "rw-root-usage-alarm" {
		t.Errorf("with controls [none] got alarms %v", as)
	}
}

// TestStandardResolutionPeriodsAccepted: every multiple of 60 up to seven days is a period the
// alarms take as given; the bounds are inclusive.
func TestStandardResolutionPeriodsAccepted(t *testing.T) {
	for _, p := range []int{60, 120, 300, 3600, 86400, alarms.MaxAlarmPeriodSeconds} {
		args := base
		args.AlarmPeriodSeconds = p
		if err := args.Validate(); err != nil {
			t.Errorf("period %d refused: %v", p, err)
		}
	}
}

// TestOKActionsAndPeriod: optional OK notifications and a custom period.
func TestOKActionsAndPeriod(t *testing.T) {
	args := base
	args.OKActions = true
	args.AlarmPeriodSeconds = 300
	args.Controls = []string{"root-usage"}
	a := in(pulumitest.One(t, deploy(t, args), tAlarm, "rw-root-usage-alarm"))
	if a["period"] != float64(300) || len(list(a["okActions"])) != 1 {
		t.Errorf("period %v okActions %v", a["period"], a["okActions"])
	}
}

// TestExistingTopic: alarms go to a brought topic; no topic, key or subscription is created.
func TestExistingTopic(t *testing.T) {
	args := base
	args.Emails = nil
	args.TopicARN = "arn:aws:sns:us-east-1:111122223333:security"
	rs := deploy(t, args)
	for _, typ := range []string{tTopic, tKey, tSub, tTopicPol} {
		if n := len(offline.ByType(rs, typ)); n != 0 {
			t.Errorf("%d %s created with an existing topic", n, typ)
		}
	}
	for _, a := range offline.ByType(rs, tAlarm) {
		if acts := list(in(a)["alarmActions"]); len(acts) != 1 || acts[0] != args.TopicARN {
			t.Errorf("%s actions %v", a.Name, acts)
		}
	}
}

// TestNamesNeverCollide: two stacks with different prefixes in one account share no metric,
// filter or alarm name.
func TestNamesNeverCollide(t *testing.T) {
	seen := map[string]string{}
	for _, prefix := range []string{"rootwatch-prod-", "rootwatch-staging-"} {
		args := base
		args.NamePrefix = prefix
		for _, r := range deploy(t, args) {
			var n string
			switch r.Type {
			case tAlarm, tFilter, "aws:kms/alias:Alias":
				n = r.Type + "/" + fmt.Sprint(in(r)["name"])
			default:
				continue
			}
			if other, dup := seen[n]; dup {
				t.Errorf("%s used by %s and %s", n, other, prefix)
			}
			seen[n] = prefix
		}
	}
}

// TestKeyAliasIsValidAndApart: a prefix may hold "." or "#", which KMS aliases refuse; the alias is
// cleaned, and lives under alias/rootwatch/alarms/ so it never meets the trail's
// alias/rootwatch/trail/<name>.
func TestKeyAliasIsValidAndApart(t *testing.T) {
	args := base
	args.NamePrefix = "acme.prod#1-"
	rs := deploy(t, args)
	if got := in(one(t, rs, "aws:kms/alias:Alias", "rw-topic-key-alias"))["name"]; got !=
		"alias/rootwatch/alarms/acme-prod-1-alerts" {
		t.Errorf("alias %v", got)
	}
}

// TestNoSubscriberWarns: deploying without subscribers works but warns.
func TestNoSubscriberWarns(t *testing.T) {
	args := base
	args.Emails = nil
	if w := args.Warnings(); len(w) != 1 || !strings.Contains(w[0], "nobody will be notified") {
		t.Errorf("warnings %v", w)
	}
	deploy(t, args)
	if w := base.Warnings(); len(w) != 0 {
		t.Errorf("warnings with a subscriber: %v", w)
	}
	args.TopicARN = "arn:aws:sns:us-east-1:111122223333:soc"
	if w := args.Warnings(); len(w) != 1 || !strings.Contains(w[0], "no health topic") {
		t.Errorf("existing topic: warnings %v, want that there is no second path", w)
	}
}

// TestInvalidArgsRegisterNothing: bad arguments fail before registration.
func TestInvalidArgsRegisterNothing(t *testing.T) {
	cases := []struct {
		name string
		mut  func(*alarms.Args)
		want string
	}{
		{"unknown control", func(a *alarms.Args) { a.Controls = []string{"root-usage", "5.99"} }, "5.99"},
		{
			"period",
			func(a *alarms.Args) { a.AlarmPeriodSeconds = 90 },
			"AlarmPeriodSeconds: 90 is not a period CloudWatch alarms accept on one-minute metrics; allowed: a " +
				"multiple of 60 from 60 to 604800",
		},
		{
			"high-resolution period on a one-minute metric",
			func(a *alarms.Args) { a.AlarmPeriodSeconds = 10 },
			"AlarmPeriodSeconds: 10 is a high-resolution period, but metric-filter metrics have one data point a " +
				"minute: the alarms would lapse into INSUFFICIENT_DATA",
		},
		{
			"30 s period on a one-minute metric",
			func(a *alarms.Args) { a.AlarmPeriodSeconds = 30 },
			"AlarmPeriodSeconds: 30 is a high-resolution period",
		},
		{
			"period longer than CloudWatch evaluates",
			func(a *alarms.Args) { a.AlarmPeriodSeconds = alarms.MaxAlarmPeriodSeconds + 60 },
			"AlarmPeriodSeconds: 604860 is longer than CloudWatch lets an alarm evaluate",
		},
		{
			"negative period",
			func(a *alarms.Args) { a.AlarmPeriodSeconds = -60 },
			"AlarmPeriodSeconds: -60 is not a period",
		},
		{
			"email",
			func(a *alarms.Args) { a.Emails = []string{"Soc <soc@rootwatch.github.io>"} },
			`Emails[0]: "Soc <soc@rootwatch.github.io>" is not an e-mail address`,
		},
		// Component users get the reserved-domain check too (the program adds the config command).
		{
			"email at example.com",
			func(a *alarms.Args) { a.Emails = []string{"security@example.com"} },
			`Emails[0]: "security@example.com" is at a domain reserved for examples and tests (RFC 2606, RFC 6761): nothing sent there reaches anyone; allowed: an address your team reads`,
		},
		{
			"email at a .invalid domain",
			func(a *alarms.Args) { a.Emails = []string{"soc@x.invalid"} },
			`Emails[0]: "soc@x.invalid" is at a domain reserved`,
		},
		{
			"https endpoint on localhost",
			func(a *alarms.Args) { a.HTTPSEndpoints = []string{"https://localhost:8443/sns"} },
			`HTTPSEndpoints[0]: "https://localhost:8443/sns" is at a domain reserved`,
		},
		{
			"https endpoint under example.net",
			func(a *alarms.Args) { a.HTTPSEndpoints = []string{"https://a.b.EXAMPLE.net/x"} },
			`HTTPSEndpoints[0]: "https://a.b.EXAMPLE.net/x" is at a domain reserved`,
		},
		{
			"http endpoint",
			func(a *alarms.Args) { a.HTTPSEndpoints = []string{"http://rootwatch.github.io/hooks"} },
			`HTTPSEndpoints[0]: "http://rootwatch.github.io/hooks" is not an HTTPS URL`,
		},
		{"missing log group", func(a *alarms.Args) { a.LogGroupName = nil }, "LogGroupName"},
		{"namespace", func(a *alarms.Args) { a.MetricNamespace = "AWS/Logs" }, `MetricNamespace: "AWS/Logs"`},
		{"prefix", func(a *alarms.Args) { a.NamePrefix = "has space" }, `NamePrefix: "has space"`},
		{
			"topic ARN",
			func(a *alarms.Args) { a.Emails = nil; a.TopicARN = "arn:aws:sqs:us-east-1:111122223333:q" },
			"is not an SNS ARN",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := base
			c.mut(&args)
			rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
				_, err := alarms.New(ctx, "rw", &args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if len(rec.Resources()) != 0 || len(rec.Invokes()) != 0 {
				t.Errorf("registered %d resources, %d invokes", len(rec.Resources()), len(rec.Invokes()))
			}
		})
	}
}

// TestProwlerRegexesMatchEmittedPatterns applies every Prowler regex (current and pre-#11345
// literal) to the patterns this component registers: for each check, at least one metric filter on
// the log group must match, with an alarm on its metric, as Prowler requires.
func TestProwlerRegexesMatchEmittedPatterns(t *testing.T) {
	rs := deploy(t, base)
	var patterns []string
	for _, f := range offline.ByType(rs, tFilter) {
		patterns = append(patterns, fmt.Sprint(in(f)["pattern"]))
	}
	for _, file := range []string{"prowler_head_regexes.json", "prowler_pre_11345_literal_regexes.json"} {
		raw, err := os.ReadFile(repo.Path("catalog/testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		var checks map[string]struct {
			Regex string `json:"regex"`
		}
		if err := json.Unmarshal(raw, &checks); err != nil {
			t.Fatal(err)
		}
		if len(checks) < 14 {
			t.Fatalf("%s has %d checks", file, len(checks))
		}
		for name, c := range checks {
			name, c := name, c
			t.Run(strings.TrimSuffix(file, ".json")+"/"+name, func(t *testing.T) {
				// Prowler: re.search(regex, pattern, flags=re.DOTALL)
				re := regexp2.MustCompile(c.Regex, regexp2.Singleline)
				for _, p := range patterns {
					if ok, _ := re.MatchString(p); ok {
						return
					}
				}
				t.Errorf("no emitted pattern matches Prowler's regex %s", c.Regex)
			})
		}
	}
}

// TestSeedEventMatchesRootFilter: the source document's example event, a root console sign-in
// without MFA, is counted by the deployed root-usage filter (evaluated by filterpattern).
func TestSeedEventMatchesRootFilter(t *testing.T) {
	rs := deploy(t, base)
	p, err := filterpattern.Parse(fmt.Sprint(in(one(t, rs, tFilter, "rw-root-usage-filter"))["pattern"]))
	if err != nil {
		t.Fatal(err)
	}
	ev, err := corpus.ReadFile("curated/root_consolelogin_success_mfa_no__awsdocs.json")
	if err != nil {
		t.Fatal(err)
	}
	if !p.Match(ev) {
		t.Errorf("the root-usage filter does not match the seed root ConsoleLogin event")
	}
}

// TestAlertPathHasASecondIndependentPath (CIS 5.5, 5.7 and the alert path itself): the alarms about
// the alert path (CloudTrail changes, a KMS key disabled or scheduled for deletion) and the
// heartbeat's FailedInvocations alarm reach the subscribers through a second topic with its own
// customer managed key and its own policy, so disabling the alert topic's key or breaking its policy
// cannot silence them; no health topic without subscribers or with an existing topic.
func TestAlertPathHasASecondIndependentPath(t *testing.T) {
	rs := deploy(t, base)
	alertTopic, health := in(one(t, rs, tTopic, "rw-topic")), in(one(t, rs, tTopic, "rw-health-topic"))
	alertKey, healthKey := one(t, rs, tKey, "rw-topic-key"), one(t, rs, tKey, "rw-health-topic-key")
	if health["kmsMasterKeyId"] == nil || health["kmsMasterKeyId"] == alertTopic["kmsMasterKeyId"] {
		t.Errorf("health topic key %v, alert topic key %v: want a key of its own", health["kmsMasterKeyId"],
			alertTopic["kmsMasterKeyId"])
	}
	if !healthKey.RetainOnDelete || !alertKey.RetainOnDelete {
		t.Error("topic keys are not retained on delete")
	}
	keySts := statements(t, healthKey, "policy")
	if len(allowing(keySts, "kms:GenerateDataKey*", "cloudwatch.amazonaws.com")) != 1 ||
		len(allowing(keySts, "kms:GenerateDataKey*", "events.amazonaws.com")) != 1 {
		t.Error("the health key does not let CloudWatch and EventBridge use it")
	}
	hp := one(t, rs, tTopicPol, "rw-health-topic-policy")
	if in(hp)["arn"] != "arn:aws:sns:us-east-1:"+account+":rw-health-topic-0123456" ||
		len(allowing(statements(t, hp, "policy"), "sns:Publish", "cloudwatch.amazonaws.com")) != 1 {
		t.Errorf("health topic policy %v", in(hp))
	}
	subs := map[string]bool{}
	for _, s := range offline.ByType(rs, tSub) {
		subs[s.Name+"="+fmt.Sprint(in(s)["endpoint"])] = true
	}
	if !subs["rw-email-0=soc@rootwatch.github.io"] || !subs["rw-health-email-0=soc@rootwatch.github.io"] {
		t.Errorf("subscriptions %v: want the same subscriber on both topics", subs)
	}
	hb := in(one(t, rs, tAlarm, "rw-heartbeat-failed-invocations"))
	if acts := list(hb["alarmActions"]); len(acts) != 2 || !strings.Contains(acts[1], "rw-health-topic") {
		t.Errorf("heartbeat FailedInvocations actions %v", acts)
	}

	for name, args := range map[string]alarms.Args{
		"no subscribers": {LogGroupName: base.LogGroupName, NamePrefix: "rw-"},
		"existing topic": {
			LogGroupName: base.LogGroupName, NamePrefix: "rw-", TopicARN: "arn:aws:sns:us-east-1:111122223333:soc",
		},
	} {
		rs := deploy(t, args)
		if _, ok := offline.Find(rs, tTopic, "rw-health-topic"); ok {
			t.Errorf("%s: a health topic nobody receives", name)
		}
	}
}

// TestHeartbeat: weekly by default, a scheduled rule sends through the alert topic a message that
// says the path works, what is watched and how to review the week; HeartbeatDays 0 turns it off,
// and a bad interval fails before anything is registered, naming the field.
func TestHeartbeat(t *testing.T) {
	args := base
	args.HeartbeatNotes = pulumi.ToStringArray([]string{"Review the period: rootwatch scan s3://b/ --since 7d"})
	rs := deploy(t, args)
	rule := in(one(t, rs, "aws:cloudwatch/eventRule:EventRule", "rw-heartbeat"))
	if rule["scheduleExpression"] != "rate(7 days)" || rule["name"] != "rw-heartbeat" {
		t.Errorf("heartbeat rule %v", rule)
	}
	tg := in(one(t, rs, "aws:cloudwatch/eventTarget:EventTarget", "rw-heartbeat-topic"))
	var msg string
	if err := json.Unmarshal([]byte(fmt.Sprint(tg["input"])), &msg); err != nil {
		t.Fatalf("heartbeat input is not a JSON string: %v", tg["input"])
	}
	for _, want := range []string{"heartbeat", "alert path works", "If it stops arriving, the path is broken",
		"/aws/cloudtrail/rootwatch", "root-usage", "root-session-opened", "rootwatch scan s3://b/ --since 7d"} {
		if !strings.Contains(msg, want) {
			t.Errorf("heartbeat message lacks %q:\n%s", want, msg)
		}
	}
	if !strings.HasPrefix(fmt.Sprint(tg["arn"]), "arn:aws:sns:us-east-1:"+account+":rw-topic-") {
		t.Errorf("heartbeat goes to %v, want the alert topic", tg["arn"])
	}
	if alarms.Schedule(1) != "rate(1 day)" || alarms.Schedule(14) != "rate(14 days)" {
		t.Error("schedule expressions")
	}

	off := 0
	args.HeartbeatDays = &off
	if _, ok := offline.Find(deploy(t, args), "aws:cloudwatch/eventRule:EventRule", "rw-heartbeat"); ok {
		t.Error("HeartbeatDays 0 still schedules a heartbeat")
	}
	for _, bad := range []int{-1, 91} {
		args.HeartbeatDays = &bad
		rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
			_, err := alarms.New(ctx, "rw", &args)
			return err
		})
		if err == nil ||
			!strings.Contains(err.Error(), fmt.Sprintf("HeartbeatDays: %d is not a heartbeat interval", bad)) ||
			!strings.Contains(err.Error(), "0 for no heartbeat") {
			t.Errorf("HeartbeatDays %d: %v", bad, err)
		}
		if rec != nil && len(rec.Resources()) != 0 {
			t.Errorf("HeartbeatDays %d registered %d resources", bad, len(rec.Resources()))
		}
	}
}

// chatArgs adds one Slack and one Teams channel to base.
func chatArgs() alarms.Args {
	a := base
	a.SlackChannels = []alarms.SlackChannel{{WorkspaceID: "T07EA123LEP", ChannelID: "C07EZ1ABC23"}}
	a.TeamsChannels = []alarms.TeamsChannel{
		{
			TenantID:  "a1b2c3d4-1111-2222-3333-444455556666",
			TeamID:    "b1b2c3d4-1111-2222-3333-444455556666",
			ChannelID: "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2",
		},
	}
	return a
}

// TestChatRouteLeastPrivilege (Slack and Teams through Amazon Q Developer in chat applications):
// each channel gets a configuration on the chat topic alone, created through a provider in a
// region of the Chatbot API and pinned to the account, with logging level ERROR, a channel role
// that only chatbot.amazonaws.com may assume and that may only read CloudWatch (AWS's
// notification-permissions template), and a guardrail of exactly those actions (without one, the
// guardrail would be AdministratorAccess). The chat topic has its own key and the same policy as
// the alert topic; no key or topic statement names Chatbot, which receives messages SNS has
// already decrypted.
func TestChatRouteLeastPrivilege(t *testing.T) {
	rs := deploy(t, chatArgs())
	chatTopic := "arn:aws:sns:us-east-1:" + account + ":rw-chat-topic-0123456"
	prov := in(one(t, rs, "pulumi:providers:aws", "rw-chat-us-east-2"))
	if prov["region"] != "us-east-2" || fmt.Sprint(prov["allowedAccountIds"]) != "["+account+"]" {
		t.Errorf("chat provider %v", prov)
	}
	role := one(t, rs, "aws:iam/role:Role", "rw-chat-role")
	trust := statements(t, role, "assumeRolePolicy")
	if len(trust) != 1 || trust[0].Effect != "Allow" ||
		fmt.Sprint(trust[0].Principal) != "map[Service:chatbot.amazonaws.com]" ||
		fmt.Sprint(list(trust[0].Action)) != "[sts:AssumeRole]" {
		t.Errorf("chat role trust %+v", trust)
	}
	wantActions := "[cloudwatch:Describe* cloudwatch:Get* cloudwatch:List*]"
	for _, r := range []struct{ typ, name, key string }{
		{"aws:iam/rolePolicy:RolePolicy", "rw-chat-notifications", "policy"},
		{"aws:iam/policy:Policy", "rw-chat-guardrail", "policy"},
	} {
		sts := statements(t, one(t, rs, r.typ, r.name), r.key)
		if len(sts) != 1 || sts[0].Effect != "Allow" || fmt.Sprint(list(sts[0].Action)) != wantActions ||
			fmt.Sprint(list(sts[0].Resource)) != "[*]" ||
			sts[0].Condition != nil {
			t.Errorf("%s: %+v, want only Allow %s on *", r.name, sts, wantActions)
		}
	}
	if n := len(offline.ByType(rs, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")); n != 0 {
		t.Errorf("%d managed policies attached to a role", n)
	}
	guardrail := "arn:aws:iam::" + account + ":policy/rw-chat-guardrail-0123456"
	for _, c := range []struct{ typ, name string }{
		{"aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "rw-slack-0"},
		{"aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration", "rw-teams-0"},
	} {
		r := one(t, rs, c.typ, c.name)
		cfg := in(r)
		if fmt.Sprint(list(cfg["snsTopicArns"])) != "["+chatTopic+"]" ||
			fmt.Sprint(list(cfg["guardrailPolicyArns"])) != "["+guardrail+"]" ||
			cfg["loggingLevel"] != "ERROR" ||
			cfg["iamRoleArn"] != "arn:aws:iam::"+account+":role/rw-chat-role-0123456" ||
			cfg["configurationName"] == nil {
			t.Errorf("%s: %v", c.name, cfg)
		}
		if !slices.ContainsFunc(r.Dependencies,
			func(d string) bool { return strings.Contains(d, "rw-chat-notifications") }) {
			t.Errorf("%s does not wait for the role's policy", c.name)
		}
	}
	slack := in(one(t, rs, "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration", "rw-slack-0"))
	teams := in(one(t, rs, "aws:chatbot/teamsChannelConfiguration:TeamsChannelConfiguration", "rw-teams-0"))
	if slack["slackTeamId"] != "T07EA123LEP" || slack["slackChannelId"] != "C07EZ1ABC23" ||
		slack["configurationName"] != "rw-slack-0" ||
		teams["tenantId"] != "a1b2c3d4-1111-2222-3333-444455556666" ||
		teams["teamId"] != "b1b2c3d4-1111-2222-3333-444455556666" ||
		teams["channelId"] != "19%3ab6ef35dc342d56ba5654e6fc6d25a071%40thread.tacv2" {
		t.Errorf("channel ids: slack %v teams %v", slack, teams)
	}
	// The chat topic: own key, the alert topic's policy (only this account's alarms and rules
	// publish), no subscription but the configurations'.
	chatKey := one(t, rs, tKey, "rw-chat-topic-key")
	if !chatKey.RetainOnDelete || in(one(t, rs, tTopic, "rw-chat-topic"))["kmsMasterKeyId"] ==
		in(one(t, rs, tTopic, "rw-topic"))["kmsMasterKeyId"] {
		t.Error("chat topic key not its own or not retained")
	}
	for _, s := range append(
		statements(t, chatKey, "policy"), statements(t, one(t, rs, tTopicPol, "rw-chat-topic-policy"), "policy")...,
	) {
		if strings.Contains(fmt.Sprint(s.Principal), "chatbot") {
			t.Errorf("a statement names Chatbot: %+v", s)
		}
	}
	for _, s := range offline.ByType(rs, tSub) {
		if strings.Contains(s.Name, "chat") {
			t.Errorf("subscription %s on the chat topic", s.Name)
		}
	}
}

// TestChatReceivesAlarmsAndHeartbeat: every alarm also notifies the chat topic (Chatbot renders
// alarm notifications itself), and the heartbeat sends it the same text as a custom notification.
func TestChatReceivesAlarmsAndHeartbeat(t *testing.T) {
	rs := deploy(t, chatArgs())
	for _, a := range offline.ByType(rs, tAlarm) {
		if acts := list(in(a)["alarmActions"]); !slices.ContainsFunc(acts,
			func(s string) bool { return strings.Contains(s, "rw-chat-topic") }) {
			t.Errorf("alarm %s does not notify the chat topic: %v", a.Name, acts)
		}
	}
	tg := in(one(t, rs, "aws:cloudwatch/eventTarget:EventTarget", "rw-heartbeat-chat"))
	if !strings.Contains(fmt.Sprint(tg["arn"]), "rw-chat-topic") {
		t.Errorf("heartbeat chat target %v", tg["arn"])
	}
	n, ok := chatmsg.Valid([]byte(fmt.Sprint(tg["input"])))
	if !ok || n.Content.Title != "rootwatch heartbeat: the alert path works." ||
		!strings.Contains(n.Content.Description, "through rootwatch's chat topic") ||
		!strings.Contains(n.Content.Description, "root-usage") {
		t.Errorf("heartbeat chat input is not the heartbeat as a custom notification: %v", tg["input"])
	}
	// Without channels nothing of the chat route exists.
	for _, r := range deploy(t, base) {
		if strings.Contains(r.Name, "chat") || strings.HasPrefix(r.Type, "aws:chatbot") {
			t.Errorf("%s %s without chat channels", r.Type, r.Name)
		}
	}
}

// TestChatArgsValidated: bad ids are named with their field before anything is registered.
func TestChatArgsValidated(t *testing.T) {
	for name, c := range map[string]struct {
		mut  func(*alarms.Args)
		want string
	}{
		"slack workspace": {func(a *alarms.Args) { a.SlackChannels[0].WorkspaceID = "acme" },
			`SlackChannels[0]: "acme/C07EZ1ABC23" has workspace id "acme", not a Slack workspace id`},
		"slack channel": {func(a *alarms.Args) { a.SlackChannels[0].ChannelID = "" },
			`SlackChannels[0]: "T07EA123LEP/" has channel id "", not a Slack channel id`},
		"teams team": {func(a *alarms.Args) { a.TeamsChannels[0].TeamID = "security" }, `TeamsChannels[0]:`},
		"teams channel": {
			func(a *alarms.Args) { a.TeamsChannels[0].ChannelID = "general" }, "is not a Microsoft Teams channel id",
		},
		"region": {func(a *alarms.Args) { a.ChatRegion = "eu-central-1" },
			`ChatRegion: "eu-central-1" is not supported; allowed: us-east-2, us-west-2, eu-west-1, ap-southeast-1`},
	} {
		t.Run(name, func(t *testing.T) {
			args := chatArgs()
			c.mut(&args)
			rec, err := offline.Run(offline.Options{}, func(ctx *pulumi.Context) error {
				_, err := alarms.New(ctx, "rw", &args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want %q", err, c.want)
			}
			if len(rec.Resources()) != 0 {
				t.Errorf("%d resources registered", len(rec.Resources()))
			}
		})
	}
	// Chat alone is a subscriber: no "nobody will be notified" warning.
	a := alarms.Args{LogGroupName: base.LogGroupName, SlackChannels: chatArgs().SlackChannels}
	if w := a.Warnings(); len(w) != 0 {
		t.Errorf("warnings with a Slack channel: %v", w)
	}
}
