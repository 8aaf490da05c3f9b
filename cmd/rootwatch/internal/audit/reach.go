package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	ebtypes "github.com/aws/aws-sdk-go-v2/service/eventbridge/types"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/smithy-go"

	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/eventpattern"
)

// SNSAPI is the part of the SNS client the reach checks call.
type SNSAPI interface {
	ListSubscriptionsByTopic(
		context.Context,
		*sns.ListSubscriptionsByTopicInput,
		...func(*sns.Options),
	) (*sns.ListSubscriptionsByTopicOutput, error)
	GetTopicAttributes(
		context.Context,
		*sns.GetTopicAttributesInput,
		...func(*sns.Options),
	) (*sns.GetTopicAttributesOutput, error)
}

// KMSAPI is the part of the KMS client the reach checks call.
type KMSAPI interface {
	DescribeKey(context.Context, *kms.DescribeKeyInput, ...func(*kms.Options)) (*kms.DescribeKeyOutput, error)
	GetKeyPolicy(context.Context, *kms.GetKeyPolicyInput, ...func(*kms.Options)) (*kms.GetKeyPolicyOutput, error)
}

// EventsAPI is the part of the EventBridge client the reach checks call.
type EventsAPI interface {
	ListRuleNamesByTarget(
		context.Context,
		*eventbridge.ListRuleNamesByTargetInput,
		...func(*eventbridge.Options),
	) (*eventbridge.ListRuleNamesByTargetOutput, error)
	DescribeRule(
		context.Context,
		*eventbridge.DescribeRuleInput,
		...func(*eventbridge.Options),
	) (*eventbridge.DescribeRuleOutput, error)
	ListTargetsByRule(
		context.Context,
		*eventbridge.ListTargetsByRuleInput,
		...func(*eventbridge.Options),
	) (*eventbridge.ListTargetsByRuleOutput, error)
}

// Reach is where alerts should go: the topics and the heartbeat rule.
type Reach struct {
	AlertTopics   []string // alert topic ARNs (stack.AlertTopicArn, else the SNS actions of the monitoring alarms)
	HealthTopic   string   // stack.HealthTopicArn ("" when none)
	HeartbeatRule string   // stack.HeartbeatRuleArn ("" when none)
	Deployed      bool     // true when these come from a rootwatch stack's outputs (then the health topic and heartbeat are expected when the outputs name them)
}

// Reach check ids.
const (
	CheckAlertSubscriptions = "alert-topic-subscriptions"
	CheckAlertEncryption    = "alert-topic-encryption"
	CheckAlertPolicy        = "alert-topic-policy"
	CheckRootActivityRules  = "root-activity-rules"
	CheckHealthTopic        = "health-topic"
	CheckHeartbeat          = "heartbeat"
)

// The reach checks map to no CIS recommendation, Security Hub control or Prowler check of their
// own: CIS's monitoring recommendations ask for "at least one subscriber" inside each alarm's audit
// procedure, which the monitoring checks report per alarm.
var (
	alertSubscriptions = Result{ID: CheckAlertSubscriptions, Title: "Someone receives the alert topic (a " +
		"confirmed subscription)",
		Remediation: "subscribe the team (pulumi config set --path 'rootwatch:alertEmails[0]' ADDRESS, then pulumi " +
			"up) and have each e-mail owner click \"Confirm subscription\" in the message AWS sent; an expired " +
			"confirmation needs a new subscription"}
	alertEncryption = Result{ID: CheckAlertEncryption, Title: "The alert topic's KMS key is enabled and lets " +
		"CloudWatch and EventBridge use it",
		Remediation: "encrypt the topic with a customer managed key that is enabled and whose policy allows " +
			"kms:GenerateDataKey* and kms:Decrypt to cloudwatch.amazonaws.com and events.amazonaws.com (rootwatch's " +
			"topic key policy, internal/policy.TopicKey); cancel a scheduled deletion with aws kms " +
			"cancel-key-deletion, then aws kms enable-key"}
	alertPolicy = Result{ID: CheckAlertPolicy, Title: "The alert topic's policy lets CloudWatch alarms and " +
		"EventBridge rules publish",
		Remediation: "allow sns:Publish on the topic to cloudwatch.amazonaws.com and events.amazonaws.com (limited " +
			"to this account with aws:SourceAccount), as rootwatch's topic policy does (internal/policy.Topic), and " +
			"remove any Deny of it"}
	rootActivityRules = Result{ID: CheckRootActivityRules, Title: "Enabled EventBridge rules send root activity " +
		"to the alert topic",
		Remediation: "deploy rootwatch's root-event notifications (rootwatch:rootEventNotifications, on by default) " +
			"or enable the rules: aws events enable-rule --name RULE"}
	healthTopic = Result{ID: CheckHealthTopic, Title: "A health topic, with a confirmed subscription, reports a " +
		"broken alert path",
		Remediation: "let rootwatch create its alert topic with at least one subscriber (it then makes the health " +
			"topic, with its own key and policy), and confirm the health topic's subscriptions"}
	heartbeatCheck = Result{ID: CheckHeartbeat, Title: "A scheduled heartbeat goes through the alert topic",
		Remediation: "set rootwatch:heartbeatDays (e.g. 7) and run pulumi up; re-enable a disabled heartbeat rule " +
			"with aws events enable-rule --name RULE"}
)

// ReachChecks judges whether alerts reach people: the alert topics' confirmed subscriptions, their
// KMS keys and policies, the EventBridge rules that send root activity to them, the health topic
// and the heartbeat. One Result per check, each naming every topic it judged.
func ReachChecks(ctx context.Context, rg *Regions, r Reach) []Result {
	c := &reach{ctx: ctx, at: func(arns ...string) reachAPIs {
		cl := rg.Of(arns...)
		return reachAPIs{cl.SNS, cl.KMS, cl.Events}
	}, attrs: map[string]map[string]string{}}
	return []Result{
		c.subscriptions(alertSubscriptions, r.AlertTopics),
		c.encryption(r.AlertTopics),
		c.policy(r.AlertTopics),
		c.rules(r.AlertTopics),
		c.health(r),
		c.heartbeat(r),
	}
}

// nonEmpty returns the non-empty strings of xs.
func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// reachAPIs are the clients of one region the reach checks call.
type reachAPIs struct {
	sns SNSAPI
	kms KMSAPI
	ev  EventsAPI
}

type reach struct {
	ctx context.Context
	// at returns the clients of the region of the first of arns that names one (a topic's, key's
	// or rule's), so that each is asked in its own region, whatever the audit's region is.
	at    func(arns ...string) reachAPIs
	attrs map[string]map[string]string // GetTopicAttributes answers by topic ARN; nil: no such topic
}

func isCode(err error, codes ...string) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && slices.Contains(codes, ae.ErrorCode())
}

// topicAttributes returns the topic's attributes (nil when the topic does not exist).
func (c *reach) topicAttributes(topic string) (map[string]string, error) {
	if a, ok := c.attrs[topic]; ok {
		return a, nil
	}
	out, err := c.at(topic).sns.GetTopicAttributes(c.ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(topic)})
	if isCode(err, "NotFound", "NotFoundException") {
		c.attrs[topic] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.attrs[topic] = out.Attributes
	return out.Attributes, nil
}

// worst is the status that needs action most (FAIL, then WARN, then PASS).
func worst(a, b Status) Status {
	if rank(b) < rank(a) {
		return b
	}
	return a
}

// verdict gathers per-topic findings into one Result.
type verdict struct {
	status Status
	parts  []string
}

func (v *verdict) add(s Status, format string, args ...any) {
	if v.status == "" {
		v.status = s
	}
	v.status = worst(v.status, s)
	v.parts = append(v.parts, fmt.Sprintf(format, args...))
}

func (v *verdict) result(base Result) Result {
	base.Status, base.Detail = v.status, strings.Join(v.parts, "; ")
	return base
}

// notChecked is the result of a check about the alert topic when there is none.
func notChecked(base Result) Result {
	base.Status, base.Detail = Fail, "not checked: there is no alert topic (see "+CheckAlertSubscriptions+")"
	return base
}

// subscriptionCounts are a topic's subscriptions by state; protocols are named, endpoints never
// (they are people's addresses and phone numbers).
type subscriptionCounts struct {
	confirmed, pending     int
	confirmedBy, pendingBy map[string]int // protocol -> count
	deleted                int
}

func (s subscriptionCounts) protocols(by map[string]int) string {
	var ps []string
	for p, n := range by {
		ps = append(ps, fmt.Sprintf("%s %d", p, n))
	}
	sort.Strings(ps)
	return strings.Join(ps, ", ")
}

// subscriptionsOf counts the topic's subscriptions (sns:ListSubscriptionsByTopic, every page). A
// subscription AWS still waits to be confirmed has the SubscriptionArn "PendingConfirmation"; one
// being removed, "Deleted".
// https://docs.aws.amazon.com/sns/latest/api/API_Subscription.html
func (c *reach) subscriptionsOf(topic string) (subscriptionCounts, bool, error) {
	s := subscriptionCounts{confirmedBy: map[string]int{}, pendingBy: map[string]int{}}
	p := sns.NewListSubscriptionsByTopicPaginator(
		c.at(topic).sns,
		&sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)},
	)
	for p.HasMorePages() {
		page, err := p.NextPage(c.ctx)
		if isCode(err, "NotFound", "NotFoundException") {
			return s, false, nil
		}
		if err != nil {
			return s, true, err
		}
		for _, sub := range page.Subscriptions {
			proto := aws.ToString(sub.Protocol)
			switch arn := aws.ToString(sub.SubscriptionArn); arn {
			case "PendingConfirmation":
				s.pending++
				s.pendingBy[proto]++
			case "Deleted":
				s.deleted++
			default:
				s.confirmed++
				s.confirmedBy[proto]++
			}
		}
	}
	return s, true, nil
}

// pendingAdvice is what a pending subscription needs. The Subscribe API reference: "Confirmation
// tokens are valid for two days" (earlier revisions said three).
// https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
const pendingAdvice = "a pending e-mail subscription must be confirmed from the \"AWS Notification - Subscription " +
	"Confirmation\" message AWS sent (its confirmation token is valid for two days; after that, subscribe again)"

// judgeSubscriptions adds one topic's subscriptions to v.
func (c *reach) judgeSubscriptions(v *verdict, what, topic string) error {
	s, exists, err := c.subscriptionsOf(topic)
	if err != nil {
		return err
	}
	switch {
	case !exists:
		v.add(Fail, "%s %s does not exist", what, topic)
	case s.confirmed == 0 && s.pending == 0:
		v.add(Fail, "%s %s has no subscription: nobody receives it", what, topic)
	case s.confirmed == 0:
		v.add(Fail, "%s %s has no confirmed subscription, %d pending (%s): nothing is delivered until one "+
			"is confirmed; %s",
			what, topic, s.pending, s.protocols(s.pendingBy), pendingAdvice)
	case s.pending > 0:
		v.add(Warn, "%s %s has subscriptions %d confirmed (%s) and %d pending (%s); %s",
			what, topic, s.confirmed, s.protocols(s.confirmedBy), s.pending, s.protocols(s.pendingBy), pendingAdvice)
	default:
		v.add(Pass, "%s %s has subscriptions %d confirmed (%s)", what, topic, s.confirmed, s.protocols(s.confirmedBy))
	}
	return nil
}

func (c *reach) subscriptions(base Result, topics []string) Result {
	if len(topics) == 0 {
		base.Status, base.Detail = Fail, "no alarm notifies an SNS topic, and no stack output names an alert topic: "+
			"nobody is told of root activity"
		return base
	}
	var v verdict
	for _, t := range topics {
		if err := c.judgeSubscriptions(&v, "alert topic", t); err != nil {
			return Errored(base, "sns:ListSubscriptionsByTopic", err)
		}
	}
	return v.result(base)
}

// awsManagedSNSKey is the alias of the AWS managed key for SNS. CloudWatch alarms cannot publish to
// a topic encrypted with it, and its policy cannot be changed to let them: "If you use the default
// AWS managed key alias/aws/sns for encryption, then CloudWatch alarms can't run alarm actions"
// (https://repost.aws/knowledge-center/cloudwatch-configure-alarm-sns). The same holds for
// EventBridge, which also needs kms:GenerateDataKey* and kms:Decrypt on the topic's key
// (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
const awsManagedSNSKey = "alias/aws/sns"

// publishers are the service principals that must be able to publish to the alert topic: the
// CloudWatch alarms and the EventBridge rules.
var publishers = []string{"cloudwatch.amazonaws.com", "events.amazonaws.com"}

// keyUse are the KMS actions a publisher needs on an encrypted topic's key ("kms:GenerateDataKey*"
// and "kms:Decrypt" in SNS's guide; GenerateDataKey is the one SNS calls).
// https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
var keyUse = []string{"kms:GenerateDataKey", "kms:Decrypt"}

func (c *reach) encryption(topics []string) Result {
	base := alertEncryption
	if len(topics) == 0 {
		return notChecked(base)
	}
	var v verdict
	for _, t := range topics {
		attrs, err := c.topicAttributes(t)
		if err != nil {
			return Errored(base, "sns:GetTopicAttributes", err)
		}
		if attrs == nil {
			v.add(Fail, "alert topic %s does not exist", t)
			continue
		}
		keyID := attrs["KmsMasterKeyId"]
		switch {
		case keyID == "":
			// WARN, not FAIL: an unencrypted topic still delivers every alarm and rule message
			// (no key can be disabled or refuse a publisher), but messages about root activity
			// rest unencrypted in SNS; rootwatch's own topics are always encrypted, so on a
			// rootwatch topic this also means someone removed the key.
			v.add(Warn, "alert topic %s is not encrypted (no KmsMasterKeyId): it delivers, but messages rest "+
				"in SNS unencrypted", t)
			continue
		case keyID == awsManagedSNSKey || strings.HasSuffix(keyID, ":"+awsManagedSNSKey):
			v.add(Fail, "alert topic %s is encrypted with the AWS managed key %s, which CloudWatch alarms and "+
				"EventBridge rules cannot use: their messages are dropped", t, awsManagedSNSKey)
			continue
		}
		key, err := c.at(keyID, t).kms.DescribeKey(c.ctx, &kms.DescribeKeyInput{KeyId: aws.String(keyID)})
		if isCode(err, "NotFoundException") {
			v.add(
				Fail,
				"alert topic %s is encrypted with key %s, which does not exist: nothing can be published",
				t,
				keyID,
			)
			continue
		}
		if err != nil {
			return Errored(base, "kms:DescribeKey", err)
		}
		md := key.KeyMetadata
		keyArn := aws.ToString(md.Arn)
		if md.KeyManager == kmstypes.KeyManagerTypeAws {
			v.add(Fail, "alert topic %s is encrypted with the AWS managed key %s, which CloudWatch alarms and "+
				"EventBridge rules cannot use: their messages are dropped", t, keyArn)
			continue
		}
		if md.KeyState != kmstypes.KeyStateEnabled {
			state := string(md.KeyState)
			if md.KeyState == kmstypes.KeyStatePendingDeletion && md.DeletionDate != nil {
				state += " (deleted on " + md.DeletionDate.UTC().Format("2006-01-02") + ")"
			}
			v.add(Fail, "alert topic %s: its key %s is %s, so nothing can be published to it: no alarm or "+
				"notification reaches anyone", t, keyArn, state)
			continue
		}
		pol, err := c.at(
			keyArn,
			t,
		).kms.GetKeyPolicy(
			c.ctx,
			&kms.GetKeyPolicyInput{KeyId: aws.String(keyArn), PolicyName: aws.String("default")},
		)
		if err != nil {
			return Errored(base, "kms:GetKeyPolicy", err)
		}
		s, msg := judgePolicy(aws.ToString(pol.Policy), keyUse, "the key policy")
		v.add(s, "alert topic %s: key %s is Enabled; %s", t, keyArn, msg)
	}
	return v.result(base)
}

func (c *reach) policy(topics []string) Result {
	base := alertPolicy
	if len(topics) == 0 {
		return notChecked(base)
	}
	var v verdict
	for _, t := range topics {
		attrs, err := c.topicAttributes(t)
		if err != nil {
			return Errored(base, "sns:GetTopicAttributes", err)
		}
		if attrs == nil {
			v.add(Fail, "alert topic %s does not exist", t)
			continue
		}
		s, msg := judgePolicy(attrs["Policy"], []string{"sns:Publish"}, "the topic policy")
		v.add(s, "alert topic %s: %s", t, msg)
	}
	return v.result(base)
}

// rootEvents are the events a root-activity rule must match: the root ConsoleLogin of the AWS
// CloudTrail User Guide and a root EnableMFADevice API call, as EventBridge delivers them on the
// default bus (testdata/cloudtrail/curated/root_consolelogin_success_mfa_YES__awsdocs.json and
// root_enablemfadevice_apicall__awsdocs.json, wrapped as notify's tests wrap the corpus; a test
// checks they still equal the corpus).
var rootEvents = []struct{ name, event string }{
	{"a root console sign-in", `{"version":"0","id":"00000000-0000-0000-0000-000000000000","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","account":"111122223333","time":"2022-11-10T16:24:34Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"1.05","userIdentity":{"type":"Root","principalId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""},"eventTime":"2022-11-10T16:24:34Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","userAgent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:62.0) Gecko/20100101 Firefox/62.0","requestParameters":null,"responseElements":{"ConsoleLogin":"Success"},"additionalEventData":{"LoginTo":"https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true","MobileVersion":"No","MFAIdentifier":"arn:aws:iam::111122223333:mfa/root-account-mfa-device","MFAUsed":"YES"},"eventID":"deb1e1f9-c99b-4612-8e9f-21f93b5d79c0","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333"}}`},
	{"a root API call", `{"version":"0","id":"00000000-0000-0000-0000-000000000000","detail-type":"AWS API Call via CloudTrail","source":"aws.iam","account":"111122223333","time":"2022-11-10T16:24:34Z","region":"us-east-1","resources":[],"detail":{"eventVersion":"1.05","userIdentity":{"type":"Root","principalId":"AIDACKCEVSQ6C2EXAMPLE","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":"EXAMPLE","sessionContext":{"sessionIssuer":{},"webIdFederationData":{},"attributes":{"mfaAuthenticated":"false","creationDate":"2020-10-13T21:05:40Z"}}},"eventTime":"2022-11-10T16:24:34Z","eventSource":"iam.amazonaws.com","eventName":"EnableMFADevice","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.0","userAgent":"Coral/Netty4","requestParameters":{"userName":"AWS ROOT USER","serialNumber":"arn:aws:iam::111122223333:mfa/root-account-mfa-device"},"responseElements":null,"requestID":"EXAMPLE4-2cf7-4a44-af00-f61f0EXAMPLE","eventID":"EXAMPLEb-7dae-48cb-895f-20e86EXAMPLE","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111122223333"}}`},
}

// forgedSources are the sources the audit gives copies of each root event to judge whether a rule
// can be fooled: any source but AWS's reserved "aws." prefix can be put with events:PutEvents by a
// principal allowed it on the bus, with any detail-type and detail; the near misses catch a
// pattern that asks only for "a" or "aws" (so "awsx.signin" would pass).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
var forgedSources = []string{"my.app", "a", "aws", "awsx.signin", "Aws.signin"}

// forged returns event with its source replaced by source (event as is if it is not JSON).
func forged(event, source string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(event), &m); err != nil {
		return event
	}
	m["source"] = source
	b, err := json.Marshal(m)
	if err != nil {
		return event
	}
	return string(b)
}

// enabled says whether a rule's state delivers events (ENABLED, or
// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS, which also delivers read-only calls).
func enabled(s ebtypes.RuleState) bool {
	return s == ebtypes.RuleStateEnabled || s == ebtypes.RuleStateEnabledWithAllCloudtrailManagementEvents
}

// rulesTargeting lists the names of the rules on the default bus of the topic's region that target
// it (events:ListRuleNamesByTarget, every page).
func (c *reach) rulesTargeting(topic string) ([]string, error) {
	var names []string
	in := &eventbridge.ListRuleNamesByTargetInput{TargetArn: aws.String(topic)}
	for {
		out, err := c.at(topic).ev.ListRuleNamesByTarget(c.ctx, in)
		if err != nil {
			return nil, err
		}
		names = append(names, out.RuleNames...)
		if aws.ToString(out.NextToken) == "" {
			return names, nil
		}
		in.NextToken = out.NextToken
	}
}

func (c *reach) rules(topics []string) Result {
	base := rootActivityRules
	if len(topics) == 0 {
		return notChecked(base)
	}
	var v verdict
	for _, t := range topics {
		names, err := c.rulesTargeting(t)
		if err != nil {
			return Errored(base, "events:ListRuleNamesByTarget", err)
		}
		var on, off, unreadable, forgeable []string
		matched := make([]bool, len(rootEvents))
		for _, n := range names {
			out, err := c.at(t).ev.DescribeRule(c.ctx, &eventbridge.DescribeRuleInput{Name: aws.String(n)})
			if err != nil {
				return Errored(base, "events:DescribeRule", err)
			}
			pat := aws.ToString(out.EventPattern)
			if pat == "" {
				continue // a scheduled rule (the heartbeat): not about root activity
			}
			if !enabled(out.State) {
				off = append(off, n)
				continue
			}
			on = append(on, n)
			p, err := eventpattern.Parse([]byte(pat))
			if err != nil {
				unreadable = append(unreadable, n)
				continue
			}
			fooled := false
			for i, e := range rootEvents {
				if ok, err := p.Match([]byte(e.event)); err == nil && ok {
					matched[i] = true
				}
				for _, src := range forgedSources {
					if ok, err := p.Match([]byte(forged(e.event, src))); err == nil && ok {
						fooled = true
					}
				}
			}
			if fooled {
				forgeable = append(forgeable, n)
			}
		}
		var missing []string
		for i, m := range matched {
			if !m {
				missing = append(missing, rootEvents[i].name)
			}
		}
		switch {
		case len(on) == 0 && len(off) == 0:
			v.add(Fail, "no EventBridge rule with an event pattern targets alert topic %s", t)
		case len(off) > 0:
			v.add(Fail, "alert topic %s: rule(s) %s DISABLED (enabled: %s)", t, strings.Join(off, ", "), listOrNone(on))
		case len(forgeable) > 0:
			v.add(Fail, "alert topic %s: rule(s) %s also match a copy of a root event put with events:PutEvents "+
				"under a custom source (one of %s): anyone allowed to put events on the bus can raise a false root "+
				"alert or flood the topic; require an AWS source in the pattern (\"source\": [{\"prefix\": "+
				"\"aws.\"}]), as rootwatch's rules do",
				t, strings.Join(forgeable, ", "), strings.Join(forgedSources, ", "))
		case len(missing) > 0 && len(unreadable) > 0:
			v.add(Warn, "alert topic %s: enabled rules %s; no pattern the audit can read matches %s, and the "+
				"patterns of %s use syntax it does not evaluate",
				t, strings.Join(on, ", "), strings.Join(missing, " or "), strings.Join(unreadable, ", "))
		case len(missing) > 0:
			v.add(
				Fail,
				"alert topic %s: enabled rules %s, but none matches %s",
				t,
				strings.Join(on, ", "),
				strings.Join(missing, " or "),
			)
		default:
			v.add(
				Pass,
				"alert topic %s: enabled rules %s match a root console sign-in and a root API call",
				t,
				strings.Join(on, ", "),
			)
		}
	}
	return v.result(base)
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// health judges the second path. Without a health topic it warns, whether or not a stack named
// one: rootwatch makes none when the alert topic is brought (rootwatch:alertTopicArn) or nobody
// is subscribed, and without the stack's outputs the audit cannot tell a health topic from any
// other topic. Either way, alarms about a broken alert path would travel that same broken path.
func (c *reach) health(r Reach) Result {
	base := healthTopic
	if r.HealthTopic == "" {
		base.Status = Warn
		if r.Deployed {
			base.Detail = "no independent health path: the stack has no health topic (rootwatch makes one only for " +
				"an alert topic it creates with at least one subscriber), so alarms about a broken alert path go " +
				"through that path alone"
		} else {
			base.Detail = "no independent health path known: no stack outputs name a health topic (rootwatch's " +
				"healthTopicArn), so alarms about a broken alert path may go through that path alone"
		}
		return base
	}
	var v verdict
	if err := c.judgeSubscriptions(&v, "health topic", r.HealthTopic); err != nil {
		return Errored(base, "sns:ListSubscriptionsByTopic", err)
	}
	return v.result(base)
}

// ruleName returns the rule name of an EventBridge rule ARN (…:rule/NAME or …:rule/BUS/NAME) and
// its bus ("" for the default bus).
func ruleName(arn string) (name, bus string) {
	p, ok := awsenv.ParseARN(arn)
	if !ok || !strings.HasPrefix(p.Resource, "rule/") {
		return arn, ""
	}
	rest := strings.TrimPrefix(p.Resource, "rule/")
	if i := strings.LastIndex(rest, "/"); i >= 0 {
		return rest[i+1:], rest[:i]
	}
	return rest, ""
}

func (c *reach) heartbeat(r Reach) Result {
	base := heartbeatCheck
	if r.HeartbeatRule == "" {
		base.Status, base.Detail = Warn, "no heartbeat: silence cannot be told from a broken path"
		return base
	}
	name, bus := ruleName(r.HeartbeatRule)
	in := &eventbridge.DescribeRuleInput{Name: aws.String(name)}
	if bus != "" {
		in.EventBusName = aws.String(bus)
	}
	out, err := c.at(r.HeartbeatRule).ev.DescribeRule(c.ctx, in)
	if isCode(err, "ResourceNotFoundException") {
		base.Status, base.Detail = Fail, "the heartbeat rule "+r.HeartbeatRule+" does not exist"
		return base
	}
	if err != nil {
		return Errored(base, "events:DescribeRule", err)
	}
	var targets []string
	tin := &eventbridge.ListTargetsByRuleInput{Rule: aws.String(name), EventBusName: in.EventBusName}
	for {
		tout, err := c.at(r.HeartbeatRule).ev.ListTargetsByRule(c.ctx, tin)
		if err != nil {
			return Errored(base, "events:ListTargetsByRule", err)
		}
		for _, t := range tout.Targets {
			targets = append(targets, aws.ToString(t.Arn))
		}
		if aws.ToString(tout.NextToken) == "" {
			break
		}
		tin.NextToken = tout.NextToken
	}
	var problems []string
	if !enabled(out.State) {
		problems = append(problems, "it is "+string(out.State))
	}
	schedule := aws.ToString(out.ScheduleExpression)
	if schedule == "" {
		problems = append(problems, "it has no schedule expression")
	}
	toAlert := slices.ContainsFunc(targets, func(t string) bool { return slices.Contains(r.AlertTopics, t) })
	if !toAlert {
		problems = append(problems, fmt.Sprintf("none of its %d targets is the alert topic", len(targets)))
	}
	if len(problems) > 0 {
		base.Status, base.Detail = Fail, "heartbeat rule "+name+": "+strings.Join(
			problems,
			"; ",
		)+": no heartbeat arrives, so silence cannot be told from a broken path"
		return base
	}
	base.Status, base.Detail = Pass, fmt.Sprintf(
		"heartbeat rule %s is %s, runs %s and targets the alert topic",
		name,
		out.State,
		schedule,
	)
	return base
}
