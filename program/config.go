package program

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/rootwatch/rootwatch/alarms"
	"github.com/rootwatch/rootwatch/athena"
	"github.com/rootwatch/rootwatch/guardrail"
	"github.com/rootwatch/rootwatch/internal/awsenv"
	"github.com/rootwatch/rootwatch/internal/validate"
	"github.com/rootwatch/rootwatch/notify"
	"github.com/rootwatch/rootwatch/posture"
	"github.com/rootwatch/rootwatch/trail"
)

// namespace is the config namespace, the project name.
const namespace = "rootwatch"

// configKey is one stack config key, defined once in newSettings the way package flag defines a
// flag: its name, Pulumi.yaml type, default and description, where read puts its value, and the
// component arguments that value becomes. Pulumi.yaml's config block, docs/configuration.md's
// table, the unknown-key check and the naming of component errors by key all come from it.
type configKey struct {
	Name        string // without the namespace
	Type        string // Pulumi.yaml type: string, integer, boolean, array, object
	Default     any    // as in Pulumi.yaml
	Description string
	// Args are the component arguments it sets whose errors are reported under the key:
	// "trail.TrailName", "alarms.Emails", or a field of settings ("RootEventNotifications").
	Args []string
	// Shared are further component arguments it sets, whose errors the component of an Arg
	// already reports (tags and key administrators, under the trail).
	Shared []string
	// whyNotExisting, when set, says why the key makes no sense with rootwatch:existingTrailName:
	// it configures only a trail rootwatch creates.
	whyNotExisting string
	read           func(r *reader)
}

// onlyCreatedTrail marks k as configuring only a trail rootwatch creates; why completes "it ...".
func (k *configKey) onlyCreatedTrail(why string) *configKey {
	k.whyNotExisting = why
	return k
}

// dest is where a key's value goes: a settings field p, the component argument arg it is, and
// whether that component's errors about it are reported under the key (to) or by another
// component that receives the same value (also).
type dest[T any] struct {
	p      *T
	arg    string
	report bool
}

func to[T any](p *T, arg string) dest[T]   { return dest[T]{p, arg, true} }
func also[T any](p *T, arg string) dest[T] { return dest[T]{p, arg, false} }

// keySet collects the definitions, in Pulumi.yaml's order.
type keySet []*configKey

// define records a key whose value parse reads, stored in every destination.
func define[T any](ks *keySet, name, typ string, def any, desc string, parse func(r *reader) T,
	ds []dest[T]) *configKey {
	k := &configKey{Name: name, Type: typ, Default: def, Description: desc}
	for _, d := range ds {
		if d.report {
			k.Args = append(k.Args, d.arg)
		} else {
			k.Shared = append(k.Shared, d.arg)
		}
	}
	k.read = func(r *reader) {
		v := parse(r)
		for _, d := range ds {
			*d.p = v
		}
	}
	*ks = append(*ks, k)
	return k
}

// String defines a string key; unset or empty, it is def.
func (ks *keySet) String(name, def, desc string, ds ...dest[string]) *configKey {
	return define(ks, name, "string", def, desc, func(r *reader) string { return r.str(name, def) }, ds)
}

// Derived defines a string key whose default derives from the stack (its description says how):
// Pulumi.yaml's default is "", and unset or empty it is derived.
func (ks *keySet) Derived(name, derived, desc string, ds ...dest[string]) *configKey {
	return define(ks, name, "string", "", desc, func(r *reader) string { return r.str(name, derived) }, ds)
}

// Int defines a whole-number key.
func (ks *keySet) Int(name string, def int, desc string, ds ...dest[int]) *configKey {
	return define(ks, name, "integer", def, desc, func(r *reader) int { return r.integer(name, def) }, ds)
}

// Bool defines a boolean key.
func (ks *keySet) Bool(name string, def bool, desc string, ds ...dest[bool]) *configKey {
	return define(ks, name, "boolean", def, desc, func(r *reader) bool { return r.boolean(name, def) }, ds)
}

// List defines an array of strings.
func (ks *keySet) List(name string, def []string, desc string, ds ...dest[[]string]) *configKey {
	yamlDef := []any{}
	for _, v := range def {
		yamlDef = append(yamlDef, v)
	}
	return define(ks, name, "array", yamlDef, desc, func(r *reader) []string { return r.list(name, def) }, ds)
}

// Object defines a map of strings to strings, empty by default.
func (ks *keySet) Object(name, desc string, ds ...dest[map[string]string]) *configKey {
	return define(ks, name, "object", map[string]any{}, desc,
		func(r *reader) map[string]string { return r.object(name) }, ds)
}

// entries defines an array of strings, empty by default, each entry split into a T; an entry
// split refuses is reported under its index (rootwatch:slackChannels[1]) with problem and allowed.
func entries[T any](ks *keySet, name, desc, problem, allowed string, split func(string) (T, bool),
	ds ...dest[[]T]) *configKey {
	return define(ks, name, "array", []any{}, desc, func(r *reader) []T {
		var out []T
		for i, v := range r.list(name, nil) {
			e, ok := split(v)
			if !ok {
				r.es.Add(fmt.Sprintf("%s:%s[%d]", namespace, name, i), v, problem, allowed)
				continue
			}
			out = append(out, e)
		}
		return out
	}, ds)
}

// Names of the keys `rootwatch plan` reads from a stack's config itself (without the namespace).
const (
	KeyOrganizationID       = "organizationId"
	KeyExistingKeyArn       = "existingKeyArn"
	KeyExistingBucketName   = "existingBucketName"
	KeyExistingTrailName    = "existingTrailName"
	KeyExistingLogGroupName = "existingLogGroupName"
)

// configKeys are the definitions, for what needs them without reading a stack.
var configKeys = func() keySet {
	_, ks := newSettings("")
	return ks
}()

// wiredArgs are component arguments the program wires (not a key), whose errors are not the
// user's to fix.
var wiredArgs = []string{"posture.TopicARN"}

// argKeys report component errors about a whole argument that no single key sets, under the key
// that turns it on.
var argKeys = map[string]string{"notify.Members": KeyMemberAccountNotifications, "athena.OrganizationTrail": "athena"}

// settings is the validated stack configuration, as component arguments.
type settings struct {
	Trail  trail.Args
	Alarms alarms.Args
	// Notify is used when RootEventNotifications is on.
	Notify                 notify.Args
	RootEventNotifications bool
	// MemberAccountNotifications keeps Notify.Members (always allocated, so its keys can be read
	// into it) only when on.
	MemberAccountNotifications bool
	// Posture is used when one of its modes is on.
	Posture posture.Args
	// Guardrail is used when RootGuardrail is on (its targets default to the organization's root,
	// which guardrail.Preflight fills in).
	Guardrail     guardrail.Args
	RootGuardrail bool
	// Athena is rootwatch:athena (its accounts and organization are filled by loadSettings'
	// preflight).
	Athena athenaSettings
	// Existing is set when the stack uses an existing trail instead of creating Trail; existing is
	// what the lookup found (set by loadSettings' preflight).
	Existing *trail.ExistingArgs
	existing *trail.ExistingTrail
}

// athenaSettings is what the Athena component needs besides the trail: whether it is on, and the
// accounts (and organization) whose log files the bucket holds, as athena.Preflight found them.
type athenaSettings struct {
	Enabled bool
	found   athena.Args
}

// newSettings defines every config key, each once, bound to the settings it fills: read them with
// reader.read. trailName is the trail name derived from the stack (stackDefaultName).
func newSettings(trailName string) (*settings, keySet) {
	s := &settings{
		Trail:    trail.Args{Lifecycle: &trail.Lifecycle{}},
		Alarms:   alarms.Args{HeartbeatDays: new(int)},
		Existing: &trail.ExistingArgs{},
		Notify:   notify.Args{Members: &notify.Members{}},
		// Break-glass expiries are judged by clock (tests pin it).
		Guardrail: guardrail.Args{Now: clock},
	}
	var ks keySet
	ks.trailKeys(s, trailName)
	ks.alertKeys(s, trailName)
	ks.notifyKeys(s)
	ks.guardrailKeys(s)
	return s, ks
}

// trailKeys defines the keys of the trail, its bucket and log group, or the existing trail.
func (ks *keySet) trailKeys(s *settings, trailName string) {
	lc := trail.DefaultLifecycle()
	ks.Derived("trailName", trailName, "Name of the CloudTrail trail. Empty: rootwatch-<stack>.",
		to(&s.Trail.TrailName, "trail.TrailName")).
		onlyCreatedTrail("names the trail rootwatch would create; the existing trail is named by " +
			"rootwatch:existingTrailName")
	ks.String("s3KeyPrefix", "", "The console's \"folder\": S3 key prefix for log files (empty for none).",
		to(&s.Trail.S3KeyPrefix, "trail.S3KeyPrefix")).
		onlyCreatedTrail("is the created trail's S3 folder; the existing trail keeps writing where it is configured to")
	ks.String("logGroupName", "", "CloudWatch Logs group receiving the trail. Empty: /aws/cloudtrail/<trailName>.",
		to(&s.Trail.LogGroupName, "trail.LogGroupName")).
		onlyCreatedTrail("names the log group rootwatch would create; the existing one is " +
			"rootwatch:existingLogGroupName")
	ks.Int("logRetentionDays", trail.DefaultLogRetentionDays, "Retention of the log group, one of the values "+
		"CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "+
		"2557, 2922, 3288, 3653).", to(&s.Trail.LogRetentionDays, "trail.LogRetentionDays")).
		onlyCreatedTrail("is the retention of the log group rootwatch would create; the existing log " +
			"group keeps its own")
	const lifecycleRule = "is a lifecycle rule of the bucket rootwatch would create; the existing trail's " +
		"bucket keeps its own"
	ks.Int("logArchiveDays", lc.ArchiveAfterDays, "Days after which log files of 128 KB or more move to "+
		"logArchiveStorageClass (0: never). Smaller ones (most CloudTrail files are a few KB) stay in S3 Standard, "+
		"which is cheaper for them: GLACIER_IR and STANDARD_IA bill 128 KB per object, GLACIER and DEEP_ARCHIVE add "+
		"40 KB per object, and each transition is billed.",
		to(&s.Trail.Lifecycle.ArchiveAfterDays, "trail.Lifecycle.ArchiveAfterDays")).
		onlyCreatedTrail(lifecycleRule)
	ks.String("logArchiveStorageClass", lc.ArchiveStorageClass, "S3 storage class log files move to: STANDARD_IA, "+
		"INTELLIGENT_TIERING, GLACIER_IR, GLACIER or DEEP_ARCHIVE.",
		to(&s.Trail.Lifecycle.ArchiveStorageClass, "trail.Lifecycle.ArchiveStorageClass")).
		onlyCreatedTrail(lifecycleRule)
	ks.Int("logExpirationDays", lc.ExpireAfterDays, "Days after which log files are deleted (0: never; evidence is "+
		"kept by default).", to(&s.Trail.Lifecycle.ExpireAfterDays, "trail.Lifecycle.ExpireAfterDays")).
		onlyCreatedTrail(lifecycleRule)
	ks.Int("noncurrentVersionExpirationDays", lc.NoncurrentExpireAfterDays, "Days after which overwritten or deleted "+
		"log file versions are deleted (0: never).",
		to(&s.Trail.Lifecycle.NoncurrentExpireAfterDays, "trail.Lifecycle.NoncurrentExpireAfterDays")).
		onlyCreatedTrail(lifecycleRule)
	ks.Bool("organizationTrail", false, "Create an organization trail. Deploy from the organization's management "+
		"account, or from CloudTrail's delegated administrator (found from the organization, no setting; the "+
		"management account then owns the trail and the policies name its trail ARN); checked before anything is "+
		"created. See docs/organizations.md.", to(&s.Trail.OrganizationTrail, "trail.OrganizationTrail")).
		onlyCreatedTrail("makes the created trail an organization trail; whether the existing trail is one " +
			"is its own setting")
	ks.String(KeyOrganizationID, "", "AWS Organizations id (o-...), required when organizationTrail is true.",
		to(&s.Trail.OrganizationID, "trail.OrganizationID"),
		also(&s.Notify.Members.OrganizationID, "notify.Members.OrganizationID")).
		onlyCreatedTrail("belongs to organizationTrail, which only applies to a trail rootwatch creates")
	ks.Bool("forceDestroy", false, "Let `pulumi destroy` delete the trail's log buckets with their contents, its log "+
		"group and its key. Off: they are retained (the alert topic's key always is).",
		to(&s.Trail.ForceDestroy, "trail.ForceDestroy")).
		onlyCreatedTrail("lets `pulumi destroy` delete the created trail's buckets, log group and key; with an " +
			"existing trail rootwatch creates none of them")
	ks.Bool("logDeliveryNotifications", false, "Create an SNS topic notified on each log file delivery (the "+
		"console's optional SNS notification).", to(&s.Trail.DeliveryNotifications, "trail.DeliveryNotifications")).
		onlyCreatedTrail("adds a delivery topic to the trail rootwatch would create")
	ks.String(KeyExistingKeyArn, "", "Log-archive pattern: the KMS key (key ARN, not an alias) of another account "+
		"that encrypts the logs, instead of creating one; its owners apply the requiredKeyPolicy output.",
		to(&s.Trail.ExistingKeyARN, "trail.ExistingKeyARN")).
		onlyCreatedTrail("brings a key for the trail rootwatch would create; the existing trail keeps its own")
	ks.String(KeyExistingBucketName, "", "Log-archive pattern: the bucket of another account the trail writes to, "+
		"instead of creating one (needs existingKeyArn); its owners apply the requiredBucketPolicy output.",
		to(&s.Trail.ExistingBucketName, "trail.ExistingBucketName")).
		onlyCreatedTrail("brings a bucket for the trail rootwatch would create; the existing trail keeps its own")
	ks.String(KeyExistingTrailName, "", "Use this trail the organization already runs (e.g. Control Tower's "+
		"aws-controltower-BaselineCloudTrail) instead of creating one; needs existingLogGroupName. No trail, bucket, "+
		"trail key or log group is created; the trail must be logging, multi-region, with global service events and "+
		"all management events, and deliver to that log group (checked before anything is created).",
		to(&s.Existing.TrailName, "existing.TrailName"))
	ks.String(KeyExistingLogGroupName, "", "The CloudWatch Logs group existingTrailName delivers to, in the stack's "+
		"region (e.g. aws-controltower/CloudTrailLogs); the alarms' metric filters go on it.",
		to(&s.Existing.LogGroupName, "existing.LogGroupName"))
}

// alertKeys defines the keys of the alarms and where they are sent: the keys, tags, subscriptions,
// chat channels, controls and heartbeat.
func (ks *keySet) alertKeys(s *settings, trailName string) {
	ks.List("keyAdminArns", nil, "IAM principals (ARNs) that administer the KMS keys. Empty: the account, through "+
		"its IAM policies. Otherwise include the deploying identity (for an assumed role, its role) or the account "+
		"root (arn:aws:iam::ACCOUNT:root): KMS refuses a key policy that locks out its creator. The alert and health "+
		"topic keys then still let the account's IAM policies read their metadata and policy (`kms:DescribeKey`, "+
		"`kms:GetKeyPolicy` only, statement `AccountReadKeyMetadata`), so `rootwatch audit` with its documented "+
		"read-only policy can judge them; no use of the key is delegated.",
		to(&s.Trail.KeyAdminARNs, "trail.KeyAdminARNs"), also(&s.Alarms.KeyAdminARNs, "alarms.KeyAdminARNs"))
	ks.Object("tags", "Tags applied to every taggable resource (except an organization trail deployed from "+
		"CloudTrail's delegated administrator: the management account owns it).",
		to(&s.Trail.Tags, "trail.Tags"), also(&s.Alarms.Tags, "alarms.Tags"), also(&s.Notify.Tags, "notify.Tags"),
		also(&s.Posture.Tags, "posture.Tags"))
	ks.List("alertEmails", nil, "E-mail addresses subscribed to the alert topic (each must confirm).",
		to(&s.Alarms.Emails, "alarms.Emails"))
	ks.List("alertHttpsEndpoints", nil, "HTTPS endpoints subscribed to the alert topic.",
		to(&s.Alarms.HTTPSEndpoints, "alarms.HTTPSEndpoints"))
	ks.List("alertSqsQueueArns", nil, "SQS queue ARNs subscribed to the alert topic (their policies must "+
		"allow the topic).", to(&s.Alarms.SQSQueueARNs, "alarms.SQSQueueARNs"))
	// alarms validates the ids; here only their shape.
	entries(ks, "slackChannels", "Slack channels that receive the alarms, root-activity notifications and heartbeat "+
		"through Amazon Q Developer in chat applications (AWS Chatbot), each WORKSPACE_ID/CHANNEL_ID such as "+
		"T07EA123LEP/C07EZ1ABC23. Authorize the workspace once in the Chatbot console first. See docs/alert-routes.md.",
		"is not WORKSPACE_ID/CHANNEL_ID", "a Slack workspace id and channel id joined by /, such as "+
			"T07EA123LEP/C07EZ1ABC23",
		func(v string) (alarms.SlackChannel, bool) {
			ws, ch, ok := strings.Cut(v, "/")
			return alarms.SlackChannel{WorkspaceID: ws, ChannelID: ch}, ok && !strings.Contains(ch, "/")
		}, to(&s.Alarms.SlackChannels, "alarms.SlackChannels"))
	// A Teams channel id may itself hold "/".
	entries(ks, "teamsChannels", "Microsoft Teams channels that receive the same through Amazon Q Developer in chat "+
		"applications, each TENANT_ID/TEAM_ID/CHANNEL_ID (the channel id URL-encoded, as in the channel's link). "+
		"Authorize the team once in the Chatbot console first.",
		"is not TENANT_ID/TEAM_ID/CHANNEL_ID", "a Microsoft Teams tenant id, team id and URL-encoded "+
			"channel id joined by /",
		func(v string) (alarms.TeamsChannel, bool) {
			parts := strings.SplitN(v, "/", 3)
			if len(parts) != 3 {
				return alarms.TeamsChannel{}, false
			}
			return alarms.TeamsChannel{TenantID: parts[0], TeamID: parts[1], ChannelID: parts[2]}, true
		}, to(&s.Alarms.TeamsChannels, "alarms.TeamsChannels"))
	ks.String("chatRegion", alarms.DefaultChatRegion, "Region of the Amazon Q Developer in chat applications API "+
		"where the channel configurations are created: us-east-2, us-west-2, eu-west-1 or ap-southeast-1 (the topics "+
		"stay in the stack's region).", to(&s.Alarms.ChatRegion, "alarms.ChatRegion"))
	ks.String("alertTopicArn", "", "Send alarms to this existing SNS topic instead of creating one (no "+
		"subscriptions are then made).", to(&s.Alarms.TopicARN, "alarms.TopicARN"))
	ks.List("cisControls", []string{"all"}, "CIS monitoring controls to deploy: [\"all\"] (the 15 CIS controls and "+
		"root-session-opened, an sts:AssumeRoot call), [\"none\"] (root usage only), or ids such as root-usage, 5.3 "+
		"(a bare number is CIS v7.0), cis-1.4:4.3 (an older CIS version's number), CloudWatch.1, "+
		"root-session-opened; add \"extras\" or the ids root-access-key-created, root-password-change, "+
		"root-mfa-removed for rootwatch's off-by-default extras. Root usage is always on.",
		to(&s.Alarms.Controls, "alarms.Controls"))
	ks.Int("alarmPeriodSeconds", alarms.DefaultAlarmPeriodSeconds, "Alarm period in seconds: a multiple of 60, at "+
		"most 604800 (seven days). The metric filters publish one data point a minute, so shorter, high-resolution "+
		"periods are refused (the alarms would sit in INSUFFICIENT_DATA).",
		to(&s.Alarms.AlarmPeriodSeconds, "alarms.AlarmPeriodSeconds"))
	ks.String("metricNamespace", alarms.DefaultMetricNamespace, "CloudWatch namespace of the metric filters' metrics.",
		to(&s.Alarms.MetricNamespace, "alarms.MetricNamespace"))
	ks.Derived("namePrefix", defaultPrefix(trailName), "Prefix of metric, filter and alarm names. Empty: "+
		"rootwatch-<stack>-.",
		to(&s.Alarms.NamePrefix, "alarms.NamePrefix"), to(&s.Notify.NamePrefix, "notify.NamePrefix"),
		also(&s.Posture.NamePrefix, "posture.NamePrefix"))
	ks.Bool("alarmOkActions", false, "Also notify the topic when an alarm returns to OK.",
		to(&s.Alarms.OKActions, "alarms.OKActions"))
	ks.Int("heartbeatDays", alarms.DefaultHeartbeatDays, "Days between heartbeat messages through the alert topic, "+
		"saying the path works, what is watched and how to review the period; when they stop arriving, the path is "+
		"broken (1-90; 0: no heartbeat).", to(s.Alarms.HeartbeatDays, "alarms.HeartbeatDays"))
}

// notifyKeys defines the keys of the root-event notifications, the root posture, the member
// accounts and Athena.
func (ks *keySet) notifyKeys(s *settings) {
	ks.Bool("rootEventNotifications", true, "Near-real-time EventBridge notifications to the alert topic of every "+
		"root sign-in, every root API call (naming the credential: long-term access key, session or sign-in, with "+
		"its key id) and every sts:AssumeRoot root session opened from this account, beside the CIS alarm.",
		to(&s.RootEventNotifications, "RootEventNotifications"))
	ks.Bool("rootCredentialsManagement", false, "Organizations: turn on centralized root access (IAM features "+
		"RootCredentialsManagement and RootSessions) for the member accounts. Deploy from the management account of "+
		"an organization with all features and trusted access for iam.amazonaws.com.",
		to(&s.Posture.RootCredentialsManagement, "posture.RootCredentialsManagement"))
	ks.Bool("configRules", false, "AWS Config managed rules on the root user (MFA, hardware MFA where offered, no "+
		"access keys) with compliance changes sent to the alert topic. Needs a configuration recorder that is "+
		"recording; deploy in one region.", to(&s.Posture.ConfigRules, "posture.ConfigRules"))
	ks.List("regions", nil, "Further regions whose root activity (API calls, sign-ins, sts:AssumeRoot calls, which "+
		"are recorded in the region of the STS endpoint used) is forwarded to the stack region's notification rules, "+
		"each forwarding rule with a FailedInvocations alarm on that region's own health topic. The stack region, "+
		"and us-east-1 in the aws partition (where root console sign-ins and IAM calls arrive), are always watched.",
		to(&s.Notify.Regions, "notify.Regions"))
	ks.Bool(KeyMemberAccountNotifications, false, "Organizations: the same near-real-time notifications for every "+
		"member account. A central event bus here that only the organization's accounts may put events on, the root "+
		"rules on it, and a service-managed CloudFormation StackSet (automatic deployment) that forwards each member "+
		"account's root activity in the watched regions to it. Deploy from the management account (or, with "+
		"delegatedAdministrator, a delegated administrator of CloudFormation StackSets) with the member accounts' "+
		"events recorded by an organization trail (organizationTrail, or existingTrailName). See "+
		"docs/organizations.md.",
		to(&s.MemberAccountNotifications, "MemberAccountNotifications"))
	ks.List(KeyMemberOrganizationalUnits, nil, "Organizational units (ou-...) or the organization's root (r-...) "+
		"whose accounts, present and future, get the memberAccountNotifications forwarding. Empty: the "+
		"organization's root (every member account).",
		to(&s.Notify.Members.OrganizationalUnits, "notify.Members.OrganizationalUnits"))
	ks.Bool(KeyDelegatedAdministrator, false, "Deploy the memberAccountNotifications StackSet from a delegated "+
		"administrator of CloudFormation StackSets (CallAs DELEGATED_ADMIN) instead of the management account; "+
		"checked before anything is created. Only the StackSet's: an organization trail needs no setting to be "+
		"deployed from CloudTrail's delegated administrator.",
		to(&s.Notify.Members.DelegatedAdmin, "notify.Members.DelegatedAdmin"))
	ks.Bool("athena", false, "Amazon Athena over the trail's bucket: a Glue database and CloudTrail table "+
		"partitioned by projection for this stack's layout (accounts, regions, days), a workgroup whose results are "+
		"encrypted with a customer managed key in a hardened bucket, and named queries for every catalogue control "+
		"and a root-activity summary. See docs/athena.md.", to(&s.Athena.Enabled, "athena.Enabled"))
}

// Names of the member-account keys.
const (
	KeyMemberAccountNotifications = "memberAccountNotifications"
	KeyMemberOrganizationalUnits  = "memberOrganizationalUnits"
	KeyDelegatedAdministrator     = "delegatedAdministrator"
)

// memberAccounts judges the member-account keys together with the rest of the configuration:
// they need the root notifications, an organization trail recording the member accounts (created
// here, an existing one, or the management account's when deployed as a delegated administrator),
// and do nothing without memberAccountNotifications. It drops s.Notify.Members when off.
func (r *reader) memberAccounts(s *settings) {
	if !s.MemberAccountNotifications {
		for name, set := range map[string]bool{
			KeyMemberOrganizationalUnits: len(s.Notify.Members.OrganizationalUnits) > 0,
			KeyDelegatedAdministrator:    s.Notify.Members.DelegatedAdmin,
		} {
			if v, ok := r.raw(name); ok && set {
				r.es.Add(namespace+":"+name, v, "has no effect without rootwatch:"+KeyMemberAccountNotifications,
					"leave it unset, or set rootwatch:"+KeyMemberAccountNotifications+" true")
			}
		}
		s.Notify.Members = nil
		return
	}
	key := namespace + ":" + KeyMemberAccountNotifications
	if !s.RootEventNotifications {
		r.es.Add(key, true,
			"needs rootwatch:rootEventNotifications true (the central rules are the same notifications)",
			"rootwatch:rootEventNotifications true, or memberAccountNotifications false")
	}
	// EventBridge sees CloudTrail's API call events of an account only while a trail records them.
	// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail.html
	if !s.Trail.OrganizationTrail && s.Existing == nil && !s.Notify.Members.DelegatedAdmin {
		r.es.Add(key, true, "needs the member accounts' events recorded by an organization trail, and this "+
			"stack configures none",
			"rootwatch:organizationTrail true with rootwatch:organizationId; or the organization's existing trail "+
				"with rootwatch:existingTrailName; or, deployed as rootwatch:delegatedAdministrator, the management "+
				"account's organization trail")
	}
}

// reader reads raw config values and records every parse problem under its config key.
type reader struct {
	ctx *pulumi.Context
	es  validate.Errors
}

func (r *reader) raw(name string) (string, bool) {
	v, err := config.Try(r.ctx, namespace+":"+name)
	if err != nil || v == "" {
		return "", false
	}
	return v, true
}

func (r *reader) str(name, def string) string {
	if v, ok := r.raw(name); ok {
		return v
	}
	return def
}

func (r *reader) integer(name string, def int) int {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		r.es.Add(namespace+":"+name, v, "is not a whole number", "a whole number")
		return def
	}
	return n
}

func (r *reader) boolean(name string, def bool) bool {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		r.es.Add(namespace+":"+name, v, "is not a boolean", "true or false")
		return def
	}
	return b
}

// list reads an array of strings: JSON (what Pulumi passes for arrays) or, for convenience on the
// command line, a comma-separated string.
func (r *reader) list(name string, def []string) []string {
	v, ok := r.raw(name)
	if !ok {
		return def
	}
	v = strings.TrimSpace(v)
	if strings.HasPrefix(v, "[") {
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil {
			r.es.Add(namespace+":"+name, v, "is not a list of strings",
				`a YAML list of strings, or JSON such as ["a","b"]`)
			return def
		}
		return out
	}
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (r *reader) object(name string) map[string]string {
	v, ok := r.raw(name)
	if !ok {
		return nil
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		r.es.Add(namespace+":"+name, v, "is not a map of strings to strings", "a YAML map such as {team: "+
			"security, env: prod}")
		return nil
	}
	return out
}

// read fills every key's destinations.
func (r *reader) read(ks keySet) {
	for _, k := range ks {
		k.read(r)
	}
}

// changed returns the raw value of k when it is set to something other than its Pulumi.yaml
// default (the Pulumi CLI passes the defaults of keys a stack leaves out, so "set" alone says
// nothing).
func (r *reader) changed(k *configKey) (string, bool) {
	v, ok := r.raw(k.Name)
	if !ok {
		return "", false
	}
	switch d := k.Default.(type) {
	case string:
		return v, v != d
	case int:
		n, err := strconv.Atoi(strings.TrimSpace(v))
		return v, err != nil || n != d
	case bool:
		b, err := strconv.ParseBool(strings.TrimSpace(v))
		return v, err != nil || b != d
	}
	return v, true
}

// existingTrail judges rootwatch:existingTrailName and rootwatch:existingLogGroupName as read into
// e: both or neither, and none of the keys that configure only a created trail. It returns nil
// for neither.
func (r *reader) existingTrail(e *trail.ExistingArgs, ks keySet) *trail.ExistingArgs {
	name, lg := e.TrailName, e.LogGroupName
	if name == "" && lg == "" {
		return nil
	}
	if name == "" {
		r.es.Add(namespace+":"+KeyExistingTrailName, "", "is required with rootwatch:existingLogGroupName",
			"the name of the trail that delivers to "+strconv.Quote(lg)+", e.g. aws-controltower-BaselineCloudTrail")
	}
	if lg == "" {
		r.es.Add(namespace+":"+KeyExistingLogGroupName, "", "is required with rootwatch:existingTrailName",
			"the name of the CloudWatch Logs group trail "+strconv.Quote(name)+
				" delivers to, e.g. aws-controltower/CloudTrailLogs")
	}
	for _, k := range ks {
		if k.whyNotExisting == "" {
			continue
		}
		if v, ok := r.changed(k); ok {
			r.es.Add(namespace+":"+k.Name, v, "is set together with rootwatch:existingTrailName, but it "+
				k.whyNotExisting, "leave it unset when using an existing trail")
		}
	}
	return e
}

// stackDefaultName derives a valid trail or prefix name from the stack name.
func stackDefaultName(stack string) string {
	s := regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(stack, "-")
	return strings.Trim("rootwatch-"+s, "-")
}

// loadSettings reads and validates the whole stack configuration before any resource is
// registered. Every problem is reported at once, each naming its config key, the bad value and
// what is allowed. cfg is the configuration the engine handed the program, whose keys are judged.
func loadSettings(ctx *pulumi.Context, cfg map[string]string) (*settings, error) {
	r := &reader{ctx: ctx}
	def := stackDefaultName(ctx.Stack())
	s, keys := newSettings(def)
	r.read(keys)
	s.Existing = r.existingTrail(s.Existing, keys)
	r.memberAccounts(s)
	// The forwarding regions' explicit providers read none of the stack's aws:* settings; pass the
	// profile on (the most common one), and notify pins them to the stack's account in any case.
	if profile, err := config.Try(ctx, "aws:profile"); err == nil && profile != "" {
		s.Notify.RegionProvider = &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
		s.Alarms.ChatProvider = &aws.ProviderArgs{Profile: pulumi.StringPtr(profile)}
	}
	// Parse problems first, then each component's own validation, renamed to config keys. The log
	// group is wired by main, so alarms validation gets a placeholder for it here.
	es := r.es
	es = append(es, unknownKeys(cfg)...)
	if s.Existing == nil {
		es = append(es, renamed("trail", s.Trail.Validate())...)
	} else {
		// No trail is created: of its arguments only the shared ones (tags, key administrators)
		// matter, and the keys that configure a created trail were refused above.
		shared := trail.Args{TrailName: def, KeyAdminARNs: s.Trail.KeyAdminARNs, Tags: s.Trail.Tags}
		es = append(es, renamed("trail", shared.Validate())...)
		if s.Existing.TrailName != "" && s.Existing.LogGroupName != "" {
			es = append(es, renamed("existing", s.Existing.Validate())...)
		}
	}
	probe := s.Alarms
	probe.LogGroupName = probeLogGroup
	es = append(es, renamed("alarms", probe.Validate())...)
	if s.RootEventNotifications {
		np := s.Notify
		np.TopicARN = probeTopic
		es = append(es, renamed("notify", np.Validate())...)
	}
	es = append(es, validatePosture(s)...)
	es = append(es, validateGuardrail(s)...)
	if len(es) == 0 {
		// What AWS would refuse only after other resources exist needs the provider's account and
		// identity: invokes, no resources. The key administrators must include the deploying
		// identity wherever rootwatch creates a KMS key: trail.Preflight checks the trail's key, and
		// when the trail brings its key, or an existing trail is used, the alert topic's key is
		// checked here (errors under the trail's name, which renames to rootwatch:keyAdminArns).
		// An existing trail and its log group are looked up and judged; forwarding regions must be
		// in the stack's partition.
		for _, pf := range []struct {
			component string
			check     func() error
		}{
			{"trail", func() error {
				if s.Existing != nil {
					return nil
				}
				return trail.Preflight(ctx, &s.Trail)
			}},
			{"trail", func() error {
				if s.Trail.ExistingKeyARN == "" && s.Existing == nil || s.Alarms.TopicARN != "" {
					return nil
				}
				return awsenv.CheckKeyAdmins(ctx, "KeyAdminARNs", s.Alarms.KeyAdminARNs)
			}},
			{"existing", func() error {
				if s.Existing == nil {
					return nil
				}
				found, err := trail.LookupExisting(ctx, s.Existing)
				s.existing = found
				return err
			}},
			{"notify", func() error {
				if !s.RootEventNotifications {
					return nil
				}
				return notify.Preflight(ctx, &s.Notify)
			}},
			{"posture", func() error { return posture.Preflight(ctx, &s.Posture) }},
			{"alarms", func() error { return alarms.Preflight(ctx, &s.Alarms) }},
			{"athena", func() error { return athenaPreflight(ctx, s) }},
			{"guardrail", func() error { return guardrailPreflight(ctx, s) }},
		} {
			if err := pf.check(); err != nil {
				if validate.Fields(err) == nil {
					return nil, err
				}
				es = append(es, renamed(pf.component, err)...)
			}
		}
	}
	if len(es) == 0 {
		return s, nil
	}
	for _, e := range es {
		howToSet(e)
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Field < es[j].Field })
	return nil, es.Err("rootwatch: invalid stack configuration")
}

// Config keys of the root guardrail (package guardrail).
const (
	KeyRootGuardrail        = "rootGuardrail"
	KeyRootGuardrailTargets = "rootGuardrailTargets"
	KeyRootBreakGlass       = "rootBreakGlass"
)

// clock is what break-glass expiries are judged by; nil is time.Now (tests set it).
var clock func() time.Time

// guardrailKeys defines the keys of the root guardrail SCP.
func (ks *keySet) guardrailKeys(s *settings) {
	ks.Bool(KeyRootGuardrail, false, "Organizations: attach the root guardrail, a service control policy that "+
		"denies every action to member accounts' root user except inside sts:AssumeRoot sessions (centralized root "+
		"access), and, with no exception, creating root access keys, leaving the organization and "+
		"sts:GetFederationToken. Deploy from the management account of an organization with all features and SCPs "+
		"enabled. No SCP covers the management account itself. See docs/organizations.md.",
		to(&s.RootGuardrail, "RootGuardrail"))
	ks.List(KeyRootGuardrailTargets, nil, "Where the root guardrail is attached: OU ids (ou-...) or the "+
		"organization's root id (r-...). Empty: the organization's root, so every member account.",
		to(&s.Guardrail.Targets, "guardrail.Targets"))
	define(ks, KeyRootBreakGlass, "object", map[string]any{}, "Break-glass exemptions from the root guardrail: "+
		"a member account id or OU id, mapped to its expiry and reason, such as 111122223333: "+
		"\"2026-12-09T18:00:00Z INC-4521 restore the bucket policy\". The expiry is an RFC 3339 time in UTC at most "+
		"30 days ahead; the SCP closes the exemption then, and pulumi up refuses it from then on until it is removed. "+
		"Root access keys, leaving the organization and federation tokens stay denied.",
		func(r *reader) []guardrail.Exemption { return breakGlassExemptions(r.object(KeyRootBreakGlass)) },
		[]dest[[]guardrail.Exemption]{to(&s.Guardrail.Exemptions, "guardrail.Exemptions")})
}

// breakGlassExemptions turns rootwatch:rootBreakGlass into the guardrail's exemptions, sorted by id.
func breakGlassExemptions(m map[string]string) []guardrail.Exemption {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []guardrail.Exemption
	for _, id := range ids {
		expires, reason, _ := strings.Cut(strings.TrimSpace(m[id]), " ")
		x := guardrail.Exemption{Expires: expires, Reason: reason}
		if strings.HasPrefix(id, "ou-") {
			x.OU = id
		} else {
			x.Account = id
		}
		out = append(out, x)
	}
	return out
}

// validatePosture checks posture's arguments when one of its modes is on (the alert topic is wired
// by main: a placeholder stands in for it).
func validatePosture(s *settings) validate.Errors {
	if !s.Posture.Enabled() {
		return nil
	}
	pp := s.Posture
	pp.TopicARN = probeTopic
	return renamed("posture", pp.Validate())
}

// unknownKeys reports rootwatch:* keys the program does not read: a typo such as
// rootwatch:alertEmail would otherwise leave the topic without subscribers and nobody would hear
// of it. cfg is the engine's configuration (keys "project:key" or "project:config:key"); other
// namespaces (aws:) are not ours.
func unknownKeys(cfg map[string]string) validate.Errors {
	known := map[string]bool{}
	var names []string
	for _, k := range configKeys {
		known[k.Name] = true
		names = append(names, k.Name)
	}
	var es validate.Errors
	for key := range cfg {
		rest, ok := strings.CutPrefix(key, namespace+":")
		if !ok {
			continue
		}
		rest = strings.TrimPrefix(rest, "config:")
		if known[rest] {
			continue
		}
		allowed := "one of the keys in Pulumi.yaml's config block"
		if near := nearest(rest, names); near != "" {
			allowed = "did you mean " + namespace + ":" + near + "? (" + allowed + ")"
		}
		es.Add(namespace+":"+rest, validate.Hidden{}, "is not a rootwatch setting", allowed)
	}
	return es
}

// nearest returns the name within edit distance 3 of s (ignoring case), if there is one.
func nearest(s string, names []string) string {
	best, bestD := "", 4
	for _, n := range names {
		if d := editDistance(strings.ToLower(s), strings.ToLower(n)); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// howToSet adds the command that replaces a subscriber at a reserved example domain (the address
// a copied example stack carries) to its error.
func howToSet(e *validate.FieldError) {
	if e.Problem != validate.ReservedProblem {
		return
	}
	example := "security@yourcompany.com"
	if strings.HasPrefix(e.Field, namespace+":alertHttpsEndpoints") {
		example = "https://hooks.yourcompany.com/rootwatch"
	}
	e.Allowed += "; set it with: pulumi config set --path '" + e.Field + "' " + example
}

// probeLogGroup and probeTopic stand in for the trail's log group and the alarms' topic while
// validating the other arguments of the components that receive them.
var (
	probeLogGroup = pulumi.String("validated-by-trail")
	probeTopic    = pulumi.String("validated-by-alarms")
)

// defaultPrefix is the default name prefix, rootwatch-<stack>-, cut to the 32 characters the
// notification rules' names leave for it (EventBridge rule and IAM role names stop at 64).
func defaultPrefix(stackName string) string {
	const max = 32
	if len(stackName)+1 > max {
		stackName = strings.TrimRight(stackName[:max-1], "-")
	}
	return stackName + "-"
}

// renamed maps a component's field errors to config keys (keyForArg). Of a key that feeds several
// components (tags, key administrators), only the components its definition names with to report.
func renamed(component string, err error) validate.Errors {
	if err == nil {
		return nil
	}
	fields := validate.Fields(err)
	if fields == nil {
		return validate.Errors{{Field: namespace, Value: component, Problem: err.Error()}}
	}
	var out validate.Errors
	for _, f := range fields {
		key, ok := keyForArg(component, f.Field)
		if !ok {
			continue // a shared key, already reported by the trail
		}
		c := *f
		c.Field = key
		out = append(out, &c)
	}
	return out
}

// keyForArg finds the config key for a component field error such as "Lifecycle.ArchiveAfterDays"
// or "Emails[2]" (the index is kept: "rootwatch:alertEmails[2]").
func keyForArg(component, field string) (string, bool) {
	// A nested argument ("Members.OrganizationalUnits[1]") is looked up whole first.
	if i := strings.IndexByte(field, '['); strings.Contains(field, ".") && !strings.HasPrefix(field, "Lifecycle.") {
		whole, suffix := field, ""
		if i >= 0 {
			whole, suffix = field[:i], field[i:]
		}
		for _, k := range configKeys {
			if slices.Contains(k.Args, component+"."+whole) {
				return namespace + ":" + k.Name + suffix, true
			}
			if slices.Contains(k.Shared, component+"."+whole) {
				return "", false
			}
		}
	}
	base, suffix := field, ""
	if i := strings.IndexAny(field, "[."); i >= 0 && !strings.HasPrefix(field, "Lifecycle.") {
		base, suffix = field[:i], field[i:]
	}
	arg := component + "." + base
	if slices.Contains(wiredArgs, arg) {
		return "", false
	}
	if k, ok := argKeys[arg]; ok && suffix == "" {
		return namespace + ":" + k, true
	}
	for _, k := range configKeys {
		if slices.Contains(k.Args, arg) {
			return namespace + ":" + k.Name + suffix, true
		}
		if slices.Contains(k.Shared, arg) {
			return "", false // reported by the component of one of k.Args
		}
	}
	return namespace + ":" + component + "." + field, true
}
