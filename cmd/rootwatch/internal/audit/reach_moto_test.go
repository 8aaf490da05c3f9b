//go:build integration

package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/policy"
	"github.com/rootwatch/rootwatch/notify"
)

// motoEnv is moto's account and the tests' region, as internal/policy takes them.
var motoEnv = awsenv.Env{Partition: "aws", DNSSuffix: "amazonaws.com", AccountID: "123456789012", Region: "us-east-1"}

// emailPending fakes the one thing moto gets wrong about subscriptions: moto confirms every
// subscription at once, e-mail included, while AWS lists an e-mail subscription with the
// SubscriptionArn "PendingConfirmation" until its owner follows the link in the confirmation
// message. Installed on an account, it rewrites, in moto's ListSubscriptionsByTopic answers only,
// the SubscriptionArn of every email subscription to "PendingConfirmation". Everything else in the
// answer (and every other call) is moto's. Confirmed subscriptions in these tests are SQS queues,
// which AWS confirms at once for a queue of the topic's own account, as moto does.
type emailPending struct{ base http.RoundTripper }

var (
	memberRe = regexp.MustCompile(`(?s)<member>.*?</member>`)
	subArnRe = regexp.MustCompile(`<SubscriptionArn>[^<]*</SubscriptionArn>`)
)

func (e emailPending) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := requestBody(req)
	if err != nil {
		return nil, err
	}
	resp, err := e.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusOK ||
		!bytes.Contains(reqBody, []byte("Action=ListSubscriptionsByTopic")) {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(body, []byte("<ListSubscriptionsByTopicResult>")) {
		panic("moto's ListSubscriptionsByTopic answer changed shape: " + string(body))
	}
	body = memberRe.ReplaceAllFunc(body, func(m []byte) []byte {
		if !bytes.Contains(m, []byte("<Protocol>email</Protocol>")) {
			return m
		}
		return subArnRe.ReplaceAll(m, []byte("<SubscriptionArn>PendingConfirmation</SubscriptionArn>"))
	})
	return replaceBody(resp, body), nil
}

// reachClients are the SDK clients the reach tests build state with (and check with), on the
// account's configuration and endpoint.
type reachClients struct {
	sns *sns.Client
	kms *kms.Client
	ev  *eventbridge.Client
}

func (a *motoAccount) reachClients() reachClients {
	c := NewClients(a.cfg, a.url)
	return reachClients{sns: c.SNS, kms: c.KMS, ev: c.Events}
}

// withPendingEmail makes the account's e-mail subscriptions pending, as AWS lists them (see
// emailPending).
func (a *motoAccount) withPendingEmail() {
	hc := a.cfg.HTTPClient.(*http.Client)
	a.cfg.HTTPClient = &http.Client{Transport: emailPending{base: hc.Transport}}
}

// queueARN is the ARN of an SQS queue to subscribe. moto's SNS confirms an SQS subscription at
// once and delivers nothing in these tests, so the queue itself need not exist.
func (a *motoAccount) queueARN(name string) string {
	return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", a.cfg.Region, motoEnv.AccountID, name)
}

// deployTopic builds one topic the way internal/alerttopic does: a customer managed key with
// policy.TopicKey, the topic encrypted with it, policy.Topic as its policy, and a subscriber (an
// SQS queue, confirmed at once). It returns the topic's and the key's ARNs.
func deployTopic(t *testing.T, a *motoAccount, c reachClients, name string) (topicArn, keyArn string) {
	t.Helper()
	ctx := context.Background()
	key, err := c.kms.CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("rootwatch " + name + " topic key"),
		Policy:      aws.String(policy.TopicKey(policy.TopicKeyArgs{Env: motoEnv}).MustJSON()),
	})
	if err != nil {
		t.Fatal(err)
	}
	keyArn = aws.ToString(key.KeyMetadata.Arn)
	topic, err := c.sns.CreateTopic(
		ctx,
		&sns.CreateTopicInput{Name: aws.String(name), Attributes: map[string]string{"KmsMasterKeyId": keyArn}},
	)
	if err != nil {
		t.Fatal(err)
	}
	topicArn = aws.ToString(topic.TopicArn)
	setTopicPolicy(t, c, topicArn, policy.Topic(policy.TopicArgs{Env: motoEnv, TopicARN: topicArn}).MustJSON())
	subscribe(t, c, topicArn, "sqs", a.queueARN(name+"-queue"))
	return topicArn, keyArn
}

func setTopicPolicy(t *testing.T, c reachClients, topicArn, doc string) {
	t.Helper()
	if _, err := c.sns.SetTopicAttributes(context.Background(), &sns.SetTopicAttributesInput{
		TopicArn: aws.String(topicArn), AttributeName: aws.String("Policy"), AttributeValue: aws.String(doc),
	}); err != nil {
		t.Fatal(err)
	}
}

func subscribe(t *testing.T, c reachClients, topicArn, protocol, endpoint string) string {
	t.Helper()
	out, err := c.sns.Subscribe(
		context.Background(),
		&sns.SubscribeInput{
			TopicArn: aws.String(topicArn),
			Protocol: aws.String(protocol),
			Endpoint: aws.String(endpoint),
		},
	)
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.SubscriptionArn)
}

func unsubscribe(t *testing.T, c reachClients, subArn string) {
	t.Helper()
	if _, err := c.sns.Unsubscribe(
		context.Background(), &sns.UnsubscribeInput{SubscriptionArn: aws.String(subArn)},
	); err != nil {
		t.Fatal(err)
	}
}

// deployReach builds, through the AWS APIs, what rootwatch deploys for reaching people, named after
// topicName: the alert topic and the health topic (each as deployTopic builds it, with an SQS
// subscriber), the root-activity rules of notify.Rules on the default bus targeting the alert topic
// (named topicName-<rule id>, in the state notify gives them), and the weekly heartbeat rule
// (alarms.Schedule(7)) targeting it. It returns the Reach a stack's outputs would give.
func deployReach(t *testing.T, a *motoAccount, topicName string) Reach {
	t.Helper()
	ctx := context.Background()
	c := a.reachClients()
	alert, _ := deployTopic(t, a, c, topicName)
	health, _ := deployTopic(t, a, c, topicName+"-health")
	for _, r := range notify.Rules("aws") {
		state := ebtypes.RuleStateEnabled
		if r.AllManagementEvents {
			state = ebtypes.RuleStateEnabledWithAllCloudtrailManagementEvents
		}
		name := topicName + "-" + r.ID
		if _, err := c.ev.PutRule(ctx, &eventbridge.PutRuleInput{Name: aws.String(name), EventPattern: aws.String(r.Pattern), State: state, Description: aws.String(r.Description)}); err != nil {
			t.Fatalf("rule %s: %v", name, err)
		}
		putTopicTarget(t, c, name, alert)
	}
	hb := topicName + "-heartbeat"
	out, err := c.ev.PutRule(
		ctx,
		&eventbridge.PutRuleInput{
			Name:               aws.String(hb),
			ScheduleExpression: aws.String(alarms.Schedule(7)),
			State:              ebtypes.RuleStateEnabled,
		},
	)
	if err != nil {
		t.Fatal(err)
	}
	putTopicTarget(t, c, hb, alert)
	return Reach{
		AlertTopics:   []string{alert},
		HealthTopic:   health,
		HeartbeatRule: aws.ToString(out.RuleArn),
		Deployed:      true,
	}
}

func putTopicTarget(t *testing.T, c reachClients, rule, topicArn string) {
	t.Helper()
	if _, err := c.ev.PutTargets(context.Background(), &eventbridge.PutTargetsInput{Rule: aws.String(rule),
		Targets: []ebtypes.Target{{Id: aws.String("rootwatch-alert-topic"), Arn: aws.String(topicArn)}}}); err != nil {
		t.Fatal(err)
	}
}

var reachIDs = []string{
	CheckAlertSubscriptions,
	CheckAlertEncryption,
	CheckAlertPolicy,
	CheckRootActivityRules,
	CheckHealthTopic,
	CheckHeartbeat,
}

func (a *motoAccount) reach(r Reach) map[string]Result {
	a.t.Helper()
	return byID(a.t, ReachChecks(context.Background(), NewRegions(a.cfg, a.url), r))
}

// reachStatuses compares every reach check's status with want (PASS where want says nothing).
func reachStatuses(t *testing.T, got map[string]Result, want map[string]Status) {
	t.Helper()
	for _, id := range reachIDs {
		r, ok := got[id]
		if !ok {
			t.Errorf("check %s missing", id)
			continue
		}
		w := want[id]
		if w == "" {
			w = Pass
		}
		if r.Status != w {
			t.Errorf("%s: %s (%s), want %s", id, r.Status, r.Detail, w)
		}
	}
}

func mentions(t *testing.T, r Result, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(r.Detail, w) {
			t.Errorf("%s says %q, want it to mention %q", r.ID, r.Detail, w)
		}
	}
}

func TestReachNothing(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	got := a.reach(Reach{})
	reachStatuses(t, got, map[string]Status{
		CheckAlertSubscriptions: Fail, CheckAlertEncryption: Fail, CheckAlertPolicy: Fail, CheckRootActivityRules: Fail,
		CheckHealthTopic: Warn, CheckHeartbeat: Warn,
	})
	mentions(t, got[CheckAlertSubscriptions], "no alarm notifies an SNS topic")
	for _, id := range []string{CheckAlertEncryption, CheckAlertPolicy, CheckRootActivityRules} {
		mentions(t, got[id], "not checked")
	}
	mentions(t, got[CheckHealthTopic], "no independent health path")
	mentions(t, got[CheckHeartbeat], "silence cannot be told from a broken path")

	// A bare topic (no key, SNS's default policy, nobody subscribed, no rule), named by a stack
	// that has neither health topic nor heartbeat.
	c := a.reachClients()
	topic, err := c.sns.CreateTopic(context.Background(), &sns.CreateTopicInput{Name: aws.String("bare")})
	if err != nil {
		t.Fatal(err)
	}
	arn := aws.ToString(topic.TopicArn)
	got = a.reach(Reach{AlertTopics: []string{arn}, Deployed: true})
	reachStatuses(t, got, map[string]Status{
		CheckAlertSubscriptions: Fail, CheckAlertEncryption: Warn, CheckRootActivityRules: Fail,
		CheckHealthTopic: Warn, CheckHeartbeat: Warn,
		// SNS's default policy lets everyone of the account publish (Principal AWS "*" under an
		// AWS:SourceOwner condition, which the audit does not evaluate and says so)
		CheckAlertPolicy: Pass,
	})
	mentions(t, got[CheckAlertSubscriptions], "no subscription", arn)
	mentions(t, got[CheckAlertEncryption], "not encrypted")
	mentions(t, got[CheckAlertPolicy], "not evaluated")
	mentions(t, got[CheckRootActivityRules], "no EventBridge rule")
	mentions(t, got[CheckHealthTopic], "the stack has no health topic")

	// A topic that does not exist.
	gone := motoEnv.SNSTopicARN("gone")
	got = a.reach(Reach{AlertTopics: []string{gone}})
	for _, id := range []string{CheckAlertSubscriptions, CheckAlertEncryption, CheckAlertPolicy} {
		if got[id].Status != Fail || !strings.Contains(got[id].Detail, "does not exist") {
			t.Errorf("%s on a missing topic: %s %q", id, got[id].Status, got[id].Detail)
		}
	}
}

// TestReachDeployed builds what rootwatch deploys (deployReach), sees every reach check pass, then
// breaks one thing at a time and sees exactly the check that should catch it say so.
func TestReachDeployed(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	a.withPendingEmail()
	r := deployReach(t, a, "rootwatch-alerts")
	got := a.reach(r)
	reachStatuses(t, got, nil)
	for _, id := range reachIDs {
		t.Logf("%s %s: %s", got[id].Status, id, got[id].Detail)
	}
	mentions(t, got[CheckAlertSubscriptions], "subscriptions 1 confirmed (sqs 1)")
	mentions(t, got[CheckRootActivityRules], "rootwatch-alerts-root-signin")
	mentions(t, got[CheckHeartbeat], "rate(7 days)")

	f := newReachFixture(t, a, r)
	breaks := append(alertTopicBreaks(f), rootRuleBreaks(f)...)
	for _, b := range breaks {
		t.Run(b.name, func(t *testing.T) {
			b.breakIt()
			defer b.undo()
			got := a.reach(r)
			t.Logf("%s %s: %s", got[b.check].Status, b.check, got[b.check].Detail)
			reachStatuses(t, got, map[string]Status{b.check: b.status})
			mentions(t, got[b.check], b.says...)
			for _, x := range got {
				if strings.Contains(x.Detail, pendingAddress) {
					t.Errorf("%s names a subscriber's address: %q", x.ID, x.Detail)
				}
			}
		})
	}
	// every break was undone
	reachStatuses(t, a.reach(r), nil)
}

// pendingAddress is the e-mail address TestReachDeployed subscribes (pending: moto confirms none).
const pendingAddress = "security-team@corp.invalid"

// reachFixture is what TestReachDeployed's breaks change, read from the deployed reach.
type reachFixture struct {
	t                   *testing.T
	a                   *motoAccount
	ctx                 context.Context
	c                   reachClients
	r                   Reach
	alert               string // the alert topic
	sqsSub, emailSub    string // its queue's subscription; the pending e-mail one, while there
	keyArn, keyID       string // the alert topic's key
	topicPolicy, hbName string // the alert topic's policy; the heartbeat rule's name
	signIn              notify.Rule
}

func newReachFixture(t *testing.T, a *motoAccount, r Reach) *reachFixture {
	t.Helper()
	f := &reachFixture{t: t, a: a, ctx: context.Background(), c: a.reachClients(), r: r, alert: r.AlertTopics[0]}
	ctx, c, alert := f.ctx, f.c, f.alert
	subs, err := c.sns.ListSubscriptionsByTopic(ctx, &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(alert)})
	if err != nil || len(subs.Subscriptions) != 1 {
		t.Fatalf("the alert topic's subscriptions: %v %v", subs, err)
	}
	f.sqsSub = aws.ToString(subs.Subscriptions[0].SubscriptionArn)
	attrs, err := c.sns.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(alert)})
	if err != nil {
		t.Fatal(err)
	}
	f.keyArn, f.topicPolicy = attrs.Attributes["KmsMasterKeyId"], attrs.Attributes["Policy"]
	f.keyID = f.keyArn[strings.LastIndex(f.keyArn, "/")+1:] // moto's DisableKey and the like take only the key id
	f.hbName, _ = ruleName(r.HeartbeatRule)
	for _, x := range notify.Rules("aws") {
		if x.ID == notify.RuleSignIn {
			f.signIn = x
		}
	}
	return f
}

// reachBreak breaks one thing (and undoes it); check is then status, its detail saying says.
type reachBreak struct {
	name, check   string
	status        Status
	breakIt, undo func()
	says          []string
}

// alertTopicBreaks break the alert topic: its subscriptions, key and policy.
func alertTopicBreaks(f *reachFixture) []reachBreak {
	t, a, ctx, c, alert := f.t, f.a, f.ctx, f.c, f.alert
	keyArn, keyID, topicPolicy := f.keyArn, f.keyID, f.topicPolicy
	const address = pendingAddress
	return []reachBreak{
		{"only a pending e-mail subscription", CheckAlertSubscriptions, Fail,
			func() { unsubscribe(t, c, f.sqsSub); f.emailSub = subscribe(t, c, alert, "email", address) },
			func() {
				unsubscribe(t, c, f.emailSub)
				f.sqsSub = subscribe(t, c, alert, "sqs", "arn:aws:sqs:us-east-1:123456789012:rootwatch-alerts-queue")
			},
			[]string{"no confirmed subscription, 1 pending (email 1)", "Subscription Confirmation"}},
		{"a pending e-mail besides the queue", CheckAlertSubscriptions, Warn,
			func() { f.emailSub = subscribe(t, c, alert, "email", address) },
			func() { unsubscribe(t, c, f.emailSub) },
			[]string{"subscriptions 1 confirmed (sqs 1) and 1 pending (email 1)"}},
		{"key disabled", CheckAlertEncryption, Fail,
			func() { a.must(c.kms.DisableKey(ctx, &kms.DisableKeyInput{KeyId: aws.String(keyID)})) },
			func() { a.must(c.kms.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(keyID)})) },
			[]string{"is Disabled"}},
		{"key scheduled for deletion", CheckAlertEncryption, Fail,
			func() {
				a.must(
					c.kms.ScheduleKeyDeletion(
						ctx,
						&kms.ScheduleKeyDeletionInput{KeyId: aws.String(keyID), PendingWindowInDays: aws.Int32(7)},
					),
				)
			},
			func() {
				a.must(c.kms.CancelKeyDeletion(ctx, &kms.CancelKeyDeletionInput{KeyId: aws.String(keyID)}))
				a.must(c.kms.EnableKey(ctx, &kms.EnableKeyInput{KeyId: aws.String(keyID)}))
			},
			[]string{"is PendingDeletion (deleted on "}},
		{"key policy without EventBridge", CheckAlertEncryption, Fail,
			func() {
				a.must(
					c.kms.PutKeyPolicy(
						ctx,
						&kms.PutKeyPolicyInput{KeyId: aws.String(keyArn), PolicyName: aws.String("default"),
							Policy: aws.String(
								withoutStatement(
									t,
									policy.TopicKey(policy.TopicKeyArgs{Env: motoEnv}).MustJSON(),
									policy.SidEventBridgeUseKey,
								),
							)},
					),
				)
			},
			func() {
				a.must(
					c.kms.PutKeyPolicy(
						ctx,
						&kms.PutKeyPolicyInput{KeyId: aws.String(keyArn), PolicyName: aws.String("default"),
							Policy: aws.String(policy.TopicKey(policy.TopicKeyArgs{Env: motoEnv}).MustJSON())},
					),
				)
			},
			[]string{"does not allow kms:GenerateDataKey to events.amazonaws.com", "does not allow kms:Decrypt to " +
				"events.amazonaws.com"}},
		{"the AWS managed key", CheckAlertEncryption, Fail,
			func() { setTopicAttr(t, c, alert, "KmsMasterKeyId", "alias/aws/sns") },
			func() { setTopicAttr(t, c, alert, "KmsMasterKeyId", keyArn) },
			[]string{"AWS managed key alias/aws/sns"}},
		{"topic policy without EventBridge", CheckAlertPolicy, Fail,
			func() { setTopicPolicy(t, c, alert, withoutStatement(t, topicPolicy, policy.SidEventBridgePublish)) },
			func() { setTopicPolicy(t, c, alert, topicPolicy) },
			[]string{"does not allow sns:Publish to events.amazonaws.com"}},
	}
}

// rootRuleBreaks break the root-activity rules, the heartbeat and the health topic.
func rootRuleBreaks(f *reachFixture) []reachBreak {
	t, a, ctx, c, r, alert := f.t, f.a, f.ctx, f.c, f.r, f.alert
	hbName, signIn := f.hbName, f.signIn
	return []reachBreak{
		{"rule disabled", CheckRootActivityRules, Fail,
			func() {
				a.must(
					c.ev.DisableRule(
						ctx,
						&eventbridge.DisableRuleInput{Name: aws.String("rootwatch-alerts-" + notify.RuleSignIn)},
					),
				)
			},
			func() {
				a.must(
					c.ev.EnableRule(
						ctx,
						&eventbridge.EnableRuleInput{Name: aws.String("rootwatch-alerts-" + notify.RuleSignIn)},
					),
				)
			},
			[]string{"rootwatch-alerts-root-signin DISABLED"}},
		// Forged root alerts: the sign-in rule's pattern without its AWS source also matches a
		// custom event put with events:PutEvents under the same detail-type and detail.
		{"root rule without the AWS source", CheckRootActivityRules, Fail,
			func() {
				putSignInPattern(t, c, "rootwatch-alerts-"+notify.RuleSignIn, withoutSource(t, signIn.Pattern))
			},
			func() { putSignInPattern(t, c, "rootwatch-alerts-"+notify.RuleSignIn, signIn.Pattern) },
			[]string{"rootwatch-alerts-root-signin also match a copy of a root event", "my.app"}},
		{"root rule with a near miss of the AWS source", CheckRootActivityRules, Fail,
			func() {
				putSignInPattern(
					t,
					c,
					"rootwatch-alerts-"+notify.RuleSignIn,
					withSource(t, signIn.Pattern, []any{map[string]any{"prefix": "aws"}}),
				)
			},
			func() { putSignInPattern(t, c, "rootwatch-alerts-"+notify.RuleSignIn, signIn.Pattern) },
			[]string{"rootwatch-alerts-root-signin also match a copy of a root event", "awsx.signin"}},
		{"heartbeat disabled", CheckHeartbeat, Fail,
			func() { a.must(c.ev.DisableRule(ctx, &eventbridge.DisableRuleInput{Name: aws.String(hbName)})) },
			func() { a.must(c.ev.EnableRule(ctx, &eventbridge.EnableRuleInput{Name: aws.String(hbName)})) },
			[]string{"it is DISABLED"}},
		{"heartbeat targets removed", CheckHeartbeat, Fail,
			func() {
				a.must(
					c.ev.RemoveTargets(
						ctx,
						&eventbridge.RemoveTargetsInput{
							Rule: aws.String(hbName),
							Ids:  []string{"rootwatch-alert-topic"},
						},
					),
				)
			},
			func() { putTopicTarget(t, c, hbName, alert) },
			[]string{"none of its 0 targets is the alert topic"}},
		{"health topic unsubscribed", CheckHealthTopic, Fail,
			func() {
				hs, err := c.sns.ListSubscriptionsByTopic(
					ctx,
					&sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(r.HealthTopic)},
				)
				if err != nil || len(hs.Subscriptions) != 1 {
					t.Fatalf("health subscriptions: %v %v", hs, err)
				}
				unsubscribe(t, c, aws.ToString(hs.Subscriptions[0].SubscriptionArn))
			},
			func() {
				subscribe(
					t,
					c,
					r.HealthTopic,
					"sqs",
					"arn:aws:sqs:us-east-1:123456789012:rootwatch-alerts-health-queue",
				)
			},
			[]string{"has no subscription"}},
	}
}

// putSignInPattern replaces the pattern of the enabled rule name.
func putSignInPattern(t *testing.T, c reachClients, name, pattern string) {
	t.Helper()
	if _, err := c.ev.PutRule(context.Background(), &eventbridge.PutRuleInput{
		Name: aws.String(name), EventPattern: aws.String(pattern), State: ebtypes.RuleStateEnabled,
	}); err != nil {
		t.Fatal(err)
	}
}

// withoutSource returns the event pattern p without its source clause.
func withoutSource(t *testing.T, p string) string {
	t.Helper()
	return withSource(t, p, nil)
}

// withSource returns the pattern p with its source clause replaced by source (nil: removed).
func withSource(t *testing.T, p string, source []any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(p), &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["source"]; !ok {
		t.Fatalf("pattern %s has no source clause", p)
	}
	delete(m, "source")
	if source != nil {
		m["source"] = source
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func setTopicAttr(t *testing.T, c reachClients, topicArn, name, value string) {
	t.Helper()
	if _, err := c.sns.SetTopicAttributes(context.Background(), &sns.SetTopicAttributesInput{
		TopicArn: aws.String(topicArn), AttributeName: aws.String(name), AttributeValue: aws.String(value),
	}); err != nil {
		t.Fatal(err)
	}
}

// withoutStatement returns the policy document doc without the statement whose Sid is sid.
func withoutStatement(t *testing.T, doc, sid string) string {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, s := range d["Statement"].([]any) {
		if s.(map[string]any)["Sid"] != sid {
			kept = append(kept, s)
		}
	}
	if len(kept) == len(d["Statement"].([]any)) {
		t.Fatalf("no statement %s in %s", sid, doc)
	}
	d["Statement"] = kept
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestReachThroughRun checks that Run reports the reach checks from the stack's outputs.
func TestReachThroughRun(t *testing.T) {
	t.Parallel() // each test has its own moto_server
	a := newMotoAccount(t)
	r := deployReach(t, a, "stack-alerts")
	rs := Run(context.Background(), Options{Config: a.cfg, Endpoint: a.url, Now: time.Now(), Stack: StackOutputs{
		TrailName: "rootwatch-trail", AlertTopicArn: r.AlertTopics[0], HealthTopicArn: r.HealthTopic,
		HeartbeatRuleArn: r.HeartbeatRule,
	}})
	reachStatuses(t, byID(t, rs), nil)
}
